"""The performance report in the API: a month's lines scoped like the pages (officers their
center tree, leaders their department's line), JSON errors in the reader's language, and
closing a month by an officer of the top-level center only."""

from datetime import date, timedelta

import pytest
import time_machine
from knox.models import AuthToken
from rest_framework.test import APIClient

from supervision.models import PerformanceMonth
from supervision.summary import summarize
from tests.factories.catalog import UserFactory
from tests.factories.workflow import at
from tests.supervision.month import NOVEMBER, november
from tests.supervision.office import national_day_2026, supervised_office

REPORTS = "/api/v1/supervision/reports/"
CLOSE = "/api/v1/supervision/reports/close/"
NOVEMBER_DAYS = [NOVEMBER + timedelta(days=n) for n in range(30)]


@pytest.fixture
def office(db):
    national_day_2026()
    built = supervised_office()
    november(built)
    summarize(days=NOVEMBER_DAYS, now=at(date(2026, 12, 2)))
    return built


@pytest.fixture(autouse=True)
def _december():
    with time_machine.travel(at(date(2026, 12, 2)), tick=False):
        yield


def client_for(user) -> APIClient:
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def departments(response) -> list[int]:
    return [line["department_id"] for line in response.json()["lines"]]


def test_the_city_officer_reads_the_month_with_its_figures(office):
    response = client_for(office.city_officer).get(REPORTS, {"month": "2026-11"})

    assert response.status_code == 200
    body = response.json()
    assert (body["month"], body["kind"], body["closed"]) == ("2026-11", "department", False)
    (line,) = body["lines"]
    assert line["department_id"] == office.department.pk
    assert (line["rank"], line["score"], line["grade"]) == (1, "67.0", "pass")
    assert line["figures"]["decided_on_time"] == 3
    assert line["rates"]["on_time_rate"] == 0.75
    assert line["rates"]["satisfaction_rate"] == pytest.approx(2 / 3)


def test_officers_read_their_center_tree_only(office):
    county = client_for(office.county_officer).get(REPORTS, {"month": "2026-11"})
    other = client_for(office.other_officer).get(REPORTS, {"month": "2026-11"})

    assert departments(county) == [office.department.pk]
    assert departments(other) == []


def test_a_leader_reads_their_department_line_only(office):
    leader = client_for(office.staff.approver)
    other_leader = client_for(office.other_approver)

    assert departments(leader.get(REPORTS, {"month": "2026-11"})) == [office.department.pk]
    assert departments(other_leader.get(REPORTS, {"month": "2026-11"})) == []
    windows = leader.get(REPORTS, {"month": "2026-11", "kind": "window"})
    assert windows.status_code == 403


def test_the_window_and_center_reports(office):
    officer = client_for(office.city_officer)

    windows = officer.get(REPORTS, {"month": "2026-11", "kind": "window"}).json()["lines"]
    centers = officer.get(REPORTS, {"month": "2026-11", "kind": "center"}).json()["lines"]

    assert [line["window_label"] for line in windows] == [f"{office.county.name} A01"]
    assert [line["center_id"] for line in centers] == [office.county.pk]


def test_others_are_refused(office):
    assert APIClient().get(REPORTS).status_code == 401
    assert client_for(office.staff.clerk).get(REPORTS).status_code == 403
    assert client_for(UserFactory()).post(CLOSE, {"month": "2026-11"}).status_code == 403


@pytest.mark.parametrize("month", ["2026-13", "November", "2026"])
def test_a_bad_month_is_a_400_in_the_readers_language(office, month):
    officer = client_for(office.city_officer)

    english = officer.get(REPORTS, {"month": month})
    chinese = officer.get(REPORTS, {"month": month}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english.status_code == chinese.status_code == 400
    assert english.json()["detail"] == "Give the month as YYYY-MM, for example 2026-10."
    assert "month" in english.json()["fields"]
    assert chinese.json()["fields"]["month"]


def test_a_bad_kind_is_a_400(office):
    response = client_for(office.city_officer).get(REPORTS, {"month": "2026-11", "kind": "staff"})
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


def test_the_city_officer_closes_a_month_once(office):
    officer = client_for(office.city_officer)

    closed = officer.post(CLOSE, {"month": "2026-11"}, format="json")
    again = officer.post(CLOSE, {"month": "2026-11"}, format="json")
    running = officer.post(CLOSE, {"month": "2026-12"}, format="json")

    assert closed.status_code == 201
    assert closed.json()["closed"] is True
    assert departments(closed) == [office.department.pk]
    assert PerformanceMonth.objects.get().closed_by == office.city_officer
    assert again.status_code == running.status_code == 409
    assert officer.get(REPORTS, {"month": "2026-11"}).json()["closed"] is True


def test_only_an_officer_of_the_top_level_center_closes(office):
    county = client_for(office.county_officer).post(CLOSE, {"month": "2026-11"}, format="json")
    leader = client_for(office.staff.approver).post(CLOSE, {"month": "2026-11"}, format="json")
    bad = client_for(office.city_officer).post(CLOSE, {"month": "11/2026"}, format="json")

    assert county.status_code == leader.status_code == 403
    assert bad.status_code == 400
    assert not PerformanceMonth.objects.exists()


def test_the_report_is_in_the_openapi_schema(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/supervision/reports/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/supervision/reports/close/"]
    line = schema["components"]["schemas"]["Line"]["properties"]
    assert "on_time_rate" in schema["components"]["schemas"]["Rates"]["properties"]
    assert "figures" in line
