"""Performance (绩效评估): the daily summary the reports add up, and the closed months.

``DailySummary`` holds one row per day and department (``window`` empty) with the case figures
of that day, and one row per day, window and department with what happened at that window
(intake and hand-over by its clerks, ratings given there). The summary task rewrites the days
of the months not yet closed with set-based statements, so a month's report adds up a few
thousand rows instead of reading millions of cases. A closed month is kept as
``PerformanceRow`` snapshots and never recomputed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The figures a summary row and a report row carry; the report derives its rates from them.
COUNTERS = (
    "received",
    "accepted",
    "completed",
    "decided",
    "decided_on_time",
    "immediate",
    "workdays_used",
    "promised_days",
    "statutory_days",
    "ratings",
    "ratings_poor",
    "rectifications_opened",
    "rectifications_answered",
    "rectifications_on_time",
    "complaints",
    "complaints_answered",
    "complaints_on_time",
    "yellow_cards",
    "red_cards",
    "urges",
    "urges_answered_on_time",
)


class DailySummary(models.Model):
    day = models.DateField(_("day"))
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    window = models.ForeignKey(
        "catalog.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    received = models.PositiveIntegerField(_("received"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    decided = models.PositiveIntegerField(_("decided"), default=0)
    decided_on_time = models.PositiveIntegerField(_("decided on time"), default=0)
    immediate = models.PositiveIntegerField(_("immediate items completed"), default=0)
    workdays_used = models.PositiveIntegerField(_("working days used"), default=0)
    promised_days = models.PositiveIntegerField(_("promised working days"), default=0)
    statutory_days = models.PositiveIntegerField(_("statutory working days"), default=0)
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    ratings_poor = models.PositiveIntegerField(_("poor ratings"), default=0)
    rectifications_opened = models.PositiveIntegerField(_("rectifications opened"), default=0)
    rectifications_answered = models.PositiveIntegerField(_("rectifications answered"), default=0)
    rectifications_on_time = models.PositiveIntegerField(
        _("rectifications answered on time"), default=0
    )
    complaints = models.PositiveIntegerField(_("complaints"), default=0)
    complaints_answered = models.PositiveIntegerField(_("complaints answered"), default=0)
    complaints_on_time = models.PositiveIntegerField(_("complaints answered on time"), default=0)
    yellow_cards = models.PositiveIntegerField(_("yellow cards"), default=0)
    red_cards = models.PositiveIntegerField(_("red cards"), default=0)
    urges = models.PositiveIntegerField(_("urge notices"), default=0)
    urges_answered_on_time = models.PositiveIntegerField(
        _("urge notices answered on time"), default=0
    )

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department"],
                condition=Q(window__isnull=True),
                name="dailysummary_one_per_department_day",
            ),
            models.UniqueConstraint(
                fields=["day", "window", "department"],
                condition=Q(window__isnull=False),
                name="dailysummary_one_per_window_day",
            ),
        ]
        indexes = [
            models.Index(fields=["day", "center"], name="dailysummary_day_center"),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.department_id} · {self.window_id or '-'}"


class ReportKind(models.TextChoices):
    CENTER = "center", _("Service center")
    DEPARTMENT = "department", _("Department")
    WINDOW = "window", _("Window")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    GOOD = "good", _("Good (良好)")
    PASS = "pass", _("Pass (合格)")
    FAIL = "fail", _("Fail (不合格)")


class PerformanceMonth(models.Model):
    """A closed month: its report rows are frozen from the moment it is closed."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    weights = models.JSONField(_("weights and grade thresholds applied"), default=dict)

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class PerformanceRow(models.Model):
    """One line of a closed month's report: a center, a department or a window, its figures
    as they stood when the month was closed, its score, grade and rank among its peers."""

    month = models.ForeignKey(
        PerformanceMonth, verbose_name=_("month"), on_delete=models.CASCADE, related_name="rows"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "catalog.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    figures = models.JSONField(_("figures"), default=dict)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        verbose_name = _("report line of a closed month")
        verbose_name_plural = _("report lines of closed months")
        ordering = ["month", "kind", "rank"]
        indexes = [
            models.Index(fields=["month", "kind", "center", "rank"], name="performancerow_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.month} · {self.kind} · {self.rank}"
