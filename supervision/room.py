"""The monitoring room (总监控室): the office's live view of the cases and cards of a center
tree (city → counties → towns), by center and by department, and its charts.

Every number comes from the figures the scan writes per department (``DepartmentFigures``) or
from one grouped query over the alerts that an index answers: the page costs the same at a
million open cases as at a hundred. Each number links to the list behind it: the staff case
list with its filters, or the office's alert list.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Min, Sum
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.models import Department, ServiceCenter
from workflow.deadlines import SPAN_START, WorkCalendar

from .models import Alert, AlertLevel, AlertRule, DepartmentFigures

# How many working days the trend goes back.
TREND_WORKDAYS = 30
# The departments with the most cards that the chart names; the rest are in the table below.
TOP_DEPARTMENTS = 12
# The newest red cards the wall shows.
WALL_RED_CARDS = 6


@dataclass(frozen=True)
class Column:
    """One of the room's figures: a tile, and a column of the tables."""

    key: str
    label: Promise
    # "cases": the number links to the staff case list; "alerts": to the office's alert list.
    target: str
    # The colour the tile takes when the number is not zero.
    tone: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("received_today", _("Received today"), "cases"),
    Column("prereview", _("In pre-review"), "cases"),
    Column("in_progress", _("In progress"), "cases"),
    Column("suspended", _("Suspended"), "cases"),
    Column("due_within_day", _("Due within a working day"), "cases", tone="soon"),
    Column("yellow", _("Yellow cards"), "alerts", tone="card-yellow"),
    Column("red", _("Red cards"), "alerts", tone="card-red"),
)
FIGURES = tuple(column.key for column in COLUMNS)
# The figures that make a case "open" in the chart of open cases by center.
OPEN_CASE_FIGURES = ("prereview", "in_progress", "suspended")


def column_filters(key: str, *, today: date) -> dict[str, str]:
    """The list filters that show the cases or alerts a figure counts."""
    day = today.isoformat()
    return {
        "received_today": {"received_after": day, "received_before": day},
        "prereview": {"status": "submitted"},
        "in_progress": {"clock": "running"},
        "suspended": {"clock": "suspended"},
        "due_within_day": {"due": "day"},
        "yellow": {"level": AlertLevel.YELLOW},
        "red": {"level": AlertLevel.RED},
    }[key]


def column_href(
    column: Column,
    *,
    today: date,
    center_id: int | None = None,
    department_id: int | None = None,
) -> str:
    """The link behind a figure of one center (and the centers under it) or one department."""
    query: dict[str, Any] = {}
    if department_id is not None:
        query["department"] = department_id
    elif center_id is not None:
        query["center"] = center_id
    query |= column_filters(column.key, today=today)
    url = reverse("workbench-cases" if column.target == "cases" else "supervision-alerts")
    return f"{url}?{urlencode(query)}"


@dataclass(frozen=True)
class Cell:
    column: Column
    value: int
    href: str

    @property
    def tone(self) -> str:
        return self.column.tone if self.value else ""


def _zero() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


def cells(
    values: Mapping[str, int],
    *,
    today: date,
    center_id: int | None = None,
    department_id: int | None = None,
) -> list[Cell]:
    """The figures of one row (or of the tiles), each with the link to what it counts."""
    return [
        Cell(
            column,
            values.get(column.key, 0),
            column_href(column, today=today, center_id=center_id, department_id=department_id),
        )
        for column in COLUMNS
    ]


@dataclass
class Tally:
    """The figures summed over some departments, and when the oldest of them was counted."""

    values: dict[str, int]
    taken_at: datetime | None


def figures_total(center_ids: Iterable[int]) -> Tally:
    """The tiles: the figures of every department of ``center_ids``, in one aggregate query."""
    row = DepartmentFigures.objects.filter(center_id__in=sorted(center_ids)).aggregate(
        taken_at=Min("taken_at"), **{key: Sum(key) for key in FIGURES}
    )
    taken_at = row.pop("taken_at")
    return Tally({key: row[key] or 0 for key in FIGURES}, taken_at)


def figures_by_center(center_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Each center's own figures (its departments', not those of the centers under it)."""
    rows = (
        DepartmentFigures.objects.filter(center_id__in=sorted(center_ids))
        .values("center_id")
        .annotate(**{key: Sum(key) for key in FIGURES})
        .order_by()
    )
    return {row["center_id"]: {key: row[key] or 0 for key in FIGURES} for row in rows}


@dataclass
class CenterRow:
    """A center of the tree, with its figures and those of every center under it."""

    center: ServiceCenter
    depth: int
    own: dict[str, int] = field(default_factory=_zero)
    total: dict[str, int] = field(default_factory=_zero)
    cells: list[Cell] = field(default_factory=list)


class Tree:
    """The centers an officer supervises, read once, and walks over them."""

    def __init__(self, centers: Iterable[ServiceCenter]) -> None:
        self.centers = {center.pk: center for center in centers}
        self.children: dict[int | None, list[int]] = {}
        for center in sorted(self.centers.values(), key=lambda c: c.code):
            parent = center.parent_id if center.parent_id in self.centers else None
            self.children.setdefault(parent, []).append(center.pk)

    @classmethod
    def of(cls, center_ids: Iterable[int]) -> Tree:
        return cls(
            ServiceCenter.objects.filter(pk__in=sorted(center_ids)).only(
                "pk", "code", "name", "level", "parent_id"
            )
        )

    @property
    def tops(self) -> list[int]:
        """The centers with no parent in the tree: where the officer's supervision starts."""
        return list(self.children.get(None, []))

    def under(self, roots: Iterable[int]) -> list[tuple[int, int]]:
        """(center id, depth) of ``roots`` and every center below them, parents first."""
        found: list[tuple[int, int]] = []

        def walk(pk: int, depth: int) -> None:
            found.append((pk, depth))
            for child in self.children.get(pk, []):
                walk(child, depth + 1)

        for root in roots:
            walk(root, 0)
        return found

    def path_to(self, pk: int) -> list[ServiceCenter]:
        """The centers from the top of the tree down to ``pk``."""
        path = []
        current: int | None = pk
        while current in self.centers:
            center = self.centers[current]
            path.append(center)
            current = center.parent_id
        return path[::-1]


def center_rows(
    tree: Tree, roots: list[int], by_center: Mapping[int, dict[str, int]], *, today: date
) -> list[CenterRow]:
    """The table by center: ``roots`` and the centers under them, parents first, each with
    its figures summed over itself and the centers under it."""
    rows = [
        CenterRow(tree.centers[pk], depth, own=dict(by_center.get(pk, _zero())))
        for pk, depth in tree.under(roots)
    ]
    # Children come after their parent: adding up from the end gives each its subtree.
    totals: dict[int, dict[str, int]] = {}
    for row in reversed(rows):
        total = dict(row.own)
        for child in tree.children.get(row.center.pk, []):
            for key, value in totals.get(child, {}).items():
                total[key] += value
        totals[row.center.pk] = row.total = total
        row.cells = cells(total, today=today, center_id=row.center.pk)
    return rows


@dataclass
class DepartmentRow:
    department: Department
    cells: list[Cell]


def department_rows(center_ids: Iterable[int], *, today: date) -> list[DepartmentRow]:
    """The table by department: every department of ``center_ids`` (not of the centers under
    them), with its figures (zero before the first count)."""
    departments = (
        Department.objects.filter(center_id__in=sorted(center_ids))
        .select_related("center", "supervision_figures")
        .order_by("center__code", "code")
    )
    rows = []
    for department in departments:
        counted = getattr(department, "supervision_figures", None)
        values = {key: getattr(counted, key) for key in FIGURES} if counted else _zero()
        rows.append(
            DepartmentRow(department, cells(values, today=today, department_id=department.pk))
        )
    return rows


# --- charts ----------------------------------------------------------------------------------


def last_workdays(today: date, n: int, *, calendar: WorkCalendar) -> list[date]:
    """The ``n`` working days up to ``today`` (today included if it is one), oldest first."""
    days: list[date] = []
    day = today
    while len(days) < n and day > SPAN_START:
        if calendar.is_workday(day):
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


LEVELS = (AlertLevel.REMINDER, AlertLevel.YELLOW, AlertLevel.RED)


def open_alerts_by_rule(center_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The open alerts of ``center_ids`` per rule and level (index ``alert_open_center_rule``),
    the rules with the most first."""
    rows = (
        Alert.objects.filter(
            center_id__in=sorted(center_ids), resolved_on__isnull=True, revoked_on__isnull=True
        )
        .values("rule", "level")
        .annotate(n=Count("*"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["rule"], dict.fromkeys(LEVELS, 0))[row["level"]] = row["n"]
    labels = dict(AlertRule.choices)
    table = [
        {
            "rule": rule,
            "label": str(labels.get(rule, rule)),
            "levels": levels,
            "cells": [(level, levels[level]) for level in LEVELS],
        }
        for rule, levels in counts.items()
    ]
    table.sort(key=lambda row: (-sum(row["levels"].values()), row["rule"]))
    return table


def cards_by_department(center_ids: Iterable[int], *, limit: int = TOP_DEPARTMENTS) -> list:
    """The departments of ``center_ids`` (all levels) with the most yellow and red cards."""
    return list(
        DepartmentFigures.objects.filter(center_id__in=sorted(center_ids))
        .annotate(cards=F("yellow") + F("red"))
        .filter(cards__gt=0)
        .select_related("department", "center")
        .order_by("-cards", "-red", "department__code")[:limit]
    )


def open_cases_by_center(tree: Tree, rows: list[CenterRow]) -> list[dict[str, Any]]:
    """Open cases (in pre-review, in progress, suspended) of each top center's own departments
    and of each center just under it with everything below: parts that add up to the tiles."""
    by_pk = {row.center.pk: row for row in rows}
    parts = []
    for row in rows:
        if row.depth != 0:
            continue
        parts.append(
            {
                "center": row.center,
                "own": True,
                "values": {key: row.own[key] for key in OPEN_CASE_FIGURES},
            }
        )
        for child in tree.children.get(row.center.pk, []):
            below = by_pk[child]
            parts.append(
                {
                    "center": below.center,
                    "own": False,
                    "values": {key: below.total[key] for key in OPEN_CASE_FIGURES},
                }
            )
    return parts


def alert_trend(
    center_ids: Iterable[int], *, today: date, calendar: WorkCalendar
) -> list[dict[str, Any]]:
    """Alerts raised per working day and level over the last ``TREND_WORKDAYS`` working days,
    revoked cards left out: one grouped query over ``raised_on`` (index
    ``alert_center_raised_level``). An alert raised on a rest day counts on the next working
    day."""
    days = last_workdays(today, TREND_WORKDAYS, calendar=calendar)
    if not days:
        return []
    counts = [dict.fromkeys(LEVELS, 0) for _day in days]
    rows = (
        Alert.objects.filter(
            center_id__in=sorted(center_ids),
            raised_on__gte=days[0],
            raised_on__lte=today,
            revoked_on__isnull=True,
        )
        .values("raised_on", "level")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        index = min(bisect_left(days, row["raised_on"]), len(days) - 1)
        counts[index][row["level"]] = counts[index].get(row["level"], 0) + row["n"]
    return [
        {"day": day, "levels": levels, "cells": [(level, levels[level]) for level in LEVELS]}
        for day, levels in zip(days, counts, strict=True)
    ]


def chart_data(
    *,
    rules: list[dict[str, Any]],
    departments: list[DepartmentFigures],
    centers: list[dict[str, Any]],
    trend: list[dict[str, Any]],
) -> dict[str, Any]:
    """What the room's charts draw, labels translated; the page hands it over as JSON."""
    level_names = dict(AlertLevel.choices)
    figure_names = {column.key: column.label for column in COLUMNS}
    return {
        "levels": [{"key": level, "name": str(level_names[level])} for level in LEVELS],
        "rules": {
            "title": str(_("Open alerts by rule")),
            "names": [row["label"] for row in rules],
            "series": {level: [row["levels"][level] for row in rules] for level in LEVELS},
        },
        "departments": {
            "title": str(_("Yellow and red cards by department")),
            "names": [row.department.name for row in departments],
            "series": {
                AlertLevel.YELLOW: [row.yellow for row in departments],
                AlertLevel.RED: [row.red for row in departments],
            },
        },
        "centers": {
            "title": str(_("Open cases by center")),
            "names": [part["center"].name for part in centers],
            "series": [
                {"name": str(figure_names[key]), "data": [part["values"][key] for part in centers]}
                for key in OPEN_CASE_FIGURES
            ],
        },
        "trend": {
            "title": str(_("Alerts raised per working day")),
            "days": [row["day"].strftime("%m-%d") for row in trend],
            "series": {level: [row["levels"][level] for row in trend] for level in LEVELS},
        },
    }


def latest_red_cards(center_ids: Iterable[int], *, limit: int = WALL_RED_CARDS) -> list[Alert]:
    """The newest open red cards of ``center_ids``, for the wall (index ``alert_open_newest``
    or ``alert_open_center_newest``)."""
    return list(
        Alert.objects.filter(
            center_id__in=sorted(center_ids),
            level=AlertLevel.RED,
            resolved_on__isnull=True,
            revoked_on__isnull=True,
        )
        .select_related("case", "step", "department")
        .order_by("-raised_on", "-id")[:limit]
    )
