from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from catalog.models import Role
from tests.factories import staff_user
from tests.factories.calendar import CalendarYearFactory
from workflow.tasks import calendar_coverage_check

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LATE_NOVEMBER = datetime(2026, 11, 22, 6, 0, tzinfo=SHANGHAI)
EARLY_OCTOBER = datetime(2026, 10, 1, 6, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clean_cache():
    # The task remembers in the cache that today's e-mail went out.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def administrators():
    admin = staff_user(Role.CATALOG_ADMINISTRATOR)
    admin.email = "shengaiban@example.cn"
    admin.save()
    staff_user(Role.CATALOG_ADMINISTRATOR)  # no e-mail address
    clerk = staff_user(Role.WINDOW_CLERK)
    clerk.email = "chuangkou@example.cn"
    clerk.save()
    return admin


@time_machine.travel(LATE_NOVEMBER)
def test_the_check_emails_the_catalog_administrators_when_next_year_is_missing(
    administrators, mailoutbox
):
    CalendarYearFactory(year=2026)
    message = calendar_coverage_check.delay().get()
    assert "2027" in message
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["shengaiban@example.cn"]
    assert "2027" in mailoutbox[0].body


@time_machine.travel(EARLY_OCTOBER)
def test_the_check_sends_nothing_when_the_schedule_is_complete(administrators, mailoutbox):
    CalendarYearFactory(year=2026)
    assert calendar_coverage_check() is None
    assert mailoutbox == []


@time_machine.travel(LATE_NOVEMBER)
def test_running_the_check_twice_on_the_same_day_sends_one_email(administrators, mailoutbox):
    CalendarYearFactory(year=2026)
    first = calendar_coverage_check()
    second = calendar_coverage_check()
    assert first == second
    assert len(mailoutbox) == 1


def test_the_check_emails_again_the_next_day(administrators, mailoutbox):
    CalendarYearFactory(year=2026)
    with time_machine.travel(LATE_NOVEMBER):
        calendar_coverage_check()
    with time_machine.travel(datetime(2026, 11, 23, 6, 0, tzinfo=SHANGHAI)):
        calendar_coverage_check()
    assert len(mailoutbox) == 2


@time_machine.travel(LATE_NOVEMBER)
def test_the_check_logs_the_warning(administrators, caplog):
    CalendarYearFactory(year=2026)
    with caplog.at_level("WARNING", logger="workflow.tasks"):
        calendar_coverage_check()
    assert any("2027" in record.getMessage() for record in caplog.records)
