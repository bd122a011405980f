"""The window's rating kiosk (电子评议器): the administrator issues a one-time code, shown once
and kept as a digest; the code binds one device to one window; the kiosk shows only the case
its window's clerks just handed over and rates it once, with the kiosk's channel and window;
a revoked kiosk stops at once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from catalog.models import Role, Window, WindowKind
from supervision.kiosk_views import COOKIE
from supervision.kiosks import (
    CODE_ALPHABET,
    kiosk_current_case,
    kiosk_issue,
    kiosk_reissue,
    kiosk_revoke,
)
from supervision.models import Kiosk, Rating, RatingChannel, Rectification
from supervision.ratings import rating_submit
from tests.factories.catalog import staff_user
from tests.factories.workflow import ID_NUMBER, department_staff
from tests.factories.workflow_states import case_in_state, procedure_item
from workflow.models import CaseStatus

pytestmark = pytest.mark.django_db

# Monday 16 November 2026, 10:00 at the window.
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class Hall:
    """One department with two windows, A and B, each with its own clerk; a third clerk of the
    department sits at no window."""

    def __init__(self):
        self.version = procedure_item()
        department = self.version.department
        self.staff_a = department_staff(department)
        self.staff_b = department_staff(department)
        self.staff_away = department_staff(department)
        self.a = Window.objects.create(
            center=department.center, number="A01", kind=WindowKind.DEPARTMENT
        )
        self.b = Window.objects.create(
            center=department.center, number="A02", kind=WindowKind.DEPARTMENT
        )
        for window, staff in ((self.a, self.staff_a), (self.b, self.staff_b)):
            window.departments.add(department)
            window.clerks.add(staff.clerk)
        self.admin = staff_user(Role.CATALOG_ADMINISTRATOR, center=department.center)

    def completed(self, staff, *, minutes_ago: int):
        return case_in_state(
            CaseStatus.COMPLETED,
            self.version,
            staff,
            now=NOW - timedelta(minutes=minutes_ago),
        )

    def kiosk(self, window=None):
        """A device bound to ``window``'s kiosk (A's by default): its client."""
        issued = kiosk_issue(window=window or self.a, by=self.admin, now=NOW)
        client = Client()
        response = client.post("/kiosk/", {"code": issued.shown})
        assert response.status_code == 302, response.content
        return client, issued.kiosk


@pytest.fixture
def hall():
    return Hall()


# --- issuing and binding --------------------------------------------------------------------


def test_the_administrator_sees_the_code_once_and_the_kiosk_keeps_only_its_digest(hall):
    admin = Client()
    admin.force_login(hall.admin)

    response = admin.post(
        "/admin/supervision/kiosk/add/", {"window": hall.a.pk, "label": "A01 评议器"}, follow=True
    )

    kiosk = Kiosk.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    [message] = [m for m in shown if "Binding code" in m]
    code = message.split(": ", 1)[1].split(".", 1)[0]
    plain = code.replace("-", "")
    assert len(plain) == 8 and set(plain) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(plain)
    assert kiosk.code_digest and plain not in kiosk.code_digest and code not in kiosk.code_digest
    assert kiosk.code_expires_at == NOW + timedelta(hours=24)
    assert kiosk.issued_by == hall.admin and kiosk.window == hall.a
    # Shown once: neither the list nor the kiosk's page shows it again.
    for page in ("/admin/supervision/kiosk/", f"/admin/supervision/kiosk/{kiosk.pk}/change/"):
        body = admin.get(page).content.decode()
        assert plain not in body and code not in body
    # And it binds a device.
    assert Client().post("/kiosk/", {"code": code.lower()}).status_code == 302


def test_a_window_clerk_cannot_reach_the_kiosks_in_the_admin(hall):
    clerk = hall.staff_a.clerk
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(clerk)

    assert client.get("/admin/supervision/kiosk/add/").status_code == 403
    assert Kiosk.objects.count() == 0


def test_a_right_code_binds_the_device_with_a_signed_httponly_strict_cookie(hall, settings):
    settings.SESSION_COOKIE_SECURE = True
    issued = kiosk_issue(window=hall.a, by=hall.admin, now=NOW)
    client = Client()

    response = client.post("/kiosk/", {"code": issued.code})

    assert response.status_code == 302 and response.url == f"/kiosk/{hall.a.pk}/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == "/kiosk/" and int(cookie["max-age"]) > 300 * 24 * 3600
    kiosk = Kiosk.objects.get()
    assert kiosk.bound_at == NOW and kiosk.device_digest
    assert kiosk.code_digest == "" and kiosk.code_expires_at is None
    # Neither the device key nor the code is kept in clear.
    key = client.cookies[COOKIE].value.split(":")[1]
    assert key not in kiosk.device_digest
    assert client.get(f"/kiosk/{hall.a.pk}/").status_code == 200


@pytest.mark.parametrize("how", ["wrong", "expired", "used"])
def test_a_wrong_expired_or_used_code_changes_nothing_and_says_so(hall, how, _clock):
    issued = kiosk_issue(window=hall.a, by=hall.admin, now=NOW)
    code = issued.code
    if how == "wrong":
        code = "".join(CODE_ALPHABET[(CODE_ALPHABET.index(c) + 1) % 31] for c in code)
    elif how == "expired":
        _clock.shift(timedelta(hours=24, seconds=1))
    else:
        Client().post("/kiosk/", {"code": code})
    before = Kiosk.objects.values().get()

    client = Client()
    response = client.post("/kiosk/", {"code": code})

    assert response.status_code == 400
    assert "This code does not bind a kiosk" in response.content.decode()
    assert COOKIE not in response.cookies
    assert Kiosk.objects.values().get() == before
    assert client.get(f"/kiosk/{hall.a.pk}/").status_code == 403


def test_the_binding_form_is_throttled_per_address(hall, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kiosk-binding": "3/minute"}
    client = Client()

    statuses = [client.post("/kiosk/", {"code": "AAAA-AAAA"}).status_code for _ in range(4)]

    assert statuses == [400, 400, 400, 429]


def test_a_new_code_binds_a_new_device_and_the_old_one_stops(hall):
    old, kiosk = hall.kiosk()
    issued = kiosk_reissue(kiosk=kiosk, by=hall.admin, now=NOW)
    # Until the new code is used the old device goes on.
    assert old.get(f"/kiosk/{hall.a.pk}/").status_code == 200

    new = Client()
    new.post("/kiosk/", {"code": issued.code})

    assert new.get(f"/kiosk/{hall.a.pk}/").status_code == 200
    assert old.get(f"/kiosk/{hall.a.pk}/").status_code == 403


# --- what the kiosk shows -------------------------------------------------------------------


def test_the_kiosk_bound_to_window_a_cannot_open_window_b_nor_rate_its_case(hall):
    client, _kiosk = hall.kiosk(hall.a)
    at_b = hall.completed(hall.staff_b, minutes_ago=2)

    page_b = client.get(f"/kiosk/{hall.b.pk}/")
    current_b = client.get(f"/kiosk/{hall.b.pk}/current/")
    post_b = client.post(f"/kiosk/{hall.b.pk}/", {"case": at_b.pk, "level": 5})
    forged = client.post(f"/kiosk/{hall.a.pk}/", {"case": at_b.pk, "level": 5})
    # A poor level for it does not even open the comment screen about it.
    forged_poor = client.post(f"/kiosk/{hall.a.pk}/", {"case": at_b.pk, "level": 1})

    assert page_b.status_code == 403 and at_b.number not in page_b.content.decode()
    assert "This device is not this window" in page_b.content.decode()
    assert current_b.status_code == 403 and post_b.status_code == 403
    assert forged.status_code == 409
    assert "not one just completed at this window" in forged.content.decode()
    assert forged_poor.status_code == 409 and at_b.number not in forged_poor.content.decode()
    assert not Rating.objects.exists()


def test_a_device_without_a_binding_sees_how_to_bind_and_no_case(hall):
    case = hall.completed(hall.staff_a, minutes_ago=1)

    response = Client().get(f"/kiosk/{hall.a.pk}/")

    body = response.content.decode()
    assert response.status_code == 403
    assert "binding code" in body and "/kiosk/" in body
    assert case.number not in body


def test_it_shows_only_the_case_just_completed_by_its_windows_clerks(
    hall, django_assert_num_queries
):
    client, _kiosk = hall.kiosk()
    mine = hall.completed(hall.staff_a, minutes_ago=10)
    too_old = hall.completed(hall.staff_a, minutes_ago=16)
    # Each later than mine, so each would show were it not excluded.
    at_b = hall.completed(hall.staff_b, minutes_ago=8)
    by_a_clerk_elsewhere = hall.completed(hall.staff_away, minutes_ago=6)
    rated = hall.completed(hall.staff_a, minutes_ago=4)
    rating_submit(case=rated, level=5, channel=RatingChannel.ONLINE, by=rated.applicant, now=NOW)

    with django_assert_num_queries(1):
        event = kiosk_current_case(window_id=hall.a.pk, now=NOW)
    page = client.get(f"/kiosk/{hall.a.pk}/").content.decode()

    assert event.case == mine
    assert mine.number in page and mine.item_version.name in page
    for other in (too_old, at_b, by_a_clerk_elsewhere, rated):
        assert other.number not in page
    assert hall.staff_a.clerk.get_full_name() in page
    # The applicant masked; nothing else of theirs.
    assert "张*" in page and "张三" not in page and ID_NUMBER not in page
    assert "13800138000" not in page


def test_after_the_configured_minutes_the_kiosk_is_idle_again(hall, settings, _clock):
    settings.KIOSK_CASE_MINUTES = 15
    client, _kiosk = hall.kiosk()
    case = hall.completed(hall.staff_a, minutes_ago=1)
    assert case.number in client.get(f"/kiosk/{hall.a.pk}/current/").content.decode()

    _clock.shift(timedelta(minutes=15))
    fragment = client.get(f"/kiosk/{hall.a.pk}/current/").content.decode()

    assert case.number not in fragment
    assert 'data-kiosk-state="idle"' in fragment
    assert "Please rate our service when your case is done" in fragment


def test_the_idle_screen_names_the_window_and_the_center(hall):
    client, _kiosk = hall.kiosk()

    page = client.get(f"/kiosk/{hall.a.pk}/").content.decode()

    assert "Window A01" in page and hall.a.center.name in page
    assert "Please rate our service when your case is done" in page
    # Its script is a static file: nothing inline under the Content-Security-Policy.
    assert "js/kiosk.js" in page and "<script>" not in page
    assert 'http-equiv="refresh"' not in page


# --- rating from the kiosk ------------------------------------------------------------------


def test_rating_from_the_kiosk_writes_one_rating_with_its_channel_and_window(hall):
    client, _kiosk = hall.kiosk()
    case = hall.completed(hall.staff_a, minutes_ago=3)

    thanks = client.post(f"/kiosk/{hall.a.pk}/", {"case": case.pk, "level": 5})
    again = client.post(f"/kiosk/{hall.a.pk}/", {"case": case.pk, "level": 1, "step": "comment"})

    assert thanks.status_code == 200 and "Thank you for your rating" in thanks.content.decode()
    rating = Rating.objects.get()
    assert (rating.case, rating.level, rating.channel) == (case, 5, RatingChannel.KIOSK)
    assert rating.window == hall.a and rating.staff == hall.staff_a.clerk
    assert rating.rated_by is None and not rating.poor
    assert again.status_code == 409 and Rating.objects.count() == 1
    # The rated case leaves the kiosk.
    assert case.number not in client.get(f"/kiosk/{hall.a.pk}/").content.decode()


def test_a_poor_level_asks_for_a_comment_first_and_then_opens_a_rectification(hall):
    client, _kiosk = hall.kiosk()
    case = hall.completed(hall.staff_a, minutes_ago=3)

    asked = client.post(f"/kiosk/{hall.a.pk}/", {"case": case.pk, "level": 1})
    assert asked.status_code == 200 and "What went wrong?" in asked.content.decode()
    assert not Rating.objects.exists()

    done = client.post(
        f"/kiosk/{hall.a.pk}/",
        {"case": case.pk, "level": 1, "step": "comment", "comment": "等候时间太长"},
    )

    assert "Thank you for your rating" in done.content.decode()
    rating = Rating.objects.get()
    assert (
        rating.poor and rating.comment == "等候时间太长" and rating.channel == RatingChannel.KIOSK
    )
    assert Rectification.objects.filter(rating=rating).exists()


def test_a_level_the_scale_does_not_have_is_refused(hall):
    client, _kiosk = hall.kiosk()
    case = hall.completed(hall.staff_a, minutes_ago=3)

    response = client.post(f"/kiosk/{hall.a.pk}/", {"case": case.pk, "level": 9})

    assert response.status_code == 400 and not Rating.objects.exists()


def test_the_kiosk_page_needs_the_csrf_token(hall):
    issued = kiosk_issue(window=hall.a, by=hall.admin, now=NOW)
    client = Client(enforce_csrf_checks=True)
    page = client.get("/kiosk/")
    token = page.cookies["csrftoken"].value
    client.post("/kiosk/", {"code": issued.code, "csrfmiddlewaretoken": token})
    case = hall.completed(hall.staff_a, minutes_ago=3)

    response = client.post(f"/kiosk/{hall.a.pk}/", {"case": case.pk, "level": 5})

    assert response.status_code == 403 and not Rating.objects.exists()


def test_a_revoked_kiosk_stops_at_once(hall):
    client, kiosk = hall.kiosk()
    case = hall.completed(hall.staff_a, minutes_ago=3)
    assert case.number in client.get(f"/kiosk/{hall.a.pk}/").content.decode()

    kiosk_revoke(kiosk=kiosk, by=hall.admin, now=NOW)

    page = client.get(f"/kiosk/{hall.a.pk}/")
    assert page.status_code == 403 and case.number not in page.content.decode()
    assert client.get(f"/kiosk/{hall.a.pk}/current/").status_code == 403
    assert client.post(f"/kiosk/{hall.a.pk}/", {"case": case.pk, "level": 5}).status_code == 403
    assert not Rating.objects.exists()


def test_revoking_in_the_admin_stops_the_device(hall):
    client, kiosk = hall.kiosk()
    admin = Client()
    admin.force_login(hall.admin)

    admin.post(
        "/admin/supervision/kiosk/",
        {"action": "revoke", "_selected_action": [kiosk.pk]},
    )

    kiosk.refresh_from_db()
    assert kiosk.revoked_at == NOW and kiosk.device_digest == ""
    assert client.get(f"/kiosk/{hall.a.pk}/").status_code == 403


def test_a_new_code_from_the_admin_is_shown_once(hall):
    _client, kiosk = hall.kiosk()
    admin = Client()
    admin.force_login(hall.admin)

    response = admin.post(
        "/admin/supervision/kiosk/",
        {"action": "issue_new_code", "_selected_action": [kiosk.pk]},
        follow=True,
    )

    [message] = [str(m) for m in response.context["messages"] if "Binding code" in str(m)]
    code = message.split(": ", 1)[1].split(".", 1)[0]
    assert Client().post("/kiosk/", {"code": code}).status_code == 302
