"""Project-wide behaviour: production refuses demo data, the API throttles, Celery is wired."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from approval_center.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_refuse_the_demo_city_even_when_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DEBUG="0",
        DEMO_DATA_ALLOWED="1",
        SECRET_KEY="x7!kq2-production-secret-that-is-long-and-random-9f8e7d6c5b4a3",
        ALLOWED_HOSTS="approval.example.gov.cn",
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEMO_DATA_ALLOWED" in result.stderr


def test_every_periodic_task_in_the_beat_schedule_is_a_registered_task(settings):
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled
    assert scheduled <= set(celery_app.tasks)


@pytest.mark.django_db
def test_anonymous_api_callers_are_throttled_with_a_429(client, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        url = reverse("api-department-list")
        statuses = [client.get(url).status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_the_admin_speaks_of_the_center_not_of_django(admin_client, zh_hans):
    page = admin_client.get("/admin/").content.decode()
    assert "Django" not in page.split("<title>")[1].split("</title>")[0]
