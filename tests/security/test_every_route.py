"""Every route of the project, found by walking the URL configuration: nothing that is not meant
to be public answers an anonymous visitor or a logged-in applicant, and nothing answers 500.

A new page or endpoint is covered the day it is added; one meant to be public must be named in
PUBLIC below, on purpose.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from catalog.models import ApplicantType, Role
from portal.models import ApplicantProfile
from tests.factories import DepartmentFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

# Routes anyone may read, by their pattern (regex of the URL path).
PUBLIC = [
    r"^/$",
    # The online hall's home page, item list, themes and the center's notices.
    r"^/items/$",
    r"^/themes/\d+/$",
    r"^/news/$",
    r"^/news/\d+/$",
    r"^/i18n/setlang/$",
    # The elderly-mode switch sets a cookie of the device, logged in or not.
    r"^/preferences/elderly/$",
    r"^/staff/login/$",
    r"^/staff/logout/$",
    # The online hall's account forms (throttled per address, codes per phone too).
    r"^/register/$",
    r"^/login/$",
    r"^/logout/$",
    r"^/password-reset/$",
    r"^/catalog/items/[^/]+/sheet/$",
    # The hall's item search and the guides of current items and open joint items.
    r"^/items/$",
    r"^/items/[^/]+/$",
    r"^/joint-items/[^/]+/$",
    # A current item's templates and samples are public; the view refuses the others itself
    # (tests/security/test_private_files.py).
    r"^/catalog/materials/\d+/[^/]+/$",
    r"^/api/v1/items/",
    r"^/api/v1/departments/$",
    r"^/api/v1/catalog/stats/$",
    r"^/api/v1/calendar/workdays/$",
    r"^/api/v1/auth/token/$",
    r"^/api/v1/track/$",
    r"^/api/schema/$",
    r"^/api/docs/$",
    # The online hall without an account: tracking, the licences granted, the hall screen.
    r"^/track/$",
    r"^/results/$",
    r"^/screen/$",
    # The rating kiosk's binding form (throttled per address; a wrong code changes nothing). The
    # kiosk's own pages, /kiosk/<window>/ and its fragment, are not public: without the signed
    # cookie of a device bound to that window they answer 403 and show no case.
    r"^/kiosk/$",
    # The rating link of the completion message: its signed token is the only credential (a
    # bad or old one gets 400 / 410); it shows a case's number and item, nothing personal.
    r"^/rate/[^/]+/$",
    # The public efficiency page: departments' figures only, no person.
    r"^/efficiency/$",
]
# Routes whose only credential is the API token they act on (revoking it): a browser session,
# an applicant's included, is not logged in there.
TOKEN_ONLY = [r"^/api/v1/auth/logout/$", r"^/api/v1/auth/logout-all/$"]
# Django's own admin and the static helpers have their own login and are left to Django. No route
# serves /media/ (tests/security/test_private_files.py).
SKIPPED = [r"^/admin/", r"^/static/"]
# The applicant's own pages in the hall: logged in, an applicant gets their (here empty) list.
APPLICANT_PAGES = [r"^/my/cases/$", r"^/my/consultations/$", r"^/my/complaints/$"]
# The applicant's own API: an applicant reaches their own things only (none here), a staff
# account nothing at all.
APPLICANT_API = [r"^/api/v1/me/"]


def _concrete(route: str) -> str:
    """A path for a route pattern, with 1 for every id and "x" for every other parameter."""
    if route.startswith("^"):  # a regex route (DRF's router, the admin)
        route = route.lstrip("^").rstrip("$")
        route = re.sub(r"\(\?P<pk>[^)]*\)", "1", route)
        route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
        return route
    route = re.sub(r"<int:[^>]+>", "1", route)
    return re.sub(r"<[^>]+>", "x", route)


def _walk(patterns, prefix: str = "") -> list[str]:
    paths = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            paths += _walk(pattern.url_patterns, prefix + _concrete(str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            path = "/" + prefix + _concrete(str(pattern.pattern))
            if "format" not in str(pattern.pattern):
                paths.append(path)
    return sorted(set(paths))


ROUTES = _walk(get_resolver().url_patterns)
PROTECTED = [path for path in ROUTES if not any(re.search(p, path) for p in PUBLIC + SKIPPED)]
APPLICANT_API_ROUTES = [p for p in PROTECTED if any(re.search(r, p) for r in APPLICANT_API)]


def test_the_walk_finds_the_pages_and_endpoints_it_must_guard():
    # If the walk broke, every test below would pass on an empty list.
    for expected in (
        "/staff/",
        "/staff/cases/1/",
        "/staff/cases/1/x/",
        "/staff/intake/joint/",
        "/staff/joint/1/",
        "/api/v1/cases/",
        "/api/v1/cases/1/accept/",
        "/api/v1/joint-cases/1/",
        "/my/cases/1/notices/1/",
        "/items/x/ask/",
        "/my/consultations/1/",
        "/staff/consultations/1/answer/",
        "/api/v1/me/consultations/",
        "/api/v1/auth/logout/",
        "/api/v1/auth/logout-all/",
        "/api/v1/me/profile/",
        "/api/v1/me/drafts/1/materials/1/files/",
        "/api/v1/me/cases/1/notices/1/",
        "/kiosk/1/",
        "/kiosk/1/current/",
        "/my/cases/1/rate/",
        "/my/cases/1/rate/rectification/",
        # The staff side of ratings: pages, exports and the API.
        "/staff/supervision/ratings/",
        "/staff/supervision/ratings/statistics/",
        "/staff/supervision/ratings/1/",
        "/staff/supervision/ratings/1/appeal/",
        "/staff/supervision/ratings/1/review/",
        "/staff/supervision/rectifications/",
        "/staff/supervision/rectifications/1/",
        "/staff/supervision/rectifications/1/answer/",
        "/staff/supervision/exports/ratings.xlsx",
        "/staff/supervision/exports/rectifications.xlsx",
        "/api/v1/supervision/ratings/",
        "/api/v1/supervision/ratings/1/",
        "/api/v1/supervision/ratings/1/appeal/",
        "/api/v1/supervision/ratings/1/review/",
        "/api/v1/supervision/rectifications/",
        "/api/v1/supervision/rectifications/1/",
        "/api/v1/supervision/rectifications/1/answer/",
        "/complaints/new/",
        "/my/complaints/1/rate/",
        "/staff/supervision/complaints/new/",
        "/staff/supervision/complaints/1/decline/",
        "/staff/supervision/exports/complaints.xlsx",
        "/api/v1/supervision/complaints/",
        "/api/v1/supervision/complaints/1/answer/",
        "/api/v1/me/complaints/",
        "/api/v1/me/complaints/1/rate/",
    ):
        assert expected in PROTECTED
    assert len(PROTECTED) > 30
    assert len(APPLICANT_API_ROUTES) >= 12


@pytest.mark.parametrize("path", PROTECTED)
def test_an_anonymous_visitor_is_sent_to_log_in_or_refused(path):
    client = APIClient()

    for method in (client.get, client.post):
        response = method(path)
        if response.status_code == 302:
            assert "/login/" in response.url, f"{path} redirects elsewhere: {response.url}"
        else:
            assert response.status_code in (401, 403, 405), f"{path}: {response.status_code}"


@pytest.mark.parametrize("path", PROTECTED)
def test_a_logged_in_applicant_reaches_no_staff_page_and_no_one_elses_case(path):
    client = APIClient()
    client.force_login(UserFactory())

    for method in (client.get, client.post):
        response = method(path)
        if any(re.search(p, path) for p in TOKEN_ONLY):
            assert response.status_code == 401, f"{path}: {response.status_code}"
            continue
        if any(re.search(p, path) for p in APPLICANT_PAGES) and response.status_code == 200:
            continue
        # Staff pages: 403. The API: only the applicant's own cases exist for them (404), and
        # the collections answer with an empty list or refuse the write.
        if response.status_code == 200:
            body = response.json()
            # Cursor-paged collections (the cases) carry no count.
            assert body.get("count", 0) == 0 and body.get("results") == [], path
        else:
            assert response.status_code in (400, 403, 404, 405), f"{path}: {response.status_code}"


@pytest.mark.parametrize("path", APPLICANT_API_ROUTES)
def test_a_staff_member_is_refused_on_the_applicants_own_api(path):
    client = APIClient()
    client.force_login(staff_user(Role.WINDOW_CLERK, department=DepartmentFactory()))

    for method in (client.get, client.post, client.patch):
        response = method(path)
        assert response.status_code == 403, f"{path}: {response.status_code}"
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", APPLICANT_API_ROUTES)
def test_an_applicant_with_particulars_reaches_only_their_own_on_the_applicants_api(path):
    user = UserFactory()
    ApplicantProfile.objects.create(
        user=user, kind=ApplicantType.NATURAL, name="张三", phone="13800138000"
    )
    client = APIClient()
    client.force_login(user)

    for method in (client.get, client.post, client.patch):
        response = method(path)
        assert response["Content-Type"] == "application/json", path
        if response.status_code == 200:
            body = response.json()
            # The profile is their own; every list is empty: nobody else's row shows.
            assert path == "/api/v1/me/profile/" or body.get("results") == [], path
        else:
            assert response.status_code in (400, 404, 405), f"{path}: {response.status_code}"
