"""The permission-checked reads: who finds which case, and who gets "not found".

Staff reach the cases of the departments they work in; the supervision officer and the fee
clerk reach every case of their center; an applicant reaches their own cases; anyone else
gets Http404, never a hint that the case exists.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from catalog.models import ApplicantType, Role
from catalog.roles import membership_grant
from tests.factories.catalog import (
    DepartmentFactory,
    ServiceCenterFactory,
    UserFactory,
    staff_user,
)
from tests.factories.workflow import ID_NUMBER, at, department_staff
from tests.factories.workflow_states import case_in_state, open_step, procedure_item
from workflow import selectors, services
from workflow.models import CaseStatus, Channel

pytestmark = pytest.mark.django_db

NOW = at(date(2026, 11, 16))

DEPARTMENT_ROLES = [
    Role.WINDOW_CLERK,
    Role.HANDLER,
    Role.REVIEWER,
    Role.APPROVER,
    Role.CHIEF_REPRESENTATIVE,
]
CENTER_READERS = [Role.SUPERVISION_OFFICER, Role.FEE_CLERK]


@pytest.fixture
def version():
    return procedure_item()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version, staff):
    return case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)


def holder(role, version, *, elsewhere=False):
    """A user holding ``role`` for the case's department, or (``elsewhere``) for another one:
    another department of the same center, or another center for the center-wide roles."""
    department = version.department
    if role in CENTER_READERS or role == Role.CATALOG_ADMINISTRATOR:
        center = ServiceCenterFactory() if elsewhere else department.center
        return staff_user(role, center=center)
    if elsewhere:
        department = DepartmentFactory(center=department.center)
    return staff_user(role, department=department)


def window_draft(version, clerk):
    return services.case_create(
        version=version,
        by=clerk,
        channel=Channel.WINDOW,
        applicant_kind=ApplicantType.NATURAL,
        applicant_name="王五",
        id_number=ID_NUMBER,
        contact_phone="13800138000",
        now=NOW,
    )


# --- case_get_for_staff ----------------------------------------------------------------------


@pytest.mark.parametrize("role", DEPARTMENT_ROLES + CENTER_READERS)
def test_staff_of_the_department_and_center_readers_get_the_case(role, version, case):
    user = holder(role, version)

    found = selectors.case_get_for_staff(user=user, pk=case.pk)

    assert found == case
    # The detail page's parts come with it.
    assert [step.order for step in found.steps.all()] == [1, 2, 3]
    assert found.events.all()[0].action == "create"


@pytest.mark.parametrize("role", DEPARTMENT_ROLES + CENTER_READERS)
def test_staff_of_another_department_or_center_do_not_find_the_case(role, version, case):
    user = holder(role, version, elsewhere=True)

    with pytest.raises(Http404):
        selectors.case_get_for_staff(user=user, pk=case.pk)


def test_the_catalog_administrator_does_not_read_cases(version, case):
    user = holder(Role.CATALOG_ADMINISTRATOR, version)

    with pytest.raises(Http404):
        selectors.case_get_for_staff(user=user, pk=case.pk)
    assert not selectors.cases_for_staff(user).exists()


@pytest.mark.parametrize("who", ["applicant", "another applicant", "anonymous", "nobody"])
def test_applicants_and_visitors_are_not_staff(who, case):
    user = {
        "applicant": case.applicant,
        "another applicant": UserFactory(),
        "anonymous": AnonymousUser(),
        "nobody": None,
    }[who]

    with pytest.raises(Http404):
        selectors.case_get_for_staff(user=user, pk=case.pk)
    assert list(selectors.cases_for_staff(user)) == []


def test_an_unknown_case_is_not_found(staff, case):
    with pytest.raises(Http404):
        selectors.case_get_for_staff(user=staff.clerk, pk=case.pk + 1000)


def test_an_online_draft_is_the_applicants_alone_until_submitted(version, staff):
    draft = case_in_state(CaseStatus.DRAFT, version, staff, now=NOW)
    supervisor = holder(Role.SUPERVISION_OFFICER, version)

    for user in (staff.clerk, staff.chief, supervisor):
        with pytest.raises(Http404):
            selectors.case_get_for_staff(user=user, pk=draft.pk)
        assert draft not in selectors.cases_for_staff(user)
    assert selectors.case_get_for_applicant(user=draft.applicant, pk=draft.pk) == draft

    services.case_submit(case=draft, by=draft.applicant, now=NOW)

    assert selectors.case_get_for_staff(user=staff.clerk, pk=draft.pk) == draft
    assert selectors.case_get_for_staff(user=supervisor, pk=draft.pk) == draft


def test_a_draft_made_at_the_window_is_seen_by_the_departments_staff(version, staff):
    draft = window_draft(version, staff.clerk)

    assert selectors.case_get_for_staff(user=staff.chief, pk=draft.pk) == draft
    with pytest.raises(Http404):
        selectors.case_get_for_staff(
            user=holder(Role.WINDOW_CLERK, version, elsewhere=True), pk=draft.pk
        )


def test_a_staff_member_of_two_departments_sees_the_cases_of_both(version, staff, case):
    other = procedure_item()
    other_case = case_in_state(CaseStatus.SUBMITTED, other, staff, now=NOW)
    third = procedure_item()
    third_case = case_in_state(CaseStatus.SUBMITTED, third, staff, now=NOW)

    membership_grant(user=staff.handler, role=Role.REVIEWER, department=other.department)

    assert set(selectors.cases_for_staff(staff.handler)) == {case, other_case}
    assert third_case not in selectors.cases_for_staff(staff.handler)


# --- case_get_for_applicant ------------------------------------------------------------------


def test_the_applicant_gets_their_own_case(case):
    found = selectors.case_get_for_applicant(user=case.applicant, pk=case.pk)

    assert found == case
    assert found.submissions.all()[0].files.count() == 2


@pytest.mark.parametrize(
    "who", ["another applicant", "window_clerk", "supervision_officer", "anonymous"]
)
def test_nobody_but_the_applicant_gets_the_case_as_applicant(who, version, case):
    user = {
        "another applicant": UserFactory(),
        "window_clerk": holder(Role.WINDOW_CLERK, version),
        "supervision_officer": holder(Role.SUPERVISION_OFFICER, version),
        "anonymous": AnonymousUser(),
    }[who]

    with pytest.raises(Http404):
        selectors.case_get_for_applicant(user=user, pk=case.pk)
    assert list(selectors.cases_for_applicant(user)) == []


def test_an_applicant_lists_exactly_their_own_cases(version, staff, case):
    second = case_in_state(CaseStatus.DRAFT, version, staff, now=NOW)
    services.case_withdraw(case=second, by=second.applicant, now=NOW)
    someone_else = case_in_state(CaseStatus.SUBMITTED, version, staff, now=NOW)

    assert list(selectors.cases_for_applicant(case.applicant)) == [case]
    assert list(selectors.cases_for_applicant(second.applicant)) == [second]
    assert someone_else not in selectors.cases_for_applicant(case.applicant)


# --- cases_for_staff -------------------------------------------------------------------------


def test_the_department_lists_exactly_its_own_submitted_cases(version, staff):
    ours = {
        case_in_state(status, version, staff, now=NOW)
        for status in (
            CaseStatus.SUBMITTED,
            CaseStatus.REJECTED,
            CaseStatus.ACCEPTED,
            CaseStatus.DECIDED,
            CaseStatus.WITHDRAWN,
        )
    }
    ours.add(window_draft(version, staff.clerk))
    case_in_state(CaseStatus.DRAFT, version, staff, now=NOW)  # online, not submitted
    # A neighbour in the same center, and a department of another center.
    neighbour = procedure_item(department=DepartmentFactory(center=version.department.center))
    neighbours_case = case_in_state(
        CaseStatus.SUBMITTED, neighbour, department_staff(neighbour.department), now=NOW
    )
    far = procedure_item()
    far_case = case_in_state(CaseStatus.SUBMITTED, far, department_staff(far.department), now=NOW)

    for user in (staff.clerk, staff.handler, staff.approver):
        assert set(selectors.cases_for_staff(user)) == ours
    # The center-wide readers see the whole center, and only it.
    for role in CENTER_READERS:
        assert set(selectors.cases_for_staff(holder(role, version))) == ours | {neighbours_case}
    assert far_case not in selectors.cases_for_staff(holder(Role.SUPERVISION_OFFICER, version))


# --- open_steps_for_staff --------------------------------------------------------------------


def test_the_queue_holds_the_open_steps_of_the_users_roles_in_their_department(version, staff):
    at_handler = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    at_reviewer = case_in_state(CaseStatus.IN_PROGRESS, version, staff, now=NOW)
    case_in_state(CaseStatus.DECIDED, version, staff, now=NOW)  # every step done
    case_in_state(CaseStatus.WITHDRAWN, version, staff, now=NOW)  # its steps cancelled
    elsewhere = procedure_item()
    case_in_state(CaseStatus.ACCEPTED, elsewhere, department_staff(elsewhere.department), now=NOW)

    assert list(selectors.open_steps_for_staff(staff.handler)) == [open_step(at_handler)]
    assert list(selectors.open_steps_for_staff(staff.reviewer)) == [open_step(at_reviewer)]
    for user in (staff.approver, staff.clerk, staff.chief, staff.fee_clerk):
        assert list(selectors.open_steps_for_staff(user)) == []
    for role in (Role.HANDLER, Role.REVIEWER):
        assert list(selectors.open_steps_for_staff(holder(role, version, elsewhere=True))) == []
    for user in (at_handler.applicant, AnonymousUser(), holder(Role.SUPERVISION_OFFICER, version)):
        assert list(selectors.open_steps_for_staff(user)) == []


def test_a_claimed_step_stays_in_the_queue_with_its_assignee(version, staff):
    case = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    step = open_step(case)
    services.step_claim(step=step, by=staff.handler, now=NOW)

    queued = list(selectors.open_steps_for_staff(staff.handler))

    assert queued == [step]
    assert queued[0].assignee == staff.handler


def test_two_roles_in_two_departments_queue_exactly_their_own_steps(version, staff):
    mine = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    other = procedure_item()
    other_staff = department_staff(other.department)
    theirs_handler = case_in_state(CaseStatus.ACCEPTED, other, other_staff, now=NOW)
    theirs_reviewer = case_in_state(CaseStatus.IN_PROGRESS, other, other_staff, now=NOW)
    # The handler also reviews in the other department — but does not handle there.
    membership_grant(user=staff.handler, role=Role.REVIEWER, department=other.department)

    assert set(selectors.open_steps_for_staff(staff.handler)) == {
        open_step(mine),
        open_step(theirs_reviewer),
    }
    assert open_step(theirs_handler) not in selectors.open_steps_for_staff(staff.handler)


# --- case_get_by_tracking --------------------------------------------------------------------


def test_tracking_needs_the_number_and_the_query_code(case):
    assert selectors.case_get_by_tracking(number=case.number, query_code=case.query_code) == case
    assert (
        selectors.case_get_by_tracking(
            number=f" {case.number} ", query_code=f" {case.query_code.lower()} "
        )
        == case
    )


@pytest.mark.parametrize("wrong", ["number only", "code only", "wrong code", "other's code"])
def test_tracking_with_a_missing_or_wrong_part_finds_nothing(wrong, version, staff, case):
    other = case_in_state(CaseStatus.ACCEPTED, version, staff, now=NOW)
    wrong_code = "".join("A" if c != "A" else "B" for c in case.query_code)
    number, code = {
        "number only": (case.number, ""),
        "code only": ("", case.query_code),
        "wrong code": (case.number, wrong_code),
        "other's code": (case.number, other.query_code),
    }[wrong]

    assert selectors.case_get_by_tracking(number=number, query_code=code) is None


def test_a_case_without_a_number_cannot_be_tracked(version, staff):
    submitted = case_in_state(CaseStatus.SUBMITTED, version, staff, now=NOW)

    assert submitted.number is None
    assert selectors.case_get_by_tracking(number="None", query_code=submitted.query_code) is None
    assert selectors.case_get_by_tracking(number="", query_code=submitted.query_code) is None
