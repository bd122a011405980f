"""A staff session ends after a working day without a request, however long ago the log-in was,
and its cookie is a browser-session cookie: closing the browser logs the user out."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from catalog.models import Role
from tests.factories.catalog import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai, a Monday


def _logged_in_clerk() -> Client:
    clerk = staff_user(Role.WINDOW_CLERK)
    client = Client()
    response = client.post("/staff/login/", {"username": clerk.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/staff/"
    return client


def test_the_default_is_a_working_day_of_inactivity():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_a_session_in_use_lives_on_and_ends_a_working_day_after_the_last_request():
    with time_machine.travel(MORNING, tick=False) as clock:
        client = _logged_in_clerk()
        # Every request within the day moves the end: 7 + 7 hours after log-in it still works.
        for _ in range(2):
            clock.shift(timedelta(hours=7))
            assert client.get("/staff/").status_code == 200

        clock.shift(timedelta(hours=8, minutes=1))
        response = client.get("/staff/")

    assert response.status_code == 302
    assert response.url.startswith("/staff/login/")


def test_the_session_ends_after_the_configured_inactivity(settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    with time_machine.travel(MORNING, tick=False) as clock:
        client = _logged_in_clerk()
        clock.shift(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/staff/")

    assert response.status_code == 302
    assert response.url.startswith("/staff/login/")


def test_the_session_cookie_is_dropped_when_the_browser_closes():
    client = _logged_in_clerk()

    response = client.get("/staff/")

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # No Max-Age and no Expires: the browser keeps it only while it runs.
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True
