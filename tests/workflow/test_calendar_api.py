import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from rest_framework.throttling import AnonRateThrottle

from workflow.calendar import calendar_load_from_chinese_calendar, clear_work_calendar_cache

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/workdays/"


@pytest.fixture(autouse=True)
def _clean_state():
    # The throttle counts requests in the cache, and the calendar is cached per process.
    cache.clear()
    clear_work_calendar_cache()
    yield
    cache.clear()
    clear_work_calendar_cache()


@pytest.fixture
def loaded():
    calendar_load_from_chinese_calendar()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # 国庆节 2025: Oct 9, 10, make-up Sat 11, 13, 14
        ({"start": "2025-09-30", "add": "5"}, {"date": "2025-10-14", "calendar_known": True}),
        # 春节 2026: the make-up Saturday Feb 14, then Feb 24
        ({"start": "2026-02-13", "add": "2"}, {"date": "2026-02-24", "calendar_known": True}),
        # an immediate item: due the same day
        ({"start": "2025-10-01", "add": "0"}, {"date": "2025-10-01", "calendar_known": True}),
        # into 2027, whose schedule the package does not have yet
        ({"start": "2026-12-31", "add": "1"}, {"date": "2027-01-01", "calendar_known": False}),
        ({"start": "2031-01-03", "add": "1"}, {"date": "2031-01-06", "calendar_known": False}),
    ],
)
def test_add_returns_the_due_date_and_whether_the_calendar_is_known(
    client, loaded, query, expected
):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.json() == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"start": "2025-09-30", "end": "2025-10-14"}, {"workdays": 5, "calendar_known": True}),
        ({"start": "2025-10-14", "end": "2025-09-30"}, {"workdays": -5, "calendar_known": True}),
        ({"start": "2025-09-30", "end": "2025-10-08"}, {"workdays": 0, "calendar_known": True}),
        ({"start": "2026-12-30", "end": "2027-01-04"}, {"workdays": 3, "calendar_known": False}),
    ],
)
def test_end_returns_the_working_days_in_between(client, loaded, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.json() == expected


def test_without_any_schedule_loaded_every_answer_is_flagged_unknown(client):
    response = client.get(URL, {"start": "2025-09-30", "add": "5"})
    assert response.json() == {"date": "2025-10-07", "calendar_known": False}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "start: This parameter is required (a date as YYYY-MM-DD)."),
        ({"start": "2025-09-30"}, "Give exactly one of add"),
        ({"start": "2025-09-30", "add": "1", "end": "2025-10-14"}, "Give exactly one of add"),
        ({"start": "2025-13-01", "add": "1"}, "start: Enter the date as YYYY-MM-DD."),
        ({"start": "yesterday", "add": "1"}, "start: Enter the date as YYYY-MM-DD."),
        ({"start": "2025-02-30", "add": "1"}, "start: Enter the date as YYYY-MM-DD."),
        ({"start": "2025-09-30", "end": "14/10/2025"}, "end: Enter the date as YYYY-MM-DD."),
        ({"start": "2025-09-30", "add": "-1"}, "add cannot be negative."),
        ({"start": "2025-09-30", "add": "1001"}, "add cannot exceed 1000 working days."),
        ({"start": "2025-09-30", "add": "99999999999999999999"}, "add cannot exceed 1000"),
        ({"start": "2025-09-30", "add": "five"}, "add must be a whole number"),
        ({"start": "2025-09-30", "add": "1.5"}, "add must be a whole number"),
        ({"start": "1989-12-31", "add": "1"}, "covers 1990-01-01 to 2100-12-31 only"),
        ({"start": "2025-09-30", "end": "2101-01-01"}, "covers 1990-01-01 to 2100-12-31 only"),
        ({"start": "2100-12-30", "add": "1000"}, "The result falls after 2100-12-31"),
    ],
)
def test_bad_parameters_get_a_400_with_a_clear_message(client, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["detail"]
    assert message in body["detail"]


def test_anonymous_callers_are_throttled(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    query = {"start": "2025-09-30", "add": "5"}
    assert [client.get(URL, query).status_code for _ in range(3)] == [200, 200, 429]


def test_the_endpoint_is_documented_in_the_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/calendar/workdays/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"start", "add", "end"}
    assert parameters["start"]["required"] is True
    assert parameters["start"]["schema"]["format"] == "date"
    assert set(operation["responses"]) >= {"200", "400"}
    result = schema["components"]["schemas"]["WorkdaysResult"]
    assert len(result["oneOf"]) == 2
