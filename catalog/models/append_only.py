"""Audit trails: rows written once, never changed or deleted.

The ORM refuses here (a row's ``save()`` once stored, ``delete()``, and a queryset's bulk
``update()`` and ``delete()``, which skip those); on PostgreSQL each trail's migration adds a
trigger so that the database refuses raw SQL too.
"""

from django.db import models


class AppendOnly(Exception):
    """An audit trail's rows are never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model._meta.verbose_name_plural} are never changed")

    def delete(self):
        raise AppendOnly(f"{self.model._meta.verbose_name_plural} are never deleted")


class AppendOnlyModel(models.Model):
    """The base of an audit trail's model."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnly(f"{self._meta.verbose_name_plural} are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.verbose_name_plural} are never deleted")
