"""Themes of the hall's home page: the life events (开办企业, 婚育, 养老 …) that group the items a
person or a business needs for them. Edited by the catalog administrator in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThemeAudience(models.TextChoices):
    PERSON = "person", _("For persons")
    BUSINESS = "business", _("For businesses")


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=60)
    audience = models.CharField(_("audience"), max_length=10, choices=ThemeAudience.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    icon = models.CharField(
        _("icon name"),
        max_length=40,
        default="grid",
        help_text=_("A Bootstrap Icons name without the bi- prefix, such as briefcase."),
    )
    items = models.ManyToManyField(
        "catalog.ApprovalItem", verbose_name=_("items"), related_name="themes", blank=True
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["audience", "order", "id"]

    def __str__(self) -> str:
        return self.name
