"""Excel exports of the office's lists: a large one runs as a background job that streams its
rows into the file, with its progress for the page to show and the file to download when done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="supervision_exports",
    )
    kind = models.CharField(_("list"), max_length=20)
    params = models.JSONField(_("filters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # The language of the page the export was asked from: the job writes its headings in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Moved on by every chunk written: a run whose worker died stops moving, and another run
    # may then take the job over.
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_newest")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.get_status_display()}"
