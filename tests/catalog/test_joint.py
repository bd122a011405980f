"""Opening and closing a joint item (联办件) for applications goes through one service."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from catalog.joint import joint_item_set_active
from catalog.models import JointItem, Role
from tests.factories import staff_user
from tests.factories.workflow import (
    WALK_IN_APPLICANT,
    at,
    department_staff,
    item_with_procedure,
    pdf,
)
from workflow import services
from workflow.exceptions import InvalidInput
from workflow.models import CaseStatus, JointCaseStatus

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 11, 16))


@pytest.fixture
def administrator():
    return staff_user(Role.CATALOG_ADMINISTRATOR)


@pytest.fixture
def versions():
    return (
        item_with_procedure(materials=(("申请书", False),)),
        item_with_procedure(materials=(("图纸", False),)),
    )


def joint_item(versions, *, active: bool, members=None) -> JointItem:
    lead = versions[0]
    joint = JointItem.objects.create(
        code="LB-0001", name="开办餐馆一件事", lead_department=lead.department, active=active
    )
    joint.items.add(*(v.item for v in (versions if members is None else members)))
    return joint


def take_in(joint: JointItem, versions):
    clerk = department_staff(versions[0].department).clerk
    return services.joint_case_intake(
        joint_item=joint,
        by=clerk,
        applicant=WALK_IN_APPLICANT,
        files={v.pk: {m.pk: [pdf()] for m in v.materials.all()} for v in versions},
        now=NOW,
    )


def test_a_ready_joint_item_is_opened(versions, administrator):
    joint = joint_item(versions, active=False)

    opened = joint_item_set_active(joint_item=joint, active=True, by=administrator)

    assert opened.active and joint.active
    assert JointItem.objects.get(pk=joint.pk).active


def test_a_joint_item_of_one_item_is_not_opened_and_stays_closed(versions, administrator):
    joint = joint_item(versions, active=False, members=versions[:1])

    with pytest.raises(ValidationError) as refused:
        joint_item_set_active(joint_item=joint, active=True, by=administrator)

    assert refused.value.messages == [
        "A joint item bundles at least two published items.",
        "A joint item bundles items of at least two departments.",
    ]
    assert not JointItem.objects.get(pk=joint.pk).active


def test_a_joint_item_whose_lead_handles_none_of_its_items_is_not_opened(administrator):
    joint = JointItem.objects.create(
        code="LB-0002",
        name="开办超市一件事",
        lead_department=item_with_procedure().department,
        active=False,
    )
    joint.items.add(item_with_procedure().item, item_with_procedure().item)

    with pytest.raises(ValidationError) as refused:
        joint_item_set_active(joint_item=joint, active=True, by=administrator)

    assert refused.value.messages == ["The lead department must handle one of the items."]
    assert not JointItem.objects.get(pk=joint.pk).active


def test_closing_refuses_new_intakes_while_the_cases_under_way_continue(versions, administrator):
    joint = joint_item(versions, active=True)
    under_way = take_in(joint, versions)

    joint_item_set_active(joint_item=joint, active=False, by=administrator)

    with pytest.raises(InvalidInput) as refused:
        take_in(joint, versions)
    assert "not open for applications" in str(refused.value.message)
    under_way.refresh_from_db()
    assert under_way.status == JointCaseStatus.OPEN
    assert all(c.status == CaseStatus.ACCEPTED for c in under_way.sub_cases.all())
    assert joint.cases.count() == 1


def test_setting_the_state_it_has_changes_nothing(versions, administrator):
    joint = joint_item(versions, active=True)

    joint_item_set_active(joint_item=joint, active=True, by=administrator)
    joint_item_set_active(joint_item=joint, active=True, by=administrator)

    assert JointItem.objects.get(pk=joint.pk).active
