"""The demo's applicants and its clock: generated the same way every time, valid, and never
dated after the load."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workflow.deadlines import WorkCalendar
from workflow.demo.applicants import (
    ONLINE_PEOPLE,
    PEOPLE,
    demo_applicants,
    organisation_code,
    resident_id,
)
from workflow.demo.timeline import DemoClock, play
from workflow.identifiers import validate_credit_code, validate_resident_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 3)


def test_the_same_day_gives_the_same_applicants():
    assert demo_applicants(TODAY) == demo_applicants(TODAY)


def test_applicants_have_valid_unique_numbers_and_plausible_ages():
    applicants = demo_applicants(TODAY)

    assert len(applicants.people) == PEOPLE
    assert len(applicants.online) == ONLINE_PEOPLE
    assert len({p.name for p in applicants.people}) == PEOPLE
    assert len({p.id_number for p in applicants.people}) == PEOPLE
    assert len({p.phone for p in applicants.people}) == PEOPLE
    for person in applicants.people:
        validate_resident_id(person.id_number)
        born = date(int(person.id_number[6:10]), 1, 1)
        assert 18 <= TODAY.year - born.year <= 75
    assert len({c.credit_code for c in applicants.companies}) == len(applicants.companies)
    for company in applicants.companies:
        validate_credit_code(company.credit_code)
        assert company.name.endswith("公司")
        assert company.agent in applicants.online


def test_the_sex_digit_and_the_organisation_code_follow_the_standards():
    man = resident_id("330102", date(1980, 5, 17), 12, male=True)
    woman = resident_id("330102", date(1980, 5, 17), 12, male=False)

    assert int(man[16]) % 2 == 1 and int(woman[16]) % 2 == 0
    # GB 11714's own example: 12345678 has the check digit 8 (sum 3+14+27+40+25+48+28+16).
    assert organisation_code("12345678") == "123456788"


@pytest.mark.parametrize(
    ("load_at", "latest"),
    [
        # Loaded before the office opens: today's 08:00–22:00 fits in before 07:00.
        (datetime(2026, 6, 3, 7, 0, tzinfo=SHANGHAI), datetime(2026, 6, 3, 7, 0, tzinfo=SHANGHAI)),
        # Loaded at noon: the morning is kept in order between 08:00 and noon.
        (
            datetime(2026, 6, 3, 12, 0, tzinfo=SHANGHAI),
            datetime(2026, 6, 3, 12, 0, tzinfo=SHANGHAI),
        ),
        # Loaded late at night: the day is as scheduled.
        (
            datetime(2026, 6, 3, 23, 0, tzinfo=SHANGHAI),
            datetime(2026, 6, 3, 22, 0, tzinfo=SHANGHAI),
        ),
    ],
)
def test_moments_of_the_load_day_are_before_the_load_and_in_order(load_at, latest):
    clock = DemoClock(load_at, WorkCalendar.weekdays_only())
    today = [clock.moment(clock.day(0), timedelta(minutes=m)) for m in range(0, 14 * 60, 7)]

    assert today == sorted(today)
    assert len(set(today)) == len(today)
    assert all(moment < latest for moment in today)
    yesterday = clock.moment(clock.day(1), timedelta(hours=13))
    assert yesterday == datetime(2026, 6, 2, 21, 0, tzinfo=SHANGHAI)


def test_days_back_skip_weekends():
    clock = DemoClock(datetime(2026, 6, 1, 12, 0, tzinfo=SHANGHAI), WorkCalendar.weekdays_only())

    # Monday 1 June 2026: one working day back is Friday 29 May.
    assert clock.day(1) == date(2026, 5, 29)
    assert clock.day(6) == date(2026, 5, 22)


def test_scripts_are_played_in_the_order_of_their_moments():
    done = []
    base = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)

    def script(name, offsets):
        for minutes in offsets:
            yield base + timedelta(minutes=minutes)
            done.append((name, minutes))

    play([script("a", [0, 30, 31]), script("b", [10, 30]), script("c", [])])

    assert done == [("a", 0), ("b", 10), ("a", 30), ("b", 30), ("a", 31)]
