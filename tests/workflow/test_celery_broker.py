"""Periodic work really travels through the configured broker to a worker (Redis in CI)."""

import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from approval_center.celery import app
from catalog.models import Role
from tests.factories import staff_user
from tests.factories.calendar import CalendarYearFactory
from workflow.tasks import calendar_coverage_check

pytestmark = [
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs CELERY_BROKER_URL pointing at Redis (set by .ci/run)",
    ),
    # The worker thread only sees committed rows. Like every transactional test here, it
    # restores the seeded rows by serialized rollback instead of a flush and re-seeding.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def redis_worker():
    """A worker thread consuming a queue of this test's own, through the real broker."""
    queue = f"test-{uuid.uuid4().hex}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
            yield
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved


@time_machine.travel(datetime(2026, 11, 22, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_the_coverage_check_sent_to_redis_is_run_by_a_worker_and_mails_the_administrator(
    mailoutbox, redis_worker
):
    CalendarYearFactory(year=2026)
    admin = staff_user(Role.CATALOG_ADMINISTRATOR)
    admin.email = "shengaiban@example.cn"
    admin.save()

    calendar_coverage_check.delay()

    deadline = time.monotonic() + 30
    while not mailoutbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [message.to for message in mailoutbox] == [["shengaiban@example.cn"]]
    assert "2027" in mailoutbox[0].body
