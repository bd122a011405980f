import random
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from workflow.deadlines import (
    MAX_WORKDAYS,
    SPAN_END,
    SPAN_START,
    CalendarRangeError,
    WorkCalendar,
    add_workdays,
    is_workday,
    workdays_between,
)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _off(*ranges: tuple[date, date]) -> dict[date, bool]:
    """Holidays of a State Council notice that fall Monday to Friday."""
    return {d: False for first, last in ranges for d in _days(first, last) if d.weekday() < 5}


# The State Council notices on the 2025 and 2026 holidays, written out by hand; the first test
# checks them against the chinese_calendar package day by day.
NOTICES_2025_2026: dict[date, bool] = {
    # 2025
    **_off((date(2025, 1, 1), date(2025, 1, 1))),  # 元旦
    **_off((date(2025, 1, 28), date(2025, 2, 4))),  # 春节
    date(2025, 1, 26): True,  # 春节 make-up, Sunday
    date(2025, 2, 8): True,  # 春节 make-up, Saturday
    **_off((date(2025, 4, 4), date(2025, 4, 6))),  # 清明
    **_off((date(2025, 5, 1), date(2025, 5, 5))),  # 劳动节
    date(2025, 4, 27): True,  # 劳动节 make-up, Sunday
    **_off((date(2025, 5, 31), date(2025, 6, 2))),  # 端午
    **_off((date(2025, 10, 1), date(2025, 10, 8))),  # 国庆节 and 中秋
    date(2025, 9, 28): True,  # 国庆节 make-up, Sunday
    date(2025, 10, 11): True,  # 国庆节 make-up, Saturday
    # 2026
    **_off((date(2026, 1, 1), date(2026, 1, 3))),  # 元旦
    date(2026, 1, 4): True,  # 元旦 make-up, Sunday
    **_off((date(2026, 2, 15), date(2026, 2, 23))),  # 春节
    date(2026, 2, 14): True,  # 春节 make-up, Saturday
    date(2026, 2, 28): True,  # 春节 make-up, Saturday
    **_off((date(2026, 4, 4), date(2026, 4, 6))),  # 清明
    **_off((date(2026, 5, 1), date(2026, 5, 5))),  # 劳动节
    date(2026, 5, 9): True,  # 劳动节 make-up, Saturday
    **_off((date(2026, 6, 19), date(2026, 6, 21))),  # 端午
    **_off((date(2026, 9, 25), date(2026, 9, 27))),  # 中秋
    **_off((date(2026, 10, 1), date(2026, 10, 7))),  # 国庆节
    date(2026, 9, 20): True,  # 国庆节 make-up, Sunday
    date(2026, 10, 10): True,  # 国庆节 make-up, Saturday
}

CAL = WorkCalendar(NOTICES_2025_2026, known_years={2025, 2026})


def naive_add_workdays(start: date, n: int, calendar: WorkCalendar) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def naive_workdays_between(start: date, end: date, calendar: WorkCalendar) -> int:
    if end < start:
        return -naive_workdays_between(end, start, calendar)
    return sum(calendar.is_workday(d) for d in _days(start + timedelta(days=1), end))


def test_notices_agree_with_chinese_calendar_for_every_day_of_2025_and_2026():
    disagreements = [
        d
        for d in _days(date(2025, 1, 1), date(2026, 12, 31))
        if is_workday(d, calendar=CAL) != chinese_calendar.is_workday(d)
    ]
    assert disagreements == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 26), True),  # 春节 2025: make-up Sunday
        (date(2025, 1, 29), False),  # 春节 2025: 初一, a Wednesday
        (date(2026, 2, 14), True),  # 春节 2026: make-up Saturday
        (date(2026, 10, 6), False),  # 国庆节 2026: a Tuesday
        (date(2026, 10, 3), False),  # 国庆节 2026 on a Saturday: still a rest day
        (date(2026, 3, 4), True),  # an ordinary Wednesday
        (date(2031, 10, 1), True),  # 2031 not loaded: National Day computed as a Wednesday
    ],
)
def test_is_workday_follows_the_notices(day, expected):
    assert is_workday(day, calendar=CAL) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 春节 2025 (Jan 28 – Feb 4 off, make-up Sun Jan 26 and Sat Feb 8)
        (date(2025, 1, 24), 1, date(2025, 1, 26)),  # Friday → the make-up Sunday
        (date(2025, 1, 25), 1, date(2025, 1, 26)),  # ordinary Saturday → make-up Sunday
        (date(2025, 1, 26), 1, date(2025, 1, 27)),  # start on the make-up Sunday
        (date(2025, 1, 27), 1, date(2025, 2, 5)),  # last day before the festival
        (date(2025, 1, 27), 5, date(2025, 2, 10)),  # Feb 5, 6, 7, make-up Sat 8, Mon 10
        (date(2025, 1, 29), 1, date(2025, 2, 5)),  # start on 初一, a holiday
        (date(2025, 1, 27), 20, date(2025, 3, 3)),  # a 20-day statutory limit over the festival
        # 国庆节 2025 (Oct 1 – 8 off with 中秋 on Oct 6, make-up Sun Sep 28 and Sat Oct 11)
        (date(2025, 9, 26), 1, date(2025, 9, 28)),  # Friday → the make-up Sunday
        (date(2025, 9, 30), 1, date(2025, 10, 9)),  # eve of the holiday
        (date(2025, 9, 30), 5, date(2025, 10, 14)),  # Oct 9, 10, make-up Sat 11, 13, 14
        (date(2025, 10, 1), 3, date(2025, 10, 11)),  # start on National Day → make-up Saturday
        (date(2025, 10, 11), 1, date(2025, 10, 13)),  # start on the make-up Saturday
        # 春节 2026 (Feb 15 – 23 off, make-up Sat Feb 14 and Sat Feb 28)
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Friday → the make-up Saturday
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # start on the make-up Saturday
        (date(2026, 2, 14), 5, date(2026, 2, 28)),  # Feb 24 – 27 and the make-up Saturday
        (date(2026, 2, 18), 6, date(2026, 3, 2)),  # start on 初二, a holiday
        # 中秋 and 国庆节 2026 (Sep 25 – 27, Oct 1 – 7 off, make-up Sun Sep 20 and Sat Oct 10)
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Friday → the make-up Sunday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # 中秋 Friday skipped
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # eve of National Day
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # Oct 8, 9 and the make-up Saturday
        (date(2026, 9, 30), 20, date(2026, 11, 3)),  # a 20-day statutory limit over the holiday
        # 元旦: year ends
        (date(2025, 1, 1), 1, date(2025, 1, 2)),  # start on New Year's Day 2025
        (date(2025, 12, 31), 1, date(2026, 1, 4)),  # 元旦 2026: Jan 1 – 3 off, make-up Sun 4
        (date(2025, 12, 31), 2, date(2026, 1, 5)),
        (date(2026, 12, 31), 1, date(2027, 1, 1)),  # 2027 not loaded: Jan 1 is just a Friday
        # n = 0: an immediate item is due the day it is received, even on a holiday
        (date(2025, 10, 1), 0, date(2025, 10, 1)),  # 国庆节
        (date(2026, 2, 14), 0, date(2026, 2, 14)),  # 春节 make-up Saturday
        (date(2026, 3, 4), 0, date(2026, 3, 4)),  # an ordinary Wednesday
        # 2031 not loaded: Monday to Friday
        (date(2031, 1, 3), 1, date(2031, 1, 6)),  # Friday → Monday
        (date(2030, 12, 31), 1, date(2031, 1, 1)),  # New Year's Day 2031 unknown, so a workday
    ],
)
def test_add_workdays_counts_from_the_day_after_start(start, n, expected):
    assert add_workdays(start, n, calendar=CAL) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 9, 30), date(2025, 10, 14), 5),  # 国庆节 2025 with its make-up Saturday
        (date(2025, 10, 14), date(2025, 9, 30), -5),  # reversed: negative
        (date(2025, 9, 30), date(2025, 10, 8), 0),  # only holidays in between
        (date(2025, 9, 30), date(2025, 10, 1), 0),  # end on a holiday
        (date(2025, 1, 24), date(2025, 1, 26), 1),  # 春节 2025 make-up Sunday counted as end
        (date(2025, 1, 26), date(2025, 1, 27), 1),  # make-up Sunday as start: not counted
        (date(2026, 3, 4), date(2026, 3, 4), 0),  # same day
        (date(2026, 3, 2), date(2026, 3, 6), 4),  # Monday to Friday: (start, end] = 4
        (date(2025, 12, 31), date(2026, 1, 5), 2),  # 元旦 2026 and its make-up Sunday
        (date(2026, 2, 13), date(2026, 2, 28), 6),  # 春节 2026 with both make-up Saturdays
        (date(2026, 2, 24), date(2026, 2, 14), -1),  # due on the make-up Saturday, 1 day late
    ],
)
def test_workdays_between_counts_start_exclusive_end_inclusive(start, end, expected):
    assert workdays_between(start, end, calendar=CAL) == expected


def test_working_days_left_go_negative_once_a_case_is_overdue():
    due = add_workdays(date(2026, 9, 30), 3, calendar=CAL)  # 2026-10-10, make-up Saturday
    assert workdays_between(date(2026, 10, 9), due, calendar=CAL) == 1
    assert workdays_between(due, due, calendar=CAL) == 0
    assert workdays_between(date(2026, 10, 13), due, calendar=CAL) == -2


@pytest.mark.parametrize(
    ("days", "known"),
    [
        ((date(2025, 3, 1),), True),
        ((date(2025, 1, 1), date(2026, 12, 31)), True),
        ((date(2031, 1, 3), date(2031, 1, 6)), False),  # 2031 not loaded
        ((date(2026, 12, 31), date(2027, 1, 1)), False),  # from a known into an unknown year
        ((date(2024, 12, 31), date(2025, 1, 2)), False),  # from an unknown into a known year
    ],
)
def test_knows_flags_ranges_touching_a_year_without_a_schedule(days, known):
    assert CAL.knows(*days) is known


def test_knows_flags_a_gap_year_inside_the_range():
    calendar = WorkCalendar({}, known_years={2025, 2027})
    assert calendar.knows(date(2025, 6, 1), date(2027, 6, 1)) is False


def test_a_calendar_without_schedules_is_monday_to_friday_and_knows_nothing():
    calendar = WorkCalendar.weekdays_only()
    assert add_workdays(date(2025, 9, 30), 5, calendar=calendar) == date(2025, 10, 7)
    assert calendar.knows(date(2025, 9, 30)) is False


@pytest.mark.parametrize(
    "n",
    [-1, MAX_WORKDAYS + 1, 10**9, True, False, 1.0, "3", None],
)
def test_add_workdays_rejects_a_count_that_is_not_a_sane_integer(n):
    with pytest.raises(CalendarRangeError, match="number of working days"):
        add_workdays(date(2026, 3, 4), n, calendar=CAL)


def test_add_workdays_accepts_the_largest_allowed_count():
    assert add_workdays(date(2026, 3, 4), MAX_WORKDAYS, calendar=CAL) > date(2029, 1, 1)


@pytest.mark.parametrize(
    "day",
    [SPAN_START - timedelta(days=1), SPAN_END + timedelta(days=1), date(1, 1, 1)],
)
def test_dates_outside_the_supported_span_are_rejected(day):
    with pytest.raises(CalendarRangeError, match="outside the supported range"):
        add_workdays(day, 1, calendar=CAL)
    with pytest.raises(CalendarRangeError, match="outside the supported range"):
        workdays_between(date(2026, 3, 4), day, calendar=CAL)
    with pytest.raises(CalendarRangeError, match="outside the supported range"):
        is_workday(day, calendar=CAL)


def test_a_result_past_the_span_is_rejected_with_the_last_supported_day():
    with pytest.raises(CalendarRangeError, match="2100-12-31"):
        add_workdays(SPAN_END - timedelta(days=3), 10, calendar=CAL)


def test_a_datetime_is_rejected_because_its_day_depends_on_the_time_zone():
    with pytest.raises(CalendarRangeError, match="must be a date, not datetime"):
        add_workdays(datetime(2026, 3, 4, 23, 30), 1, calendar=CAL)


def test_an_override_outside_the_span_is_rejected():
    with pytest.raises(CalendarRangeError):
        WorkCalendar({date(1989, 10, 2): False})


def test_the_calendar_agrees_with_a_naive_day_by_day_loop_on_random_inputs():
    rng = random.Random(20260214)
    first, last = date(2024, 6, 1).toordinal(), date(2032, 6, 1).toordinal()
    for _ in range(3000):
        start = date.fromordinal(rng.randint(first, last))
        n = rng.randint(0, 60)
        expected = naive_add_workdays(start, n, CAL)
        assert add_workdays(start, n, calendar=CAL) == expected, (start, n)
        end = date.fromordinal(rng.randint(first, last))
        assert workdays_between(start, end, calendar=CAL) == naive_workdays_between(
            start, end, CAL
        ), (start, end)
        # Adding the days counted up to a working day lands on that day.
        if n > 0:
            assert (
                add_workdays(start, workdays_between(start, expected, calendar=CAL), calendar=CAL)
                == expected
            )
