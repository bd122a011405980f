"""The role's own lists behind the start page: today at the counter, results to deliver, fees
to record, and "claim the next step"."""

from datetime import date

import pytest
import time_machine

from catalog.models import Role
from tests.factories import staff_user
from tests.factories.workflow import (
    accepted_case,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.models import StepStatus

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
PLAIN_MATERIALS = (("申请书", False),)


@pytest.fixture(autouse=True)
def _on_monday():
    with time_machine.travel(at(MONDAY), tick=False):
        yield


@pytest.fixture
def version():
    return item_with_procedure(materials=PLAIN_MATERIALS, fees=(("工本费", "10.00"),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def numbers(response) -> set[str]:
    return {case.number or f"#{case.pk}" for case in response.context["page"].object_list}


def test_today_at_the_counter_lists_only_what_was_received_today(client, version, staff):
    today = submitted_case(version)
    earlier = submitted_case(version, now=at(date(2026, 11, 13)))
    client.force_login(staff.clerk)

    response = client.get("/staff/counter/")

    assert response.status_code == 200
    listed = [case.pk for case in response.context["page"].object_list]
    assert today.pk in listed and earlier.pk not in listed
    assert "2026-11-16" in response.content.decode()


def test_results_to_deliver_lists_decided_cases_earliest_due_first(client, version, staff):
    later = decided_case(version, staff)
    first = decided_case(version, staff, now=at(date(2026, 11, 10)))
    open_case = accepted_case(version, staff)
    client.force_login(staff.clerk)

    response = client.get("/staff/delivery/")

    listed = [case.number for case in response.context["page"].object_list]
    assert listed == [first.number, later.number]
    assert open_case.number not in response.content.decode()


def test_the_fee_clerk_lists_approved_cases_with_a_fee_left_to_record(client, version, staff):
    owing = decided_case(version, staff)
    paid = decided_case(version, staff)
    services.fee_record(
        case=paid, by=staff.fee_clerk, fee_name="工本费", amount="10.00", receipt_number="R-1"
    )
    client.force_login(staff.fee_clerk)

    response = client.get("/staff/fees/")

    assert numbers(response) == {owing.number}
    home = client.get("/staff/")
    assert home.context["panels"] == {"fees"}
    assert 'id="count-fees">1<' in home.content.decode()


def test_a_denied_case_owes_no_fee(client, version, staff):
    from workflow.models import Decision

    decided_case(version, staff, decision=Decision.DENIED)
    client.force_login(staff.fee_clerk)

    assert list(client.get("/staff/fees/").context["page"].object_list) == []


def test_claim_next_takes_the_most_urgent_unclaimed_step_and_opens_its_case(client, version, staff):
    recent = accepted_case(version, staff)
    urgent = accepted_case(version, staff, now=at(date(2026, 11, 9)))
    client.force_login(staff.handler)

    response = client.post("/staff/queue/claim-next/")

    assert response.status_code == 302
    assert response.url == f"/staff/cases/{urgent.pk}/"
    assert urgent.steps.get(status=StepStatus.OPEN).assignee == staff.handler
    assert recent.steps.get(status=StepStatus.OPEN).assignee is None
    assert "You have claimed the step" in client.get(response.url).content.decode()


def test_claim_next_with_an_empty_queue_says_so_and_changes_nothing(client, version, staff):
    client.force_login(staff.handler)

    response = client.post("/staff/queue/claim-next/", follow=True)

    assert response.redirect_chain[-1][0] == "/staff/queue/"
    assert "No step is waiting to be claimed." in response.content.decode()


def test_claim_next_never_takes_a_step_of_another_role(client, version, staff):
    accepted_case(version, staff)  # its open step is the handler's
    client.force_login(staff.reviewer)

    response = client.post("/staff/queue/claim-next/", follow=True)

    assert "No step is waiting to be claimed." in response.content.decode()


def test_claim_next_is_refused_to_a_get(client, staff):
    client.force_login(staff.handler)

    assert client.get("/staff/queue/claim-next/").status_code == 405


def test_another_departments_staff_see_none_of_these_cases(client, version, staff):
    decided_case(version, staff)
    submitted_case(version)
    other = department_staff(item_with_procedure(materials=PLAIN_MATERIALS).department)
    client.force_login(other.clerk)

    for url in ("/staff/counter/", "/staff/delivery/"):
        assert list(client.get(url).context["page"].object_list) == [], url
    client.force_login(other.fee_clerk)
    assert list(client.get("/staff/fees/").context["page"].object_list) == []


def test_the_catalog_administrator_starts_from_the_catalog_links(client):
    user = staff_user(Role.CATALOG_ADMINISTRATOR)
    client.force_login(user)

    response = client.get("/staff/")

    assert response.context["panels"] == {"catalog"}
    content = response.content.decode()
    assert 'id="panel-catalog"' in content
    assert "/admin/catalog/approvalitem/" in content
    assert "/staff/catalog/stats/" in content
    assert "/admin/catalog/approvalitem/import/" in content
    assert 'id="panel-window"' not in content
