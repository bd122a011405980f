"""The daily summary (绩效日汇总): the figures of each day per department and per window, which
the performance report adds up (:mod:`supervision.performance`).

Never a loop over cases: for each run of consecutive days, one ``DELETE`` of the days' rows and
one ``INSERT … SELECT`` whose source is a ``UNION ALL`` of one ``GROUP BY`` per figure source
(cases received, accepted, decided, completed; ratings; rectifications; complaints; cards;
urges; and per window what its clerks accepted and handed over and the ratings given there),
summed per day, department and window. Each figure counts on the day it happened:

* received ``received_on``; accepted ``accepted_on``; completed ``delivered_on`` of a completed
  case (immediate: of an immediate item);
* decided ``decided_on``, on time when ``decided_on <= due_on`` (the due date already moved by
  extensions and suspensions); working days used = working days from ``accepted_on`` to
  ``decided_on`` (a case decided on the day it was accepted used 0, one decided on its due
  date used its limit) minus the working days it was suspended; promised and statutory
  working days are its limits, so ``1 − used / statutory`` is the speed-up;
* ratings ``rated_on`` (excluded ones left out; poor ones counted apart); rectifications opened
  ``opened_on``, answered ``answered_on`` (on time when ``answered_on <= due_on``; those
  cancelled by an upheld appeal left out); complaints filed ``filed_on``, answered
  ``answered_on`` (on time when ``answered_on <= answer_due_on``); yellow and red cards
  ``raised_on`` (revoked ones left out); urges ``sent_on``, answered on time when answered by
  their due date.

Working days come from a temporary table of working-day ordinals computed once here with the
calendar (:func:`workflow.calendar.load_work_calendar`) for the dates the decided cases span,
as the scan turns its thresholds into dates. The SQL is one text for PostgreSQL and SQLite;
only the advisory lock and ``ANALYZE`` are PostgreSQL's. The whole run is one transaction
under a PostgreSQL advisory lock, so two runs never overlap (the second is ``skipped``). The
days of a closed month are never rewritten.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Department, Window
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.models import Case, CaseEvent, Suspension

from .models import Alert, Rating, Rectification, Urge
from .models.complaints import Complaint
from .models.performance import COUNTERS, DailySummary, PerformanceMonth

SUMMARY_LOCK = zlib.crc32(b"supervision.summary")

WORKDAYS = "supervision_summary_workday"


@dataclass(frozen=True)
class SummaryResult:
    """What one run did: the days rewritten (closed months' days left out), the summary rows
    written, and the statements sent (the same for ten cases as for ten million)."""

    days: int = 0
    rows: int = 0
    statements: int = 0
    skipped: bool = False


def summary_tables() -> dict[str, str]:
    return {
        "summary": DailySummary._meta.db_table,
        "case": Case._meta.db_table,
        "event": CaseEvent._meta.db_table,
        "suspension": Suspension._meta.db_table,
        "department": Department._meta.db_table,
        "window": Window._meta.db_table,
        "clerks": Window.clerks.through._meta.db_table,
        "rating": Rating._meta.db_table,
        "rectification": Rectification._meta.db_table,
        "complaint": Complaint._meta.db_table,
        "alert": Alert._meta.db_table,
        "urge": Urge._meta.db_table,
        "workday": WORKDAYS,
    }


def _branch(
    source: str,
    day: str,
    figures: dict[str, str],
    *,
    window: str = "CAST(NULL AS bigint)",
    by_day: bool = True,
) -> str:
    """One SELECT of the union: day, department_id, window_id and every counter (0 for those
    the source does not count), grouped by day, department (and window); without ``by_day``
    grouped by department only (day NULL)."""
    columns = ", ".join(f"{figures.get(name, '0')} AS {name}" for name in COUNTERS)
    group = (f"{day}, " if by_day else "") + "department_id"
    group += "" if window.startswith("CAST") else f", {window}"
    shown = day if by_day else "CAST(NULL AS date)"
    return (
        f"SELECT {shown} AS day, department_id AS department_id, {window} AS window_id, "
        f"{columns} {source} GROUP BY {group}"
    )


def _count_if(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def department_branches(*, by_day: bool = True) -> list[str]:
    """The SELECTs of the department figures: day, department, window (NULL), counters;
    without ``by_day`` per department over the whole period (what a report straight from the
    case table would run, see bench/supervision.py)."""
    between = "BETWEEN %(start)s AND %(end)s"
    branch = partial(_branch, by_day=by_day)
    return [
        branch(
            f"FROM {{case}} WHERE received_on {between}", "received_on", {"received": "COUNT(*)"}
        ),
        branch(
            f"FROM {{case}} WHERE accepted_on {between}", "accepted_on", {"accepted": "COUNT(*)"}
        ),
        # Decided cases: the working days used from the ordinals of the calendar table.
        branch(
            f"""FROM (
                SELECT c.decided_on AS decided_on, c.department_id AS department_id,
                       c.due_on AS due_on, c.promised_limit AS promised_limit,
                       c.statutory_limit AS statutory_limit,
                       CASE WHEN dw.n - aw.n - COALESCE(s.days, 0) > 0
                            THEN dw.n - aw.n - COALESCE(s.days, 0) ELSE 0 END AS used
                FROM {{case}} c
                JOIN {{workday}} dw ON dw.day = c.decided_on
                JOIN {{workday}} aw ON aw.day = c.accepted_on
                LEFT JOIN (SELECT case_id, SUM(workdays) AS days FROM {{suspension}}
                           WHERE workdays IS NOT NULL GROUP BY case_id) s ON s.case_id = c.id
                WHERE c.decided_on {between} AND c.accepted_on IS NOT NULL
            ) decided""",
            "decided_on",
            {
                "decided": "COUNT(*)",
                "decided_on_time": _count_if("decided_on <= due_on"),
                "workdays_used": "SUM(used)",
                "promised_days": "SUM(COALESCE(promised_limit, 0))",
                "statutory_days": "SUM(COALESCE(statutory_limit, 0))",
            },
        ),
        branch(
            f"FROM {{case}} WHERE delivered_on {between} AND status = 'completed'",
            "delivered_on",
            {"completed": "COUNT(*)", "immediate": _count_if("is_immediate")},
        ),
        branch(
            f"FROM {{rating}} WHERE rated_on {between} AND NOT excluded",
            "rated_on",
            {"ratings": "COUNT(*)", "ratings_poor": _count_if("poor")},
        ),
        branch(
            f"FROM {{rectification}} WHERE opened_on {between} AND status <> 'cancelled'",
            "opened_on",
            {"rectifications_opened": "COUNT(*)"},
        ),
        branch(
            f"FROM {{rectification}} WHERE answered_on {between} AND status <> 'cancelled'",
            "answered_on",
            {
                "rectifications_answered": "COUNT(*)",
                "rectifications_on_time": _count_if("answered_on <= due_on"),
            },
        ),
        branch(
            f"FROM {{complaint}} WHERE filed_on {between}", "filed_on", {"complaints": "COUNT(*)"}
        ),
        branch(
            f"FROM {{complaint}} WHERE answered_on {between}",
            "answered_on",
            {
                "complaints_answered": "COUNT(*)",
                "complaints_on_time": _count_if("answered_on <= answer_due_on"),
            },
        ),
        branch(
            f"FROM {{alert}} WHERE raised_on {between} AND revoked_on IS NULL "
            "AND level IN ('yellow', 'red')",
            "raised_on",
            {
                "yellow_cards": _count_if("level = 'yellow'"),
                "red_cards": _count_if("level = 'red'"),
            },
        ),
        branch(
            f"FROM {{urge}} WHERE sent_on {between}",
            "sent_on",
            {
                "urges": "COUNT(*)",
                "urges_answered_on_time": _count_if(
                    "status = 'answered' AND answered_on <= due_on"
                ),
            },
        ),
    ]


def _window_branches() -> list[str]:
    """Per window: what its clerks accepted and handed over, the ratings given there."""
    between = "BETWEEN %(start)s AND %(end)s"
    return [
        _branch(
            f"""FROM (
                SELECT c.accepted_on AS day, c.department_id AS department_id,
                       wc.window_id AS window_id
                FROM {{case}} c
                JOIN {{event}} e ON e.case_id = c.id AND e.action = 'accept'
                JOIN {{clerks}} wc ON wc.user_id = e.actor_id
                WHERE c.accepted_on {between}
            ) intake""",
            "day",
            {"accepted": "COUNT(*)"},
            window="window_id",
        ),
        _branch(
            f"""FROM (
                SELECT c.delivered_on AS day, c.department_id AS department_id,
                       wc.window_id AS window_id, c.is_immediate AS is_immediate
                FROM {{case}} c
                JOIN {{event}} e ON e.case_id = c.id AND e.action = 'deliver'
                JOIN {{clerks}} wc ON wc.user_id = e.actor_id
                WHERE c.delivered_on {between} AND c.status = 'completed'
            ) handover""",
            "day",
            {"completed": "COUNT(*)", "immediate": _count_if("is_immediate")},
            window="window_id",
        ),
        _branch(
            f"FROM {{rating}} WHERE rated_on {between} AND NOT excluded AND window_id IS NOT NULL",
            "rated_on",
            {"ratings": "COUNT(*)", "ratings_poor": _count_if("poor")},
            window="window_id",
        ),
    ]


def _insert_sql(tables: dict[str, str]) -> str:
    names = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM(u.{name})" for name in COUNTERS)
    union = "\nUNION ALL\n".join([*department_branches(), *_window_branches()])
    return (
        f"INSERT INTO {{summary}} (day, department_id, center_id, window_id, {names}) "
        f"SELECT u.day, u.department_id, COALESCE(w.center_id, d.center_id), u.window_id, {sums} "
        f"FROM ({union}) u "
        "JOIN {department} d ON d.id = u.department_id "
        "LEFT JOIN {window} w ON w.id = u.window_id "
        "GROUP BY u.day, u.department_id, u.window_id, w.center_id, d.center_id"
    ).format(**tables)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def open_days(*, today: date) -> list[date]:
    """The days the periodic run rewrites: those of last month and of this month up to
    ``today`` (closed months left out by :func:`summarize`). Events land on the day they
    happen, so older months only change by a late review or correction; the month's closing
    summarizes it once more first, and ``manage.py summarize --from`` rewrites any range."""
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def workday_table(cursor, tables: dict[str, str], start: date, end: date, postgres: bool) -> None:
    """The temporary table of working-day ordinals for every date from the earliest
    acceptance of a case decided in ``start``–``end`` to ``end``."""
    day = connection.ops.adapt_datefield_value
    cursor.execute(
        # An expression, not the bare column: PostgreSQL would otherwise walk the index of
        # accepted_on from its start (the min/max shortcut) instead of the day's decisions.
        f"SELECT MIN(CASE WHEN decided_on IS NOT NULL THEN accepted_on END) "
        f"FROM {tables['case']} WHERE decided_on BETWEEN %s AND %s",
        [day(start), day(end)],
    )
    earliest = cursor.fetchone()[0]
    if isinstance(earliest, str):
        earliest = date.fromisoformat(earliest)
    first = min(earliest or start, start)
    calendar = load_work_calendar()
    cursor.execute(f"DROP TABLE IF EXISTS {WORKDAYS}")
    cursor.execute(f"CREATE TEMPORARY TABLE {WORKDAYS} (day date PRIMARY KEY, n integer NOT NULL)")
    rows = [
        (
            day(first + timedelta(days=i)),
            calendar.workdays_between(first, first + timedelta(days=i)),
        )
        for i in range((end - first).days + 1)
    ]
    cursor.executemany(f"INSERT INTO {WORKDAYS} (day, n) VALUES (%s, %s)", rows)
    if postgres:
        cursor.execute(f"ANALYZE {WORKDAYS}")


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def summarize(*, days: list[date] | None = None, now: datetime | None = None) -> SummaryResult:
    """Rewrite the daily summary of ``days`` (by default every day of the months not yet
    closed, up to today in Asia/Shanghai) in one transaction: per run of consecutive days one
    ``DELETE`` and one set-based ``INSERT … SELECT``. Days of closed months are skipped: a
    closed month is frozen. Safe to run again (the same rows come out) and at once (a run that
    finds another one running does nothing and says ``skipped``)."""
    now = now or timezone.now()
    today = shanghai_today(now)
    wanted = open_days(today=today) if days is None else list(days)
    closed = set(PerformanceMonth.objects.values_list("month", flat=True))
    wanted = [d for d in wanted if d.replace(day=1) not in closed]
    if not wanted:
        return SummaryResult()
    counter = _Counter()
    tables = summary_tables()
    insert = _insert_sql(tables)
    day = connection.ops.adapt_datefield_value
    rows = 0
    with transaction.atomic(), connection.execute_wrapper(counter):
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SUMMARY_LOCK])
                if not cursor.fetchone()[0]:
                    return SummaryResult(skipped=True, statements=counter.count)
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
            for start, end in _runs(wanted):
                workday_table(cursor, tables, start, end, postgres)
                params: dict[str, Any] = {"start": day(start), "end": day(end)}
                cursor.execute(
                    f"DELETE FROM {tables['summary']} WHERE day BETWEEN %(start)s AND %(end)s",
                    params,
                )
                cursor.execute(insert, params)
                rows += cursor.rowcount
                cursor.execute(f"DROP TABLE {WORKDAYS}")
    return SummaryResult(days=len(set(wanted)), rows=rows, statements=counter.count)
