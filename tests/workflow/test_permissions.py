"""Every action for every role: who may act is what the role tables and the step's role say.

For each action one case is built in a state the action applies in; then every kind of user
tries it in turn, each try rolled back so the next one finds the same case: each staff role of
the case's department (center-wide roles: of its center), the applicant, another applicant, an
anonymous visitor, and holders of every role in another department (another center for the
center-wide roles). A refused try raises ``ActionForbidden`` and changes nothing; an allowed
one records exactly one event in the user's name.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from catalog.models import ApplicantType, ProcessingType, Role
from catalog.roles import CENTER_ROLES
from tests.factories.catalog import (
    DepartmentFactory,
    ServiceCenterFactory,
    UserFactory,
    staff_user,
)
from tests.factories.workflow import (
    ID_NUMBER,
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    pdf,
)
from tests.factories.workflow_states import (
    EXTENSION_ACTIONS,
    FEE_AMOUNT,
    FEE_NAME,
    STEP_ACTIONS,
    acting_step,
    action_prepare,
    action_take,
    case_in_state,
    case_snapshot,
    procedure_item,
)
from workflow import services
from workflow.exceptions import ActionForbidden, TransitionNotAllowed
from workflow.models import Case, CaseStatus, Channel
from workflow.permissions import COMPLETE_ON_THE_SPOT, offered_actions
from workflow.transitions import APPLICANT_ACTIONS, STAFF_ROLES, TRANSITIONS, Action

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 11, 16))

# The state each action is tried in: one the transition table allows it in. A step is claimed
# both in an accepted case (the handler's first step) and in one in progress (the reviewer's).
TRIES = [
    (Action.SUBMIT, CaseStatus.DRAFT),
    (Action.WITHDRAW, CaseStatus.IN_PROGRESS),
    (Action.REQUEST_SUPPLEMENT, CaseStatus.SUBMITTED),
    (Action.REJECT, CaseStatus.SUBMITTED),
    (Action.ACCEPT, CaseStatus.SUBMITTED),
    (Action.CLAIM_STEP, CaseStatus.ACCEPTED),
    (Action.CLAIM_STEP, CaseStatus.IN_PROGRESS),
    (Action.COMPLETE_STEP, CaseStatus.IN_PROGRESS),
    (Action.RETURN_STEP, CaseStatus.IN_PROGRESS),
    (Action.SUSPEND, CaseStatus.IN_PROGRESS),
    (Action.RESUME, CaseStatus.IN_PROGRESS),
    (Action.REQUEST_EXTENSION, CaseStatus.IN_PROGRESS),
    (Action.APPROVE_EXTENSION, CaseStatus.IN_PROGRESS),
    (Action.SUPPLY_DEFERRED, CaseStatus.ACCEPTED),
    (Action.DECIDE, CaseStatus.IN_PROGRESS),
    (Action.RECORD_FEE, CaseStatus.DECIDED),
    (Action.CHOOSE_DELIVERY, CaseStatus.DECIDED),
    (Action.DELIVER, CaseStatus.DECIDED),
]

APPLICANT = "applicant"
ANOTHER_APPLICANT = "another applicant"
ANONYMOUS = "anonymous"


def outsider(role: str) -> str:
    return f"{role} of another department"


@pytest.fixture
def version():
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def staff_by_role(version, staff):
    """A user per role: the department's own, center-wide roles in the department's center."""
    center = version.department.center
    return {
        Role.WINDOW_CLERK: staff.clerk,
        Role.HANDLER: staff.handler,
        Role.REVIEWER: staff.reviewer,
        Role.APPROVER: staff.approver,
        Role.CHIEF_REPRESENTATIVE: staff.chief,
        Role.FEE_CLERK: staff.fee_clerk,
        Role.SUPERVISION_OFFICER: staff_user(Role.SUPERVISION_OFFICER, center=center),
        Role.CATALOG_ADMINISTRATOR: staff_user(Role.CATALOG_ADMINISTRATOR, center=center),
    }


@pytest.fixture
def outsiders(version):
    """Every role held elsewhere: in another department of the same center, or, for the
    center-wide roles, in another center."""
    other_department = DepartmentFactory(center=version.department.center)
    other_center = ServiceCenterFactory()
    return {
        outsider(role): (
            staff_user(role, center=other_center)
            if role in CENTER_ROLES
            else staff_user(role, department=other_department)
        )
        for role in Role.values
    }


def people(case: Case, staff_by_role: dict, outsiders: dict) -> dict:
    return {
        **staff_by_role,
        APPLICANT: case.applicant,
        ANOTHER_APPLICANT: UserFactory(),
        ANONYMOUS: AnonymousUser(),
        **outsiders,
    }


def allowed_for(action: Action, case: Case) -> set[str]:
    """Who the tables say may take ``action`` on ``case``."""
    if case.status == CaseStatus.DRAFT and case.channel == Channel.ONLINE:
        # An online draft is the applicant's alone until they submit it.
        return {APPLICANT}
    if action in STEP_ACTIONS or action == Action.DECIDE:
        roles = {acting_step(case).role}
    else:
        roles = set(STAFF_ROLES.get(action, ()))
    return roles | ({APPLICANT} if action in APPLICANT_ACTIONS else set())


def attempt(take, case: Case, user) -> str:
    """Try ``take(user)`` and undo it; say how it went."""
    before = case_snapshot(case)
    with transaction.atomic():
        try:
            take(user)
        except ActionForbidden:
            outcome = "forbidden" if case_snapshot(case) == before else "forbidden, yet changed"
        else:
            new_events = list(case.events.order_by("id"))[before["events"] :]
            actors = [event.actor for event in new_events]
            outcome = "allowed" if actors == [user] else f"allowed, events by {actors}"
        transaction.set_rollback(True)
    assert case_snapshot(case) == before
    return outcome


@pytest.mark.parametrize(("action", "status"), TRIES, ids=[f"{a}-{s}" for a, s in TRIES])
def test_only_the_roles_the_tables_name_may_take_each_action(
    action, status, version, staff, staff_by_role, outsiders
):
    case = case_in_state(
        status,
        version,
        staff,
        now=NOW,
        pending_extension=action in EXTENSION_ACTIONS,
    )
    action_prepare(action, case, staff, now=NOW)
    allowed = allowed_for(action, case)
    users = people(case, staff_by_role, outsiders)

    outcomes = {
        name: attempt(lambda user: action_take(action, case, by=user, now=NOW), case, user)
        for name, user in users.items()
    }

    assert outcomes == {name: "allowed" if name in allowed else "forbidden" for name in users}


def test_every_action_of_the_table_is_tried():
    assert {action for action, _status in TRIES} == set(TRANSITIONS)
    assert all(status in TRANSITIONS[action][0] for action, status in TRIES)


def test_the_tables_give_each_action_to_the_roles_the_law_names():
    # Art. 42: the head of the organ approves an extension; fees go to the fee window.
    assert STAFF_ROLES[Action.APPROVE_EXTENSION] == {Role.APPROVER}
    assert STAFF_ROLES[Action.RECORD_FEE] == {Role.FEE_CLERK}
    # Intake and hand-over happen at the window.
    for action in (
        Action.ACCEPT,
        Action.REJECT,
        Action.REQUEST_SUPPLEMENT,
        Action.CHOOSE_DELIVERY,
        Action.DELIVER,
    ):
        assert STAFF_ROLES[action] == {Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE}
    # Supervision and the catalog watch and configure; they never act on a case.
    for roles in STAFF_ROLES.values():
        assert not roles & {Role.SUPERVISION_OFFICER, Role.CATALOG_ADMINISTRATOR}
    # The applicant also says how the result should reach them (Art. 44).
    assert {
        Action.SUBMIT,
        Action.WITHDRAW,
        Action.SUPPLY_DEFERRED,
        Action.CHOOSE_DELIVERY,
    } == APPLICANT_ACTIONS


def test_a_claimed_step_is_acted_on_only_by_whoever_claimed_it(version, staff):
    colleague = staff_user(Role.REVIEWER, department=version.department)
    case = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    action_prepare(Action.COMPLETE_STEP, case, staff, now=NOW)
    step = acting_step(case)
    assert step.assignee == staff.reviewer

    for action in (Action.COMPLETE_STEP, Action.RETURN_STEP):
        outcome = attempt(
            lambda user, action=action: action_take(action, case, by=user, now=NOW), case, colleague
        )
        assert outcome == "forbidden"
    with pytest.raises(ActionForbidden) as refused:
        services.step_complete(step=step, by=colleague, opinion="同意", now=NOW)
    assert "Claim this step" in str(refused.value.message)


def test_a_walk_in_application_is_taken_in_only_by_the_departments_window(
    version, staff_by_role, outsiders
):
    users = {**staff_by_role, ANOTHER_APPLICANT: UserFactory(), ANONYMOUS: AnonymousUser()}
    users.update(outsiders)

    def create(user):
        return services.case_create(
            version=version,
            by=user,
            channel=Channel.WINDOW,
            applicant_kind=ApplicantType.NATURAL,
            applicant_name="王五",
            id_number=ID_NUMBER,
            contact_phone="13800138000",
            now=NOW,
        )

    outcomes = {}
    for name, user in users.items():
        with transaction.atomic():
            try:
                case = create(user)
            except ActionForbidden:
                outcomes[name] = "forbidden"
            else:
                event = case.events.get()
                outcomes[name] = "allowed" if event.actor == user else "allowed, no event"
            transaction.set_rollback(True)

    window = {Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE}
    assert outcomes == {name: "allowed" if name in window else "forbidden" for name in users}
    assert not Case.objects.exists()


def test_applying_online_needs_a_login(version):
    with pytest.raises(ActionForbidden) as refused:
        services.case_create(
            version=version,
            by=AnonymousUser(),
            channel=Channel.ONLINE,
            applicant_kind=ApplicantType.NATURAL,
            applicant_name="王五",
            id_number=ID_NUMBER,
            contact_phone="13800138000",
            now=NOW,
        )

    assert "Log in" in str(refused.value.message)
    assert not Case.objects.exists()


def test_files_are_attached_to_an_online_draft_by_the_applicant_alone(
    version, staff, staff_by_role, outsiders
):
    case = case_in_state(CaseStatus.DRAFT, version, staff, now=NOW)
    material = version.materials.first()
    users = people(case, staff_by_role, outsiders)

    def attach(user):
        services.case_attach_material(case=case, material=material, upload=pdf(), by=user, now=NOW)

    outcomes = {}
    for name, user in users.items():
        files = case.submissions.get().files.count()
        with transaction.atomic():
            try:
                attach(user)
            except ActionForbidden:
                outcomes[name] = "forbidden"
            else:
                outcomes[name] = "allowed"
            transaction.set_rollback(True)
        assert case.submissions.get().files.count() == files

    # The window helps with a draft it takes in itself; an online one is not in its lists.
    assert outcomes == {name: "allowed" if name == APPLICANT else "forbidden" for name in users}


def test_an_immediate_item_with_a_fee_is_decided_then_paid_then_delivered(staff):
    # The fee is recorded after the decision and before the hand-over, so the one-visit action
    # cannot do both: it is not offered, and the case goes the ordinary way.
    version = item_with_procedure(
        department=staff.clerk.memberships.get().department,
        steps=(),
        materials=(("申请书", False),),
        fees=((FEE_NAME, FEE_AMOUNT),),
        processing_type=ProcessingType.IMMEDIATE,
        promised_limit=0,
        statutory_limit=0,
    )
    case = accepted_case(version, staff, now=NOW)
    before = case_snapshot(case)

    assert COMPLETE_ON_THE_SPOT not in offered_actions(case, staff.chief)
    with pytest.raises(TransitionNotAllowed) as refused:
        action_take(COMPLETE_ON_THE_SPOT, case, by=staff.chief, now=NOW)
    assert FEE_NAME in str(refused.value.message)
    assert case_snapshot(case) == before

    for action, user in (
        (Action.CLAIM_STEP, staff.chief),
        (Action.DECIDE, staff.chief),
        (Action.RECORD_FEE, staff.fee_clerk),
        (Action.DELIVER, staff.clerk),
    ):
        assert action in offered_actions(Case.objects.get(pk=case.pk), user)
        action_take(action, case, by=user, now=NOW)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
