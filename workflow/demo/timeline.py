"""Time for the demo cases: days counted back in working days, moments never after the load, and
every case's actions played in the order they happened.

Each demo case is a script: a generator that yields the moment of its next action and takes it
when resumed. :func:`play` resumes the scripts in the order of those moments, across all cases,
so that case and notice numbers, which the services draw from per-day and per-year sequences,
come out in the order of the dates they carry.
"""

from __future__ import annotations

import heapq
from collections.abc import Generator, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..calendar import shanghai_today
from ..deadlines import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Scheduled moments fall in these hours of the day (staff from 08:30, applicants online into
# the evening). Those of the load's own day are squeezed in before the load's moment.
DAY_OPENS = timedelta(hours=8)
DAY_CLOSES = timedelta(hours=22)

# A script yields the moment of its next action; it returns when the case is built.
Script = Generator[datetime, None, Any]


class DemoClock:
    """The load's moment, and the days and moments of the demo before it."""

    def __init__(self, now: datetime, calendar: WorkCalendar) -> None:
        self.now = now
        self.today = shanghai_today(now)
        self.calendar = calendar
        self._days: list[date] = [self.today]

    def day(self, ago: int) -> date:
        """The working day ``ago`` working days before today (today itself for 0)."""
        while len(self._days) <= ago:
            day = self._days[-1] - timedelta(days=1)
            while not self.calendar.is_workday(day):
                day -= timedelta(days=1)
            self._days.append(day)
        return self._days[ago]

    def moment(self, day: date, after_opening: timedelta) -> datetime:
        """``after_opening`` after 08:00 on ``day``, in Asia/Shanghai.

        On the load's own day the hours from 08:00 to 22:00 are mapped, in order, onto the part
        of the day already gone: a demo loaded at 07:00 has its morning acceptances between
        midnight and 07:00, never in the future.
        """
        assert day <= self.today and timedelta(0) <= after_opening < DAY_CLOSES - DAY_OPENS
        midnight = datetime.combine(day, time(), tzinfo=SHANGHAI)
        offset = DAY_OPENS + after_opening
        if day == self.today:
            elapsed = self.now.astimezone(SHANGHAI) - midnight
            share = after_opening / (DAY_CLOSES - DAY_OPENS)
            if elapsed < DAY_CLOSES:
                start = DAY_OPENS if elapsed > DAY_OPENS else timedelta(0)
                offset = start + (elapsed - start) * share
        return min(midnight + offset, self.now).astimezone(SHANGHAI)


def play(scripts: Iterable[Script]) -> None:
    """Run ``scripts`` together, each action at its moment, earliest first; a tie goes to the
    script listed first."""
    queue: list[tuple[datetime, int, Script]] = []
    for order, script in enumerate(scripts):
        _resume(queue, order, script, None)
    while queue:
        at, order, script = heapq.heappop(queue)
        _resume(queue, order, script, at)


def _resume(
    queue: list[tuple[datetime, int, Script]], order: int, script: Script, last: datetime | None
) -> None:
    try:
        at = next(script)
    except StopIteration:
        return
    # A script that went back in time would act before what it said came first.
    assert last is None or at >= last, (last, at)
    heapq.heappush(queue, (at, order, script))


def together(scripts: list[Script]) -> Script:
    """Several scripts as one, their actions in the order of their moments."""
    pending: list[tuple[datetime, int, Script]] = []
    for order, script in enumerate(scripts):
        moment = next(script, None)
        if moment is not None:
            pending.append((moment, order, script))
    while pending:
        pending.sort(key=lambda entry: (entry[0], entry[1]))
        moment, order, script = pending.pop(0)
        yield moment
        following = next(script, None)
        if following is not None:
            pending.append((following, order, script))
