"""Benchmark: the precomputed WorkCalendar against chinese_calendar's own day-by-day loop.

Run from the project folder: ``python bench/calendar.py``. The calendar is built from the
chinese_calendar package, as ``load_calendar`` stores it, with no database. On the same
random inputs (fixed seed: starts over several years, n from 1 to 60) it times
``add_workdays`` and the loop a caller without the precomputation writes — step a day at a time
and ask ``chinese_calendar.is_workday`` — checks that both give the same dates (and the same
counts for ``workdays_between``), and prints the ratio. The target is at least 1,000 times.
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

import chinese_calendar  # noqa: E402
import django  # noqa: E402

django.setup()

from workflow.calendar import chinese_calendar_exceptions  # noqa: E402
from workflow.deadlines import WorkCalendar, add_workdays, workdays_between  # noqa: E402

ONE_DAY = timedelta(days=1)

SEED = 20260214
FAST_OPS = 300_000
REFERENCE_OPS = 5_000
MAX_N = 60  # the longest common periods: 20 + 10 extension, 45 + 15 for joint processing
TARGET = 1_000
# chinese_calendar refuses dates past the last year it knows; 60 working days stay within
# three months, so starts end on 30 September of that year.
LAST_START = (9, 30)


def package_calendar() -> WorkCalendar:
    """The calendar built from what chinese_calendar knows, as ``load_calendar`` stores it."""
    exceptions = chinese_calendar_exceptions()
    overrides = {day: workday for days in exceptions.values() for day, (workday, _) in days.items()}
    return WorkCalendar(overrides, exceptions)


def reference_add_workdays(start: date, n: int) -> date:
    """What the precomputation replaces: walk the days, asking chinese_calendar about each."""
    day = start
    while n > 0:
        day += ONE_DAY
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def reference_workdays_between(start: date, end: date) -> int:
    if end < start:
        return -reference_workdays_between(end, start)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += chinese_calendar.is_workday(day)
    return count


def random_inputs(rng: random.Random, count: int, years: tuple[int, int]) -> list[tuple]:
    """``count`` (start, n, end) with starts from 1 January of the first year to 30 September
    of the last, n from 1 to MAX_N, end up to 80 days from start within the same span."""
    first = date(years[0], 1, 1).toordinal()
    last = date(years[1], *LAST_START).toordinal()
    inputs = []
    for _ in range(count):
        start = rng.randint(first, last)
        end = min(max(start + rng.randint(-80, 80), first), last)
        inputs.append((date.fromordinal(start), rng.randint(1, MAX_N), date.fromordinal(end)))
    return inputs


def ops_per_second(function, inputs) -> float:
    began = time.perf_counter()
    for start, n, _end in inputs:
        function(start, n)
    return len(inputs) / (time.perf_counter() - began)


def main() -> None:
    calendar = package_calendar()
    package_years = sorted(
        {day.year for day in (*chinese_calendar.holidays, *chinese_calendar.workdays)}
    )
    years = (max(package_years[-1] - 7, package_years[0]), package_years[-1])
    print(
        f"chinese_calendar {chinese_calendar.__version__}; "
        f"starts {years[0]}-01-01 to {years[1]}-{LAST_START[0]:02d}-{LAST_START[1]:02d}, "
        f"n from 1 to {MAX_N}"
    )

    inputs = random_inputs(random.Random(SEED), FAST_OPS, years)
    reference_inputs = inputs[:REFERENCE_OPS]
    fast = ops_per_second(lambda s, n: add_workdays(s, n, calendar=calendar), inputs)
    slow = ops_per_second(reference_add_workdays, reference_inputs)
    ratio = fast / slow
    print(f"add_workdays:                     {fast:>12,.0f} ops/s ({FAST_OPS:,} inputs)")
    print(f"chinese_calendar.is_workday loop: {slow:>12,.0f} ops/s (the first {REFERENCE_OPS:,})")
    verdict = "reached" if ratio >= TARGET else "MISSED"
    print(f"ratio {ratio:,.0f}x (target {TARGET:,}x: {verdict})")

    disagreements = 0
    for start, n, end in reference_inputs:
        if add_workdays(start, n, calendar=calendar) != reference_add_workdays(start, n):
            disagreements += 1
        if workdays_between(start, end, calendar=calendar) != reference_workdays_between(
            start, end
        ):
            disagreements += 1
    verdict = "agree" if disagreements == 0 else f"DISAGREE on {disagreements} results"
    print(
        f"checked the same {REFERENCE_OPS:,} inputs for add_workdays and workdays_between "
        f"against chinese_calendar: {verdict}"
    )
    if disagreements:
        sys.exit(1)


if __name__ == "__main__":
    main()
