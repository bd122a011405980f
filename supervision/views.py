"""The supervision office's pages: the monitoring room (and its wall mode), the alert list and
an alert with its acknowledgement.

A supervision officer reads their center and every center under it; a department's leader
the alerts of their own department. Anyone else gets the 403 page; an alert outside what the
user supervises is not found.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import ServiceCenter
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.exceptions import WorkflowError
from workflow.paging import PAGE_SIZE, keyset_page

from . import room
from .corrections import correction_record_refusal
from .filters import AlertPageFilter
from .forms import AcknowledgeForm
from .models import Alert
from .scope import alerts_for, leader_departments, officer_centers
from .selectors import workdays_over
from .services import alert_acknowledge
from .standing import reach_of
from .urges import urge_send_refusal

# How often the room and the wall fetch their figures again (htmx polling).
REFRESH_SECONDS = 60
# The query parameters that say which page of a list to show.
PAGE_PARAMETERS = ("after", "before")
# The other alerts of the same case an alert's page lists.
SIBLING_ALERTS = 10

View = Callable[..., HttpResponse]


def officer_required(view: View) -> View:
    """Log in first; then supervision officers only (the 403 page for anyone else)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not officer_centers(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def supervision_required(view: View) -> View:
    """Log in first; then supervision officers and departments' leaders only."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not officer_centers(request.user) and not leader_departments(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- the monitoring room ---------------------------------------------------------------------


def _room_scope(request: HttpRequest) -> tuple[room.Tree, list[int], ServiceCenter | None]:
    """The officer's tree, the centers the page starts from (the one asked for with
    ``?center=``, else the officer's own) and the center asked for; 404 for one outside."""
    tree = room.Tree.of(officer_centers(request.user))
    asked = request.GET.get("center", "")
    if not asked:
        return tree, tree.tops, None
    if not asked.isdigit() or int(asked) not in tree.centers:
        raise Http404
    return tree, [int(asked)], tree.centers[int(asked)]


def _room_context(request: HttpRequest, *, wall: bool = False) -> dict[str, Any]:
    tree, roots, chosen = _room_scope(request)
    scope = [pk for pk, _depth in tree.under(roots)]
    today = shanghai_today()
    tally = room.figures_total(scope)
    rows = room.center_rows(tree, roots, room.figures_by_center(scope), today=today)
    context: dict[str, Any] = {
        "today": today,
        "chosen": chosen,
        "path": tree.path_to(chosen.pk) if chosen else [],
        "tiles": room.cells(tally.values, today=today, center_id=chosen.pk if chosen else None),
        "taken_at": tally.taken_at,
        "center_rows": rows,
        "columns": room.COLUMNS,
        "refresh_seconds": REFRESH_SECONDS,
        "center_query": f"?center={chosen.pk}" if chosen else "",
    }
    if wall:
        # The wall has no charts and no department table: the newest red cards instead.
        context["red_cards"] = _mark(room.latest_red_cards(scope))
        return context
    calendar = load_work_calendar()
    rules = room.open_alerts_by_rule(scope)
    departments = room.cards_by_department(scope)
    centers = room.open_cases_by_center(tree, rows)
    trend = room.alert_trend(scope, today=today, calendar=calendar)
    context |= {
        "department_rows": room.department_rows(roots, today=today),
        "roots": [tree.centers[pk] for pk in roots],
        "rules": rules,
        "top_departments": departments,
        "open_by_center": centers,
        "trend": trend,
        "level_choices": [(level.value, level.label) for level in room.LEVELS],
        "chart_json": json.dumps(
            room.chart_data(rules=rules, departments=departments, centers=centers, trend=trend),
            ensure_ascii=False,
        ),
    }
    return context


@officer_required
def monitoring_room(request: HttpRequest) -> HttpResponse:
    """The monitoring room: the tiles of the officer's tree (or of one center of it), the
    table by center and by department, the charts; refreshed in place every minute."""
    return render(request, "supervision/room.html", _room_context(request))


@officer_required
def monitoring_room_figures(request: HttpRequest) -> HttpResponse:
    """The room's figures, tables and charts alone, for the page to put in place."""
    return render(request, "supervision/_room.html", _room_context(request))


@officer_required
def wall(request: HttpRequest) -> HttpResponse:
    """The room for the wall: big tiles and the centers, dark, no site chrome."""
    return render(request, "supervision/wall.html", _room_context(request, wall=True))


@officer_required
def wall_figures(request: HttpRequest) -> HttpResponse:
    """The wall's figures alone, for the wall to put in place."""
    return render(request, "supervision/_wall.html", _room_context(request, wall=True))


# --- alerts ----------------------------------------------------------------------------------


def _mark(alerts: list[Alert]) -> list[Alert]:
    today, calendar = shanghai_today(), load_work_calendar()
    for alert in alerts:
        alert.over = workdays_over(alert, today=today, calendar=calendar)  # type: ignore[attr-defined]
    return alerts


@supervision_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """The open alerts the user supervises, newest first, filtered: the office's whole tree,
    or a leader's own department."""
    centers, departments = officer_centers(request.user), leader_departments(request.user)
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    alert_filter = AlertPageFilter(
        query,
        queryset=alerts_for(request.user).select_related(
            "case", "step", "department", "center", "acknowledged_by"
        ),
        centers=centers,
        departments=departments,
    )
    invalid = not alert_filter.is_valid()
    alerts = Alert.objects.none() if invalid else alert_filter.qs
    page = keyset_page(
        alerts.order_by("-raised_on", "-id"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=True,
    )
    _mark(page.object_list)
    return render(
        request,
        "supervision/alert_list.html",
        {
            "filter": alert_filter,
            "page": page,
            "query": query.urlencode(),
            "is_officer": bool(centers),
            "one_department": not centers and len(departments) == 1,
        },
        status=400 if invalid else 200,
    )


def _alert_for(request: HttpRequest, pk: int) -> Alert:
    alert = (
        alerts_for(request.user)
        .select_related(
            "case__item_version__item",
            "case__department__center",
            "step__assignee",
            "department",
            "center",
            "acknowledged_by",
        )
        .filter(pk=pk)
        .first()
    )
    if alert is None:
        raise Http404
    return alert


def _render_alert(
    request: HttpRequest, alert: Alert, *, form: AcknowledgeForm | None = None, status: int = 200
) -> HttpResponse:
    siblings: list[Alert] = []
    if alert.case_id:
        siblings = list(
            alerts_for(request.user)
            .filter(case_id=alert.case_id)
            .exclude(pk=alert.pk)
            .select_related("step")
            .order_by("-raised_on", "-id")[:SIBLING_ALERTS]
        )
    _mark([alert, *siblings])
    # What the office may do next about the card, asked of the same guards as the writes.
    reach = reach_of(request.user)
    may_urge = (
        alert.case_id is not None
        and urge_send_refusal(alert.department, request.user, reach=reach) is None
    )
    may_correct = correction_record_refusal(alert, request.user, reach=reach) is None
    return render(
        request,
        "supervision/alert_detail.html",
        {
            "alert": alert,
            "siblings": siblings,
            "form": form or AcknowledgeForm(),
            "may_urge": may_urge,
            "may_correct": may_correct,
        },
        status=status,
    )


@supervision_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An alert with its case and step, and the form to acknowledge it."""
    return _render_alert(request, _alert_for(request, pk))


@require_POST
@supervision_required
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge an alert with a note, once; a second acknowledgement is refused."""
    alert = _alert_for(request, pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _render_alert(request, alert, form=form, status=400)
    try:
        alert_acknowledge(alert=alert, by=request.user, note=form.cleaned_data["note"])
    except WorkflowError as error:
        for field, field_messages in error.fields.items():
            for message in field_messages:
                form.add_error(field, message)
        if not error.fields:
            form.add_error(None, str(error.message))
        return _render_alert(request, _alert_for(request, pk), form=form, status=error.status)
    messages.success(request, _("The alert is acknowledged."))
    return redirect("supervision-alert", pk=pk)
