"""The online hall in the browser: every page a visitor and an applicant use, at a phone's width
and checked by axe, and a case tracked by its number and query code without an account."""

from django.utils import timezone

from portal.consultations import consultation_ask
from portal.models import Announcement, ApplicantProfile, Theme, ThemeAudience
from tests.e2e.accessibility import DESKTOP, PHONE, assert_no_sideways_scroll, serious_violations
from tests.e2e.browser import BROWSER_TEST_MARKS, closes_its_connection, save_screenshot, track
from tests.factories import UserFactory
from tests.factories.workflow import (
    ID_NUMBER,
    accepted_case,
    decided_case,
    department_staff,
    draft_case,
    item_with_procedure,
    joint_item_of_two,
    submitted_case,
)

pytestmark = BROWSER_TEST_MARKS

PHONE_NUMBER = "13800138000"
PASSWORD = "hall-pass-2026"


def applicant():
    user = UserFactory(username=PHONE_NUMBER, first_name="张三")
    user.set_password(PASSWORD)
    user.save()
    ApplicantProfile.objects.create(
        user=user, phone=PHONE_NUMBER, kind="natural", name="张三", id_number=ID_NUMBER
    )
    return user


def check(page, urls: list[str], shots: dict[str, str]) -> list[str]:
    """Each page answers, and at a phone's width: no sideways scroll, no serious axe violation; the pages
    named in ``shots`` photographed at phone and desktop width."""
    problems = []
    for url in urls:
        page.set_viewport_size(PHONE)
        response = page.goto(url)
        if response is None or response.status >= 400:
            problems.append(f"{url}: HTTP {response.status if response else '-'}")
        try:
            assert_no_sideways_scroll(page)
        except AssertionError as error:
            problems.append(str(error))
        problems += [f"{url}: {v}" for v in serious_violations(page)]
        if url in shots:
            save_screenshot(page, shots[url])
            page.set_viewport_size(DESKTOP)
            page.goto(url)
            save_screenshot(page, shots[url])
            problems += [f"{url} at desktop: {v}" for v in serious_violations(page)]
    page.set_viewport_size(DESKTOP)
    return problems


@closes_its_connection
def test_a_visitor_finds_an_item_reads_its_guide_and_tracks_a_case(live_server, browser_page):
    version = item_with_procedure(materials=(("申请书", False),), online_prereview=True)
    staff = department_staff(version.department)
    case = accepted_case(version, staff)
    theme = Theme.objects.create(name="开办企业", audience=ThemeAudience.BUSINESS, icon="shop")
    theme.items.add(version.item)
    news = Announcement.objects.create(
        title="关于元旦假期窗口服务时间的通知", body="1月1日休息。", published_at=timezone.now()
    )
    joint, _lead, _other = joint_item_of_two()
    page, base = browser_page, live_server.url
    code = version.item.code

    body = track(page, base, case)
    assert case.get_status_display() in body
    assert "张三" not in body and ID_NUMBER not in body  # no personal data when tracking
    assert "calendar-strip" in page.content()

    problems = check(
        page,
        [
            f"{base}/",
            f"{base}/items/?q={version.name[:2]}",
            f"{base}/items/{code}/",
            f"{base}/track/",
            f"{base}/results/",
            f"{base}/news/",
            f"{base}/news/{news.pk}/",
            f"{base}/themes/{theme.pk}/",
            f"{base}/joint-items/{joint.code}/",
            f"{base}/screen/",
            f"{base}/efficiency/",
            f"{base}/login/",
            f"{base}/register/",
            f"{base}/register/?kind=natural",
            f"{base}/register/?kind=legal",
            f"{base}/password-reset/",
        ],
        {
            f"{base}/": "hall-home",
            f"{base}/items/?q={version.name[:2]}": "hall-search",
            f"{base}/items/{code}/": "hall-guide",
            f"{base}/track/": "hall-tracking",
        },
    )
    assert problems == [], "\n".join(problems)


@closes_its_connection
def test_an_applicant_logs_in_and_reads_their_cases_and_starts_an_application(
    live_server, browser_page
):
    version = item_with_procedure(materials=(("申请书", False),), online_prereview=True)
    user = applicant()
    mine = submitted_case(version, applicant=user)
    decided = decided_case(version, department_staff(version.department))
    decided.applicant = user
    decided.save(update_fields=["applicant"])
    draft = draft_case(version, user)
    question = consultation_ask(
        applicant=user, item_code=version.item.code, question="营业执照复印件需要盖章吗？"
    )
    page, base = browser_page, live_server.url

    page.goto(f"{base}/login/")
    page.fill("[name=username]", PHONE_NUMBER)
    page.fill("[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/my/cases/")
    assert version.name in page.inner_text("main")

    problems = check(
        page,
        [
            f"{base}/my/cases/",
            f"{base}/my/cases/{mine.pk}/",
            f"{base}/my/cases/{decided.pk}/",
            f"{base}/apply/{version.item.code}/",
            f"{base}/my/profile/",
            f"{base}/items/{version.item.code}/ask/",
            f"{base}/my/consultations/",
            f"{base}/my/consultations/{question.pk}/",
            f"{base}/apply/drafts/{draft.pk}/materials/",
            f"{base}/apply/drafts/{draft.pk}/review/",
            f"{base}/apply/drafts/{mine.pk}/sent/",
        ],
        {
            f"{base}/my/cases/": "hall-my-cases",
            f"{base}/my/cases/{mine.pk}/": "hall-my-case",
            f"{base}/my/cases/{decided.pk}/": "hall-my-case-decided",
            f"{base}/apply/{version.item.code}/": "hall-apply",
            f"{base}/apply/drafts/{draft.pk}/materials/": "hall-apply-materials",
        },
    )
    assert problems == [], "\n".join(problems)
