"""In a real browser: a tablet at the window is bound to its rating kiosk with the code the
administrator issued; its idle screen picks up the case the window's clerk just handed over,
the applicant rates it with the keyboard, sees the thanks, and the kiosk goes back to its idle
screen by itself. Every screen passes axe-core, at a tablet's 1280×800 and a 390 px phone.

Screenshots go to test-output/screenshots/ (kiosk-*).
"""

from datetime import timedelta

from django.utils import timezone

from catalog.models import Role, Window, WindowKind
from supervision.kiosks import kiosk_issue
from supervision.models import Rating, RatingChannel
from tests.e2e.accessibility import PHONE, assert_no_sideways_scroll, serious_violations
from tests.e2e.browser import BROWSER_TEST_MARKS, closes_its_connection, save_screenshot
from tests.factories.catalog import staff_user
from tests.factories.workflow import department_staff
from tests.factories.workflow_states import case_in_state, procedure_item
from workflow.models import CaseStatus

pytestmark = BROWSER_TEST_MARKS

TABLET = {"width": 1280, "height": 800}


def check(page, name: str, sizes=(TABLET, PHONE)) -> list[str]:
    """The screen as it is now at a tablet's and a phone's width: no serious axe violation,
    no sideways scroll on the phone; photographed at both."""
    problems = []
    for size in sizes:
        page.set_viewport_size(size)
        problems += [f"{name} at {size['width']}: {v}" for v in serious_violations(page)]
        save_screenshot(page, f"kiosk-{name}")
    if PHONE in sizes:
        try:
            assert_no_sideways_scroll(page)
        except AssertionError as error:
            problems.append(f"{name}: {error}")
    page.set_viewport_size(TABLET)
    return problems


@closes_its_connection
def test_a_kiosk_is_bound_shows_the_case_just_completed_is_rated_by_keyboard_and_resets(
    live_server, browser_page, settings
):
    settings.KIOSK_RESET_SECONDS = 2
    settings.KIOSK_POLL_SECONDS = 1
    version = procedure_item()
    department = version.department
    staff = department_staff(department)
    window = Window.objects.create(
        center=department.center, number="A01", kind=WindowKind.DEPARTMENT
    )
    window.departments.add(department)
    window.clerks.add(staff.clerk)
    issued = kiosk_issue(
        window=window, by=staff_user(Role.CATALOG_ADMINISTRATOR, center=department.center)
    )
    page, base = browser_page, live_server.url
    page.set_viewport_size(TABLET)
    problems: list[str] = []

    # Binding: the code typed (in lower case, without its dash) and sent with Enter.
    page.goto(f"{base}/kiosk/")
    problems += check(page, "bind")
    page.get_by_label("Binding code").fill(issued.code.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/kiosk/{window.pk}/")
    page.wait_for_selector("[data-kiosk-state=idle]")
    assert "Please rate our service when your case is done" in page.inner_text("main")
    assert "A01" in page.inner_text("main")
    problems += check(page, "idle")

    # The clerk hands a result over: the idle screen's poll brings the case in.
    case = case_in_state(
        CaseStatus.COMPLETED, version, staff, now=timezone.now() - timedelta(minutes=1)
    )
    page.wait_for_selector(f"[data-kiosk-state=case][data-case='{case.pk}']")
    text = page.inner_text("main")
    assert case.number in text and version.name in text and "张*" in text and "张三" not in text
    problems += check(page, "case")

    # Rated with the keyboard: Tab to the second level ("Satisfied") and Enter.
    page.locator("#kiosk-title").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "4"
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-kiosk-state=thanks]")
    rating = Rating.objects.get()
    assert (rating.case_id, rating.level, rating.channel, rating.window_id) == (
        case.pk,
        4,
        RatingChannel.KIOSK,
        window.pk,
    )
    # Only at one width: the reset comes two seconds after the key.
    problems += check(page, "thanks", sizes=(TABLET,))

    # Untouched for the reset time, the kiosk is back at its idle screen, the case gone.
    page.wait_for_selector("[data-kiosk-state=idle]", timeout=10000)
    assert case.number not in page.inner_text("main")
    assert problems == [], "\n".join(problems)
