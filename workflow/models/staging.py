"""Files a clerk attached to a window intake the form then refused, kept for the next try."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Material


def staged_upload_path(instance: "StagedUpload", filename: str) -> str:
    # Under the media root like every case file, so it is never served under MEDIA_URL; a
    # random name, not the applicant's, in the uploading user's folder.
    return f"staged/{instance.user_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StagedUpload(models.Model):
    """A valid file of a refused intake form, waiting for the form to be sent again.

    It belongs to the user who uploaded it and to one material; the intake that succeeds
    attaches it to the case through the services and deletes it, and the sweep deletes what
    is left after ``STAGED_UPLOAD_HOURS``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    material = models.ForeignKey(
        Material, verbose_name=_("material"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=staged_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
