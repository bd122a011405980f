"""The performance report: every figure and rate of a hand-built month (tests/supervision/
month.py), the score with the default and configured weights, the grades at their thresholds,
ties in the ranking, and a closed month that later events do not change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from supervision.models import DailySummary, PerformanceMonth, PerformanceRow, Rating, RuleSet
from supervision.models.performance import COUNTERS, Grade, ReportKind
from supervision.performance import (
    Line,
    close_due_months,
    month_close,
    month_report,
    month_trend,
    period_report,
    rank_lines,
    score_of,
)
from supervision.rules import Rules, rules_in_force
from supervision.summary import summarize
from tests.factories.workflow import at
from tests.supervision.month import NOVEMBER, NOVEMBER_FIGURES, d, november
from tests.supervision.office import national_day_2026, supervised_office
from workflow.exceptions import TransitionNotAllowed
from workflow.models import Case

NOVEMBER_DAYS = [NOVEMBER + timedelta(days=n) for n in range(30)]
DECEMBER_2 = at(date(2026, 12, 2))
DEFAULTS = Rules(effective_from=None)


@pytest.fixture
def office(db):
    national_day_2026()
    return supervised_office()


@pytest.fixture
def month(office):
    built = november(office)
    summarize(days=NOVEMBER_DAYS, now=DECEMBER_2)
    return built


def line_of(report, **key):
    (line,) = [line for line in report.lines if all(getattr(line, k) == v for k, v in key.items())]
    return line


def test_the_department_line_of_the_hand_built_month(month):
    report = month_report(month=NOVEMBER, kind=ReportKind.DEPARTMENT)
    line = line_of(report, department_id=month.office.department.pk)

    assert not report.closed
    assert line.figures == NOVEMBER_FIGURES
    assert line.department_name == month.office.department.name
    assert line.center_name == month.office.county.name
    rates = line.rates
    assert rates["on_time_rate"] == 3 / 4  # A, C, D of 4 decided
    assert rates["satisfaction_rate"] == 2 / 3  # 3 ratings, 1 poor (C's excluded)
    assert rates["speed_up_rate"] == 1 - 25 / 80  # 0.6875
    assert rates["average_workdays"] == 25 / 4  # 6.25 working days per decided case
    assert rates["average_promised"] == 10
    assert rates["average_statutory"] == 20
    assert rates["immediate_share"] == 1 / 3  # D of A, B, D completed
    assert rates["complaint_timeliness"] == 1 / 2
    assert rates["rectification_timeliness"] == 1
    assert rates["urge_timeliness"] == 1 / 2
    # Components × default weights (40, 25, 15, 10, 5, 5): 75 × 40 + 66.67 × 25 + 68.75 × 15
    # + 50 × 10 + 100 × 5 + 50 × 5 = 6947.92, / 100 = 69.48; minus a yellow (0.5) and a red
    # card (2.0): 66.98 → 67.0, a pass (60 ≤ 67.0 < 80).
    assert line.score == Decimal("67.0")
    assert line.grade == Grade.PASS
    assert line.rank == 1


def test_the_window_and_center_lines(month):
    window = line_of(
        month_report(month=NOVEMBER, kind=ReportKind.WINDOW), window_id=month.window.pk
    )
    # The window's clerk took in all five; A was rated 5 there; everything else is the
    # department's, so every component without data counts 100.
    assert window.figures["accepted"] == 5
    assert (window.figures["ratings"], window.figures["ratings_poor"]) == (1, 0)
    assert window.figures["decided"] == 0
    assert window.window_label == f"{month.office.county.name} A01"
    assert window.score == Decimal("100.0")
    assert window.grade == Grade.EXCELLENT

    center = line_of(
        month_report(month=NOVEMBER, kind=ReportKind.CENTER), center_id=month.office.county.pk
    )
    # The county's only active department is the office's: the same figures.
    assert center.figures == NOVEMBER_FIGURES
    assert center.score == Decimal("67.0")


def test_a_report_of_some_centers_keeps_the_city_wide_ranks(month, office):
    other = Case.objects.filter(pk=month.cases["E"].pk)
    other.update(
        department=office.other_department, decided_on=d(9), due_on=d(30), status="decided"
    )
    summarize(days=NOVEMBER_DAYS, now=DECEMBER_2)
    everyone = month_report(month=NOVEMBER, kind=ReportKind.DEPARTMENT)
    assert [line.department_id for line in everyone.lines] == [
        office.other_department.pk,  # 100.0: one case, decided on time
        office.department.pk,
    ]

    county = month_report(month=NOVEMBER, centers=frozenset({office.county.pk}))

    assert [(line.department_id, line.rank) for line in county.lines] == [(office.department.pk, 2)]
    assert month_report(month=NOVEMBER, centers=frozenset({office.town.pk})).lines == []


def test_configured_weights_and_deductions(month):
    RuleSet.objects.create(
        effective_from=date(2026, 11, 1),
        weights={
            "on_time": 1,
            "satisfaction": 0,
            "speed_up": 0,
            "complaints": 0,
            "rectifications": 0,
            "urges": 0,
        },
        yellow_card_deduction=Decimal("1.0"),
        red_card_deduction=Decimal("5.0"),
    )
    line = line_of(month_report(month=NOVEMBER), department_id=month.office.department.pk)

    # Only the on-time rate counts: 75, minus 1 yellow × 1.0 and 1 red × 5.0 = 69.0.
    assert line.score == Decimal("69.0")


def test_a_component_without_data_counts_100():
    assert score_of(dict.fromkeys(COUNTERS, 0), DEFAULTS) == (Decimal("100.0"), Grade.EXCELLENT)


@pytest.mark.parametrize(
    ("yellow", "red", "score", "grade"),
    [
        (20, 0, "90.0", Grade.EXCELLENT),  # 100 − 20 × 0.5: on the threshold
        (21, 0, "89.5", Grade.GOOD),
        (0, 10, "80.0", Grade.GOOD),  # 100 − 10 × 2
        (1, 10, "79.5", Grade.PASS),
        (0, 20, "60.0", Grade.PASS),
        (1, 20, "59.5", Grade.FAIL),
        (0, 60, "0.0", Grade.FAIL),  # 100 − 120, floored at 0
    ],
)
def test_grades_at_the_thresholds(yellow, red, score, grade):
    figures = {**dict.fromkeys(COUNTERS, 0), "yellow_cards": yellow, "red_cards": red}
    assert score_of(figures, DEFAULTS) == (Decimal(score), grade)


def test_the_same_score_has_the_same_rank():
    def line(name: str, score: str) -> Line:
        return Line(
            kind=ReportKind.DEPARTMENT,
            center_id=1,
            center_name="",
            department_id=len(name),
            department_name=name,
            window_id=None,
            window_label="",
            figures={"decided": 1},
            score=Decimal(score),
        )

    ranked = rank_lines([line("丙局", "80.0"), line("乙局乙", "90.0"), line("甲局甲甲", "90.0")])

    assert [(x.department_name, x.rank) for x in ranked] == [
        ("乙局乙", 1),
        ("甲局甲甲", 1),
        ("丙局", 3),
    ]


def later_events(month) -> None:
    """A's rating excluded on appeal, E decided late on 30 Nov."""
    Rating.objects.filter(pk=month.ratings["A"].pk).update(excluded=True)
    Case.objects.filter(pk=month.cases["E"].pk).update(
        decided_on=d(30), due_on=d(20), status="decided"
    )


def test_later_events_change_an_open_month(month):
    later_events(month)
    summarize(days=NOVEMBER_DAYS, now=DECEMBER_2)

    line = line_of(month_report(month=NOVEMBER), department_id=month.office.department.pk)
    assert (line.figures["ratings"], line.figures["decided"], line.figures["decided_on_time"]) == (
        2,
        5,
        3,
    )


def test_a_closed_month_is_frozen(month, office):
    closed = month_close(month=NOVEMBER, by=office.city_officer, now=DECEMBER_2)
    assert closed.closed_by == office.city_officer
    assert set(PerformanceRow.objects.filter(month=closed).values_list("kind", flat=True)) == {
        ReportKind.CENTER,
        ReportKind.DEPARTMENT,
        ReportKind.WINDOW,
    }
    assert closed.weights["weights"]["on_time"] == 40

    later_events(month)
    summarize(now=at(date(2026, 12, 10)))
    RuleSet.objects.create(effective_from=date(2026, 11, 1), grade_pass=70)

    report = month_report(month=NOVEMBER)
    line = line_of(report, department_id=office.department.pk)
    assert report.closed and report.closed_at == DECEMBER_2
    assert line.figures == NOVEMBER_FIGURES
    assert (line.score, line.grade, line.rank) == (Decimal("67.0"), Grade.PASS, 1)
    assert line.rates["on_time_rate"] == 3 / 4


def test_closing_twice_or_a_running_month_is_refused(month):
    with pytest.raises(TransitionNotAllowed, match="only once it is over"):
        month_close(month=NOVEMBER, now=at(date(2026, 11, 30)))
    month_close(month=NOVEMBER, now=DECEMBER_2)
    with pytest.raises(TransitionNotAllowed, match="closed already"):
        month_close(month=NOVEMBER, now=DECEMBER_2)
    assert PerformanceMonth.objects.count() == 1


def test_the_beat_closes_last_month_on_the_closing_day(month):
    assert rules_in_force(date(2026, 12, 4)).month_closes_on == 5
    assert close_due_months(at(date(2026, 12, 4))) == []
    assert close_due_months(at(date(2026, 12, 5))) == [NOVEMBER]
    assert close_due_months(at(date(2026, 12, 6))) == []
    assert month_report(month=NOVEMBER).closed


def test_the_beat_also_closes_the_older_months_never_closed(month):
    # A city that switched supervision on with history: October has figures, nobody closed it.
    department = month.office.department
    DailySummary.objects.create(
        day=date(2026, 10, 15), department=department, center_id=department.center_id, decided=1
    )
    summarize(days=NOVEMBER_DAYS, now=DECEMBER_2)

    assert close_due_months(at(date(2026, 12, 5))) == [date(2026, 10, 1), NOVEMBER]
    assert month_report(month=date(2026, 10, 1)).closed
    assert month_report(month=NOVEMBER).closed


def test_a_period_on_demand_and_the_trend(month, office):
    week = period_report(start=d(16), end=d(22))
    line = line_of(week, department_id=office.department.pk)
    # 16–22 Nov: C rated (excluded), B decided late on the 20th, cards on the 17th and 19th.
    assert (line.figures["decided"], line.figures["decided_on_time"]) == (1, 0)
    assert (line.figures["yellow_cards"], line.figures["red_cards"]) == (1, 1)
    assert not week.closed

    trend = month_trend(months=3, now=DECEMBER_2)
    assert [(m, ln.center_id, ln.figures["decided"]) for m, ln in trend] == [
        (NOVEMBER, office.county.pk, 4)
    ]


def test_the_trend_reads_a_few_queries_whatever_the_months(month, django_assert_max_num_queries):
    month_close(month=NOVEMBER, now=DECEMBER_2)
    with django_assert_max_num_queries(6):
        trend = month_trend(months=24, kind=ReportKind.DEPARTMENT, now=DECEMBER_2)
    (november_line,) = [line for m, line in trend if m == NOVEMBER]
    assert november_line.score == Decimal("67.0")


def test_a_component_without_data_gives_its_weight_to_the_others():
    rules = Rules(effective_from=None)  # the defaults
    # Two cases decided, one on time, nothing else: the on-time rate (50) is the only
    # component with data, so it is the score, whatever the weights of the others.
    score, grade = score_of({"decided": 2, "decided_on_time": 1}, rules)
    assert score == Decimal("50.0")
    assert grade == Grade.FAIL


def test_a_line_with_nothing_scored_is_listed_unranked_after_the_others():
    def line(name: str, figures: dict) -> Line:
        return Line(
            kind=ReportKind.DEPARTMENT,
            center_id=1,
            center_name="",
            department_id=len(name),
            department_name=name,
            window_id=None,
            window_label="",
            figures=figures,
            score=Decimal("100.0"),
            grade=Grade.EXCELLENT,
        )

    quiet = line("甲局", {"received": 3})
    # Overdue cases but nothing decided: the cards alone do not rank it (above the busy one).
    carded = line("丁局", {"received": 2, "yellow_cards": 1})
    busy = line("乙局乙", {"decided": 1, "decided_on_time": 1})
    ordered = rank_lines([quiet, carded, busy])

    assert ordered == [busy, carded, quiet]
    assert (busy.rank, busy.grade) == (1, Grade.EXCELLENT)
    assert (quiet.rank, quiet.grade, quiet.ranked) == (0, "", False)
    assert (carded.rank, carded.ranked) == (0, False)
