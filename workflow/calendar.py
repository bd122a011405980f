"""The working-day calendar as stored: loading it, keeping it fresh, warning when a year is missing.

The arithmetic itself is pure and lives in :mod:`workflow.deadlines`; this module builds the
:class:`~workflow.deadlines.WorkCalendar` from ``CalendarYear`` / ``CalendarDay`` and fills
those tables from the ``chinese_calendar`` package.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import Holiday, holidays, workdays
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

_cache_lock = threading.Lock()
_cache: tuple[tuple, WorkCalendar] | None = None


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


def load_work_calendar() -> WorkCalendar:
    """The working-day calendar from the database, rebuilt only when the stored data change.

    Each call costs one aggregate query; the tables are read again only when that signature
    differs from the one the cached calendar was built under.
    """
    global _cache
    signature = _calendar_signature()
    cached = _cache
    if cached is not None and cached[0] == signature:
        return cached[1]
    with _cache_lock:
        cached = _cache
        if cached is not None and cached[0] == signature:
            return cached[1]
        # The rows are read after the signature, so the calendar is at least as new as the
        # signature it is stored under; a change in between only causes one extra rebuild.
        calendar = _build_work_calendar()
        _cache = (signature, calendar)
        return calendar


def clear_work_calendar_cache() -> None:
    """Forget the cached calendar (tests whose rows may repeat an earlier signature)."""
    global _cache
    with _cache_lock:
        _cache = None


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
    is left untouched.
    """
    source = chinese_calendar_source()
    loaded: list[int] = []
    for year, exceptions in chinese_calendar_exceptions().items():
        with transaction.atomic():
            calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
            if calendar_year is None:
                calendar_year = CalendarYear.objects.create(year=year, source=source)
            elif not calendar_year.source.startswith(CHINESE_CALENDAR_SOURCE_PREFIX):
                continue
            elif calendar_year.source != source:
                calendar_year.source = source
                calendar_year.save(update_fields=["source", "updated_at"])
            _store_days(calendar_year, exceptions)
        loaded.append(year)
    return loaded


def _store_days(calendar_year: CalendarYear, exceptions: dict[date, tuple[bool, str]]) -> None:
    existing = {day.date: day for day in CalendarDay.objects.filter(date__year=calendar_year.year)}
    stale = [row.pk for day, row in existing.items() if day not in exceptions]
    if stale:
        CalendarDay.objects.filter(pk__in=stale).delete()
    new = []
    for day, (is_workday, name) in exceptions.items():
        row = existing.get(day)
        if row is None:
            new.append(CalendarDay(year=calendar_year, date=day, is_workday=is_workday, name=name))
        elif (row.year_id, row.is_workday, row.name) != (calendar_year.pk, is_workday, name):
            row.year, row.is_workday, row.name = calendar_year, is_workday, name
            # save(), not bulk_update(): only save() bumps updated_at, which the cache watches.
            row.save()
    CalendarDay.objects.bulk_create(new)
