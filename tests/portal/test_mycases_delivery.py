"""The applicant's say after acceptance: a pending material (容缺) brought online, and how the
decided result reaches them (Art. 44), both from "my cases"."""

import re
from datetime import date

import pytest

from tests.factories.workflow import (
    accepted_case,
    decided_case,
    department_staff,
    item_with_procedure,
    pdf,
)
from workflow import services
from workflow.models import CaseEvent, DeliveryMethod

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return item_with_procedure()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def test_a_decided_case_offers_the_choice_and_records_post_with_the_address(client, version, staff):
    case = decided_case(version, staff)
    client.force_login(case.applicant)

    page = client.get(f"/my/cases/{case.pk}/").content.decode()
    assert "Receive the result" in page

    response = client.post(
        f"/my/cases/{case.pk}/delivery/",
        {
            "delivery-method": "post",
            "delivery-recipient": "张三",
            "delivery-phone": "13800138000",
            "delivery-address": "示范市人民路1号3单元",
        },
        follow=True,
    )

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.delivery_requested == DeliveryMethod.POST
    assert case.delivery_address == "示范市人民路1号3单元"
    assert "示范市人民路1号3单元" in response.content.decode()
    assert CaseEvent.objects.filter(case=case, action="choose-delivery").count() == 1


def test_the_window_sees_the_choice_and_its_delivery_form_starts_from_it(client, version, staff):
    case = decided_case(version, staff)
    services.case_choose_delivery(
        case=case,
        by=case.applicant,
        method="post",
        recipient="张三",
        phone="13800138000",
        address="示范市人民路1号",
    )
    client.force_login(staff.clerk)

    listing = client.get("/staff/delivery/").content.decode()
    assert "示范市人民路1号" in listing
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert re.search(r'value="post"\s+id="id_deliver_method_\d"[^>]*checked', page)


def test_post_without_an_address_is_refused_and_changes_nothing(client, version, staff):
    case = decided_case(version, staff)
    client.force_login(case.applicant)

    response = client.post(
        f"/my/cases/{case.pk}/delivery/",
        {"delivery-method": "post", "delivery-recipient": "", "delivery-phone": "123"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the name of the person who receives the post." in page
    case.refresh_from_db()
    assert case.delivery_requested == ""


def test_no_choice_before_the_decision_nor_after_the_hand_over(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(case.applicant)
    assert "Receive the result" not in client.get(f"/my/cases/{case.pk}/").content.decode()
    response = client.post(f"/my/cases/{case.pk}/delivery/", {"delivery-method": "pickup"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.delivery_requested == ""


def test_another_applicant_cannot_choose_for_my_case(client, version, staff):
    from tests.factories.workflow import applicant_user

    case = decided_case(version, staff)
    client.force_login(applicant_user())

    response = client.post(f"/my/cases/{case.pk}/delivery/", {"delivery-method": "pickup"})

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.delivery_requested == ""


def test_a_pending_material_is_brought_online_and_the_decision_may_follow(client, version, staff):
    case = accepted_case(version, staff, deferred_due_on=date(2100, 1, 1))
    pending = version.materials.get(deferrable=True)
    client.force_login(case.applicant)

    page = client.get(f"/my/cases/{case.pk}/").content.decode()
    assert "Bring a pending material" in page
    response = client.post(
        f"/my/cases/{case.pk}/pending/",
        {"pending-material": pending.pk, "pending-file": pdf("场所证明.pdf")},
        follow=True,
    )

    assert response.status_code == 200
    assert "Bring a pending material" not in response.content.decode()
    assert case.submissions.filter(files__material=pending).exists()


def test_a_pending_material_of_the_wrong_type_is_refused(client, version, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = accepted_case(version, staff, deferred_due_on=date(2100, 1, 1))
    pending = version.materials.get(deferrable=True)
    client.force_login(case.applicant)

    response = client.post(
        f"/my/cases/{case.pk}/pending/",
        {
            "pending-material": pending.pk,
            "pending-file": SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )

    assert response.status_code == 400
    assert not case.submissions.filter(files__material=pending).exists()


def test_a_decided_case_counts_down_to_the_hand_over(client, version, staff):
    case = decided_case(version, staff)
    client.force_login(case.applicant)

    page = client.get(f"/my/cases/{case.pk}/").content.decode()

    assert "The result reaches you by" in page
    assert case.delivery_due_on.isoformat() in page
