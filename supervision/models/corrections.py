"""Correction and accountability (纠错 / 问责): what the office decides about a red card or a
violation, and who answers for it; the department may appeal (申诉) once, and the office's
review keeps (维持) or revokes (撤销) it. A revoked card leaves the statistics."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CorrectionOutcome(models.TextChoices):
    REMINDER = "reminder", _("Reminder (提醒)")
    NOTICE = "notice", _("Circulated notice (通报)")
    RECTIFY = "rectify", _("Rectification by a date (限期整改)")
    ACCOUNTABILITY = "accountability", _("Accountability (责任追究)")


class AppealReview(models.TextChoices):
    UPHELD = "upheld", _("Upheld (维持)")
    REVOKED = "revoked", _("Revoked (撤销)")


class Correction(models.Model):
    alert = models.ForeignKey(
        "supervision.Alert",
        verbose_name=_("alert"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CorrectionOutcome.choices)
    responsible_person = models.CharField(_("responsible person"), max_length=100)
    note = models.TextField(_("findings"))
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
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
    review = models.CharField(
        _("review of the appeal"), max_length=10, choices=AppealReview.choices, blank=True
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

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(
                "center",
                models.F("recorded_at").desc(),
                models.F("id").desc(),
                name="correction_center_newest",
            ),
            models.Index(
                "department",
                models.F("recorded_at").desc(),
                models.F("id").desc(),
                name="correction_department_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.alert_id}"
