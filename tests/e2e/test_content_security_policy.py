"""In a real browser, under the site's Content-Security-Policy: the staff pages, the catalog
charts and the API documentation work, and the browser reports nothing it had to block.

An inline <script>, an onclick=… attribute, a <style> block or a style="…" attribute left in a
page, or injected by a script, shows up here as a violation.
"""

import re

from catalog.models import Role
from tests.e2e.browser import BROWSER_TEST_MARKS, act, closes_its_connection, log_in
from tests.factories.workflow import department_staff, item_with_procedure, submitted_case
from workflow.models import CaseStatus

pytestmark = BROWSER_TEST_MARKS

# Counts every violation the page sees, enforced or report-only, before any page script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__injected = 'ran';";
  document.head.appendChild(script);
  return window.__injected || null;
}"""
POLICY_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy|Permissions-Policy")


class Watch:
    """The CSP and Permissions-Policy complaints a page makes, from the console and the DOM."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self.console.append(message.text))

    def complaints(self) -> list[str]:
        violations = self.page.evaluate("window.__violations || []")
        return violations + [text for text in self.console if POLICY_MESSAGE.search(text)]

    def visit(self, url: str) -> None:
        self.console.clear()
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("networkidle")
        assert self.complaints() == [], url


@closes_its_connection
def test_the_staff_pages_charts_and_api_docs_run_under_the_policy_without_a_violation(
    live_server, browser_page
):
    version = item_with_procedure(
        steps=(("承办", Role.HANDLER, 2),), materials=(("申请书", False),)
    )
    staff = department_staff(version.department)
    case = submitted_case(version)
    page = browser_page
    base = live_server.url
    watch = Watch(page)

    watch.visit(f"{base}/staff/login/")
    # The policy is enforced, not only sent: an injected inline script does not run.
    assert page.evaluate(INJECT_INLINE_SCRIPT) is None
    assert [v.split()[0] for v in watch.complaints()[:1]] == ["script-src-elem"]
    log_in(page, base, staff.clerk)

    watch.visit(f"{base}/staff/cases/")
    assert page.get_by_text(version.name).count() >= 1
    # The filters answer through htmx, in place.
    page.select_option("select[name=status]", CaseStatus.SUBMITTED)
    with page.expect_response(lambda response: "/staff/cases/?" in response.url):
        page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(version.name).count() >= 1
    assert watch.complaints() == []

    watch.visit(f"{base}/staff/cases/{case.pk}/")
    act(page, "accept")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.number in page.content()
    assert watch.complaints() == []

    watch.visit(f"{base}/staff/catalog/stats/")
    chart = page.locator("#chart-categories")
    assert chart.is_visible() and chart.locator("canvas").count() == 1
    box = chart.bounding_box()
    assert box is not None
    # On the pie's ring (35 % to 65 % of the radius), where the tooltip opens.
    chart.hover(position={"x": box["width"] / 2 + box["height"] * 0.25, "y": box["height"] / 2})
    tooltip = chart.get_by_text(re.compile(r"\(\d+(\.\d+)?%\)"))
    tooltip.wait_for()
    assert watch.complaints() == []

    watch.visit(f"{base}/api/docs/")
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() > 20
    assert page.get_by_text("/api/v1/auth/token/").count() >= 1
    assert watch.complaints() == []
