from datetime import date
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command

from tests.factories.calendar import CalendarDayFactory, CalendarYearFactory
from workflow.calendar import (
    calendar_load_from_chinese_calendar,
    clear_work_calendar_cache,
    load_work_calendar,
)
from workflow.deadlines import add_workdays
from workflow.management.commands.load_calendar import year_ranges
from workflow.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

SOURCE = f"chinese-calendar {chinese_calendar.__version__}"
YEARS = sorted(
    {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_work_calendar_cache()
    yield
    clear_work_calendar_cache()


def _load() -> str:
    out = StringIO()
    call_command("load_calendar", stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        list(CalendarYear.objects.values_list("year", "source", "updated_at")),
        list(CalendarDay.objects.values_list("date", "is_workday", "name", "updated_at")),
    )


def test_load_calendar_loads_every_year_the_package_knows_and_says_so():
    output = _load()
    assert output.strip() == f"Loaded {len(YEARS)} years: {YEARS[0]}–{YEARS[-1]}"
    assert list(CalendarYear.objects.values_list("year", flat=True)) == YEARS
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {SOURCE}


def test_only_exceptions_to_monday_to_friday_are_stored_with_chinese_names():
    _load()
    days = {d.date: d for d in CalendarDay.objects.all()}
    # 国庆节 2026: Oct 1, 2, 5, 6, 7 off on weekdays; Oct 3 and 4 are a weekend anyway.
    assert [days[date(2026, 10, n)].name for n in (1, 2, 5, 6, 7)] == ["国庆节"] * 5
    assert date(2026, 10, 3) not in days
    # 春节 2026 make-up Saturdays.
    assert days[date(2026, 2, 14)].is_workday is True
    assert days[date(2026, 2, 14)].name == "春节"
    assert days[date(2026, 2, 28)].is_workday is True
    assert all((d.weekday() >= 5) == row.is_workday for d, row in days.items())


def test_every_day_loaded_agrees_with_the_package():
    _load()
    calendar = load_work_calendar()
    first, last = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)
    wrong = [
        date.fromordinal(o)
        for o in range(first.toordinal(), last.toordinal() + 1)
        if calendar.is_workday(date.fromordinal(o))
        != chinese_calendar.is_workday(date.fromordinal(o))
    ]
    assert wrong == []
    assert add_workdays(date(2025, 9, 30), 5, calendar=calendar) == date(2025, 10, 14)


def test_load_calendar_twice_changes_nothing_the_second_time():
    _load()
    before = _snapshot()
    calendar = load_work_calendar()
    output = _load()
    assert output.startswith(f"Loaded {len(YEARS)} years")
    assert _snapshot() == before
    # Nothing was rewritten, so the cached calendar is still valid.
    assert load_work_calendar() is calendar


def test_load_calendar_keeps_a_year_entered_by_an_administrator():
    admin_year = CalendarYearFactory(year=2026, source="国务院办公厅通知（手工录入）")
    CalendarDayFactory(year=admin_year, date=date(2026, 10, 9), name="本地调整")
    output = _load()
    assert "Kept as entered by an administrator: 2026" in output
    assert f"Loaded {len(YEARS) - 1} years: {YEARS[0]}–2025" in output
    admin_year.refresh_from_db()
    assert admin_year.source == "国务院办公厅通知（手工录入）"
    assert list(admin_year.days.values_list("date", "name")) == [(date(2026, 10, 9), "本地调整")]


def test_the_loader_returns_the_years_it_loaded():
    CalendarYearFactory(year=2010, source="State Council notice")
    loaded = calendar_load_from_chinese_calendar()
    assert loaded == [y for y in YEARS if y != 2010]


def test_reloading_repairs_a_year_from_an_older_package_version():
    old = CalendarYear.objects.create(year=2025, source="chinese-calendar 1.0.0")
    # A day the package does not list (stale data) and a day with the wrong name.
    CalendarDay.objects.create(year=old, date=date(2025, 3, 3), is_workday=False, name="错误")
    CalendarDay.objects.create(year=old, date=date(2025, 10, 1), is_workday=False, name="错误")
    _load()
    old.refresh_from_db()
    assert old.source == SOURCE
    assert not CalendarDay.objects.filter(date=date(2025, 3, 3)).exists()
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "国庆节"


@pytest.mark.parametrize(
    ("years", "text"),
    [
        ([2004, 2005, 2006], "2004–2006"),
        ([2009, 2004, 2005, 2006], "2004–2006, 2009"),
        ([2026], "2026"),
        ([], ""),
    ],
)
def test_years_are_printed_as_ranges(years, text):
    assert year_ranges(years) == text
