from datetime import date

import pytest
import time_machine

from catalog.models import ServiceCenter
from tests.factories.catalog import DepartmentFactory
from tests.factories.workflow import (
    accepted_case,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow.selectors import hall_counts_on

pytestmark = pytest.mark.django_db

SCREEN = "/screen/"
MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)


@pytest.fixture
def version():
    return item_with_procedure(name="食品经营许可", materials=(("申请书", False),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def test_the_screen_counts_todays_cases_only(client, version, staff):
    submitted_case(version, now=at(MONDAY))  # yesterday: not counted
    accepted_case(version, staff, now=at(MONDAY))
    submitted_case(version, now=at(TUESDAY))
    accepted_case(version, staff, now=at(TUESDAY))
    decided_case(version, staff, now=at(TUESDAY))

    with time_machine.travel(at(TUESDAY, 15)):
        response = client.get(SCREEN)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="value" id="count-received">3</span>' in page
    assert '<span class="value" id="count-accepted">2</span>' in page
    assert '<span class="value" id="count-concluded">1</span>' in page
    assert "2026-11-17" in page


def test_the_screen_lists_the_latest_approvals_masked_and_refreshes_itself(client, version, staff):
    decided_case(version, staff, now=at(MONDAY))

    response = client.get(SCREEN)

    page = response.content.decode()
    assert "食品经营许可" in page
    assert "张*" in page and "张三" not in page
    assert 'data-refresh-seconds="60"' in page and "hall-screen.js" in page
    assert "js/hall-screen.js" in page
    # No log-in and no staff navigation on a hall TV.
    assert "Staff login" not in page


def test_a_centers_screen_counts_its_own_cases(client, version, staff):
    other = item_with_procedure(
        department=DepartmentFactory(), materials=(("申请书", False),), name="别处的事项"
    )
    submitted_case(version, now=at(TUESDAY))
    submitted_case(other, now=at(TUESDAY))
    center = version.department.center

    assert other.department.center != center
    assert hall_counts_on(TUESDAY, center=center.code)["received"] == 1
    with time_machine.travel(at(TUESDAY, 15)):
        page = client.get(SCREEN, {"center": center.code}).content.decode()
    assert center.name in page
    assert '<span class="value" id="count-received">1</span>' in page


def test_an_unknown_center_is_not_found(client):
    assert not ServiceCenter.objects.filter(code="NOPE").exists()

    assert client.get(SCREEN, {"center": "NOPE"}).status_code == 404
