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
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "python bench/supervision.py" puts bench/ first on sys.path; the project must come first.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/approval_supervision_bench"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

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


if __name__ == "__main__":
    main()
