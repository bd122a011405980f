"""API tokens expire a working day after they are issued, their owner can revoke them, and the
database holds only their digests: a stolen backup or a token left in a script is worth
nothing for long. The plaintext tokens of before are gone and refused."""

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from rest_framework.test import APIClient

from catalog.models import ApplicantType
from portal.models import ApplicantProfile
from tests.factories.catalog import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "/api/v1/auth/token/"
LOGOUT = "/api/v1/auth/logout/"
LOGOUT_ALL = "/api/v1/auth/logout-all/"
CASES = "/api/v1/cases/"
ISSUED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def _obtain(user) -> dict:
    response = APIClient().post(
        TOKEN, {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def assert_refused_in_json(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    assert "Request a new one with your username and password" in response.json()["detail"]


def test_the_token_answer_says_when_it_expires_a_working_day_later():
    user = UserFactory()
    with time_machine.travel(ISSUED, tick=False):
        answer = _obtain(user)
        works = _with(answer["token"]).get(CASES)

    assert datetime.fromisoformat(answer["expiry"]) == ISSUED + timedelta(hours=8)
    assert works.status_code == 200


def test_the_token_is_not_stored_in_plaintext():
    user = UserFactory()
    token = _obtain(user)["token"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(token in str(value) for value in rows[0])
    assert AuthToken.objects.get().digest == hashlib.sha512(token.encode()).hexdigest()
    assert len(token) >= 64


def test_an_expired_token_is_refused_with_a_json_401_and_use_does_not_extend_it():
    user = UserFactory()
    with time_machine.travel(ISSUED, tick=False) as clock:
        token = _obtain(user)["token"]
        clock.shift(timedelta(hours=7, minutes=59))
        assert _with(token).get(CASES).status_code == 200

        clock.shift(timedelta(minutes=2))
        response = _with(token).get(CASES)

    assert_refused_in_json(response)
    assert not AuthToken.objects.filter(user=user).exists()


def test_the_lifetime_comes_from_the_environment_and_a_zero_stops_the_process():
    def ttl(**env):
        full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
        full_env.update(env)
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c",
             "import json; from knox.settings import knox_settings as k; "
             "print(json.dumps(k.TOKEN_TTL.total_seconds()))"],
            cwd=ROOT, env=full_env, capture_output=True, text=True,
        )  # fmt: skip

    assert json.loads(ttl(API_TOKEN_TTL_HOURS="2").stdout.splitlines()[-1]) == 2 * 3600
    refused = ttl(API_TOKEN_TTL_HOURS="0")
    assert refused.returncode != 0
    assert "API_TOKEN_TTL_HOURS='0' is less than 1" in refused.stderr


def test_a_revoked_token_is_refused_and_the_owners_other_tokens_still_work():
    user = UserFactory()
    laptop, script = _obtain(user)["token"], _obtain(user)["token"]

    revoked = _with(laptop).post(LOGOUT)

    assert revoked.status_code == 204
    assert_refused_in_json(_with(laptop).get(CASES))
    assert_refused_in_json(_with(laptop).post(LOGOUT))
    assert _with(script).get(CASES).status_code == 200


def test_logout_all_revokes_every_token_of_the_owner_and_nobody_elses():
    owner, other = UserFactory(), UserFactory()
    first, second = _obtain(owner)["token"], _obtain(owner)["token"]
    others = _obtain(other)["token"]

    assert _with(second).post(LOGOUT_ALL).status_code == 204

    assert_refused_in_json(_with(first).get(CASES))
    assert_refused_in_json(_with(second).get(CASES))
    assert _with(others).get(CASES).status_code == 200


def test_revoking_takes_the_token_itself_not_a_session_or_nothing():
    user = UserFactory()
    token = _obtain(user)["token"]
    browser = APIClient()
    browser.force_login(user)

    for client in (APIClient(), browser):
        for path in (LOGOUT, LOGOUT_ALL):
            response = client.post(path)
            assert response.status_code == 401
            assert response.json()["detail"]

    assert _with(token).get(CASES).status_code == 200


def test_a_token_of_the_old_plaintext_kind_is_refused():
    # rest_framework.authtoken's keys were 40 hexadecimal characters, kept as they were sent.
    assert_refused_in_json(_with("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b").get(CASES))


# Outside a transaction: SQLite alters its schema only there. The serialized rollback puts back
# the rows the migrations seed, as the browser tests need.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_drops_the_table_of_plaintext_tokens():
    from importlib import import_module

    migration = import_module("workflow.migrations.0011_drop_plaintext_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('9944b09199c62bcf9418ad846dd0e4bb', 1)")
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")

    with connection.schema_editor() as schema_editor:
        migration.drop_plaintext_tokens(None, schema_editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()


def test_the_schema_documents_the_revoke_endpoints_with_the_token_scheme():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    for path in (LOGOUT, LOGOUT_ALL):
        operation = schema["paths"][path]["post"]
        assert set(operation["responses"]) == {"204", "401"}
        assert operation["security"] == [{"apiToken": []}]
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    token_answer = schema["paths"][TOKEN]["post"]["responses"]["200"]["content"]
    properties = token_answer["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][properties]["properties"]) == {"token", "expiry"}


def test_an_applicant_obtains_a_token_with_the_phone_number_as_typed_or_the_user_name():
    user = UserFactory(username="zhangsan")
    ApplicantProfile.objects.create(
        user=user, kind=ApplicantType.NATURAL, name="张三", phone="13800138000"
    )

    for credentials in ({"phone": "138 0013 8000"}, {"username": "zhangsan"}):
        answer = APIClient().post(TOKEN, {**credentials, "password": PASSWORD}, format="json")
        assert answer.status_code == 200, answer.content
        assert AuthToken.objects.filter(user=user).exists()
    wrong = APIClient().post(TOKEN, {"phone": "13800138000", "password": "x"}, format="json")
    nothing = APIClient().post(TOKEN, {"password": PASSWORD}, format="json")

    assert wrong.status_code == 400
    assert "Unable to log in" in wrong.json()["detail"]
    assert nothing.status_code == 400
    assert "mobile phone number" in nothing.json()["detail"]
