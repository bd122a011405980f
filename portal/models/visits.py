from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseListVisit(models.Model):
    """When an applicant last looked at "my cases", for its "new since your last visit" marks.

    Kept per account rather than in the session: a session ends at log-out and is new on every
    device, so the marks would forget what the applicant already saw on the phone yesterday.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        verbose_name = _("visit to my cases")
        verbose_name_plural = _("visits to my cases")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.seen_at:%Y-%m-%d %H:%M}"
