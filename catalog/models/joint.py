"""Joint items (联办件 / 一件事): several departments' items taken in at one window and processed
in parallel under one joint limit."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .items import ApprovalItem
from .organization import Department

# Art. 42: joint or unified processing takes at most 45 working days, extendable by 15.
JOINT_LIMIT_DAYS = 45
JOINT_EXTENSION_DAYS = 15


class JointItem(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_joint_items",
    )
    items = models.ManyToManyField(
        ApprovalItem, verbose_name=_("items"), related_name="joint_items"
    )
    joint_limit = models.PositiveSmallIntegerField(
        _("joint limit (working days)"),
        default=JOINT_LIMIT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(JOINT_LIMIT_DAYS)],
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("joint item")
        verbose_name_plural = _("joint items")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def member_versions(self):
        """The current published version of each member item."""
        from .items import ItemVersion, VersionStatus

        return (
            ItemVersion.objects.filter(item__in=self.items.all(), status=VersionStatus.PUBLISHED)
            .select_related("item", "department")
            .order_by("item__code")
        )

    def problems(self) -> list[str]:
        """What keeps this joint item from taking applications (checked by
        ``catalog.joint.joint_item_set_active`` and by intake)."""
        versions = list(self.member_versions())
        found = []
        if len(versions) < 2:
            found.append(_("A joint item bundles at least two published items."))
        if len({v.department_id for v in versions}) < 2:
            found.append(_("A joint item bundles items of at least two departments."))
        if versions and self.lead_department_id not in {v.department_id for v in versions}:
            found.append(_("The lead department must handle one of the items."))
        return found
