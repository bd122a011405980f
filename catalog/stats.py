"""Catalog statistics: the figures the reform reports quote about the retained items.

How many items, by category and department; how many are immediate (即办件); how many promise
5 working days or more; the average promised and statutory limits and how much the promise
compresses the law's limit; how many must enter the center, how many did (应进必进), and how
many of those the window decides itself (充分授权).

Every figure is computed over current published versions only, with three aggregate queries
whatever the size of the catalog.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from .models import ItemVersion, ProcessingType, VersionStatus, WindowAuthorization
from .selectors import published_versions

# The sources count "承诺时限在5个工作日以上" as 5 days or more.
LONG_PROMISE_DAYS = 5

_ONE_DECIMAL = Decimal("0.1")
_TWO_DECIMALS = Decimal("0.01")


def _ratio(numerator: int, denominator: int, *, places: Decimal) -> Decimal:
    # Decimal with half-up rounding, as figures are rounded by hand in the reports: a float
    # average of 4.845 would print 4.84, the reports say 4.85.
    if not denominator:
        return Decimal(0).quantize(places)
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole`` with one decimal; 0.0 when ``whole`` is 0."""
    return _ratio(part * 100, whole, places=_ONE_DECIMAL)


def catalog_stats(versions: QuerySet[ItemVersion] | None = None) -> dict:
    """The catalog figures over ``versions`` (default: every current published version).

    ``versions`` may narrow the catalog (one center, one department); drafts and superseded
    versions in it are ignored all the same. Counts are ints; averages are ``Decimal`` with two
    places; shares, rates and the compression are percentages as ``Decimal`` with one place.
    An empty catalog gives zeros and empty lists.
    """
    if versions is None:
        versions = published_versions()
    # order_by() drops the selector's ordering, which would otherwise join and group by item code.
    versions = versions.filter(status=VersionStatus.PUBLISHED).order_by()

    must_enter = Q(must_enter_center=True)
    entered = must_enter & Q(entered_center=True)
    totals = versions.aggregate(
        total=Count("id"),
        immediate=Count("id", filter=Q(processing_type=ProcessingType.IMMEDIATE)),
        long_promise=Count("id", filter=Q(promised_limit__gte=LONG_PROMISE_DAYS)),
        promised_sum=Sum("promised_limit"),
        statutory_sum=Sum("statutory_limit"),
        must_enter=Count("id", filter=must_enter),
        entered=Count("id", filter=entered),
        full_authorisation=Count(
            "id", filter=entered & Q(window_authorization=WindowAuthorization.FULL)
        ),
    )
    total = totals["total"]
    promised_sum = totals["promised_sum"] or 0
    statutory_sum = totals["statutory_sum"] or 0

    by_category = [
        {
            "code": row["category__code"],
            "name": row["category__name"],
            "count": row["count"],
            "share": _percent(row["count"], total),
        }
        for row in versions.values("category__code", "category__name", "category__sort_order")
        .annotate(count=Count("id"))
        .order_by("category__sort_order", "category__code")
    ]
    by_department = [
        {
            "code": row["department__code"],
            "name": row["department__name"],
            "count": row["count"],
            "share": _percent(row["count"], total),
        }
        for row in versions.values("department__code", "department__name")
        .annotate(count=Count("id"))
        .order_by("-count", "department__code")
    ]

    # 1 - avg promised / avg statutory: both averages share the item count, so it is the ratio
    # of the sums, exact rather than skewed by the averages' rounding.
    compression = _percent(statutory_sum - promised_sum, statutory_sum)
    return {
        "total_items": total,
        "by_category": by_category,
        "by_department": by_department,
        "immediate_count": totals["immediate"],
        "immediate_share": _percent(totals["immediate"], total),
        "long_promise_days": LONG_PROMISE_DAYS,
        "long_promise_count": totals["long_promise"],
        "long_promise_share": _percent(totals["long_promise"], total),
        "average_promised_limit": _ratio(promised_sum, total, places=_TWO_DECIMALS),
        "average_statutory_limit": _ratio(statutory_sum, total, places=_TWO_DECIMALS),
        "compression": compression,
        "must_enter_count": totals["must_enter"],
        "entered_count": totals["entered"],
        "entered_rate": _percent(totals["entered"], totals["must_enter"]),
        "full_authorisation_count": totals["full_authorisation"],
        "full_authorisation_share": _percent(totals["full_authorisation"], totals["entered"]),
    }
