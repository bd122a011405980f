"""The performance pages (绩效评估): the staff ranking of a month or a period, its charts, its
Excel sheet and the closing of a month; and the hall's public efficiency page.

A supervision officer reads the lines of their center tree; a department's leader (approver,
chief representative) their own department's line and its city-wide rank; anyone else gets the
403 page. The public page shows departments' figures only, to anyone, cached a few minutes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import ServiceCenter
from workflow.calendar import shanghai_today
from workflow.exceptions import WorkflowError

from .exports import XLSX_CONTENT_TYPE
from .models.performance import Grade, ReportKind
from .performance import (
    Report,
    month_close,
    month_close_refusal,
    month_end,
    month_report,
    parse_month,
    period_report,
)
from .performance_forms import PublicFilterForm, ReportFilterForm, public_months
from .performance_views_data import (
    Standing,
    centers_of,
    complaints_by_category,
    days,
    flat_treemap,
    month_choices,
    percent,
    public_lines,
    ratings_by_level,
    report_sheet,
    standing_of,
    treemap_of,
    trend_of,
    visible_lines,
)
from .room import Tree

View = Callable[..., HttpResponse]


def _reader_required(view: View) -> View:
    """Log in first; then supervision officers and departments' leaders only."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        standing = standing_of(request.user)
        if not standing.reader:
            raise PermissionDenied
        return view(request, standing, *args, **kwargs)

    return wrapper


def _officer_required(view: View) -> View:
    """Log in first; then supervision officers only."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        standing = standing_of(request.user)
        if not standing.officer:
            raise PermissionDenied
        return view(request, standing, *args, **kwargs)

    return wrapper


def _query(request: HttpRequest, form: ReportFilterForm) -> str:
    """The page's filters as a query string, for the export and the charts' links (none
    when they are not valid)."""
    return request.GET.urlencode() if form.is_bound and form.is_valid() else ""


def _report(request: HttpRequest, standing: Standing) -> dict[str, Any]:
    """The filter form, the report it asks for and the lines the user may read."""
    today = shanghai_today()
    tree = Tree.of(standing.centers) if standing.officer else None
    centers = sorted(tree.centers.values(), key=lambda c: c.code) if tree is not None else []
    form = ReportFilterForm(
        request.GET or None,
        months=month_choices(today=today),
        centers=centers,
        leader=not standing.officer,
    )
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    choice = form.month_choice(today)
    kind = data.get("kind") or ReportKind.DEPARTMENT
    if not standing.officer:
        kind = ReportKind.DEPARTMENT
    chosen = data.get("center")
    scope = centers_of(standing, chosen)
    if data.get("start") and data.get("end"):
        report = period_report(start=data["start"], end=data["end"], kind=kind, centers=scope)
    else:
        report = month_report(month=choice.month, kind=kind, centers=scope)
    return {
        "form": form,
        "invalid": not valid,
        "standing": standing,
        "tree": tree,
        "scope": scope,
        "choice": choice,
        "period": bool(data.get("start")),
        "report": report,
        "lines": visible_lines(report, standing),
        "today": today,
        "query": _query(request, form),
    }


def _several_centers(lines) -> bool:
    """Whether department lines come from more than one center (then each names its own)."""
    return len({line.center_id for line in lines if line.kind == ReportKind.DEPARTMENT}) > 1


def _rows(lines) -> list[dict[str, Any]]:
    """The lines with their rates written out for the table."""
    return [
        {
            "line": line,
            "on_time": percent(line.rates.get("on_time_rate")),
            "satisfaction": percent(line.rates.get("satisfaction_rate")),
            "speed_up": percent(line.rates.get("speed_up_rate")),
            "immediate": percent(line.rates.get("immediate_share")),
            "complaint_timeliness": percent(line.rates.get("complaint_timeliness")),
            "used": days(line.rates.get("average_workdays")),
            "promised": days(line.rates.get("average_promised")),
            "statutory": days(line.rates.get("average_statutory")),
            "grade": dict(Grade.choices).get(line.grade, line.grade),
        }
        for line in lines
    ]


@require_GET
@_reader_required
def performance_page(request: HttpRequest, standing: Standing) -> HttpResponse:
    """The ranking of the month picked (or of a period on demand) for the user's scope."""
    context = _report(request, standing)
    report: Report = context["report"]
    can_close = (
        standing.top and not context["period"] and month_close_refusal(month=report.month) is None
    )
    context |= {
        "rows": _rows(context["lines"]),
        "can_close": can_close,
        "show_center": _several_centers(context["lines"]),
    }
    return render(
        request,
        "supervision/performance/ranking.html",
        context,
        status=400 if context["invalid"] else 200,
    )


@require_GET
@_officer_required
def performance_charts(request: HttpRequest, standing: Standing) -> HttpResponse:
    """The charts of the month picked: trend, ranking bars, on-time rates, ratings by level,
    complaints by category and the tree map of completed cases; each with its table."""
    context = _report(request, standing)
    report: Report = context["report"]
    start, end = report.start or report.month, report.end or month_end(report.month)
    scope = context["scope"]
    lines = context["lines"]
    # The tree map is of departments whatever lines the page ranks.
    if report.kind == ReportKind.DEPARTMENT:
        departments = lines
    elif context["period"]:
        departments = period_report(
            start=start, end=end, kind=ReportKind.DEPARTMENT, centers=scope
        ).lines
    else:
        departments = month_report(
            month=report.month, kind=ReportKind.DEPARTMENT, centers=scope
        ).lines
    trend = trend_of(centers=scope)
    ratings = ratings_by_level(start=start, end=end, centers=scope)
    complaints = complaints_by_category(start=start, end=end, centers=scope)
    treemap = treemap_of(context["tree"], departments)
    names = [line.name for line in lines]
    on_time = sorted(
        (line for line in lines if line.rates.get("on_time_rate") is not None),
        key=lambda line: -line.rates["on_time_rate"],
    )
    charts = {
        "trend": {
            "title": _("On-time and satisfaction rates by month"),
            "months": [f"{row['month']:%Y-%m}" for row in trend],
            "series": [
                {
                    "name": _("On-time rate"),
                    "data": [_pct(row["on_time_rate"]) for row in trend],
                },
                {
                    "name": _("Satisfaction rate"),
                    "data": [_pct(row["satisfaction_rate"]) for row in trend],
                },
            ],
        },
        "scores": {
            "title": _("Score"),
            "names": names,
            "data": [float(line.score) for line in lines],
        },
        "on_time": {
            "title": _("On-time rate"),
            "names": [line.name for line in on_time],
            "data": [_pct(line.rates["on_time_rate"]) for line in on_time],
        },
        "ratings": {
            "title": _("Ratings by level"),
            "names": [row["label"] for row in ratings],
            "data": [{"value": row["count"], "poor": row["poor"]} for row in ratings],
        },
        "complaints": {
            "title": _("Complaints by category"),
            "names": [row["label"] for row in complaints],
            "data": [row["count"] for row in complaints],
        },
        "treemap": {"title": _("Completed cases by center and department"), "data": treemap},
    }
    context |= {
        "rows": _rows(lines),
        "trend": [
            {
                **row,
                "on_time": percent(row["on_time_rate"]),
                "satisfaction": percent(row["satisfaction_rate"]),
            }
            for row in trend
        ],
        "on_time_rows": _rows(on_time),
        "ratings": ratings,
        "complaints": complaints,
        "complaints_total": sum(row["count"] for row in complaints),
        "treemap_rows": flat_treemap(treemap),
        "charts": charts,
    }
    return render(
        request,
        "supervision/performance/charts.html",
        context,
        status=400 if context["invalid"] else 200,
    )


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


@require_GET
@_reader_required
def performance_export(request: HttpRequest, standing: Standing) -> HttpResponse:
    """``export.xlsx?month=…&kind=…`` (or ``start``/``end``): the ranking's lines as a sheet;
    a few hundred lines at most, so made at once."""
    context = _report(request, standing)
    if context["invalid"]:
        return performance_page(request)
    report: Report = context["report"]
    out = io.BytesIO()
    report_sheet(out, report=report, lines=context["lines"])
    if context["period"]:
        stem = f"{report.start:%Y%m%d}-{report.end:%Y%m%d}"
    else:
        stem = f"{report.month:%Y-%m}"
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="performance-{report.kind}-{stem}.xlsx"'
    )
    return response


@require_http_methods(["GET", "POST"])
@_officer_required
def performance_close(request: HttpRequest, standing: Standing) -> HttpResponse:
    """Close a month: a page that asks to confirm (GET), then the closing (POST). Officers of
    the city's top center only."""
    if not standing.top:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    error: WorkflowError | None = None
    try:
        month = parse_month(source.get("month", ""))
    except WorkflowError as refused:
        month, error = None, refused
    if month is not None and error is None:
        error = month_close_refusal(month=month)
    if request.method == "POST" and error is None:
        try:
            month_close(month=month, by=request.user, now=timezone.now())
        except WorkflowError as refused:
            error = refused
        else:
            messages.success(
                request,
                _("The month %(month)s is closed: its ranking is frozen.")
                % {"month": f"{month:%Y-%m}"},
            )
            return redirect(f"{reverse('supervision-performance')}?month={month:%Y-%m}")
    return render(
        request,
        "supervision/performance/close.html",
        {"month": month, "error": error},
        status=error.status if error is not None else 200,
    )


# --- the hall's public page ------------------------------------------------------------------


@require_GET
def efficiency(request: HttpRequest) -> HttpResponse:
    """The public efficiency page: this month's (provisional) and last month's department
    ranking, on-time and satisfaction rates, completed cases, score and grade; by center."""
    centers = list(ServiceCenter.objects.order_by("code").only("pk", "code", "name"))
    form = PublicFilterForm(request.GET or None, centers=centers)
    valid = form.is_valid() if form.is_bound else True
    chosen = form.cleaned_data.get("center") if form.is_bound and valid else None
    current, previous = public_months(shanghai_today())
    return render(
        request,
        "supervision/hall/efficiency.html",
        {
            "form": form,
            "months": [
                public_lines(month=current, center=chosen),
                public_lines(month=previous, center=chosen),
            ],
            "chosen": next((c for c in centers if c.pk == chosen), None),
        },
        status=200 if valid else 400,
    )
