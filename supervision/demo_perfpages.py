"""Demo data of the performance pages: last month closed, so that the demo city's public
efficiency page and the office's ranking show a closed month beside the running one."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from workflow.calendar import shanghai_today

from .models import PerformanceMonth
from .performance import add_months, month_close, month_start
from .summary import summarize


def demo_perfpages_load(*, now: datetime | None = None) -> dict[str, int]:
    """Bring the daily summary up to date and close last month (once: a second load, or a
    month closed already, adds nothing). Run after the demo's cases, ratings and complaints."""
    now = now or timezone.now()
    last = add_months(month_start(shanghai_today(now)), -1)
    if PerformanceMonth.objects.filter(month=last).exists():
        return {"months_closed": 0}
    summarize(now=now)
    month_close(month=last, now=now, resummarize=False)
    return {"months_closed": 1}
