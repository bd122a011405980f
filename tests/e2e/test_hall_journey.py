"""An applicant's whole way through the online hall, in a real browser: registering with the
code the SMS gateway logged, applying with a wrong file first, leaving the draft and coming
back, answering the window's supplement notice, choosing delivery, downloading the decision as
a PDF, and tracking the case logged out by its number and query code."""

import io
import logging
import re
from pathlib import Path

from pypdf import PdfReader

from catalog.models import Role
from tests.e2e.browser import BROWSER_TEST_MARKS, act, closes_its_connection, log_in, track
from tests.factories.workflow import ID_NUMBER, PDF, department_staff, item_with_procedure
from workflow import services
from workflow.models import Case, CaseStatus, Decision, MaterialFile, NoticeKind

pytestmark = BROWSER_TEST_MARKS

PHONE = "13700137000"
PASSWORD = "Hall-journey-2026"
LICENCE = "JY33010020269999"


def sms_code(caplog, phone: str) -> str:
    """The last 6-digit code the log gateway "sent" to ``phone``."""
    texts = [
        r.getMessage()
        for r in caplog.records
        if r.name == "workflow.sms" and phone in r.getMessage()
    ]
    assert texts, "no SMS was logged"
    return re.findall(r"\b(\d{6})\b", texts[-1])[-1]


def upload(page, material: str, name: str, content: bytes, mime: str) -> None:
    form = page.locator("form.apply-upload").filter(has=page.get_by_label(material))
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    form.locator("button[type=submit]").click()


def hall_log_in(page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("[name=username]", PHONE)
    page.fill("[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/my/cases/")


@closes_its_connection
def test_register_apply_supplement_decide_download_and_track(live_server, browser_page, caplog):
    caplog.set_level(logging.INFO, logger="workflow.sms")
    version = item_with_procedure(
        steps=(("承办", Role.HANDLER, 2), ("审批", Role.APPROVER, 2)),
        materials=(("申请书", False), ("身份证明", False)),
        online_prereview=True,
    )
    staff = department_staff(version.department)
    page, base = browser_page, live_server.url
    code = version.item.code

    # Registering: the code comes by SMS (the log gateway here).
    page.goto(f"{base}/register/?kind=natural")
    page.fill("[name=phone]", PHONE)
    page.click("button[name=send]")
    page.wait_for_load_state()
    assert "A 6-digit code was sent" in page.inner_text("main")
    page.fill("[name=code]", sms_code(caplog, PHONE))
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    page.fill("[name=name]", "王小明")
    page.fill("[name=id_number]", ID_NUMBER)
    page.click("main form button.btn-primary.w-100")
    page.wait_for_url(f"{base}/my/profile/")

    # From the guide to the wizard; the particulars come from the account.
    page.goto(f"{base}/items/{code}/")
    page.get_by_role("link", name="Apply online").first.click()
    page.wait_for_url(f"{base}/apply/{code}/")
    assert page.input_value("[name=applicant_name]") == "王小明"
    assert page.input_value("[name=id_number]") == ID_NUMBER
    assert page.input_value("[name=contact_phone]") == PHONE
    page.click("main form.apply-form button[type=submit]")
    page.wait_for_url(re.compile(r"/apply/drafts/\d+/materials/$"))
    case = Case.objects.get(applicant__username=PHONE)

    # A program is refused in the browser before it is sent, with the server's words…
    upload(page, "申请书", "申请书.exe", b"MZ\x90\x00", "application/octet-stream")
    assert page.get_by_text("Choose a PDF, JPEG, PNG, Word, Excel or OFD file.").is_visible()
    # …a "PDF" that is none is refused by the server after the upload…
    upload(page, "申请书", "申请书.pdf", b"not a pdf at all", "application/pdf")
    page.locator("[data-error-summary]").wait_for()
    assert not MaterialFile.objects.filter(submission__case=case).exists()
    # …and the right file is kept with the draft.
    upload(page, "申请书", "申请书.pdf", PDF, "application/pdf")
    page.locator(".apply-files", has_text="申请书.pdf").wait_for()
    assert MaterialFile.objects.filter(submission__case=case).count() == 1

    # Leaving and coming back: the draft waits in "my cases".
    page.goto(f"{base}/")
    page.goto(f"{base}/my/cases/")
    page.locator(f"a[href='/apply/drafts/{case.pk}/']").first.click()
    page.wait_for_url(f"{base}/apply/drafts/{case.pk}/materials/")
    upload(page, "身份证明", "身份证.pdf", PDF, "application/pdf")
    page.locator(".apply-files", has_text="身份证.pdf").wait_for()
    page.goto(f"{base}/apply/drafts/{case.pk}/review/")
    page.click("main form button.btn-primary")
    page.wait_for_url(f"{base}/apply/drafts/{case.pk}/sent/")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED

    # The window asks once for a better 身份证明.
    log_in(page, base, staff.clerk)
    page.goto(f"{base}/staff/cases/{case.pk}/")
    form = page.locator("form.action-request-supplement")
    form.get_by_role("checkbox", name="身份证明").check()
    form.get_by_role("textbox", name="What is missing or wrong in “身份证明”").fill(
        "复印件不清晰，请上传清晰的扫描件"
    )
    act(page, "request-supplement")
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_SUPPLEMENT

    # The applicant answers with exactly that material.
    hall_log_in(page, base)
    page.goto(f"{base}/my/cases/{case.pk}/")
    assert "复印件不清晰" in page.inner_text("main")
    page.get_by_label("身份证明").set_input_files(
        {"name": "身份证-清晰.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send the materials").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED

    # Accepted at the window, the steps worked, the decision made.
    log_in(page, base, staff.clerk)
    page.goto(f"{base}/staff/cases/{case.pk}/")
    act(page, "accept")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    handler_step = case.steps.get(order=1)
    services.step_claim(step=handler_step, by=staff.handler)
    services.step_complete(step=handler_step, by=staff.handler, opinion="符合条件，同意")
    approver_step = case.steps.get(order=2)
    services.step_claim(step=approver_step, by=staff.approver)
    services.case_decide(
        case=case, by=staff.approver, decision=Decision.APPROVED, licence_number=LICENCE
    )
    case.refresh_from_db()
    notice = case.notices.get(kind=NoticeKind.APPROVAL)

    # The applicant chooses electronic delivery and downloads the decision.
    hall_log_in(page, base)
    page.goto(f"{base}/my/cases/{case.pk}/")
    page.get_by_label("Electronic").check()
    page.get_by_role("button", name="Save my choice").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.delivery_requested == "electronic"
    with page.expect_download() as download:
        page.locator(f"a[href$='/notices/{notice.pk}/pdf/']").first.click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert case.number in text and LICENCE in text

    # Logged out, anyone with the number and the query code sees where it stands.
    page.context.clear_cookies()
    body = track(page, base, case)
    assert case.get_status_display() in body
    assert "王小明" not in body and ID_NUMBER not in body
