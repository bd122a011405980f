"""Urge notices (督办单): the one write path for sending, answering and closing them, the guard
that says who may do which (asked by the services and by the pages and the API for what they
offer), and the permission-checked reads they share.

A supervision officer sends a notice to a department of their tree about one or several of its
cases, with a limit in working days (the rules in force give the default); it is due that many
working days after the day it is sent, on the workflow's calendar (Art. 82's counting: the day
itself is not counted). The department's leader answers it, late too (the lateness is kept); the
office closes it, after the answer or, with a note that says why, without one. Unanswered past
its limit, each urged case gets a red card from the scan.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Department, ServiceCenter
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.deadlines import add_workdays
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError
from workflow.models import FINAL_STATES, Case
from workflow.notifications import notify_staff
from workflow.numbering import next_in_sequence
from workflow.selectors import cases_for_staff

from .inputs import LONG_TEXT, text_input
from .models import RuleSet, Urge, UrgeCase, UrgeStatus
from .models.rules import DEFAULT_URGE_RESPONSE_WORKDAYS
from .recipients import department_leaders
from .scope import urges_for
from .standing import Reach, reach_of

logger = logging.getLogger(__name__)

# One notice names at most this many cases: it is a letter to a department, not a list export.
MAX_CASES = 50
# The bounds of the answer limit, as the rule set's field allows them.
RESPOND_WITHIN_MIN, RESPOND_WITHIN_MAX = 1, 30

ANSWER = "answer"
CLOSE = "close"
ACTIONS = (ANSWER, CLOSE)


# --- the rules and the number -----------------------------------------------------------------


def urge_response_workdays(today: date) -> int:
    """The default answer limit of an urge notice sent on ``today``: the rule set in force that
    day, or the built-in default before any rule set applies."""
    limit = (
        RuleSet.objects.filter(effective_from__lte=today)
        .order_by("-effective_from")
        .values_list("urge_response_workdays", flat=True)
        .first()
    )
    return DEFAULT_URGE_RESPONSE_WORKDAYS if limit is None else limit


def urge_number(center: ServiceCenter, day: date) -> str:
    """A new urge notice number of ``center`` for the year of ``day``, such as
    ``330100DB〔2026〕12号``; drawn inside the transaction that stores the notice, so two notices
    sent at once never share one and a notice rolled back uses none."""
    sequence = next_in_sequence(f"urge:{center.code}:{day:%Y}")
    return f"{center.code}DB〔{day:%Y}〕{sequence}号"


# --- reads ----------------------------------------------------------------------------------


def urges_visible_to(user: Any) -> QuerySet[Urge]:
    """The urge notices ``user`` may read (an officer their tree's, a leader their department's),
    newest first, with what a list shows of each."""
    return (
        urges_for(user)
        .select_related("department__center", "sent_by", "answered_by", "closed_by")
        .prefetch_related(
            Prefetch(
                "urged",
                queryset=UrgeCase.objects.select_related(
                    "case__item_version__item", "case__department"
                ).order_by("id"),
            )
        )
    )


def urge_get_for(*, user: Any, pk: int) -> Urge:
    """One urge notice ``user`` may read; Http404 for any other."""
    urge = urges_visible_to(user).filter(pk=pk).first()
    if urge is None:
        raise Http404
    return urge


def urge_overdue(urge: Urge, today: date) -> bool:
    """Whether the notice waits for its answer past its due date."""
    return urge.status == UrgeStatus.OPEN and urge.due_on < today


def urge_answered_late(urge: Urge) -> bool:
    """Whether the answer came after the due date (it is accepted, and the lateness kept)."""
    return urge.answered_on is not None and urge.answered_on > urge.due_on


# --- who may do what ------------------------------------------------------------------------


def urge_send_refusal(department: Department, user: Any, *, reach: Reach | None = None):
    """Why ``user`` may not send an urge notice to ``department``, or None if they may."""
    reach = reach or reach_of(user)
    if department.center_id not in reach.centers:
        return ActionForbidden(
            _(
                "Only a supervision officer of the department's center, or of a center above "
                "it, sends it an urge notice."
            )
        )
    return None


def urge_refusal(
    action: str, urge: Urge, user: Any, *, reach: Reach | None = None
) -> WorkflowError | None:
    """Why ``user`` may not take ``action`` (answer, close) on ``urge`` now, or None if they may.

    The services raise what this returns; the pages and the API offer what it allows.
    """
    reach = reach or reach_of(user)
    if action == ANSWER:
        if urge.department_id not in reach.departments:
            return ActionForbidden(
                _(
                    "Only a leader of the department urged (an approver or the chief "
                    "representative) answers its urge notices."
                )
            )
        if urge.status == UrgeStatus.ANSWERED:
            return TransitionNotAllowed(_("This urge notice has been answered already."))
        if urge.status == UrgeStatus.CLOSED:
            return TransitionNotAllowed(_("This urge notice is closed; it takes no answer."))
        return None
    if action == CLOSE:
        if urge.center_id not in reach.centers:
            return ActionForbidden(
                _(
                    "Only a supervision officer of the department's center, or of a center "
                    "above it, closes an urge notice."
                )
            )
        if urge.status == UrgeStatus.CLOSED:
            return TransitionNotAllowed(_("This urge notice is closed already."))
        return None
    raise ValueError(f"unknown urge action {action!r}")


def urge_actions(urge: Urge, user: Any, *, reach: Reach | None = None) -> list[str]:
    """The actions ``user`` may take on ``urge`` now, in the order the pages show them."""
    reach = reach or reach_of(user)
    return [action for action in ACTIONS if urge_refusal(action, urge, user, reach=reach) is None]


# --- writes ---------------------------------------------------------------------------------


def _case_ids(cases: Iterable[Case | int]) -> list[int]:
    ids: set[int] = set()
    for case in cases:
        ids.add(case.pk if isinstance(case, Case) else int(case))
    return sorted(ids)


def _urged_cases(by: Any, department: Department, ids: list[int]) -> list[Case]:
    """The cases of the notice, each checked: seen by the officer, of the department, open."""
    if not ids:
        message = _("Choose at least one case of the department.")
        raise InvalidInput(message).with_fields({"cases": [message]})
    if len(ids) > MAX_CASES:
        message = _("One urge notice names at most %(max)s cases.") % {"max": MAX_CASES}
        raise InvalidInput(message).with_fields({"cases": [message]})
    found = {
        case.pk: case
        for case in cases_for_staff(by)
        .filter(pk__in=ids)
        .select_related(None)
        .only("pk", "number", "status", "department_id")
    }
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        message = _("No case you supervise has the id %(ids)s.") % {"ids": ", ".join(unknown)}
        raise InvalidInput(message).with_fields({"cases": [message]})
    cases = [found[pk] for pk in ids]
    elsewhere = [
        case.number or str(case.pk) for case in cases if case.department_id != department.pk
    ]
    if elsewhere:
        message = _(
            "An urge notice goes to one department about its own cases; %(cases)s belong to "
            "another department."
        ) % {"cases": ", ".join(elsewhere)}
        raise InvalidInput(message).with_fields({"cases": [message]})
    finished = [case.number or str(case.pk) for case in cases if case.status in FINAL_STATES]
    if finished:
        message = _("%(cases)s are finished; there is nothing left to urge.") % {
            "cases": ", ".join(finished)
        }
        raise InvalidInput(message).with_fields({"cases": [message]})
    return cases


def _respond_within(value: int | None, today: date) -> int:
    if value is None:
        return urge_response_workdays(today)
    if isinstance(value, bool) or not isinstance(value, int):
        value = -1
    if not RESPOND_WITHIN_MIN <= value <= RESPOND_WITHIN_MAX:
        message = _("Give the answer limit in working days, from %(min)s to %(max)s.") % {
            "min": RESPOND_WITHIN_MIN,
            "max": RESPOND_WITHIN_MAX,
        }
        raise InvalidInput(message).with_fields({"respond_within": [message]})
    return value


def urge_send(
    *,
    by: Any,
    department: Department,
    cases: Iterable[Case | int],
    message: str,
    respond_within: int | None = None,
    now: datetime | None = None,
) -> Urge:
    """Send an urge notice to ``department`` about ``cases`` and tell its leaders and its head.

    ``respond_within`` is the answer limit in working days (by default the rules in force);
    the notice is due that many working days after the day it is sent. Raises
    ``ActionForbidden`` unless ``by`` supervises the department's center, ``InvalidInput``
    when a case is not one they supervise, of another department or finished, or when the
    message is empty or the limit out of bounds.
    """
    now = now or timezone.now()
    today = shanghai_today(now)
    refusal = urge_send_refusal(department, by)
    if refusal is not None:
        raise refusal
    text = text_input(
        message,
        field="message",
        required=_("Write what the office asks of the department."),
        limit=LONG_TEXT,
    )
    urged = _urged_cases(by, department, _case_ids(cases))
    limit = _respond_within(respond_within, today)
    due_on = add_workdays(today, limit, calendar=load_work_calendar())
    center = ServiceCenter.objects.get(pk=department.center_id)
    with transaction.atomic():
        urge = Urge.objects.create(
            number=urge_number(center, today),
            department=department,
            center=center,
            message=text,
            respond_within=limit,
            sent_by=by,
            sent_at=now,
            sent_on=today,
            due_on=due_on,
        )
        UrgeCase.objects.bulk_create([UrgeCase(urge=urge, case=case) for case in urged])
        notify_staff(
            case=urged[0] if len(urged) == 1 else None,
            users=department_leaders(department.pk),
            template="urge_sent",
            payload={
                "number": urge.number,
                "department": department.name,
                "cases": ", ".join(case.number or str(case.pk) for case in urged),
                "message": text,
                "due_on": due_on.isoformat(),
            },
        )
    logger.info("urge %s sent to department %s by %s", urge.number, department.pk, by)
    return urge


def _locked(urge: Urge | int) -> Urge:
    pk = urge.pk if isinstance(urge, Urge) else urge
    return (
        Urge.objects.select_for_update(of=("self",))
        .select_related("department", "sent_by")
        .get(pk=pk)
    )


def urge_answer(*, urge: Urge | int, by: Any, answer: str, now: datetime | None = None) -> Urge:
    """Answer an open urge notice for its department and tell the officer who sent it.

    An answer after the due date is accepted and kept as late (``answered_on > due_on``).
    Raises ``ActionForbidden`` unless ``by`` leads the department (approver or chief
    representative), ``TransitionNotAllowed`` once it is answered (by a colleague in the same
    instant, too: the row is locked) or closed, ``InvalidInput`` for an empty answer.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(urge)
        refusal = urge_refusal(ANSWER, locked, by)
        if refusal is not None:
            raise refusal
        text = text_input(
            answer,
            field="answer",
            required=_("Write the department's answer."),
            limit=LONG_TEXT,
        )
        locked.status = UrgeStatus.ANSWERED
        locked.answer = text
        locked.answered_by = by
        locked.answered_at = now
        locked.answered_on = shanghai_today(now)
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at", "answered_on"])
        notify_staff(
            case=None,
            users=[locked.sent_by],
            template="urge_answered",
            payload={
                "number": locked.number,
                "department": locked.department.name,
                "answered_on": locked.answered_on.isoformat(),
                "answer": text,
            },
        )
    logger.info("urge %s answered by %s", locked.number, by)
    return locked


def urge_close(*, urge: Urge | int, by: Any, note: str, now: datetime | None = None) -> Urge:
    """Close an urge notice: after the department's answer, or without one with a note that
    says why (the cases moved on, the notice was sent in error).

    Raises ``ActionForbidden`` unless ``by`` supervises the department's center,
    ``TransitionNotAllowed`` when it is closed already, ``InvalidInput`` when an unanswered
    notice is closed without a note.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(urge)
        refusal = urge_refusal(CLOSE, locked, by)
        if refusal is not None:
            raise refusal
        required = (
            _("Say why the notice is closed without the department's answer.")
            if locked.status == UrgeStatus.OPEN
            else None
        )
        text = text_input(note, field="note", required=required, limit=LONG_TEXT)
        locked.status = UrgeStatus.CLOSED
        locked.closed_by = by
        locked.closed_at = now
        locked.closing_note = text
        locked.save(update_fields=["status", "closed_by", "closed_at", "closing_note"])
    logger.info("urge %s closed by %s", locked.number, by)
    return locked
