import pytest
from django.db.backends.signals import connection_created


def _allow_flushing_case_events(sender, connection, **kwargs):
    # On PostgreSQL the timeline refuses TRUNCATE unless the owner asks for it in its session
    # (workflow/migrations/0007_case_event_append_only.py). Transactional tests end with a
    # flush that truncates every table: the test connections ask, and only they do.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET approval_center.flush_case_events = 'on'")


connection_created.connect(_allow_flushing_case_events)


@pytest.fixture(autouse=True)
def _language(settings):
    # Tests read messages by their English msgids; tests of the Chinese pages ask for zh-hans
    # explicitly (the `zh_hans` fixture), since zh-hans is the product's default.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def zh_hans(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Case factories make accounts by the dozen; the production hasher would spend most of the
    # run hashing their passwords and tests nothing here. Logging in works the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Rolled-back test data can repeat an earlier cache signature, and DRF throttles count
    # requests in the default cache: every test starts with both empty.
    from django.core.cache import cache

    from workflow.calendar import clear_work_calendar_cache
    from workflow.versions import forget_item_versions

    cache.clear()
    clear_work_calendar_cache()
    forget_item_versions()
    yield
    cache.clear()
    clear_work_calendar_cache()
    forget_item_versions()


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_tasks_in_process():
    # Tests run tasks in-process so that they see the test's own transaction; the tests in
    # tests/workflow/test_celery_broker.py switch this off and go through the real broker.
    from approval_center.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
