"""A case's dates in a year with no official schedule are flagged, in the API and on its page;
the API counts the working days left as the workbench does (frozen while suspended)."""

from datetime import date

import pytest
import time_machine
from django.http import HttpRequest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories.calendar import CalendarYearFactory
from tests.factories.catalog import PASSWORD
from tests.factories.workflow import accepted_case, at, department_staff, item_with_procedure
from workflow import services
from workflow.calendar import calendar_changed

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
WARNING = "Some of these dates fall in a year whose official holiday schedule is not loaded yet"


def _api(user) -> APIClient:
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def december_case():
    # Accepted Tuesday 1 December 2026 with 2026's schedule only. Promised 20: Dec 29 2026;
    # statutory 40: Jan 26 2027 (Dec 30, 31, Jan 1 and the weeks to Jan 26, Monday to Friday).
    CalendarYearFactory(year=2026)
    version = item_with_procedure(
        promised_limit=20, statutory_limit=40, materials=(("申请书", False),)
    )
    staff = department_staff(version.department)
    case = accepted_case(version, staff, now=at(date(2026, 12, 1)))
    assert (case.due_on, case.statutory_due_on) == (date(2026, 12, 29), date(2027, 1, 26))
    return case, staff


def _load_2027():
    CalendarYearFactory(year=2027)
    calendar_changed(days=[], reason="2027")


def test_the_json_says_the_dates_are_not_known_until_2027_is_loaded(december_case):
    case, staff = december_case
    client = _api(staff.handler)

    assert client.get(f"{CASES}{case.pk}/").json()["calendar_known"] is False
    assert client.get(CASES).json()["results"][0]["calendar_known"] is False

    _load_2027()
    assert client.get(f"{CASES}{case.pk}/").json()["calendar_known"] is True
    assert client.get(CASES).json()["results"][0]["calendar_known"] is True


def test_a_case_with_its_dates_in_loaded_years_is_known():
    CalendarYearFactory(year=2026)
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    case = accepted_case(version, staff, now=at(date(2026, 11, 16)))
    assert _api(staff.handler).get(f"{CASES}{case.pk}/").json()["calendar_known"] is True


def test_the_case_page_warns_until_2027_is_loaded(client, december_case):
    case, staff = december_case
    assert client.login(request=HttpRequest(), username=staff.handler.username, password=PASSWORD)

    response = client.get(f"/staff/cases/{case.pk}/")
    assert response.context["calendar_known"] is False
    assert WARNING in response.content.decode()

    _load_2027()
    response = client.get(f"/staff/cases/{case.pk}/")
    assert response.context["calendar_known"] is True
    assert WARNING not in response.content.decode()


def test_the_schema_describes_calendar_known():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("CaseList", "CaseDetail"):
        field = schema["components"]["schemas"][name]["properties"]["calendar_known"]
        assert field["type"] == "boolean"
        assert "not loaded" in field["description"]
        assert name in schema["components"]["schemas"]


def test_the_working_days_left_stand_still_while_the_case_is_suspended():
    # Accepted Monday 16 November 2026, promised 5: due Monday 23 November. Suspended on
    # Tuesday 17th with 4 working days left (18, 19, 20, 23); still 4 on 1 December, past the
    # stored due date, because the clock stands still (Art. 45) — not -6 days, overdue.
    CalendarYearFactory(year=2026)
    version = item_with_procedure(materials=(("申请书", False),), suspension_allowed=True)
    staff = department_staff(version.department)
    case = accepted_case(version, staff, now=at(date(2026, 11, 16)))
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="expert_review",
        reason="专家评审",
        expected_days=10,
        now=at(date(2026, 11, 17)),
    )
    client = _api(staff.handler)

    with time_machine.travel(at(date(2026, 12, 1)), tick=False):
        body = client.get(f"{CASES}{case.pk}/").json()
        listed = client.get(CASES).json()["results"][0]

    assert body["clock"] == "suspended"
    assert body["workdays_left"] == 4 == listed["workdays_left"]
