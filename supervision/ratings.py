"""Ratings (好差评, 一事一评): the one write path for a case's rating, whichever way it comes in
(online in "my cases", by the link in the completion message, at the window's kiosk, or the
default when none came in time), and the guard that says whether a case may be rated now.

A case is rated once, by its applicant, after it is completed and within the rule set's time to
rate (working days after the hand-over). A poor rating (差评) opens a rectification (整改) for
the case's department, due the rule set's number of working days later, and tells the
department's leaders.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Window
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.deadlines import add_workdays
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError
from workflow.models import Case, CaseEvent, CaseStatus
from workflow.notifications import notify_staff
from workflow.transitions import Action

from .inputs import LONG_TEXT, text_input
from .models import Rating, RatingChannel, Rectification
from .recipients import department_leaders
from .rules import Rules, rules_in_force
from .scales import is_poor, label_of, levels_of

logger = logging.getLogger(__name__)


# --- reads ----------------------------------------------------------------------------------


def rating_closes_on(case: Case, rules: Rules) -> date | None:
    """The last day ``case`` may be rated: the rule set's working days after the hand-over."""
    if case.delivered_on is None:
        return None
    return add_workdays(case.delivered_on, rules.rating_workdays, calendar=load_work_calendar())


def with_handover(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with the hand-over that completed each: ``handover_staff_id``, the clerk who
    delivered it, and ``handover_window_id``, the window of its department where that clerk
    works (none when the clerk sits at no window, or the result was posted or sent online
    from the back office). Two subqueries, so a batch of cases costs one select."""
    staff = (
        CaseEvent.objects.filter(case_id=OuterRef("pk"), action=Action.DELIVER)
        .order_by("-at", "-id")
        .values("actor_id")[:1]
    )
    window = (
        Window.objects.filter(
            clerks__id=OuterRef("handover_staff_id"), departments__id=OuterRef("department_id")
        )
        .order_by("number")
        .values("id")[:1]
    )
    return cases.annotate(handover_staff_id=Subquery(staff)).annotate(
        handover_window_id=Subquery(window)
    )


def handover_of(case: Case) -> tuple[int | None, int | None]:
    """(window id, staff member id) of the hand-over that completed ``case`` (see
    :func:`with_handover`)."""
    found = (
        with_handover(Case.objects.filter(pk=case.pk))
        .values_list("handover_window_id", "handover_staff_id")
        .first()
    )
    return found if found is not None else (None, None)


# --- who may rate ---------------------------------------------------------------------------


def rating_refusal(
    case: Case,
    *,
    user: Any = None,
    channel: str,
    today: date | None = None,
    rules: Rules | None = None,
) -> WorkflowError | None:
    """Why ``case`` may not be rated now through ``channel`` (by ``user`` online), or None.

    Online the applicant's own account rates; the link and the kiosk have checked who holds
    them before they ask. The pages offer the rating exactly when this says None.
    """
    today = today or shanghai_today()
    rules = rules or rules_in_force(today)
    if channel == RatingChannel.ONLINE and (
        user is None or not user.is_authenticated or case.applicant_id != user.pk
    ):
        return ActionForbidden(_("Only the applicant rates their case."))
    if case.status != CaseStatus.COMPLETED:
        return TransitionNotAllowed(_("A case is rated once its result has been handed over."))
    if Rating.objects.filter(case_id=case.pk).exists():
        return TransitionNotAllowed(_("This case has been rated already; it is rated once."))
    closes_on = rating_closes_on(case, rules)
    if channel != RatingChannel.DEFAULT and closes_on is not None and today > closes_on:
        return TransitionNotAllowed(
            _("The time to rate this case ended on %(day)s.") % {"day": closes_on.isoformat()}
        )
    return None


# --- writes ---------------------------------------------------------------------------------


def _level(scale: str, level: Any) -> int:
    values = [option.value for option in levels_of(scale)]
    if isinstance(level, str) and level.strip().isdigit():
        level = int(level)
    if isinstance(level, bool) or level not in values:
        message = _("Choose one of the levels offered.")
        raise InvalidInput(message).with_fields({"level": [message]})
    return int(level)


def rating_submit(
    *,
    case: Case | int,
    level: int,
    channel: str,
    by: Any = None,
    comment: str = "",
    window: Window | int | None = None,
    now: datetime | None = None,
) -> Rating:
    """Rate ``case`` at ``level`` on the scale in force; open a rectification if it is poor.

    ``by`` is the applicant's account online (None through the link, the kiosk and the
    default); ``window`` the kiosk's window (otherwise the window of the hand-over). Raises
    ``ActionForbidden`` / ``TransitionNotAllowed`` as :func:`rating_refusal` says, and
    ``InvalidInput`` for a level the scale does not have or a comment too long.
    """
    if channel not in RatingChannel.values:
        raise ValueError(f"unknown rating channel {channel!r}")
    now = now or timezone.now()
    today = shanghai_today(now)
    rules = rules_in_force(today)
    value = _level(rules.rating_scale, level)
    text = text_input(comment, field="comment", required=None, limit=LONG_TEXT)
    with transaction.atomic():
        # The case's row is the lock two raters queue on; the unique case keeps one rating.
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=case.pk if isinstance(case, Case) else case)
        )
        refusal = rating_refusal(locked, user=by, channel=channel, today=today, rules=rules)
        if refusal is not None:
            raise refusal
        handover_window, staff = handover_of(locked)
        window_id = window.pk if isinstance(window, Window) else window
        poor = is_poor(rules.rating_scale, value)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    case=locked,
                    department_id=locked.department_id,
                    center_id=locked.department.center_id,
                    window_id=window_id or handover_window,
                    staff_id=staff,
                    scale=rules.rating_scale,
                    level=value,
                    poor=poor,
                    comment=text,
                    channel=channel,
                    rated_by=by if channel == RatingChannel.ONLINE else None,
                    rated_at=now,
                    rated_on=today,
                )
        except IntegrityError:
            raise TransitionNotAllowed(
                _("This case has been rated already; it is rated once.")
            ) from None
        if poor:
            rectification_open(rating=rating, rules=rules, today=today)
    logger.info("case %s rated %s/%s via %s", locked.pk, rating.scale, value, channel)
    return rating


def rectification_open(*, rating: Rating, rules: Rules, today: date) -> Rectification:
    """Open the rectification a poor rating asks for, due the rule set's working days after
    today, and tell the department's leaders. Called inside :func:`rating_submit`'s
    transaction."""
    due_on = add_workdays(today, rules.rectification_workdays, calendar=load_work_calendar())
    rectification = Rectification.objects.create(
        rating=rating,
        case_id=rating.case_id,
        department_id=rating.department_id,
        center_id=rating.center_id,
        opened_on=today,
        due_on=due_on,
    )
    notify_staff(
        case=rating.case,
        users=department_leaders(rating.department_id),
        template="rectification_opened",
        payload={
            "number": rating.case.number or str(rating.case_id),
            "level": label_of(rating.scale, rating.level),
            "comment": rating.comment,
            "due_on": due_on.isoformat(),
        },
    )
    return rectification
