"""The record of who gave or took away the roles that carry power over other people's work."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnly, AppendOnlyModel
from .organization import Department, Role, ServiceCenter

__all__ = ["AppendOnly", "RECORDED_ROLES", "RoleChange", "RoleChangeKind"]

# Granting these changes who supervises cases, who decides them and who hands out roles:
# each grant and revocation is recorded in RoleChange.
RECORDED_ROLES = frozenset({Role.SUPERVISION_OFFICER, Role.APPROVER, Role.USER_ADMINISTRATOR})


class RoleChangeKind(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REVOKED = "revoked", _("Revoked")


class RoleChange(AppendOnlyModel):
    """One row per grant or revocation of a recorded role: who, whom, what, where, when.

    Written by ``catalog.roles`` only; on PostgreSQL the database refuses UPDATE and DELETE
    too (migration 0006). The people and places are protected: an account or a department
    named here is deactivated, not deleted.
    """

    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the system did it (a management command, the demo loader)."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="role_changes",
    )
    change = models.CharField(_("change"), max_length=10, choices=RoleChangeKind.choices)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="rolechange_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_change_display()} {self.get_role_display()}"
