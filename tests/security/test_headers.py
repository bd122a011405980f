"""Every answer of the site carries a strict Content-Security-Policy and a Permissions-Policy
that grants no device: a script injected into a page does not run, the site cannot be framed,
a form cannot post elsewhere, and no page may ask for the camera, microphone or location.

CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only instead.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from catalog.models import Role
from tests.factories.catalog import UserFactory
from tests.factories.workflow import department_staff, item_with_procedure, submitted_case
from tests.security.test_every_route import ROUTES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
DEVICES_OFF = ("camera", "microphone", "geolocation", "payment", "usb", "display-capture")
# An executable inline script (a <script> without src that is not a JSON data block), an event
# handler attribute or an inline style attribute: all refused by the policy.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_policies(response) -> None:
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in response.headers
    granted = dict(
        feature.split("=", 1) for feature in response.headers["Permissions-Policy"].split(", ")
    )
    for feature in DEVICES_OFF:
        assert granted[feature] == "()", feature


def assert_nothing_inline(response, path: str) -> None:
    html = response.content.decode()
    for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE):
        found = pattern.search(html)
        assert not found, (path, found)


@pytest.mark.parametrize("path", [*ROUTES, "/no-such-page/", "/api/v1/no-such-endpoint/"])
def test_every_route_answers_with_the_policies_whatever_its_status(path):
    response = Client().get(path)

    assert_strict_policies(response)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_nothing_inline(response, path)


def test_the_pages_staff_work_in_answer_with_the_policies_and_carry_nothing_inline(client):
    version = item_with_procedure(
        steps=(("承办", Role.HANDLER, 2),), materials=(("申请书", False),)
    )
    staff = department_staff(version.department)
    case = submitted_case(version)
    admin = UserFactory(is_staff=True, is_superuser=True)
    pages = {
        None: ["/", "/staff/login/", f"/catalog/items/{version.item.code}/sheet/", "/api/docs/"],
        staff.clerk: [
            "/staff/",
            "/staff/cases/",
            f"/staff/cases/{case.pk}/",
            "/staff/prereview/",
            "/staff/intake/",
            "/staff/catalog/stats/",
        ],
        admin: ["/admin/", "/admin/catalog/approvalitem/"],
    }
    for user, paths in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_strict_policies(response)
            assert_nothing_inline(response, path)


def test_the_api_docs_start_up_script_is_a_file_the_policy_allows(client):
    page = client.get("/api/docs/").content.decode()
    src = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', page)
    assert src, "Swagger UI's start-up script is not served as a file"

    script = client.get(src.group(1).replace("&amp;", "&"))

    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def _headers_of_the_login_page(**env) -> list[str | None]:
    """The enforced and the report-only policy the log-in page answers, in a fresh process."""
    code = (
        "import json\n"
        "from django.test import Client\n"
        "r = Client().get('/staff/login/')\n"
        "print(json.dumps([r.headers.get('Content-Security-Policy'),"
        " r.headers.get('Content-Security-Policy-Report-Only')]))\n"
    )
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CSP_REPORT_ONLY"}}
    full_env.update(DATABASE_URL="sqlite:///:memory:", **env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_report_only_switch_sends_the_same_policy_without_enforcing_it():
    enforced, none = _headers_of_the_login_page()
    not_enforced, reported = _headers_of_the_login_page(CSP_REPORT_ONLY="1")

    assert none is None and not_enforced is None
    assert _directives(reported) == _directives(enforced)
    assert _directives(reported)["script-src"] == ["'self'"]
