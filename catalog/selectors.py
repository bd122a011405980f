"""Reads of the catalog shared by the API, the statistics, the public pages and the admin.

The public reads expose only the current version of an item (status "published"): drafts are
work in progress and superseded versions live on only for the cases accepted under them. The
admin's reads (``version_content``) may load a draft, for the administrator who edits it.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Department, FeeItem, ItemVersion, Material, StepTemplate, VersionStatus
from .version_diff import VersionContent


def published_versions() -> QuerySet[ItemVersion]:
    """The current published version of every item, ordered by item code.

    Item, department and category come in the same query, so a list of items costs one query
    however long it is.
    """
    return (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("item", "department", "category")
        .order_by("item__code")
    )


def published_versions_with_guide() -> QuerySet[ItemVersion]:
    """``published_versions()`` with the steps, materials and fees of each item prefetched in order.

    For pages and endpoints that show the whole item guide.
    """
    return published_versions().prefetch_related(
        Prefetch("steps", queryset=StepTemplate.objects.order_by("order")),
        Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
        Prefetch("fees", queryset=FeeItem.objects.order_by("id")),
    )


def published_version_detail(code: str) -> ItemVersion:
    """The current version of the item with this code, its whole guide prefetched.

    Raises ``ItemVersion.DoesNotExist`` for an unknown code and for an item that has no
    published version yet (drafts only), so callers answer both with a 404.
    """
    return published_versions_with_guide().get(item__code=code)


def departments_with_published_counts() -> QuerySet[Department]:
    """Every department with its center and ``published_items``, its number of current items."""
    return (
        Department.objects.select_related("center")
        .annotate(
            published_items=Count(
                "item_versions", filter=Q(item_versions__status=VersionStatus.PUBLISHED)
            )
        )
        .order_by("code")
    )


def version_content(version: ItemVersion) -> VersionContent:
    """``version`` with its steps, materials and fees in order, as ``catalog.version_diff`` reads
    it: department and category loaded, so the diff asks nothing more of the database."""
    version = ItemVersion.objects.select_related("item", "department", "category").get(
        pk=version.pk
    )
    return VersionContent(
        version=version,
        steps=list(version.steps.order_by("order", "pk")),
        materials=list(version.materials.order_by("order", "pk")),
        fees=list(version.fees.order_by("pk")),
    )


def current_version_of(item_id: int) -> ItemVersion | None:
    """The item's published (current) version, or ``None`` if it was never published."""
    return ItemVersion.objects.filter(item_id=item_id, status=VersionStatus.PUBLISHED).first()


# -- The online hall's home page --------------------------------------------------------------


def active_joint_items() -> QuerySet:
    """The joint items (一件事) open for applications, by code, with their lead department.

    A few dozen at most in a city, so the hall lists them all.
    """
    from .models import JointItem

    return JointItem.objects.filter(active=True).select_related("lead_department").order_by("code")
