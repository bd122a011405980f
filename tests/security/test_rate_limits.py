"""Every public form is limited per client address and, where the account cannot be kept out by a
stranger (a phone number a code is sent to, a signed-in user), per account:
after its limit it answers 429 (JSON under /api/, a page elsewhere), not before, and other
addresses go on as usual. The rates come from settings.RATE_LIMITS (RATE_LIMIT_* variables)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from approval_center.throttling import (
    REGISTRATION,
    SCOPES,
    VERIFICATION_CODE,
    Refusal,
    limit,
)
from catalog.models import Role
from tests.factories.catalog import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
TRACK = "/api/v1/track/"
START = datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HERE, THERE = "203.0.113.5", "203.0.113.6"


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.RATE_LIMITS = dict.fromkeys(SCOPES, "3/minute")
    # The lockout of django-axes is tested on its own (test_login_lockout.py); here it must not
    # answer first.
    settings.AXES_FAILURE_LIMIT = 100


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _log_in(username: str, address: str = HERE, password: str = "wrong", url: str = LOGIN):
    return Client().post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


# --- the log-in forms ------------------------------------------------------------------------


def test_the_staff_log_in_answers_429_after_its_limit_and_not_before(zh_hans):
    statuses = [_log_in(f"guess{n}").status_code for n in range(3)]
    refused = _log_in("guess9")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "来自该地址的请求过多，请稍候重试。" in page


def test_a_refused_log_in_is_not_tried_even_with_the_right_password():
    clerk = staff_user(Role.WINDOW_CLERK)
    for n in range(3):
        _log_in(f"guess{n}")
    client = Client()

    response = client.post(
        LOGIN, {"username": clerk.username, "password": PASSWORD}, REMOTE_ADDR=HERE
    )

    assert response.status_code == 429
    assert "Too many requests from this address" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_log_in_limit_of_one_address_leaves_another_address_alone():
    clerk = staff_user(Role.WINDOW_CLERK)
    for n in range(4):
        _log_in(f"guess{n}", address=HERE)

    response = _log_in(clerk.username, address=THERE, password=PASSWORD)

    assert response.status_code == 302 and response.url == "/staff/"


def test_a_stranger_guessing_from_many_addresses_does_not_keep_the_clerk_out():
    clerk = staff_user(Role.WINDOW_CLERK)
    statuses = [_log_in(clerk.username, address=f"198.51.100.{n}").status_code for n in range(6)]

    signed_in = _log_in(clerk.username, address=THERE, password=PASSWORD)

    assert statuses == [200] * 6  # each address within its own limit
    assert signed_in.status_code == 302 and signed_in.url == "/staff/"


def test_showing_the_log_in_form_is_not_counted():
    for _n in range(5):
        assert Client().get(LOGIN, REMOTE_ADDR=HERE).status_code == 200

    assert _log_in("someone").status_code == 200


def test_the_log_in_limit_ends_with_its_window(_frozen):
    clerk = staff_user(Role.WINDOW_CLERK)
    for n in range(4):
        _log_in(f"guess{n}")

    _frozen.shift(timedelta(seconds=61))
    response = _log_in(clerk.username, password=PASSWORD)

    assert response.status_code == 302


def test_the_admin_log_in_is_limited_the_same_way():
    statuses = [_log_in(f"guess{n}", url=ADMIN_LOGIN).status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]


# --- the API forms ---------------------------------------------------------------------------


def _track(address: str = HERE):
    return APIClient().get(TRACK, {"number": "X", "code": "WRONG"}, REMOTE_ADDR=address)


def test_tracking_answers_429_in_json_after_its_limit_and_not_before(zh_hans):
    statuses = [_track().status_code for _n in range(3)]
    refused = _track()

    assert statuses == [404, 404, 404]
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused["Retry-After"] == "60"
    # DRF's own words, the wait included, in the user's language.
    assert refused.json() == {"detail": "请求已被限流。 预计 60 秒后可用。"}


def test_the_tracking_limit_of_one_address_leaves_another_address_alone():
    for _n in range(4):
        _track(HERE)

    assert _track(THERE).status_code == 404


def _ask_token(username: str, address: str = HERE, password: str = "wrong"):
    return APIClient().post(
        TOKEN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_token_requests_answer_429_in_json_after_their_limit_and_not_before():
    statuses = [_ask_token(f"guess{n}").status_code for n in range(3)]
    refused = _ask_token("guess9")

    assert statuses == [400, 400, 400]
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Request was throttled. Expected available in 60 seconds."}


def test_the_token_limit_of_one_address_leaves_another_address_alone():
    clerk = staff_user(Role.WINDOW_CLERK)
    for n in range(4):
        _ask_token(f"guess{n}", address=HERE)

    response = _ask_token(clerk.username, address=THERE, password=PASSWORD)

    assert response.status_code == 200
    assert response.json()["token"]


def test_token_guessing_from_many_addresses_does_not_keep_the_owner_from_a_token():
    clerk = staff_user(Role.WINDOW_CLERK)
    statuses = [_ask_token(clerk.username, address=f"198.51.100.{n}").status_code for n in range(6)]

    response = _ask_token(clerk.username, address=THERE, password=PASSWORD)

    assert statuses == [400] * 6
    assert response.status_code == 200


# --- the hall's forms to come: the policy itself ---------------------------------------------


def _request(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.mark.parametrize("scope", [REGISTRATION, VERIFICATION_CODE])
def test_a_hall_scope_refuses_an_address_after_its_limit_and_not_before(scope):
    allowed = [limit(scope, _request(HERE)) for _n in range(3)]
    refused = limit(scope, _request(HERE))
    elsewhere = limit(scope, _request(THERE))

    assert allowed == [None, None, None]
    assert refused == Refusal(per_account=False, wait=60)
    assert elsewhere is None


def test_verification_codes_for_one_phone_are_limited_whatever_the_address():
    phone = "13800138000"
    allowed = [
        limit(VERIFICATION_CODE, _request(f"198.51.100.{n}"), account=phone) for n in range(3)
    ]
    refused = limit(VERIFICATION_CODE, _request("198.51.100.9"), account=phone)
    another_phone = limit(VERIFICATION_CODE, _request("198.51.100.9"), account="13900139000")

    assert allowed == [None, None, None]
    assert refused == Refusal(per_account=True, wait=60)
    assert another_phone is None


def test_each_scope_counts_on_its_own(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, REGISTRATION: "1/hour"}
    registered = limit(REGISTRATION, _request(HERE))
    refused = limit(REGISTRATION, _request(HERE))
    code = limit(VERIFICATION_CODE, _request(HERE))

    assert registered is None
    assert refused == Refusal(per_account=False, wait=3600)
    assert code is None


def test_every_scope_has_a_rate_from_the_settings():
    from django.conf import settings

    assert set(settings.RATE_LIMITS) == set(SCOPES)
