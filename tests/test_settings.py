import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY="x7!kq2-production-secret-that-is-long-and-random-9f8e7d6c5b4a3",
        ALLOWED_HOSTS="approval.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["check"], DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="approval.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_misspelt_boolean_stops_the_process():
    result = _run(["check"], DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG='flase' is not a boolean" in result.stderr


def test_a_rate_limit_and_the_proxy_count_are_read_from_the_environment():
    result = _run(
        [
            "shell",
            "-c",
            "from django.conf import settings; "
            "print(settings.RATE_LIMITS['login'], settings.TRUSTED_PROXY_COUNT)",
        ],
        RATE_LIMIT_LOGIN="7/hour",
        TRUSTED_PROXY_COUNT="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["7/hour", "2"]


def test_a_rate_limit_in_a_period_drf_would_misread_stops_the_process():
    # DRF reads only the first letter of the period: "5/month" would mean five a minute.
    result = _run(["check"], RATE_LIMIT_VERIFICATION_CODE="5/month")
    assert result.returncode != 0
    assert "RATE_LIMIT_VERIFICATION_CODE='5/month' is not a rate" in result.stderr


def test_a_negative_proxy_count_stops_the_process():
    result = _run(["check"], TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT=-1 must not be negative" in result.stderr


def test_every_environment_variable_the_settings_read_is_documented_in_env_example():
    import re

    settings_source = (ROOT / "approval_center" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|rate|count)\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the settings read no variables at all"
    assert read - documented == set()


def test_an_internal_files_location_without_its_slashes_stops_the_process():
    # "protected-files" would make nginx look up "protected-filescases/…": every download a 404.
    result = _run(["check"], PRIVATE_FILES_ACCEL_REDIRECT="protected-files")
    assert result.returncode != 0
    assert (
        "PRIVATE_FILES_ACCEL_REDIRECT='protected-files' must start and end with /" in result.stderr
    )


def test_a_session_age_too_short_to_work_in_stops_the_process():
    result = _run(["check"], SESSION_COOKIE_AGE="0")
    assert result.returncode != 0
    assert "SESSION_COOKIE_AGE='0' is less than 60" in result.stderr
