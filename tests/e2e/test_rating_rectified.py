"""In a real browser: an applicant rates their completed case "very dissatisfied" (差评) from
"my cases"; the department's leader finds the rectification in the workbench and answers it
with the call-back; the applicant reads the answer and rates it; and the supervision officer
finds the poor rating rectified on the department's line of the month's ranking. Every page
passes axe-core and fits a 390 px phone.

Screenshots of the pages at phone width go to test-output/screenshots/.
"""

from portal.models import ApplicantProfile
from supervision.models import Rating, Rectification, RectificationStatus
from supervision.summary import summarize
from tests.e2e.browser import BROWSER_TEST_MARKS, closes_its_connection, log_in, phone_problems
from tests.factories.catalog import UserFactory
from tests.factories.workflow import at
from tests.factories.workflow_states import case_in_state
from tests.supervision.rated import rated_office
from workflow.calendar import shanghai_today
from workflow.models import CaseStatus

pytestmark = BROWSER_TEST_MARKS

PHONE_NUMBER = "13800138000"
PASSWORD = "hall-pass-2026"


def hall_log_in(page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("[name=username]", PHONE_NUMBER)
    page.fill("[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/my/cases/")


@closes_its_connection
def test_a_poor_rating_is_rectified_and_shows_in_the_ranking(live_server, browser_page):
    office = rated_office()
    applicant = UserFactory(username=PHONE_NUMBER, first_name="张三")
    applicant.set_password(PASSWORD)
    applicant.save()
    ApplicantProfile.objects.create(
        user=applicant,
        phone=PHONE_NUMBER,
        kind="natural",
        name="张三",
        id_number="110101199003077777",
    )
    # Handed over this morning by the department's clerk, who works at window 01.
    case = case_in_state(
        CaseStatus.COMPLETED, office.version, office.staff, now=at(shanghai_today())
    )
    case.applicant = applicant
    case.save(update_fields=["applicant"])
    page, base = browser_page, live_server.url
    problems: list[str] = []

    # The applicant rates the case from its page in "my cases".
    hall_log_in(page, base)
    page.goto(f"{base}/my/cases/{case.pk}/")
    page.get_by_role("link", name="Rate now").click()
    page.wait_for_url(f"{base}/my/cases/{case.pk}/rate/")
    problems += phone_problems(page, "rate-case")
    page.get_by_text("Very dissatisfied", exact=True).click()
    page.get_by_label("Comment (optional)").fill("窗口工作人员态度生硬，材料被退回两次。")
    page.get_by_role("button", name="Send my rating").click()
    page.wait_for_url(f"{base}/my/cases/{case.pk}/rate/")
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.poor, rating.window_id) == (1, True, office.window.pk)
    rectification = Rectification.objects.get(rating=rating)
    assert rectification.status == RectificationStatus.OPEN
    assert rectification.due_on.isoformat() in page.inner_text("main")
    problems += phone_problems(page, "rate-case-rated")

    # The department's leader answers the rectification from the workbench.
    log_in(page, base, office.staff.approver)
    page.locator("nav.role-nav").get_by_role("link", name="Rectifications").click()
    page.wait_for_url(f"{base}/staff/supervision/rectifications/*")
    problems += phone_problems(page, "rectifications")
    page.get_by_role("link", name=case.number).first.click()
    page.wait_for_url(f"{base}/staff/supervision/rectifications/{rectification.pk}/")
    page.get_by_label("What was found and put right").fill(
        "经查，窗口人员未一次性告知补正材料；已批评教育并组织业务培训。"
    )
    page.get_by_label("Call-back to the applicant (回访)").fill(
        "已电话回访申请人，申请人表示认可。"
    )
    problems += phone_problems(page, "rectification-answer")
    page.get_by_role("button", name="Send the answer").click()
    page.wait_for_url(f"{base}/staff/supervision/rectifications/{rectification.pk}/")
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ANSWERED

    # The applicant reads the answer and rates the rectification.
    hall_log_in(page, base)
    page.goto(f"{base}/my/cases/{case.pk}/rate/")
    assert "已批评教育并组织业务培训" in page.inner_text("main")
    page.get_by_text("Satisfied", exact=True).click()
    page.get_by_role("button", name="Send my rating of the rectification").click()
    page.wait_for_url(f"{base}/my/cases/{case.pk}/rate/")
    rectification.refresh_from_db()
    assert rectification.applicant_level == 4
    problems += phone_problems(page, "rate-rectification-rated")

    # The summary task runs (on the beat every fifteen minutes); the officer reads the month.
    summarize()
    log_in(page, base, office.city_officer)
    page.locator("nav.role-nav").get_by_role("link", name="Performance").click()
    page.wait_for_url(f"{base}/staff/supervision/performance/")
    line = page.locator(f"#perf-ranking tbody tr[data-key='{office.department.pk}']")
    assert line.count() == 1
    cells = line.inner_text()
    assert office.department.name in cells
    # One poor rating this month, its rectification answered on time: 1/1, 1 on time; the
    # only rating was poor, so the satisfaction rate is 0 %.
    assert "1/1" in cells
    assert "1 on time" in cells
    assert "0%" in cells.replace(" ", "")
    problems += phone_problems(page, "ranking-rectified")

    assert not problems, "\n".join(problems)
