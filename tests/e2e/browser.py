"""What the browser tests share: the machine's Chromium, logging a staff member in, taking an
action on the case page, saving a screenshot, and closing the database connection a test body
opened."""

import functools
import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from tests.e2e.accessibility import DESKTOP, PHONE, assert_no_sideways_scroll, serious_violations
from tests.factories.catalog import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Every browser test: the live server only sees committed rows. The serialized rollback puts
# back the rows the migrations seed, and keeps the flush from recreating content types under new
# ids.
BROWSER_TEST_MARKS = [
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


# Screenshots go to the run's output folder, test-output/ at the repository's root unless
# TEST_OUTPUT_DIR names another.
REPOSITORY = Path(__file__).resolve().parents[2]


def output_dir() -> Path:
    return Path(os.environ.get("TEST_OUTPUT_DIR") or REPOSITORY / "test-output")


def save_screenshot(page, name: str) -> Path:
    """The whole page as it is now, in ``screenshots/<name>-<viewport width>.png``."""
    path = output_dir() / "screenshots" / f"{name}-{page.viewport_size['width']}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def track(page, base: str, case) -> str:
    """Track ``case`` at the hall's tracking page by its number and query code; the answer's text."""
    page.goto(f"{base}/track/")
    page.fill("[name=number]", case.number)
    page.fill("[name=code]", case.query_code)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page.inner_text("main")


def act(page, action: str, fields: dict[str, str] | None = None) -> None:
    """Fill and send the case page's form for ``action``; it must not be refused."""
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


def phone_problems(page, name: str) -> list[str]:
    """The page as it is now at phone width: its serious axe violations and a sideways scroll,
    as messages (empty when there are none); a screenshot ``name`` is saved, and the desktop
    width restored."""
    page.set_viewport_size(PHONE)
    problems = [f"{page.url}: {v}" for v in serious_violations(page)]
    try:
        assert_no_sideways_scroll(page)
    except AssertionError as error:
        problems.append(str(error))
    save_screenshot(page, name)
    page.set_viewport_size(DESKTOP)
    return problems
