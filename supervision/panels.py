"""Supervision's panels on the staff start page (settings.STAFF_START_PANELS): each callable
takes the request and returns None (nothing to show this user) or the panel's context with
the template that draws it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.paging import count_up_to

from .filters import alert_open
from .models import Alert, AlertLevel, Rectification, RectificationStatus
from .room import cells, figures_total
from .scope import leader_departments, officer_centers
from .selectors import workdays_over

# The department's newest open alerts the panel lists; the rest are one click away.
LATEST_ALERTS = 5


def leader_alerts(request: HttpRequest) -> dict[str, Any] | None:
    """A leader's (approver's, chief representative's) panel: their department's open alerts,
    the red cards among them, and the newest few."""
    departments = leader_departments(request.user)
    if not departments:
        return None
    today, calendar = shanghai_today(), load_work_calendar()
    standing = (
        Alert.objects.filter(alert_open(), department_id__in=sorted(departments))
        .select_related("case", "step")
        .order_by("-raised_on", "-id")
    )
    latest = list(standing[:LATEST_ALERTS])
    for alert in latest:
        alert.over = workdays_over(alert, today=today, calendar=calendar)  # type: ignore[attr-defined]
    return {
        "template": "supervision/panels/leader_alerts.html",
        "open": count_up_to(standing),
        "red": count_up_to(standing.filter(level=AlertLevel.RED)),
        "latest": latest,
    }


def officer_room(request: HttpRequest) -> dict[str, Any] | None:
    """A supervision officer's panel: the room's figures of their tree and the way in."""
    centers = officer_centers(request.user)
    if not centers:
        return None
    tally = figures_total(centers)
    return {
        "template": "supervision/panels/officer_room.html",
        "cells": cells(tally.values, today=shanghai_today()),
        "taken_at": tally.taken_at,
    }


def leader_rectifications(request: HttpRequest) -> dict[str, Any] | None:
    """A leader's panel: their department's rectifications to answer, the overdue among them,
    and the soonest due few (nothing when none is open)."""
    departments = leader_departments(request.user)
    if not departments:
        return None
    today, calendar = shanghai_today(), load_work_calendar()
    waiting = (
        Rectification.objects.filter(
            status=RectificationStatus.OPEN, department_id__in=sorted(departments)
        )
        .select_related("case")
        .order_by("due_on", "id")
    )
    soonest = list(waiting[:LATEST_ALERTS])
    if not soonest:
        return None
    for rectification in soonest:
        rectification.due_class, rectification.workdays_left = due_state(  # type: ignore[attr-defined]
            rectification.due_on,
            clock="running",
            suspended_since=None,
            today=today,
            calendar=calendar,
        )
    return {
        "template": "supervision/panels/leader_rectifications.html",
        "open": count_up_to(waiting),
        "overdue": count_up_to(waiting.filter(due_on__lt=today)),
        "soonest": soonest,
    }
