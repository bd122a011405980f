"""Urge notices (督办单): the office presses a department about one or several cases, with a
limit in working days; the department's leader answers; unanswered past the limit, each urged
case gets a red card; the office closes the notice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UrgeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Urge(models.Model):
    number = models.CharField(_("urge notice number"), max_length=40, unique=True)
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department urged"),
        on_delete=models.PROTECT,
        related_name="urges",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="urges",
        help_text=_("The department's center, kept for the scope of the lists."),
    )
    cases = models.ManyToManyField(
        "workflow.Case", verbose_name=_("cases"), through="UrgeCase", related_name="urges"
    )
    message = models.TextField(_("what the office asks"))
    respond_within = models.PositiveSmallIntegerField(_("answer within (working days)"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=UrgeStatus.choices, default=UrgeStatus.OPEN
    )
    answer = models.TextField(_("the department's answer"), blank=True)
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
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("urge notice")
        verbose_name_plural = _("urge notices")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                "center",
                models.F("sent_at").desc(),
                models.F("id").desc(),
                name="urge_center_newest",
            ),
            models.Index(
                "department",
                models.F("sent_at").desc(),
                models.F("id").desc(),
                name="urge_department_newest",
            ),
            # The scan's question: open notices past their limit.
            models.Index(
                fields=["due_on"], name="urge_open_due", condition=Q(status=UrgeStatus.OPEN)
            ),
        ]

    def __str__(self) -> str:
        return self.number


class UrgeCase(models.Model):
    urge = models.ForeignKey(
        Urge, verbose_name=_("urge notice"), on_delete=models.CASCADE, related_name="urged"
    )
    case = models.ForeignKey(
        "workflow.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("urged case")
        verbose_name_plural = _("urged cases")
        constraints = [
            models.UniqueConstraint(fields=["urge", "case"], name="urgecase_once_per_urge")
        ]
        indexes = [models.Index(fields=["case"], name="urgecase_case")]

    def __str__(self) -> str:
        return f"{self.urge} · {self.case_id}"
