"""Password guessing at the log-in forms: after the failure limit, the user name is locked out
from that address for the cool-off time, with a page that says so in the user's language."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from catalog.models import ApplicantType, Role
from portal.models import ApplicantProfile
from tests.factories.catalog import PASSWORD, UserFactory, staff_user

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
START = datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def clerk():
    return staff_user(Role.WINDOW_CLERK)


def _log_in(client: Client, username: str, password: str, address="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _guess(client: Client, username: str, times: int, address="10.0.0.1", url=LOGIN) -> list[int]:
    """Wrong passwords ``times`` times; the status of each answer."""
    return [
        _log_in(client, username, "wrong-password", address, url).status_code for _n in range(times)
    ]


def test_after_the_limit_even_the_right_password_meets_the_lockout_page(clerk):
    client = Client()
    with time_machine.travel(START, tick=False):
        # The form says the password is wrong twice; the third failure locks.
        assert _guess(client, clerk.username, 3) == [200, 200, 429]

        response = _log_in(client, clerk.username, PASSWORD)

    assert response.status_code == 429
    assert "Try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_chinese_by_default(clerk, zh_hans):
    client = Client()
    with time_machine.travel(START, tick=False):
        _guess(client, clerk.username, 3)

        response = _log_in(client, clerk.username, PASSWORD)

    assert "请15分钟后再试" in response.content.decode()


def test_the_lockout_ends_after_the_cool_off_time(clerk):
    client = Client()
    with time_machine.travel(START, tick=False):
        _guess(client, clerk.username, 3)
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        response = _log_in(client, clerk.username, PASSWORD)

    assert response.status_code == 302 and response.url == "/staff/"


def test_guessing_from_one_address_does_not_lock_the_clerk_out_at_their_own_desk(clerk):
    with time_machine.travel(START, tick=False):
        _guess(Client(), clerk.username, 3, address="203.0.113.9")

        response = _log_in(Client(), clerk.username, PASSWORD, address="10.0.0.1")

    assert response.status_code == 302


def test_a_successful_log_in_clears_the_earlier_failures(clerk):
    client = Client()
    with time_machine.travel(START, tick=False):
        _guess(client, clerk.username, 2)
        assert _log_in(client, clerk.username, PASSWORD).status_code == 302
        client.logout()
        _guess(client, clerk.username, 2)

        response = _log_in(client, clerk.username, PASSWORD)

    assert response.status_code == 302


def test_the_admin_log_in_is_guarded_the_same_way(clerk):
    admin = staff_user(Role.CATALOG_ADMINISTRATOR)
    client = Client()
    with time_machine.travel(START, tick=False):
        _guess(client, admin.username, 3, url="/admin/login/")

        response = _log_in(client, admin.username, PASSWORD, url="/admin/login/")

    assert response.status_code == 429


def test_api_token_requests_count_as_log_ins_and_are_refused_once_locked(clerk):
    client = Client()
    with time_machine.travel(START, tick=False):
        _guess(client, clerk.username, 3, url="/api/v1/auth/token/")

        response = _log_in(client, clerk.username, PASSWORD, url="/api/v1/auth/token/")

    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed log-ins with this user name from your address. "
        "Try again in 15 minutes."
    }


def test_a_wrong_password_is_told_in_the_error_summary_above_the_form(clerk):
    response = _log_in(Client(), clerk.username, "wrong-password")

    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page
    assert page.index("data-error-summary") < page.index('name="password"')


def test_token_requests_by_phone_count_against_the_account_they_name():
    applicant = UserFactory(username="zhangsan")
    ApplicantProfile.objects.create(
        user=applicant, kind=ApplicantType.NATURAL, name="张三", phone="13800138000"
    )
    client = Client()
    token = "/api/v1/auth/token/"
    with time_machine.travel(START, tick=False):
        for _n in range(3):
            client.post(
                token,
                {"phone": "13800138000", "password": "wrong-password"},
                REMOTE_ADDR="10.0.0.1",
            )

        by_name = _log_in(client, "zhangsan", PASSWORD, url=token)

    assert by_name.status_code == 429
