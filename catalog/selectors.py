"""Reads of the catalog shared by the API, the statistics, the public pages and the admin.

The public reads expose only the current version of an item (status "published"): drafts are
work in progress and superseded versions live on only for the cases accepted under them. The
admin's reads (``version_content``) may load a draft, for the administrator who edits it.
"""

from django.db import connection
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from .models import (
    Department,
    FeeItem,
    ItemCategory,
    ItemVersion,
    JointItem,
    Material,
    ServiceCenter,
    StepTemplate,
    VersionStatus,
    Window,
)
from .version_diff import VersionContent


def published_versions() -> QuerySet[ItemVersion]:
    """The current published version of every item, ordered by item code.

    Item, department and category come in the same query, so a list of items costs one query
    however long it is.
    """
    return (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("item", "department__center", "category")
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


# --- The online hall: item guides and search (portal/guide_views.py, portal/search_views.py) ---

# A search returns at most this many items, ranked: enough for every sensible query of a
# municipal catalog (a few hundred items), and a bound on the work a query string can cause.
SEARCH_CAP = 200
# Trigram similarity (0..1) from which a name or its pinyin counts as a near match.
SEARCH_SIMILARITY = 0.2
SUGGESTION_SIMILARITY = 0.05


def windows_for_department(department: Department) -> QuerySet[Window]:
    """The windows that take in ``department``'s items, with their center, in number order."""
    return (
        Window.objects.filter(departments=department)
        .select_related("center")
        .order_by("center__code", "number")
    )


def active_joint_items_of(item_id: int) -> QuerySet[JointItem]:
    """The joint items ("一件事") open for applications that bundle the item ``item_id``."""
    return JointItem.objects.filter(items__id=item_id, active=True).order_by("code")


def active_joint_item_detail(code: str) -> tuple[JointItem, list[ItemVersion]]:
    """The joint item with this code, open for applications, and its members' current versions.

    Raises ``JointItem.DoesNotExist`` for an unknown code and for a joint item that is closed,
    so the hall answers both with a 404.
    """
    joint = JointItem.objects.select_related("lead_department__center").get(code=code, active=True)
    return joint, list(joint.member_versions())


def _search_text(query: str) -> str:
    return "".join(query.lower().split())


def published_versions_search(
    *,
    query: str,
    department: Department | None = None,
    category: ItemCategory | None = None,
    processing_type: str = "",
    applicant_types: list[str] | None = None,
    online_only: bool = False,
) -> list[ItemVersion]:
    """The current items matching ``query`` and the filters, best first, at most ``SEARCH_CAP``.

    Ranked: the exact item code, then names that start with the query, names or codes that
    contain it, pinyin (full spelling or initials, "yyzz" for 营业执照) that contains it, and on
    PostgreSQL names or pinyin similar to it by trigrams (a misspelt name); ties by code.
    An empty query lists every item that passes the filters, by code.
    """
    versions = published_versions()
    if department is not None:
        versions = versions.filter(department=department)
    if category is not None:
        versions = versions.filter(category=category)
    if processing_type:
        versions = versions.filter(processing_type=processing_type)
    if applicant_types:
        versions = versions.filter(applicant_type__in=applicant_types)
    if online_only:
        versions = versions.filter(online_prereview=True)
    query = query.strip()
    if not query:
        return list(versions[:SEARCH_CAP])
    compact = _search_text(query)
    matches = (
        Q(item__code__iexact=query)
        | Q(name__icontains=query)
        | Q(item__code__icontains=query)
        | Q(search_pinyin__contains=compact)
    )
    rank = Case(
        When(item__code__iexact=query, then=Value(0)),
        When(name__istartswith=query, then=Value(1)),
        When(Q(name__icontains=query) | Q(item__code__icontains=query), then=Value(2)),
        When(search_pinyin__contains=compact, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        similarity = Greatest(
            TrigramSimilarity("name", query), TrigramSimilarity("search_pinyin", compact)
        )
        versions = versions.annotate(similarity=similarity)
        matches |= Q(similarity__gte=SEARCH_SIMILARITY)
        order = ["rank", "-similarity", "item__code"]
    else:
        order = ["rank", "item__code"]
    return list(versions.filter(matches).annotate(rank=rank).order_by(*order)[:SEARCH_CAP])


def published_versions_near(query: str, *, limit: int = 5) -> list[ItemVersion]:
    """A few current items that come near ``query``, for a search that found nothing.

    On PostgreSQL the most similar names or pinyin by trigrams; elsewhere the items whose name
    holds one of the query's characters or whose pinyin starts like it.
    """
    query = query.strip()
    if not query:
        return []
    compact = _search_text(query)
    versions = published_versions()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        versions = versions.annotate(
            similarity=Greatest(
                TrigramSimilarity("name", query), TrigramSimilarity("search_pinyin", compact)
            )
        ).filter(similarity__gte=SUGGESTION_SIMILARITY)
        return list(versions.order_by("-similarity", "item__code")[:limit])
    near = Q(search_pinyin__startswith=compact[:2])
    for character in dict.fromkeys(query[:20]):
        if not character.isspace() and not character.isascii():
            near |= Q(name__contains=character)
    return list(versions.filter(near)[:limit])


# -- The online hall's home page --------------------------------------------------------------


def active_joint_items() -> QuerySet:
    """The joint items (一件事) open for applications, by code, with their lead department.

    A few dozen at most in a city, so the hall lists them all.
    """
    from .models import JointItem

    return JointItem.objects.filter(active=True).select_related("lead_department").order_by("code")


def centers_under(center_ids) -> frozenset[int]:
    """The centers ``center_ids`` and every center below them (city → counties → towns).

    The centers are a small table (a province has a few thousand): one query reads the tree
    and the walk happens here, rather than a recursive query per page.
    """
    wanted = set(center_ids)
    if not wanted:
        return frozenset()
    children: dict[int | None, list[int]] = {}
    for pk, parent in ServiceCenter.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, frontier = set(wanted), list(wanted)
    while frontier:
        below = children.get(frontier.pop(), [])
        fresh = [pk for pk in below if pk not in found]
        found.update(fresh)
        frontier.extend(fresh)
    return frozenset(found)
