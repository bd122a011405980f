"""Complaints (网上投诉): the one write path for filing one (in the online hall, or recorded by
staff from a phone call), the department's acceptance or refusal, its answer and the
complainant's rating of the answer; the guards that say who may do which, and the
permission-checked reads the pages and the API share.

A complaint about one of the applicant's own cases goes to the case's department; without a
case the complainant chooses the department. It must be accepted or declined (with reasons)
within the rule set's acceptance limit and answered within its answer limit, both in working
days from the day it is filed, on the workflow's calendar (Art. 82's counting: the day itself is
not counted). The department's leaders (approvers, the chief representative) handle it; the
scan cards it when a limit passes. The complainant reads the answer and rates it once, on the
scale in force.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Department, Role
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.deadlines import add_workdays
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError
from workflow.models import Case
from workflow.notifications import notify_person, notify_staff
from workflow.numbering import next_in_sequence
from workflow.permissions import departments_staffed
from workflow.selectors import cases_for_applicant

from .inputs import LONG_TEXT, SHORT_TEXT, text_input
from .models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintStatus
from .recipients import department_leaders
from .rules import rules_in_force
from .scales import label_of, levels_of
from .scope import complaints_for
from .standing import Reach, reach_of

logger = logging.getLogger(__name__)

ACCEPT = "accept"
DECLINE = "decline"
ANSWER = "answer"
RATE = "rate"
# What the department does, in the order the pages show it; the complainant rates.
STAFF_ACTIONS = (ACCEPT, DECLINE, ANSWER)
ACTIONS = (*STAFF_ACTIONS, RATE)

# The roles that take a complaint on the phone for any department of their center, besides
# the supervision officers of the center's tree.
RECORDING_ROLES = frozenset({Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE})

# A mainland mobile or fixed-line number, with an optional area code and extension.
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
PHONE_LIMIT = 20


# --- the number and the limits --------------------------------------------------------------


def complaint_number(day: date) -> str:
    """A new complaint number for ``day``, such as ``TS202609300001``; drawn inside the
    transaction that stores the complaint, so two complaints filed at once never share one."""
    sequence = next_in_sequence(f"complaint:{day:%Y%m%d}")
    return f"TS{day:%Y%m%d}{sequence:04d}"


def complaint_limits(day: date) -> tuple[date, date]:
    """(accept or decline by, answer by) of a complaint filed on ``day``: the rule set's
    working days after it, the day of filing not counted."""
    rules = rules_in_force(day)
    calendar = load_work_calendar()
    return (
        add_workdays(day, rules.complaint_accept_workdays, calendar=calendar),
        add_workdays(day, rules.complaint_answer_workdays, calendar=calendar),
    )


# --- reads ----------------------------------------------------------------------------------


def complaints_visible_to(user: Any) -> QuerySet[Complaint]:
    """The complaints ``user`` may read as staff (an officer their tree's, a leader their
    department's), newest first, with what a list shows of each."""
    return complaints_for(user).select_related("department__center", "case")


def complaint_get_for(*, user: Any, pk: int) -> Complaint:
    """One complaint ``user`` may read as staff; Http404 for any other."""
    complaint = (
        complaints_visible_to(user)
        .select_related("recorded_by", "decided_by", "answered_by")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def complaints_of_applicant(user: Any) -> QuerySet[Complaint]:
    """The complaints ``user`` filed in the hall, newest first (index
    ``complaint_complainant_newest``)."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(complainant=user)
        .select_related("department__center", "case")
        .order_by("-filed_at", "-id")
    )


def complaint_get_for_applicant(*, user: Any, pk: int) -> Complaint:
    """One of the applicant's own complaints; Http404 for another's."""
    complaint = complaints_of_applicant(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


def complaint_due(complaint: Complaint, *, today: date, calendar=None) -> dict[str, Any]:
    """The limit that runs now (acceptance while filed, the answer while accepted) as a due
    chip: ``due_on``, ``due_class``, ``workdays_left``, ``overdue``; no limit once decided."""
    if complaint.status == ComplaintStatus.FILED:
        due_on = complaint.accept_due_on
    elif complaint.status == ComplaintStatus.ACCEPTED:
        due_on = complaint.answer_due_on
    else:
        return {"due_on": None, "due_class": "", "workdays_left": None, "overdue": False}
    due_class, left = due_state(
        due_on,
        clock="running",
        suspended_since=None,
        today=today,
        calendar=calendar or load_work_calendar(),
    )
    return {
        "due_on": due_on,
        "due_class": due_class,
        "workdays_left": left,
        "overdue": due_on < today,
    }


def complaints_overdue(complaints: QuerySet[Complaint], today: date) -> QuerySet[Complaint]:
    """Those of ``complaints`` past the limit that runs: not accepted or declined in time, or
    accepted and not answered in time (the scan's two rules)."""
    return complaints.filter(
        status=ComplaintStatus.FILED, accept_due_on__lt=today
    ) | complaints.filter(status=ComplaintStatus.ACCEPTED, answer_due_on__lt=today)


def rating_label(complaint: Complaint) -> str:
    """The complainant's rating of the answer in words, on the scale it was given on."""
    if complaint.complainant_level is None or not complaint.complainant_scale:
        return ""
    try:
        return label_of(complaint.complainant_scale, complaint.complainant_level)
    except ValueError:
        return str(complaint.complainant_level)


# --- who may do what ------------------------------------------------------------------------


def recording_centers(user: Any, *, reach: Reach | None = None) -> frozenset[int]:
    """The centers for whose departments ``user`` records a complaint from a phone call: where
    they are a window clerk or the chief representative of a department, and the centers they
    supervise."""
    reach = reach or reach_of(user)
    departments = departments_staffed(user, roles=RECORDING_ROLES)
    own = set()
    if departments:
        own = set(
            Department.objects.filter(pk__in=sorted(departments)).values_list(
                "center_id", flat=True
            )
        )
    return frozenset(own | set(reach.centers))


def recording_departments(user: Any, *, reach: Reach | None = None) -> QuerySet[Department]:
    """The departments ``user`` may record a phone complaint for, by center and code."""
    centers = recording_centers(user, reach=reach)
    return (
        Department.objects.filter(center_id__in=sorted(centers))
        .select_related("center")
        .order_by("center__code", "code")
    )


def complaint_record_refusal(
    department: Department, user: Any, *, reach: Reach | None = None
) -> WorkflowError | None:
    """Why ``user`` may not record a phone complaint about ``department``, or None."""
    if department.center_id not in recording_centers(user, reach=reach):
        return _not_a_recorder()
    return None


def _not_a_recorder() -> ActionForbidden:
    return ActionForbidden(
        _(
            "Only a window clerk or the chief representative of a department of the same "
            "center, or a supervision officer of its tree, records a complaint by phone."
        )
    )


def complaint_refusal(
    action: str, complaint: Complaint, user: Any, *, reach: Reach | None = None
) -> WorkflowError | None:
    """Why ``user`` may not take ``action`` (accept, decline, answer, rate) on ``complaint``
    now, or None if they may.

    The services raise what this returns; the pages and the API offer what it allows.
    """
    if action == RATE:
        if complaint.complainant_id is None or complaint.complainant_id != getattr(
            user, "pk", None
        ):
            return ActionForbidden(_("Only the complainant rates the answer to a complaint."))
        if complaint.status != ComplaintStatus.ANSWERED:
            return TransitionNotAllowed(_("The answer is rated once the department has answered."))
        if complaint.complainant_level is not None:
            return TransitionNotAllowed(_("You have rated this answer already."))
        return None
    if action not in STAFF_ACTIONS:
        raise ValueError(f"unknown complaint action {action!r}")
    reach = reach or reach_of(user)
    if complaint.department_id not in reach.departments:
        return ActionForbidden(
            _(
                "Only a leader of the department concerned (an approver or the chief "
                "representative) handles a complaint."
            )
        )
    if action in (ACCEPT, DECLINE):
        if complaint.status != ComplaintStatus.FILED:
            return TransitionNotAllowed(_("This complaint has been accepted or declined already."))
        return None
    if complaint.status == ComplaintStatus.FILED:
        return TransitionNotAllowed(_("Accept the complaint before answering it."))
    if complaint.status == ComplaintStatus.DECLINED:
        return TransitionNotAllowed(_("This complaint was not accepted; it takes no answer."))
    if complaint.status == ComplaintStatus.ANSWERED:
        return TransitionNotAllowed(_("This complaint has been answered already."))
    return None


def complaint_actions(complaint: Complaint, user: Any, *, reach: Reach | None = None) -> list[str]:
    """The department's actions ``user`` may take on ``complaint`` now, in page order."""
    reach = reach or reach_of(user)
    return [
        action
        for action in STAFF_ACTIONS
        if complaint_refusal(action, complaint, user, reach=reach) is None
    ]


# --- writes ---------------------------------------------------------------------------------


def _phone(value: str) -> str:
    phone = text_input(
        value, field="phone", required=_("Give a phone number to reach you."), limit=PHONE_LIMIT
    )
    if not PHONE.match(phone):
        message = _("Give a phone number of digits, such as 13800138000 or 0571-87654321.")
        raise InvalidInput(message).with_fields({"phone": [message]})
    return phone


def _category(value: str) -> str:
    if value not in ComplaintCategory.values:
        message = _("Choose what the complaint is about.")
        raise InvalidInput(message).with_fields({"category": [message]})
    return value


def _case_of_applicant(by: Any, case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    found = cases_for_applicant(by).filter(pk=pk).select_related("department").first()
    if found is None:
        message = _("Choose one of your own cases, or none.")
        raise InvalidInput(message).with_fields({"case": [message]})
    return found


def _case_for_recorder(centers: frozenset[int], case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    found = (
        Case.objects.filter(pk=pk, department__center_id__in=sorted(centers))
        .select_related("department")
        .first()
    )
    if found is None:
        message = _("No case of your center has this number.")
        raise InvalidInput(message).with_fields({"case": [message]})
    return found


def complaint_file(
    *,
    by: Any | None,
    name: str,
    phone: str,
    category: str,
    content: str,
    case: Case | int | None = None,
    department: Department | int | None = None,
    channel: str = ComplaintChannel.ONLINE,
    recorded_by: Any | None = None,
    now: datetime | None = None,
) -> Complaint:
    """File a complaint and tell the department's leaders.

    ``by`` is the applicant's account (online) or None for a phone call that ``recorded_by``
    records. With a ``case`` (one of the applicant's own; for a phone call, one of the
    recorder's center) the department is the case's; without, ``department`` is required.
    Raises ``ActionForbidden`` when a phone call is recorded by someone who may not record one
    for the department, ``InvalidInput`` for another applicant's case, a missing department,
    name, phone, category or content.
    """
    now = now or timezone.now()
    today = shanghai_today(now)
    if channel not in ComplaintChannel.values:
        raise ValueError(f"unknown complaint channel {channel!r}")
    if channel == ComplaintChannel.PHONE:
        if recorded_by is None:
            raise ValueError("a phone complaint is recorded by a staff member")
        reach = reach_of(recorded_by)
        centers = recording_centers(recorded_by, reach=reach)
        if not centers:
            raise _not_a_recorder()
    else:
        if by is None:
            raise ValueError("an online complaint is filed by an applicant's account")
        recorded_by = None
    who = text_input(name, field="name", required=_("Give your name."), limit=SHORT_TEXT)
    number = _phone(phone)
    kind = _category(category)
    text = text_input(
        content,
        field="content",
        required=_("Say what happened: when, where, who, and what you ask for."),
        limit=LONG_TEXT,
    )
    found_case: Case | None = None
    if case is not None and case != "":
        if channel == ComplaintChannel.PHONE:
            found_case = _case_for_recorder(centers, case)
        else:
            found_case = _case_of_applicant(by, case)
        target = found_case.department
    elif department is not None and department != "":
        pk = department.pk if isinstance(department, Department) else department
        target = Department.objects.filter(pk=pk).first()
        if target is None:
            message = _("Choose the department the complaint is about.")
            raise InvalidInput(message).with_fields({"department": [message]})
    else:
        message = _("Choose the department the complaint is about, or one of your cases.")
        raise InvalidInput(message).with_fields({"department": [message]})
    if channel == ComplaintChannel.PHONE:
        refusal = complaint_record_refusal(target, recorded_by, reach=reach)
        if refusal is not None:
            raise refusal
    accept_due_on, answer_due_on = complaint_limits(today)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            number=complaint_number(today),
            complainant=by,
            name=who,
            phone=number,
            case=found_case,
            department=target,
            center_id=target.center_id,
            category=kind,
            content=text,
            channel=channel,
            recorded_by=recorded_by,
            filed_at=now,
            filed_on=today,
            accept_due_on=accept_due_on,
            answer_due_on=answer_due_on,
        )
        notify_staff(
            case=found_case,
            users=department_leaders(target.pk),
            template="complaint_filed",
            payload={
                "number": complaint.number,
                "department": target.name,
                "category": str(ComplaintCategory(kind).label),
                "accept_due_on": accept_due_on.isoformat(),
                "answer_due_on": answer_due_on.isoformat(),
            },
        )
    logger.info("complaint %s filed (%s) for department %s", complaint.number, channel, target.pk)
    return complaint


def _locked(complaint: Complaint | int) -> Complaint:
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("department", "complainant")
        .get(pk=pk)
    )


def _tell_complainant(complaint: Complaint, template: str, payload: dict) -> None:
    """An SMS to the phone the complainant gave (an e-mail too if the account has one)."""
    notify_person(
        user=complaint.complainant,
        phone=complaint.phone,
        template=template,
        payload={"number": complaint.number, "department": complaint.department.name, **payload},
    )


def complaint_accept(
    *, complaint: Complaint | int, by: Any, now: datetime | None = None
) -> Complaint:
    """Accept a complaint for the department; the complainant is told when it answers by.

    Raises ``ActionForbidden`` unless ``by`` leads the department, ``TransitionNotAllowed``
    once it is accepted or declined (by a colleague at the same moment too: the row is locked).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(complaint)
        refusal = complaint_refusal(ACCEPT, locked, by)
        if refusal is not None:
            raise refusal
        locked.status = ComplaintStatus.ACCEPTED
        locked.decided_by = by
        locked.decided_at = now
        locked.decided_on = shanghai_today(now)
        locked.save(update_fields=["status", "decided_by", "decided_at", "decided_on"])
        _tell_complainant(
            locked, "complaint_accepted", {"answer_due_on": locked.answer_due_on.isoformat()}
        )
    logger.info("complaint %s accepted by %s", locked.number, by)
    return locked


def complaint_decline(
    *, complaint: Complaint | int, by: Any, reason: str, now: datetime | None = None
) -> Complaint:
    """Decline a complaint with the reasons, which the complainant is told.

    Raises ``ActionForbidden`` unless ``by`` leads the department, ``TransitionNotAllowed``
    once it is accepted or declined, ``InvalidInput`` without reasons.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(complaint)
        refusal = complaint_refusal(DECLINE, locked, by)
        if refusal is not None:
            raise refusal
        text = text_input(
            reason,
            field="reason",
            required=_("Give the reasons for not accepting the complaint."),
            limit=LONG_TEXT,
        )
        locked.status = ComplaintStatus.DECLINED
        locked.decline_reason = text
        locked.decided_by = by
        locked.decided_at = now
        locked.decided_on = shanghai_today(now)
        locked.save(
            update_fields=["status", "decline_reason", "decided_by", "decided_at", "decided_on"]
        )
        _tell_complainant(locked, "complaint_declined", {"reason": text})
    logger.info("complaint %s declined by %s", locked.number, by)
    return locked


def complaint_answer(
    *, complaint: Complaint | int, by: Any, answer: str, now: datetime | None = None
) -> Complaint:
    """Answer an accepted complaint; the complainant is told to read and rate the answer. An
    answer after the limit is accepted and kept as late (``answered_on > answer_due_on``).

    Raises ``ActionForbidden`` unless ``by`` leads the department, ``TransitionNotAllowed``
    before it is accepted, after a refusal or a first answer, ``InvalidInput`` for an empty
    answer.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(complaint)
        refusal = complaint_refusal(ANSWER, locked, by)
        if refusal is not None:
            raise refusal
        text = text_input(
            answer,
            field="answer",
            required=_("Write the department's answer to the complainant."),
            limit=LONG_TEXT,
        )
        locked.status = ComplaintStatus.ANSWERED
        locked.answer = text
        locked.answered_by = by
        locked.answered_at = now
        locked.answered_on = shanghai_today(now)
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at", "answered_on"])
        _tell_complainant(locked, "complaint_answered", {"answer": text})
    logger.info("complaint %s answered by %s", locked.number, by)
    return locked


def complaint_rate(
    *,
    complaint: Complaint | int,
    by: Any,
    level: int,
    comment: str = "",
    now: datetime | None = None,
) -> Complaint:
    """The complainant's one rating of the answer, on the scale in force.

    Raises ``ActionForbidden`` for anyone but the complainant, ``TransitionNotAllowed``
    before the answer or for a second rating, ``InvalidInput`` for a level the scale does not
    have or a comment too long.
    """
    now = now or timezone.now()
    scale = rules_in_force(shanghai_today(now)).rating_scale
    with transaction.atomic():
        locked = _locked(complaint)
        refusal = complaint_refusal(RATE, locked, by)
        if refusal is not None:
            raise refusal
        if isinstance(level, bool) or level not in {lvl.value for lvl in levels_of(scale)}:
            message = _("Choose one of the levels.")
            raise InvalidInput(message).with_fields({"level": [message]})
        text = text_input(comment, field="comment", required=None, limit=LONG_TEXT)
        locked.complainant_level = level
        locked.complainant_scale = scale
        locked.complainant_comment = text
        locked.complainant_rated_at = now
        locked.save(
            update_fields=[
                "complainant_level",
                "complainant_scale",
                "complainant_comment",
                "complainant_rated_at",
            ]
        )
    logger.info("complaint %s rated %s by the complainant", locked.number, level)
    return locked
