"""The performance report (绩效评估): a month's or any period's figures per center, department
or window, their rates, a composite score, a grade and a rank.

An open month (and any period asked for on demand) is added up from the daily summary
(:mod:`supervision.summary`): one aggregate query over a few thousand summary rows and one
query for the names, whatever the number of cases. A closed month is read from its frozen
:class:`~supervision.models.PerformanceRow` lines and never recomputed.

Lines and ranks:

* a **department** line sums the department's case rows (``window`` empty) of the summary;
* a **window** line sums the window's rows (what its clerks took in and handed over, the
  ratings given there), whatever department they served;
* a **center** line sums the case rows of the center's own departments (not of the centers
  under it: each center of the tree has its own line).

Only what had some activity in the period has a line. The rank is the line's place among
every line of its kind in the city (competition ranking: the same score has the same rank, the
next one skips, 1, 1, 3), so a report limited to some centers keeps the city-wide ranks.

The score (:func:`score_of`) is the weighted mean of six components, each 0–100 — the on-time
rate, the satisfaction rate, the speed-up, complaint, rectification and urge timeliness — minus
the points per yellow and red card, never below 0. **A component without data** (no case
decided, no rating, no complaint answered …) **counts 100**: nothing went wrong there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Department, ServiceCenter, Window
from workflow.calendar import shanghai_today
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed

from .models import RuleSet
from .models.performance import (
    COUNTERS,
    DailySummary,
    Grade,
    PerformanceMonth,
    PerformanceRow,
    ReportKind,
)
from .rules import Rules, rules_in_force

# The components of the score, in the order of the rule set's weights.
COMPONENTS = ("on_time", "satisfaction", "speed_up", "complaints", "rectifications", "urges")

RATES = (
    "on_time_rate",
    "satisfaction_rate",
    "speed_up_rate",
    "average_workdays",
    "average_promised",
    "average_statutory",
    "immediate_share",
    "complaint_timeliness",
    "rectification_timeliness",
    "urge_timeliness",
)

_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)


@dataclass
class Line:
    """One line of a report: a center, a department or a window over the period.

    ``figures`` holds every counter of :data:`COUNTERS` (0 when nothing happened);
    ``rates`` the derived rates of :data:`RATES` (fractions 0–1, averages in working days;
    ``None`` when there is nothing to divide by); ``score`` 0.0–100.0, ``grade`` a
    :class:`Grade` value, ``rank`` 1 for the best of its kind (ties share a rank). A line
    with nothing to score (no case decided, no rating, no complaint or rectification
    answered, no urge) is not ranked: ``rank`` 0, no grade, listed after the ranked ones.
    ``department_*`` is empty on window and center lines, ``window_*`` on department and
    center lines.
    """

    kind: str
    center_id: int
    center_name: str
    department_id: int | None
    department_name: str
    window_id: int | None
    window_label: str
    figures: dict[str, int]
    rates: dict[str, float | None] = field(default_factory=dict)
    score: Decimal = Decimal("0.0")
    grade: str = Grade.FAIL
    rank: int = 0

    @property
    def name(self) -> str:
        """What the line is about, for a table's first column."""
        if self.kind == ReportKind.WINDOW:
            return self.window_label
        if self.kind == ReportKind.DEPARTMENT:
            return self.department_name
        return self.center_name

    @property
    def key(self) -> int:
        """The id of the center, department or window of the line."""
        if self.kind == ReportKind.WINDOW:
            return self.window_id or 0
        if self.kind == ReportKind.DEPARTMENT:
            return self.department_id or 0
        return self.center_id

    @property
    def ranked(self) -> bool:
        """Whether the line has anything scored, and so a rank and a grade."""
        return self.rank > 0


@dataclass
class Report:
    """A report over ``start``–``end`` (a month: its first and last day), its lines ranked
    (best first). ``closed`` is True for a closed month read from its frozen lines, with
    ``closed_at``; ``month`` is the first day of the month (of ``start`` for a period)."""

    month: date
    kind: str
    closed: bool
    closed_at: datetime | None
    lines: list[Line]
    start: date | None = None
    end: date | None = None


# --- months --------------------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def month_end(month: date) -> date:
    """The last day of the month of ``month``."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after (before, if negative) ``month``'s."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the first day of that month; :class:`InvalidInput` otherwise."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise InvalidInput(_("Give the month as YYYY-MM, for example 2026-10.")).with_fields(
            {"month": [_("Give the month as YYYY-MM, for example 2026-10.")]}
        ) from None


def check_kind(kind: str) -> str:
    """``kind`` if it is a :class:`ReportKind`; :class:`InvalidInput` otherwise."""
    if kind not in ReportKind.values:
        message = _("Choose the report of departments, windows or centers.")
        raise InvalidInput(message).with_fields({"kind": [message]})
    return kind


# --- rates, score, grade, rank -------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def rates_of(figures: dict[str, int]) -> dict[str, float | None]:
    """The rates of a line's figures (``None`` where there is nothing to divide by).

    on-time = decided on time / decided; satisfaction = (ratings − poor) / ratings; speed-up =
    1 − working days used / statutory working days (of the decided cases); the averages per
    decided case; immediate share = immediate items / completed; timeliness = on time /
    answered (complaints, rectifications) and answered on time / urges sent.
    """
    f = figures
    decided = f.get("decided", 0)
    ratings = f.get("ratings", 0)
    statutory = f.get("statutory_days", 0)
    return {
        "on_time_rate": _ratio(f.get("decided_on_time", 0), decided),
        "satisfaction_rate": _ratio(ratings - f.get("ratings_poor", 0), ratings),
        "speed_up_rate": (1 - f.get("workdays_used", 0) / statutory) if statutory else None,
        "average_workdays": _ratio(f.get("workdays_used", 0), decided),
        "average_promised": _ratio(f.get("promised_days", 0), decided),
        "average_statutory": _ratio(statutory, decided),
        "immediate_share": _ratio(f.get("immediate", 0), f.get("completed", 0)),
        "complaint_timeliness": _ratio(
            f.get("complaints_on_time", 0), f.get("complaints_answered", 0)
        ),
        "rectification_timeliness": _ratio(
            f.get("rectifications_on_time", 0), f.get("rectifications_answered", 0)
        ),
        "urge_timeliness": _ratio(f.get("urges_answered_on_time", 0), f.get("urges", 0)),
    }


_COMPONENT_RATE = {
    "on_time": "on_time_rate",
    "satisfaction": "satisfaction_rate",
    "speed_up": "speed_up_rate",
    "complaints": "complaint_timeliness",
    "rectifications": "rectification_timeliness",
    "urges": "urge_timeliness",
}


def components_of(figures: dict[str, int]) -> dict[str, Decimal | None]:
    """Each component of the score, 0–100: its rate × 100, clamped; None without data."""
    rates = rates_of(figures)
    out: dict[str, Decimal | None] = {}
    for component, rate_name in _COMPONENT_RATE.items():
        rate = rates[rate_name]
        if rate is None:
            out[component] = None
        else:
            value = Decimal(str(rate)) * _HUNDRED
            out[component] = min(_HUNDRED, max(Decimal(0), value))
    return out


def grade_of(score: Decimal, rules: Rules) -> str:
    """The grade of ``score``: excellent from ``grade_excellent`` (inclusive), good from
    ``grade_good``, pass from ``grade_pass``, fail below."""
    if score >= rules.grade_excellent:
        return Grade.EXCELLENT
    if score >= rules.grade_good:
        return Grade.GOOD
    if score >= rules.grade_pass:
        return Grade.PASS
    return Grade.FAIL


def score_of(figures: dict[str, int], rules: Rules) -> tuple[Decimal, str]:
    """The composite score (one decimal, half up) and grade of a line's ``figures``.

    Σ(weight × component) / Σ weight over the components of :func:`components_of` that have
    data (a department that decided nothing is neither rewarded nor punished for its on-time
    rate: the weight of a component without data goes to the others), minus
    ``yellow_card_deduction`` per yellow and ``red_card_deduction`` per red card, floor 0.
    Nothing to score (or every weight 0 among those with data): 100 before deductions; such
    a line is left unranked by :func:`rank_lines` when nothing at all was scored. Pure.
    """
    components = components_of(figures)
    weights = dict(rules.weights)
    scored = [c for c in COMPONENTS if components[c] is not None]
    total_weight = sum(Decimal(weights.get(c, 0)) for c in scored)
    if total_weight:
        mean = (
            sum(Decimal(weights.get(c, 0)) * components[c] for c in scored)  # type: ignore[operator]
            / total_weight
        )
    else:
        mean = _HUNDRED
    score = (
        mean
        - Decimal(rules.yellow_card_deduction) * figures.get("yellow_cards", 0)
        - Decimal(rules.red_card_deduction) * figures.get("red_cards", 0)
    )
    score = max(Decimal(0), score).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return score, grade_of(score, rules)


def has_scored(figures: dict[str, int]) -> bool:
    """Whether any component of the score has data: what earns a line a rank. Cards alone do
    not: a department that decided nothing, answered nothing and was rated by nobody has no
    on-time rate to speak of, and ranking it on its cards' deductions alone would put it above
    the departments that did the work."""
    return any(value is not None for value in components_of(figures).values())


def rank_lines(lines: list[Line]) -> list[Line]:
    """``lines`` best first with their ``rank`` set: by score, then name; the same score has
    the same rank and the next rank skips (1, 1, 3). Lines with nothing scored
    (:func:`has_scored`) follow, unranked (rank 0, no grade). Returns the sorted list (the
    lines are updated in place)."""
    ranked: list[Line] = []
    unranked: list[Line] = []
    for line in lines:
        (ranked if has_scored(line.figures) else unranked).append(line)
    unranked.sort(key=lambda line: (line.name, line.key))
    ordered = sorted(ranked, key=lambda line: (-line.score, line.name, line.key))
    previous: Decimal | None = None
    rank = 0
    for position, line in enumerate(ordered, start=1):
        if line.score != previous:
            rank, previous = position, line.score
        line.rank = rank
    for line in unranked:
        line.rank, line.grade = 0, ""
    return ordered + unranked


def _scored(lines: list[Line], rules: Rules) -> list[Line]:
    for line in lines:
        line.rates = rates_of(line.figures)
        line.score, line.grade = score_of(line.figures, rules)
    return rank_lines(lines)


# --- what the rules were at closing --------------------------------------------------------


def rules_snapshot(rules: Rules) -> dict[str, Any]:
    """What a closed month keeps of the rule set: weights, deductions and grade thresholds."""
    return {
        "effective_from": rules.effective_from.isoformat() if rules.effective_from else None,
        "weights": dict(rules.weights),
        "yellow_card_deduction": str(rules.yellow_card_deduction),
        "red_card_deduction": str(rules.red_card_deduction),
        "grade_excellent": rules.grade_excellent,
        "grade_good": rules.grade_good,
        "grade_pass": rules.grade_pass,
    }


def rules_from_snapshot(snapshot: dict[str, Any], fallback: Rules) -> Rules:
    """The scoring rules a closed month was closed with (``fallback`` for what it lacks)."""
    if not snapshot:
        return fallback
    return Rules(
        effective_from=fallback.effective_from,
        weights=tuple(sorted((snapshot.get("weights") or dict(fallback.weights)).items())),
        yellow_card_deduction=Decimal(
            snapshot.get("yellow_card_deduction", fallback.yellow_card_deduction)
        ),
        red_card_deduction=Decimal(snapshot.get("red_card_deduction", fallback.red_card_deduction)),
        grade_excellent=snapshot.get("grade_excellent", fallback.grade_excellent),
        grade_good=snapshot.get("grade_good", fallback.grade_good),
        grade_pass=snapshot.get("grade_pass", fallback.grade_pass),
    )


# --- adding up the summary -----------------------------------------------------------------

_GROUP = {
    ReportKind.DEPARTMENT: "department_id",
    ReportKind.WINDOW: "window_id",
    ReportKind.CENTER: "center_id",
}


def _summary_rows(kind: str, start: date, end: date, *, by_month: bool = False):
    """The summary summed per line of ``kind`` (and per month with ``by_month``): one query."""
    rows = DailySummary.objects.filter(day__gte=start, day__lte=end)
    rows = rows.filter(window__isnull=kind != ReportKind.WINDOW)
    group = [_GROUP[kind]]
    if by_month:
        rows = rows.annotate(period=TruncMonth("day"))
        group.insert(0, "period")
    return (
        rows.values(*group)
        .annotate(**{f"sum_{name}": Sum(name) for name in COUNTERS})
        .order_by(*group)
    )


def _names(kind: str, keys: set[int]) -> dict[int, dict[str, Any]]:
    """The names of the lines of ``kind`` with these ids: one query."""
    out: dict[int, dict[str, Any]] = {}
    if kind == ReportKind.DEPARTMENT:
        for d in Department.objects.filter(id__in=keys).select_related("center"):
            out[d.id] = {
                "center_id": d.center_id,
                "center_name": d.center.name,
                "department_id": d.id,
                "department_name": d.name,
                "window_id": None,
                "window_label": "",
            }
    elif kind == ReportKind.WINDOW:
        for w in Window.objects.filter(id__in=keys).select_related("center"):
            out[w.id] = {
                "center_id": w.center_id,
                "center_name": w.center.name,
                "department_id": None,
                "department_name": "",
                "window_id": w.id,
                "window_label": f"{w.center.name} {w.number}",
            }
    else:
        for c in ServiceCenter.objects.filter(id__in=keys):
            out[c.id] = {
                "center_id": c.id,
                "center_name": c.name,
                "department_id": None,
                "department_name": "",
                "window_id": None,
                "window_label": "",
            }
    return out


def _line(kind: str, names: dict[str, Any], row: dict[str, Any]) -> Line:
    figures = {name: int(row.get(f"sum_{name}") or 0) for name in COUNTERS}
    return Line(kind=kind, figures=figures, **names)


def _in(lines: list[Line], centers: frozenset[int] | None) -> list[Line]:
    if centers is None:
        return lines
    return [line for line in lines if line.center_id in centers]


def _computed(kind: str, start: date, end: date, rules: Rules) -> list[Line]:
    rows = list(_summary_rows(kind, start, end))
    key = _GROUP[kind]
    names = _names(kind, {row[key] for row in rows})
    lines = [_line(kind, names[row[key]], row) for row in rows if row[key] in names]
    return _scored(lines, rules)


def period_report(
    *,
    start: date,
    end: date,
    kind: str = ReportKind.DEPARTMENT,
    centers: frozenset[int] | None = None,
) -> Report:
    """The report over ``start``–``end`` (inclusive), on demand from the daily summary and
    never frozen, scored with the rules in force on ``end``; lines of ``centers`` only when
    given (the ranks stay city-wide)."""
    check_kind(kind)
    if end < start:
        message = _("The end of the period is before its start.")
        raise InvalidInput(message).with_fields({"end": [message]})
    lines = _computed(kind, start, end, rules_in_force(end))
    return Report(
        month=month_start(start),
        kind=kind,
        closed=False,
        closed_at=None,
        lines=_in(lines, centers),
        start=start,
        end=end,
    )


def _frozen_lines(closed: PerformanceMonth, kind: str) -> list[Line]:
    lines = []
    rows = (
        PerformanceRow.objects.filter(month=closed, kind=kind)
        .select_related("center", "department", "window")
        .order_by("rank", "id")
    )
    for row in rows:
        figures = {name: int(row.figures.get(name, 0)) for name in COUNTERS}
        lines.append(
            Line(
                kind=kind,
                center_id=row.center_id,
                center_name=row.center.name,
                department_id=row.department_id,
                department_name=row.department.name if row.department else "",
                window_id=row.window_id,
                window_label=f"{row.center.name} {row.window.number}" if row.window else "",
                figures=figures,
                rates=rates_of(figures),
                score=row.score,
                grade=row.grade,
                rank=row.rank,
            )
        )
    # Ranked lines first, then the unranked (rank 0) as they were listed at closing.
    return sorted(lines, key=lambda line: (line.rank == 0, line.rank))


def month_report(
    *,
    month: date,
    kind: str = ReportKind.DEPARTMENT,
    centers: frozenset[int] | None = None,
) -> Report:
    """The report of the month of ``month``: a closed month's frozen lines, or an open month
    added up from the daily summary (one aggregate query, one for the names) and scored with
    the rules in force on its last day. ``centers``: only the lines of these centers (a
    window's and a department's center is where it is; ranks stay city-wide)."""
    check_kind(kind)
    first = month_start(month)
    last = month_end(first)
    closed = PerformanceMonth.objects.filter(month=first).first()
    if closed is not None:
        return Report(
            month=first,
            kind=kind,
            closed=True,
            closed_at=closed.closed_at,
            lines=_in(_frozen_lines(closed, kind), centers),
            start=first,
            end=last,
        )
    lines = _computed(kind, first, last, rules_in_force(last))
    return Report(
        month=first,
        kind=kind,
        closed=False,
        closed_at=None,
        lines=_in(lines, centers),
        start=first,
        end=last,
    )


def month_trend(
    *,
    months: int,
    centers: frozenset[int] | None = None,
    kind: str = ReportKind.CENTER,
    now: datetime | None = None,
) -> list[tuple[date, Line]]:
    """The lines of ``kind`` for each of the last ``months`` months (the current one
    included), oldest first, each month ranked on its own: one aggregate query over the
    summary (a closed month's summary rows are kept as they were at closing), one for the
    names, one for the closed months' rules, and the rules of each rule set in force then
    (usually one). Closed months are scored with the rules they were closed with, open ones
    with the rules in force on their last day."""
    check_kind(kind)
    months = max(1, int(months))
    current = month_start(shanghai_today(now))
    first = add_months(current, -(months - 1))
    rows = list(_summary_rows(kind, first, month_end(current), by_month=True))
    key = _GROUP[kind]
    names = _names(kind, {row[key] for row in rows})
    closed = {
        m.month: m.weights
        for m in PerformanceMonth.objects.filter(month__gte=first, month__lte=current)
    }
    by_month: dict[date, list[Line]] = defaultdict(list)
    for row in rows:
        if row[key] in names:
            period = row["period"]
            period = period.date() if isinstance(period, datetime) else period
            by_month[period].append(_line(kind, names[row[key]], row))
    # The rules of each month's last day, read once per rule set in force (usually one).
    starts = sorted(RuleSet.objects.values_list("effective_from", flat=True))
    read: dict[date | None, Rules] = {}

    def rules_on(day: date) -> Rules:
        key = max((start for start in starts if start <= day), default=None)
        if key not in read:
            read[key] = rules_in_force(day)
        return read[key]

    out: list[tuple[date, Line]] = []
    for period in sorted(by_month):
        rules = rules_on(month_end(period))
        if period in closed:
            rules = rules_from_snapshot(closed[period], rules)
        for line in _in(_scored(by_month[period], rules), centers):
            out.append((period, line))
    return out


# --- closing a month -----------------------------------------------------------------------


def month_close_refusal(*, month: date, now: datetime | None = None) -> TransitionNotAllowed | None:
    """Why the month of ``month`` cannot be closed now, or None: it must be over (its last
    day before today in Asia/Shanghai) and not closed already."""
    first = month_start(month)
    if shanghai_today(now) <= month_end(first):
        return TransitionNotAllowed(_("A month can be closed only once it is over."))
    if PerformanceMonth.objects.filter(month=first).exists():
        return TransitionNotAllowed(_("This month is closed already."))
    return None


def closer_refusal(user: Any) -> ActionForbidden | None:
    """Why ``user`` may not close a month, or None: only a supervision officer of a top-level
    center (the city's, with no center above it) closes one, for the whole city at once."""
    from .scope import officer_centers

    centers = officer_centers(user)
    if centers and ServiceCenter.objects.filter(pk__in=centers, parent__isnull=True).exists():
        return None
    return ActionForbidden(
        _("Only a supervision officer of the top-level service center closes a month.")
    )


def month_close(
    *, month: date, by: Any = None, now: datetime | None = None, resummarize: bool = True
) -> PerformanceMonth:
    """Close the month of ``month``: re-run the daily summary of its days (unless
    ``resummarize`` is False), then freeze its lines of every kind (center, department,
    window) with their figures, score, grade and rank under the rules in force on its last
    day, which are kept with it. Raises :class:`ActionForbidden` when ``by`` (None: the beat)
    is not an officer of the top-level center (:func:`closer_refusal`),
    :class:`TransitionNotAllowed` for a month not yet over or closed already. From then on the
    month is never recomputed."""
    now = now or timezone.now()
    if by is not None:
        forbidden = closer_refusal(by)
        if forbidden is not None:
            raise forbidden
    first = month_start(month)
    refusal = month_close_refusal(month=first, now=now)
    if refusal is not None:
        raise refusal
    last = month_end(first)
    if resummarize:
        from .summary import summarize

        summarize(days=[first + timedelta(days=n) for n in range((last - first).days + 1)], now=now)
    rules = rules_in_force(last)
    try:
        with transaction.atomic():
            closed = PerformanceMonth.objects.create(
                month=first, closed_at=now, closed_by=by, weights=rules_snapshot(rules)
            )
            rows = []
            for kind in (ReportKind.CENTER, ReportKind.DEPARTMENT, ReportKind.WINDOW):
                for line in _computed(kind, first, last, rules):
                    rows.append(
                        PerformanceRow(
                            month=closed,
                            kind=kind,
                            center_id=line.center_id,
                            department_id=line.department_id,
                            window_id=line.window_id,
                            figures=line.figures,
                            score=line.score,
                            grade=line.grade,
                            rank=line.rank,
                        )
                    )
            PerformanceRow.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError:
        raise TransitionNotAllowed(_("This month is closed already.")) from None
    return closed


def close_due_months(now: datetime | None = None) -> list[date]:
    """For the beat: once today is on or after the rule set's ``month_closes_on`` day, close
    last month, and every earlier month with figures that was never closed (the months of a
    city that switched supervision on with history behind it), oldest first. Returns the
    months closed."""
    now = now or timezone.now()
    today = shanghai_today(now)
    last_month = add_months(month_start(today), -1)
    if today.day < rules_in_force(today).month_closes_on:
        return []
    first_day = DailySummary.objects.order_by("day").values_list("day", flat=True).first()
    month = min(month_start(first_day), last_month) if first_day else last_month
    closed = set(
        PerformanceMonth.objects.filter(month__lte=last_month).values_list("month", flat=True)
    )
    done: list[date] = []
    while month <= last_month:
        if month not in closed:
            try:
                month_close(month=month, now=now)
            except TransitionNotAllowed:
                pass
            else:
                done.append(month)
        month = add_months(month, 1)
    return done
