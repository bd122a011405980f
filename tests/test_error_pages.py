"""Outside /api/, Django's error answers are the site's pages: a sentence in the user's language
and the way back to the online hall. The 500 page renders with no request context at all."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from approval_center import api_errors

pytestmark = pytest.mark.django_db


def _request(path="/staff/no-such-page/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_missing_page_is_the_sites_page_with_the_way_back_to_the_hall():
    response = Client().get("/staff/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "There is no page at this address." in page
    assert 'class="site-header' in page
    assert 'href="/"' in page


def test_a_refusal_is_the_sites_403_page():
    response = api_errors.permission_denied(_request(), PermissionDenied())

    page = response.content.decode()
    assert response.status_code == 403
    assert "You are not allowed to see this page." in page
    assert "problem-page" in page


def test_a_bad_request_is_the_sites_400_page():
    response = api_errors.bad_request(_request(), Exception())

    assert response.status_code == 400
    assert "The server could not understand this request." in response.content.decode()


def test_the_500_page_renders_with_no_request_and_the_vendored_stylesheets():
    page = render_to_string("500.html")

    assert "The server ran into an error" in page
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
    assert "/static/css/site.css" in page
    assert 'href="/"' in page


def test_the_500_handler_answers_with_that_page():
    response = api_errors.server_error(_request())

    assert response.status_code == 500
    assert "The server ran into an error" in response.content.decode()


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "500.html"])
def test_the_error_pages_speak_chinese_by_default(template, zh_hans):
    page = render_to_string(template, request=_request() if template != "500.html" else None)

    assert 'lang="zh-hans"' in page


def test_a_form_without_its_security_token_gets_a_page_that_says_nothing_changed():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/staff/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    content = response.content.decode()
    assert "The form has expired" in content and "Nothing was changed" in content
    assert "vendor/bootstrap/css/bootstrap.min.css" in content
