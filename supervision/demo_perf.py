"""The demo city's performance (绩效评估): the daily summary over the demo's whole history, and
last month closed, so the ranking pages and the public efficiency page show a closed month with
its ranks beside the running one. Runs last, after every other demo (cases, supervision,
ratings, complaints), since it adds up what they left."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from workflow.calendar import shanghai_today

from .models import PerformanceMonth, PerformanceRow
from .performance import add_months, month_close
from .summary import summarize


def demo_perf_load(*, now: datetime | None = None) -> dict[str, int]:
    """Summarize every open month of the demo up to today and close last month (on the beat's
    behalf: no user). A second load finds last month closed and only refreshes the summary of
    the running month, adding no closed month and no report line."""
    now = now or timezone.now()
    today = shanghai_today(now)
    last_month = add_months(today.replace(day=1), -1)
    summary = summarize(now=now)
    if PerformanceMonth.objects.filter(month=last_month).exists():
        return {}
    # Closing re-runs the month's summary itself; it is already fresh here.
    closed = month_close(month=last_month, now=now - timedelta(seconds=1), resummarize=False)
    return {
        "summary days": summary.days,
        "summary rows": summary.rows,
        "closed months": 1,
        "report lines": PerformanceRow.objects.filter(month=closed).count(),
    }
