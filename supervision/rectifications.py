"""The staff side of ratings (好差评): the department's rectification (整改) of a poor rating and
its answer, the department's appeal (申诉) of a mistaken or malicious rating, and the office's
review of it (复核) — the one write path of each, the guards that say who may do which, and the
permission-checked reads the pages, the exports and the API share.

Who does what:

* A leader of the rated case's department (an approver or its chief representative) answers
  the rectification: what was put right and the call-back to the applicant (回访). Only while it
  is open; an answer after the due date is taken and kept as late (``answered_on > due_on``).
  The applicant is told (they may then rate the rectification) and so are the supervision
  officers of the department's tree.
* A leader of the department appeals a poor rating once, within ``APPEAL_WORKDAYS`` working
  days of the day it was given; the officers of the tree are told.
* A supervision officer of the rating's center, or of a center above it, reviews the appeal
  once: upheld excludes the rating from the statistics and cancels its open rectification;
  dismissed keeps both. The department's leaders are told.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.deadlines import add_workdays
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError
from workflow.notifications import notify_applicant, notify_staff

from .inputs import LONG_TEXT, text_input
from .models import AppealDecision, Rating, Rectification, RectificationStatus
from .recipients import department_leaders, tree_officers
from .scales import label_of
from .scope import ratings_for, rectifications_for
from .standing import Reach, reach_of

logger = logging.getLogger(__name__)

ANSWER = "answer"
APPEAL = "appeal"
REVIEW = "review"
RECTIFICATION_ACTIONS = (ANSWER,)
RATING_ACTIONS = (APPEAL, REVIEW)

# The department appeals a poor rating within this many working days of the day it was given.
APPEAL_WORKDAYS = 10

# Where a rating's appeal stands, for the lists and their filter.
NOT_APPEALED, APPEALED, UPHELD, DISMISSED = "none", "appealed", "upheld", "dismissed"
APPEAL_STAGES = (NOT_APPEALED, APPEALED, UPHELD, DISMISSED)


# --- reads ----------------------------------------------------------------------------------


def ratings_visible_to(user: Any) -> QuerySet[Rating]:
    """The ratings ``user`` may read as staff (an officer their tree's, a leader their
    department's), newest first, with the case, the department, window and staff member."""
    return ratings_for(user).select_related(
        "case",
        "department__center",
        "window",
        "staff",
        "rectification",
        "appealed_by",
        "reviewed_by",
    )


def rating_get_for(*, user: Any, pk: int) -> Rating:
    """One rating ``user`` may read; Http404 for any other."""
    rating = ratings_visible_to(user).filter(pk=pk).first()
    if rating is None:
        raise Http404
    return rating


def rectifications_visible_to(user: Any) -> QuerySet[Rectification]:
    """The rectifications ``user`` may read, newest first, with their rating and case."""
    return rectifications_for(user).select_related(
        "rating", "case", "department__center", "answered_by"
    )


def rectification_get_for(*, user: Any, pk: int) -> Rectification:
    """One rectification ``user`` may read; Http404 for any other."""
    rectification = rectifications_visible_to(user).filter(pk=pk).first()
    if rectification is None:
        raise Http404
    return rectification


def appeal_stage(rating: Rating) -> str:
    """Where the rating's appeal stands: none, appealed (waiting for the review), upheld or
    dismissed."""
    if rating.appeal_decision:
        return str(rating.appeal_decision)
    if rating.appealed_at is not None:
        return APPEALED
    return NOT_APPEALED


def ratings_in_stage(ratings: QuerySet[Rating], stage: str) -> QuerySet[Rating]:
    """Those of ``ratings`` whose appeal stands at ``stage`` (see :func:`appeal_stage`)."""
    if stage == NOT_APPEALED:
        return ratings.filter(appealed_at__isnull=True)
    if stage == APPEALED:
        return ratings.filter(appealed_at__isnull=False, appeal_decision="")
    if stage in (UPHELD, DISMISSED):
        return ratings.filter(appeal_decision=stage)
    raise ValueError(f"unknown appeal stage {stage!r}")


def appeal_closes_on(rating: Rating) -> date:
    """The last day the department may appeal ``rating``."""
    return add_workdays(rating.rated_on, APPEAL_WORKDAYS, calendar=load_work_calendar())


def rectification_overdue(rectification: Rectification, today: date) -> bool:
    """Whether the rectification waits for its answer past its due date."""
    return rectification.status == RectificationStatus.OPEN and rectification.due_on < today


def rectification_answered_late(rectification: Rectification) -> bool:
    """Whether the answer came after the due date (it is taken, and the lateness kept)."""
    return (
        rectification.answered_on is not None and rectification.answered_on > rectification.due_on
    )


def level_label(rating: Rating) -> str:
    """The rating's level in words, on the scale it was given on."""
    try:
        return label_of(rating.scale, rating.level)
    except ValueError:
        return str(rating.level)


# --- who may do what ------------------------------------------------------------------------


def rectification_refusal(
    action: str, rectification: Rectification, user: Any, reach: Reach | None = None
) -> WorkflowError | None:
    """Why ``user`` may not take ``action`` (answer) on ``rectification`` now, or None.

    The services raise what this returns; the pages and the API offer what it allows.
    """
    if action != ANSWER:
        raise ValueError(f"unknown rectification action {action!r}")
    reach = reach or reach_of(user)
    if rectification.department_id not in reach.departments:
        return ActionForbidden(
            _(
                "Only a leader of the department rated (an approver or the chief "
                "representative) answers its rectification."
            )
        )
    if rectification.status == RectificationStatus.ANSWERED:
        return TransitionNotAllowed(_("This rectification has been answered already."))
    if rectification.status == RectificationStatus.CANCELLED:
        return TransitionNotAllowed(
            _("This rectification was cancelled: the rating was excluded on appeal.")
        )
    return None


def rectification_actions(
    rectification: Rectification, user: Any, reach: Reach | None = None
) -> list[str]:
    """The actions ``user`` may take on ``rectification`` now."""
    reach = reach or reach_of(user)
    return [
        action
        for action in RECTIFICATION_ACTIONS
        if rectification_refusal(action, rectification, user, reach) is None
    ]


def rating_refusal_for_staff(
    action: str,
    rating: Rating,
    user: Any,
    reach: Reach | None = None,
    *,
    today: date | None = None,
) -> WorkflowError | None:
    """Why ``user`` may not take ``action`` (appeal, review) on ``rating`` now, or None.

    The services raise what this returns; the pages and the API offer what it allows.
    """
    reach = reach or reach_of(user)
    if action == APPEAL:
        if rating.department_id not in reach.departments:
            return ActionForbidden(
                _(
                    "Only a leader of the department rated (an approver or the chief "
                    "representative) appeals a rating."
                )
            )
        if not rating.poor:
            return TransitionNotAllowed(_("Only a poor rating is appealed."))
        if rating.appealed_at is not None:
            return TransitionNotAllowed(
                _("The department has appealed this rating once; it cannot appeal again.")
            )
        closes_on = appeal_closes_on(rating)
        if (today or shanghai_today()) > closes_on:
            return TransitionNotAllowed(
                _("The time to appeal this rating ended on %(day)s.")
                % {"day": closes_on.isoformat()}
            )
        return None
    if action == REVIEW:
        if rating.center_id not in reach.centers:
            return ActionForbidden(
                _(
                    "Only a supervision officer of the department's center, or of a center "
                    "above it, reviews an appeal."
                )
            )
        if rating.appealed_at is None:
            return TransitionNotAllowed(
                _("Only an appealed rating is reviewed; the department has not appealed.")
            )
        if rating.appeal_decision:
            return TransitionNotAllowed(_("The appeal has been reviewed already."))
        return None
    raise ValueError(f"unknown rating action {action!r}")


def rating_actions(
    rating: Rating, user: Any, reach: Reach | None = None, *, today: date | None = None
) -> list[str]:
    """The actions ``user`` may take on ``rating`` now, in the order the pages show them."""
    reach = reach or reach_of(user)
    today = today or shanghai_today()
    return [
        action
        for action in RATING_ACTIONS
        if rating_refusal_for_staff(action, rating, user, reach, today=today) is None
    ]


# --- writes ---------------------------------------------------------------------------------


def _case_number(case: Any) -> str:
    return case.number or str(case.pk)


def rectification_answer(
    *,
    rectification: Rectification | int,
    by: Any,
    answer: str,
    callback_note: str,
    now: datetime | None = None,
) -> Rectification:
    """The department's answer to a rectification: what was put right and the call-back to the
    applicant (回访). The applicant is told, and may then rate the rectification; so are the
    supervision officers of the department's tree.

    An answer after the due date is taken and kept as late (``answered_on > due_on``). Raises
    ``ActionForbidden`` unless ``by`` leads the department, ``TransitionNotAllowed`` once it is
    answered (by a colleague in the same instant too: the row is locked) or cancelled,
    ``InvalidInput`` for an empty answer or call-back note.
    """
    now = now or timezone.now()
    pk = rectification.pk if isinstance(rectification, Rectification) else rectification
    with transaction.atomic():
        locked = (
            Rectification.objects.select_for_update(of=("self",))
            .select_related("case__applicant", "department", "rating")
            .get(pk=pk)
        )
        refusal = rectification_refusal(ANSWER, locked, by)
        if refusal is not None:
            raise refusal
        errors: dict[str, list[str]] = {}
        texts: dict[str, str] = {}
        for field, value, required in (
            ("answer", answer, _("Say what the department found and put right.")),
            ("callback_note", callback_note, _("Say how the applicant was called back.")),
        ):
            try:
                texts[field] = text_input(value, field=field, required=required, limit=LONG_TEXT)
            except InvalidInput as error:
                errors.update(error.fields)
        if errors:
            first = next(iter(errors.values()))[0]
            raise InvalidInput(first).with_fields(errors)
        locked.status = RectificationStatus.ANSWERED
        locked.answer = texts["answer"]
        locked.callback_note = texts["callback_note"]
        locked.answered_by = by
        locked.answered_at = now
        locked.answered_on = shanghai_today(now)
        locked.save(
            update_fields=[
                "status",
                "answer",
                "callback_note",
                "answered_by",
                "answered_at",
                "answered_on",
            ]
        )
        payload = {
            "number": _case_number(locked.case),
            "department": locked.department.name,
            "answered_on": locked.answered_on.isoformat(),
            "answer": locked.answer,
        }
        notify_applicant(case=locked.case, template="rectification_answered", payload=payload)
        notify_staff(
            case=locked.case,
            users=tree_officers(locked.center_id),
            template="rectification_answered_office",
            payload={
                **payload,
                "late": _("Answered late: it was due on %(day)s.")
                % {"day": locked.due_on.isoformat()}
                if rectification_answered_late(locked)
                else "",
            },
        )
    logger.info("rectification %s answered by %s", locked.pk, by)
    return locked


def _locked_rating(rating: Rating | int) -> Rating:
    pk = rating.pk if isinstance(rating, Rating) else rating
    return (
        Rating.objects.select_for_update(of=("self",))
        .select_related("case", "department")
        .get(pk=pk)
    )


def rating_appeal(
    *, rating: Rating | int, by: Any, reason: str, now: datetime | None = None
) -> Rating:
    """The department's one appeal (申诉) of a poor rating it holds mistaken or malicious, within
    ``APPEAL_WORKDAYS`` working days of the rating; the officers of its tree are told.

    Raises ``ActionForbidden`` unless ``by`` leads the department, ``TransitionNotAllowed`` for a
    rating that is not poor, a second appeal or one too late, ``InvalidInput`` for an empty
    reason.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_rating(rating)
        refusal = rating_refusal_for_staff(APPEAL, locked, by, today=shanghai_today(now))
        if refusal is not None:
            raise refusal
        text = text_input(
            reason, field="reason", required=_("Say why the department appeals."), limit=LONG_TEXT
        )
        locked.appeal_reason = text
        locked.appealed_by = by
        locked.appealed_at = now
        locked.save(update_fields=["appeal_reason", "appealed_by", "appealed_at"])
        notify_staff(
            case=locked.case,
            users=tree_officers(locked.center_id),
            template="rating_appealed",
            payload={
                "department": locked.department.name,
                "number": _case_number(locked.case),
                "level": level_label(locked),
                "reason": text,
            },
        )
    logger.info("rating %s appealed by %s", locked.pk, by)
    return locked


def rating_review(
    *,
    rating: Rating | int,
    by: Any,
    decision: str,
    note: str,
    now: datetime | None = None,
) -> Rating:
    """The office's review (复核) of the department's appeal: upheld excludes the rating from the
    statistics and cancels its open rectification; dismissed keeps both. The department's
    leaders are told.

    Raises ``ActionForbidden`` unless ``by`` supervises the rating's center,
    ``TransitionNotAllowed`` before an appeal or after a review, ``InvalidInput`` for an unknown
    decision or an empty note.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_rating(rating)
        refusal = rating_refusal_for_staff(REVIEW, locked, by)
        if refusal is not None:
            raise refusal
        if decision not in AppealDecision.values:
            message = _("Choose whether the appeal is upheld or dismissed.")
            raise InvalidInput(message).with_fields({"decision": [message]})
        text = text_input(
            note, field="note", required=_("Give the reasons of the review."), limit=LONG_TEXT
        )
        locked.appeal_decision = decision
        locked.review_note = text
        locked.reviewed_by = by
        locked.reviewed_at = now
        fields = ["appeal_decision", "review_note", "reviewed_by", "reviewed_at"]
        if decision == AppealDecision.UPHELD:
            locked.excluded = True
            fields.append("excluded")
            Rectification.objects.filter(
                rating_id=locked.pk, status=RectificationStatus.OPEN
            ).update(status=RectificationStatus.CANCELLED)
        locked.save(update_fields=fields)
        notify_staff(
            case=locked.case,
            users=department_leaders(locked.department_id),
            template="rating_reviewed",
            payload={
                "number": _case_number(locked.case),
                "decision": str(AppealDecision(decision).label),
                "note": text,
            },
        )
    logger.info("rating %s reviewed (%s) by %s", locked.pk, decision, by)
    return locked
