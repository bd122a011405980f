"""The calendar strip of a clock (workflow.clock.calendar_strip): which day counted and why."""

from datetime import date

import pytest
import time_machine

from tests.factories.workflow import accepted_case, at, department_staff, item_with_procedure
from workflow.clock import Pause, calendar_strip
from workflow.deadlines import WorkCalendar, add_workdays

# 2026: National Day holiday 1-7 October (Thursday to Wednesday), make-up workday Saturday
# 10 October; 28 September (Monday) and 9 October (Friday) are ordinary working days.
CALENDAR = WorkCalendar(
    {date(2026, 10, day): False for day in (1, 2, 5, 6, 7)} | {date(2026, 10, 10): True},
    known_years=[2026],
)


def kinds(strip):
    return [(d.day.day, d.kind, d.ordinal) for d in strip]


def test_the_strip_explains_a_due_date_across_the_national_day_holiday():
    start = date(2026, 9, 29)  # accepted on Tuesday
    due = add_workdays(start, 5, calendar=CALENDAR)

    strip = calendar_strip(start=start, due_on=due, today=start, calendar=CALENDAR)

    assert due == date(2026, 10, 12)
    assert kinds(strip) == [
        (29, "start", None),  # the day of acceptance does not count (Art. 82)
        (30, "counted", 1),
        (1, "holiday", None),
        (2, "holiday", None),
        (3, "rest", None),
        (4, "rest", None),
        (5, "holiday", None),
        (6, "holiday", None),
        (7, "holiday", None),
        (8, "counted", 2),
        (9, "counted", 3),
        (10, "counted", 4),  # the make-up Saturday (调休) counts
        (11, "rest", None),
        (12, "counted", 5),
    ]
    assert [d.day for d in strip if d.makeup] == [date(2026, 10, 10)]
    assert [d.day for d in strip if d.is_due] == [due]
    assert [d.day for d in strip if d.is_today] == [start]


def test_the_ordinal_of_the_due_day_is_the_limit():
    start = date(2026, 11, 2)
    due = add_workdays(start, 10, calendar=CALENDAR)

    strip = calendar_strip(start=start, due_on=due, today=start, calendar=CALENDAR)

    [due_day] = [d for d in strip if d.is_due]
    assert due_day.day == due and due_day.ordinal == 10
    assert max(d.ordinal or 0 for d in strip) == 10


def test_suspended_working_days_are_not_counted_and_the_due_date_moves_past_them():
    start = date(2026, 11, 2)  # Monday
    pause = Pause(started_on=date(2026, 11, 4), ended_on=date(2026, 11, 6))  # Thu, Fri out
    due = add_workdays(start, 5 + 2, calendar=CALENDAR)

    strip = calendar_strip(
        start=start, due_on=due, today=date(2026, 11, 20), pauses=[pause], calendar=CALENDAR
    )

    by_day = {d.day: d for d in strip}
    assert by_day[date(2026, 11, 5)].kind == "suspended"
    assert by_day[date(2026, 11, 6)].kind == "suspended"
    assert by_day[date(2026, 11, 4)].kind == "counted"  # the day it started still counts
    assert by_day[due].is_due and by_day[due].ordinal == 5
    assert by_day[date(2026, 11, 20)].is_today


def test_a_running_suspension_takes_out_the_days_up_to_today():
    start = date(2026, 11, 2)
    strip = calendar_strip(
        start=start,
        due_on=date(2026, 11, 20),
        today=date(2026, 11, 11),
        pauses=[Pause(started_on=date(2026, 11, 9))],
        calendar=CALENDAR,
    )

    by_day = {d.day: d for d in strip}
    assert by_day[date(2026, 11, 10)].kind == "suspended"
    assert by_day[date(2026, 11, 11)].kind == "suspended"
    assert by_day[date(2026, 11, 12)].kind == "counted"


def test_a_stopped_clock_ends_on_its_decision_day_not_today():
    strip = calendar_strip(
        start=date(2026, 11, 2),
        due_on=date(2026, 11, 10),
        today=date(2026, 12, 20),
        until=date(2026, 11, 9),
        calendar=CALENDAR,
    )

    assert strip[-1].day == date(2026, 11, 10)
    assert not any(d.is_today for d in strip)


@pytest.mark.django_db
def test_the_case_page_shows_day_by_day_why_the_case_is_due_when_it_is(client):
    with time_machine.travel(at(date(2026, 11, 16)), tick=False):
        version = item_with_procedure(materials=(("申请书", False),))
        staff = department_staff(version.department)
        case = accepted_case(version, staff)
        client.force_login(staff.handler)

        response = client.get(f"/staff/cases/{case.pk}/")

    strip = response.context["strip"]
    assert strip[0].day == case.accepted_on and strip[0].kind == "start"
    [due_day] = [d for d in strip if d.is_due]
    assert due_day.day == case.due_on and due_day.ordinal == case.promised_limit
    content = response.content.decode()
    assert 'class="calendar-strip"' in content
    assert f'title="{case.due_on:%Y-%m-%d}"' in content
