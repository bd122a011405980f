"""The supervision rules as configuration: how early a reminder comes, how late a yellow card
turns red, how long a department has to answer an urge notice. Versioned like the catalog: a
rule set applies from its day on, and one that is in force is never edited, so that any day's
cards can be reproduced (``manage.py supervise --on``)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import CenterLevel

from ..scales import Scale, is_poor

# What applies when no rule set has been configured yet (the defaults).
DEFAULT_REMINDER_WORKDAYS = 1
DEFAULT_RED_AFTER_WORKDAYS = 3
DEFAULT_URGE_RESPONSE_WORKDAYS = 3
DEFAULT_RECTIFICATION_WORKDAYS = 5
DEFAULT_COMPLAINT_ACCEPT_WORKDAYS = 5
DEFAULT_COMPLAINT_ANSWER_WORKDAYS = 10
DEFAULT_RATING_WORKDAYS = 10
# The composite score's weights (they need not add up to 100: the score is their weighted mean)
# and the deductions per card, in points.
DEFAULT_WEIGHTS = {
    "on_time": 40,
    "satisfaction": 25,
    "speed_up": 15,
    "complaints": 10,
    "rectifications": 5,
    "urges": 5,
}
DEFAULT_RED_CARD_DEDUCTION = "2.0"
DEFAULT_YELLOW_CARD_DEDUCTION = "0.5"
DEFAULT_GRADE_EXCELLENT = 90
DEFAULT_GRADE_GOOD = 80
DEFAULT_GRADE_PASS = 60
DEFAULT_MONTH_CLOSES_ON = 5


class RuleSet(models.Model):
    effective_from = models.DateField(
        _("in force from"),
        unique=True,
        help_text=_("The scan applies this rule set from this day until a later one starts."),
    )
    reminder_workdays = models.PositiveSmallIntegerField(
        _("reminder (working days before the due date)"),
        default=DEFAULT_REMINDER_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    red_after_workdays = models.PositiveSmallIntegerField(
        _("red card (working days overdue)"),
        default=DEFAULT_RED_AFTER_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A yellow card turns red when it is overdue by more than this."),
    )
    urge_response_workdays = models.PositiveSmallIntegerField(
        _("urge notice answer (working days)"),
        default=DEFAULT_URGE_RESPONSE_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("The default limit of an urge notice; the officer may set another."),
    )
    # Ratings (好差评), rectifications, complaints.
    rating_scale = models.CharField(
        _("rating scale"), max_length=8, choices=Scale.choices, default=Scale.FIVE
    )
    rating_workdays = models.PositiveSmallIntegerField(
        _("time to rate (working days after completion)"),
        default=DEFAULT_RATING_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    rating_default_level = models.PositiveSmallIntegerField(
        _("default level when not rated in time"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Empty: a case not rated in time stays without a rating."),
    )
    rectification_workdays = models.PositiveSmallIntegerField(
        _("rectification of a poor rating (working days)"),
        default=DEFAULT_RECTIFICATION_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    complaint_accept_workdays = models.PositiveSmallIntegerField(
        _("complaint accepted or declined within (working days)"),
        default=DEFAULT_COMPLAINT_ACCEPT_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    complaint_answer_workdays = models.PositiveSmallIntegerField(
        _("complaint answered within (working days)"),
        default=DEFAULT_COMPLAINT_ANSWER_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Performance (绩效评估): the composite score and the grades.
    weights = models.JSONField(
        _("weights of the composite score"),
        default=dict,
        blank=True,
        help_text=_(
            "on_time, satisfaction, speed_up, complaints, rectifications, urges; empty: the defaults."
        ),
    )
    red_card_deduction = models.DecimalField(
        _("points off per red card"),
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_RED_CARD_DEDUCTION,
    )
    yellow_card_deduction = models.DecimalField(
        _("points off per yellow card"),
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_YELLOW_CARD_DEDUCTION,
    )
    grade_excellent = models.PositiveSmallIntegerField(
        _("excellent from (score)"),
        default=DEFAULT_GRADE_EXCELLENT,
        validators=[MaxValueValidator(100)],
    )
    grade_good = models.PositiveSmallIntegerField(
        _("good from (score)"), default=DEFAULT_GRADE_GOOD, validators=[MaxValueValidator(100)]
    )
    grade_pass = models.PositiveSmallIntegerField(
        _("pass from (score)"), default=DEFAULT_GRADE_PASS, validators=[MaxValueValidator(100)]
    )
    month_closes_on = models.PositiveSmallIntegerField(
        _("a month closes on this day of the next"),
        default=DEFAULT_MONTH_CLOSES_ON,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("supervision rule set")
        verbose_name_plural = _("supervision rule sets")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return str(_("Rules from %(day)s") % {"day": self.effective_from.isoformat()})

    def clean(self) -> None:
        """A default level is one of the scale's and never a poor one: a case not rated in
        time has not complained, so its default must not open a rectification."""
        super().clean()
        level = self.rating_default_level
        if level is None or not self.rating_scale:
            return
        try:
            poor = is_poor(self.rating_scale, level)
        except ValueError:
            raise ValidationError(
                {"rating_default_level": _("The rating scale has no such level.")}
            ) from None
        if poor:
            raise ValidationError(
                {
                    "rating_default_level": _(
                        "A default level cannot be a poor rating: a case not rated in time "
                        "has not complained."
                    )
                }
            )

    def in_force_by(self, today: date) -> bool:
        """Whether the rule set has started applying (and so may no longer change)."""
        return self.effective_from <= today


class RuleThreshold(models.Model):
    """Other thresholds for the centers of one level (a town's station may get more time)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="thresholds"
    )
    level = models.CharField(_("center level"), max_length=10, choices=CenterLevel.choices)
    reminder_workdays = models.PositiveSmallIntegerField(
        _("reminder (working days before the due date)"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    red_after_workdays = models.PositiveSmallIntegerField(
        _("red card (working days overdue)"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("threshold of a center level")
        verbose_name_plural = _("thresholds of center levels")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "level"], name="rulethreshold_one_per_level"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_level_display())
