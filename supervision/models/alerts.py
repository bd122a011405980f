"""Alerts: what the scan raised, one per subject (a case, a step, a round of materials, a fee,
a suspension, a window's month, a consultation, an urged case), rule and level; resolved when
the subject moves on, kept for the record; revoked when the office's review of an appeal says
the card was wrong (a revoked card leaves the statistics)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AlertRule(models.TextChoices):
    CASE_DUE = "case_due", _("Case due date")
    STEP_DUE = "step_due", _("Step due date")
    PREREVIEW_LATE = "prereview_late", _("Pre-review answer late (Art. 32)")
    COMPLETED_LATE = "completed_late", _("Decided after the due date")
    DELIVERY_LATE = "delivery_late", _("Delivery late (Art. 44)")
    FEE_DEVIATION = "fee_deviation", _("Fee differs from the catalog standard")
    SUSPENSION_OVERRUN = "suspension_overrun", _("Suspension past its expected end")
    ZERO_INTAKE = "zero_intake", _("A window took in nothing in a month (零受理)")
    CONSULTATION_LATE = "consultation_late", _("Consultation answered late")
    URGE_UNANSWERED = "urge_unanswered", _("Urge notice unanswered")
    RECTIFICATION_LATE = "rectification_late", _("Rectification of a poor rating late")
    COMPLAINT_UNACCEPTED = "complaint_unaccepted", _("Complaint not accepted or declined in time")
    COMPLAINT_LATE = "complaint_late", _("Complaint not answered in time")


class AlertLevel(models.TextChoices):
    # In rising order of gravity; the values sort that way too.
    REMINDER = "reminder", _("Reminder")
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class Alert(models.Model):
    # "case:12", "step:34", "submission:5", "fee:6", "suspension:7", "window:8:2026-11",
    # "consultation:9", "urge:10:case:12": the one key that keeps an alert unique whatever it is
    # about (a NULL step would not count in a unique constraint).
    subject = models.CharField(_("subject"), max_length=60)
    rule = models.CharField(
        pgettext_lazy("alert", "rule"), max_length=24, choices=AlertRule.choices
    )
    level = models.CharField(_("level"), max_length=10, choices=AlertLevel.choices)
    case = models.ForeignKey(
        "workflow.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    step = models.ForeignKey(
        "workflow.StepRun",
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    # The department's center, kept on the row: the office's lists filter on a column the
    # index holds, not across a join.
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    raised_on = models.DateField(_("raised on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    revoked_on = models.DateField(
        _("revoked on"),
        null=True,
        blank=True,
        help_text=_("Set when the review of an appeal revokes the card; it leaves the statistics."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledgement = models.TextField(_("acknowledgement note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "rule", "level"], name="alert_one_per_subject_rule_level"
            )
        ]
        indexes = [
            # The office's and the department's lists of open alerts, newest first.
            models.Index(
                "center",
                models.F("raised_on").desc(),
                models.F("id").desc(),
                name="alert_open_center_newest",
                condition=Q(resolved_on__isnull=True),
            ),
            models.Index(
                "department",
                models.F("raised_on").desc(),
                models.F("id").desc(),
                name="alert_open_department_newest",
                condition=Q(resolved_on__isnull=True),
            ),
            # A city officer's list covers most centers: walking every open alert newest first
            # and keeping the tree's is cheaper than merging one index range per center.
            models.Index(
                models.F("raised_on").desc(),
                models.F("id").desc(),
                name="alert_open_newest",
                condition=Q(resolved_on__isnull=True),
            ),
            # Every alert (open or not) of a center, for the record and the exports.
            models.Index(
                "center",
                models.F("raised_on").desc(),
                models.F("id").desc(),
                name="alert_center_newest",
            ),
            # A leader's list of every alert of their department, and the office's filter by
            # department beyond the open ones.
            models.Index(
                "department",
                models.F("raised_on").desc(),
                models.F("id").desc(),
                name="alert_department_newest",
            ),
            # The office's most asked filter: the open red (or yellow) cards of a center.
            models.Index(
                "center",
                "level",
                models.F("raised_on").desc(),
                models.F("id").desc(),
                name="alert_open_center_level_newest",
                condition=Q(resolved_on__isnull=True),
            ),
            # The monitoring room's charts, counted from the index alone: the alerts raised per
            # day and level (the trend), and the open ones per rule and level.
            models.Index(
                fields=["center", "raised_on", "level"],
                name="alert_center_raised_level",
                condition=Q(revoked_on__isnull=True),
            ),
            models.Index(
                fields=["center", "rule", "level"],
                name="alert_open_center_rule",
                condition=Q(resolved_on__isnull=True, revoked_on__isnull=True),
            ),
            models.Index(fields=["case", "level"], name="alert_case_level"),
            # The scan compares the open alerts with what stands today, read from the index.
            models.Index(
                fields=["subject", "rule", "level"],
                include=["id", "due_on"],
                name="alert_open_key",
                condition=Q(resolved_on__isnull=True),
            ),
            # The monitoring room's yellow and red cards per department (revoked ones left out).
            models.Index(
                fields=["department", "level"],
                name="alert_open_department_level",
                condition=Q(resolved_on__isnull=True, revoked_on__isnull=True),
            ),
            models.Index(fields=["step"], name="alert_step", condition=Q(step__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.get_rule_display()} · {self.subject}"


class DepartmentFigures(models.Model):
    """The monitoring room's counts of one department, written by each scan in one statement:
    the tiles add these up for a center tree instead of counting a million open cases."""

    department = models.OneToOneField(
        "catalog.Department",
        verbose_name=_("department"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="supervision_figures",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("counted at"))
    received_today = models.PositiveIntegerField(_("received today"), default=0)
    prereview = models.PositiveIntegerField(_("in pre-review"), default=0)
    in_progress = models.PositiveIntegerField(_("in progress"), default=0)
    suspended = models.PositiveIntegerField(_("suspended"), default=0)
    due_within_day = models.PositiveIntegerField(_("due within a working day"), default=0)
    yellow = models.PositiveIntegerField(_("yellow cards"), default=0)
    red = models.PositiveIntegerField(_("red cards"), default=0)

    class Meta:
        verbose_name = _("department figures")
        verbose_name_plural = _("department figures")

    def __str__(self) -> str:
        return str(self.department)
