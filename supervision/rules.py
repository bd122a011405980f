"""The supervision rules in force on a day, as the scan applies them: one read of the rule set
whose ``effective_from`` is the latest on or before that day, with its thresholds per center
level; the model's defaults when no rule set has been configured yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .models import RuleSet
from .models.rules import (
    DEFAULT_COMPLAINT_ACCEPT_WORKDAYS,
    DEFAULT_COMPLAINT_ANSWER_WORKDAYS,
    DEFAULT_GRADE_EXCELLENT,
    DEFAULT_GRADE_GOOD,
    DEFAULT_GRADE_PASS,
    DEFAULT_MONTH_CLOSES_ON,
    DEFAULT_RATING_WORKDAYS,
    DEFAULT_RECTIFICATION_WORKDAYS,
    DEFAULT_RED_AFTER_WORKDAYS,
    DEFAULT_RED_CARD_DEDUCTION,
    DEFAULT_REMINDER_WORKDAYS,
    DEFAULT_URGE_RESPONSE_WORKDAYS,
    DEFAULT_WEIGHTS,
    DEFAULT_YELLOW_CARD_DEDUCTION,
)
from .scales import Scale


@dataclass(frozen=True)
class Thresholds:
    """How early a reminder comes and how late a yellow card turns red, in working days."""

    reminder_workdays: int
    red_after_workdays: int


@dataclass(frozen=True)
class Rules:
    """The rule set in force (``effective_from`` None: the defaults, none configured)."""

    effective_from: date | None
    reminder_workdays: int = DEFAULT_REMINDER_WORKDAYS
    red_after_workdays: int = DEFAULT_RED_AFTER_WORKDAYS
    urge_response_workdays: int = DEFAULT_URGE_RESPONSE_WORKDAYS
    rating_scale: str = Scale.FIVE
    rating_workdays: int = DEFAULT_RATING_WORKDAYS
    rating_default_level: int | None = None
    rectification_workdays: int = DEFAULT_RECTIFICATION_WORKDAYS
    complaint_accept_workdays: int = DEFAULT_COMPLAINT_ACCEPT_WORKDAYS
    complaint_answer_workdays: int = DEFAULT_COMPLAINT_ANSWER_WORKDAYS
    # (component, weight) pairs of the composite score; a tuple keeps it frozen.
    weights: tuple[tuple[str, int], ...] = tuple(sorted(DEFAULT_WEIGHTS.items()))
    red_card_deduction: Decimal = Decimal(DEFAULT_RED_CARD_DEDUCTION)
    yellow_card_deduction: Decimal = Decimal(DEFAULT_YELLOW_CARD_DEDUCTION)
    grade_excellent: int = DEFAULT_GRADE_EXCELLENT
    grade_good: int = DEFAULT_GRADE_GOOD
    grade_pass: int = DEFAULT_GRADE_PASS
    month_closes_on: int = DEFAULT_MONTH_CLOSES_ON
    # (center level, thresholds) for the levels that have their own; a tuple keeps it frozen.
    by_level: tuple[tuple[str, Thresholds], ...] = field(default=())

    @property
    def default(self) -> Thresholds:
        return Thresholds(self.reminder_workdays, self.red_after_workdays)

    def for_level(self, level: str) -> Thresholds:
        """The thresholds for the centers of ``level``: its own, or the rule set's."""
        for name, thresholds in self.by_level:
            if name == level:
                return thresholds
        return self.default


def rules_in_force(on: date) -> Rules:
    """The rules the scan applies on ``on``: the latest rule set in force by then, or the
    defaults. A rule set is never edited once in force, so a past day reads as it did."""
    rule_set = (
        RuleSet.objects.filter(effective_from__lte=on)
        .order_by("-effective_from")
        .prefetch_related("thresholds")
        .first()
    )
    if rule_set is None:
        return Rules(effective_from=None)
    return Rules(
        effective_from=rule_set.effective_from,
        reminder_workdays=rule_set.reminder_workdays,
        red_after_workdays=rule_set.red_after_workdays,
        urge_response_workdays=rule_set.urge_response_workdays,
        rating_scale=rule_set.rating_scale,
        rating_workdays=rule_set.rating_workdays,
        rating_default_level=rule_set.rating_default_level,
        rectification_workdays=rule_set.rectification_workdays,
        complaint_accept_workdays=rule_set.complaint_accept_workdays,
        complaint_answer_workdays=rule_set.complaint_answer_workdays,
        weights=tuple(sorted({**DEFAULT_WEIGHTS, **(rule_set.weights or {})}.items())),
        red_card_deduction=rule_set.red_card_deduction,
        yellow_card_deduction=rule_set.yellow_card_deduction,
        grade_excellent=rule_set.grade_excellent,
        grade_good=rule_set.grade_good,
        grade_pass=rule_set.grade_pass,
        month_closes_on=rule_set.month_closes_on,
        by_level=tuple(
            sorted(
                (t.level, Thresholds(t.reminder_workdays, t.red_after_workdays))
                for t in rule_set.thresholds.all()
            )
        ),
    )
