"""Under /api/ every refusal is JSON ``{"detail": …}``, whatever answers it: DRF, or Django for
a path no route matches and an error no view caught. The rest of the site keeps its pages."""

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken

from catalog.models import Role
from tests.factories.catalog import staff_user
from tests.factories.workflow import (
    department_staff,
    draft_case,
    item_with_procedure,
    submitted_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client():
    user = staff_user(Role.WINDOW_CLERK)
    _instance, token = AuthToken.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/999999/",  # no such case: DRF's 404
        "/api/v1/cases/abc/",  # not an id: no route
        "/api/v1/cases/1234567890123456789/",  # longer than any id
        "/api/v1/nope/",
        "/api/v1/cases/1/not-an-action/",
        "/api/v1/joint-cases/999999/",
        "/api/v1/items/no-such-item/",
        "/api/nope",
    ],
)
def test_an_unknown_address_under_the_api_is_a_json_404(staff_client, path):
    response = staff_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_another_departments_case_is_a_json_404_like_a_missing_one(staff_client):
    case = draft_case(item_with_procedure())

    response = staff_client.get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_an_unknown_address_elsewhere_keeps_the_html_page():
    response = Client().get("/staff/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unexpected_error_under_the_api_is_a_json_500(monkeypatch):
    def fail():
        raise RuntimeError("a bug")

    monkeypatch.setattr("catalog.api.views.catalog_stats", fail)

    response = Client(raise_request_exception=False).get("/api/v1/catalog/stats/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_refused_filter_answers_like_any_refused_input(staff_client):
    response = staff_client.get("/api/v1/cases/", {"status": "lost"})

    assert response.status_code == 400
    body = response.json()
    assert list(body["fields"]) == ["status"]
    assert body["detail"].startswith("status: ")


def test_a_blank_reason_is_refused_by_the_schema_and_the_endpoint_alike():
    version = item_with_procedure()
    staff = department_staff(version.department)
    _instance, token = AuthToken.objects.create(user=staff.clerk)
    case = submitted_case(version)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert (
        schema["components"]["schemas"]["RejectRequest"]["properties"]["reason"]["minLength"] == 1
    )

    response = Client(HTTP_AUTHORIZATION=f"Token {token}").post(
        f"/api/v1/cases/{case.pk}/reject/", {"reason": " "}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]["reason"] == [
        "Give the reason the application is not accepted."
    ]
