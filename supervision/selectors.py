"""Reads the supervision pages, the API and the exports share."""

from __future__ import annotations

from datetime import date

from workflow.deadlines import WorkCalendar, workdays_between

from .models import Alert


def workdays_over(alert: Alert, *, today: date, calendar: WorkCalendar) -> int | None:
    """How many working days past its due date the alert's subject is (was, once resolved):
    0 for a reminder before the day, None for an alert without a due date (a window's month)."""
    if alert.due_on is None:
        return None
    until = alert.resolved_on or today
    return max(workdays_between(alert.due_on, until, calendar=calendar), 0)
