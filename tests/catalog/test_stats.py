from decimal import Decimal

import pytest

from catalog.models import (
    ItemCategory,
    ItemVersion,
    ProcessingType,
    VersionStatus,
    WindowAuthorization,
)
from catalog.selectors import published_versions
from catalog.stats import catalog_stats
from tests.factories import ApprovalItemFactory, DepartmentFactory, ItemVersionFactory

pytestmark = pytest.mark.django_db


def category(code):
    return ItemCategory.objects.get(code=code)


@pytest.fixture
def catalog():
    """Five current items whose figures are worked out by hand in the tests, plus noise.

    | item | dept | cat | type      | promised | statutory | must enter | entered | authorisation |
    | 1    | A    | XK  | immediate | 0        | 0         | yes        | yes     | full          |
    | 2    | A    | XK  | promised  | 5        | 20        | yes        | yes     | partial       |
    | 3    | A    | QR  | promised  | 10       | 20        | yes        | no      | partial       |
    | 4    | B    | XK  | promised  | 3        | 15        | no         | no      | partial       |
    | 5    | B    | FXK | promised  | 7        | 20        | yes        | yes     | full          |

    Item 2 also has a superseded v1 and a draft v3, and item 6 has only a draft: none of
    those may count.
    """
    a = DepartmentFactory(code="DA", name="甲局")
    b = DepartmentFactory(code="DB", name="乙局")
    ItemVersionFactory(
        department=a,
        category=category("XK"),
        immediate=True,
        window_authorization=WindowAuthorization.FULL,
    )
    item2 = ApprovalItemFactory()
    ItemVersionFactory(
        item=item2,
        status=VersionStatus.SUPERSEDED,
        department=b,
        category=category("QR"),
        promised_limit=20,
        statutory_limit=20,
        must_enter_center=False,
        entered_center=False,
    )
    ItemVersionFactory(
        item=item2, department=a, category=category("XK"), promised_limit=5, statutory_limit=20
    )
    ItemVersionFactory(
        item=item2,
        draft=True,
        department=b,
        category=category("QR"),
        immediate=True,
        window_authorization=WindowAuthorization.FULL,
    )
    ItemVersionFactory(
        department=a,
        category=category("QR"),
        promised_limit=10,
        statutory_limit=20,
        entered_center=False,
    )
    ItemVersionFactory(
        department=b,
        category=category("XK"),
        promised_limit=3,
        statutory_limit=15,
        must_enter_center=False,
        entered_center=False,
    )
    ItemVersionFactory(
        department=b,
        category=category("FXK"),
        promised_limit=7,
        statutory_limit=20,
        window_authorization=WindowAuthorization.FULL,
    )
    ItemVersionFactory(
        draft=True,
        department=b,
        category=category("QR"),
        immediate=True,
        window_authorization=WindowAuthorization.FULL,
    )
    return {"a": a, "b": b}


def test_counts_only_current_published_versions(catalog):
    assert catalog_stats()["total_items"] == 5


def test_groups_items_by_category_in_code_list_order_with_shares(catalog):
    assert catalog_stats()["by_category"] == [
        {"code": "XK", "name": "行政许可", "count": 3, "share": Decimal("60.0")},
        {"code": "QR", "name": "行政确认", "count": 1, "share": Decimal("20.0")},
        {"code": "FXK", "name": "非行政许可审批", "count": 1, "share": Decimal("20.0")},
    ]


def test_groups_items_by_department_largest_first(catalog):
    assert catalog_stats()["by_department"] == [
        {"code": "DA", "name": "甲局", "count": 3, "share": Decimal("60.0")},
        {"code": "DB", "name": "乙局", "count": 2, "share": Decimal("40.0")},
    ]


def test_immediate_items_and_their_share(catalog):
    stats = catalog_stats()
    assert (stats["immediate_count"], stats["immediate_share"]) == (1, Decimal("20.0"))


def test_items_promising_five_working_days_or_more_include_exactly_five(catalog):
    stats = catalog_stats()
    assert stats["long_promise_days"] == 5
    assert (stats["long_promise_count"], stats["long_promise_share"]) == (3, Decimal("60.0"))


def test_average_limits_and_compression(catalog):
    # promised 0+5+10+3+7 = 25, statutory 0+20+20+15+20 = 75 over 5 items; 1 - 25/75 = 66.67 %.
    stats = catalog_stats()
    assert stats["average_promised_limit"] == Decimal("5.00")
    assert str(stats["average_promised_limit"]) == "5.00"
    assert stats["average_statutory_limit"] == Decimal("15.00")
    assert stats["compression"] == Decimal("66.7")


def test_entered_rate_is_entered_over_must_enter(catalog):
    stats = catalog_stats()
    assert stats["must_enter_count"] == 4
    assert stats["entered_count"] == 3
    assert stats["entered_rate"] == Decimal("75.0")


def test_full_authorisation_share_is_of_entered_items(catalog):
    stats = catalog_stats()
    assert stats["full_authorisation_count"] == 2
    assert stats["full_authorisation_share"] == Decimal("66.7")


def test_narrowed_to_one_department(catalog):
    stats = catalog_stats(published_versions().filter(department=catalog["b"]))
    assert stats["total_items"] == 2
    assert stats["average_promised_limit"] == Decimal("5.00")
    assert stats["by_department"] == [
        {"code": "DB", "name": "乙局", "count": 2, "share": Decimal("100.0")}
    ]


def test_drafts_and_superseded_versions_are_ignored_even_when_passed_in(catalog):
    assert catalog_stats(ItemVersion.objects.all())["total_items"] == 5


def test_costs_a_fixed_handful_of_queries(catalog, django_assert_num_queries):
    with django_assert_num_queries(3):
        catalog_stats()


def test_averages_round_half_up_like_the_reports():
    # 37 days over 8 items = 4.625: half-up gives 4.63 where round() on a float gives 4.62.
    department = DepartmentFactory()
    for promised in (1, 4, 4, 4, 6, 6, 6, 6):
        ItemVersionFactory(department=department, promised_limit=promised, statutory_limit=10)
    stats = catalog_stats()
    assert stats["average_promised_limit"] == Decimal("4.63")
    assert stats["immediate_share"] == Decimal("0.0")
    # 1 - 37/80 = 53.75 %
    assert stats["compression"] == Decimal("53.8")


def test_empty_catalog_gives_zeros_not_errors():
    ItemVersionFactory(draft=True)
    assert catalog_stats() == {
        "total_items": 0,
        "by_category": [],
        "by_department": [],
        "immediate_count": 0,
        "immediate_share": Decimal("0.0"),
        "long_promise_days": 5,
        "long_promise_count": 0,
        "long_promise_share": Decimal("0.0"),
        "average_promised_limit": Decimal("0.00"),
        "average_statutory_limit": Decimal("0.00"),
        "compression": Decimal("0.0"),
        "must_enter_count": 0,
        "entered_count": 0,
        "entered_rate": Decimal("0.0"),
        "full_authorisation_count": 0,
        "full_authorisation_share": Decimal("0.0"),
    }


def test_only_immediate_items_compress_nothing_and_do_not_divide_by_zero():
    ItemVersionFactory(immediate=True, processing_type=ProcessingType.IMMEDIATE)
    stats = catalog_stats()
    assert stats["total_items"] == 1
    assert stats["immediate_share"] == Decimal("100.0")
    assert stats["average_statutory_limit"] == Decimal("0.00")
    assert stats["compression"] == Decimal("0.0")
