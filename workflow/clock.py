"""The statutory clock: every period the law and the catalog set, and every date rule, in one place.

Dates in, dates out, the working-day calendar passed in; nothing here reads the database or the
time. Due dates are *derived* from a case's rows — its acceptance, its limits, its suspensions
and its extensions — by one algorithm, so a stored date can always be computed again, explained,
and re-projected when the holiday schedule it was measured against changes.

The arithmetic itself (Art. 82: working days, the starting day not counted) is in
:mod:`workflow.deadlines`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from catalog.models import JOINT_EXTENSION_DAYS

from .deadlines import WorkCalendar, add_workdays, workdays_between

# Art. 32: the window answers an application within 5 working days, or it counts as accepted.
INTAKE_ANSWER_DAYS = 5
# Art. 42: one extension of at most 10 working days; 15 for joint processing.
EXTENSION_MAX_DAYS = 10
JOINT_EXTENSION_MAX_DAYS = JOINT_EXTENSION_DAYS
# Art. 42: joint or unified processing by several departments is decided within 45 working days.
JOINT_LIMIT_DAYS = 45
# Art. 44: the licence is issued or delivered within 10 working days of the decision.
DELIVERY_DAYS = 10
# A suspension is announced with an expected length; a year of working days is the most.
SUSPENSION_MAX_DAYS = 250
# Lists flag a date as due soon when this many working days or fewer are left.
DUE_SOON_WORKDAYS = 2


@dataclass(frozen=True)
class Clock:
    """What a service needs of time: the instant, the day in Asia/Shanghai and the calendar."""

    now: datetime
    today: date
    calendar: WorkCalendar

    @classmethod
    def read(cls, now: datetime | None = None) -> Clock:
        """The clock at ``now`` (the current time by default), with the loaded calendar."""
        from .calendar import load_work_calendar, shanghai_today

        now = now or timezone.now()
        return cls(now=now, today=shanghai_today(now), calendar=load_work_calendar())


@dataclass(frozen=True)
class Pause:
    """A suspension for a special procedure (Art. 45): from ``started_on``; ``ended_on`` None
    while it lasts."""

    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Grant:
    """An approved extension (Art. 42) of ``days`` working days, approved on ``approved_on``."""

    days: int
    approved_on: date


def intake_due_on(received_on: date, *, calendar: WorkCalendar) -> date:
    """The last day the window may answer a round received on ``received_on`` (Art. 32)."""
    return add_workdays(received_on, INTAKE_ANSWER_DAYS, calendar=calendar)


def delivery_due_on(decided_on: date, *, calendar: WorkCalendar) -> date:
    """The last day to hand over the result of a decision made on ``decided_on`` (Art. 44)."""
    return add_workdays(decided_on, DELIVERY_DAYS, calendar=calendar)


def joint_due_on(accepted_on: date, joint_limit: int, *, calendar: WorkCalendar) -> date:
    """The joint clock's due date: ``joint_limit`` working days from the joint intake."""
    return add_workdays(accepted_on, joint_limit, calendar=calendar)


def extension_max_days(*, joint: bool) -> int:
    """The longest extension the law allows (Art. 42): 10 working days, 15 for joint cases."""
    return JOINT_EXTENSION_MAX_DAYS if joint else EXTENSION_MAX_DAYS


def paused_workdays(
    pauses: Iterable[Pause], *, since: date | None = None, calendar: WorkCalendar
) -> int:
    """The working days that ended suspensions took out of the clock (Art. 45).

    Each ended suspension counts the working days in (started on, resumed on]. With ``since``,
    only the part after that day counts: a step opened during the case's life is shifted only
    by what was suspended while it was open. A suspension still running counts nothing yet:
    the dates move when the clock resumes.
    """
    total = 0
    for pause in pauses:
        if pause.ended_on is None:
            continue
        start = pause.started_on if since is None else max(pause.started_on, since)
        if pause.ended_on > start:
            total += workdays_between(start, pause.ended_on, calendar=calendar)
    return total


def granted_workdays(grants: Iterable[Grant], *, since: date | None = None) -> int:
    """The working days approved extensions add; with ``since``, those approved on or after it."""
    return sum(g.days for g in grants if since is None or g.approved_on >= since)


@dataclass(frozen=True)
class CaseDueDates:
    due_on: date
    statutory_due_on: date


def case_due_dates(
    *,
    accepted_on: date,
    promised_limit: int,
    statutory_limit: int,
    pauses: Iterable[Pause] = (),
    grants: Iterable[Grant] = (),
    calendar: WorkCalendar,
) -> CaseDueDates:
    """A case's due dates from its acceptance, its limits and its clock rows.

    The promised limit (承诺时限) is what the center enforces; the statutory one (Art. 42) is
    kept beside it. An approved extension adds its days to both; the working days a case spent
    suspended for a special procedure do not count (Art. 45) and push both back.
    """
    pauses, grants = list(pauses), list(grants)
    shift = paused_workdays(pauses, calendar=calendar) + granted_workdays(grants)
    return CaseDueDates(
        due_on=add_workdays(accepted_on, promised_limit + shift, calendar=calendar),
        statutory_due_on=add_workdays(accepted_on, statutory_limit + shift, calendar=calendar),
    )


def step_due_on(
    *,
    opened_on: date,
    limit_days: int,
    pauses: Iterable[Pause] = (),
    grants: Iterable[Grant] = (),
    calendar: WorkCalendar,
) -> date:
    """An open step's due date: its own limit from the day it opened, pushed back by what the
    case was suspended while the step was open and by extensions approved while it was open."""
    shift = paused_workdays(pauses, since=opened_on, calendar=calendar) + granted_workdays(
        grants, since=opened_on
    )
    return add_workdays(opened_on, limit_days + shift, calendar=calendar)


def workdays_left(
    due_on: date | None, *, today: date, suspended_since: date | None, calendar: WorkCalendar
) -> int | None:
    """The working days left until ``due_on``; negative once it has passed.

    While the case is suspended the clock stands still (Art. 45): the days left stay what they
    were on the day of suspension, which is also what remains when it resumes.
    """
    if due_on is None:
        return None
    counted_from = suspended_since if suspended_since is not None else today
    return workdays_between(counted_from, due_on, calendar=calendar)


def due_state(
    due_on: date | None,
    *,
    clock: str,
    suspended_since: date | None,
    today: date,
    calendar: WorkCalendar,
) -> tuple[str, int | None]:
    """How urgent a due date is — ``ok`` / ``soon`` / ``overdue`` / ``suspended``, or ``""``
    for a stopped clock — and the working days left (see :func:`workdays_left`)."""
    if due_on is None or clock == "stopped":
        return "", None
    suspended = suspended_since if clock == "suspended" else None
    left = workdays_left(due_on, today=today, suspended_since=suspended, calendar=calendar)
    if suspended is not None:
        return "suspended", left
    if due_on < today:
        return "overdue", left
    if left is not None and left <= DUE_SOON_WORKDAYS:
        return "soon", left
    return "ok", left


def calendar_known(*days: date | None, calendar: WorkCalendar) -> bool:
    """Whether the dates rest on official schedules: every year they span has one loaded.

    A date measured across a year with no loaded schedule is a Monday–Friday guess that will
    move when the State Council publishes that year's holidays.
    """
    present = [day for day in days if day is not None]
    return calendar.knows(*present)


# The calendar strip shows at most this many days; a longer clock shows its last days.
STRIP_MAX_DAYS = 92


@dataclass(frozen=True)
class StripDay:
    """One day of a clock's calendar strip.

    ``kind`` is ``start`` (the triggering day, not counted: Art. 82), ``counted`` (a working day
    the clock counted or will count, ``ordinal`` its number), ``suspended`` (a working day of a
    special procedure, not counted: Art. 45), ``holiday`` (a statutory holiday on a weekday) or
    ``rest`` (a weekend). ``makeup`` marks a weekend that is a make-up working day (调休).
    """

    day: date
    kind: str
    ordinal: int | None = None
    makeup: bool = False
    is_due: bool = False
    is_today: bool = False


def calendar_strip(
    *,
    start: date,
    due_on: date,
    today: date,
    until: date | None = None,
    pauses: Iterable[Pause] = (),
    calendar: WorkCalendar,
) -> list[StripDay]:
    """Day by day from ``start`` to the later of ``due_on`` and ``today``: which days counted,
    which were holidays, make-up workdays or suspended, and where the due date falls — so that
    anyone can see why a case is due when it is.

    A suspension takes out the working days in (started on, resumed on]; one still running
    takes out the working days after its start up to today (they are counted again only if the
    clock resumes). The ordinal numbers the counted working days from the start. ``until`` ends
    the strip of a clock that stopped (the decision day) instead of today.
    """
    pauses = list(pauses)
    end = max(due_on, until or today)

    def suspended(day: date) -> bool:
        for pause in pauses:
            until = pause.ended_on if pause.ended_on is not None else today
            if pause.started_on < day <= until:
                return True
        return False

    days: list[StripDay] = []
    counted = 0
    day = start
    while day <= end:
        workday = calendar.is_workday(day)
        weekend = day.weekday() >= 5
        if day == start:
            kind = "start"
        elif workday and suspended(day):
            kind = "suspended"
        elif workday:
            kind = "counted"
        elif weekend:
            kind = "rest"
        else:
            kind = "holiday"
        if kind == "counted":
            counted += 1
        days.append(
            StripDay(
                day=day,
                kind=kind,
                ordinal=counted if kind == "counted" else None,
                makeup=workday and weekend,
                is_due=day == due_on,
                is_today=day == today,
            )
        )
        day = date.fromordinal(day.toordinal() + 1)
    return days[-STRIP_MAX_DAYS:]
