"""Working-day arithmetic: dates in, dates out.

Periods in the Administrative Licensing Law are counted in working days (Art. 82): weekends and
statutory holidays are left out, make-up working days (调休) on a weekend count, and the day of
the event that starts a period is not counted. Nothing here touches the database or the clock;
the caller passes a :class:`WorkCalendar` built once from the loaded holiday schedules.

A ``WorkCalendar`` precomputes, over a fixed span of dates, whether each day is a working day,
how many working days there are up to and including it, and the list of all working days. Adding
working days or counting them is then an index lookup instead of a walk through the days, which
matters when a scan recomputes the deadlines of a million open cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate

# The span the calendar covers. Wide enough for any case file the center will hold, small
# enough that the precomputed tables stay around 40,000 entries.
SPAN_START = date(1990, 1, 1)
SPAN_END = date(2100, 12, 31)

# No period in the law or the catalog comes near this; a larger count is a data-entry error.
MAX_WORKDAYS = 1000

_ORIGIN = SPAN_START.toordinal()
_SIZE = SPAN_END.toordinal() - _ORIGIN + 1


class CalendarRangeError(ValueError):
    """Input the calendar cannot compute: a bad count, a datetime, or a date outside the span."""


def _check_day(day: object, what: str) -> None:
    # A datetime is a date subclass, but which calendar day it falls on depends on the time
    # zone; callers must convert to an Asia/Shanghai date first.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise CalendarRangeError(f"{what} must be a date, not {type(day).__name__}.")
    if not SPAN_START <= day <= SPAN_END:
        raise CalendarRangeError(
            f"{what} {day.isoformat()} is outside the supported range "
            f"{SPAN_START.isoformat()} to {SPAN_END.isoformat()}."
        )


def _check_count(n: object) -> None:
    # bool is an int subclass; add_workdays(d, True) is a bug, not one working day.
    if isinstance(n, bool) or not isinstance(n, int):
        raise CalendarRangeError(
            f"The number of working days must be an integer, not {type(n).__name__}."
        )
    if n < 0:
        raise CalendarRangeError(f"The number of working days cannot be negative (got {n}).")
    if n > MAX_WORKDAYS:
        raise CalendarRangeError(
            f"The number of working days cannot exceed {MAX_WORKDAYS} (got {n})."
        )


class WorkCalendar:
    """Which days are working days, precomputed from the official schedules.

    ``overrides`` maps a date to ``True`` (a make-up working day on a weekend) or ``False`` (a
    holiday on a weekday); every other day is a working day from Monday to Friday.
    ``known_years`` are the years whose official schedule was loaded; in other years the
    Monday–Friday rule is only a guess, which :meth:`knows` reports.
    """

    __slots__ = ("known_years", "_is_work", "_rank", "_workday_dates", "_workday_count")

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, known_years: Iterable[int] = ()
    ) -> None:
        known = frozenset(known_years)
        for year in known:
            if isinstance(year, bool) or not isinstance(year, int):
                raise CalendarRangeError(f"A known year must be an integer, not {year!r}.")
            if not SPAN_START.year <= year <= SPAN_END.year:
                raise CalendarRangeError(
                    f"The year {year} is outside the supported range "
                    f"{SPAN_START.year} to {SPAN_END.year}."
                )
        # Ordinal 1 (0001-01-01) is a Monday, so (ordinal - 1) % 7 is date.weekday().
        is_work = bytearray(1 if (_ORIGIN + i - 1) % 7 < 5 else 0 for i in range(_SIZE))
        for day, workday in (overrides or {}).items():
            _check_day(day, "A calendar override")
            is_work[day.toordinal() - _ORIGIN] = 1 if workday else 0
        self.known_years: frozenset[int] = known
        self._is_work = bytes(is_work)
        # _rank[i]: working days from the start of the span up to and including day i.
        self._rank: list[int] = list(accumulate(is_work))
        # _workday_dates[k]: the (k+1)-th working day of the span.
        self._workday_dates: list[date] = [
            date.fromordinal(_ORIGIN + i) for i, w in enumerate(is_work) if w
        ]
        self._workday_count = len(self._workday_dates)

    @classmethod
    def weekdays_only(cls) -> WorkCalendar:
        """A calendar with no schedule loaded: Monday to Friday, every year unknown."""
        return cls()

    def __repr__(self) -> str:
        years = sorted(self.known_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<WorkCalendar known years: {span}>"

    def knows(self, *days: date) -> bool:
        """True when every year from the earliest to the latest of ``days`` has its schedule loaded.

        A deadline computed across an unknown year may move once the State Council publishes
        that year's holidays, so pages show it as provisional.
        """
        if not days:
            return True
        for day in days:
            _check_day(day, "A date")
        first = min(day.year for day in days)
        last = max(day.year for day in days)
        return all(year in self.known_years for year in range(first, last + 1))

    def is_workday(self, day: date) -> bool:
        """See :func:`is_workday`."""
        _check_day(day, "The date")
        return bool(self._is_work[day.toordinal() - _ORIGIN])

    # add_workdays and workdays_between run a million times in a scan, so the common case
    # (an exact date and int in range) is checked with one cheap test each and answered from
    # the tables; anything else takes the slow path, whose checks give the precise message.

    def add_workdays(self, start: date, n: int) -> date:
        """See :func:`add_workdays`."""
        if type(start) is date and type(n) is int and 0 < n <= MAX_WORKDAYS:
            index = start.toordinal() - _ORIGIN
            if 0 <= index < _SIZE:
                position = self._rank[index] + n - 1
                if position < self._workday_count:
                    return self._workday_dates[position]
        return self._add_workdays_checked(start, n)

    def _add_workdays_checked(self, start: date, n: int) -> date:
        _check_day(start, "The start date")
        _check_count(n)
        if n == 0:
            return start
        position = self._rank[start.toordinal() - _ORIGIN] + n - 1
        if position >= self._workday_count:
            raise CalendarRangeError(
                f"{n} working days after {start.isoformat()} falls after the supported range, "
                f"which ends on {SPAN_END.isoformat()}."
            )
        return self._workday_dates[position]

    def workdays_between(self, start: date, end: date) -> int:
        """See :func:`workdays_between`."""
        if type(start) is date and type(end) is date:
            first, last = start.toordinal() - _ORIGIN, end.toordinal() - _ORIGIN
            if 0 <= first < _SIZE and 0 <= last < _SIZE:
                rank = self._rank
                return rank[last] - rank[first]
        _check_day(start, "The start date")
        _check_day(end, "The end date")
        return self._rank[end.toordinal() - _ORIGIN] - self._rank[start.toordinal() - _ORIGIN]


def is_workday(day: date, *, calendar: WorkCalendar) -> bool:
    """Whether ``day`` is a working day (Art. 82: weekends and statutory holidays are not).

    Make-up working days (调休) on a weekend are working days; holidays on a weekday are not.
    Raises :class:`CalendarRangeError` for a datetime or a date outside the supported span.
    """
    return calendar.is_workday(day)


def add_workdays(start: date, n: int, *, calendar: WorkCalendar) -> date:
    """The ``n``-th working day after ``start``: the due date of a period of ``n`` working days.

    Art. 82 of the Administrative Licensing Law counts periods in working days and does not
    count the day of the event that starts them, so ``start`` itself is never counted: a
    5-day period starting on a Monday with no holidays ends on the following Monday. A start
    on a weekend or holiday works the same way (the first working day after it is day 1).
    ``n = 0`` returns ``start``: an immediate item (即办件) is due the day it is received.

    Raises :class:`CalendarRangeError` when ``n`` is not an integer from 0 to
    :data:`MAX_WORKDAYS`, or when ``start`` or the result falls outside the supported span.
    """
    return calendar.add_workdays(start, n)


def workdays_between(start: date, end: date, *, calendar: WorkCalendar) -> int:
    """The number of working days in (``start``, ``end``]: the days used of a period.

    As in Art. 82, the starting day is not counted and ``end`` is: from a Monday to the
    Friday of the same ordinary week is 4. When ``end`` is before ``start`` the result is the
    negative of ``workdays_between(end, start)``, so a case's working days left go negative
    once it is overdue. ``add_workdays(s, workdays_between(s, e))`` is ``e`` whenever ``e``
    is a working day after ``s``.

    Raises :class:`CalendarRangeError` for a datetime or a date outside the supported span.
    """
    return calendar.workdays_between(start, end)


@dataclass(frozen=True)
class CaseDueDates:
    due_on: date
    statutory_due_on: date


def case_due_dates(
    *,
    accepted_on: date,
    promised_limit: int,
    statutory_limit: int,
    extension_days: int,
    suspended_workdays: int,
    calendar: WorkCalendar,
) -> CaseDueDates:
    """A case's due dates from its acceptance, its limits and its clock rows.

    The promised limit (承诺时限) is what the center enforces; the statutory one (Art. 42) is
    kept beside it. An approved extension adds its days to both; the working days a case
    spent suspended for a special procedure do not count (Art. 45) and push both back.
    Working-day addition composes (adding a then b is adding a + b), so this gives the
    same dates as moving the stored ones at each resume and extension; a test holds the
    services to that.
    """
    shift = extension_days + suspended_workdays
    return CaseDueDates(
        due_on=add_workdays(accepted_on, promised_limit + shift, calendar=calendar),
        statutory_due_on=add_workdays(accepted_on, statutory_limit + shift, calendar=calendar),
    )
