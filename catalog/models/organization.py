"""The organisation: service centers (city → county → town), departments, windows, staff roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CenterLevel(models.TextChoices):
    CITY = "city", _("City service center")
    COUNTY = "county", _("County service center")
    TOWN = "town", _("Town service station")


class ServiceCenter(models.Model):
    """A hall where departments keep windows. Centers form a tree (三级联网)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=CenterLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WindowKind(models.TextChoices):
    DEPARTMENT = "department", _("Department window")
    COMPREHENSIVE = "comprehensive", _("Comprehensive window")
    FEE = "fee", _("Fee window")


class Window(models.Model):
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        on_delete=models.PROTECT,
        related_name="windows",
    )
    number = models.CharField(_("number"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20, choices=WindowKind.choices)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments served"), blank=True, related_name="windows"
    )
    # Who works at the window: the rating kiosk shows the case its clerks just handed over, and
    # the window's figures count what they took in.
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerks at this window"),
        blank=True,
        related_name="windows_staffed",
    )

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["center__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="window_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.number}"


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    HANDLER = "handler", _("Handler")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver (leader)")
    CHIEF_REPRESENTATIVE = "chief_representative", _("Chief representative")
    FEE_CLERK = "fee_clerk", _("Fee clerk")
    SUPERVISION_OFFICER = "supervision_officer", _("Supervision officer")
    CATALOG_ADMINISTRATOR = "catalog_administrator", _("Catalog administrator")
    USER_ADMINISTRATOR = "user_administrator", _("User administrator")


# Roles that belong to a whole center rather than one department.
CENTER_ROLES = frozenset(
    {
        Role.SUPERVISION_OFFICER,
        Role.CATALOG_ADMINISTRATOR,
        Role.USER_ADMINISTRATOR,
        Role.FEE_CLERK,
    }
)


class StaffMembership(models.Model):
    """A user's role in one department or one center; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, center__isnull=True)
                | Q(department__isnull=True, center__isnull=False),
                name="membership_department_xor_center",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=Q(department__isnull=False),
                name="membership_unique_in_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "center"],
                condition=Q(center__isnull=False),
                name="membership_unique_in_center",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.department or self.center}"


class StaffContact(models.Model):
    """A staff member's mobile phone, for the text messages of the supervision scan (reminders,
    yellow and red cards) and of urge notices; e-mail goes to the account's address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="staff_contact",
    )
    mobile = models.CharField(
        _("mobile phone"),
        max_length=11,
        validators=[RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mobile number."))],
    )

    class Meta:
        verbose_name = _("staff mobile phone")
        verbose_name_plural = _("staff mobile phones")

    def __str__(self) -> str:
        return self.mobile
