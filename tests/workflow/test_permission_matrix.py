"""Offered ⇔ allowed: an action is offered on a page exactly when taking it succeeds.

For every action of ``permissions.RULES``, every state of a case and every kind of user, the
action is in ``offered_actions`` of the case as the user's page sees it (read through the
permission-checked getters, prefetched) if and only if taking it through the action registry
with valid input goes through. A refused try raises a ``WorkflowError`` and changes nothing;
every try is rolled back, so the next one finds the same case. A user who cannot see a case may
take no action on it.

Each state is built once for the module, in a transaction rolled back at its end.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.test import override_settings

from catalog.models import ProcessingType, Role
from catalog.roles import CENTER_ROLES, membership_grant
from tests.factories.catalog import DepartmentFactory, ServiceCenterFactory, UserFactory, staff_user
from tests.factories.workflow import (
    Staff,
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    pdf,
)
from tests.factories.workflow_states import (
    FEE_AMOUNT,
    FEE_NAME,
    action_data,
    action_prepare,
    case_in_state,
    case_snapshot,
    open_step,
    procedure_item,
)
from workflow import actions, services
from workflow.calendar import clear_work_calendar_cache
from workflow.exceptions import WorkflowError
from workflow.models import Case, CaseStatus
from workflow.permissions import RULES, offered_actions
from workflow.selectors import case_get_for_applicant, case_get_for_staff
from workflow.transitions import Action

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 11, 16))

# Every case is an agent service (代办): its applicant and the staff member acting as their
# agent may both take the applicant's actions. The regular item is 承办 → 审核 → 审批 with a fee
# and a material that may come later (容缺); the immediate items (即办件) are decided at the window.
STATES = [
    "draft",
    "submitted",
    "needs supplement",
    "needs supplement, answered",
    "rejected",
    "accepted, material pending",
    "accepted, step claimed",
    "in progress, step unclaimed",
    "in progress, step claimed",
    "in progress, last step claimed",
    "suspended",
    "extension pending",
    "decided, fee unpaid",
    "decided, fee paid",
    "completed",
    "withdrawn",
    "immediate, accepted",
    "immediate, step claimed",
    "immediate with a fee, accepted",
]

USERS = [
    "window clerk",
    "handler",
    "reviewer",
    "approver",
    "chief representative",
    "fee clerk",
    "supervision officer",
    "applicant",
    "agent",
    "another applicant",
    "every role of another department",
    "every center role of another center",
    "anonymous",
]


@dataclass
class World:
    staff: Staff
    users: dict[str, Any] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    snapshots: dict[str, dict] = field(default_factory=dict)
    # Valid input for each action on each case, read once (a file is made afresh each try).
    inputs: dict[str, dict[str, dict]] = field(default_factory=dict)
    media_root: Any = None


def _claim(case: Case, user) -> Case:
    services.step_claim(step=open_step(case), by=user, now=NOW)
    case.refresh_from_db()
    return case


def _build_cases(version, staff: Staff, agent) -> dict[str, Case]:
    def state(status: str, **kwargs) -> Case:
        return case_in_state(status, version, staff, now=NOW, agent_staff=agent, **kwargs)

    def prepared(status: str, action: Action) -> Case:
        case = state(status)
        action_prepare(action, case, staff, now=NOW)
        return case

    def immediate_case(immediate_version) -> Case:
        return accepted_case(immediate_version, staff, now=NOW, agent_staff=agent)

    immediate = {
        "department": version.department,
        "steps": (),
        "materials": (("申请书", False),),
        "processing_type": ProcessingType.IMMEDIATE,
        "promised_limit": 0,
        "statutory_limit": 0,
    }
    plain_immediate = item_with_procedure(**immediate)
    immediate_with_fee = item_with_procedure(**immediate, fees=((FEE_NAME, FEE_AMOUNT),))
    cases = {
        "draft": state(CaseStatus.DRAFT),
        "submitted": state(CaseStatus.SUBMITTED),
        "needs supplement": state(CaseStatus.NEEDS_SUPPLEMENT),
        "needs supplement, answered": prepared(CaseStatus.NEEDS_SUPPLEMENT, Action.SUBMIT),
        "rejected": state(CaseStatus.REJECTED),
        "accepted, material pending": state(CaseStatus.ACCEPTED),
        "accepted, step claimed": _claim(state(CaseStatus.ACCEPTED), staff.handler),
        "in progress, step unclaimed": state(CaseStatus.IN_PROGRESS),
        "in progress, step claimed": _claim(state(CaseStatus.IN_PROGRESS), staff.reviewer),
        # The material accepted as pending has come; the approver holds the last step.
        "in progress, last step claimed": prepared(CaseStatus.IN_PROGRESS, Action.DECIDE),
        "suspended": prepared(CaseStatus.IN_PROGRESS, Action.RESUME),
        "extension pending": _claim(
            state(CaseStatus.IN_PROGRESS, pending_extension=True), staff.reviewer
        ),
        "decided, fee unpaid": state(CaseStatus.DECIDED),
        "decided, fee paid": prepared(CaseStatus.DECIDED, Action.DELIVER),
        "completed": state(CaseStatus.COMPLETED),
        "withdrawn": state(CaseStatus.WITHDRAWN),
        "immediate, accepted": immediate_case(plain_immediate),
        "immediate, step claimed": _claim(immediate_case(plain_immediate), staff.chief),
        "immediate with a fee, accepted": immediate_case(immediate_with_fee),
    }
    assert list(cases) == STATES
    return cases


def _build_world() -> World:
    version = procedure_item()
    department = version.department
    staff = department_staff(department)
    # The agent is a member of the department's staff, as the intake form offers them.
    agent = staff_user(Role.HANDLER, department=department)
    everywhere_else = UserFactory()
    other_department = DepartmentFactory(center=department.center)
    for role in Role.values:
        if role not in CENTER_ROLES:
            membership_grant(user=everywhere_else, role=role, department=other_department)
    other_center_staff = UserFactory()
    other_center = ServiceCenterFactory()
    for role in CENTER_ROLES:
        membership_grant(user=other_center_staff, role=role, center=other_center)
    world = World(
        staff=staff,
        users={
            "window clerk": staff.clerk,
            "handler": staff.handler,
            "reviewer": staff.reviewer,
            "approver": staff.approver,
            "chief representative": staff.chief,
            "fee clerk": staff.fee_clerk,
            "supervision officer": staff_user(Role.SUPERVISION_OFFICER, center=department.center),
            "agent": agent,
            "another applicant": UserFactory(),
            "every role of another department": everywhere_else,
            "every center role of another center": other_center_staff,
            "anonymous": AnonymousUser(),
        },
        cases=_build_cases(version, staff, agent),
    )
    world.snapshots = {name: case_snapshot(case) for name, case in world.cases.items()}
    world.inputs = {
        name: {action: action_data(action, case, now=NOW) for action in RULES}
        for name, case in world.cases.items()
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every state, built once; rolled back when the module is done."""
    media_root = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            LANGUAGE_CODE="en",
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        clear_work_calendar_cache()
        world = _build_world()
        world.media_root = media_root
        yield world
        transaction.set_rollback(True)
    clear_work_calendar_cache()


@pytest.fixture(autouse=True)
def _media_root(settings, world):
    # One media folder for the module: a folder per try would cost more than the try.
    settings.MEDIA_ROOT = world.media_root


@pytest.fixture(autouse=True)
def _at_the_moment_the_cases_were_built():
    with time_machine.travel(NOW, tick=False):
        yield


def user_of(world: World, kind: str, case: Case):
    return case.applicant if kind == "applicant" else world.users[kind]


def as_the_page_sees_it(case: Case, user) -> tuple[Case, bool]:
    """The case through the getter the user's page uses, and whether they may see it at all."""
    for getter in (case_get_for_staff, case_get_for_applicant):
        try:
            return getter(user=user, pk=case.pk), True
        except Http404:
            pass
    return Case.objects.get(pk=case.pk), False


def attempt(action: str, case: Case, user, data: dict, before: dict) -> WorkflowError | None:
    """Take ``action`` through the registry and undo it; the refusal, or None if it went through.

    A refusal must leave the case as it was."""
    fresh = Case.objects.get(pk=case.pk)
    if "file" in data:
        data = {**data, "file": pdf()}
    with transaction.atomic():
        try:
            actions.perform(action, case=fresh, by=user, data=data)
        except WorkflowError as error:
            assert case_snapshot(case) == before, f"{action} was refused, yet changed the case"
            return error
        finally:
            transaction.set_rollback(True)
    return None


@pytest.mark.parametrize("kind", USERS)
@pytest.mark.parametrize("state", STATES)
def test_an_action_is_offered_exactly_when_taking_it_goes_through(world, state, kind):
    case = world.cases[state]
    user = user_of(world, kind, case)
    seen, visible = as_the_page_sees_it(case, user)
    offered = set(offered_actions(seen, user))

    outcomes = {
        action: attempt(action, case, user, data, world.snapshots[state])
        for action, data in world.inputs[state].items()
    }

    mismatches = {
        action: (
            "offered" if action in offered else "not offered",
            "went through" if refusal is None else f"refused: {refusal!r} {refusal.message}",
        )
        for action, refusal in outcomes.items()
        if (action in offered) != (refusal is None)
    }
    assert mismatches == {}
    if not visible:
        went_through = [action for action, refusal in outcomes.items() if refusal is None]
        assert went_through == [], "no action on a case the user's pages cannot show"
    assert case_snapshot(case) == world.snapshots[state]


def test_every_action_is_offered_to_someone_in_some_state(world):
    # With the test above, each action is then also proved to go through somewhere.
    offered = set()
    for case in world.cases.values():
        for kind in USERS:
            user = user_of(world, kind, case)
            offered.update(offered_actions(as_the_page_sees_it(case, user)[0], user))

    assert offered == set(RULES)
