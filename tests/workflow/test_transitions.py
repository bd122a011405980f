"""Every action in every state: the transition table is what the services do.

A case is brought to each state through the services; the action is then taken by a user who
may take it, with valid arguments. Where the table allows it, the case ends in the table's
state with exactly one new event; where it does not, the service refuses and nothing changes.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from catalog.models import ProcessingType, Role
from tests.factories.catalog import staff_user
from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    pdf,
    run_to_last_step,
)
from tests.factories.workflow_states import (
    BEFORE_ACCEPTANCE,
    DEFERRED_MATERIAL,
    EXTENSION_ACTIONS,
    FEE_AMOUNT,
    FEE_NAME,
    STEP_ACTIONS,
    acting_step,
    action_prepare,
    action_take,
    case_in_state,
    case_snapshot,
    open_step,
    procedure_item,
    rightful_user,
)
from workflow import services
from workflow.exceptions import InvalidInput, StaleCase, TransitionNotAllowed
from workflow.models import (
    AppendOnly,
    CaseEvent,
    CaseStatus,
    Decision,
    DeliveryMethod,
    ExtensionStatus,
    FeeRecord,
    StepStatus,
)
from workflow.transitions import TRANSITIONS, Action

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
NOW = at(MONDAY)

# Every action of the table in every state, except the step and extension actions before
# acceptance: a case has no step and no extension then, so those have nothing to act on
# (``test_step_and_extension_actions_have_nothing_to_act_on_before_acceptance``).
MATRIX = [
    pytest.param(action, status, id=f"{action}-{status}")
    for action in TRANSITIONS
    for status in CaseStatus.values
    if not (status in BEFORE_ACCEPTANCE and action in STEP_ACTIONS | EXTENSION_ACTIONS)
]


@pytest.fixture
def version():
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def build(action, status, version, staff):
    return case_in_state(
        status,
        version,
        staff,
        now=NOW,
        pending_extension=action in EXTENSION_ACTIONS and status not in BEFORE_ACCEPTANCE,
    )


@pytest.mark.parametrize(("action", "status"), MATRIX)
def test_each_action_in_each_state_follows_the_transition_table(action, status, version, staff):
    sources, target = TRANSITIONS[action]
    case = build(action, status, version, staff)
    assert case.status == status

    if status in sources:
        action_prepare(action, case, staff, now=NOW)
        before = case_snapshot(case)

        action_take(action, case, by=rightful_user(action, case, staff), now=NOW)

        after = case_snapshot(case)
        expected = target or status
        assert after["status"] == expected
        assert after["revision"] == before["revision"] + 1
        assert after["events"] == before["events"] + 1
        event = case.events.order_by("-id").first()
        assert (event.action, event.from_status, event.to_status) == (action, status, expected)
    else:
        before = case_snapshot(case)

        with pytest.raises(TransitionNotAllowed) as refused:
            action_take(action, case, by=rightful_user(action, case, staff), now=NOW)

        assert str(CaseStatus(status).label).lower() in str(refused.value.message)
        assert case_snapshot(case) == before


@pytest.mark.parametrize("status", sorted(BEFORE_ACCEPTANCE))
def test_step_and_extension_actions_have_nothing_to_act_on_before_acceptance(
    status, version, staff
):
    case = case_in_state(status, version, staff, now=NOW)

    assert not case.steps.exists()
    assert not case.extensions.exists()
    assert all(status not in TRANSITIONS[action][0] for action in STEP_ACTIONS | EXTENSION_ACTIONS)


def test_the_table_follows_the_lifecycle_of_the_law():
    def allowed_in(status):
        return {action for action, (sources, _target) in TRANSITIONS.items() if status in sources}

    # Rejected, completed and withdrawn cases are closed: nothing more happens to them.
    for status in (CaseStatus.REJECTED, CaseStatus.COMPLETED, CaseStatus.WITHDRAWN):
        assert allowed_in(status) == set()
    # After the decision only the fee and the hand-over remain (and the applicant's say in how
    # the result reaches them); it can no longer be withdrawn.
    assert allowed_in(CaseStatus.DECIDED) == {
        Action.RECORD_FEE,
        Action.CHOOSE_DELIVERY,
        Action.DELIVER,
    }
    # Intake answers a submission one way only (Art. 32), and only the window's answers do.
    assert allowed_in(CaseStatus.SUBMITTED) == {
        Action.REQUEST_SUPPLEMENT,
        Action.REJECT,
        Action.ACCEPT,
        Action.WITHDRAW,
    }
    assert {action: TRANSITIONS[action][1] for action in allowed_in(CaseStatus.SUBMITTED)} == {
        Action.REQUEST_SUPPLEMENT: CaseStatus.NEEDS_SUPPLEMENT,
        Action.REJECT: CaseStatus.REJECTED,
        Action.ACCEPT: CaseStatus.ACCEPTED,
        Action.WITHDRAW: CaseStatus.WITHDRAWN,
    }
    # A decision needs the steps: none straight from acceptance.
    assert TRANSITIONS[Action.DECIDE] == ({CaseStatus.IN_PROGRESS}, CaseStatus.DECIDED)


# --- stale forms -----------------------------------------------------------------------------

# (action, state): every service that takes ``expected_revision``.
STALE = [
    (Action.SUBMIT, CaseStatus.DRAFT),
    (Action.WITHDRAW, CaseStatus.IN_PROGRESS),
    (Action.REQUEST_SUPPLEMENT, CaseStatus.SUBMITTED),
    (Action.REJECT, CaseStatus.SUBMITTED),
    (Action.ACCEPT, CaseStatus.SUBMITTED),
    (Action.SUSPEND, CaseStatus.IN_PROGRESS),
    (Action.RESUME, CaseStatus.IN_PROGRESS),
    (Action.REQUEST_EXTENSION, CaseStatus.ACCEPTED),
    (Action.DECIDE, CaseStatus.IN_PROGRESS),
    (Action.DELIVER, CaseStatus.DECIDED),
]


@pytest.mark.parametrize(("action", "status"), STALE, ids=[f"{a}-{s}" for a, s in STALE])
def test_a_form_filled_in_on_an_older_revision_is_refused_and_changes_nothing(
    action, status, version, staff
):
    case = case_in_state(status, version, staff, now=NOW)
    action_prepare(action, case, staff, now=NOW)
    before = case_snapshot(case)
    user = rightful_user(action, case, staff)

    with pytest.raises(StaleCase) as refused:
        action_take(action, case, by=user, now=NOW, expected_revision=before["revision"] - 1)

    assert refused.value.status == 409
    assert "reload" in str(refused.value.message)
    assert case_snapshot(case) == before
    # The same form on the current revision goes through.
    action_take(action, case, by=user, now=NOW, expected_revision=before["revision"])
    assert case_snapshot(case)["revision"] == before["revision"] + 1


# --- the timeline ----------------------------------------------------------------------------


def test_case_events_can_be_neither_changed_nor_deleted(version, staff):
    case = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    event = case.events.get(action=Action.ACCEPT)

    event.reason = "改写历史"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()

    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.reason == ""
    assert case.events.count() == 3  # create, submit, accept


def test_case_events_cannot_be_changed_or_deleted_in_bulk_either(version, staff):
    case = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    events = list(case.events.values_list("id", "action", "reason"))

    with pytest.raises(AppendOnly):
        case.events.update(reason="改写历史")
    with pytest.raises(AppendOnly):
        CaseEvent.objects.filter(case=case).delete()
    # bulk_update() works without a savepoint of its own: give it one to fail in.
    with pytest.raises(AppendOnly), transaction.atomic():
        CaseEvent.objects.bulk_update(list(case.events.all()), ["reason"])

    assert list(case.events.values_list("id", "action", "reason")) == events


def test_a_case_with_a_timeline_cannot_be_deleted(version, staff):
    case = case_in_state(CaseStatus.SUBMITTED, version, staff, now=NOW)

    with pytest.raises(ProtectedError):
        case.delete()

    assert case.events.count() == 2


# --- the rules beyond the table --------------------------------------------------------------


def test_withdrawal_after_the_decision_is_refused(version, staff):
    case = case_in_state(CaseStatus.DECIDED, version, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_withdraw(case=case, by=case.applicant, now=NOW)

    assert "withdraw" in str(refused.value.message)
    assert "decided" in str(refused.value.message)
    assert case_snapshot(case) == before


def test_no_decision_while_a_material_accepted_as_pending_is_missing(version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    last = run_to_last_step(case, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_decide(
            case=case, by=last.assignee, decision=Decision.APPROVED, licence_number="X1", now=NOW
        )

    assert DEFERRED_MATERIAL in str(refused.value.message)
    assert case_snapshot(case) == before
    # Once it has come, the same decision goes through.
    services.case_supply_deferred(
        case=case,
        material=version.materials.get(name=DEFERRED_MATERIAL),
        upload=pdf(),
        by=case.applicant,
        now=NOW,
    )
    services.case_decide(
        case=case, by=last.assignee, decision=Decision.APPROVED, licence_number="X1", now=NOW
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_no_decision_while_the_case_is_suspended(version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    action_prepare(Action.DECIDE, case, staff, now=NOW)
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="hearing",
        reason="举行听证",
        expected_days=5,
        now=NOW,
    )
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_decide(
            case=case,
            by=acting_step(case).assignee,
            decision=Decision.APPROVED,
            licence_number="X1",
            now=NOW,
        )

    assert "suspended" in str(refused.value.message)
    assert case_snapshot(case) == before


def test_the_last_step_cannot_be_completed_it_ends_with_the_decision(version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    last = run_to_last_step(case, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.step_complete(step=last, by=last.assignee, opinion="同意", now=NOW)

    assert "last step" in str(refused.value.message)
    assert case_snapshot(case) == before


def test_the_first_step_cannot_be_sent_back(version, staff):
    case = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    first = open_step(case)
    services.step_claim(step=first, by=staff.handler, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.step_return(step=first, by=staff.handler, reason="退回", now=NOW)

    assert "first step" in str(refused.value.message)
    assert case_snapshot(case) == before


def test_a_step_sent_back_opens_the_previous_step_again(version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    second = open_step(case)
    services.step_claim(step=second, by=staff.reviewer, now=NOW)

    services.step_return(step=second, by=staff.reviewer, reason="需补充现场照片", now=NOW)

    reopened = open_step(case)
    assert (reopened.order, reopened.role, reopened.assignee) == (1, Role.HANDLER, None)
    second.refresh_from_db()
    assert (second.status, second.opinion) == (StepStatus.RETURNED, "需补充现场照片")


def test_claiming_a_claimed_step_names_who_claimed_it(version, staff):
    staff.handler.first_name = "李明"
    staff.handler.save()
    second_handler = staff_user(Role.HANDLER, department=version.department)
    case = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    step = open_step(case)
    services.step_claim(step=step, by=staff.handler, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.step_claim(step=step, by=second_handler, now=NOW)

    assert "李明 has already claimed this step" in str(refused.value.message)
    assert case_snapshot(case) == before


def test_the_limit_is_extended_only_once(version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    extension = services.extension_request(
        case=case, by=staff.handler, days=5, reason="情况复杂", now=NOW
    )

    # Neither while the first request waits for the leader…
    with pytest.raises(TransitionNotAllowed) as refused:
        services.extension_request(case=case, by=staff.handler, days=3, reason="再次延期", now=NOW)
    assert "only once" in str(refused.value.message)

    # …nor after it was approved.
    services.extension_decide(extension=extension, by=staff.approver, approve=True, now=NOW)
    before = case_snapshot(case)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.extension_request(case=case, by=staff.handler, days=3, reason="再次延期", now=NOW)
    assert "only once" in str(refused.value.message)
    assert case_snapshot(case) == before


def test_a_refused_extension_may_be_asked_for_again(version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    first = services.extension_request(case=case, by=staff.handler, days=5, reason="复杂", now=NOW)
    services.extension_decide(
        extension=first, by=staff.approver, approve=False, note="理由不充分", now=NOW
    )

    second = services.extension_request(
        case=case, by=staff.handler, days=5, reason="需组织现场核查", now=NOW
    )

    assert second.status == ExtensionStatus.REQUESTED


@pytest.mark.parametrize(
    ("processing_type", "most"),
    [(ProcessingType.PROMISED, 10), (ProcessingType.JOINT, 15)],
    ids=["ordinary-10", "joint-15"],
)
def test_an_extension_is_at_most_10_working_days_or_15_for_joint_items(processing_type, most):
    version = procedure_item(processing_type=processing_type)
    staff = department_staff(version.department)
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(InvalidInput) as refused:
        services.extension_request(
            case=case, by=staff.handler, days=most + 1, reason="情况复杂", now=NOW
        )
    assert f"1 to {most} working days" in str(refused.value.message)
    assert case_snapshot(case) == before

    extension = services.extension_request(
        case=case, by=staff.handler, days=most, reason="情况复杂", now=NOW
    )
    assert extension.days == most


@pytest.mark.parametrize("procedure", ["material_supplement", "holiday", "", "Hearing"])
def test_only_an_art_45_special_procedure_suspends_the_clock(procedure, version, staff):
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(InvalidInput) as refused:
        services.case_suspend(
            case=case,
            by=staff.handler,
            procedure=procedure,
            reason="等待申请人补充材料",
            expected_days=5,
            now=NOW,
        )

    assert "Only a special procedure suspends the clock" in str(refused.value.message)
    assert case_snapshot(case) == before
    assert case.clock == "running"


def test_delivery_by_post_needs_a_tracking_number(version, staff):
    case = case_in_state(CaseStatus.DECIDED, version, staff, now=NOW)
    action_prepare(Action.DELIVER, case, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(InvalidInput) as refused:
        services.case_deliver(
            case=case, by=staff.clerk, method=DeliveryMethod.POST, tracking_number=" ", now=NOW
        )

    assert "tracking number" in str(refused.value.message)
    assert case_snapshot(case) == before
    services.case_deliver(
        case=case,
        by=staff.clerk,
        method=DeliveryMethod.POST,
        tracking_number="EMS1234567890",
        now=NOW,
    )
    case.refresh_from_db()
    assert (case.status, case.tracking_number) == (CaseStatus.COMPLETED, "EMS1234567890")


def test_the_result_is_not_handed_over_before_the_fees_are_recorded(version, staff):
    case = case_in_state(CaseStatus.DECIDED, version, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_deliver(case=case, by=staff.clerk, method=DeliveryMethod.PICKUP, now=NOW)

    assert FEE_NAME in str(refused.value.message)
    assert case_snapshot(case) == before


def test_a_fee_other_than_the_standard_needs_a_reason_and_is_kept_as_a_deviation(version, staff):
    case = case_in_state(CaseStatus.DECIDED, version, staff, now=NOW)
    before = case_snapshot(case)

    with pytest.raises(InvalidInput) as refused:
        services.fee_record(
            case=case,
            by=staff.fee_clerk,
            fee_name=FEE_NAME,
            amount="15.00",
            receipt_number="R-0002",
            now=NOW,
        )
    assert "The standard is 10.00 yuan" in str(refused.value.message)
    assert case_snapshot(case) == before

    record = services.fee_record(
        case=case,
        by=staff.fee_clerk,
        fee_name=FEE_NAME,
        amount="15.00",
        receipt_number="R-0002",
        deviation_reason="含加急邮寄费",
        now=NOW,
    )

    stored = FeeRecord.objects.get(pk=record.pk)
    assert stored.deviates is True
    assert (stored.amount, stored.standard_amount) == (Decimal("15.00"), Decimal(FEE_AMOUNT))
    assert stored.deviation_reason == "含加急邮寄费"
    event = case.events.order_by("-id").first()
    assert event.data["deviates"] is True
    assert event.reason == "含加急邮寄费"


def test_a_fee_at_the_standard_amount_is_not_a_deviation(version, staff):
    case = case_in_state(CaseStatus.DECIDED, version, staff, now=NOW)

    record = services.fee_record(
        case=case,
        by=staff.fee_clerk,
        fee_name=FEE_NAME,
        amount="10",
        receipt_number="R-0003",
        now=NOW,
    )

    assert record.deviates is False


def test_acceptance_with_a_pending_material_needs_a_future_date(version, staff):
    case = case_in_state(CaseStatus.SUBMITTED, version, staff, now=NOW)
    before = case_snapshot(case)

    for due in (None, MONDAY, MONDAY - timedelta(days=1)):
        with pytest.raises(InvalidInput) as refused:
            services.case_accept(case=case, by=staff.clerk, deferred_due_on=due, now=NOW)
        assert DEFERRED_MATERIAL in str(refused.value.message)

    assert case_snapshot(case) == before


def test_an_item_without_pending_materials_is_accepted_without_a_date():
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)

    case = accepted_case(version, staff, now=NOW)

    assert case.status == CaseStatus.ACCEPTED
    assert case.deferred_due_on is None
