"""The center's notices and news (通知公告), posted in the admin and shown in the online hall."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Announcement(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Shown in the hall from this time on; empty keeps it unpublished."),
    )
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Listed first."))

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [
            # The hall's lists, pinned first then newest: the home page's five and /news/.
            models.Index(
                F("pinned").desc(),
                F("published_at").desc(),
                F("id").desc(),
                name="announcement_listed",
                condition=Q(published_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title
