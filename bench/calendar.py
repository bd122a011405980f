"""Benchmark: the precomputed WorkCalendar against a naive day-by-day loop.

Run from the project folder: ``python bench/calendar.py``. Uses the calendar in the database
when one is loaded, else builds it straight from the chinese_calendar package. Prints the
operations per second of both and checks that they agree on random inputs (fixed seed).
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "python bench/calendar.py" puts bench/ first on sys.path, where this file would shadow the
# standard library's calendar module that Django imports.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")

import django  # noqa: E402

django.setup()

from django.db import DatabaseError  # noqa: E402

from workflow.calendar import chinese_calendar_exceptions, load_work_calendar  # noqa: E402
from workflow.deadlines import WorkCalendar, add_workdays, workdays_between  # noqa: E402
from workflow.models import CalendarDay, CalendarYear  # noqa: E402

SEED = 20260214
FAST_OPS = 300_000
NAIVE_OPS = 20_000
CHECKS = 5_000
MAX_N = 60  # the longest common periods: 20 + 10 extension, 45 + 15 for joint processing


def load_calendar() -> tuple[WorkCalendar, dict[date, bool], str]:
    """The calendar, the raw overrides it was built from, and where they came from."""
    try:
        if CalendarYear.objects.exists():
            overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
            return load_work_calendar(), overrides, "database"
    except DatabaseError:
        pass  # no database or not migrated: use the package
    exceptions = chinese_calendar_exceptions()
    overrides = {day: workday for days in exceptions.values() for day, (workday, _) in days.items()}
    return WorkCalendar(overrides, exceptions), overrides, "chinese_calendar package"


class NaiveCalendar:
    """What the precomputation replaces: look at each day in turn."""

    def __init__(self, overrides: dict[date, bool]) -> None:
        self.overrides = overrides

    def is_workday(self, day: date) -> bool:
        workday = self.overrides.get(day)
        return day.weekday() < 5 if workday is None else workday

    def add_workdays(self, start: date, n: int) -> date:
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


def random_inputs(rng: random.Random, count: int, years: tuple[int, int]) -> list[tuple]:
    first = date(years[0], 1, 1).toordinal()
    last = date(years[1], 12, 31).toordinal()
    return [
        (start, rng.randint(0, MAX_N), start + timedelta(days=rng.randint(-400, 400)))
        for start in (date.fromordinal(rng.randint(first, last)) for _ in range(count))
    ]


def ops_per_second(function, inputs) -> float:
    began = time.perf_counter()
    for start, n, _end in inputs:
        function(start, n)
    return len(inputs) / (time.perf_counter() - began)


def main() -> None:
    calendar, overrides, origin = load_calendar()
    naive = NaiveCalendar(overrides)
    years = sorted(calendar.known_years) or [2025]
    print(f"calendar from the {origin}, known years {years[0]}–{years[-1]}")

    rng = random.Random(SEED)
    span = (years[0], years[-1] + 1)
    fast_inputs = random_inputs(rng, FAST_OPS, span)
    fast = ops_per_second(lambda s, n: add_workdays(s, n, calendar=calendar), fast_inputs)
    slow = ops_per_second(naive.add_workdays, fast_inputs[:NAIVE_OPS])
    print(
        f"add_workdays: {fast:,.0f} ops/s; naive loop: {slow:,.0f} ops/s; "
        f"ratio {fast / slow:.1f}x (n from 0 to {MAX_N})"
    )

    disagreements = 0
    for start, n, end in random_inputs(random.Random(SEED + 1), CHECKS, span):
        if add_workdays(start, n, calendar=calendar) != naive.add_workdays(start, n):
            disagreements += 1
        if workdays_between(start, end, calendar=calendar) != naive.workdays_between(start, end):
            disagreements += 1
    verdict = "agree" if disagreements == 0 else f"DISAGREE on {disagreements} results"
    print(f"checked {CHECKS:,} random add_workdays and workdays_between inputs: {verdict}")
    if disagreements:
        sys.exit(1)


if __name__ == "__main__":
    main()
