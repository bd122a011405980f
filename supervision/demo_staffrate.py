"""The demo city's staff side of ratings: one open rectification answered by its department's
leader, with the call-back note, and one poor rating appealed by its department and upheld by
the city's supervision officer (``supervisor``), so the rating leaves the statistics. Played
through the services after the hall's ratings demo, which gives the poor ratings; without any,
it does nothing. A second load finds its answer and its appeal and adds nothing."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import Role, StaffMembership
from workflow.calendar import shanghai_today

from .models import AppealDecision, Rating, Rectification, RectificationStatus
from .rectifications import (
    APPEAL,
    REVIEW,
    rating_appeal,
    rating_refusal_for_staff,
    rating_review,
    rectification_answer,
)

ANSWER = (
    "经调取窗口录像和办件记录核查，窗口工作人员在一次性告知时解释不够耐心细致。已对当事人"
    "批评教育，在科室例会上通报，并将一次性告知单改为逐项勾选，避免再次发生。"
)
CALLBACK = "次日上午电话回访申请人，说明核查结果和整改措施，申请人表示理解并认可。"
APPEAL_REASON = (
    "申请人因不符合即办条件要求当场出证未果，在窗口表示要给差评；窗口录像显示工作人员按规定"
    "一次性告知并出具了受理通知书，评价与办理质量无关。"
)
REVIEW_NOTE = "经调取窗口录像和办件记录复核，工作人员按规定办理，评价与事实不符，予以剔除。"


def _leader_of(department_id: int, prefer: str = "scj_approver"):
    """A leader (approver, then chief representative) of the department, the demo's
    ``scj_approver`` first when it is one."""
    leaders = (
        StaffMembership.objects.filter(
            department_id=department_id,
            role__in=[Role.APPROVER, Role.CHIEF_REPRESENTATIVE],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__username")
    )
    users = [membership.user for membership in leaders]
    for user in users:
        if user.username == prefer:
            return user
    return users[0] if users else None


def demo_staffrate_load(*, now: datetime | None = None) -> dict[str, int]:
    """Answer one open rectification and appeal one poor rating, the appeal upheld by the
    supervision officer; returns what was added."""
    now = now or timezone.now()
    today = shanghai_today(now)
    added = {"rectifications_answered": 0, "ratings_appealed": 0, "appeals_upheld": 0}
    officer = get_user_model().objects.filter(username="supervisor").first()
    with transaction.atomic():
        if not Rectification.objects.filter(status=RectificationStatus.ANSWERED).exists():
            for rectification in Rectification.objects.filter(
                status=RectificationStatus.OPEN
            ).order_by("due_on", "id"):
                leader = _leader_of(rectification.department_id)
                if leader is None:
                    continue
                rectification_answer(
                    rectification=rectification,
                    by=leader,
                    answer=ANSWER,
                    callback_note=CALLBACK,
                    now=now,
                )
                added["rectifications_answered"] = 1
                break
        if not Rating.objects.filter(appealed_at__isnull=False).exists():
            candidates = Rating.objects.filter(poor=True, excluded=False).filter(
                rectification__status=RectificationStatus.OPEN
            )
            for rating in candidates.order_by("-rated_at", "-id"):
                leader = _leader_of(rating.department_id)
                if leader is None or rating_refusal_for_staff(APPEAL, rating, leader, today=today):
                    continue
                rating = rating_appeal(rating=rating, by=leader, reason=APPEAL_REASON, now=now)
                added["ratings_appealed"] = 1
                if officer is not None and not rating_refusal_for_staff(REVIEW, rating, officer):
                    rating_review(
                        rating=rating,
                        by=officer,
                        decision=AppealDecision.UPHELD,
                        note=REVIEW_NOTE,
                        now=now,
                    )
                    added["appeals_upheld"] = 1
                break
    return {key: value for key, value in added.items() if value}
