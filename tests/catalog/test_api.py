from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from catalog.models import (
    ApplicantType,
    ItemCategory,
    ItemVersion,
    Material,
    ProcessingType,
    Role,
    VersionStatus,
    WindowAuthorization,
)
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    FeeItemFactory,
    ItemVersionFactory,
    MaterialFactory,
    ServiceCenterFactory,
    StepTemplateFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/items/"


@pytest.fixture
def api():
    return APIClient()


def codes(response):
    return sorted(row["code"] for row in response.json()["results"])


def item(code, **kwargs):
    return ItemVersionFactory(item=ApprovalItemFactory(code=code), **kwargs)


# The list


def test_list_is_paginated_with_count_and_links(api):
    for n in range(25):
        item(f"330100-XK-D01-{n:04d}")
    first = api.get(ITEMS).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("?page=2")
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None


def test_list_row_has_the_summary_and_a_link_to_the_guide(api):
    scj = DepartmentFactory(code="SCJ", name="市场监督管理局")
    item(
        "330100-XK-SCJ-0001",
        name="食品经营许可",
        department=scj,
        processing_type=ProcessingType.PROMISED,
        applicant_type=ApplicantType.LEGAL,
        statutory_limit=20,
        promised_limit=7,
        online_prereview=False,
    )
    row = api.get(ITEMS).json()["results"][0]
    assert row == {
        "code": "330100-XK-SCJ-0001",
        "name": "食品经营许可",
        "version": 1,
        "department": {"code": "SCJ", "name": "市场监督管理局"},
        "category": {"code": "XK", "name": "行政许可"},
        "processing_type": "promised",
        "applicant_type": "legal",
        "statutory_limit": 20,
        "promised_limit": 7,
        "online_prereview": False,
        "url": "http://testserver/api/v1/items/330100-XK-SCJ-0001/",
    }


def test_list_is_ordered_by_item_code(api):
    item("330100-XK-D01-0002")
    item("330100-XK-D01-0001")
    results = api.get(ITEMS).json()["results"]
    assert [row["code"] for row in results] == ["330100-XK-D01-0001", "330100-XK-D01-0002"]


def test_list_query_count_does_not_grow_with_items(api, django_assert_max_num_queries):
    for n in range(15):
        item(f"330100-XK-D01-{n:04d}", department=DepartmentFactory())
    with django_assert_max_num_queries(3):
        assert api.get(ITEMS).status_code == 200


# Filters


def test_filter_by_department_code(api):
    scj = DepartmentFactory(code="SCJ")
    item("330100-XK-SCJ-0001", department=scj)
    item("330100-XK-JSJ-0001", department=DepartmentFactory(code="JSJ"))
    assert codes(api.get(ITEMS, {"department": "SCJ"})) == ["330100-XK-SCJ-0001"]


def test_filter_by_category_code(api):
    item("330100-XK-D01-0001")
    item("330100-QR-D01-0001", category=ItemCategory.objects.get(code="QR"))
    assert codes(api.get(ITEMS, {"category": "QR"})) == ["330100-QR-D01-0001"]


def test_filter_by_processing_type(api):
    item("330100-XK-D01-0001", immediate=True)
    item("330100-XK-D01-0002")
    assert codes(api.get(ITEMS, {"processing_type": "immediate"})) == ["330100-XK-D01-0001"]


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        # A natural person may apply for items open to natural persons and to both.
        ("natural", ["330100-XK-D01-0001", "330100-XK-D01-0003"]),
        ("legal", ["330100-XK-D01-0002", "330100-XK-D01-0003"]),
        ("both", ["330100-XK-D01-0003"]),
    ],
)
def test_filter_by_applicant_type(api, asked, expected):
    item("330100-XK-D01-0001", applicant_type=ApplicantType.NATURAL)
    item("330100-XK-D01-0002", applicant_type=ApplicantType.LEGAL)
    item("330100-XK-D01-0003", applicant_type=ApplicantType.BOTH)
    assert codes(api.get(ITEMS, {"applicant_type": asked})) == expected


def test_search_matches_part_of_the_name(api):
    item("330100-XK-D01-0001", name="食品经营许可")
    item("330100-XK-D01-0002", name="建筑工程施工许可")
    assert codes(api.get(ITEMS, {"q": "食品"})) == ["330100-XK-D01-0001"]


def test_search_matches_part_of_the_code_in_any_case(api):
    item("330100-XK-SCJ-0001", name="食品经营许可")
    item("330100-XK-JSJ-0001", name="建筑工程施工许可")
    assert codes(api.get(ITEMS, {"q": "jsj"})) == ["330100-XK-JSJ-0001"]


def test_filters_combine(api):
    scj = DepartmentFactory(code="SCJ")
    item("330100-XK-SCJ-0001", department=scj, immediate=True)
    item("330100-XK-SCJ-0002", department=scj)
    item("330100-XK-JSJ-0001", immediate=True)
    response = api.get(ITEMS, {"department": "SCJ", "processing_type": "immediate"})
    assert codes(response) == ["330100-XK-SCJ-0001"]


@pytest.mark.parametrize(
    "params",
    [
        {"processing_type": "urgent"},
        {"applicant_type": "robot"},
        {"department": "NO-SUCH-DEPT"},
        {"category": "ZZ"},
    ],
)
def test_unknown_filter_value_is_a_400_naming_the_field(api, params):
    item("330100-XK-D01-0001")
    response = api.get(ITEMS, params)
    assert response.status_code == 400
    (field,) = params
    assert response.json()["fields"][field]
    assert response.json()["detail"].startswith(f"{field}: ")


def test_page_past_the_end_is_a_404_not_a_500(api):
    item("330100-XK-D01-0001")
    assert api.get(ITEMS, {"page": 9}).status_code == 404


# The detail


@pytest.fixture
def guide():
    version = item(
        "330100-XK-SCJ-0001",
        name="食品经营许可",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        conditions="有与经营的食品品种相适应的经营场所",
        statutory_limit=20,
        promised_limit=10,
        extension_allowed=False,
        suspension_allowed=True,
        visits_required=0,
        must_enter_center=True,
        entered_center=True,
        window_authorization=WindowAuthorization.FULL,
        window_location="一楼 12 号窗口",
        phone="0571-12345678",
    )
    StepTemplateFactory(version=version, order=2, name="审核", role=Role.REVIEWER, limit_days=3)
    StepTemplateFactory(version=version, order=1, name="承办", role=Role.HANDLER, limit_days=5)
    StepTemplateFactory(version=version, order=3, name="审批", role=Role.APPROVER, limit_days=2)
    MaterialFactory(version=version, order=2, name="营业执照复印件", originals=0, copies=1)
    MaterialFactory(
        version=version,
        order=1,
        name="食品经营许可申请书",
        originals=1,
        copies=0,
        deferrable=False,
        notes="申请人签字",
        template_file=SimpleUploadedFile("application.docx", b"template"),
    )
    FeeItemFactory(version=version, name="工本费", amount="10.00", legal_basis="价格文件")
    FeeItemFactory(
        version=version, name="检验费", amount=None, rule="按检验项目计", legal_basis="收费文件"
    )
    return version


def test_detail_has_the_whole_guide(api, guide):
    response = api.get(f"{ITEMS}330100-XK-SCJ-0001/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "330100-XK-SCJ-0001"
    assert body["legal_basis"] == "《中华人民共和国食品安全法》第三十五条"
    assert body["conditions"] == "有与经营的食品品种相适应的经营场所"
    assert (body["statutory_limit"], body["promised_limit"]) == (20, 10)
    assert (body["extension_allowed"], body["suspension_allowed"]) == (False, True)
    assert body["visits_required"] == 0
    assert (body["must_enter_center"], body["entered_center"]) == (True, True)
    assert body["window_authorization"] == "full"
    assert body["result_type"] == "licence"
    assert body["window_location"] == "一楼 12 号窗口"
    assert body["phone"] == "0571-12345678"
    assert body["published_at"]


def test_detail_lists_steps_in_order(api, guide):
    steps = api.get(f"{ITEMS}330100-XK-SCJ-0001/").json()["steps"]
    assert steps == [
        {"order": 1, "name": "承办", "role": "handler", "limit_days": 5},
        {"order": 2, "name": "审核", "role": "reviewer", "limit_days": 3},
        {"order": 3, "name": "审批", "role": "approver", "limit_days": 2},
    ]


def test_detail_lists_materials_in_order_with_file_urls_or_null(api, guide):
    materials = api.get(f"{ITEMS}330100-XK-SCJ-0001/").json()["materials"]
    assert [m["name"] for m in materials] == ["食品经营许可申请书", "营业执照复印件"]
    first, second = materials
    assert (first["required"], first["deferrable"]) == (True, False)
    assert (first["originals"], first["copies"]) == (1, 0)
    assert first["notes"] == "申请人签字"
    # The permission-checked download, never the media URL (which serves nothing).
    template = Material.objects.get(name="食品经营许可申请书")
    assert first["template_file"] == f"http://testserver/catalog/materials/{template.pk}/template/"
    assert api.get(first["template_file"]).getvalue() == b"template"
    assert first["sample_file"] is None
    assert second["template_file"] is None


def test_detail_lists_fees_and_is_not_free(api, guide):
    body = api.get(f"{ITEMS}330100-XK-SCJ-0001/").json()
    assert body["fees"] == [
        {"name": "工本费", "amount": "10.00", "rule": "", "legal_basis": "价格文件"},
        {"name": "检验费", "amount": None, "rule": "按检验项目计", "legal_basis": "收费文件"},
    ]
    assert body["free"] is False


def test_item_without_fees_is_free(api):
    item("330100-XK-D01-0001")
    body = api.get(f"{ITEMS}330100-XK-D01-0001/").json()
    assert body["fees"] == []
    assert body["free"] is True


def test_detail_query_count_is_fixed(api, guide, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert api.get(f"{ITEMS}330100-XK-SCJ-0001/").status_code == 200


def test_unknown_code_is_a_404(api):
    response = api.get(f"{ITEMS}330100-XK-D01-9999/")
    assert response.status_code == 404


# Versions: only the current one is public


def test_item_with_only_a_draft_is_invisible(api):
    item("330100-XK-D01-0001", draft=True)
    assert api.get(ITEMS).json()["count"] == 0
    assert api.get(f"{ITEMS}330100-XK-D01-0001/").status_code == 404


def test_pending_draft_does_not_leak_into_the_published_guide(api):
    published = item("330100-XK-D01-0001", name="旧名称")
    ItemVersionFactory(item=published.item, draft=True, name="草稿名称")
    assert [row["name"] for row in api.get(ITEMS).json()["results"]] == ["旧名称"]
    body = api.get(f"{ITEMS}330100-XK-D01-0001/").json()
    assert (body["name"], body["version"]) == ("旧名称", 1)


def test_superseded_version_is_replaced_by_the_new_published_one(api):
    old = item("330100-XK-D01-0001", name="旧名称", status=VersionStatus.SUPERSEDED)
    ItemVersionFactory(item=old.item, name="新名称", promised_limit=3)
    results = api.get(ITEMS).json()["results"]
    assert [(row["name"], row["version"]) for row in results] == [("新名称", 2)]
    body = api.get(f"{ITEMS}330100-XK-D01-0001/").json()
    assert (body["name"], body["version"], body["promised_limit"]) == ("新名称", 2, 3)


# Read-only for everyone


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", ITEMS),
        ("put", f"{ITEMS}330100-XK-D01-0001/"),
        ("patch", f"{ITEMS}330100-XK-D01-0001/"),
        ("delete", f"{ITEMS}330100-XK-D01-0001/"),
        ("post", "/api/v1/departments/"),
        ("post", "/api/v1/catalog/stats/"),
    ],
)
def test_anonymous_may_not_write(api, method, path):
    item("330100-XK-D01-0001", name="原名称")
    response = getattr(api, method)(path, {"name": "改名"}, format="json")
    assert response.status_code in (403, 405)
    assert ItemVersion.objects.get().name == "原名称"


def test_staff_may_not_write_through_the_api_either(api):
    item("330100-XK-D01-0001")
    api.force_authenticate(staff_user(Role.CATALOG_ADMINISTRATOR))
    response = api.delete(f"{ITEMS}330100-XK-D01-0001/")
    assert response.status_code == 405
    assert ItemVersion.objects.count() == 1


# Departments, statistics, schema


def test_departments_with_their_center_and_published_item_count(api):
    center = ServiceCenterFactory(code="330100", name="市行政审批服务中心")
    scj = DepartmentFactory(code="SCJ", name="市场监督管理局", center=center)
    DepartmentFactory(code="JSJ", name="住房和城乡建设局", center=center)
    item("330100-XK-SCJ-0001", department=scj)
    item("330100-XK-SCJ-0002", department=scj)
    item("330100-XK-SCJ-0003", department=scj, draft=True)
    body = api.get("/api/v1/departments/").json()
    assert body["count"] == 2
    assert body["results"] == [
        {
            "code": "JSJ",
            "name": "住房和城乡建设局",
            "center": {"code": "330100", "name": "市行政审批服务中心"},
            "published_items": 0,
        },
        {
            "code": "SCJ",
            "name": "市场监督管理局",
            "center": {"code": "330100", "name": "市行政审批服务中心"},
            "published_items": 2,
        },
    ]


def test_stats_endpoint_gives_the_figures_as_numbers(api):
    department = DepartmentFactory(code="SCJ", name="市场监督管理局")
    item("330100-XK-SCJ-0001", department=department, immediate=True)
    item("330100-XK-SCJ-0002", department=department, promised_limit=5, statutory_limit=20)
    item("330100-XK-SCJ-0003", department=department, promised_limit=10, statutory_limit=20)
    item("330100-XK-SCJ-0004", department=department, draft=True)
    response = api.get("/api/v1/catalog/stats/")
    assert response.status_code == 200
    body = response.json()
    assert body["total_items"] == 3
    assert body["immediate_count"] == 1
    assert body["immediate_share"] == 33.3
    assert body["long_promise_count"] == 2
    assert body["average_promised_limit"] == 5.0
    assert Decimal(str(body["average_statutory_limit"])) == Decimal("13.33")
    assert body["compression"] == 62.5
    assert body["entered_rate"] == 100.0
    assert body["by_category"] == [{"code": "XK", "name": "行政许可", "count": 3, "share": 100.0}]
    assert body["by_department"] == [
        {"code": "SCJ", "name": "市场监督管理局", "count": 3, "share": 100.0}
    ]


def test_stats_of_an_empty_catalog_are_zeros(api):
    body = api.get("/api/v1/catalog/stats/").json()
    assert body["total_items"] == 0
    assert body["average_promised_limit"] == 0
    assert body["by_category"] == []


def test_schema_documents_the_catalog_endpoints(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/v1/items/" in schema
    assert "/api/v1/items/{code}/" in schema
    assert "/api/v1/departments/" in schema
    assert "/api/v1/catalog/stats/" in schema
