"""Benchmark: the supervision scan at province scale, in milliseconds and statements.

Run from the project folder; the role needs CREATEDB (the default URL is the local server's
``postgres`` role over trust authentication)::

    .venv/bin/python bench/supervision.py                      # 1,000,000 open cases
    .venv/bin/python bench/supervision.py --open 100000 --closed 20000
    DATABASE_URL=postgres://user:password@host:5432/approval_supervision_bench .venv/bin/python bench/supervision.py

The bench creates the database of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/approval_supervision_bench``), migrates it, loads the
working-day calendar, measures and drops it again (``--keep`` leaves it for a look). It refuses
a database that already exists.

The province and its cases are ``bench/scale.py``'s (its builder is imported, not copied):
``--centers`` centers of ``--departments`` departments, cases written by set-based
``INSERT … SELECT generate_series`` statements with their submissions, steps and timeline.
Each department's approver is its head, so the scan's messages have someone to go to. Open
cases are due from 15 working days ago to 45 ahead, their open steps from 5 ago to 15 ahead:
a quarter of them are overdue, a province on a bad day.

First ``--small`` open cases (default 10,000), then ``--open`` (default 1,000,000) in the
same database; at each size the scan runs twice, the first raising what the new cases call
for, the second finding nothing new::

    scan (first): <ms> ms, <q> queries at <N> open cases
    scan (again): <ms> ms, <q> queries at <N> open cases

The target: the scan that runs every five minutes, the second, at most 3 s at full size, and
the same number of queries at both sizes.

With ``--performance`` (``make bench-performance``) it measures the performance report instead,
in its own database ``bench_perf``: ``--cases`` cases (default 10,000,000) over ``--months``
months (default 36) across the province's departments, with ratings (four in ten completed
cases), rectifications, complaints (one in a hundred), cards and urges in proportion, written by
``INSERT … SELECT generate_series``; every month summarized (:mod:`supervision.summary`); then
last month's department report timed ``--rounds`` times (default 7) from the daily summary
(:func:`supervision.performance.month_report`, target ≤ 200 ms) interleaved with the same
report straight from the case table (one GROUP BY per figure source over the month's rows),
with the rows each reads, the ratio, a check that both give the same figures, and the
summarize time of one day and of one month. ``--keep`` keeps the database, ``--reuse`` runs
again on it without building.
"""

import argparse
import logging
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "python bench/supervision.py" puts bench/ first on sys.path; the project must come first.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")
# The performance part (--performance) has its own database, kept between runs (--reuse).
PERFORMANCE = "--performance" in sys.argv
os.environ.setdefault(
    "DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/"
    + ("bench_perf" if PERFORMANCE else "approval_supervision_bench"),
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from approval_center.celery import app  # noqa: E402
from bench.scale import add_cases, province  # noqa: E402
from bench.scratch import create_database, drop_database  # noqa: E402
from catalog.models import Department  # noqa: E402
from supervision.models import Alert  # noqa: E402
from supervision.scan import supervise  # noqa: E402
from workflow.calendar import (  # noqa: E402
    calendar_load_from_chinese_calendar,
    load_work_calendar,
)
from workflow.models import Case, Notification  # noqa: E402

OPEN_STATES = ("submitted", "needs_supplement", "accepted", "in_progress")
TARGET_MS = 3000


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open cases at full size")
    parser.add_argument(
        "--closed", type=int, default=200_000, help="closed cases at full size (history)"
    )
    parser.add_argument("--small", type=int, default=10_000, help="open cases at the small size")
    parser.add_argument("--centers", type=int, default=10)
    parser.add_argument("--departments", type=int, default=40, help="departments per center")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--performance",
        action="store_true",
        help="the month report from the daily summary beside the same from the case table",
    )
    parser.add_argument("--cases", type=int, default=10_000_000, help="cases (--performance)")
    parser.add_argument("--months", type=int, default=36, help="months they span (--performance)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (--performance)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the performance database of an earlier run with --keep as it is",
    )
    return parser.parse_args()


def heads() -> None:
    """Each department's approver becomes its head (bench/scale.py's staff table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Department._meta.db_table} AS d SET head_id = b.approver_id "
            "FROM bench_department AS b WHERE b.department_id = d.id"
        )


def open_cases() -> int:
    return Case.objects.filter(status__in=OPEN_STATES).count()


def scans(label_size: int) -> list[tuple[str, float, int]]:
    """Two scans one after the other; prints and returns (which, ms, statements) of each."""
    measured = []
    for which in ("first", "again"):
        # The calendar as a worker holds it between scans (its staleness check aside).
        load_work_calendar()
        began = time.perf_counter()
        result = supervise()
        ms = (time.perf_counter() - began) * 1000
        print(
            f"scan ({which}): {ms:.0f} ms, {result.statements} queries at {label_size:,} open "
            f"cases ({result.raised:,} raised, {result.resolved:,} resolved, "
            f"{result.reopened:,} reopened, {result.notified:,} messages)",
            flush=True,
        )
        measured.append((which, ms, result.statements))
    return measured


def main() -> None:
    arguments = parse_arguments()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark runs on PostgreSQL only (see DATABASE_URL in its docstring).")
    if arguments.performance:
        performance(arguments)
        return
    params = connection.settings_dict
    create_database(params)
    logging.disable(logging.WARNING)
    # As in production: the scan writes the outbox rows and hands their ids to the broker
    # after commit; no worker runs here (an in-process broker holds the message).
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    began = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        where = f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
        print(f"database {params['NAME']} on {where} (PostgreSQL {version}), created for this run")
        call_command("migrate", verbosity=0, interactive=False)
        calendar_load_from_chinese_calendar()
        people = province(arguments.centers, arguments.departments)
        heads()
        ratio = arguments.closed / arguments.open
        small_total = arguments.small + round(arguments.small * ratio)
        seconds = add_cases(
            first=1,
            last=small_total,
            total=small_total,
            open_=arguments.small,
            arguments=arguments,
            creator=people["clerk"],
        )
        size = open_cases()
        print(f"{small_total:,} cases ({size:,} open) written in {seconds:.1f} s", flush=True)
        small = scans(size)
        total = arguments.open + arguments.closed
        seconds = add_cases(
            first=small_total + 1,
            last=total,
            total=total,
            open_=arguments.open,
            arguments=arguments,
            creator=people["clerk"],
        )
        size = open_cases()
        print(f"{total - small_total:,} more cases ({size:,} open) written in {seconds:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Alert._meta.db_table}")
        large = scans(size)
        print(
            f"alerts: {Alert.objects.count():,}, messages in the outbox: "
            f"{Notification.objects.count():,}"
        )
        again_ms, again_queries = large[1][1], large[1][2]
        met = again_ms <= TARGET_MS and again_queries == small[1][2]
        first_same = large[0][2] == small[0][2]
        print(
            "target ≤ 3 s with a constant number of queries: "
            + ("met" if met else "missed")
            + f" (the scan every five minutes: {again_ms:.0f} ms, {again_queries} queries at "
            f"full size against {small[1][2]} at the small; the first scan's queries "
            + ("the same at both sizes" if first_same else "differ")
            + ")"
        )
        print(f"whole run, set-up included: {time.perf_counter() - began:.0f} s")
    finally:
        if arguments.keep:
            print(f"database {params['NAME']} kept (--keep); drop it with: dropdb {params['NAME']}")
        else:
            drop_database(params)
            print(f"database {params['NAME']} dropped")


# --- the month report at 10,000,000 cases (--performance) ---------------------------------

# Case g of `total`, created over the last `months` months, oldest first; in department
# (g × 7919) mod D of the province. The newest 1 % are in progress; of the others 4 % rejected
# at intake, 3 % withdrawn, the rest completed, taking 0–22 days against a promise of 5–14
# working days (so some are late), one in twenty an immediate item decided the day it came.
PERF_CASES_SQL = """
INSERT INTO {case} (
    item_version_id, department_id, promised_limit, statutory_limit, extension_allowed,
    suspension_allowed, is_immediate, applicant_kind, applicant_name, id_number, credit_code,
    agent_name, agent_id_number, contact_phone, channel, green_channel, agent_service, status,
    revision, number, query_code, created_at, intake_late, received_on, accepted_on, due_on,
    decided_on, decision, licence_number, decision_reasons, delivered_on, delivery_method,
    tracking_number, delivery_requested, delivery_recipient, delivery_phone, delivery_address
)
SELECT
    b.item_version_id, b.department_id, p.promised, 20, true, true, k.immediate, 'natural',
    '申请人' || g, '', '', '', '', '13800138000', 'window', false, false, s.status, 3,
    CASE WHEN s.accepted THEN 'P' || lpad(g::text, 10, '0') END, 'Q' || g,
    t.created_at, false, t.day,
    CASE WHEN s.accepted THEN t.day END,
    CASE WHEN s.accepted THEN t.day + p.promised + p.promised / 5 * 2 END,
    CASE WHEN s.status = 'completed' THEN LEAST(t.day + k.takes, current_date - 1) END,
    CASE WHEN s.status = 'completed' THEN 'approved' ELSE '' END, '', '',
    CASE WHEN s.status = 'completed' THEN LEAST(t.day + k.takes + h %% 3, current_date - 1) END,
    CASE WHEN s.status = 'completed' THEN 'pickup' ELSE '' END, '',
    CASE WHEN s.status = 'completed' THEN 'pickup' ELSE '' END, '', '', ''
FROM generate_series(%(first)s, %(last)s) AS g
CROSS JOIN LATERAL (SELECT ((g::bigint * 2654435761) %% 1000)::integer AS h) AS x
CROSS JOIN LATERAL (SELECT 5 + h %% 10 AS promised) AS p
CROSS JOIN LATERAL (
    SELECT h %% 20 = 0 AS immediate,
           CASE WHEN h %% 20 = 0 THEN 0 ELSE (h * 7) %% 23 END AS takes
) AS k
CROSS JOIN LATERAL (
    SELECT now() - ((%(total)s - g)::float / %(total)s) * (%(months)s * interval '30.44 days')
           AS created_at
) AS t0
CROSS JOIN LATERAL (SELECT t0.created_at, t0.created_at::date AS day) AS t
CROSS JOIN LATERAL (
    SELECT status, status IN ('in_progress', 'completed') AS accepted FROM (
        SELECT CASE WHEN g > %(total)s - %(total)s / 100 THEN 'in_progress'
                    WHEN h %% 100 < 4 THEN 'rejected'
                    WHEN h %% 100 < 7 THEN 'withdrawn'
                    ELSE 'completed' END AS status
    ) AS v
) AS s
JOIN bench_department AS b ON b.n = (g::bigint * 7919) %% %(units)s
"""

# Four in ten completed cases rated on the day of hand-over (one in 25 poor, one in 997
# excluded on appeal); every poor rating rectified within 0–9 days against 7.
PERF_RATINGS_SQL = """
INSERT INTO {rating} (case_id, department_id, center_id, scale, level, poor, comment, channel,
                      rated_at, rated_on, appeal_reason, appeal_decision, review_note, excluded)
SELECT c.id, c.department_id, b.center_id, 'five', l.level, l.level <= 2, '', 'online',
       c.delivered_on + interval '10 hours', c.delivered_on, '', '', '', c.id %% 997 = 0
FROM {case} AS c JOIN bench_department AS b ON b.department_id = c.department_id
CROSS JOIN LATERAL (SELECT CASE WHEN c.id %% 50 = 0 THEN 1 WHEN c.id %% 50 = 1 THEN 2
                                WHEN c.id %% 5 = 0 THEN 4 ELSE 5 END AS level) AS l
WHERE c.status = 'completed' AND c.id %% 10 < 4
"""

PERF_RECTIFICATIONS_SQL = """
INSERT INTO {rectification} (rating_id, case_id, department_id, center_id, status, opened_on,
                             due_on, answered_on, answered_at, answer, callback_note,
                             applicant_comment)
SELECT r.id, r.case_id, r.department_id, r.center_id,
       CASE WHEN a.day < current_date THEN 'answered' ELSE 'open' END, r.rated_on,
       r.rated_on + 7, CASE WHEN a.day < current_date THEN a.day END,
       CASE WHEN a.day < current_date THEN a.day + interval '15 hours' END, '', '', ''
FROM {rating} AS r CROSS JOIN LATERAL (SELECT r.rated_on + (r.id %% 10)::integer AS day) AS a
WHERE r.poor AND NOT r.excluded
"""

# One case in a hundred complained about on the day it came in, answered in 0–19 days
# against 14.
PERF_COMPLAINTS_SQL = """
INSERT INTO {complaint} (number, name, phone, case_id, department_id, center_id, category,
                         content, channel, filed_at, filed_on, accept_due_on, answer_due_on,
                         status, decline_reason, answer, complainant_comment, answered_on,
                         answered_at)
SELECT 'TS' || lpad(c.id::text, 10, '0'), '投诉人', '13800138000', c.id, c.department_id,
       b.center_id, (ARRAY['window_conduct', 'fees', 'time', 'attitude', 'other'])[1 + c.id %% 5],
       '办理太慢', 'online', c.created_at, c.received_on, c.received_on + 7, c.received_on + 14,
       CASE WHEN a.day < current_date THEN 'answered' ELSE 'accepted' END, '', '', '',
       CASE WHEN a.day < current_date THEN a.day END,
       CASE WHEN a.day < current_date THEN a.day + interval '16 hours' END
FROM {case} AS c JOIN bench_department AS b ON b.department_id = c.department_id
CROSS JOIN LATERAL (SELECT c.received_on + (c.id %% 20)::integer AS day) AS a
WHERE c.id %% 100 = 7
"""

# A card on one in four cases decided more than a day late (a third of them red).
PERF_ALERTS_SQL = """
INSERT INTO {alert} (subject, rule, level, case_id, department_id, center_id, due_on, raised_on,
                     resolved_on, acknowledgement, created_at)
SELECT 'case:' || c.id, 'case_due', CASE WHEN c.id %% 3 = 0 THEN 'red' ELSE 'yellow' END, c.id,
       c.department_id, b.center_id, c.due_on, c.due_on + 1, c.decided_on, '', c.created_at
FROM {case} AS c JOIN bench_department AS b ON b.department_id = c.department_id
WHERE c.status = 'completed' AND c.decided_on > c.due_on + 1 AND c.id %% 4 = 0
"""

# An urge about one late case in 50, answered (half of them) within 0–5 days against 3.
PERF_URGES_SQL = """
INSERT INTO {urge} (number, department_id, center_id, message, respond_within, sent_by_id,
                    sent_at, sent_on, due_on, status, answer, answered_on, answered_at,
                    closing_note)
SELECT 'DB' || lpad(c.id::text, 10, '0'), c.department_id, b.center_id, '请说明超期原因', 3,
       %(officer)s, c.due_on + interval '34 hours', c.due_on + 1, c.due_on + 4,
       CASE WHEN c.id %% 2 = 0 THEN 'answered' ELSE 'open' END, '',
       CASE WHEN c.id %% 2 = 0 THEN c.due_on + 1 + (c.id %% 6)::integer END,
       CASE WHEN c.id %% 2 = 0 THEN c.due_on + 1 + (c.id %% 6)::integer + interval '9 hours' END,
       ''
FROM {case} AS c JOIN bench_department AS b ON b.department_id = c.department_id
WHERE c.status = 'completed' AND c.decided_on > c.due_on + 1 AND c.id %% 50 = 1
"""


def perf_tables() -> dict[str, str]:
    from supervision.summary import summary_tables

    return summary_tables()


def perf_build(arguments, people: dict) -> float:
    """The cases and their ratings, rectifications, complaints, cards and urges, loaded the
    way a restore is (plain indexes dropped and built again, foreign-key triggers off); in
    batches of a million cases. Returns the seconds taken."""
    began = time.perf_counter()
    names = perf_tables()
    filled = [names[t] for t in ("case", "rating", "rectification", "complaint", "alert", "urge")]
    total = arguments.cases
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes AS i WHERE i.tablename = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conname = i.indexname)""",
            [filled],
        )
        indexes = cursor.fetchall()
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            step = 1_000_000
            for first in range(1, total + 1, step):
                last = min(total, first + step - 1)
                cursor.execute(
                    PERF_CASES_SQL.format(**names),
                    {
                        "first": first,
                        "last": last,
                        "total": total,
                        "months": arguments.months,
                        "units": arguments.centers * arguments.departments,
                    },
                )
                print(
                    f"  cases {last:,} of {total:,} ({time.perf_counter() - began:.0f} s)",
                    flush=True,
                )
            for statement in (
                PERF_RATINGS_SQL,
                PERF_RECTIFICATIONS_SQL,
                PERF_COMPLAINTS_SQL,
                PERF_ALERTS_SQL,
                PERF_URGES_SQL,
            ):
                cursor.execute(statement.format(**names), {"officer": people["supervisor"].pk})
            print(
                f"  ratings, complaints, cards, urges ({time.perf_counter() - began:.0f} s)",
                flush=True,
            )
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            print(f"  indexes built ({time.perf_counter() - began:.0f} s)", flush=True)
        for table in filled:
            cursor.execute(f'VACUUM ANALYZE "{table}"')
    return time.perf_counter() - began


def month_days(month):
    from supervision.performance import month_end

    last = month_end(month)
    return [month + timedelta(days=n) for n in range((last - month).days + 1)]


def direct_report(month) -> list:
    """The month's department report straight from the case table and its neighbours, the
    honest way without the summary: the working-day ordinals of the month's decided cases in
    a temporary table, one GROUP BY per figure source over the month's rows, summed per
    department, then the names and the scores. Returns the report's lines."""
    from supervision.models.performance import COUNTERS, ReportKind
    from supervision.performance import Line, _names, month_end, rank_lines, rates_of, score_of
    from supervision.rules import rules_in_force
    from supervision.summary import WORKDAYS, department_branches, workday_table

    names = perf_tables()
    last = month_end(month)
    union = "\nUNION ALL\n".join(department_branches(by_day=False)).format(**names)
    sums = ", ".join(f"SUM(u.{name})" for name in COUNTERS)
    sql = f"SELECT u.department_id, {sums} FROM ({union}) u GROUP BY u.department_id"
    with transaction.atomic(), connection.cursor() as cursor:
        workday_table(cursor, names, month, last, True)
        cursor.execute(sql, {"start": month, "end": last})
        rows = cursor.fetchall()
        cursor.execute(f"DROP TABLE {WORKDAYS}")
    labels = _names(ReportKind.DEPARTMENT, {row[0] for row in rows})
    rules = rules_in_force(last)
    lines = []
    for row in rows:
        figures = dict(zip(COUNTERS, (int(v or 0) for v in row[1:]), strict=True))
        line = Line(kind=ReportKind.DEPARTMENT, figures=figures, **labels[row[0]])
        line.rates = rates_of(figures)
        line.score, line.grade = score_of(figures, rules)
        lines.append(line)
    return rank_lines(lines)


PERF_ROWS_SQL = """
SELECT (SELECT count(*) FROM {case} WHERE received_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {case} WHERE accepted_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {case} WHERE decided_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {case} WHERE delivered_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {rating} WHERE rated_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {rectification} WHERE opened_on BETWEEN %(start)s AND %(end)s
                                                OR answered_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {complaint} WHERE filed_on BETWEEN %(start)s AND %(end)s
                                            OR answered_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {alert} WHERE raised_on BETWEEN %(start)s AND %(end)s)
     + (SELECT count(*) FROM {urge} WHERE sent_on BETWEEN %(start)s AND %(end)s),
       (SELECT count(*) FROM {summary} WHERE day BETWEEN %(start)s AND %(end)s
                                         AND window_id IS NULL)
"""


def performance(arguments) -> None:
    """The month report at ``--cases`` cases over ``--months`` months: built (or reused),
    summarized month by month, then the last complete month's department report from the
    summary timed beside the same report straight from the case table, interleaved."""
    import statistics

    from supervision.models.performance import DailySummary, ReportKind
    from supervision.performance import add_months, month_report, month_start
    from supervision.summary import summarize
    from workflow.calendar import shanghai_today

    params = connection.settings_dict
    logging.disable(logging.WARNING)
    began = time.perf_counter()
    reused = False
    if arguments.reuse:
        try:
            reused = Case.objects.exists()
        except Exception:  # noqa: BLE001 - no such database yet: build it
            connections_close()
    if not reused:
        create_database(params)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        where = f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
        print(
            f"database {params['NAME']} on {where} (PostgreSQL {version}), "
            + ("reused" if reused else "created for this run"),
            flush=True,
        )
        today = shanghai_today()
        this_month = month_start(today)
        if not reused:
            call_command("migrate", verbosity=0, interactive=False)
            calendar_load_from_chinese_calendar()
            people = province(arguments.centers, arguments.departments)
            seconds = perf_build(arguments, people)
            print(f"{arguments.cases:,} cases written in {seconds:.0f} s", flush=True)
        # Every month summarized, one transaction each (a reused database: again).
        first = month_start(Case.objects.order_by("received_on").first().received_on)
        summarized = time.perf_counter()
        month = first
        while month <= this_month:
            summarize(days=[d for d in month_days(month) if d <= today])
            month = add_months(month, 1)
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM ANALYZE "{DailySummary._meta.db_table}"')
        print(
            f"summarized {first:%Y-%m} to {this_month:%Y-%m}: "
            f"{DailySummary.objects.count():,} summary rows in "
            f"{time.perf_counter() - summarized:.0f} s",
            flush=True,
        )
        cases = Case.objects.count()
        month = add_months(this_month, -1)
        load_work_calendar()
        day_began = time.perf_counter()
        summarize(days=[today - timedelta(days=1)])
        day_ms = (time.perf_counter() - day_began) * 1000
        month_began = time.perf_counter()
        summarize(days=month_days(month))
        month_s = time.perf_counter() - month_began
        print(f"summarize one day: {day_ms:.0f} ms; one month ({month:%Y-%m}): {month_s:.1f} s")

        with connection.cursor() as cursor:
            cursor.execute(
                PERF_ROWS_SQL.format(**perf_tables()),
                {"start": month, "end": month_days(month)[-1]},
            )
            source_rows, summary_rows = cursor.fetchone()
        # A warm-up of each, then the rounds interleaved.
        summary_report = month_report(month=month, kind=ReportKind.DEPARTMENT)
        direct = direct_report(month)
        same = {line.department_id: line.figures for line in summary_report.lines} == {
            line.department_id: line.figures for line in direct
        }
        from_summary, from_cases = [], []
        for _round in range(arguments.rounds):
            t = time.perf_counter()
            month_report(month=month, kind=ReportKind.DEPARTMENT)
            from_summary.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            direct_report(month)
            from_cases.append((time.perf_counter() - t) * 1000)
        fast, slow = statistics.median(from_summary), statistics.median(from_cases)
        print(
            f"month report {month:%Y-%m}, {len(summary_report.lines)} departments, at "
            f"{cases:,} cases ({arguments.rounds} rounds, median):"
        )
        print(
            f"  from the daily summary: {fast:.1f} ms (min {min(from_summary):.1f}), "
            f"{summary_rows:,} summary rows read"
        )
        print(
            f"  from the case table:    {slow:.0f} ms (min {min(from_cases):.0f}), "
            f"{source_rows:,} case, rating, complaint, card and urge rows read"
        )
        print(
            f"  ratio {slow / fast:.0f}×; same figures for every department: "
            + ("yes" if same else "NO")
        )
        print(
            f"target ≤ 200 ms from the summary: {'met' if fast <= 200 else 'missed'} "
            f"({fast:.1f} ms)"
        )
        print(f"whole run, set-up included: {time.perf_counter() - began:.0f} s")
    finally:
        if arguments.keep:
            print(f"database {params['NAME']} kept (--keep); run again with --reuse")
        else:
            drop_database(params)
            print(f"database {params['NAME']} dropped")


def connections_close() -> None:
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    main()
