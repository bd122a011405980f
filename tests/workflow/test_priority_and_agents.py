"""Green channel (绿色通道) cases go first in the window's and back office's lists; the staff
member acting as agent (代办) takes the applicant's actions for them."""

from datetime import date

import pytest
import time_machine

from catalog.models import ApplicantType, Role
from tests.factories import staff_user
from tests.factories.workflow import (
    ID_NUMBER,
    at,
    department_staff,
    item_with_procedure,
    pdf,
    submitted_case,
)
from workflow import services
from workflow.exceptions import ActionForbidden, InvalidInput
from workflow.models import Case, CaseStatus, Channel
from workflow.permissions import offered_actions
from workflow.selectors import case_get_for_staff, open_steps_for_staff

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)


@pytest.fixture
def version():
    return item_with_procedure(materials=(("申请书", False),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def window_case(version, clerk, *, now, green_channel=False, agent_staff=None) -> Case:
    """A walk-in application, prepared and submitted at the window (not yet accepted)."""
    case = services.case_create(
        version=version,
        by=clerk,
        channel=Channel.WINDOW,
        applicant_kind=ApplicantType.NATURAL,
        applicant_name="赵六",
        id_number=ID_NUMBER,
        contact_phone="13700137000",
        green_channel=green_channel,
        agent_service=agent_staff is not None,
        agent_staff=agent_staff,
        now=now,
    )
    for material in version.materials.all():
        services.case_attach_material(case=case, material=material, upload=pdf(), by=clerk, now=now)
    services.case_submit(case=case, by=clerk, now=now)
    case.refresh_from_db()
    return case


def test_the_pre_review_list_shows_green_channel_cases_first(client, version, staff):
    older = submitted_case(version, now=at(date(2026, 11, 10)))
    green = window_case(version, staff.clerk, now=at(MONDAY), green_channel=True)
    client.force_login(staff.clerk)

    with time_machine.travel(at(MONDAY), tick=False):
        page = client.get("/staff/prereview/").content.decode()

    assert page.index(f"/staff/cases/{green.pk}/") < page.index(f"/staff/cases/{older.pk}/")


def test_the_department_queue_shows_green_channel_steps_before_more_urgent_ones(version, staff):
    urgent = submitted_case(version, now=at(date(2026, 11, 10)))
    services.case_accept(case=urgent, by=staff.clerk, now=at(date(2026, 11, 10)))
    green = window_case(version, staff.clerk, now=at(MONDAY), green_channel=True)
    services.case_accept(case=green, by=staff.clerk, now=at(MONDAY))

    queue = [step.case_id for step in open_steps_for_staff(staff.handler)]

    assert queue == [green.pk, urgent.pk]


def test_the_agent_answers_a_supplement_notice_for_the_applicant(version, staff):
    agent = staff_user(Role.HANDLER, department=version.department)
    case = window_case(version, staff.clerk, now=at(MONDAY), agent_staff=agent)
    material = version.materials.get()
    services.case_request_supplement(
        case=case, by=staff.clerk, items=[{"material": material.pk, "reason": "复印件不清晰"}]
    )

    services.case_attach_material(case=case, material=material, upload=pdf(), by=agent)
    services.case_submit(case=case, by=agent)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.events.latest("id").actor == agent


def test_the_agent_is_offered_the_withdrawal_and_must_say_why(version, staff):
    agent = staff_user(Role.HANDLER, department=version.department)
    case = window_case(version, staff.clerk, now=at(MONDAY), agent_staff=agent)
    services.case_accept(case=case, by=staff.clerk)

    assert "withdraw" in offered_actions(case_get_for_staff(user=agent, pk=case.pk), agent)
    with pytest.raises(InvalidInput):
        services.case_withdraw(case=case, by=agent)
    services.case_withdraw(case=case, by=agent, reason="申请人委托代办员撤回")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


def test_another_handler_of_the_department_is_not_the_agent(version, staff):
    agent = staff_user(Role.HANDLER, department=version.department)
    case = window_case(version, staff.clerk, now=at(MONDAY), agent_staff=agent)
    services.case_accept(case=case, by=staff.clerk)

    assert "withdraw" not in offered_actions(
        case_get_for_staff(user=staff.handler, pk=case.pk), staff.handler
    )
    with pytest.raises(ActionForbidden):
        services.case_withdraw(case=case, by=staff.handler, reason="代为撤回")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
