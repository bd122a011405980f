"""Consultations (网上咨询): an applicant's question about an item, routed to the department of
the item's current version and answered by its window staff within a limit in working days.

An answered question may be published to the item's FAQ on its guide, in wording the staff
member edits (the applicant's name, numbers and circumstances left out); the applicant's own
question and the answer they were sent are kept as they were.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Long enough for a question with its circumstances, short enough to be read at the window.
QUESTION_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 4000


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class ConsultationQuerySet(models.QuerySet):
    def answered_late(self) -> "ConsultationQuerySet":
        """Answered after the day they were due on."""
        return self.filter(answered_on__gt=F("due_on"))


class Consultation(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="consultations",
        # consultation_mine leads with it.
        db_index=False,
    )
    item = models.ForeignKey(
        "catalog.ApprovalItem",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    # The guide the applicant read when asking: a later version may say something else.
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name=_("item version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "catalog.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="consultations",
        # consultation_queue leads with it.
        db_index=False,
    )
    question = models.TextField(_("question"), max_length=QUESTION_MAX_LENGTH)
    asked_at = models.DateTimeField(_("asked at"))
    due_on = models.DateField(
        _("answer due on"), help_text=_("The last working day for the answer, Asia/Shanghai.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.OPEN,
    )
    answer = models.TextField(_("answer"), blank=True, max_length=ANSWER_MAX_LENGTH)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The day of the answer in Asia/Shanghai, compared with due_on for a late answer.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    published = models.BooleanField(_("in the item's FAQ"), default=False)
    faq_question = models.TextField(
        _("question as published"), blank=True, max_length=QUESTION_MAX_LENGTH
    )
    faq_answer = models.TextField(
        _("answer as published"), blank=True, max_length=ANSWER_MAX_LENGTH
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-asked_at", "-id"]
        indexes = [
            # The department's queue: open questions, the most urgent first.
            models.Index(
                fields=["department", "status", "due_on", "id"], name="consultation_queue"
            ),
            # "My questions", newest first.
            models.Index(
                F("applicant"), F("asked_at").desc(), F("id").desc(), name="consultation_mine"
            ),
            # The FAQ on an item's guide, latest published first.
            models.Index(
                F("item"),
                F("published_at").desc(),
                F("id").desc(),
                name="consultation_faq",
                condition=Q(published=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ConsultationStatus.OPEN, answered_at__isnull=True)
                | Q(status=ConsultationStatus.ANSWERED, answered_at__isnull=False),
                name="consultation_answered_has_time",
            ),
            models.CheckConstraint(
                condition=Q(published=False)
                | Q(status=ConsultationStatus.ANSWERED, published_at__isnull=False),
                name="consultation_published_when_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.question[:40]}"

    @property
    def answered_late(self) -> bool:
        """Whether the answer came after the day it was due on (supervision flags it)."""
        return self.answered_on is not None and self.answered_on > self.due_on
