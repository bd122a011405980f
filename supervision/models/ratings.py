"""Ratings (好差评, 一事一评): one rating per case by its applicant — online in "my cases", by the
link in the completion message, or on the window's rating kiosk (电子评议器) — or the configured
default when none came in time. A poor rating (差评) opens a rectification (整改) for the
department; the department may appeal (申诉) a mistaken or malicious rating, and an appeal the
office upholds takes the rating out of the statistics."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..scales import Scale


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Online, in my cases")
    LINK = "link", _("By the link in the completion message")
    KIOSK = "kiosk", _("At the window's rating kiosk")
    DEFAULT = "default", _("Default (not rated in time)")


class AppealDecision(models.TextChoices):
    # The appeal's outcome, not the rating's: an upheld appeal excludes the rating.
    UPHELD = "upheld", _("Appeal upheld: the rating is excluded")
    DISMISSED = "dismissed", _("Appeal dismissed: the rating stands")


class Rating(models.Model):
    case = models.OneToOneField(
        "workflow.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="rating"
    )
    # The case's department and its center, kept on the row for the scope and the statistics.
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    # The window and the clerk who handed the result over, when it was handed over at a window
    # whose clerks are known: the per-window and per-staff statistics.
    window = models.ForeignKey(
        "catalog.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    scale = models.CharField(_("scale"), max_length=8, choices=Scale.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    poor = models.BooleanField(_("poor rating (差评)"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_given",
    )
    rated_at = models.DateTimeField(_("rated at"))
    rated_on = models.DateField(_("rated on"))
    # The department's appeal (申诉) and the office's review of it (复核).
    appeal_reason = models.TextField(_("the department's appeal"), blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appealed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_decision = models.CharField(
        _("review of the appeal"), max_length=10, choices=AppealDecision.choices, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    excluded = models.BooleanField(
        _("excluded from the statistics"),
        default=False,
        help_text=_("Set when the office upholds the department's appeal."),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level"),
        ]
        indexes = [
            models.Index(
                "center",
                models.F("rated_at").desc(),
                models.F("id").desc(),
                name="rating_center_newest",
            ),
            models.Index(
                "department",
                models.F("rated_at").desc(),
                models.F("id").desc(),
                name="rating_department_newest",
            ),
            # The daily summary and the monthly statistics per window and per staff member.
            models.Index(fields=["rated_on", "department"], name="rating_day_department"),
            models.Index(
                fields=["window", "rated_on"],
                name="rating_window_day",
                condition=Q(window__isnull=False),
            ),
            models.Index(
                fields=["staff", "rated_on"],
                name="rating_staff_day",
                condition=Q(staff__isnull=False),
            ),
            # The appeals waiting for the office's review.
            models.Index(
                "center",
                models.F("appealed_at").desc(),
                name="rating_appeal_waiting",
                condition=Q(appealed_at__isnull=False, appeal_decision=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_scale_display()} {self.level}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("To rectify")
    ANSWERED = "answered", _("Rectified and answered")
    CANCELLED = "cancelled", _("Cancelled: the rating was excluded on appeal")


class Rectification(models.Model):
    """What a poor rating asks of the department: find out, put it right, call the applicant
    back (回访) and answer by the deadline; the applicant then rates the rectification."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="rectification"
    )
    case = models.ForeignKey(
        "workflow.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"))
    answer = models.TextField(_("what was put right"), blank=True)
    callback_note = models.TextField(_("call-back to the applicant (回访)"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # The applicant's rating of the rectification, on the scale of the rating it follows.
    applicant_level = models.PositiveSmallIntegerField(
        _("the applicant's rating of the rectification"), null=True, blank=True
    )
    applicant_comment = models.TextField(_("the applicant's comment"), blank=True)
    applicant_rated_at = models.DateTimeField(_("rated by the applicant at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(
                "center",
                models.F("opened_on").desc(),
                models.F("id").desc(),
                name="rectification_center_newest",
            ),
            models.Index(
                "department",
                models.F("opened_on").desc(),
                models.F("id").desc(),
                name="rectification_dept_newest",
            ),
            # The scan's overdue rule and the department's queue: the open ones by due date.
            models.Index(
                fields=["due_on"], name="rectification_open_due_on", condition=Q(status="open")
            ),
            models.Index(fields=["answered_on", "department"], name="rectification_answered_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_status_display()}"


class Kiosk(models.Model):
    """A rating kiosk (电子评议器) bound to one window: the administrator issues a one-time code,
    the device at the window enters it once and keeps a signed cookie; the kiosk then shows only
    the case just completed at its window."""

    window = models.ForeignKey(
        "catalog.Window", verbose_name=_("window"), on_delete=models.CASCADE, related_name="kiosks"
    )
    label = models.CharField(_("label"), max_length=60, blank=True)
    code_digest = models.CharField(_("binding code (digest)"), max_length=128, blank=True)
    code_expires_at = models.DateTimeField(_("code expires at"), null=True, blank=True)
    device_digest = models.CharField(_("device key (digest)"), max_length=128, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    bound_at = models.DateTimeField(_("bound at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating kiosk")
        verbose_name_plural = _("rating kiosks")
        ordering = ["window", "-issued_at"]

    def __str__(self) -> str:
        return self.label or str(self.window)
