"""Complaints (网上投诉): filed in the online hall, with or without a case, or recorded by staff
from a phone call; routed to a department, which accepts or declines it with reasons within
the acceptance limit and answers it within the answer limit (working days, configuration);
the complainant reads the answer and rates it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..scales import Scale


class ComplaintCategory(models.TextChoices):
    WINDOW_CONDUCT = "window_conduct", _("Window conduct")
    FEES = "fees", _("Fees")
    TIME = "time", _("Time taken")
    ATTITUDE = "attitude", _("Service attitude")
    OTHER = "other", _("Other")


class ComplaintChannel(models.TextChoices):
    ONLINE = "online", _("Online hall")
    PHONE = "phone", _("Phone call, recorded by staff")


class ComplaintStatus(models.TextChoices):
    FILED = "filed", _("Waiting to be accepted")
    ACCEPTED = "accepted", _("Accepted, being handled")
    DECLINED = "declined", _("Not accepted")
    ANSWERED = "answered", _("Answered")


class Complaint(models.Model):
    number = models.CharField(_("complaint number"), max_length=30, unique=True)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complainant's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    name = models.CharField(_("complainant's name"), max_length=100)
    phone = models.CharField(_("complainant's phone"), max_length=20)
    case = models.ForeignKey(
        "workflow.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    center = models.ForeignKey(
        "catalog.ServiceCenter",
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    category = models.CharField(_("category"), max_length=16, choices=ComplaintCategory.choices)
    content = models.TextField(_("what happened"))
    channel = models.CharField(_("channel"), max_length=8, choices=ComplaintChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"))
    filed_on = models.DateField(_("filed on"))
    accept_due_on = models.DateField(_("accept or decline by"))
    answer_due_on = models.DateField(_("answer by"))
    status = models.CharField(
        _("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted or declined by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("accepted or declined at"), null=True, blank=True)
    decided_on = models.DateField(_("accepted or declined on"), null=True, blank=True)
    decline_reason = models.TextField(_("reasons for not accepting"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
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
    complainant_level = models.PositiveSmallIntegerField(
        _("the complainant's rating of the answer"), null=True, blank=True
    )
    # The scale the rating was given on, kept as a rating keeps its own: a later change of
    # scale never changes what the complainant said.
    complainant_scale = models.CharField(
        _("scale of the complainant's rating"), max_length=8, choices=Scale.choices, blank=True
    )
    complainant_comment = models.TextField(_("the complainant's comment"), blank=True)
    complainant_rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(
                "center",
                models.F("filed_at").desc(),
                models.F("id").desc(),
                name="complaint_center_newest",
            ),
            models.Index(
                "department",
                models.F("filed_at").desc(),
                models.F("id").desc(),
                name="complaint_department_newest",
            ),
            models.Index(
                "complainant",
                models.F("filed_at").desc(),
                name="complaint_complainant_newest",
                condition=Q(complainant__isnull=False),
            ),
            # The scan's overdue rules: waiting to be accepted, and accepted but unanswered.
            models.Index(
                fields=["accept_due_on"], name="complaint_filed_due", condition=Q(status="filed")
            ),
            models.Index(
                fields=["answer_due_on"],
                name="complaint_accepted_due",
                condition=Q(status="accepted"),
            ),
            models.Index(fields=["filed_on", "department"], name="complaint_day_department"),
            models.Index(fields=["answered_on", "department"], name="complaint_answered_day"),
        ]

    def __str__(self) -> str:
        return self.number
