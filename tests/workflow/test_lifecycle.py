"""A case from the online draft to delivery, as the applicant and the staff see it."""

from datetime import date

import pytest

from catalog.models import Role
from tests.factories.workflow import (
    accepted_case,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    pdf,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.models import CaseStatus, Decision, DeliveryMethod, NoticeKind, StepStatus

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)


def test_a_case_goes_from_submission_to_delivery_with_one_event_per_transition():
    version = item_with_procedure(fees=(("工本费", "10.00"),))
    staff = department_staff(version.department)
    now = at(MONDAY)

    case = decided_case(version, staff, now=now)
    services.fee_record(
        case=case,
        by=staff.fee_clerk,
        fee_name="工本费",
        amount="10.00",
        receipt_number="R001",
        now=now,
    )
    services.case_deliver(case=case, by=staff.clerk, method=DeliveryMethod.PICKUP, now=now)

    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.number.startswith(
        f"{version.department.center.code}-20261116-{version.department.code}-"
    )
    assert case.decision == Decision.APPROVED
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "create",
        "submit",
        "accept",
        "supply-deferred",
        "claim-step",
        "complete-step",
        "claim-step",
        "complete-step",
        "claim-step",
        "decide",
        "record-fee",
        "deliver",
    ]
    assert set(case.notices.values_list("kind", flat=True)) == {
        NoticeKind.ACCEPTANCE,
        NoticeKind.APPROVAL,
    }


def test_accept_starts_the_clock_on_the_promised_and_statutory_limits():
    version = item_with_procedure(promised_limit=5, statutory_limit=20)
    staff = department_staff(version.department)

    case = accepted_case(version, staff, now=at(MONDAY))

    assert case.accepted_on == MONDAY
    assert case.due_on == date(2026, 11, 23)  # five working days after Monday 16th
    assert case.statutory_due_on == date(2026, 12, 14)
    assert case.clock == "running"
    assert case.steps.get(status=StepStatus.OPEN).due_on == date(2026, 11, 18)


def test_no_step_can_be_skipped_and_the_last_step_decides():
    version = item_with_procedure()
    staff = department_staff(version.department)
    case = accepted_case(version, staff, now=at(MONDAY))
    first = case.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=first, by=staff.handler)

    with pytest.raises(services.TransitionNotAllowed):
        services.case_decide(
            case=case, by=staff.handler, decision=Decision.APPROVED, licence_number="X1"
        )
    # The approver cannot take the handler's open step either.
    with pytest.raises(services.ActionForbidden):
        services.step_complete(step=first, by=staff.approver, opinion="同意")


def test_a_supplement_round_lists_materials_and_only_those_can_be_answered():
    version = item_with_procedure()
    staff = department_staff(version.department)
    case = submitted_case(version, now=at(MONDAY))
    licence = version.materials.get(name="营业执照")
    form = version.materials.get(name="申请书")

    services.case_request_supplement(
        case=case,
        by=staff.clerk,
        items=[{"material": licence.pk, "reason": "已过期"}],
        now=at(MONDAY),
    )
    with pytest.raises(services.InvalidInput):
        services.case_attach_material(case=case, material=form, upload=pdf(), by=case.applicant)
    with pytest.raises(services.InvalidInput):
        services.case_submit(case=case, by=case.applicant)
    services.case_attach_material(case=case, material=licence, upload=pdf(), by=case.applicant)
    services.case_submit(case=case, by=case.applicant, now=at(date(2026, 11, 18)))

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.received_on == date(2026, 11, 18)
    assert case.submissions.count() == 2


def test_suspension_and_extension_move_the_due_date_and_it_can_be_recomputed():
    version = item_with_procedure(promised_limit=5, statutory_limit=20)
    staff = department_staff(version.department)
    case = accepted_case(version, staff, now=at(MONDAY))
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="expert_review",
        reason="专家评审",
        expected_days=3,
        now=at(date(2026, 11, 17)),
    )
    services.case_resume(case=case, by=staff.handler, now=at(date(2026, 11, 20)))
    extension = services.extension_request(
        case=case, by=staff.handler, days=10, reason="情况复杂", now=at(date(2026, 11, 20))
    )
    services.extension_decide(
        extension=extension, by=staff.approver, approve=True, now=at(date(2026, 11, 20))
    )

    case.refresh_from_db()
    # 5 promised + 3 suspended (Wed, Thu, Fri) + 10 extended working days after Monday 16th.
    assert case.due_on == date(2026, 12, 10)
    recomputed = services.case_recompute_due_dates(case)
    assert (recomputed.due_on, recomputed.statutory_due_on) == (case.due_on, case.statutory_due_on)


def test_an_immediate_item_is_accepted_and_completed_in_one_visit():
    version = item_with_procedure(
        steps=(("当场办结", Role.CHIEF_REPRESENTATIVE, 0),),
        promised_limit=0,
        statutory_limit=0,
        processing_type="immediate",
        materials=(("申请书", False),),
    )
    staff = department_staff(version.department)
    case = submitted_case(version, now=at(MONDAY))
    services.case_accept(case=case, by=staff.chief, now=at(MONDAY))
    case.refresh_from_db()

    services.case_complete_on_the_spot(
        case=case, by=staff.chief, licence_number="JB001", now=at(MONDAY)
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.due_on == MONDAY == case.decided_on == case.delivered_on


def test_a_late_answer_counts_acceptance_from_the_day_of_receipt():
    version = item_with_procedure()
    staff = department_staff(version.department)
    case = submitted_case(version, now=at(MONDAY))

    # Seven working days after receipt, beyond the five of Art. 32.
    services.case_accept(
        case=case, by=staff.clerk, now=at(date(2026, 11, 25)), deferred_due_on=date(2026, 12, 31)
    )

    case.refresh_from_db()
    assert case.intake_late is True
    assert case.accepted_on == MONDAY


def test_the_step_run_roles_are_held_in_the_department():
    version = item_with_procedure()
    staff = department_staff(version.department)
    other = department_staff(item_with_procedure().department)
    case = accepted_case(version, staff, now=at(MONDAY))
    step = case.steps.get(status=StepStatus.OPEN)
    with pytest.raises(services.ActionForbidden):
        services.step_claim(step=step, by=other.handler)
    assert run_to_last_step(case, staff).role == Role.APPROVER
