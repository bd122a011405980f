"""In a real browser: the city officer opens the performance ranking of a hand-built month from
the navigation, reads their department's line, opens the charts (drawn under the site's
Content-Security-Policy) and closes the month after confirming; the ranking, the charts and the
public efficiency page pass axe-core at desktop and phone width without sideways scrolling.

Screenshots: test-output/screenshots/performance-ranking-1280.png (and -390),
performance-charts-*, hall-efficiency-*.
"""

from datetime import date, timedelta

from supervision.models import PerformanceMonth
from supervision.summary import summarize
from tests.e2e.accessibility import DESKTOP, PHONE, assert_no_sideways_scroll, serious_violations
from tests.e2e.browser import BROWSER_TEST_MARKS, closes_its_connection, log_in, save_screenshot
from tests.e2e.test_content_security_policy import Watch
from tests.factories.workflow import at
from tests.supervision.month import NOVEMBER, november
from tests.supervision.office import national_day_2026, supervised_office

pytestmark = BROWSER_TEST_MARKS


def problems_at(page, url: str, shot: str) -> list[str]:
    found = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found += [f"{url} at {size['width']}px: {v}" for v in serious_violations(page)]
        save_screenshot(page, shot)
        if size is PHONE:
            try:
                assert_no_sideways_scroll(page)
            except AssertionError as error:
                found.append(str(error))
    page.set_viewport_size(DESKTOP)
    return found


@closes_its_connection
def test_the_officer_reads_the_ranking_and_the_charts_and_closes_the_month(
    live_server, browser_page
):
    national_day_2026()
    office = supervised_office()
    november(office)
    summarize(days=[NOVEMBER + timedelta(days=n) for n in range(30)], now=at(date(2026, 12, 2)))
    page, base = browser_page, live_server.url
    watch = Watch(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, base, office.city_officer)
    page.get_by_role("link", name="Performance").first.click()
    page.wait_for_url(f"{base}/staff/supervision/performance/")
    page.select_option("select[name=month]", "2026-11")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    line = page.locator("#perf-ranking tbody tr").first
    assert office.department.name in line.inner_text()
    assert "75.0 %" in line.inner_text()

    ranking = page.url
    problems = problems_at(page, ranking, "performance-ranking")
    page.goto(ranking)
    page.get_by_role("link", name="Charts").click()
    page.wait_for_load_state("networkidle")
    for chart in ("trend", "scores", "on-time", "ratings", "complaints", "treemap"):
        assert page.locator(f"#chart-perf-{chart} canvas").count() == 1, chart
    page.locator("#chart-perf-treemap").hover()
    assert watch.complaints() == []
    problems += problems_at(page, page.url, "performance-charts")
    problems += problems_at(page, f"{base}/efficiency/", "hall-efficiency")
    assert problems == [], "\n".join(problems)

    page.goto(ranking)
    page.get_by_role("link", name="Close this month").click()
    page.get_by_role("button", name="Close 2026-11 and freeze its ranking").click()
    page.wait_for_load_state("networkidle")
    assert "is closed" in page.locator(".messages").inner_text()
    assert page.locator(".perf-closed").count() == 1
    assert PerformanceMonth.objects.filter(month=NOVEMBER).exists()
    assert errors == []
