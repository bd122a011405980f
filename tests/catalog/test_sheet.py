import datetime

import pytest
import time_machine
from django.urls import reverse

from catalog.models import Role, VersionStatus
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    FeeItemFactory,
    ItemVersionFactory,
    MaterialFactory,
    StepTemplateFactory,
    UserFactory,
    WindowFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

CODE = "330100-XK-SCJ-0001"


def sheet_url(code=CODE, **query):
    url = reverse("item-sheet", kwargs={"code": code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def department():
    return DepartmentFactory(name="市市场监督管理局")


@pytest.fixture
def item():
    return ApprovalItemFactory(code=CODE)


@pytest.fixture
def current(item, department):
    version = ItemVersionFactory(
        item=item,
        name="食品经营许可",
        department=department,
        statutory_limit=20,
        promised_limit=7,
        visits_required=1,
        window_location="市民中心二楼 B 区 12 号窗口",
        phone="0571-87000000",
    )
    StepTemplateFactory(version=version, order=1, name="受理审查", limit_days=2)
    StepTemplateFactory(version=version, order=2, name="现场核查", role=Role.REVIEWER, limit_days=4)
    MaterialFactory(version=version, order=1, name="食品经营许可申请书", originals=1, copies=0)
    MaterialFactory(
        version=version, order=2, name="场所平面图", required=True, deferrable=True, copies=2
    )
    MaterialFactory(version=version, order=3, name="委托书", required=False, notes="委托办理时提供")
    FeeItemFactory(version=version, name="许可证工本费", amount="15.00")
    return version


def test_the_sheet_lists_everything_the_applicant_must_know(client, current):
    with time_machine.travel(datetime.datetime(2025, 5, 6, 10, 0, tzinfo=datetime.UTC)):
        response = client.get(sheet_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "One-time notification sheet" in page
    for text in [
        "市市场监督管理局",
        "食品经营许可",
        CODE,
        "行政许可",
        "Promised (承诺件)",
        "Natural or legal person",
        "《中华人民共和国行政许可法》",
        "食品经营许可申请书",
        "场所平面图",
        "may be supplied later (容缺)",
        "委托书",
        "Optional",
        "委托办理时提供",
        "受理审查",
        "现场核查",
        "4 working days",
        "20 working days",
        "7 working days",
        "许可证工本费",
        "15.00",
        "市民中心二楼 B 区 12 号窗口",
        "0571-87000000",
        "Licence",
        "Printed on May 6, 2025",
    ]:
        assert text in page, text


def test_the_sheet_says_free_of_charge_when_there_are_no_fees(client, item, department):
    version = ItemVersionFactory(item=item, department=department)
    MaterialFactory(version=version)

    response = client.get(sheet_url())

    assert "Free of charge." in response.content.decode()


def test_an_immediate_item_is_completed_on_the_spot(client, item, department):
    ItemVersionFactory(item=item, department=department, immediate=True)

    page = client.get(sheet_url()).content.decode()

    assert "Completed on the spot" in page
    assert "Decided on the spot at the window." in page


def test_without_a_window_location_the_departments_windows_are_listed(client, item, department):
    ItemVersionFactory(item=item, department=department, window_location="")
    window = WindowFactory(center=department.center, number="07")
    window.departments.add(department)

    page = client.get(sheet_url()).content.decode()

    assert f"{department.center.name} window 07" in page


def test_the_sheet_has_a_print_button_that_works_without_inline_script(client, current):
    page = client.get(sheet_url()).content.decode()

    assert "data-print" in page
    assert "js/print.js" in page
    assert "onclick" not in page


def test_an_unknown_code_is_not_found(client, current):
    assert client.get(sheet_url("330100-XK-SCJ-9999")).status_code == 404


def test_an_item_with_only_a_draft_is_not_found(client, item):
    ItemVersionFactory(item=item, draft=True)

    assert client.get(sheet_url()).status_code == 404


@pytest.fixture
def superseded(current):
    current.status = VersionStatus.SUPERSEDED
    current.save()
    ItemVersionFactory(item=current.item, name="食品经营许可（2025版）", number=2)
    return current


def test_the_public_gets_the_current_version(client, superseded):
    page = client.get(sheet_url()).content.decode()

    assert "食品经营许可（2025版）" in page
    assert "no longer in force" not in page


def test_an_earlier_version_is_not_public(client, superseded):
    assert client.get(sheet_url(version=1)).status_code == 404
    assert client.get(sheet_url(version=2)).status_code == 404


def test_staff_can_print_an_earlier_version_marked_as_no_longer_in_force(client, superseded):
    client.force_login(staff_user(Role.WINDOW_CLERK))

    response = client.get(sheet_url(version=1))

    assert response.status_code == 200
    page = response.content.decode()
    assert "食品经营许可申请书" in page
    assert "This is version 1, which is no longer in force; the current version is 2." in page


@pytest.mark.parametrize("version", ["3", "abc", "", "99999999999999999999999"])
def test_staff_asking_for_a_version_that_does_not_exist_get_not_found(client, superseded, version):
    client.force_login(staff_user(Role.WINDOW_CLERK))

    assert client.get(sheet_url(version=version)).status_code == 404


def test_staff_cannot_print_a_draft(client, current):
    ItemVersionFactory(item=current.item, number=2, draft=True)
    client.force_login(staff_user(Role.WINDOW_CLERK))

    assert client.get(sheet_url(version=2)).status_code == 404


def test_a_logged_in_user_without_a_staff_role_is_treated_as_public(client, superseded):
    client.force_login(UserFactory())

    assert client.get(sheet_url(version=1)).status_code == 404


def test_the_sheet_does_not_show_a_draft_in_place_of_the_current_version(client, current):
    ItemVersionFactory(item=current.item, number=2, draft=True, name="草稿中的新名称")

    page = client.get(sheet_url()).content.decode()

    assert "食品经营许可" in page
    assert "草稿中的新名称" not in page
