"""In a real browser: the window accepts a case, the back office works it, the decision prints;
the lead window takes in a joint item with a file for every material."""

from catalog.models import JointItem, Role
from tests.e2e.browser import BROWSER_TEST_MARKS, act, closes_its_connection, log_in
from tests.factories.workflow import (
    ID_NUMBER,
    PDF,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow.models import CaseStatus, JointCase, NoticeKind

pytestmark = BROWSER_TEST_MARKS


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

    log_in(page, base, staff.clerk)
    page.goto(f"{base}/staff/prereview/")
    assert page.get_by_text(version.name).count() >= 1
    page.goto(detail)
    act(page, "accept")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.number in page.content()

    log_in(page, base, staff.handler)
    page.goto(detail)
    act(page, "claim-step")
    act(page, "complete-step", {"opinion": "材料齐全，符合条件，同意。"})

    log_in(page, base, staff.approver)
    page.goto(detail)
    act(page, "claim-step")
    act(page, "decide", {"decision": "approved", "licence_number": "JY33010020260001"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED

    notice = case.notices.get(kind=NoticeKind.APPROVAL)
    page.get_by_role("link", name=notice.number, exact=True).click()
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

    log_in(page, base, clerk)
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
