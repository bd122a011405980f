from datetime import date

import pytest
import time_machine

from tests.factories.workflow import (
    ID_NUMBER,
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
)
from workflow import services
from workflow.models import StepStatus

pytestmark = pytest.mark.django_db

TRACK = "/track/"
MONDAY = date(2026, 11, 16)
NO_MATCH = "No case matches this number and code"


@pytest.fixture
def version():
    return item_with_procedure()


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def case(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    step = case.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=step, by=staff.handler, now=at(MONDAY, 11))
    services.step_complete(
        step=step, by=staff.handler, opinion="内部意见：同意", now=at(MONDAY, 12)
    )
    case.refresh_from_db()
    return case


def test_the_form_asks_for_the_number_and_the_code(client):
    response = client.get(TRACK)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="number"' in page and 'name="code"' in page
    assert 'method="post"' in page


def test_the_right_pair_shows_status_steps_and_due_date_without_personal_data(client, case):
    with time_machine.travel(at(MONDAY, 14)):
        response = client.post(TRACK, {"number": case.number, "code": case.query_code.lower()})

    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert "In progress" in page  # the status badge
    assert page.index("承办") < page.index("审核") < page.index("审批")
    assert case.due_on.strftime("%Y-%m-%d") in page
    assert "working days left" in page
    assert 'class="calendar-strip"' in page
    assert "The application was accepted" in page
    # No personal data: the applicant's name only masked, no ID number, phone, file, opinion.
    assert "张*" in page
    assert "张三" not in page
    assert ID_NUMBER not in page and ID_NUMBER[:6] not in page
    assert "13800138000" not in page and "138****8000" not in page
    assert "scan.pdf" not in page
    assert "内部意见" not in page
    assert case.steps.first().assignee.username not in page


def test_a_wrong_code_and_a_wrong_number_give_the_same_message(client, case):
    wrong_code = client.post(TRACK, {"number": case.number, "code": "AAAAAAAA"})
    wrong_number = client.post(TRACK, {"number": "3301-20000101-X-0001", "code": case.query_code})

    assert wrong_code.status_code == wrong_number.status_code == 404
    for response in (wrong_code, wrong_number):
        page = response.content.decode()
        assert NO_MATCH in page
        assert case.item_version.name not in page
    # Not a word about which of the two was wrong.
    assert "code is wrong" not in wrong_code.content.decode()


def test_a_missing_code_is_named_in_the_error_summary(client, case):
    response = client.post(TRACK, {"number": case.number})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_code"' in page


def test_tracking_is_throttled_per_address_after_the_limit(client, case, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tracking": "3/minute"}

    statuses = [
        client.post(TRACK, {"number": case.number, "code": "WRONG"}).status_code
        for _attempt in range(4)
    ]
    refused = client.post(TRACK, {"number": case.number, "code": case.query_code})

    assert statuses == [404, 404, 404, 429]
    assert refused.status_code == 429
    assert "Too many requests from this address" in refused.content.decode()
    assert refused["Retry-After"]
