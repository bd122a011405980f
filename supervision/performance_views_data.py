"""What the performance pages (绩效评估) read beside the report of :mod:`supervision.performance`:
the months to pick from, the staff member's scope, the charts' data (each one grouped query
at most), the Excel sheet of a report and the public efficiency page's cached lines.

The report itself is never recomputed here: the lines come from ``month_report`` /
``period_report`` / ``month_trend``, which add up the daily summary or read a closed month's
frozen lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import gettext_lazy

from catalog.models import ServiceCenter
from catalog.selectors import centers_under

from .exports import Column, workbook_write
from .models import Complaint, Rating
from .models.complaints import ComplaintCategory
from .models.performance import Grade, PerformanceMonth, ReportKind
from .performance import (
    Line,
    Report,
    add_months,
    month_end,
    month_start,
    month_trend,
    rates_of,
)
from .room import Tree
from .scales import levels_of
from .scope import leader_departments, officer_centers

SHANGHAI = ZoneInfo("Asia/Shanghai")
# How many months the picker and the trend go back (the current one included).
MONTHS_BACK = 12
# The public page is read by anyone: its lines are a few minutes old at most.
PUBLIC_CACHE_SECONDS = 5 * 60


SCALE_NAMES = {"four": gettext_lazy("Four levels"), "five": gettext_lazy("Five levels")}


# --- months ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthChoice:
    """A month of the picker: ``state`` is "closed" (with ``closed_at``), "provisional" (the
    running month) or "open" (over, not closed yet)."""

    month: date
    state: str
    closed_at: datetime | None = None

    @property
    def value(self) -> str:
        return f"{self.month:%Y-%m}"


def month_choices(*, today: date, back: int = MONTHS_BACK) -> list[MonthChoice]:
    """The running month and the ``back - 1`` before it, newest first, and any older closed
    month, each with its state: one query over the closed months."""
    current = month_start(today)
    closed = {m.month: m.closed_at for m in PerformanceMonth.objects.all()}
    months = {add_months(current, -n) for n in range(back)} | set(closed)
    out = []
    for month in sorted((m for m in months if m <= current), reverse=True):
        if month in closed:
            out.append(MonthChoice(month, "closed", closed[month]))
        elif month == current:
            out.append(MonthChoice(month, "provisional"))
        else:
            out.append(MonthChoice(month, "open"))
    return out


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of ``start`` to the start of the day after ``end``, in Shanghai."""
    return (
        datetime.combine(start, time.min, tzinfo=SHANGHAI),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=SHANGHAI),
    )


# --- who sees what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What a staff member sees of the reports: an officer the lines of ``centers`` (their
    tree), a leader the department lines of ``departments``; ``top`` when they supervise a
    center at the top of the city (they may close a month)."""

    centers: frozenset[int]
    departments: frozenset[int]
    top: bool

    @property
    def officer(self) -> bool:
        return bool(self.centers)

    @property
    def reader(self) -> bool:
        return bool(self.centers or self.departments)


def standing_of(user: Any) -> Standing:
    """The user's standing for the performance pages (two or three queries)."""
    centers = officer_centers(user)
    departments = frozenset() if centers else leader_departments(user)
    # As performance.closer_refusal (which month_close asks again), without reading the
    # officer's centers twice.
    top = (
        bool(centers)
        and ServiceCenter.objects.filter(pk__in=sorted(centers), parent__isnull=True).exists()
    )
    return Standing(centers=centers, departments=departments, top=top)


def centers_of(standing: Standing, chosen: int | None) -> frozenset[int] | None:
    """The centers whose lines a page shows: the officer's tree, or the chosen center of it
    and the centers under it; ``None`` (every center) for a leader, whose lines are then cut
    down to their departments by :func:`visible_lines`."""
    if not standing.officer:
        return None
    if chosen is None:
        return standing.centers
    return frozenset(centers_under({chosen})) & standing.centers


def visible_lines(report: Report, standing: Standing) -> list[Line]:
    """The report's lines the user may read: an officer all of them (the report was asked for
    their centers), a leader their own departments' lines only."""
    if standing.officer:
        return report.lines
    return [
        line
        for line in report.lines
        if line.kind == ReportKind.DEPARTMENT and line.department_id in standing.departments
    ]


# --- figures for the table -------------------------------------------------------------------


def percent(rate: float | None) -> str:
    """A rate as a percentage with one decimal, or a dash."""
    return "—" if rate is None else f"{rate * 100:.1f} %"


def days(value: float | None) -> str:
    """An average of working days with one decimal, or a dash."""
    return "—" if value is None else f"{value:.1f}"


# --- charts ----------------------------------------------------------------------------------


def trend_of(
    *, centers: frozenset[int] | None, months: int = MONTHS_BACK, now: datetime | None = None
) -> list[dict[str, Any]]:
    """On-time and satisfaction rates of ``centers`` together for each of the last ``months``
    months, oldest first (one aggregate query through ``month_trend``)."""
    totals: dict[date, dict[str, int]] = {}
    for period, line in month_trend(
        months=months, centers=centers, kind=ReportKind.CENTER, now=now
    ):
        figures = totals.setdefault(period, {})
        for name, value in line.figures.items():
            figures[name] = figures.get(name, 0) + value
    out = []
    for period in sorted(totals):
        rates = rates_of(totals[period])
        out.append(
            {
                "month": period,
                "decided": totals[period].get("decided", 0),
                "ratings": totals[period].get("ratings", 0),
                "on_time_rate": rates["on_time_rate"],
                "satisfaction_rate": rates["satisfaction_rate"],
            }
        )
    return out


def ratings_by_level(
    *, start: date, end: date, centers: frozenset[int] | None
) -> list[dict[str, Any]]:
    """The ratings given in ``start``–``end`` per scale and level, those excluded on appeal
    left out: one grouped query (index ``rating_center_newest``). Best level first."""
    since, until = day_bounds(start, end)
    rows = Rating.objects.filter(rated_at__gte=since, rated_at__lt=until, excluded=False)
    if centers is not None:
        rows = rows.filter(center_id__in=sorted(centers))
    counts = {
        (row["scale"], row["level"]): row["n"]
        for row in rows.values("scale", "level").annotate(n=Count("*")).order_by()
    }
    out = []
    for scale in sorted({scale for scale, _level in counts}):
        for level in levels_of(scale):
            out.append(
                {
                    "scale": scale,
                    "scale_label": str(SCALE_NAMES.get(scale, scale)),
                    "level": level.value,
                    "label": str(level.label),
                    "poor": level.poor,
                    "count": counts.get((scale, level.value), 0),
                }
            )
    return out


def complaints_by_category(
    *, start: date, end: date, centers: frozenset[int] | None
) -> list[dict[str, Any]]:
    """The complaints filed in ``start``–``end`` per category, every category listed: one
    grouped query (index ``complaint_center_newest``)."""
    since, until = day_bounds(start, end)
    rows = Complaint.objects.filter(filed_at__gte=since, filed_at__lt=until)
    if centers is not None:
        rows = rows.filter(center_id__in=sorted(centers))
    counts = {
        row["category"]: row["n"]
        for row in rows.values("category").annotate(n=Count("*")).order_by()
    }
    return [
        {"category": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in ComplaintCategory.choices
    ]


def treemap_of(tree: Tree, lines: Iterable[Line]) -> list[dict[str, Any]]:
    """The completed cases of the department ``lines`` nested center → the centers under it
    → departments, for a treemap; a center without completed cases is left out."""
    by_center: dict[int, list[Line]] = {}
    for line in lines:
        if line.figures.get("completed", 0):
            by_center.setdefault(line.center_id, []).append(line)

    def node(pk: int) -> dict[str, Any] | None:
        children = [
            {"name": line.department_name, "value": line.figures["completed"]}
            for line in sorted(by_center.get(pk, []), key=lambda line: line.department_name)
        ]
        for child in tree.children.get(pk, []):
            below = node(child)
            if below is not None:
                children.append(below)
        if not children:
            return None
        return {
            "name": tree.centers[pk].name,
            "value": sum(child["value"] for child in children),
            "children": children,
        }

    return [found for found in (node(pk) for pk in tree.tops) if found is not None]


def flat_treemap(nodes: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The treemap's nodes as rows (name, depth, completed), parents first, for its table."""
    rows = []
    for item in nodes:
        rows.append({"name": item["name"], "depth": depth, "value": item["value"]})
        rows += flat_treemap(item.get("children", []), depth + 1)
    return rows


# --- the Excel sheet -------------------------------------------------------------------------


def _rate(name: str):
    def value(line: Line) -> float | None:
        rate = line.rates.get(name)
        return None if rate is None else round(rate * 100, 1)

    return value


def _average(name: str):
    def value(line: Line) -> float | None:
        average = line.rates.get(name)
        return None if average is None else round(average, 1)

    return value


def _figure(name: str):
    return lambda line: line.figures.get(name, 0)


def report_columns(kind: str) -> list[Column]:
    """The columns of a report's sheet: rank, name, every figure, rate, score and grade."""
    grades = dict(Grade.choices)
    name_heading = dict(ReportKind.choices)[kind]
    columns = [
        Column(gettext_lazy("Rank"), lambda line: line.rank or None, 6),
        Column(name_heading, lambda line: line.name, 28),
    ]
    if kind != ReportKind.CENTER:
        columns.append(Column(gettext_lazy("Service center"), lambda line: line.center_name, 20))
    columns += [
        Column(gettext_lazy("Received"), _figure("received"), 10),
        Column(gettext_lazy("Accepted"), _figure("accepted"), 10),
        Column(gettext_lazy("Completed"), _figure("completed"), 10),
        Column(gettext_lazy("Decided"), _figure("decided"), 10),
        Column(gettext_lazy("Decided on time"), _figure("decided_on_time"), 10),
        Column(gettext_lazy("On-time rate (%)"), _rate("on_time_rate"), 10),
        Column(gettext_lazy("Average working days used"), _average("average_workdays"), 12),
        Column(gettext_lazy("Average promised working days"), _average("average_promised"), 12),
        Column(gettext_lazy("Average statutory working days"), _average("average_statutory"), 12),
        Column(gettext_lazy("Speed-up (%)"), _rate("speed_up_rate"), 10),
        Column(gettext_lazy("Immediate share (%)"), _rate("immediate_share"), 10),
        Column(gettext_lazy("Ratings"), _figure("ratings"), 10),
        Column(gettext_lazy("Poor ratings"), _figure("ratings_poor"), 10),
        Column(gettext_lazy("Satisfaction rate (%)"), _rate("satisfaction_rate"), 10),
        Column(gettext_lazy("Rectifications opened"), _figure("rectifications_opened"), 10),
        Column(gettext_lazy("Rectifications answered"), _figure("rectifications_answered"), 10),
        Column(gettext_lazy("Rectified on time"), _figure("rectifications_on_time"), 10),
        Column(gettext_lazy("Complaints"), _figure("complaints"), 10),
        Column(gettext_lazy("Complaints answered"), _figure("complaints_answered"), 10),
        Column(gettext_lazy("Complaints answered on time"), _figure("complaints_on_time"), 10),
        Column(gettext_lazy("Complaint timeliness (%)"), _rate("complaint_timeliness"), 10),
        Column(gettext_lazy("Yellow cards"), _figure("yellow_cards"), 8),
        Column(gettext_lazy("Red cards"), _figure("red_cards"), 8),
        Column(gettext_lazy("Urge notices"), _figure("urges"), 8),
        Column(gettext_lazy("Urges answered on time"), _figure("urges_answered_on_time"), 10),
        Column(gettext_lazy("Score"), lambda line: float(line.score), 8),
        Column(gettext_lazy("Grade"), lambda line: str(grades.get(line.grade, line.grade)), 14),
    ]
    return columns


def report_sheet(out: IO[bytes], *, report: Report, lines: list[Line]) -> int:
    """Write ``lines`` of ``report`` as an xlsx workbook to ``out``; returns the rows written."""
    if (
        report.start
        and report.end
        and (report.start, report.end)
        != (
            report.month,
            month_end(report.month),
        )
    ):
        title = f"{report.start:%Y%m%d}-{report.end:%Y%m%d}"
    else:
        title = f"{report.month:%Y-%m}"
    return workbook_write(out, title=title, columns=report_columns(report.kind), rows=lines)


# --- the public page -------------------------------------------------------------------------


def public_lines(*, month: date, center: int | None) -> dict[str, Any]:
    """The department ranking of ``month`` for the public page (``center``: that center and
    those under it), as plain values: no person, only the ranked departments and their
    figures, and how many had nothing to score. Cached
    per month and center for ``PUBLIC_CACHE_SECONDS``."""
    from .performance import month_report

    key = f"hall:efficiency:{month:%Y-%m}:{center or 'all'}"
    found = cache.get(key)
    if found is not None:
        return found
    centers = frozenset(centers_under({center})) if center else None
    report = month_report(month=month, kind=ReportKind.DEPARTMENT, centers=centers)
    grades = dict(Grade.choices)
    value = {
        "month": month,
        "closed": report.closed,
        "closed_at": report.closed_at,
        "lines": [
            {
                "rank": line.rank,
                "department": line.department_name,
                "center": line.center_name,
                "completed": line.figures.get("completed", 0),
                "decided": line.figures.get("decided", 0),
                "ratings": line.figures.get("ratings", 0),
                "on_time_rate": percent(line.rates.get("on_time_rate")),
                "satisfaction_rate": percent(line.rates.get("satisfaction_rate")),
                "score": line.score,
                "grade": line.grade,
                "grade_label": str(grades.get(line.grade, line.grade)),
            }
            for line in report.lines
            if line.ranked
        ],
        # Departments with nothing to score are left off the public ranking, only counted.
        "unranked": sum(1 for line in report.lines if not line.ranked),
    }
    cache.set(key, value, PUBLIC_CACHE_SECONDS)
    return value
