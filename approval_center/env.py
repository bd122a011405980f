"""Typed readers for environment variables that fail loudly on a bad value.

A typo such as ``DEBUG=flase`` must stop the process at start-up, not quietly switch a
production server into debug mode.
"""

import os
import re

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# DRF's rate syntax. DRF itself reads only the period's first letter, so "5/month" would quietly
# mean five a minute: only the words it means are accepted.
_RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")


class EnvError(ValueError):
    pass


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise EnvError(f"{name}={raw!r} is less than {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_rate(name: str, default: str) -> str:
    """A request rate such as ``10/minute`` (a positive count per second, minute, hour or day)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if not _RATE.fullmatch(value):
        raise EnvError(
            f"{name}={raw!r} is not a rate (use a count per second/minute/hour/day, e.g. 10/minute)"
        )
    return value


def env_count(name: str, default: int) -> int:
    """A whole number that is zero or more."""
    value = env_int(name, default)
    if value < 0:
        raise EnvError(f"{name}={value!r} must not be negative")
    return value
