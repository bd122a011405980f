"""The alerts API (/api/v1/supervision/alerts/): scoped like the office's pages, filtered like
its list, every alert with its working days over, acknowledged once."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from supervision.models import Alert, AlertLevel, AlertRule
from tests.factories.calendar import CalendarDayFactory, CalendarYearFactory
from tests.factories.catalog import UserFactory
from tests.factories.supervision import alert_on, center_tree
from tests.factories.workflow import at
from workflow.calendar import clear_work_calendar_cache

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/supervision/alerts/"
MONDAY = date(2026, 11, 16)
FRIDAY = date(2026, 11, 20)


@pytest.fixture
def today():
    with time_machine.travel(at(FRIDAY), tick=False):
        yield FRIDAY


@pytest.fixture
def tree(today):
    return center_tree(now=at(MONDAY))


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- scope ----------------------------------------------------------------------------------


def test_a_county_officer_reads_the_county_and_its_towns_never_the_city_nor_another_county(tree):
    county, town = alert_on(tree.county.case), alert_on(tree.town.case)
    city, other = alert_on(tree.city.case), alert_on(tree.other_county.case)
    client = client_of(tree.county_officer)

    assert ids(client.get(ALERTS)) == {county.pk, town.pk}
    assert client.get(f"{ALERTS}{town.pk}/").status_code == 200
    for outside in (city, other):
        answer = client.get(f"{ALERTS}{outside.pk}/")
        assert answer.status_code == 404
        assert answer["Content-Type"] == "application/json"
        assert (
            client.post(f"{ALERTS}{outside.pk}/acknowledge/", {"note": "已督促"}).status_code == 404
        )
    # The city's officer reads the whole tree.
    assert ids(client_of(tree.city_officer).get(ALERTS)) == {county.pk, town.pk, city.pk, other.pk}


def test_a_leader_reads_their_departments_alerts_only(tree):
    own = alert_on(tree.county.case)
    town = alert_on(tree.town.case)
    for leader in (tree.county.staff.approver, tree.county.staff.chief):
        client = client_of(leader)
        assert ids(client.get(ALERTS)) == {own.pk}
        assert client.get(f"{ALERTS}{town.pk}/").status_code == 404


def test_a_clerk_and_an_applicant_are_refused_in_json_and_a_stranger_asked_to_log_in(tree):
    alert = alert_on(tree.county.case)
    for user in (tree.county.staff.clerk, tree.county.staff.handler, UserFactory()):
        client = client_of(user)
        for answer in (
            client.get(ALERTS),
            client.get(f"{ALERTS}{alert.pk}/"),
            client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "看过了"}),
        ):
            assert answer.status_code == 403
            assert answer["Content-Type"] == "application/json"
            assert "supervision officers" in answer.json()["detail"]
    assert APIClient().get(ALERTS).status_code == 401
    assert not Alert.objects.filter(acknowledged_at__isnull=False).exists()


# --- filters --------------------------------------------------------------------------------


@pytest.fixture
def varied(tree):
    """Alerts of the county officer's tree that differ in one thing each."""
    case, step = tree.county.case, tree.county.case.steps.order_by("order").first()
    return {
        "yellow": alert_on(case),
        "red": alert_on(case, level=AlertLevel.RED, raised_on=date(2026, 11, 19)),
        "step": alert_on(case, step=step, rule=AlertRule.STEP_DUE),
        "resolved": alert_on(case, resolved_on=date(2026, 11, 18)),
        "town": alert_on(tree.town.case, level=AlertLevel.REMINDER, due_on=date(2026, 11, 23)),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=red", {"red"}),
        ("level=reminder", {"town"}),
        ("rule=step_due", {"step"}),
        ("open=true", {"yellow", "red", "step", "town"}),
        ("open=false", {"resolved"}),
        ("level=yellow&open=true", {"yellow", "step"}),
        ("", {"yellow", "red", "step", "resolved", "town"}),
    ],
)
def test_each_filter_narrows_the_list(tree, varied, query, expected):
    answer = client_of(tree.county_officer).get(f"{ALERTS}?{query}")

    assert ids(answer) == {varied[name].pk for name in expected}


def test_the_case_and_department_filters_take_ids(tree, varied):
    client = client_of(tree.county_officer)

    assert ids(client.get(ALERTS, {"case": tree.town.case.pk})) == {varied["town"].pk}
    assert ids(client.get(ALERTS, {"department": tree.town.department.pk})) == {varied["town"].pk}
    # Another county's department is no way round the scope.
    other = alert_on(tree.other_county.case)
    assert ids(client.get(ALERTS, {"department": tree.other_county.department.pk})) == set()
    assert ids(client.get(ALERTS, {"case": tree.other_county.case.pk})) == set()
    assert other.pk not in ids(client.get(ALERTS))


def test_a_filter_value_it_does_not_take_is_refused_by_name(tree):
    answer = client_of(tree.county_officer).get(ALERTS, {"level": "purple", "case": "x"})

    assert answer.status_code == 400
    assert set(answer.json()["fields"]) == {"level", "case"}


# --- what an alert says ---------------------------------------------------------------------


def test_an_alert_tells_its_case_step_rule_level_dates_and_days_over(tree):
    case = tree.county.case
    step = case.steps.order_by("order").first()
    alert = alert_on(case, step=step, rule=AlertRule.STEP_DUE, level=AlertLevel.RED)

    row = client_of(tree.county_officer).get(f"{ALERTS}{alert.pk}/").json()

    assert row == {
        "id": alert.pk,
        "case": case.pk,
        "case_number": case.number,
        "step": step.pk,
        "department": tree.county.department.pk,
        "rule": "step_due",
        "rule_label": "Step due date",
        "level": "red",
        "level_label": "Red card",
        "raised_on": "2026-11-17",
        "resolved_on": None,
        "due_on": "2026-11-16",
        # Tuesday to Friday.
        "workdays_over": 4,
        "acknowledged_at": None,
        "revoked_on": None,
    }


def test_the_working_days_over_skip_a_holiday_and_stop_when_resolved(tree):
    CalendarYearFactory(year=2026)
    # Wednesday 18 November made a holiday for the test.
    CalendarDayFactory(date=date(2026, 11, 18), name="测试假日")
    clear_work_calendar_cache()  # as a change through the admin does
    case = tree.county.case
    open_one = alert_on(case)  # due Monday 16
    resolved = alert_on(case, resolved_on=date(2026, 11, 19))
    reminder = alert_on(case, level=AlertLevel.REMINDER, due_on=date(2026, 11, 23))
    window = alert_on(department=tree.county.department, rule=AlertRule.ZERO_INTAKE, due_on=None)

    rows = {row["id"]: row for row in client_of(tree.county_officer).get(ALERTS).json()["results"]}

    assert rows[open_one.pk]["workdays_over"] == 3  # Tuesday, Thursday, Friday
    assert rows[resolved.pk]["workdays_over"] == 2  # Tuesday, Thursday
    assert rows[reminder.pk]["workdays_over"] == 0
    assert rows[window.pk]["workdays_over"] is None
    assert rows[window.pk]["case"] is None and rows[window.pk]["case_number"] is None


def test_the_list_is_newest_first_and_pages_by_cursor_within_one_day(tree):
    # The scan raises many alerts on the same day: the cursor keeps them apart by id.
    made = [alert_on(tree.county.case, raised_on=FRIDAY).pk for _ in range(23)]
    older = alert_on(tree.county.case, raised_on=MONDAY).pk
    client = client_of(tree.county_officer)

    first = client.get(ALERTS).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()

    assert "count" not in first
    assert [row["id"] for row in first["results"]] == sorted(made, reverse=True)[:20]
    assert [row["id"] for row in second["results"]] == sorted(made, reverse=True)[20:] + [older]
    assert second["next"] is None
    assert back["results"] == first["results"]


def test_the_list_costs_the_same_queries_for_5_alerts_as_for_50(tree):
    client = client_of(tree.county_officer)
    client.get(ALERTS)  # the calendar is read once, then kept
    costs = []
    for total in (5, 50):
        while Alert.objects.count() < total:
            alert_on(tree.town.case, step=tree.town.case.steps.first())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ALERTS).status_code == 200
        costs.append(len(queries))

    assert costs[0] == costs[1]


# --- acknowledging --------------------------------------------------------------------------


def test_an_officer_acknowledges_an_alert_once(tree):
    alert = alert_on(tree.town.case)
    client = client_of(tree.county_officer)

    first = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "已电话督促承办人"})
    second = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "再次确认"})

    assert first.status_code == 200, first.content
    assert first.json()["acknowledged_at"].startswith("2026-11-20T")
    assert second.status_code == 409
    assert "already acknowledged" in second.json()["detail"]
    alert.refresh_from_db()
    assert alert.acknowledged_by == tree.county_officer
    assert alert.acknowledgement == "已电话督促承办人"


def test_a_leader_acknowledges_their_departments_alert_with_a_note_required(tree):
    alert = alert_on(tree.county.case)
    client = client_of(tree.county.staff.approver)

    empty = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "   "})
    done = client.post(f"{ALERTS}{alert.pk}/acknowledge/", {"note": "已安排加班办理"})

    assert empty.status_code == 400
    assert list(empty.json()["fields"]) == ["note"]
    assert done.status_code == 200
    alert.refresh_from_db()
    assert alert.acknowledged_by == tree.county.staff.approver


# --- the schema -----------------------------------------------------------------------------


def test_the_schema_documents_the_alerts_endpoints_and_their_filters():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    listed = paths["/api/v1/supervision/alerts/"]["get"]
    assert {p["name"] for p in listed["parameters"]} == {
        "case",
        "level",
        "rule",
        "department",
        "open",
        "cursor",
    }
    assert set(listed["responses"]) == {"200", "400", "401", "403"}
    acknowledge = paths["/api/v1/supervision/alerts/{id}/acknowledge/"]["post"]
    assert set(acknowledge["responses"]) == {"200", "400", "401", "403", "404", "409"}
