import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import ItemCategory, Role, WindowAuthorization
from tests.factories import DepartmentFactory, ItemVersionFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

URL = "/staff/catalog/stats/"


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"figure {name} is not on the page"
    return match.group(1)


@pytest.fixture
def clerk(client):
    client.force_login(staff_user(Role.WINDOW_CLERK))
    return client


@pytest.fixture
def small_catalog():
    scj = DepartmentFactory(code="SCJ", name="市场监督管理局")
    jsj = DepartmentFactory(code="JSJ", name="住房和城乡建设局")
    ItemVersionFactory(
        department=scj, immediate=True, window_authorization=WindowAuthorization.FULL
    )
    ItemVersionFactory(department=scj, promised_limit=5, statutory_limit=20)
    ItemVersionFactory(
        department=jsj,
        category=ItemCategory.objects.get(code="QR"),
        promised_limit=10,
        statutory_limit=20,
        entered_center=False,
    )
    ItemVersionFactory(department=jsj, draft=True, promised_limit=1, statutory_limit=1)


def test_url_name_is_catalog_stats():
    assert reverse("catalog-stats") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff-login"))


def test_user_without_a_staff_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_window_clerk_sees_the_figures(clerk, small_catalog):
    response = clerk.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "total_items") == "3"
    assert figure(html, "immediate_count") == "1"
    assert figure(html, "long_promise_count") == "2"
    assert figure(html, "average_promised_limit") == "5.00"
    assert figure(html, "average_statutory_limit") == "13.33"
    assert figure(html, "compression") == "62.5%"
    assert figure(html, "must_enter_count") == "3"
    assert figure(html, "entered_count") == "2"
    assert figure(html, "full_authorisation_count") == "1"
    assert "33.3%" in html  # the immediate share
    assert "66.7%" in html  # the entered rate


def test_tables_carry_the_numbers_by_category_and_department(clerk, small_catalog):
    html = clerk.get(URL).content.decode()
    # Each cell names its column (data-label), for the cards a table becomes on a phone.
    cell = r"<td[^>]*>{}</td>"
    for code, name, count in [
        ("SCJ", "市场监督管理局", 2),
        ("JSJ", "住房和城乡建设局", 1),
        ("XK", "行政许可", 2),
        ("QR", "行政确认", 1),
    ]:
        assert re.search(
            cell.format(code)
            + cell.format(name)
            + rf'<td data-label="Items" class="num">{count}</td>',
            html,
        ), code


def test_charts_get_vendored_echarts_and_their_data_as_json(clerk, small_catalog):
    html = clerk.get(URL).content.decode()
    assert '<script src="/static/vendor/echarts/echarts.min.js"></script>' in html
    assert '<script src="/static/js/catalog-stats.js"></script>' in html
    match = re.search(
        r'<script id="catalog-stats-data" type="application/json">(.*?)</script>', html, re.S
    )
    data = json.loads(match.group(1))
    assert data["limits"]["values"] == [5.0, 13.33]
    assert data["departments"]["names"] == ["市场监督管理局", "住房和城乡建设局"]
    assert data["departments"]["counts"] == [2, 1]
    assert {"name": "行政确认", "value": 1} in data["categories"]["data"]
    # No inline script besides the JSON: the page works under a strict CSP.
    assert html.count("<script>") == 0


def test_empty_catalog_shows_zeros_and_no_charts(clerk):
    response = clerk.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "total_items") == "0"
    assert figure(html, "average_promised_limit") == "0.00"
    assert "echarts.min.js" not in html


def _catalog_of(size: int) -> None:
    for _n in range(size):
        ItemVersionFactory(department=DepartmentFactory())


def test_page_queries_do_not_grow_with_the_catalog(client, django_assert_max_num_queries):
    user = staff_user(Role.WINDOW_CLERK)
    client.force_login(user)
    _catalog_of(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _catalog_of(30)
    with django_assert_max_num_queries(len(small)):
        response = client.get(URL)
    assert figure(response.content.decode(), "total_items") == "32"
