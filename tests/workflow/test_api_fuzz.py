"""Every operation of the API, fed requests generated from its own OpenAPI schema: no answer is a
server error, and every answer is one the schema documents (status, content type and body).

The schema comes from the running application (``/api/schema/``) and the requests go to it
through WSGI, as a staff member with an API token who holds every role of the department of a
small set of cases. Runs on every database; CI runs it on PostgreSQL.
"""

from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis import GenerationMode, checks

from catalog.models import Role
from catalog.roles import membership_grant
from tests.factories.workflow import at, department_staff
from tests.factories.workflow_states import case_in_state, procedure_item
from workflow.models import CaseStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOW = at(date(2026, 11, 16))
# Enough to reach each operation's refusals a few times; small enough for a minute on 2 cores.
EXAMPLES_PER_OPERATION = 25
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def cases():
    """A few cases of one department, in the states with the most actions open."""
    version = procedure_item()
    staff = department_staff(version.department)
    for role in (Role.HANDLER, Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE):
        membership_grant(user=staff.clerk, role=role, department=version.department)
    made = {
        status: case_in_state(status, version, staff, now=NOW)
        for status in (CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS, CaseStatus.DECIDED)
    }
    return staff.clerk, made, version


@pytest.fixture
def api_schema(cases):
    # Django closes the connection at the end of every request it serves, unless the request
    # comes from its test client; these come through plain WSGI and must stay in the test's
    # transaction, as the test client's do.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_answer_is_documented_and_none_is_a_server_error(api_schema, cases):
    user, made, version = cases
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        # A token of its own for each operation: auth/logout/ and auth/logout-all/ revoke theirs.
        _instance, token = AuthToken.objects.create(user=user)
        try:
            fuzz(operation, made=list(made.values()), item_code=version.item.code, token=token)
        except (Exception, BaseExceptionGroup) as error:
            # Every operation is tried; the failures are reported together.
            failures.append(f"{operation.label}: {error}")

    assert not failures, "\n\n".join(failures)


def fuzz(operation, *, made, item_code: str, token: str) -> None:
    """Send ``operation`` requests valid and invalid by its schema; check every answer."""
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        parameters = case.path_parameters or {}
        # Half the generated ids and codes name a case or an item that exists.
        if isinstance(parameters.get("id"), int) and parameters["id"] % 2 == 0:
            parameters["id"] = made[parameters["id"] % len(made)].pk
        if isinstance(parameters.get("code"), str) and len(parameters["code"]) % 2 == 0:
            parameters["code"] = item_code
        response = case.call(headers={"Authorization": f"Token {token}"})
        documented = {body.media_type for body in operation.body}
        if response.status_code == 415 and case.media_type not in documented:
            # A body in a media type the operation does not take (the negative examples
            # make some): refusing it is right, and not one of the answers to document.
            assert response.json()["detail"]
            return
        case.validate_response(response, checks=CHECKS)

    run()
