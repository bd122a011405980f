"""Ratings and rectifications in the API, under /api/v1/supervision/: scoped like the pages,
the appeal, the review and the answer as POST …/{id}/<action>/, refusals as JSON, in the
OpenAPI."""

from datetime import timedelta

import pytest
import time_machine

from supervision.models import AppealDecision, RectificationStatus
from tests.factories.workflow import at
from tests.supervision.office import MONDAY
from tests.supervision.rated import api_client_for, rated, rated_office

TUESDAY = MONDAY + timedelta(days=1)
RATINGS = "/api/v1/supervision/ratings/"
RECTIFICATIONS = "/api/v1/supervision/rectifications/"


@pytest.fixture
def office(db):
    with time_machine.travel(at(TUESDAY, 11), tick=False):
        yield rated_office()


def test_the_lists_are_scoped_like_the_pages(office):
    poor, good = rated(office, 1), rated(office, 5)

    body = api_client_for(office.staff.approver).get(RATINGS).json()
    assert {row["id"] for row in body["results"]} == {poor.pk, good.pk}
    row = next(r for r in body["results"] if r["id"] == poor.pk)
    assert row["poor"] is True and row["rectification"]["status"] == "open"
    assert row["actions"] == ["appeal"] and row["window_number"] == "01"
    assert api_client_for(office.other_approver).get(RATINGS).json()["results"] == []
    assert api_client_for(office.other_officer).get(RECTIFICATIONS).json()["results"] == []
    refused = api_client_for(office.staff.clerk).get(RATINGS)
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"


def test_the_filters_of_the_page_apply_and_a_bad_one_is_a_json_400(office):
    poor, _good = rated(office, 2), rated(office, 4)
    client = api_client_for(office.county_officer)

    body = client.get(RATINGS, {"poor": "yes", "month": "2026-11"}).json()
    assert [row["id"] for row in body["results"]] == [poor.pk]
    assert client.get(RATINGS, {"month": "2026-10"}).json()["results"] == []
    bad = client.get(RATINGS, {"month": "11/2026"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    body = client.get(RECTIFICATIONS, {"status": "open"}).json()
    assert [row["rating"] for row in body["results"]] == [poor.pk]


def test_another_departments_leader_gets_404_on_rows_and_actions(office):
    rating = rated(office, 1)
    client = api_client_for(office.other_approver)

    assert client.get(f"{RATINGS}{rating.pk}/").status_code == 404
    assert client.post(f"{RATINGS}{rating.pk}/appeal/", {"reason": "x"}).status_code == 404
    response = client.post(
        f"{RECTIFICATIONS}{rating.rectification.pk}/answer/",
        {"answer": "x", "callback_note": "y"},
    )
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_the_leader_answers_once_through_the_api(office):
    rectification = rated(office, 1).rectification
    client = api_client_for(office.staff.chief)
    path = f"{RECTIFICATIONS}{rectification.pk}/answer/"

    blank = client.post(path, {"answer": "", "callback_note": ""}, format="json")
    assert blank.status_code == 400
    assert set(blank.json()["fields"]) == {"answer", "callback_note"}
    answered = client.post(path, {"answer": "已整改", "callback_note": "已回访"}, format="json")
    assert answered.status_code == 200
    body = answered.json()
    assert body["status"] == "answered" and body["answered_late"] is False
    assert body["actions"] == []
    again = client.post(path, {"answer": "再答", "callback_note": "再访"}, format="json")
    assert again.status_code == 409 and "detail" in again.json()
    officer = api_client_for(office.county_officer).post(
        f"{RECTIFICATIONS}{rated(office, 1).rectification.pk}/answer/",
        {"answer": "a", "callback_note": "b"},
        format="json",
    )
    assert officer.status_code == 403


def test_appeal_and_review_through_the_api(office):
    rating = rated(office, 1)
    leader = api_client_for(office.staff.approver)

    appealed = leader.post(f"{RATINGS}{rating.pk}/appeal/", {"reason": "恶意差评"}, format="json")
    assert appealed.status_code == 200 and appealed.json()["appeal_stage"] == "appealed"
    again = leader.post(f"{RATINGS}{rating.pk}/appeal/", {"reason": "再次"}, format="json")
    assert again.status_code == 409
    assert (
        leader.post(
            f"{RATINGS}{rating.pk}/review/", {"decision": "upheld", "note": "自审"}, format="json"
        ).status_code
        == 403
    )
    # An officer of another county does not see the rating at all.
    assert (
        api_client_for(office.other_officer)
        .post(f"{RATINGS}{rating.pk}/review/", {"decision": "upheld", "note": "x"}, format="json")
        .status_code
        == 404
    )
    reviewed = api_client_for(office.city_officer).post(
        f"{RATINGS}{rating.pk}/review/",
        {"decision": AppealDecision.UPHELD, "note": "经核实"},
        format="json",
    )

    assert reviewed.status_code == 200
    body = reviewed.json()
    assert body["excluded"] is True and body["appeal_stage"] == "upheld"
    assert body["rectification"]["status"] == RectificationStatus.CANCELLED
    excluded = api_client_for(office.county_officer).get(RATINGS, {"appeal": "upheld"}).json()
    assert [row["id"] for row in excluded["results"]] == [rating.pk]


def test_the_endpoints_are_in_the_openapi(office):
    schema = api_client_for(office.city_officer).get("/api/schema/", {"format": "json"}).json()

    for path in (
        "/api/v1/supervision/ratings/",
        "/api/v1/supervision/ratings/{id}/",
        "/api/v1/supervision/ratings/{id}/appeal/",
        "/api/v1/supervision/ratings/{id}/review/",
        "/api/v1/supervision/rectifications/",
        "/api/v1/supervision/rectifications/{id}/",
        "/api/v1/supervision/rectifications/{id}/answer/",
    ):
        assert path in schema["paths"], path
