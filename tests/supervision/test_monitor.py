"""The monitoring room (总监控室): tiles summed over the officer's tree only, the table by center
and by department, the drill-down links and the cases they reach, the charts and their tables,
the polling fragment and the wall mode."""

import json
import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Role
from supervision.models import AlertLevel, AlertRule
from supervision.room import last_workdays
from tests.factories import UserFactory, staff_user
from tests.factories.supervision import SCAN_DAY, AlertFactory, DepartmentFiguresFactory
from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from tests.supervision.trees import center_tree
from workflow import services
from workflow.deadlines import WorkCalendar
from workflow.models import SpecialProcedure

pytestmark = pytest.mark.django_db

ROOM = "/staff/supervision/"


@pytest.fixture(autouse=True)
def _on_the_scan_day():
    with time_machine.travel(at(SCAN_DAY), tick=False):
        yield


@pytest.fixture
def tree():
    tree = center_tree()
    # Each center's department counted with its own signature number, so that any sum shows
    # which centers went into it.
    for department, n in (
        (tree.city_department, 1000),
        (tree.county_department, 100),
        (tree.town_department, 10),
        (tree.other_department, 1),
    ):
        DepartmentFiguresFactory(
            department=department,
            received_today=n,
            prereview=2 * n,
            in_progress=3 * n,
            suspended=4 * n,
            due_within_day=5 * n,
            yellow=6 * n,
            red=7 * n,
        )
    return tree


def tiles(response) -> dict[str, int]:
    return {cell.column.key: cell.value for cell in response.context["tiles"]}


def page(response) -> str:
    return response.content.decode()


def test_a_county_officer_sees_the_figures_of_the_county_and_its_towns_only(client, tree):
    client.force_login(tree.county_officer)

    response = client.get(ROOM)

    assert response.status_code == 200
    assert tiles(response) == {
        "received_today": 110,
        "prereview": 220,
        "in_progress": 330,
        "suspended": 440,
        "due_within_day": 550,
        "yellow": 660,
        "red": 770,
    }
    html = page(response)
    assert re.search(r'data-figure="red">770<', html)
    assert "江州市政务服务中心" not in html and "望山县" not in html
    assert "Counted at 2026-11-16 09:05" in html


def test_a_city_officer_sees_the_whole_tree_each_center_with_the_centers_under_it(client, tree):
    client.force_login(tree.city_officer)

    response = client.get(ROOM)

    assert tiles(response)["red"] == 7 * 1111
    rows = {
        row.center.name: (row.depth, row.total["red"]) for row in response.context["center_rows"]
    }
    assert rows == {
        "江州市政务服务中心": (0, 7 * 1111),
        "临江县政务服务中心": (1, 7 * 110),
        "白沙镇便民服务中心": (2, 7 * 10),
        "望山县政务服务中心": (1, 7 * 1),
    }
    # The table by department shows the city center's own departments.
    assert [row.department for row in response.context["department_rows"]] == [tree.city_department]


def test_choosing_a_center_shows_its_tree_and_its_departments(client, tree):
    client.force_login(tree.city_officer)

    response = client.get(f"{ROOM}?center={tree.county.pk}")

    assert tiles(response)["received_today"] == 110
    assert [row.department for row in response.context["department_rows"]] == [
        tree.county_department
    ]
    assert [c.name for c in response.context["path"]] == [
        "江州市政务服务中心",
        "临江县政务服务中心",
    ]
    html = page(response)
    assert f'hx-get="/staff/supervision/figures/?center={tree.county.pk}"' in html


@pytest.mark.parametrize("center", ["city", "other_county"])
def test_a_county_officer_cannot_open_a_center_outside_their_tree(client, tree, center):
    client.force_login(tree.county_officer)

    assert client.get(f"{ROOM}?center={getattr(tree, center).pk}").status_code == 404
    assert client.get(f"{ROOM}figures/?center={getattr(tree, center).pk}").status_code == 404
    assert client.get(f"{ROOM}?center=x").status_code == 404


def test_before_the_first_scan_the_room_says_it_has_not_counted_yet(client):
    tree = center_tree()
    client.force_login(tree.county_officer)

    response = client.get(ROOM)

    assert response.status_code == 200
    assert set(tiles(response).values()) == {0}
    assert "Not counted yet" in page(response)


@pytest.mark.parametrize(
    "role", [Role.WINDOW_CLERK, Role.APPROVER, Role.HANDLER, Role.CATALOG_ADMINISTRATOR]
)
def test_the_room_is_the_supervision_officers_only(client, tree, role):
    if role == Role.CATALOG_ADMINISTRATOR:
        client.force_login(staff_user(role, center=tree.county))
    else:
        client.force_login(staff_user(role, department=tree.county_department))

    for path in (ROOM, f"{ROOM}figures/", f"{ROOM}wall/", f"{ROOM}wall/figures/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "<html" in page(response)


def test_applicants_are_refused_and_visitors_sent_to_log_in(client, tree):
    assert client.get(ROOM).status_code == 302
    client.force_login(UserFactory())
    assert client.get(ROOM).status_code == 403


def test_the_room_refreshes_in_place_every_minute_without_reloading(client, tree):
    client.force_login(tree.county_officer)

    html = page(client.get(ROOM))

    assert 'id="room-figures" hx-get="/staff/supervision/figures/"' in html
    assert 'hx-trigger="every 60s"' in html
    assert 'http-equiv="refresh"' not in html
    fragment = client.get(f"{ROOM}figures/")
    assert fragment.status_code == 200
    assert "<html" not in page(fragment) and 'data-figure="red">770<' in page(fragment)


def test_the_wall_is_big_dark_and_without_the_sites_chrome(client, tree):
    client.force_login(tree.county_officer)

    html = page(client.get(f"{ROOM}wall/"))

    assert '<body class="room-wall">' in html
    assert "role-nav" not in html and "site-header" not in html
    assert 'hx-get="/staff/supervision/wall/figures/" hx-trigger="every 60s"' in html
    assert 'http-equiv="refresh"' not in html
    assert re.search(r'data-figure="red">770<', html)
    fragment = page(client.get(f"{ROOM}wall/figures/"))
    assert "<html" not in fragment and "wall-tile" in fragment


def hrefs(html: str, marker: str) -> list[str]:
    """The links of the table row that holds ``marker``."""
    row = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if marker in r)
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', row)]


def test_every_number_links_to_the_cases_or_alerts_behind_it(client, tree):
    client.force_login(tree.county_officer)

    html = page(client.get(ROOM))

    # The row of the county's department: its name, then the seven figures.
    links = hrefs(html, "县市场监督管理局")
    department = tree.county_department.pk
    assert links == [
        f"/staff/cases/?department={department}",
        f"/staff/cases/?department={department}&received_after=2026-11-16&received_before=2026-11-16",
        f"/staff/cases/?department={department}&status=submitted",
        f"/staff/cases/?department={department}&clock=running",
        f"/staff/cases/?department={department}&clock=suspended",
        f"/staff/cases/?department={department}&due=day",
        f"/staff/supervision/alerts/?department={department}&level=yellow",
        f"/staff/supervision/alerts/?department={department}&level=red",
    ]
    town = hrefs(html, "白沙镇便民服务中心")
    assert town[0] == f"/staff/supervision/?center={tree.town.pk}"
    assert town[-1] == f"/staff/supervision/alerts/?center={tree.town.pk}&level=red"
    # The tiles of the officer's whole tree link without a center: their scope is the tree.
    tile_links = [cell.href for cell in client.get(ROOM).context["tiles"]]
    assert tile_links[1] == "/staff/cases/?status=submitted"


def test_the_drill_down_reaches_exactly_the_cases_it_counts(client):
    tree = center_tree()
    version = item_with_procedure(
        department=tree.county_department, materials=(("申请书", False),), promised_limit=1
    )
    staff = department_staff(tree.county_department)
    waiting = submitted_case(version)
    # Overdue since last week: running, not due within a day.
    running = accepted_case(version, staff, now=at(date(2026, 11, 6)))
    due_tomorrow = accepted_case(version, staff)
    paused = accepted_case(version, staff)
    services.case_suspend(
        case=paused,
        by=staff.handler,
        procedure=SpecialProcedure.TESTING,
        reason="送检",
        expected_days=5,
    )
    # Somewhere else in the tree, and outside it: never in the county department's lists.
    town_version = item_with_procedure(
        department=tree.town_department, materials=(("申请书", False),)
    )
    town_case = submitted_case(town_version)
    other = item_with_procedure(department=tree.other_department, materials=(("申请书", False),))
    submitted_case(other)
    DepartmentFiguresFactory(department=tree.county_department)
    DepartmentFiguresFactory(department=tree.town_department)
    client.force_login(tree.county_officer)
    links = hrefs(page(client.get(ROOM)), "县市场监督管理局")

    def listed(href: str) -> set[str]:
        response = client.get(href)
        assert response.status_code == 200, href
        return {case.pk for case in response.context["page"].object_list}

    received_today = {waiting.pk, due_tomorrow.pk, paused.pk}
    assert listed(links[1]) == received_today
    assert listed(links[2]) == {waiting.pk}
    assert listed(links[3]) == {running.pk, due_tomorrow.pk}
    assert listed(links[4]) == {paused.pk}
    assert listed(links[5]) == {due_tomorrow.pk}
    # A center's link covers the centers under it; the case list says whose cases it shows.
    county = client.get(f"/staff/cases/?center={tree.county.pk}&status=submitted")
    assert {case.pk for case in county.context["page"].object_list} == {waiting.pk, town_case.pk}
    assert "Cases of 临江县政务服务中心 and the centers under it" in page(county)
    one = client.get(links[2])
    assert "Cases of 县市场监督管理局 (临江县政务服务中心)" in page(one)


def test_the_charts_count_the_open_alerts_of_the_tree_and_have_tables(client, tree):
    county = tree.county_department
    AlertFactory.create_batch(3, department=county, rule=AlertRule.STEP_DUE, level=AlertLevel.RED)
    AlertFactory(department=county, rule=AlertRule.CASE_DUE, level=AlertLevel.YELLOW)
    AlertFactory(
        department=tree.town_department, rule=AlertRule.CASE_DUE, level=AlertLevel.REMINDER
    )
    # Resolved, revoked or elsewhere: not in the open counts.
    AlertFactory(department=county, rule=AlertRule.CASE_DUE, resolved_on=SCAN_DAY)
    AlertFactory(department=county, rule=AlertRule.CASE_DUE, revoked_on=SCAN_DAY)
    AlertFactory(department=tree.city_department, rule=AlertRule.CASE_DUE)
    AlertFactory(department=tree.other_department, rule=AlertRule.STEP_DUE, level=AlertLevel.RED)
    client.force_login(tree.county_officer)

    response = client.get(ROOM)

    rules = {row["rule"]: row["levels"] for row in response.context["rules"]}
    assert rules == {
        AlertRule.STEP_DUE: {"reminder": 0, "yellow": 0, "red": 3},
        AlertRule.CASE_DUE: {"reminder": 1, "yellow": 1, "red": 0},
    }
    html = page(response)
    data = json.loads(
        unescape(re.search(r'id="room-chart-data" data-charts="([^"]*)"', html).group(1))
    )
    assert data["rules"]["series"]["red"] == [3, 0]
    assert data["departments"]["names"] == ["县市场监督管理局", "镇社会事务办"]
    assert data["departments"]["series"] == {"yellow": [600, 60], "red": [700, 70]}
    assert [s["data"] for s in data["centers"]["series"]] == [[200, 20], [300, 30], [400, 40]]
    assert len(data["trend"]["days"]) == 30
    # Each chart's numbers are in a table too, and the room draws with the vendored ECharts.
    for table in ("table-rules", "table-departments", "table-centers", "table-trend"):
        assert f'id="{table}"' in html
    assert '<script src="/static/vendor/echarts/echarts.min.js" defer></script>' in html
    assert "<script>" not in html


def test_the_trend_counts_the_alerts_raised_per_working_day_and_level(client, tree):
    county = tree.county_department
    AlertFactory.create_batch(2, department=county, raised_on=date(2026, 11, 13), level="red")
    AlertFactory(department=county, raised_on=date(2026, 11, 13), level="yellow")
    # Raised on a Sunday: counted on the Monday after.
    AlertFactory(department=county, raised_on=date(2026, 11, 15), level="yellow")
    AlertFactory(department=county, raised_on=date(2026, 11, 13), revoked_on=SCAN_DAY)
    AlertFactory(department=tree.other_department, raised_on=date(2026, 11, 13))
    client.force_login(tree.county_officer)

    trend = client.get(ROOM).context["trend"]

    by_day = {row["day"]: row["levels"] for row in trend}
    assert by_day[date(2026, 11, 13)] == {"reminder": 0, "yellow": 1, "red": 2}
    assert by_day[SCAN_DAY] == {"reminder": 0, "yellow": 1, "red": 0}
    assert trend[0]["day"] == date(2026, 10, 6) and trend[-1]["day"] == SCAN_DAY


def test_the_last_working_days_skip_weekends_and_holidays():
    calendar = WorkCalendar({date(2026, 11, 13): False})

    assert last_workdays(date(2026, 11, 16), 3, calendar=calendar) == [
        date(2026, 11, 11),
        date(2026, 11, 12),
        date(2026, 11, 16),
    ]


def test_the_room_asks_the_same_number_of_queries_for_5_or_50_alerts(client, tree):
    client.force_login(tree.city_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ROOM).status_code == 200
        return len(captured)

    AlertFactory.create_batch(5, department=tree.county_department)
    queries()  # the first request of the process reads the calendar
    few = queries()
    AlertFactory.create_batch(45, department=tree.town_department, level="red")
    assert queries() == few
    assert few <= 20
