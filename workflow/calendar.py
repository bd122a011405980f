"""The working-day calendar as stored: loading it, keeping it fresh, warning when a year is missing.

The arithmetic itself is pure and lives in :mod:`workflow.deadlines`; this module builds the
:class:`~workflow.deadlines.WorkCalendar` from ``CalendarYear`` / ``CalendarDay`` and fills
those tables from the ``chinese_calendar`` package.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import Holiday, holidays, workdays
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from .deadlines import WorkCalendar
from .models import CalendarDay, CalendarYear

# Deadlines are dates in the center's time zone, whatever the server runs in.
SHANGHAI = ZoneInfo("Asia/Shanghai")

# How long before 1 January staff are told that next year's schedule is still missing. The
# State Council usually publishes it in late October or November.
WARNING_DAYS = 60

# CalendarYear.source of years loaded by calendar_load_from_chinese_calendar; any other source
# was entered by an administrator and is never overwritten by the loader.
CHINESE_CALENDAR_SOURCE_PREFIX = "chinese-calendar"

# The calendar is built once per process and kept until it may have changed. Every write to
# the calendar tables goes through calendar_changed(), which sets a new version in the shared
# cache (Redis in production), so every process sees the change on its next read. A write
# that missed it (a shell session, a bulk update) is seen after RECHECK_SECONDS at the latest:
# then the tables' signature is compared again, one aggregate query.
VERSION_KEY = "workflow:calendar-version"
RECHECK_SECONDS = 60

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Cached:
    calendar: WorkCalendar
    signature: tuple
    version: object
    checked_at: float


# A version that matches nothing: the shared cache could not be read.
_UNREADABLE = object()
_cache_lock = threading.Lock()
_cache: _Cached | None = None
# time.monotonic, replaceable by tests that step past the recheck interval.
_monotonic = time.monotonic


def shanghai_today(now: datetime | None = None) -> date:
    """Today's date in Asia/Shanghai (``now`` defaults to the current time)."""
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


def _calendar_signature() -> tuple:
    # One query over both tables. Every admin edit, insert or delete changes a count or
    # bumps an updated_at (auto_now); a bulk queryset.update() would not, so nothing here
    # writes the calendar that way.
    row = CalendarYear.objects.aggregate(
        year_count=Count("pk", distinct=True),
        year_updated=Max("updated_at"),
        day_count=Count("days"),
        day_updated=Max("days__updated_at"),
    )
    return (row["year_count"], row["year_updated"], row["day_count"], row["day_updated"])


def _build_work_calendar() -> WorkCalendar:
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    known_years = CalendarYear.objects.values_list("year", flat=True)
    return WorkCalendar(overrides, known_years)


def _shared_version() -> object:
    try:
        return cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not stop the clock
        logger.warning("the calendar version could not be read from the cache", exc_info=True)
        return _UNREADABLE


def _fresh(cached: _Cached | None, version: object, now: float) -> bool:
    return (
        cached is not None
        and version is not _UNREADABLE
        and cached.version == version
        and now - cached.checked_at < RECHECK_SECONDS
    )


def load_work_calendar() -> WorkCalendar:
    """The working-day calendar from the database, kept in the process until it changes.

    On a warm cache this reads one key of the shared cache and no database row. The tables
    are read again when :func:`calendar_changed` set a new version, or when the last look at
    them is :data:`RECHECK_SECONDS` old and their signature differs.
    """
    global _cache
    version, now = _shared_version(), _monotonic()
    cached = _cache
    if cached is not None and _fresh(cached, version, now):
        return cached.calendar
    with _cache_lock:
        cached = _cache
        if cached is not None and _fresh(cached, version, now):
            return cached.calendar
        # The version was read before the rows, so a change committed in between leaves a
        # newer version behind and is looked at again on the next call.
        signature = _calendar_signature()
        if cached is not None and cached.signature == signature:
            _cache = replace(cached, version=version, checked_at=now)
            return cached.calendar
        calendar = _build_work_calendar()
        _cache = _Cached(calendar=calendar, signature=signature, version=version, checked_at=now)
        return calendar


def clear_work_calendar_cache() -> None:
    """Forget the calendar this process holds (tests whose rows were rolled back)."""
    global _cache
    with _cache_lock:
        _cache = None


def _bump_version() -> None:
    try:
        cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # noqa: BLE001 - the other processes see it within RECHECK_SECONDS
        logger.warning("the calendar version could not be set in the cache", exc_info=True)


def calendar_changed(*, days: Iterable[date], reason: str) -> None:
    """Tell every process that the calendar changed, and re-project the dates measured on it.

    Called by every write to ``CalendarYear`` / ``CalendarDay`` (the admin, the loader), in
    the transaction of the write; ``days`` are the dates whose working-day status may have
    changed. The version is set at once, so this process reads its own write, and again
    after commit, so that a process that rebuilt from the old rows meanwhile builds again.
    The re-projection of open due dates (``workflow.tasks.due_dates_reproject_task``) is
    queued after commit too, when any day changed.
    """
    changed = sorted({day.isoformat() for day in days})
    _bump_version()
    transaction.on_commit(_bump_version)
    if changed:

        def queue() -> None:
            from .tasks import due_dates_reproject_task, publish

            if not publish(
                due_dates_reproject_task, kwargs={"changed_days": changed, "reason": reason}
            ):
                # The broker is down: re-project here rather than lose the change.
                due_dates_reproject_task(changed_days=changed, reason=reason)

        transaction.on_commit(queue)


def missing_schedule_warning(today: date) -> str | None:
    """A message for staff when a year's official schedule is missing, else ``None``.

    Warns when ``today``'s own year is not loaded, or when 1 January of a year that is not
    loaded is at most :data:`WARNING_DAYS` days away. Deadlines in such a year are computed
    as Monday to Friday and will be wrong around its holidays. One query.
    """
    next_new_year = date(today.year + 1, 1, 1)
    days_left = (next_new_year - today).days
    years = [today.year]
    if days_left <= WARNING_DAYS:
        years.append(next_new_year.year)
    loaded = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    if today.year not in loaded:
        return gettext(
            "The official holiday schedule for %(year)s is not loaded: deadlines in %(year)s "
            "are computed as Monday to Friday. A catalog administrator should add the year "
            "under Administration, Calendar years."
        ) % {"year": today.year}
    if days_left <= WARNING_DAYS and next_new_year.year not in loaded:
        return ngettext(
            "The official holiday schedule for %(year)s is not loaded and the year starts in "
            "%(days)d day: deadlines in %(year)s are computed as Monday to Friday until a "
            "catalog administrator adds it under Administration, Calendar years.",
            "The official holiday schedule for %(year)s is not loaded and the year starts in "
            "%(days)d days: deadlines in %(year)s are computed as Monday to Friday until a "
            "catalog administrator adds it under Administration, Calendar years.",
            days_left,
        ) % {"year": next_new_year.year, "days": days_left}
    return None


def chinese_calendar_source() -> str:
    """The CalendarYear.source written by the loader, e.g. ``"chinese-calendar 1.11.0"``."""
    return f"{CHINESE_CALENDAR_SOURCE_PREFIX} {chinese_calendar.__version__}"


def chinese_calendar_exceptions() -> dict[int, dict[date, tuple[bool, str]]]:
    """The exceptions to Monday–Friday that ``chinese_calendar`` knows, by year.

    Each year maps a date to ``(is_workday, name)``: holidays falling Monday to Friday
    (``False``) and make-up working days falling on a weekend (``True``), named after their
    holiday in Chinese (春节, 国庆节…). Holidays on a weekend and ordinary weekdays are left
    out, as ``CalendarDay`` stores only exceptions. No database access.
    """

    def chinese_name(english: str) -> str:
        try:
            return Holiday(english).chinese
        except ValueError:
            return english

    years: dict[int, dict[date, tuple[bool, str]]] = {}
    for day in (*holidays, *workdays):
        years.setdefault(day.year, {})
    for day, english in holidays.items():
        if day.weekday() < 5:
            years[day.year][day] = (False, chinese_name(english))
    for day, english in workdays.items():
        if day.weekday() >= 5:
            years[day.year][day] = (True, chinese_name(english))
    return {year: dict(sorted(days.items())) for year, days in sorted(years.items())}


def calendar_load_from_chinese_calendar() -> list[int]:
    """Load every year ``chinese_calendar`` knows into CalendarYear / CalendarDay.

    Returns the years loaded, in order. Idempotent: rows already right are not written (so
    their ``updated_at`` and the cached calendar stay as they are), changed ones are updated,
    and days the package no longer lists are deleted. A year whose source does not start with
    ``"chinese-calendar"`` was entered by an administrator from the State Council notice and
    is left untouched. When anything changed, :func:`calendar_changed` tells every process and
    re-projects the open due dates measured on the days that changed.
    """
    source = chinese_calendar_source()
    loaded: list[int] = []
    changed_days: list[date] = []
    years_changed = False
    for year, exceptions in chinese_calendar_exceptions().items():
        with transaction.atomic():
            calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
            if calendar_year is None:
                calendar_year = CalendarYear.objects.create(year=year, source=source)
                years_changed = True
            elif not calendar_year.source.startswith(CHINESE_CALENDAR_SOURCE_PREFIX):
                continue
            elif calendar_year.source != source:
                calendar_year.source = source
                calendar_year.save(update_fields=["source", "updated_at"])
            changed_days += _store_days(calendar_year, exceptions)
        loaded.append(year)
    if years_changed or changed_days:
        reason = gettext("Holiday schedules loaded from %(source)s.") % {"source": source}
        calendar_changed(days=changed_days, reason=reason)
    return loaded


def _store_days(
    calendar_year: CalendarYear, exceptions: dict[date, tuple[bool, str]]
) -> list[date]:
    """Write the year's exception days; returns the dates whose working-day status changed."""
    existing = {day.date: day for day in CalendarDay.objects.filter(date__year=calendar_year.year)}
    stale = [row for day, row in existing.items() if day not in exceptions]
    changed = [row.date for row in stale]
    if stale:
        CalendarDay.objects.filter(pk__in=[row.pk for row in stale]).delete()
    new = []
    for day, (is_workday, name) in exceptions.items():
        row = existing.get(day)
        if row is None:
            new.append(CalendarDay(year=calendar_year, date=day, is_workday=is_workday, name=name))
            changed.append(day)
        elif (row.year_id, row.is_workday, row.name) != (calendar_year.pk, is_workday, name):
            if row.is_workday != is_workday:
                changed.append(day)
            row.year, row.is_workday, row.name = calendar_year, is_workday, name
            # save(), not bulk_update(): only save() bumps updated_at, which the cache watches.
            row.save()
    CalendarDay.objects.bulk_create(new)
    return changed
