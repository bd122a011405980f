"""The page chrome and the whole pages drawn once for signed-out visitors
(approval_center/chrome.py): what each visitor sees is still their own."""

import re

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, RequestFactory

from approval_center import chrome
from approval_center.navigation import ELDERLY_COOKIE
from catalog.models import Role
from catalog.versions import item_version_draft, item_version_publish, item_version_update
from tests.factories import (
    ItemVersionFactory,
    MaterialFactory,
    StepTemplateFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _nothing_drawn_yet():
    chrome._drawn.clear()
    yield
    chrome._drawn.clear()


@pytest.fixture
def guide():
    version = ItemVersionFactory(name="食品经营许可", promised_limit=5)
    StepTemplateFactory(version=version, order=1, name="窗口受理审查", limit_days=2)
    MaterialFactory(version=version, order=1, name="食品经营许可申请书")
    return f"/items/{version.item.code}/", version


def page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_chrome_is_drawn_once_and_then_served_from_the_process(client):
    page(client)
    drawn = dict(chrome._drawn)
    page(client, "/items/")

    assert drawn and chrome._drawn == drawn


def test_the_kept_chrome_speaks_the_visitors_language(client, zh_hans):
    chinese = page(client)
    client.cookies["django_language"] = "en"
    english = page(client)
    del client.cookies["django_language"]

    assert '<html lang="zh-hans"' in chinese and "登录" in chinese and ">Log in<" not in chinese
    assert '<html lang="en"' in english and ">Log in<" in english and "登录" not in english
    assert '<option value="en" selected>' in english
    assert '<option value="zh-hans" selected>' in page(client)


def test_the_kept_chrome_follows_the_elderly_mode(client):
    standard = page(client)
    client.cookies[ELDERLY_COOKIE] = "1"
    elderly = page(client)

    assert 'name="on" value="1"' in standard and "Elderly mode" in standard
    assert 'class="elderly"' in elderly and 'name="on" value="0"' in elderly
    assert "Standard mode" in elderly and 'aria-pressed="true"' in elderly


def test_a_signed_in_applicant_sees_their_own_header_and_a_visitor_never_does(client, guide):
    url, _ = guide
    page(client, url)  # the signed-out chrome and page are kept now
    applicant = UserFactory(username="wang_xiaoming", first_name="小明", last_name="王")
    client.force_login(applicant)

    theirs = page(client, url)
    assert "小明" in theirs and "/my/cases/" in theirs and "/logout/" in theirs
    assert "/register/" not in theirs
    client.logout()

    for address in ("/", url):
        visitor = Client()
        assert visitor.get(address).status_code == 200
        seen = page(visitor, address)
        assert "小明" not in seen and "wang_xiaoming" not in seen and "/my/cases/" not in seen
        assert "/register/" in seen


def test_staff_see_their_role_navigation_after_a_visitor_was_served(client):
    page(client, "/items/")
    client.force_login(staff_user(Role.HANDLER))

    content = page(client, "/items/")

    assert 'class="role-nav' in content and "/staff/tasks/" in content


def test_each_visitor_gets_their_own_csrf_token_and_the_language_form_works(guide):
    url, _ = guide
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first_page, second_page = page(first, url), page(second, url)
    first_tokens = set(TOKEN.findall(first_page))
    second_tokens = set(TOKEN.findall(second_page))
    assert len(first_tokens) == 1 and len(second_tokens) == 1  # one token for the page
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value

    # The token on the page is the visitor's: the language switch takes it, a stranger's not.
    (token,) = first_tokens
    refused = second.post("/i18n/setlang/", {"language": "zh-hans", "csrfmiddlewaretoken": token})
    assert refused.status_code == 403
    switched = first.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302 and switched.url == url
    assert '<html lang="zh-hans"' in page(first, url)
    assert '<html lang="en"' in page(second, url)


def test_the_elderly_form_on_a_kept_page_works_with_its_token(guide):
    url, _ = guide
    visitor = Client(enforce_csrf_checks=True)
    (token,) = set(TOKEN.findall(page(visitor, url)))

    response = visitor.post(
        "/preferences/elderly/", {"on": "1", "next": url, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302 and response.url == url
    assert 'class="elderly"' in page(visitor, url)


def test_the_forms_come_back_to_the_visitors_own_address_escaped(client, guide):
    url, _ = guide
    page(client, "/items/?q=first")

    content = page(client, '/items/?q=<b>&kind="x"')

    assert 'name="next" value="/items/?q=%3Cb%3E&amp;kind=%22x%22"' in content
    assert "q=first" not in content
    assert f'name="next" value="{url}"' in page(client, url)
    assert "chrome-slot" not in content


def test_a_publication_shows_on_the_kept_guide_at_once(
    client, django_capture_on_commit_callbacks, guide
):
    url, version = guide
    assert "5 working days" in page(client, url)
    signed_in = Client()
    signed_in.force_login(UserFactory())
    assert "5 working days" in page(signed_in, url)

    draft = item_version_draft(item=version.item, by=None)
    item_version_update(version=draft, by=None, promised_limit=8)
    with django_capture_on_commit_callbacks(execute=True):
        item_version_publish(version=draft, by=None)

    assert "8 working days" in page(client, url) and "5 working days" not in page(client, url)
    assert "8 working days" in page(signed_in, url)


def test_the_kept_guide_is_served_without_a_query_and_carries_the_security_headers(
    client, guide, django_assert_max_num_queries
):
    url, _ = guide
    page(client, url)

    with django_assert_max_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200 and "食品经营许可" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrftoken" in response.cookies
    assert "chrome-slot" not in response.content.decode()


def test_a_visitors_waiting_message_shows_on_the_guide_and_only_to_them(client, guide):
    url, _ = guide
    page(client, url)
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "欢迎回来")])

    assert "欢迎回来" in page(client, url)
    assert "欢迎回来" not in page(client, url)  # shown once
    assert "欢迎回来" not in page(Client(), url)


def test_a_fragment_that_asks_for_the_csp_nonce_is_drawn_for_each_response(settings, tmp_path):
    (tmp_path / "nonce.html").write_text('<script nonce="{{ request.csp_nonce }}"></script>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    tag = Template('{% load chrome %}{% site_chrome "nonce.html" %}')

    def drawn() -> str:
        request = RequestFactory().get("/")
        CSPMiddleware(lambda r: None).process_request(request)
        context = Context({"request": request, "csrf_token": "t", "user": _Visitor()})
        return tag.render(context), request._csp_nonce

    (first, first_nonce), (second, second_nonce) = drawn(), drawn()

    assert first_nonce in first and second_nonce in second and first_nonce != second_nonce
    assert not chrome._drawn


class _Visitor:
    is_authenticated = False


def test_a_page_that_asks_for_the_csp_nonce_is_not_kept(settings, tmp_path):
    (tmp_path / "nonce_page.html").write_text('<script nonce="{{ request.csp_nonce }}"></script>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    def served() -> tuple[str, str]:
        request = RequestFactory().get("/nonce/")
        request.user, request.session = AnonymousUser(), SessionStore()
        request._messages = FallbackStorage(request)
        CSPMiddleware(lambda r: None).process_request(request)
        response = chrome.signed_out_page(
            request, "nonce_page.html", dict, key="test:nonce-page", timeout=60
        )
        return response.content.decode(), request._csp_nonce

    (first, first_nonce), (second, second_nonce) = served(), served()

    assert first_nonce in first and second_nonce in second and first_nonce != second_nonce
    assert cache.get("test:nonce-page:en:0:/") is None
