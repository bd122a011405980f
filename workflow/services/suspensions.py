"""The clock's own rows: suspension for a special procedure (Art. 45), its end, and the one
extension of the limit (Art. 42). Every due date they move is derived again from the rows by
``workflow.clock``, never shifted by hand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from catalog.models import ProcessingType, Role

from ..clock import (
    SUSPENSION_MAX_DAYS,
    CaseDueDates,
    Clock,
    Grant,
    Pause,
    case_due_dates,
    extension_max_days,
    step_due_on,
)
from ..deadlines import WorkCalendar, workdays_between
from ..exceptions import InvalidInput
from ..models import (
    Case,
    Extension,
    ExtensionStatus,
    NoticeKind,
    SpecialProcedure,
    StepRun,
    StepStatus,
    Suspension,
)
from ..transitions import Action
from .transition import case_transition, iso, required_text


def clock_rows(case: Case) -> tuple[list[Pause], list[Grant]]:
    """The case's suspensions and approved extensions, as the clock reads them."""
    return clock_rows_for([case.pk])[case.pk]


def clock_rows_for(case_ids: Iterable[int]) -> dict[int, tuple[list[Pause], list[Grant]]]:
    """:func:`clock_rows` for many cases at once, in two queries; every id is in the result."""
    rows: dict[int, tuple[list[Pause], list[Grant]]] = {pk: ([], []) for pk in case_ids}
    suspensions = Suspension.objects.filter(case_id__in=rows).order_by("case_id", "started_on")
    for case_id, started, ended in suspensions.values_list("case_id", "started_on", "ended_on"):
        rows[case_id][0].append(Pause(started_on=started, ended_on=ended))
    extensions = Extension.objects.filter(
        case_id__in=rows, status=ExtensionStatus.APPROVED, decided_on__isnull=False
    )
    for case_id, days, approved_on in extensions.values_list("case_id", "days", "decided_on"):
        if approved_on is not None:  # filtered so; the type of the column allows None
            rows[case_id][1].append(Grant(days=days, approved_on=approved_on))
    return rows


def derived_due_dates(
    case: Case, pauses: list[Pause], grants: list[Grant], *, calendar: WorkCalendar
) -> CaseDueDates:
    """The case's due dates as its acceptance, limits and clock rows give them."""
    if case.accepted_on is None or case.promised_limit is None or case.statutory_limit is None:
        raise ValueError(f"case {case.pk} has not been accepted: it has no due dates")
    return case_due_dates(
        accepted_on=case.accepted_on,
        promised_limit=case.promised_limit,
        statutory_limit=case.statutory_limit,
        pauses=pauses,
        grants=grants,
        calendar=calendar,
    )


def rederive_due_dates(case: Case, clock: Clock) -> None:
    """Set the case's and its open step's due dates from its rows (after a resume or an
    approved extension); the caller saves the case."""
    pauses, grants = clock_rows(case)
    due = derived_due_dates(case, pauses, grants, calendar=clock.calendar)
    case.due_on, case.statutory_due_on = due.due_on, due.statutory_due_on
    for step in StepRun.objects.filter(case=case, status=StepStatus.OPEN, opened_on__isnull=False):
        assert step.opened_on is not None
        step.due_on = step_due_on(
            opened_on=step.opened_on,
            limit_days=step.limit_days,
            pauses=pauses,
            grants=grants,
            calendar=clock.calendar,
        )
        step.save(update_fields=["due_on"])


def case_recompute_due_dates(case: Case, *, calendar: WorkCalendar | None = None) -> CaseDueDates:
    """The case's due dates computed again from its acceptance and its clock rows."""
    if calendar is None:
        from ..calendar import load_work_calendar

        calendar = load_work_calendar()
    pauses, grants = clock_rows(case)
    return derived_due_dates(case, pauses, grants, calendar=calendar)


def case_suspend(
    *,
    case: Case,
    by: Any,
    procedure: str,
    reason: str,
    expected_days: int,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Suspension:
    """Stop the clock for a special procedure whose time does not count (Art. 45)."""
    reason = required_text(reason, _("Give the reason for the suspension."))
    if procedure not in SpecialProcedure.values:
        raise InvalidInput(
            _(
                "Only a special procedure suspends the clock: hearing, tendering, auction, testing, inspection, quarantine, appraisal or expert review."
            )
        )
    if (
        isinstance(expected_days, bool)
        or not isinstance(expected_days, int)
        or not 1 <= expected_days <= SUSPENSION_MAX_DAYS
    ):
        raise InvalidInput(
            _("Give the expected length in working days, from 1 to %(max)s.")
            % {"max": SUSPENSION_MAX_DAYS}
        )
    with case_transition(
        Action.SUSPEND, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        suspension = Suspension.objects.create(
            case=case,
            procedure=procedure,
            reason=reason,
            expected_days=expected_days,
            started_on=run.clock.today,
            started_by=by,
        )
        case.suspended_since = run.clock.today
        label = str(SpecialProcedure(procedure).label)
        notice = run.notice(
            NoticeKind.SUSPENSION,
            {"procedure": label, "reason": reason, "expected_days": expected_days},
        )
        run.reason = reason
        run.data = {
            "procedure": procedure,
            "expected_days": expected_days,
            "notice": notice.number,
        }
        run.tell_applicant("suspended", procedure=label, reason=reason)
    return suspension


def case_resume(
    *, case: Case, by: Any, now: datetime | None = None, expected_revision: int | None = None
) -> Suspension:
    """Restart the clock: the working days spent suspended do not count (Art. 45), so every
    open due date is derived again with them left out."""
    with case_transition(
        Action.RESUME, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case, clock = run.case, run.clock
        suspension = Suspension.objects.select_for_update().get(case=case, ended_on__isnull=True)
        suspension.ended_on = clock.today
        # The days in (suspended on, resumed on] did not count.
        suspension.workdays = workdays_between(
            suspension.started_on, clock.today, calendar=clock.calendar
        )
        suspension.ended_by = by
        suspension.save(update_fields=["ended_on", "workdays", "ended_by"])
        case.suspended_since = None
        rederive_due_dates(case, clock)
        run.data = {"workdays": suspension.workdays, "due_on": iso(case.due_on)}
        run.tell_applicant("resumed", due_on=iso(case.due_on))
    return suspension


def extension_request(
    *,
    case: Case,
    by: Any,
    days: int,
    reason: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Extension:
    """Ask the leader to extend the limit once (Art. 42), with the reason the applicant gets."""
    reason = required_text(reason, _("Give the reason for the extension; the applicant is told."))
    with case_transition(
        Action.REQUEST_EXTENSION, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        limit = extension_max_days(
            joint=case.joint_case_id is not None
            or case.item_version.processing_type == ProcessingType.JOINT
        )
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
            raise InvalidInput(
                _("An extension is from 1 to %(max)s working days.") % {"max": limit}
            )
        extension = Extension.objects.create(
            case=case, days=days, reason=reason, requested_by=by, requested_at=run.clock.now
        )
        run.reason = reason
        run.data = {"days": days, "extension": extension.pk}
        run.tell_role(Role.APPROVER, "step_assigned", step=str(_("Extension approval")))
    return extension


def extension_decide(
    *,
    extension: Extension,
    by: Any,
    approve: bool,
    note: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Extension:
    """The leader approves or refuses a requested extension; approval moves the due dates."""
    with case_transition(
        Action.APPROVE_EXTENSION,
        case=extension.case_id,
        by=by,
        now=now,
        expected_revision=expected_revision,
        extension=extension,
    ) as run:
        case, clock = run.case, run.clock
        assert run.situation.target_extension is not None  # the rule has found it
        extension = run.situation.target_extension
        if not approve:
            note = required_text(note, _("Say why the extension is refused."))
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by = by
        extension.decided_at = clock.now
        extension.decided_on = clock.today
        extension.decision_note = (note or "").strip()
        extension.save()
        data: dict[str, Any] = {
            "extension": extension.pk,
            "approved": approve,
            "days": extension.days,
        }
        if approve:
            rederive_due_dates(case, clock)
            notice = run.notice(
                NoticeKind.EXTENSION,
                {
                    "days": extension.days,
                    "reason": extension.reason,
                    "due_on": iso(case.due_on),
                },
            )
            data.update(due_on=iso(case.due_on), notice=notice.number)
            run.tell_applicant("extended", days=extension.days, reason=extension.reason)
        run.reason = extension.decision_note
        run.data = data
    return extension
