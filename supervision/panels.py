"""Supervision's panels on the staff start page (settings.STAFF_START_PANELS): each callable
takes the request and returns None (nothing to show this user) or the panel's context with
the template that draws it. The hall's page of one case has its own (settings.HALL_CASE_PANELS,
taking the request and the case), and its "my cases" list its marks
(settings.HALL_CASE_LIST_MARKS)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.models import Case, CaseStatus
from workflow.paging import count_up_to

from .complaints import complaints_overdue
from .filters import alert_open
from .models import (
    Alert,
    AlertLevel,
    Complaint,
    ComplaintStatus,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
)
from .rating_defaults import last_delivery_closed
from .ratings import rating_closes_on, rating_refusal
from .room import cells, figures_total
from .rules import rules_in_force
from .scales import label_of
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


# --- the hall's page of one case (settings.HALL_CASE_PANELS) and its list's marks -----------


def hall_rating_panel(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """The applicant's rating panel on a completed case: "Rate this case" with the last day
    to rate, "You rated it …" with the rectification's state, or nothing (not completed, or
    the time to rate ended unrated)."""
    if case.status != CaseStatus.COMPLETED or case.applicant_id != request.user.pk:
        return None
    panel: dict[str, Any] = {"template": "supervision/hall/_panel.html", "case_id": case.pk}
    rating = Rating.objects.select_related("rectification").filter(case_id=case.pk).first()
    if rating is not None:
        return panel | {
            "rating": rating,
            "label": label_of(rating.scale, rating.level),
            "rectification": getattr(rating, "rectification", None) if rating.poor else None,
        }
    today = shanghai_today()
    rules = rules_in_force(today)
    if rating_refusal(
        case, user=request.user, channel=RatingChannel.ONLINE, today=today, rules=rules
    ):
        return None
    return panel | {"closes_on": rating_closes_on(case, rules)}


def hall_complaint_panel(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """A way to complain about the case from its page in "my cases" (网上投诉): for the
    applicant's own case once it has a number, with the complaint form set to it."""
    if case.applicant_id != request.user.pk or not case.number:
        return None
    return {"template": "supervision/hall/_complaint_panel.html", "case_id": case.pk}


def hall_cases_to_rate(request: HttpRequest, case_ids: list[int]) -> dict[int, str]:
    """The "to rate" marks of the hall's "my cases" list (settings.HALL_CASE_LIST_MARKS): the
    listed cases the applicant may still rate, in one query."""
    if not case_ids:
        return {}
    today = shanghai_today()
    closed_up_to = last_delivery_closed(today, rules_in_force(today).rating_workdays)
    open_ids = Case.objects.filter(
        pk__in=case_ids,
        applicant_id=request.user.pk,
        status=CaseStatus.COMPLETED,
        delivered_on__gt=closed_up_to,
        rating__isnull=True,
    ).values_list("pk", flat=True)
    label = _("to rate")
    return dict.fromkeys(open_ids, label)


def leader_complaints(request: HttpRequest) -> dict[str, Any] | None:
    """A leader's panel: their department's complaints waiting to be accepted or declined,
    those accepted and waiting for the answer, and the overdue among them (nothing when none
    is open)."""
    departments = leader_departments(request.user)
    if not departments:
        return None
    mine = Complaint.objects.filter(department_id__in=sorted(departments))
    to_accept = count_up_to(mine.filter(status=ComplaintStatus.FILED))
    to_answer = count_up_to(mine.filter(status=ComplaintStatus.ACCEPTED))
    if to_accept == 0 and to_answer == 0:
        return None
    return {
        "template": "supervision/panels/leader_complaints.html",
        "to_accept": to_accept,
        "to_answer": to_answer,
        "overdue": count_up_to(complaints_overdue(mine, shanghai_today())),
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
