"""In a real browser: the supervision officer opens the monitoring room, follows its red tile to
a red card and sends an urge notice from it about two of a department's cases, the department's leader finds it in their inbox and answers it, the
officer closes it; then the officer records a correction about the card, the leader appeals and
the officer revokes it. Every page passes axe-core and fits a 390 px phone.

Screenshots of the pages at phone width go to test-output/screenshots/.
"""

from catalog.models import Role
from supervision.models import Correction, Urge, UrgeStatus
from tests.e2e.browser import BROWSER_TEST_MARKS, closes_its_connection, log_in, phone_problems
from tests.factories.catalog import staff_user
from tests.factories.workflow import accepted_case, department_staff, item_with_procedure
from tests.supervision.office import card

pytestmark = BROWSER_TEST_MARKS


@closes_its_connection
def test_an_urge_notice_is_sent_answered_and_closed_and_a_card_corrected(live_server, browser_page):
    version = item_with_procedure(materials=(("申请书", False),))
    department = version.department
    staff = department_staff(department)
    first, second = accepted_case(version, staff), accepted_case(version, staff)
    red = card(first)
    card(second)
    officer = staff_user(Role.SUPERVISION_OFFICER, center=department.center)
    page, base = browser_page, live_server.url
    problems: list[str] = []

    # From the monitoring room's red tile to the card, and from the card to the urge notice.
    log_in(page, base, officer)
    page.goto(f"{base}/staff/supervision/")
    page.locator("a.figure", has=page.locator("[data-figure=red]")).click()
    page.wait_for_url(f"{base}/staff/supervision/alerts/?*level=red*")
    page.locator(f"a[href='/staff/supervision/alerts/{red.pk}/']").first.click()
    page.wait_for_url(f"{base}/staff/supervision/alerts/{red.pk}/")
    page.get_by_role("link", name="Send an urge notice").click()
    page.wait_for_url(f"{base}/staff/supervision/urges/new/?alert={red.pk}")
    problems += phone_problems(page, "urge-new")
    page.get_by_label(second.number, exact=False).check()
    page.get_by_label("What the office asks").fill("请两个工作日内办结，并书面说明超期原因。")
    page.get_by_role("button", name="Send the urge notice").click()
    page.wait_for_url(f"{base}/staff/supervision/urges/*/")
    urge = Urge.objects.get()
    assert set(urge.cases.all()) == {first, second}
    assert urge.number in page.inner_text("main")
    problems += phone_problems(page, "urge-detail-officer")

    log_in(page, base, staff.approver)
    page.locator("nav.role-nav").get_by_role("link", name="Urge notices").click()
    page.wait_for_url(f"{base}/staff/supervision/urges/")
    problems += phone_problems(page, "urge-inbox")
    page.get_by_role("link", name=urge.number).click()
    page.get_by_label("The department's answer").fill("两件均已办结，超期原因见附件说明。")
    page.get_by_role("button", name="Send the answer").click()
    page.wait_for_url(f"{base}/staff/supervision/urges/{urge.pk}/")
    urge.refresh_from_db()
    assert urge.status == UrgeStatus.ANSWERED
    problems += phone_problems(page, "urge-detail-answered")

    log_in(page, base, officer)
    page.goto(f"{base}/staff/supervision/urges/{urge.pk}/")
    page.get_by_role("button", name="Close it").click()
    page.wait_for_url(f"{base}/staff/supervision/urges/{urge.pk}/")
    urge.refresh_from_db()
    assert urge.status == UrgeStatus.CLOSED
    page.goto(f"{base}/staff/supervision/urges/")
    problems += phone_problems(page, "urge-list")

    page.goto(f"{base}/staff/supervision/alerts/{red.pk}/correct/")
    problems += phone_problems(page, "correction-record")
    page.get_by_label("Circulated notice (通报)").check()
    page.get_by_label("Person responsible").fill("王五（承办人）")
    page.get_by_label("Findings").fill("超期两个工作日，未说明理由。")
    page.get_by_role("button", name="Record the correction").click()
    page.wait_for_url(f"{base}/staff/supervision/corrections/*/")
    correction = Correction.objects.get()

    log_in(page, base, staff.approver)
    page.goto(f"{base}/staff/supervision/corrections/{correction.pk}/")
    problems += phone_problems(page, "correction-detail-leader")
    page.get_by_label("Reasons of the appeal").fill("超期系申请人书面要求延后，附说明。")
    page.get_by_role("button", name="Send the appeal").click()
    page.wait_for_url(f"{base}/staff/supervision/corrections/{correction.pk}/")

    log_in(page, base, officer)
    page.goto(f"{base}/staff/supervision/corrections/{correction.pk}/")
    page.get_by_label("Revoked (撤销)").check()
    page.get_by_label("Reasons of the review").fill("申请人书面要求延后，不属部门责任。")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_url(f"{base}/staff/supervision/corrections/{correction.pk}/")
    red.refresh_from_db()
    assert red.revoked_on is not None
    problems += phone_problems(page, "correction-detail-revoked")
    page.goto(f"{base}/staff/supervision/corrections/")
    problems += phone_problems(page, "correction-list")

    assert problems == [], "\n".join(problems)
