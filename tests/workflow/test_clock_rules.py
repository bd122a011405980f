"""The pure date rules of ``workflow/clock.py``: one algorithm for every due date."""

from datetime import date

import pytest

from workflow.clock import (
    DELIVERY_DAYS,
    INTAKE_ANSWER_DAYS,
    Grant,
    Pause,
    calendar_known,
    case_due_dates,
    delivery_due_on,
    due_state,
    extension_max_days,
    intake_due_on,
    joint_due_on,
    step_due_on,
    workdays_left,
)
from workflow.deadlines import WorkCalendar, add_workdays

# 2026: National Day week (1–8 October off, Saturday 10 October a make-up working day).
NATIONAL_DAY = {date(2026, 10, d): False for d in (1, 2, 5, 6, 7, 8)} | {date(2026, 10, 10): True}
CALENDAR = WorkCalendar(NATIONAL_DAY, known_years=[2026])


def test_the_statutory_periods_are_the_laws():
    assert INTAKE_ANSWER_DAYS == 5  # Art. 32
    assert DELIVERY_DAYS == 10  # Art. 44
    assert extension_max_days(joint=False) == 10  # Art. 42
    assert extension_max_days(joint=True) == 15  # Art. 42, joint processing


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        # Received Wednesday 30 September: Thursday 1 to Thursday 8 October are holidays,
        # Friday 9 and Saturday 10 (make-up) count, then Monday 12, 13, 14.
        (lambda d: intake_due_on(d, calendar=CALENDAR), date(2026, 9, 30), date(2026, 10, 14)),
        (lambda d: delivery_due_on(d, calendar=CALENDAR), date(2026, 9, 30), date(2026, 10, 21)),
        (lambda d: joint_due_on(d, 3, calendar=CALENDAR), date(2026, 9, 30), date(2026, 10, 12)),
    ],
)
def test_each_period_is_counted_in_working_days_across_a_holiday(rule, start, due):
    assert rule(start) == due


def test_a_case_due_date_is_derived_from_its_rows_as_moving_it_at_each_event_would():
    accepted = date(2026, 9, 14)
    pauses = [Pause(date(2026, 9, 21), date(2026, 9, 25)), Pause(date(2026, 10, 12), None)]
    grants = [Grant(days=10, approved_on=date(2026, 10, 9))]

    dates = case_due_dates(
        accepted_on=accepted,
        promised_limit=15,
        statutory_limit=20,
        pauses=pauses,
        grants=grants,
        calendar=CALENDAR,
    )

    # By hand: the limit, then the 4 working days of the ended suspension, then the extension;
    # the suspension still running moves nothing until it ends.
    by_hand = add_workdays(add_workdays(accepted, 15, calendar=CALENDAR), 4, calendar=CALENDAR)
    by_hand = add_workdays(by_hand, 10, calendar=CALENDAR)
    assert dates.due_on == by_hand
    assert dates.statutory_due_on == add_workdays(accepted, 20 + 4 + 10, calendar=CALENDAR)


def test_a_step_is_moved_only_by_what_happened_while_it_was_open():
    opened = date(2026, 9, 22)
    pauses = [
        Pause(date(2026, 9, 14), date(2026, 9, 21)),  # ended before the step opened
        Pause(date(2026, 9, 23), date(2026, 9, 25)),  # while open: 2 working days
    ]
    grants = [Grant(days=5, approved_on=date(2026, 9, 18)), Grant(days=3, approved_on=opened)]

    due = step_due_on(
        opened_on=opened, limit_days=2, pauses=pauses, grants=grants, calendar=CALENDAR
    )

    assert due == add_workdays(opened, 2 + 2 + 3, calendar=CALENDAR)


def test_the_working_days_left_stand_still_while_the_case_is_suspended():
    due = date(2026, 10, 14)
    suspended_on = date(2026, 9, 28)
    on_suspension_day = workdays_left(
        due, today=suspended_on, suspended_since=suspended_on, calendar=CALENDAR
    )

    for later in (date(2026, 10, 9), date(2026, 10, 20), date(2026, 11, 30)):
        assert (
            workdays_left(due, today=later, suspended_since=suspended_on, calendar=CALENDAR)
            == on_suspension_day
        )
        state, left = due_state(
            due, clock="suspended", suspended_since=suspended_on, today=later, calendar=CALENDAR
        )
        # Not overdue, however long the special procedure lasts (Art. 45).
        assert (state, left) == ("suspended", on_suspension_day)
    assert on_suspension_day == 7


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (date(2026, 9, 28), "ok", 7),
        (date(2026, 10, 12), "soon", 2),
        (date(2026, 10, 14), "soon", 0),
        (date(2026, 10, 15), "overdue", -1),
    ],
)
def test_a_running_clock_counts_down_to_overdue(today, state, left):
    assert due_state(
        date(2026, 10, 14), clock="running", suspended_since=None, today=today, calendar=CALENDAR
    ) == (state, left)


def test_a_stopped_clock_has_no_urgency():
    assert due_state(
        date(2026, 10, 14),
        clock="stopped",
        suspended_since=None,
        today=date(2027, 1, 1),
        calendar=CALENDAR,
    ) == ("", None)


def test_dates_in_a_year_without_a_schedule_are_not_known():
    assert calendar_known(date(2026, 12, 1), date(2026, 12, 29), calendar=CALENDAR)
    assert not calendar_known(date(2026, 12, 1), date(2027, 1, 5), calendar=CALENDAR)
    assert calendar_known(None, date(2026, 3, 2), calendar=CALENDAR)
