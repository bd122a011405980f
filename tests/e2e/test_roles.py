"""In a real browser, for each staff role: the start page shows that role's panel and
navigation and nothing else, the role's main task works end to end, and every page the role
works on passes axe-core without a serious or critical violation and fits a 390 px phone.

Each test saves its role's start page at desktop and phone width to
test-output/screenshots/ (or $TEST_OUTPUT_DIR/screenshots/).
"""

import re

from approval_center.navigation import entries_for
from catalog.models import Role
from tests.e2e.accessibility import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_sideways_scroll,
    serious_violations,
)
from tests.e2e.browser import (
    BROWSER_TEST_MARKS,
    act,
    closes_its_connection,
    log_in,
    save_screenshot,
)
from tests.factories.catalog import staff_user
from tests.factories.workflow import (
    ID_NUMBER,
    PDF,
    accepted_case,
    decided_case,
    department_staff,
    item_with_procedure,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.models import CaseStatus, StepStatus

pytestmark = BROWSER_TEST_MARKS

# The workflow's own panels, and those other apps add (settings.STAFF_START_PANELS).
PANELS = {"window", "steps", "leader", "fees", "supervision", "catalog", "users"} | {
    "alerts",
    "monitoring",
    "consultations",
    "rectifications",
    "complaints",
}
# Django's own admin pages: their breadcrumbs (white links in light-blue text, no underline)
# fail axe's link-in-text-block; the admin's stylesheet is Django's, not this site's.
ADMIN_NOT_CHECKED = (".breadcrumbs",)
PROCEDURE = (("承办", Role.HANDLER, 2), ("审核", Role.REVIEWER, 1), ("审批", Role.APPROVER, 2))


def assert_start_page_of(page, role: str, panels: set[str]) -> None:
    """The start page shows ``panels`` and no other, and the navigation holds the role's
    entries, in order, and no other."""
    assert page.url.endswith("/staff/")
    shown = page.locator("section.role-panel").evaluate_all("sections => sections.map(s => s.id)")
    assert set(shown) == {f"panel-{name}" for name in panels}
    assert panels <= PANELS
    hrefs = page.locator("nav.role-nav a.nav-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    expected = [entry.href() for entry in entries_for({role})]
    assert hrefs[: len(expected)] == expected
    # People working in the admin site get its entry after their own, nothing more.
    assert hrefs[len(expected) :] in ([], ["/admin/"])


def check_the_pages(page, role: str, urls: list[str]) -> None:
    """The start page (the current page) checked and photographed at desktop and phone width,
    then each of ``urls`` at phone width; every problem found is reported at once."""
    start = page.url
    page.set_viewport_size(DESKTOP)
    page.goto(start)
    save_screenshot(page, role)
    problems = [f"{start} at {DESKTOP['width']}px: {v}" for v in serious_violations(page)]
    page.set_viewport_size(PHONE)
    for url in [start, *urls]:
        # The pages' scripts are deferred: once "load" has fired, htmx and site.js have run.
        page.goto(url)
        if url == start:
            save_screenshot(page, role)
        try:
            assert_no_sideways_scroll(page)
        except AssertionError as error:
            problems.append(str(error))
        exclude = ADMIN_NOT_CHECKED if "/admin/" in url else ()
        problems += [f"{url}: {v}" for v in serious_violations(page, exclude=exclude)]
    page.set_viewport_size(DESKTOP)
    assert problems == [], "\n".join(problems)


def success_message(page) -> str:
    return " ".join(page.locator(".messages .alert-success").all_inner_texts())


@closes_its_connection
def test_the_window_clerk_takes_in_a_walk_in_application_with_a_file(
    live_server, browser_page, tmp_path
):
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    waiting = submitted_case(version)
    to_deliver = decided_case(version, staff)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    page, base = browser_page, live_server.url

    log_in(page, base, staff.clerk)
    assert_start_page_of(page, Role.WINDOW_CLERK, {"window", "consultations"})
    page.get_by_role("link", name="Take in a walk-in application").click()
    page.wait_for_url(f"{base}/staff/intake/")
    page.select_option("#id_item", str(version.pk))
    page.click("main form button[type=submit]")
    page.check("input[name=applicant_kind][value=natural]")
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_contact_phone", "13800138000")
    material = version.materials.get()
    page.set_input_files(f"[name=material_{material.pk}]", str(scan))
    intake_form = page.url
    page.click("form.intake button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/cases/\d+/$"))

    case = version.cases.exclude(pk__in=[waiting.pk, to_deliver.pk]).get()
    assert case.status == CaseStatus.ACCEPTED
    assert case.number in success_message(page)
    assert case.submissions.get().files.count() == 1
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "window-clerk",
        [
            f"{base}/staff/intake/",
            intake_form,
            f"{base}/staff/prereview/",
            f"{base}/staff/counter/",
            f"{base}/staff/delivery/",
            f"{base}/staff/joint/",
            f"{base}/staff/cases/",
            f"{base}/staff/cases/{case.pk}/",
            f"{base}/staff/cases/{waiting.pk}/",
        ],
    )


@closes_its_connection
def test_the_handler_claims_the_next_step_and_completes_it(live_server, browser_page):
    version = item_with_procedure(steps=PROCEDURE, materials=(("申请书", False),))
    staff = department_staff(version.department)
    mine = accepted_case(version, staff)
    services.step_claim(step=mine.steps.get(status=StepStatus.OPEN), by=staff.handler)
    waiting = accepted_case(version, staff)
    page, base = browser_page, live_server.url

    log_in(page, base, staff.handler)
    assert_start_page_of(page, Role.HANDLER, {"steps"})
    assert page.locator("#count-queue").inner_text().strip().startswith("1")
    page.get_by_role("button", name="Claim the next step").click()
    page.wait_for_url(f"{base}/staff/cases/{waiting.pk}/")
    assert "You have claimed the step" in success_message(page)
    act(page, "complete-step", {"opinion": "材料齐全，符合条件，同意。"})

    step = waiting.steps.get(name="承办")
    assert step.status == StepStatus.DONE and step.assignee == staff.handler
    assert waiting.steps.get(name="审核").status == StepStatus.OPEN
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "handler",
        [
            f"{base}/staff/tasks/",
            f"{base}/staff/queue/",
            f"{base}/staff/cases/",
            f"{base}/staff/cases/{mine.pk}/",
        ],
    )


@closes_its_connection
def test_the_reviewer_claims_and_completes_the_review_step(live_server, browser_page):
    version = item_with_procedure(steps=PROCEDURE, materials=(("申请书", False),))
    staff = department_staff(version.department)
    case = accepted_case(version, staff)
    handling = case.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=handling, by=staff.handler)
    services.step_complete(step=handling, by=staff.handler, opinion="同意")
    page, base = browser_page, live_server.url

    log_in(page, base, staff.reviewer)
    assert_start_page_of(page, Role.REVIEWER, {"steps"})
    page.goto(f"{base}/staff/queue/")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")
    act(page, "claim-step")
    act(page, "complete-step", {"opinion": "审核通过。"})

    review = case.steps.get(name="审核")
    assert review.status == StepStatus.DONE and review.assignee == staff.reviewer
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "reviewer",
        [f"{base}/staff/tasks/", f"{base}/staff/queue/", f"{base}/staff/cases/{case.pk}/"],
    )


@closes_its_connection
def test_the_approver_decides_on_the_case_page(live_server, browser_page):
    version = item_with_procedure(steps=PROCEDURE, materials=(("申请书", False),))
    staff = department_staff(version.department)
    case = accepted_case(version, staff)
    run_to_last_step(case, staff)
    page, base = browser_page, live_server.url

    log_in(page, base, staff.approver)
    assert_start_page_of(page, Role.APPROVER, {"steps", "leader", "alerts"})
    page.goto(f"{base}/staff/tasks/")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")
    case_page = page.url
    act(page, "decide", {"decision": "approved", "licence_number": "JY33010020260001"})

    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.licence_number == "JY33010020260001"
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "approver",
        [
            f"{base}/staff/tasks/",
            f"{base}/staff/queue/",
            f"{base}/staff/extensions/",
            f"{base}/staff/cases/?due=overdue",
            case_page,
        ],
    )


@closes_its_connection
def test_the_fee_clerk_records_the_fee_from_the_list_of_fees(live_server, browser_page):
    version = item_with_procedure(
        steps=PROCEDURE, materials=(("申请书", False),), fees=(("工本费", "10.00"),)
    )
    staff = department_staff(version.department)
    case = decided_case(version, staff)
    page, base = browser_page, live_server.url

    log_in(page, base, staff.fee_clerk)
    assert_start_page_of(page, Role.FEE_CLERK, {"fees"})
    page.locator("#count-fees").click()
    page.wait_for_url(f"{base}/staff/fees/")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")
    case_page = page.url
    act(page, "record-fee", {"receipt_number": "R20260001"})

    fee = case.fees.get()
    assert fee.receipt_number == "R20260001" and str(fee.amount) == "10.00"
    page.goto(f"{base}/staff/")
    check_the_pages(page, "fee-clerk", [f"{base}/staff/fees/", f"{base}/staff/cases/", case_page])


@closes_its_connection
def test_the_supervision_officer_reads_every_case_and_may_act_on_none(live_server, browser_page):
    version = item_with_procedure(steps=PROCEDURE, materials=(("申请书", False),))
    staff = department_staff(version.department)
    case = accepted_case(version, staff)
    officer = staff_user(Role.SUPERVISION_OFFICER, center=version.department.center)
    page, base = browser_page, live_server.url

    log_in(page, base, officer)
    assert_start_page_of(page, Role.SUPERVISION_OFFICER, {"supervision", "monitoring"})
    page.locator("#panel-supervision").get_by_role("link", name="All cases").click()
    page.wait_for_url(f"{base}/staff/cases/")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{base}/staff/cases/{case.pk}/")
    assert case.number in page.content()
    assert page.locator("form.action-card").count() == 0
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "supervision-officer",
        [
            f"{base}/staff/cases/",
            f"{base}/staff/cases/?due=overdue",
            f"{base}/staff/cases/{case.pk}/",
        ],
    )


@closes_its_connection
def test_the_catalog_administrator_reaches_the_item_list_of_the_admin(live_server, browser_page):
    version = item_with_procedure(materials=(("申请书", False),))
    administrator = staff_user(Role.CATALOG_ADMINISTRATOR, center=version.department.center)
    page, base = browser_page, live_server.url

    log_in(page, base, administrator)
    assert_start_page_of(page, Role.CATALOG_ADMINISTRATOR, {"catalog"})
    page.locator("#panel-catalog").get_by_role("link", name="Approval items").click()
    page.wait_for_url(f"{base}/admin/catalog/approvalitem/")
    assert page.get_by_text(version.item.code).count() >= 1
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "catalog-administrator",
        [
            f"{base}/staff/catalog/stats/",
            f"{base}/admin/catalog/approvalitem/",
            f"{base}/admin/catalog/itemversion/",
            f"{base}/admin/workflow/calendaryear/",
            f"{base}/admin/",
        ],
    )


@closes_its_connection
def test_the_user_administrator_reaches_the_staff_accounts(live_server, browser_page):
    administrator = staff_user(Role.USER_ADMINISTRATOR)
    page, base = browser_page, live_server.url

    log_in(page, base, administrator)
    assert_start_page_of(page, Role.USER_ADMINISTRATOR, {"users"})
    page.locator("#panel-users").get_by_role("link", name="Staff accounts").click()
    page.wait_for_url(f"{base}/admin/auth/user/")
    assert page.get_by_text(administrator.username).count() >= 1
    page.goto(f"{base}/staff/")
    check_the_pages(
        page,
        "user-administrator",
        [f"{base}/admin/auth/user/", f"{base}/admin/catalog/staffmembership/"],
    )


@closes_its_connection
def test_the_elderly_mode_is_switched_on_survives_a_reload_and_is_switched_off(
    live_server, browser_page
):
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    case = accepted_case(version, staff)
    page, base = browser_page, live_server.url
    switch = page.locator(".utility-bar form[action='/preferences/elderly/'] button")

    def html_classes() -> list[str]:
        return page.evaluate("document.documentElement.className").split()

    log_in(page, base, staff.clerk)
    assert "elderly" not in html_classes()
    assert switch.get_attribute("aria-pressed") == "false"
    with page.expect_navigation(url=f"{base}/staff/"):
        switch.click()
    assert "elderly" in html_classes()
    assert switch.get_attribute("aria-pressed") == "true"
    cookie = next(c for c in page.context.cookies() if c["name"] == "elderly_mode")
    assert cookie["value"] == "1"

    page.reload()
    assert "elderly" in html_classes()
    assert_accessible(page)
    # Larger type must still fit a phone: the start page, a list of cards and a case.
    page.set_viewport_size(PHONE)
    for url in (f"{base}/staff/cases/", f"{base}/staff/cases/{case.pk}/", f"{base}/staff/"):
        page.goto(url)
        assert "elderly" in html_classes()
        assert_no_sideways_scroll(page)
        assert_accessible(page)
    save_screenshot(page, "window-clerk-elderly")

    with page.expect_navigation(url=f"{base}/staff/"):
        switch.click()
    assert "elderly" not in html_classes()
    assert switch.get_attribute("aria-pressed") == "false"
    page.reload()
    assert "elderly" not in html_classes()


@closes_its_connection
def test_on_a_phone_the_navigation_scrolls_by_itself_and_case_rows_become_cards(
    live_server, browser_page
):
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    submitted_case(version)
    page, base = browser_page, live_server.url

    log_in(page, base, staff.clerk)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/staff/cases/")
    nav = page.locator("nav.role-nav .nav")
    assert nav.evaluate("n => getComputedStyle(n).overflowX") == "auto"
    assert nav.evaluate("n => n.getBoundingClientRect().height") < 80  # one strip, not a stack
    assert_no_sideways_scroll(page)

    table = page.locator("table.table-cards.worklist")
    head = table.locator("thead").bounding_box()
    assert head is not None and head["width"] <= 1 and head["height"] <= 1
    row = table.locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    cell = row.locator("td").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.strip('"') == cell.get_attribute("data-label") != ""
    assert version.name in row.inner_text()
    box = row.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]

    page.set_viewport_size(DESKTOP)
    assert table.locator("thead").bounding_box()["height"] > 10
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
