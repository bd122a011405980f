"""In a real browser: the supervision officer opens the monitoring room from the start page,
reads the red-card tile, drills into the red cards and one card's page, acknowledges it; the
room, the alert list, the alert and the wall pass axe-core at desktop and phone width, and the
charts are drawn again when the figures are fetched afresh.

Screenshots: test-output/screenshots/monitoring-room-1280.png (and -390), monitoring-wall-1920.png.
"""

import re
from datetime import date

from supervision.models import AlertLevel
from tests.e2e.accessibility import DESKTOP, PHONE, assert_no_sideways_scroll, serious_violations
from tests.e2e.browser import BROWSER_TEST_MARKS, closes_its_connection, log_in, save_screenshot
from tests.factories.supervision import AlertFactory, DepartmentFiguresFactory, alert_for
from tests.factories.workflow import accepted_case, at, department_staff, item_with_procedure
from tests.supervision.trees import center_tree

pytestmark = BROWSER_TEST_MARKS

WALL = {"width": 1920, "height": 1080}


def a_tree_with_cards():
    """The tree, each department counted, and a red card on a real case of the county."""
    tree = center_tree()
    for department, red in (
        (tree.city_department, 5),
        (tree.county_department, 2),
        (tree.town_department, 1),
        (tree.other_department, 3),
    ):
        DepartmentFiguresFactory(
            department=department,
            received_today=4,
            prereview=6,
            in_progress=31,
            suspended=1,
            due_within_day=3,
            yellow=2,
            red=red,
        )
    version = item_with_procedure(department=tree.county_department, materials=(("申请书", False),))
    staff = department_staff(tree.county_department)
    case = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    red = alert_for(case, step=case.steps.get(status="open"), level=AlertLevel.RED)
    AlertFactory(department=tree.county_department, level=AlertLevel.YELLOW)
    AlertFactory(department=tree.town_department, level=AlertLevel.RED)
    AlertFactory(department=tree.other_department, level=AlertLevel.RED)
    return tree, case, red


def problems_at(page, url: str) -> list[str]:
    """axe's serious findings at desktop and phone width, and sideways scrolling on a phone."""
    found = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found += [f"{url} at {size['width']}px: {v}" for v in serious_violations(page)]
        if size is PHONE:
            try:
                assert_no_sideways_scroll(page)
            except AssertionError as error:
                found.append(str(error))
    page.set_viewport_size(DESKTOP)
    return found


@closes_its_connection
def test_the_officer_reads_the_red_cards_and_acknowledges_one(live_server, browser_page):
    tree, case, red = a_tree_with_cards()
    page, base = browser_page, live_server.url

    log_in(page, base, tree.county_officer)
    page.locator("#panel-monitoring").get_by_role("link", name="Open the monitoring room").click()
    page.wait_for_url(f"{base}/staff/supervision/")
    page.wait_for_load_state("networkidle")
    # The county and its town: 2 + 1 red cards; the city's and the other county's are not here.
    assert page.locator('.room-tiles [data-figure="red"]').inner_text() == "3"
    assert page.locator("#room-centers").get_by_text("江州市政务服务中心").count() == 0
    assert page.locator("#chart-trend canvas").count() == 1
    save_screenshot(page, "monitoring-room")
    page.set_viewport_size(PHONE)
    save_screenshot(page, "monitoring-room")
    page.set_viewport_size(DESKTOP)

    # Fresh figures put in place (as the minute's poll does): the charts are drawn again.
    page.evaluate("document.getElementById('chart-trend').dataset.old = 'yes'")
    page.evaluate("htmx.ajax('GET', '/staff/supervision/figures/', '#room-figures')")
    page.locator("#chart-trend:not([data-old]) canvas").wait_for()
    assert page.locator('.room-tiles [data-figure="red"]').inner_text() == "3"

    page.locator('.room-tiles a.figure:has([data-figure="red"])').click()
    page.wait_for_url(re.compile(r"/staff/supervision/alerts/\?level=red$"))
    rows = page.locator("table.alert-table tbody tr")
    assert rows.count() == 2
    row = rows.filter(has_text=case.number)
    row.get_by_role("link", name="Step due date").click()
    page.wait_for_url(f"{base}/staff/supervision/alerts/{red.pk}/")
    assert page.locator("#alert-case-link").inner_text() == case.number
    assert "Red card" in page.locator("h1").inner_text()

    page.fill("#id_note", "已电话督促承办人，今日办结")
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(f"{base}/staff/supervision/alerts/{red.pk}/")
    assert "The alert is acknowledged." in page.locator(".messages").inner_text()
    assert "已电话督促承办人，今日办结" in page.locator(".ack-note").inner_text()

    page.locator("#alert-case-link").click()
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")

    problems = []
    for url in (
        f"{base}/staff/supervision/",
        f"{base}/staff/supervision/?center={tree.town.pk}",
        f"{base}/staff/supervision/alerts/",
        f"{base}/staff/supervision/alerts/{red.pk}/",
        f"{base}/staff/supervision/wall/",
        f"{base}/staff/cases/?department={tree.county_department.pk}&clock=running",
    ):
        problems += problems_at(page, url)
    assert problems == [], "\n".join(problems)


@closes_its_connection
def test_the_wall_fills_a_big_screen_and_a_city_officer_sees_the_whole_tree(
    live_server, browser_page
):
    tree, _case, _red = a_tree_with_cards()
    page, base = browser_page, live_server.url

    log_in(page, base, tree.city_officer)
    page.set_viewport_size(WALL)
    page.goto(f"{base}/staff/supervision/wall/")
    page.wait_for_load_state("networkidle")

    assert page.locator('.wall-tiles [data-figure="red"]').inner_text() == "11"
    assert page.locator(".site-header, .role-nav").count() == 0
    assert page.locator(".wall-reds tbody tr").count() == 3
    save_screenshot(page, "monitoring-wall")
    assert serious_violations(page) == []
