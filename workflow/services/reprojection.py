"""Due dates measured again after the holiday schedule changed.

Every stored due date was computed against the calendar of its day. When an administrator
enters a year's State Council notice, corrects a day, or the loader brings new days, the dates
that span the changed days are wrong: a case accepted in December with its dates in a year not
loaded yet was computed Monday to Friday and must move over that year's Spring Festival. This
job derives them again from each case's rows with the pure rules of ``workflow.clock`` — the
same functions the services use — and writes only those that moved, set-based: batches of
cases by keyset over the primary key, their clock rows prefetched per batch, one
``bulk_update`` and one ``bulk_create`` of events per batch.

A date depends on the days after the event that starts it up to the date itself (Art. 82: the
starting day does not count), and on the days of the suspensions that ended meanwhile (Art.
45). So a change of the days from ``first`` to ``last`` touches only what starts before
``last`` and ends on or after ``first``; everything else is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from ..clock import Clock, delivery_due_on, intake_due_on, joint_due_on, step_due_on
from ..models import (
    CLOCK_STATES,
    Case,
    CaseEvent,
    CaseStatus,
    JointCase,
    JointCaseEvent,
    JointCaseStatus,
    Notification,
    StepRun,
    StepStatus,
    Submission,
    Suspension,
)
from ..notifications import notify_applicant, notify_staff, queue
from ..transitions import Action, JointAction
from .suspensions import clock_rows_for, derived_due_dates
from .transition import payload

# Cases per transaction: small enough that the row locks are held briefly, large enough that
# a province's million open cases take a few hundred round trips.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class _Window:
    """The changed days, ``first`` to ``last``; None for "everything open"."""

    first: date
    last: date


@dataclass
class _Moved:
    """One case whose dates moved: the old and new value of each date that did."""

    case: Case
    old: dict[str, str | None] = field(default_factory=dict)
    new: dict[str, str] = field(default_factory=dict)
    step: StepRun | None = None  # the open step, when its due date moved
    assignee: Any = None  # who holds the case's open step

    def note(self, name: str, old: date | None, new: date) -> bool:
        if old == new:
            return False
        self.old[name] = old.isoformat() if old else None
        self.new[name] = new.isoformat()
        return True


def due_dates_reproject(
    *, changed_days: list[date] | None, reason: str, now: datetime | None = None
) -> int:
    """Derive again every open due date that depends on ``changed_days``; returns how many
    cases and joint cases had a date moved.

    ``changed_days`` are the days whose working-day status changed (None: every open date,
    for a back-fill). Covered: open cases (``due_on``, ``statutory_due_on``, the open step's
    ``due_on``), decided cases not yet delivered (``delivery_due_on``), rounds waiting for the
    window's answer (``intake_due_on``) and open joint cases (``due_on``). Each case that
    moved gets one ``reproject`` event with the old and new dates and ``reason``, and its
    revision one further; the applicant and the step's assignee are told when a date they
    work to moved. Safe to run twice: the second run finds nothing to move.
    """
    if changed_days is not None and not changed_days:
        return 0
    window = None if changed_days is None else _Window(min(changed_days), max(changed_days))
    clock = Clock.read(now)
    job = _Job(clock=clock, reason=reason)
    return (
        _in_batches(_open_cases(window, clock), job.open_cases)
        + _in_batches(_undelivered_cases(window), job.undelivered_cases)
        + _in_batches(_answer_pending_cases(window), job.answer_pending_cases)
        + _in_batches(_open_joint_cases(window), job.joint_cases, related=("joint_item",))
    )


# --- which rows may depend on the changed days ------------------------------------------------


def _open_cases(window: _Window | None, clock: Clock) -> QuerySet[Case]:
    cases = Case.objects.filter(status__in=CLOCK_STATES, accepted_on__isnull=False)
    if window is None:
        return cases
    # statutory_due_on is the later due date (the promised limit is within the statutory
    # one); a step sent back and opened again may run past it.
    open_step_after = StepRun.objects.filter(
        case=OuterRef("pk"), status=StepStatus.OPEN, due_on__gte=window.first
    )
    depends = Q(statutory_due_on__gte=window.first) | Q(Exists(open_step_after))
    if window.first <= clock.today:
        # A past day changed: the suspensions that ended after it counted it.
        ended_after = Suspension.objects.filter(case=OuterRef("pk"), ended_on__gte=window.first)
        depends |= Q(Exists(ended_after))
    return cases.filter(depends, accepted_on__lt=window.last)


def _undelivered_cases(window: _Window | None) -> QuerySet[Case]:
    cases = Case.objects.filter(status=CaseStatus.DECIDED, decided_on__isnull=False)
    if window is None:
        return cases
    return cases.filter(decided_on__lt=window.last, delivery_due_on__gte=window.first)


def _answer_pending_cases(window: _Window | None) -> QuerySet[Case]:
    rounds = Submission.objects.filter(case=OuterRef("pk"), submitted_at__isnull=False)
    if window is not None:
        rounds = rounds.filter(received_on__lt=window.last, intake_due_on__gte=window.first)
    return Case.objects.filter(Exists(rounds), status=CaseStatus.SUBMITTED)


def _open_joint_cases(window: _Window | None) -> QuerySet[JointCase]:
    joints = JointCase.objects.filter(status=JointCaseStatus.OPEN)
    if window is None:
        return joints
    return joints.filter(accepted_on__lt=window.last, due_on__gte=window.first)


def _in_batches(
    queryset: QuerySet,
    handle: Callable[[list], int],
    related: tuple = ("item_version", "applicant"),
) -> int:
    """Lock and handle ``queryset`` in batches of :data:`BATCH_SIZE` by ascending id."""
    total, last = 0, 0
    while True:
        with transaction.atomic():
            # Locked like a service locks a case, so an action taken meanwhile waits for the
            # batch and then sees the new dates and revision.
            batch = list(
                queryset.filter(pk__gt=last)
                .select_related(*related)
                .select_for_update(of=("self",))
                .order_by("pk")[:BATCH_SIZE]
            )
            if not batch:
                return total
            total += handle(batch)
        if len(batch) < BATCH_SIZE:
            return total
        last = batch[-1].pk


# --- the job ---------------------------------------------------------------------------------


@dataclass
class _Job:
    clock: Clock
    reason: str

    def open_cases(self, cases: list[Case]) -> int:
        calendar = self.clock.calendar
        rows = clock_rows_for(case.pk for case in cases)
        steps = {
            step.case_id: step
            for step in StepRun.objects.filter(
                case_id__in=[case.pk for case in cases], status=StepStatus.OPEN
            ).select_related("assignee")
        }
        moved: list[_Moved] = []
        for case in cases:
            pauses, grants = rows[case.pk]
            due = derived_due_dates(case, pauses, grants, calendar=calendar)
            change = _Moved(case)
            change.note("due_on", case.due_on, due.due_on)
            change.note("statutory_due_on", case.statutory_due_on, due.statutory_due_on)
            case.due_on, case.statutory_due_on = due.due_on, due.statutory_due_on
            step = steps.get(case.pk)
            if step is not None:
                change.assignee = step.assignee
            if step is not None and step.opened_on is not None:
                step_due = step_due_on(
                    opened_on=step.opened_on,
                    limit_days=step.limit_days,
                    pauses=pauses,
                    grants=grants,
                    calendar=calendar,
                )
                if change.note("step_due_on", step.due_on, step_due):
                    step.due_on, change.step = step_due, step
            if change.new:
                moved.append(change)
        StepRun.objects.bulk_update([m.step for m in moved if m.step], ["due_on"])
        self._record(moved, ["due_on", "statutory_due_on"], told="due_on")
        return len(moved)

    def undelivered_cases(self, cases: list[Case]) -> int:
        moved: list[_Moved] = []
        for case in cases:
            if case.decided_on is None:
                continue
            due = delivery_due_on(case.decided_on, calendar=self.clock.calendar)
            change = _Moved(case)
            if change.note("delivery_due_on", case.delivery_due_on, due):
                case.delivery_due_on = due
                moved.append(change)
        self._record(moved, ["delivery_due_on"], told="delivery_due_on")
        return len(moved)

    def answer_pending_cases(self, cases: list[Case]) -> int:
        # The round waiting for an answer is the case's last one sent.
        current: dict[int, Submission] = {}
        rounds = Submission.objects.filter(
            case_id__in=[case.pk for case in cases], submitted_at__isnull=False
        ).order_by("case_id", "round")
        for submission in rounds:
            current[submission.case_id] = submission
        moved: list[_Moved] = []
        changed_rounds: list[Submission] = []
        for case in cases:
            found = current.get(case.pk)
            if found is None or found.received_on is None:
                continue
            submission = found
            due = intake_due_on(found.received_on, calendar=self.clock.calendar)
            change = _Moved(case)
            if change.note("intake_due_on", submission.intake_due_on, due):
                submission.intake_due_on = due
                changed_rounds.append(submission)
                moved.append(change)
        Submission.objects.bulk_update(changed_rounds, ["intake_due_on"])
        # The answer date is the window's own; the applicant was never given it.
        self._record(moved, [], told=None)
        return len(moved)

    def joint_cases(self, joints: list[JointCase]) -> int:
        # The joint limit as the sub-cases were accepted under it (the catalog may have
        # changed since); the joint item's current one only if no sub-case holds it.
        limits = dict(
            Case.objects.filter(
                joint_case_id__in=[j.pk for j in joints], promised_limit__isnull=False
            )
            .order_by()
            .values_list("joint_case_id", "promised_limit")
        )
        changed: list[JointCase] = []
        events: list[JointCaseEvent] = []
        for joint in joints:
            limit = limits.get(joint.pk)
            if limit is None:
                limit = joint.joint_item.joint_limit
            due = joint_due_on(joint.accepted_on, limit, calendar=self.clock.calendar)
            if due == joint.due_on:
                continue
            events.append(
                JointCaseEvent(
                    joint_case=joint,
                    at=self.clock.now,
                    action=str(JointAction.REPROJECT),
                    from_status=joint.status,
                    to_status=joint.status,
                    data={
                        "reason": self.reason,
                        "old": {"due_on": joint.due_on.isoformat()},
                        "new": {"due_on": due.isoformat()},
                    },
                )
            )
            joint.due_on = due
            changed.append(joint)
        JointCase.objects.bulk_update(changed, ["due_on"])
        JointCaseEvent.objects.bulk_create(events)
        return len(changed)

    def _record(self, moved: list[_Moved], fields: list[str], *, told: str | None) -> None:
        """Write the moved cases one revision further, one event each, and tell who works to
        the date named ``told``."""
        if not moved:
            return
        for change in moved:
            change.case.revision += 1
        Case.objects.bulk_update([m.case for m in moved], [*fields, "revision"])
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=m.case,
                at=self.clock.now,
                action=str(Action.REPROJECT),
                from_status=m.case.status,
                to_status=m.case.status,
                step=m.step,
                reason=self.reason,
                data={"old": m.old, "new": m.new},
            )
            for m in moved
        )
        # One outbox insert for the whole batch, not one per case.
        outbox: list[Notification] = []
        for change in moved:
            self._tell(change, told, outbox)
        queue(outbox)

    def _tell(self, change: _Moved, told: str | None, outbox: list[Notification]) -> None:
        case = change.case
        if told is not None and told in change.new:
            notify_applicant(
                case=case,
                template="due_date_moved",
                payload=_payload(case, change, told),
                outbox=outbox,
            )
        name = "step_due_on" if "step_due_on" in change.new else told
        if change.assignee is not None and name in change.new:
            notify_staff(
                case=case,
                users=[change.assignee],
                template="due_date_moved",
                payload=_payload(case, change, name),
                outbox=outbox,
            )


def _payload(case: Case, change: _Moved, name: str) -> dict[str, Any]:
    return payload(case, due_on=change.new[name], was=change.old[name] or "")
