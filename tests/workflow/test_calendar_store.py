import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.test import RequestFactory

from catalog.models import Role
from tests.factories import staff_user
from tests.factories.calendar import CalendarDayFactory, CalendarYearFactory
from tests.factories.catalog import PASSWORD
from workflow import calendar as calendar_store
from workflow.calendar import (
    RECHECK_SECONDS,
    VERSION_KEY,
    calendar_changed,
    clear_work_calendar_cache,
    load_work_calendar,
    missing_schedule_warning,
    shanghai_today,
)
from workflow.clock import Clock
from workflow.context_processors import calendar_warning
from workflow.deadlines import add_workdays

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rows rolled back between tests can repeat an earlier signature; start each test clean.
    clear_work_calendar_cache()
    yield
    clear_work_calendar_cache()


def test_the_calendar_follows_the_stored_holidays_and_knows_the_stored_years():
    CalendarDayFactory(date=date(2026, 10, 1), name="国庆节")
    CalendarDayFactory(date=date(2026, 10, 10), is_workday=True, name="国庆节")
    calendar = load_work_calendar()
    assert add_workdays(date(2026, 9, 30), 1, calendar=calendar) == date(2026, 10, 2)
    assert calendar.is_workday(date(2026, 10, 10)) is True
    assert calendar.knows(date(2026, 10, 1)) is True
    assert calendar.knows(date(2027, 1, 4)) is False


def test_a_second_read_costs_no_query(django_assert_num_queries):
    CalendarDayFactory(date=date(2026, 10, 1))
    first = load_work_calendar()
    with django_assert_num_queries(0):
        again = load_work_calendar()
    assert again is first


def test_a_clock_read_on_a_warm_cache_costs_no_query(django_assert_num_queries):
    CalendarDayFactory(date=date(2026, 10, 1))
    load_work_calendar()
    with django_assert_num_queries(0):
        clock = Clock.read()
    assert clock.calendar.is_workday(date(2026, 10, 1)) is False


def test_a_reported_change_is_seen_by_the_next_read():
    year = CalendarYearFactory(year=2026)
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is True
    CalendarDayFactory(year=year, date=date(2026, 10, 1), name="国庆节")
    calendar_changed(days=[date(2026, 10, 1)], reason="test")
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is False


def test_a_change_reported_by_another_process_is_seen_through_the_shared_cache():
    year = CalendarYearFactory(year=2026)
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is True
    CalendarDayFactory(year=year, date=date(2026, 10, 1), name="国庆节")
    # What calendar_changed() in another process leaves in Redis.
    cache.set(VERSION_KEY, "another process", timeout=None)
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is False


def test_a_new_version_with_unchanged_rows_keeps_the_calendar_at_one_query(
    django_assert_num_queries,
):
    CalendarDayFactory(date=date(2026, 10, 1))
    first = load_work_calendar()
    cache.set(VERSION_KEY, "another process", timeout=None)
    with django_assert_num_queries(1):
        again = load_work_calendar()
    assert again is first


def _later(monkeypatch, seconds):
    now = time.monotonic() + seconds
    monkeypatch.setattr(calendar_store, "_monotonic", lambda: now)


def test_an_unreported_write_is_seen_once_the_recheck_interval_has_passed(monkeypatch):
    year = CalendarYearFactory(year=2026)
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is True
    CalendarDayFactory(year=year, date=date(2026, 10, 1), name="国庆节")
    # A shell session or a bulk write that did not report itself.
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is True
    _later(monkeypatch, RECHECK_SECONDS + 1)
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is False


def test_an_unreported_delete_is_seen_once_the_recheck_interval_has_passed(monkeypatch):
    day = CalendarDayFactory(date=date(2026, 10, 1))
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is False
    day.delete()
    _later(monkeypatch, RECHECK_SECONDS + 1)
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is True


def test_an_unreported_edit_is_seen_once_the_recheck_interval_has_passed(monkeypatch):
    day = CalendarDayFactory(date=date(2026, 10, 1))
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is False
    with time_machine.travel(datetime(2030, 1, 1, tzinfo=SHANGHAI)):
        day.date = date(2026, 10, 2)
        day.save()
    _later(monkeypatch, RECHECK_SECONDS + 1)
    calendar = load_work_calendar()
    assert calendar.is_workday(date(2026, 10, 1)) is True
    assert calendar.is_workday(date(2026, 10, 2)) is False


def test_the_recheck_costs_one_query_when_nothing_changed(monkeypatch, django_assert_num_queries):
    CalendarDayFactory(date=date(2026, 10, 1))
    first = load_work_calendar()
    _later(monkeypatch, RECHECK_SECONDS + 1)
    with django_assert_num_queries(1):
        assert load_work_calendar() is first
    with django_assert_num_queries(0):
        assert load_work_calendar() is first


def test_a_cache_outage_falls_back_to_the_signature_query(monkeypatch, django_assert_num_queries):
    CalendarDayFactory(date=date(2026, 10, 1))
    first = load_work_calendar()

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(calendar_store.cache, "get", down)
    with django_assert_num_queries(1):
        assert load_work_calendar() is first


def test_an_administrators_edit_of_a_day_is_seen_by_the_next_read(
    client, django_capture_on_commit_callbacks
):
    day = CalendarDayFactory(date=date(2026, 10, 1))
    assert load_work_calendar().is_workday(date(2026, 10, 1)) is False
    user = staff_user(Role.CATALOG_ADMINISTRATOR)
    client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/workflow/calendarday/{day.pk}/change/",
            {"date": "2026-10-02", "is_workday": "", "name": "国庆节", "year": day.year_id},
        )
    assert response.status_code == 302
    calendar = load_work_calendar()
    assert calendar.is_workday(date(2026, 10, 1)) is True
    assert calendar.is_workday(date(2026, 10, 2)) is False


def test_an_administrators_new_year_is_known_to_the_next_read(client):
    assert load_work_calendar().knows(date(2027, 3, 1)) is False
    user = staff_user(Role.CATALOG_ADMINISTRATOR)
    client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    response = client.post(
        "/admin/workflow/calendaryear/add/",
        {
            "year": "2027",
            "source": "国务院办公厅通知",
            "days-TOTAL_FORMS": "0",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    assert load_work_calendar().knows(date(2027, 3, 1)) is True


# missing_schedule_warning


def test_a_warning_names_next_year_when_it_starts_within_60_days_and_is_not_loaded():
    CalendarYearFactory(year=2026)
    message = missing_schedule_warning(date(2026, 11, 22))
    assert message is not None
    assert "2027" in message
    assert "40 days" in message


def test_no_warning_when_next_year_is_more_than_60_days_away():
    CalendarYearFactory(year=2026)
    assert missing_schedule_warning(date(2026, 10, 1)) is None


@pytest.mark.parametrize(
    ("today", "warns"),
    [
        (date(2026, 11, 1), False),  # 61 days before 1 January
        (date(2026, 11, 2), True),  # 60 days before
        (date(2026, 12, 31), True),  # the last day
    ],
)
def test_the_warning_starts_60_days_before_the_new_year(today, warns):
    CalendarYearFactory(year=2026)
    assert (missing_schedule_warning(today) is not None) is warns


def test_no_warning_once_next_year_is_loaded():
    CalendarYearFactory(year=2026)
    CalendarYearFactory(year=2027)
    assert missing_schedule_warning(date(2026, 11, 22)) is None


def test_a_warning_names_the_current_year_when_it_is_not_loaded():
    CalendarYearFactory(year=2025)
    message = missing_schedule_warning(date(2026, 3, 4))
    assert message is not None
    assert "2026" in message
    assert "2027" not in message


def test_today_is_the_date_in_shanghai_not_in_utc():
    # 17:30 UTC on 1 November is already 01:30 on 2 November in Shanghai.
    assert shanghai_today(datetime(2026, 11, 1, 17, 30, tzinfo=ZoneInfo("UTC"))) == date(
        2026, 11, 2
    )


# The banner (workflow.context_processors.calendar_warning, shown by base.html)


@time_machine.travel(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
def test_staff_see_the_missing_year_banner_on_the_workbench(client):
    CalendarYearFactory(year=2026)
    user = staff_user(Role.WINDOW_CLERK)
    client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert response.context["calendar_warning"]
    content = response.content.decode()
    assert 'class="alert alert-warning no-print" role="alert"' in content
    assert "The official holiday schedule for 2027 is not loaded" in content


@time_machine.travel(datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI))
def test_staff_see_no_banner_when_the_schedule_is_complete(client):
    CalendarYearFactory(year=2026)
    user = staff_user(Role.WINDOW_CLERK)
    client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()


@time_machine.travel(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
def test_anonymous_visitors_never_see_the_banner(client):
    CalendarYearFactory(year=2026)
    response = client.get("/staff/login/")
    assert response.status_code == 200
    assert "holiday schedule" not in response.content.decode()


def test_the_banner_costs_anonymous_visitors_no_query(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert calendar_warning(request) == {}


@time_machine.travel(datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI))
def test_the_banner_costs_staff_at_most_two_queries(django_assert_max_num_queries):
    CalendarYearFactory(year=2026)
    request = RequestFactory().get("/")
    request.user = staff_user(Role.HANDLER)
    with django_assert_max_num_queries(2):
        context = calendar_warning(request)
    assert "2027" in context["calendar_warning"]
