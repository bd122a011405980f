"""A broker that is down holds no request: the action answers at once, its notifications stay
pending, and the periodic sweep delivers them once the broker is back."""

import socket
import time
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from rest_framework.test import APIClient

from approval_center.celery import app
from tests.factories.calendar import CalendarYearFactory
from tests.factories.catalog import UserFactory
from tests.factories.workflow import at, department_staff, item_with_procedure, submitted_case
from workflow import services
from workflow.calendar import calendar_changed
from workflow.models import CalendarDay, CaseStatus, Notification, NotificationStatus
from workflow.tasks import notifications_deliver, notifications_sweep, publish

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
REDIS = settings.CELERY_BROKER_URL.startswith("redis://")


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def broker(url: str):
    """The app publishing to ``url``, tasks no longer run in the process."""
    # Publishing goes to the write URL (the environment's CELERY_BROKER_URL would win over
    # broker_url).
    saved = (app.conf.broker_write_url, app.conf.task_always_eager)

    def forget_connections() -> None:
        # The producer pools were made for the previous URL.
        app.amqp._producer_pool = None
        app._pool = None

    forget_connections()
    app.conf.broker_write_url, app.conf.task_always_eager = url, False
    try:
        yield
    finally:
        forget_connections()
        app.conf.broker_write_url, app.conf.task_always_eager = saved


@pytest.fixture
def case_and_clerk():
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    case = submitted_case(version, UserFactory(email="zhangsan@example.cn"), now=at(MONDAY))
    return case, staff.clerk


def test_an_action_answers_at_once_when_the_broker_is_down(
    case_and_clerk, django_capture_on_commit_callbacks
):
    case, clerk = case_and_clerk
    client = APIClient()
    client.force_authenticate(clerk)

    with broker(f"redis://127.0.0.1:{closed_port()}/0"):
        # A process that has served before: its URLs, calendar and broker client are loaded.
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
        assert publish(notifications_deliver, ([],)) is False
        began = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/api/v1/cases/{case.pk}/accept/", {}, format="json")
        elapsed = time.perf_counter() - began

    assert response.status_code == 200, response.content
    # Waiting on the broker would take seconds (kombu's retries, a socket's connect timeout);
    # the bound leaves room for a busy machine, not for one wait.
    assert elapsed < 1.5, f"the action took {elapsed:.2f} s"
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    pending = Notification.objects.filter(case=case, status=NotificationStatus.PENDING)
    assert pending.count() >= 2  # the applicant's SMS and e-mail, the handlers' e-mail


def test_a_calendar_change_with_the_broker_down_is_re_projected_in_the_process(
    case_and_clerk, django_capture_on_commit_callbacks
):
    case, clerk = case_and_clerk
    services.case_accept(case=case, by=clerk, now=at(MONDAY))
    case.refresh_from_db()
    before = case.due_on
    holiday = date(2026, 11, 18)  # a Wednesday of the case's period becomes a holiday

    year = CalendarYearFactory(year=2026)
    with (
        broker(f"redis://127.0.0.1:{closed_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        CalendarDay.objects.create(
            year=year,
            date=holiday,
            is_workday=False,
            name="测试",
        )
        calendar_changed(days=[holiday], reason="测试")

    case.refresh_from_db()
    assert case.due_on > before


@pytest.mark.skipif(not REDIS, reason="needs CELERY_BROKER_URL pointing at Redis (.ci/run)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_notifications_left_pending_are_delivered_once_the_broker_is_back(
    case_and_clerk, mailoutbox
):
    case, clerk = case_and_clerk
    client = APIClient()
    client.force_authenticate(clerk)
    with broker(f"redis://127.0.0.1:{closed_port()}/0"):
        assert client.post(f"/api/v1/cases/{case.pk}/accept/", {}, format="json").status_code == 200
    rows = Notification.objects.filter(case=case)
    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.PENDING}

    # The broker is back: the beat's periodic sweep goes through it to a worker.
    queue = f"test-{uuid.uuid4().hex}"
    saved_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        with (
            broker(settings.CELERY_BROKER_URL),
            start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]),
        ):
            notifications_sweep.delay()
            deadline = time.monotonic() + 30
            while rows.filter(status=NotificationStatus.PENDING).exists():
                assert time.monotonic() < deadline, "the sweep did not deliver"
                time.sleep(0.1)
    finally:
        app.conf.task_default_queue = saved_queue

    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.SENT}
    case.refresh_from_db()
    assert any(case.number in message.body for message in mailoutbox)
