"""The daily summary: every figure on the day it happened, per department and per window, the
working days used across a holiday, the same rows on a second run, closed months left alone."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.models import DailySummary, PerformanceMonth
from supervision.models.performance import COUNTERS
from supervision.summary import SUMMARY_LOCK, summarize
from supervision.tasks import summarize_task
from tests.factories.workflow import accepted_case, at
from tests.supervision.month import NOVEMBER, NOVEMBER_FIGURES, d, november
from tests.supervision.office import EVE_OF_NATIONAL_DAY, national_day_2026, supervised_office
from workflow.models import Case

NOVEMBER_DAYS = [NOVEMBER + timedelta(days=n) for n in range(30)]
NOW = at(date(2026, 12, 2))


@pytest.fixture
def office(db):
    national_day_2026()
    return supervised_office()


@pytest.fixture
def month(office):
    return november(office)


def department_total(department, days=NOVEMBER_DAYS) -> dict[str, int]:
    rows = DailySummary.objects.filter(
        department=department, window__isnull=True, day__in=days
    ).values(*COUNTERS)
    return {name: sum(row[name] for row in rows) for name in COUNTERS}


def test_every_figure_of_the_month_lands_on_its_department(month):
    result = summarize(days=NOVEMBER_DAYS, now=NOW)

    assert not result.skipped
    assert result.days == 30
    assert department_total(month.office.department) == NOVEMBER_FIGURES


def test_figures_count_on_the_day_they_happened(month):
    summarize(days=NOVEMBER_DAYS, now=NOW)
    row = DailySummary.objects.get(department=month.office.department, window=None, day=d(20))

    # 20 Nov: B decided late and delivered, B rated poor, its rectification opened.
    assert (row.decided, row.decided_on_time, row.workdays_used) == (1, 0, 14)
    assert (row.completed, row.ratings, row.ratings_poor, row.rectifications_opened) == (1, 1, 1, 1)
    assert row.received == 0
    assert row.center_id == month.office.county.pk


def test_the_window_row_counts_its_clerks_intake_and_its_ratings(month):
    summarize(days=NOVEMBER_DAYS, now=NOW)
    rows = DailySummary.objects.filter(window=month.window)

    # The clerk of window A01 took in A–E; A was rated at the window. Nothing else is the
    # window's: decisions, complaints and cards are the department's.
    assert sum(row.accepted for row in rows) == 5
    assert sum(row.ratings for row in rows) == 1
    assert sum(row.decided + row.complaints + row.red_cards for row in rows) == 0
    assert {row.department_id for row in rows} == {month.office.department.pk}


def test_working_days_used_across_the_national_day_holiday(office):
    # Accepted Wed 30 Sep, decided Mon 12 Oct: 1–7 Oct off, Sat 10 Oct a make-up working day,
    # so 8, 9, 10 and 12 Oct are the 4 working days used (not 8 calendar working days).
    case = accepted_case(office.version, office.staff, now=at(EVE_OF_NATIONAL_DAY))
    Case.objects.filter(pk=case.pk).update(
        decided_on=date(2026, 10, 12), due_on=date(2026, 10, 14), status="decided"
    )

    summarize(days=[date(2026, 10, 12)], now=NOW)

    row = DailySummary.objects.get(
        department=office.department, window=None, day=date(2026, 10, 12)
    )
    assert (row.decided, row.decided_on_time, row.workdays_used) == (1, 1, 4)


def test_a_second_run_writes_the_same_rows(month):
    summarize(days=NOVEMBER_DAYS, now=NOW)
    first = list(DailySummary.objects.order_by("day", "window", "department").values(*COUNTERS))

    summarize(days=NOVEMBER_DAYS, now=NOW)

    again = list(DailySummary.objects.order_by("day", "window", "department").values(*COUNTERS))
    assert again == first
    assert DailySummary.objects.filter(day=d(20), window=None).count() == 1


def test_the_statements_do_not_grow_with_the_cases(office):
    summarize(days=NOVEMBER_DAYS, now=NOW)  # the calendar read once, as a worker holds it
    with CaptureQueriesContext(connection) as few:
        summarize(days=NOVEMBER_DAYS, now=NOW)
    november(office)
    with CaptureQueriesContext(connection) as many:
        summarize(days=NOVEMBER_DAYS, now=NOW)
    assert len(many) == len(few)


def test_a_closed_month_is_never_rewritten(month):
    summarize(days=NOVEMBER_DAYS, now=NOW)
    PerformanceMonth.objects.create(month=NOVEMBER, closed_at=NOW)
    Case.objects.filter(pk=month.cases["E"].pk).update(decided_on=d(30), status="decided")

    result = summarize(days=NOVEMBER_DAYS, now=NOW)

    assert result.days == 0
    assert department_total(month.office.department)["decided"] == 4


def test_by_default_last_month_and_this_month_up_to_today(month):
    result = summarize(now=at(date(2026, 11, 30)))

    # 1 October to 30 November: the periodic run keeps the two months that can still change.
    assert result.days == 31 + 30
    assert department_total(month.office.department) == NOVEMBER_FIGURES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock is PostgreSQL's")
def test_a_second_run_at_once_is_skipped(month):
    import psycopg2

    params = connection.settings_dict
    other = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [SUMMARY_LOCK])
        result = summarize(days=NOVEMBER_DAYS, now=NOW)
    finally:
        other.close()

    assert result.skipped
    assert not DailySummary.objects.exists()


def test_the_command_and_the_task(month):
    out = StringIO()
    call_command("summarize", "--from", "2026-11-01", "--to", "2026-11-30", stdout=out)
    assert "30 days rewritten" in out.getvalue()
    assert department_total(month.office.department) == NOVEMBER_FIGURES
    with pytest.raises(CommandError):
        call_command("summarize", "--from", "2026-11-01")

    with time_machine.travel(at(date(2026, 12, 5)), tick=False):
        result = summarize_task()
    assert result["closed"] == ["2026-11-01"]
    assert PerformanceMonth.objects.get().month == NOVEMBER


def test_the_demo_closes_the_months_before_this_one_once(month):
    from supervision.demo_perf import demo_perf_load

    loaded = demo_perf_load(now=NOW)
    assert loaded["months closed"] == 1
    assert PerformanceMonth.objects.get().month == NOVEMBER
    assert demo_perf_load(now=NOW) == {}
