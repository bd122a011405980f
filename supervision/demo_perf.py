"""The demo city's performance (绩效评估): the daily summary over the demo's whole history, and
every month before this one closed, so the ranking pages, the trend and the public efficiency
page show closed months with their ranks beside the running one. Runs last, after every other
demo (cases, supervision, ratings, complaints), since it adds up what they left."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from workflow.calendar import shanghai_today
from workflow.models import Case

from .models import PerformanceMonth, PerformanceRow
from .performance import add_months, month_close
from .summary import summarize


def _history(today: date) -> list[date]:
    first = (
        Case.objects.filter(received_on__isnull=False)
        .order_by("received_on")
        .values_list("received_on", flat=True)
        .first()
    )
    start = (first or today).replace(day=1)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def demo_perf_load(*, now: datetime | None = None) -> dict[str, int]:
    """Summarize the demo's history up to today and close every month before this one (on the
    beat's behalf: no user). A second load finds last month closed and only refreshes the
    summary of the running month, adding no closed month and no report line."""
    now = now or timezone.now()
    today = shanghai_today(now)
    this_month = today.replace(day=1)
    last_month = add_months(this_month, -1)
    if PerformanceMonth.objects.filter(month=last_month).exists():
        summarize(now=now)
        return {}
    days = _history(today)
    summary = summarize(days=days, now=now)
    month = days[0].replace(day=1)
    closed = 0
    while month < this_month:
        if not PerformanceMonth.objects.filter(month=month).exists():
            # Closing re-runs the month's summary itself; it is already fresh here.
            month_close(month=month, now=now - timedelta(seconds=1), resummarize=False)
            closed += 1
        month = add_months(month, 1)
    return {
        "summary days": summary.days,
        "summary rows": summary.rows,
        "months closed": closed,
        "report lines": PerformanceRow.objects.filter(month__month=last_month).count(),
    }
