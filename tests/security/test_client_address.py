"""The client's address behind the configured number of proxies: one rule
(approval_center/client.py) for every throttle and for the log-in lockout, so that forging
X-Forwarded-For lifts no limit, and clients behind the proxy are not counted as one."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from approval_center.client import client_address
from catalog.models import Role
from tests.factories.catalog import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
TOKEN = "/api/v1/auth/token/"
TRACK = "/api/v1/track/"
PROXY = "10.0.0.2"  # the reverse proxy, as the web process sees it


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tracking": "3/minute", "token": "3/minute"}
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _forged(n: int) -> str:
    return f"198.51.100.{n}"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, None, "192.0.2.7"),
        (0, "198.51.100.1", "192.0.2.7"),  # no proxy: the header is the client's own invention
        (1, None, "192.0.2.7"),  # reached the site without the proxy
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # a forged entry left of the real one
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # the outer proxy saw .5
        (2, "203.0.113.5", "192.0.2.7"),  # shorter than the proxies: not through them
        (1, "not-an-address", "192.0.2.7"),
        (1, "198.51.100.1, ", "192.0.2.7"),  # the last hop is empty
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_what_the_outermost_trusted_proxy_saw(
    settings, proxies, forwarded, address
):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": "192.0.2.7"}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_address(RequestFactory().get("/", **headers)) == address


# --- no proxy: a forged header changes nothing -----------------------------------------------


def test_without_a_proxy_rotating_x_forwarded_for_does_not_lift_the_tracking_limit(limits):
    client = APIClient()
    statuses = [
        client.get(
            TRACK, {"number": "X", "code": "WRONG"}, HTTP_X_FORWARDED_FOR=_forged(n)
        ).status_code
        for n in range(4)
    ]

    assert statuses == [404, 404, 404, 429]


def test_without_a_proxy_rotating_x_forwarded_for_does_not_lift_the_token_limit(limits):
    client = APIClient()
    statuses = [
        client.post(
            TOKEN,
            {"username": f"guess{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=_forged(n),
        ).status_code
        for n in range(4)
    ]

    assert statuses == [400, 400, 400, 429]


def test_without_a_proxy_the_lockout_keeps_to_the_real_address(limits):
    clerk = staff_user(Role.WINDOW_CLERK)
    client = Client()
    for n in range(5):
        client.post(
            LOGIN,
            {"username": clerk.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=_forged(n),
        )

    response = client.post(
        LOGIN,
        {"username": clerk.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR=_forged(99),
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- behind one proxy: every client is counted apart -----------------------------------------


def test_behind_a_proxy_two_clients_are_tracked_apart(limits, behind_one_proxy):
    def track(address: str) -> int:
        return (
            APIClient()
            .get(
                TRACK,
                {"number": "X", "code": "WRONG"},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=address,
            )
            .status_code
        )

    first = [track("203.0.113.5") for _n in range(4)]
    second = track("203.0.113.6")

    assert first == [404, 404, 404, 429]
    assert second == 404


def test_behind_a_proxy_a_forged_leftmost_entry_does_not_lift_the_limit(limits, behind_one_proxy):
    statuses = [
        APIClient()
        .get(
            TRACK,
            {"number": "X", "code": "WRONG"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{_forged(n)}, 203.0.113.5",
        )
        .status_code
        for n in range(4)
    ]

    assert statuses == [404, 404, 404, 429]


def test_behind_a_proxy_two_clients_ask_for_tokens_apart(limits, behind_one_proxy):
    def ask(address: str, n: int) -> int:
        return (
            APIClient()
            .post(
                TOKEN,
                {"username": f"guess{n}", "password": "wrong"},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=address,
            )
            .status_code
        )

    first = [ask("203.0.113.5", n) for n in range(4)]
    second = ask("203.0.113.6", 9)

    assert first == [400, 400, 400, 429]
    assert second == 400


def test_behind_a_proxy_anonymous_api_callers_are_counted_apart(behind_one_proxy, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    def departments(address: str) -> int:
        return (
            APIClient()
            .get("/api/v1/departments/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
            .status_code
        )

    first = [departments("203.0.113.5") for _n in range(3)]
    second = departments("203.0.113.6")

    assert first == [200, 200, 429]
    assert second == 200


def test_behind_a_proxy_a_stranger_cannot_lock_the_clerk_out(limits, behind_one_proxy):
    clerk = staff_user(Role.WINDOW_CLERK)

    def log_in(address: str, password: str):
        client = Client()
        response = client.post(
            LOGIN,
            {"username": clerk.username, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )
        return client, response

    for _n in range(5):
        log_in("198.51.100.66", "wrong")
    _stranger, stranger_tries = log_in("198.51.100.66", PASSWORD)
    clerk_client, at_the_desk = log_in("203.0.113.20", PASSWORD)

    assert stranger_tries.status_code == 429  # the stranger's address is locked out
    assert at_the_desk.status_code == 302 and at_the_desk.url == "/staff/"
    assert clerk_client.session["_auth_user_id"] == str(clerk.pk)
