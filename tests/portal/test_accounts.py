"""Applicant accounts in the online hall: registration and password reset by SMS code, the
hall's log-in, the profile, and what an applicant meets on a staff page."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from catalog.models import Role
from portal.models import ApplicantProfile, VerificationCode
from tests.factories.catalog import PASSWORD, UserFactory, staff_user

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91330100MA2B3C4D1A"
NEW_PASSWORD = "Hall-pass-2026"


@pytest.fixture
def sms(caplog, django_capture_on_commit_callbacks):
    """The texts the log gateway writes, by phone; codes are sent once the write commits."""
    caplog.set_level(logging.INFO, logger="workflow.sms")

    def last_code(phone: str) -> str:
        texts = [r.getMessage() for r in caplog.records if r.name == "workflow.sms"]
        mine = [t for t in texts if t.startswith(f"SMS to {phone}:")]
        assert mine, f"no text to {phone}"
        return re.search(r"\b(\d{6})\b", mine[-1]).group(1)

    return last_code


def _send(client, phone=PHONE, url="/register/", **extra):
    return client.post(url, {"kind": "natural", "phone": phone, "send": "1", **extra})


def _register(client, code, **overrides):
    data = {
        "kind": "natural",
        "phone": PHONE,
        "code": code,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "name": "张三",
        "id_number": ID_NUMBER,
    } | overrides
    return client.post("/register/", data)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def send(client, phone=PHONE, url="/register/"):
        with django_capture_on_commit_callbacks(execute=True):
            return _send(client, phone, url)

    return send


def _applicant(phone=PHONE, password=PASSWORD, **fields):
    user = UserFactory(username=phone, first_name=fields.get("name", "张三"))
    user.set_password(password)
    user.save()
    defaults = {"kind": "natural", "name": "张三", "id_number": ID_NUMBER}
    ApplicantProfile.objects.create(user=user, phone=phone, **(defaults | fields))
    return user


def test_register_page_asks_first_who_applies():
    response = Client().get("/register/")

    assert response.status_code == 200
    assert 'href="/register/?kind=natural"' in response.content.decode()
    assert 'href="/register/?kind=legal"' in response.content.decode()


def test_each_kind_shows_only_its_own_fields():
    natural = Client().get("/register/?kind=natural").content.decode()
    legal = Client().get("/register/?kind=legal").content.decode()

    assert 'name="id_number"' in natural and 'name="credit_code"' not in natural
    assert 'name="credit_code"' in legal and 'name="agent_id_number"' in legal
    assert 'name="id_number"' not in legal


def test_registering_with_the_code_from_the_sms_opens_the_account_and_logs_in(sms, send):
    client = Client()
    response = send(client)
    assert response.status_code == 200
    assert "138****8000" in response.content.decode()

    response = _register(client, sms(PHONE))

    assert response.status_code == 302 and response.url == "/my/profile/"
    profile = ApplicantProfile.objects.get(phone=PHONE)
    assert profile.name == "张三" and profile.id_number == ID_NUMBER
    assert client.session["_auth_user_id"] == str(profile.user.pk)
    assert not VerificationCode.objects.exists()  # a code works once


def test_the_code_is_stored_hashed(sms, send):
    send(Client())

    stored = VerificationCode.objects.get()
    assert sms(PHONE) not in stored.code_hash
    assert len(stored.code_hash) == 64


def test_a_legal_person_registers_with_its_agent(sms, send):
    client = Client()
    send(client)

    response = _register(
        client,
        sms(PHONE),
        kind="legal",
        name="江州恒达商贸有限公司",
        credit_code=CREDIT_CODE.lower(),
        agent_name="李四",
        agent_id_number=ID_NUMBER,
        agent_phone="0571-88886666",
    )

    assert response.status_code == 302
    profile = ApplicantProfile.objects.get(phone=PHONE)
    assert profile.kind == "legal" and profile.credit_code == CREDIT_CODE
    assert profile.id_number == "" and profile.agent_phone == "057188886666"


def test_wrong_codes_count_and_the_sixth_try_is_refused_even_when_right(settings, sms, send):
    # The address's registration limit would refuse the sixth try first.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "registration": "100/hour"}
    client = Client()
    send(client)
    right = sms(PHONE)
    wrong = f"{(int(right) + 1) % 10**6:06d}"

    for _n in range(5):
        response = _register(client, wrong)
        assert response.status_code == 400
        assert "The code is not right." in response.content.decode()
    response = _register(client, right)

    assert response.status_code == 400
    assert "entered wrongly too many times" in response.content.decode()
    assert not ApplicantProfile.objects.exists()
    assert VerificationCode.objects.get().failed_tries == 5


def test_an_expired_code_is_refused(sms, send):
    client = Client()
    send(client)

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = _register(client, sms(PHONE))

    assert response.status_code == 400
    assert "The code has expired." in response.content.decode()
    assert not get_user_model().objects.filter(username=PHONE).exists()


def test_a_forged_id_number_is_refused_with_the_reason(sms, send):
    client = Client()
    send(client)

    response = _register(client, sms(PHONE), id_number="110105194912310021")

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "this number is mistyped or forged" in body
    assert not ApplicantProfile.objects.exists()


def test_mismatched_passwords_are_refused():
    response = _register(Client(), "123456", password2="something-else-1")

    assert response.status_code == 400
    assert "The two passwords are not the same." in response.content.decode()


def test_resending_is_throttled_per_phone_and_per_address(settings, send):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verification-code": "2/hour"}
    here, there = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")

    assert [send(here).status_code for _n in range(2)] == [200, 200]
    assert send(here).status_code == 429
    # The same phone from another address: still refused, the phone's own limit.
    assert send(there).status_code == 429
    # Another phone from the first address: the address's limit.
    assert send(here, phone="13900139000").status_code == 429


def test_a_number_with_an_account_gets_no_registration_code(send, caplog):
    _applicant()
    caplog.set_level(logging.INFO, logger="workflow.sms")

    response = send(Client())

    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert not [r for r in caplog.records if r.name == "workflow.sms"]


def test_an_applicant_logs_in_with_phone_and_password_and_out_again():
    user = _applicant()
    client = Client()

    response = client.post("/login/", {"username": PHONE, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/my/cases/"
    assert client.session["_auth_user_id"] == str(user.pk)

    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_told_at_the_hall_log_in():
    _applicant()

    response = Client().post("/login/", {"username": PHONE, "password": "wrong"})

    assert response.status_code == 400
    assert "The phone number or the password is not right." in response.content.decode()


def test_the_hall_log_in_locks_a_phone_out_after_repeated_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    _applicant()
    client = Client()

    statuses = [
        client.post("/login/", {"username": PHONE, "password": "wrong"}).status_code
        for _n in range(3)
    ]
    response = client.post("/login/", {"username": PHONE, "password": PASSWORD})

    assert statuses == [400, 400, 429]
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_staff_member_logging_in_at_the_hall_is_sent_to_the_workbench():
    clerk = staff_user(Role.WINDOW_CLERK)

    response = Client().post("/login/", {"username": clerk.username, "password": PASSWORD})

    assert response.status_code == 302 and response.url == "/staff/"


def test_an_applicant_at_the_staff_log_in_is_told_to_use_the_hall(zh_hans):
    _applicant()
    client = Client()

    response = client.post("/staff/login/", {"username": PHONE, "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'href="/login/"' in response.content.decode()


def test_an_applicant_on_a_staff_page_gets_the_hall_page_not_a_bare_403():
    client = Client()
    client.force_login(_applicant())

    response = client.get("/staff/")

    assert response.status_code == 403
    body = response.content.decode()
    assert "This page is for the center's staff" in body
    assert "My cases" in body and 'href="/"' in body
    assert "ask your department" not in body


def test_anonymous_visitors_of_my_pages_go_to_the_hall_log_in():
    response = Client().get("/my/profile/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/my/profile/"


def test_the_profile_masks_the_numbers():
    client = Client()
    client.force_login(_applicant())

    body = client.get("/my/profile/").content.decode()

    assert "138****8000" in body and PHONE not in body
    assert "110105********002X" in body and ID_NUMBER not in body


def test_a_legal_persons_profile_masks_the_credit_code_and_the_agents_numbers():
    client = Client()
    client.force_login(
        _applicant(
            kind="legal",
            name="江州恒达商贸有限公司",
            id_number="",
            credit_code=CREDIT_CODE,
            agent_name="李四",
            agent_id_number=ID_NUMBER,
            agent_phone="13900139000",
        )
    )

    body = client.get("/my/profile/").content.decode()

    assert "913301********D1A"[:6] in body and CREDIT_CODE not in body
    assert ID_NUMBER not in body and "139****9000" in body


def test_the_password_is_changed_on_the_profile():
    user = _applicant()
    client = Client()
    client.force_login(user)

    response = client.post(
        "/my/profile/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_password_is_reset_with_the_code_from_the_sms(sms, send):
    user = _applicant()
    client = Client()
    send(client, url="/password-reset/")

    response = client.post(
        "/password-reset/",
        {
            "phone": PHONE,
            "code": sms(PHONE),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302 and response.url == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_number_sends_nothing_and_says_the_same(send, caplog):
    caplog.set_level(logging.INFO, logger="workflow.sms")

    response = send(Client(), url="/password-reset/")

    assert response.status_code == 200
    assert "If an account logs in with 138****8000" in response.content.decode()
    assert not [r for r in caplog.records if r.name == "workflow.sms"]
