"""Reads of the online hall's own records: the home page's themes and the center's notices."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from catalog.models import ItemVersion, VersionStatus
from catalog.selectors import published_versions

from .models import Announcement, Theme


def themes_with_published_counts() -> QuerySet[Theme]:
    """Every theme in its audience's order, with ``published_items``: its items that have a
    current (published) version."""
    return Theme.objects.annotate(
        published_items=Count(
            "items", filter=Q(items__versions__status=VersionStatus.PUBLISHED), distinct=True
        )
    ).order_by("audience", "order", "id")


def theme_get(pk: int) -> Theme:
    """The theme with this id, or 404."""
    try:
        return Theme.objects.get(pk=pk)
    except Theme.DoesNotExist:
        raise Http404 from None


def theme_versions(theme: Theme) -> QuerySet[ItemVersion]:
    """The current published version of each of the theme's items, by item code."""
    return published_versions().filter(item__themes=theme)


def announcements_published(now=None) -> QuerySet[Announcement]:
    """The notices shown in the hall: published by ``now``, pinned first, then newest."""
    now = now or timezone.now()
    return Announcement.objects.filter(published_at__isnull=False, published_at__lte=now).order_by(
        "-pinned", "-published_at", "-id"
    )


def announcement_get_published(pk: int) -> Announcement:
    """A published notice, or 404 for an unknown or unpublished one."""
    try:
        return announcements_published().get(pk=pk)
    except Announcement.DoesNotExist:
        raise Http404 from None
