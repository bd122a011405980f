"""Joint items (联办件): one intake at the lead window, parallel sub-cases, one joint clock."""

from datetime import date

import pytest

from catalog.models import JointItem
from tests.factories.workflow import (
    WALK_IN_APPLICANT,
    at,
    department_staff,
    item_with_procedure,
    joint_case_taken_in,
    pdf,
    run_to_last_step,
)
from workflow import services
from workflow.models import CaseStatus, Decision, JointCaseStatus

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
APPLICANT = WALK_IN_APPLICANT


@pytest.fixture
def joint():
    lead_item = item_with_procedure(materials=(("申请书", False),))
    other_item = item_with_procedure(materials=(("图纸", False),))
    joint_item = JointItem.objects.create(
        code="LB-0001", name="开办餐馆一件事", lead_department=lead_item.department
    )
    joint_item.items.add(lead_item.item, other_item.item)
    return joint_item, lead_item, other_item


def _files(*versions):
    return {v.pk: {m.pk: [pdf()] for m in v.materials.all()} for v in versions}


def test_one_intake_at_the_lead_window_opens_a_sub_case_per_department_on_the_joint_clock(joint):
    joint_item, lead_item, other_item = joint
    lead = department_staff(lead_item.department)

    case = services.joint_case_intake(
        joint_item=joint_item,
        by=lead.clerk,
        applicant=APPLICANT,
        files=_files(lead_item, other_item),
        now=at(MONDAY),
    )

    sub_cases = list(case.sub_cases.order_by("department__code"))
    assert {c.department_id for c in sub_cases} == {
        lead_item.department_id,
        other_item.department_id,
    }
    assert all(c.status == CaseStatus.ACCEPTED for c in sub_cases)
    # 45 working days after Monday 16 November 2026, with no holiday schedule loaded (weekends
    # only): nine whole weeks, Monday 18 January 2027.
    assert case.due_on == date(2027, 1, 18)
    assert {c.due_on for c in sub_cases} == {case.due_on}
    assert case.number.endswith("-LB-0001")


def test_the_joint_case_is_decided_when_every_department_has_decided(joint):
    joint_item, lead_item, other_item = joint
    lead = department_staff(lead_item.department)
    other = department_staff(other_item.department)
    case = services.joint_case_intake(
        joint_item=joint_item,
        by=lead.clerk,
        applicant=APPLICANT,
        files=_files(lead_item, other_item),
        now=at(MONDAY),
    )
    first, second = (
        case.sub_cases.get(department=lead_item.department),
        case.sub_cases.get(department=other_item.department),
    )

    for sub_case, staff in ((first, lead), (second, other)):
        last = run_to_last_step(sub_case, staff)
        services.case_decide(
            case=sub_case, by=last.assignee, decision=Decision.APPROVED, licence_number="X-1"
        )
        case.refresh_from_db()
        if sub_case is first:
            assert case.status == JointCaseStatus.OPEN

    assert case.status == JointCaseStatus.DECIDED
    # Every status change of the joint case is on its own timeline, in the name of who caused it.
    assert [(e.action, e.from_status, e.to_status) for e in case.events.order_by("id")] == [
        ("open", "", JointCaseStatus.OPEN),
        ("decide", JointCaseStatus.OPEN, JointCaseStatus.DECIDED),
    ]
    assert (
        case.events.get(action="decide").actor == second.steps.get(status="done", order=3).assignee
    )


def test_a_joint_case_whose_sub_cases_are_all_withdrawn_is_withdrawn_with_an_event(joint):
    joint_item, lead_item, other_item = joint
    lead = department_staff(lead_item.department)
    case = joint_case_taken_in(joint_item, lead_item, other_item, by=lead.clerk, now=at(MONDAY))

    for sub_case in case.sub_cases.all():
        services.case_withdraw(case=sub_case, by=lead.clerk, reason="申请人当面撤回")

    case.refresh_from_db()
    assert case.status == JointCaseStatus.WITHDRAWN
    last = case.events.order_by("id").last()
    assert (last.action, last.to_status, last.actor) == ("withdraw", "withdrawn", lead.clerk)


def test_the_joint_case_timeline_cannot_be_changed_through_the_orm(joint):
    from workflow.models import AppendOnly

    joint_item, lead_item, other_item = joint
    lead = department_staff(lead_item.department)
    case = joint_case_taken_in(joint_item, lead_item, other_item, by=lead.clerk, now=at(MONDAY))
    event = case.events.get()

    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        case.events.update(action="x")
    with pytest.raises(AppendOnly):
        case.events.all().delete()


def test_only_the_lead_department_window_takes_in_a_joint_item(joint):
    joint_item, lead_item, other_item = joint
    other = department_staff(other_item.department)

    with pytest.raises(services.ActionForbidden):
        services.joint_case_intake(
            joint_item=joint_item,
            by=other.clerk,
            applicant=APPLICANT,
            files=_files(lead_item, other_item),
        )
    assert not joint_item.cases.exists()


def test_a_sub_case_may_be_extended_by_15_working_days_but_no_more(joint):
    joint_item, lead_item, other_item = joint
    lead = department_staff(lead_item.department)
    case = joint_case_taken_in(joint_item, lead_item, other_item, by=lead.clerk, now=at(MONDAY))
    sub_case = case.sub_cases.get(department=lead_item.department)

    with pytest.raises(services.InvalidInput):
        services.extension_request(case=sub_case, by=lead.handler, days=16, reason="联合踏勘")
    services.extension_request(case=sub_case, by=lead.handler, days=15, reason="联合踏勘")
    assert sub_case.extensions.get().days == 15


def test_a_missing_material_of_one_department_takes_in_nothing(joint):
    joint_item, lead_item, other_item = joint
    lead = department_staff(lead_item.department)

    with pytest.raises(services.InvalidInput):
        services.joint_case_intake(
            joint_item=joint_item, by=lead.clerk, applicant=APPLICANT, files=_files(lead_item)
        )
    assert not joint_item.cases.exists()
