"""In a real browser: the window accepts a case, the back office works it, the decision prints;
the lead window takes in a joint item with a file for every material."""

import functools
import shutil

import pytest
from django.db import connections

from catalog.models import JointItem, Role
from tests.factories.catalog import PASSWORD
from tests.factories.workflow import (
    ID_NUMBER,
    PDF,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow.models import CaseStatus, JointCase, NoticeKind

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    # The live server only sees committed rows. The serialized rollback puts back the rows the
    # migrations seed, and keeps the flush from recreating content types under new ids.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs the machine's Chromium (installed by .ci/run)"
    ),
]

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # plain synchronous ones made between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def _log_in(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def _act(page, action: str, fields: dict[str, str] | None = None) -> None:
    form = page.locator(f"form.action-{action}")
    for name, value in (fields or {}).items():
        field = form.locator(f"[name={name}]")
        if field.count() > 1:  # a set of radio buttons
            form.locator(f"[name={name}][value={value}]").check()
        elif field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    confirm = form.locator("[name=confirm]")
    if confirm.count():
        confirm.check()
    with page.expect_response(lambda response: f"/{action}/" in response.url) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status < 400, page.locator(".messages").all_inner_texts()
    page.wait_for_load_state("networkidle")


def closes_its_connection(test):
    """Close the database connection the test body opened, however the test ends.

    With Playwright's sync API the body runs in a context of its own, so its ORM calls get a
    connection that the fixtures' teardown never sees; left open, it keeps the test database
    from being dropped at the end of the run.
    """

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        try:
            return test(*args, **kwargs)
        finally:
            connections.close_all()

    return wrapper


@closes_its_connection
def test_clerk_accepts_handler_and_approver_complete_the_steps_and_the_decision_prints(
    live_server, browser_page, tmp_path
):
    version = item_with_procedure(
        steps=(("承办", Role.HANDLER, 2), ("审批", Role.APPROVER, 2)),
        materials=(("申请书", False),),
    )
    staff = department_staff(version.department)
    case = submitted_case(version)
    page = browser_page
    base = live_server.url
    detail = f"{base}/staff/cases/{case.pk}/"

    _log_in(page, base, staff.clerk)
    page.goto(f"{base}/staff/prereview/")
    assert page.get_by_text(version.name).count() >= 1
    page.goto(detail)
    _act(page, "accept")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.number in page.content()

    _log_in(page, base, staff.handler)
    page.goto(detail)
    _act(page, "claim-step")
    _act(page, "complete-step", {"opinion": "材料齐全，符合条件，同意。"})

    _log_in(page, base, staff.approver)
    page.goto(detail)
    _act(page, "claim-step")
    _act(page, "decide", {"decision": "approved", "licence_number": "JY33010020260001"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED

    notice = case.notices.get(kind=NoticeKind.APPROVAL)
    page.get_by_role("link", name=notice.number).click()
    page.wait_for_load_state("networkidle")
    assert "JY33010020260001" in page.content()
    page.emulate_media(media="print")
    assert page.locator(".no-print").first.is_hidden()
    pdf = tmp_path / "decision.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


@closes_its_connection
def test_the_lead_window_takes_in_a_joint_item_with_files_for_every_department(
    live_server, browser_page, tmp_path
):
    lead_item = item_with_procedure(materials=(("申请书", False),))
    other_item = item_with_procedure(materials=(("设计图纸", False),))
    joint_item = JointItem.objects.create(
        code="LB-E2E-1", name="开办餐馆一件事", lead_department=lead_item.department
    )
    joint_item.items.add(lead_item.item, other_item.item)
    clerk = department_staff(lead_item.department).clerk
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    page = browser_page
    base = live_server.url

    _log_in(page, base, clerk)
    page.goto(f"{base}/staff/intake/joint/")
    page.select_option("#id_joint_item", str(joint_item.pk))
    page.click("main form button[type=submit]")
    page.check("input[name=applicant_kind][value=natural]")
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_contact_phone", "13800138000")
    for version in (lead_item, other_item):
        for material in version.materials.all():
            page.set_input_files(f"[name=material_{version.pk}_{material.pk}]", str(scan))
    page.click("form.intake button[type=submit]")
    page.wait_for_url(f"{base}/staff/joint/*/")

    joint = JointCase.objects.get()
    sub_cases = list(joint.sub_cases.all())
    assert len(sub_cases) == 2 and all(c.status == CaseStatus.ACCEPTED for c in sub_cases)
    for sub_case in sub_cases:
        assert sub_case.number in page.content()
        assert sub_case.submissions.get().files.count() == 1
