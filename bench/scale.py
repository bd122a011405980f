"""Benchmark: the workbench and API read pages at province scale, server time and queries.

Run from the project folder; the role needs CREATEDB (the default URL is the local server's
``postgres`` role over trust authentication)::

    .venv/bin/python bench/scale.py                       # 1,000,000 open + 2,000,000 closed
    .venv/bin/python bench/scale.py --open 100000 --closed 200000
    DATABASE_URL=postgres://user:password@host:5432/approval_scale_bench .venv/bin/python bench/scale.py

The bench creates the database of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/approval_scale_bench``), migrates it, loads the
working-day calendar, measures and drops it again (``--keep`` leaves it for a look). It refuses
a database that already exists, so it never writes into one that holds real data.

The province: ``--centers`` service centers (default 10) of ``--departments`` departments each
(default 40), one published three-step item per department, a window clerk, handler, reviewer
and approver per department, a supervision officer and a fee clerk per center, and one joint
item per center led by its first department. Cases are written by set-based ``INSERT … SELECT
generate_series`` statements (with their submissions, steps, timeline rows and joint cases),
not through the services: only reads are measured here, and ``bench/workflow.py`` measures
the writes. Open cases are the newest; most are in progress, some suspended, some submitted and
awaiting intake; one in fifty is a sub-case of a joint case, two sub-cases in two
departments of one center for each joint case.

Each page is requested through Django's test client, as a logged-in user, through the real
URLs, views and middleware: after one warm-up request it is timed ``--repeat`` times (default
7) and the median is printed, then requested once more to count its queries::

    page <name>: <ms> ms, <q> queries at <N> cases

first with 1,000 cases, then at full size. The target: every page at most 100 ms and the same
number of queries at full size as at 1,000 cases.
"""

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "python bench/scale.py" puts bench/ first on sys.path; the project must come first.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/approval_scale_bench")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.items import bench_item_draft  # noqa: E402
from bench.scratch import create_database, drop_database  # noqa: E402
from catalog.models import (  # noqa: E402
    CenterLevel,
    Department,
    JointItem,
    Material,
    Role,
    ServiceCenter,
    StaffMembership,
)
from catalog.roles import membership_grant  # noqa: E402
from catalog.versions import item_version_publish  # noqa: E402
from workflow.calendar import calendar_load_from_chinese_calendar  # noqa: E402
from workflow.models import Case, CaseEvent, JointCase, StepRun, Submission  # noqa: E402

SMALL = 1000


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open cases at full size")
    parser.add_argument("--closed", type=int, default=2_000_000, help="closed cases at full size")
    parser.add_argument("--centers", type=int, default=10)
    parser.add_argument("--departments", type=int, default=40, help="departments per center")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    return parser.parse_args()


# --- the province ---------------------------------------------------------------------------

User = get_user_model()


def province(centers: int, departments: int) -> dict:
    """Centers, departments, items and staff; returns the users whose pages are measured.

    The measured users get their roles through ``membership_grant``; the other staff, who
    only appear as assignees, are written in bulk.
    """
    rows = []
    for c in range(centers):
        center = ServiceCenter.objects.create(
            code=f"BC{c:02d}", name=f"基准测试第{c}政务服务中心", level=CenterLevel.COUNTY
        )
        for d in range(departments):
            code = f"B{c:02d}D{d:02d}"
            department = Department.objects.create(
                code=code, name=f"基准测试局{code}", center=center
            )
            draft = bench_item_draft(department, code)
            Material.objects.create(version=draft, order=1, name="申请书", copies=1)
            version = item_version_publish(version=draft, by=None)
            rows.append((c * departments + d, department, version))
        JointItem.objects.create(
            code=f"BJ{c:02d}", name=f"联办（基准测试{c}）", lead_department=rows[-departments][1]
        )

    def user(username: str) -> User:
        return User(username=username, email=f"{username}@bench.example.cn", password="!")

    staff = []
    for _n, department, _version in rows:
        for role in (Role.HANDLER, Role.REVIEWER, Role.APPROVER):
            staff.append((user(f"{department.code.lower()}-{role}"), role, department))
    User.objects.bulk_create([account for account, _role, _department in staff])
    saved = {u.username: u for u in User.objects.filter(username__startswith="b")}
    StaffMembership.objects.bulk_create(
        [
            StaffMembership(user=saved[account.username], role=role, department=department)
            for account, role, department in staff
        ]
    )
    through = User.groups.through
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    through.objects.bulk_create(
        [through(user_id=saved[a.username].pk, group_id=groups[r].pk) for a, r, _d in staff]
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_department (n integer PRIMARY KEY, department_id bigint, "
            "center_id bigint, item_version_id bigint, handler_id bigint, reviewer_id bigint, "
            "approver_id bigint, joint_item_id bigint)"
        )
        joint_items = dict(JointItem.objects.values_list("lead_department__center_id", "pk"))
        cursor.executemany(
            "INSERT INTO bench_department VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    n,
                    department.pk,
                    department.center_id,
                    version.pk,
                    saved[f"{department.code.lower()}-{Role.HANDLER}"].pk,
                    saved[f"{department.code.lower()}-{Role.REVIEWER}"].pk,
                    saved[f"{department.code.lower()}-{Role.APPROVER}"].pk,
                    joint_items[department.center_id],
                )
                for n, department, version in rows
            ],
        )

    first = rows[0][1]
    clerk = User.objects.create(username="bench-clerk", password="!")
    membership_grant(user=clerk, role=Role.WINDOW_CLERK, department=first)
    supervisor = User.objects.create(username="bench-supervisor", password="!")
    membership_grant(user=supervisor, role=Role.SUPERVISION_OFFICER, center=first.center)
    handler = saved[f"{first.code.lower()}-{Role.HANDLER}"]
    membership_grant(user=handler, role=Role.HANDLER, department=first)
    approver = User.objects.create(username="bench-approver", password="!")
    membership_grant(user=approver, role=Role.APPROVER, department=first)
    fee_clerk = User.objects.create(username="bench-fee-clerk", password="!")
    membership_grant(user=fee_clerk, role=Role.FEE_CLERK, center=first.center)
    return {
        "clerk": clerk,
        "supervisor": supervisor,
        "handler": handler,
        "approver": approver,
        "fee_clerk": fee_clerk,
        "department": first,
    }


# --- the cases ------------------------------------------------------------------------------

# Case g (1-based) of a run of `total`: center g % C, department (g / C * 7) % D of it; the
# newest `open` cases are open. h spreads the states and flags evenly over the run.
CASES_SQL = """
INSERT INTO {case} (
    item_version_id, department_id, promised_limit, statutory_limit, extension_allowed,
    suspension_allowed, is_immediate, joint_case_id, applicant_id, applicant_kind,
    applicant_name, id_number, credit_code, agent_name, agent_id_number, contact_phone, channel,
    green_channel, agent_service, agent_staff_id, status, revision, number, query_code,
    created_at, created_by_id, received_on, deemed_received_on, intake_late, accepted_on, due_on,
    statutory_due_on, suspended_since, deferred_due_on, decided_on, decision, licence_number,
    valid_until, decision_reasons, delivery_due_on, delivered_on, delivery_method, tracking_number,
    delivery_requested, delivery_recipient, delivery_phone, delivery_address
)
SELECT
    b.item_version_id, b.department_id, 5, 20, true, true, false,
    CASE WHEN g %% 1000 < 2 * %(centers)s
         THEN g / 1000 * %(centers)s + g %% %(centers)s + 1 END, NULL, 'natural',
    '申请人' || g, '', '', '', '', '13800138000', 'window',
    h %% 50 = 0, false, NULL, s.status, 3,
    CASE WHEN s.status NOT IN ('submitted', 'rejected', 'withdrawn') THEN 'B' || lpad(g::text, 10, '0') END,
    'Q' || g,
    t.created_at, NULL, t.created_at::date, NULL, false,
    CASE WHEN s.status NOT IN ('submitted', 'rejected', 'withdrawn') THEN t.created_at::date END,
    CASE WHEN s.status IN ('accepted', 'in_progress') THEN current_date + (h %% 60) - 15
         WHEN s.status IN ('completed') THEN t.created_at::date + 30 END,
    CASE WHEN s.status IN ('accepted', 'in_progress') THEN current_date + (h %% 60) + 5
         WHEN s.status IN ('completed') THEN t.created_at::date + 50 END,
    CASE WHEN s.status = 'in_progress' AND h %% 100 < 2 THEN current_date - 3 END, NULL,
    CASE WHEN s.status = 'completed' THEN t.created_at::date + 20 END,
    CASE WHEN s.status = 'completed' THEN 'approved' ELSE '' END,
    CASE WHEN s.status = 'completed' THEN 'JY' || g ELSE '' END,
    NULL, '',
    CASE WHEN s.status = 'completed' THEN t.created_at::date + 34 END,
    CASE WHEN s.status = 'completed' THEN t.created_at::date + 25 END,
    CASE WHEN s.status = 'completed' THEN 'pickup' ELSE '' END, '',
    CASE WHEN s.status = 'completed' THEN 'pickup' ELSE '' END, '', '', ''
FROM generate_series(%(first)s, %(last)s) AS g
CROSS JOIN LATERAL (SELECT ((g::bigint * 2654435761) %% 1000)::integer AS h) AS k
CROSS JOIN LATERAL (
    SELECT now() - ((%(total)s - g)::float / %(total)s) * interval '1095 days' AS created_at
) AS t
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN g > %(total)s - %(open)s THEN
            CASE WHEN h %% 100 < 5 THEN 'submitted'
                 WHEN h %% 100 < 10 THEN 'accepted'
                 ELSE 'in_progress' END
        ELSE
            CASE WHEN h %% 100 < 5 THEN 'rejected'
                 WHEN h %% 100 < 10 THEN 'withdrawn'
                 ELSE 'completed' END
    END AS status
) AS s
JOIN bench_department AS b ON b.n = (g %% %(centers)s) * %(departments)s
                               + (g / %(centers)s * 7) %% %(departments)s
"""

JOINT_SQL = """
INSERT INTO {jointcase} (id, joint_item_id, number, query_code, status, applicant_name,
                         accepted_on, due_on, decided_on, created_at, created_by_id)
SELECT c.joint_case_id, b.joint_item_id, 'BJ' || lpad(c.joint_case_id::text, 10, '0'), 'J',
       CASE WHEN c.status IN ('accepted', 'in_progress', 'submitted') THEN 'open' ELSE 'decided' END,
       c.applicant_name, c.created_at::date, c.created_at::date + 45,
       CASE WHEN c.status IN ('accepted', 'in_progress', 'submitted') THEN NULL
            ELSE c.created_at::date + 40 END,
       c.created_at, %(creator)s
FROM {case} AS c JOIN bench_department AS b ON b.department_id = c.department_id
WHERE c.id > %(after)s AND c.joint_case_id IS NOT NULL
ON CONFLICT (id) DO NOTHING
"""

SUBMISSIONS_SQL = """
INSERT INTO {submission} (case_id, round, submitted_at, received_on, intake_due_on)
SELECT id, 1, created_at, received_on, received_on + 7 FROM {case} WHERE id > %(after)s
"""

# Three steps per accepted case: done up to the open one (by h), waiting after it; all done
# once the case is completed.
STEPS_SQL = """
INSERT INTO {steprun} (case_id, "order", name, role, limit_days, status, assignee_id,
                       opened_on, due_on, claimed_at, finished_at, opinion)
SELECT c.id, o.n, o.name, o.role, o.days,
       CASE WHEN c.status = 'completed' OR o.n < k.open_at THEN 'done'
            WHEN o.n = k.open_at THEN 'open' ELSE 'waiting' END,
       CASE WHEN c.status = 'completed' OR o.n < k.open_at OR (o.n = k.open_at AND c.id %% 5 = 0)
            THEN CASE o.n WHEN 1 THEN b.handler_id WHEN 2 THEN b.reviewer_id ELSE b.approver_id END
       END,
       CASE WHEN o.n <= k.open_at OR c.status = 'completed' THEN c.accepted_on + o.n END,
       CASE WHEN o.n <= k.open_at OR c.status = 'completed' THEN
            CASE WHEN c.status = 'completed' THEN c.accepted_on + o.n * 3
                 ELSE current_date + (c.id %% 20)::integer - 5 END END,
       NULL,
       CASE WHEN c.status = 'completed' OR o.n < k.open_at THEN c.created_at + o.n * interval '1 day' END,
       ''
FROM {case} AS c
JOIN bench_department AS b ON b.department_id = c.department_id
CROSS JOIN LATERAL (SELECT CASE WHEN c.status = 'accepted' THEN 1
                                ELSE 1 + (c.id %% 3)::integer END AS open_at) AS k
CROSS JOIN (VALUES (1, '承办', 'handler', 2), (2, '审核', 'reviewer', 1), (3, '审批', 'approver', 2))
    AS o (n, name, role, days)
WHERE c.id > %(after)s AND c.status IN ('accepted', 'in_progress', 'completed')
"""

EVENTS_SQL = """
INSERT INTO {caseevent} (case_id, at, actor_id, action, from_status, to_status, step_id,
                         reason, data)
SELECT c.id, c.created_at + e.hours * interval '1 hour', NULL, e.action, e.from_status,
       e.to_status, NULL, '', '{{}}'::jsonb
FROM {case} AS c
CROSS JOIN (VALUES (0, 'submit', 'draft', 'submitted', 0),
                   (1, 'accept', 'submitted', 'accepted', 1),
                   (100, 'decide', 'in_progress', 'decided', 2),
                   (200, 'deliver', 'decided', 'completed', 2))
    AS e (hours, action, from_status, to_status, reach)
WHERE c.id > %(after)s
  AND e.reach <= CASE WHEN c.status = 'completed' THEN 2
                      WHEN c.status IN ('accepted', 'in_progress') THEN 1 ELSE 0 END
"""


def tables() -> dict:
    return {
        "case": Case._meta.db_table,
        "jointcase": JointCase._meta.db_table,
        "submission": Submission._meta.db_table,
        "steprun": StepRun._meta.db_table,
        "caseevent": CaseEvent._meta.db_table,
    }


def secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the bulk tables' plain indexes: not keys, not constraints."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes AS i
        WHERE i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conname = i.indexname)
        """,
        [list(tables().values())],
    )
    return cursor.fetchall()


def add_cases(*, first: int, last: int, total: int, open_: int, arguments, creator) -> float:
    """Cases ``first``…``last`` of a run of ``total`` (the newest ``open_`` open), with their
    rows in the other tables; returns the seconds taken.

    Loaded the way a restore is: the plain indexes dropped and built again afterwards, the
    foreign-key triggers off (the rows are built consistent), then VACUUM ANALYZE.
    """
    began = time.perf_counter()
    names = tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM {case}".format(**names))
        after = cursor.fetchone()[0]
        indexes = secondary_indexes(cursor)
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            params = {
                "first": first,
                "last": last,
                "total": total,
                "open": open_,
                "centers": arguments.centers,
                "departments": arguments.departments,
                "after": after,
                "creator": creator.pk,
            }
            for statement in (CASES_SQL, JOINT_SQL, SUBMISSIONS_SQL, STEPS_SQL, EVENTS_SQL):
                cursor.execute(statement.format(**names), params)
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {jointcase}))".format(
                    **names
                ),
                [names["jointcase"]],
            )
        for table in names.values():
            cursor.execute(f'VACUUM ANALYZE "{table}"')
    return time.perf_counter() - began


# --- the pages ------------------------------------------------------------------------------


def measure(client: Client, url: str, repeat: int, **headers) -> tuple[float, int, int]:
    """(median ms, queries, status) of GET ``url``, after one warm-up request."""
    client.get(url, **headers)
    times = []
    for _n in range(repeat):
        began = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return statistics.median(times), len(queries), response.status_code


def pages(people: dict) -> list[tuple[str, str, str]]:
    """(name, user, url) of each measured page."""
    cases = Case.objects.filter(department=people["department"]).order_by("-created_at", "-id")
    newest = (
        cases.filter(status="in_progress").values_list("pk", flat=True).first()
        or cases.values_list("pk", flat=True).first()
    )
    return [
        ("department case list", "clerk", "/staff/cases/"),
        ("center-wide case list", "supervisor", "/staff/cases/"),
        ("department queue", "handler", "/staff/queue/"),
        ("my tasks, leader", "approver", "/staff/tasks/"),
        ("dashboard", "clerk", "/staff/"),
        ("dashboard, center-wide", "supervisor", "/staff/"),
        ("start page, leader", "approver", "/staff/"),
        ("today at the counter", "clerk", "/staff/counter/"),
        ("results to deliver", "clerk", "/staff/delivery/"),
        ("fees to record, center-wide", "fee_clerk", "/staff/fees/"),
        ("API case list", "clerk", "/api/v1/cases/"),
        ("hall: home page", "visitor", "/"),
        ("hall: licences granted", "visitor", "/results/"),
        ("hall: screen", "visitor", "/screen/"),
        ("case detail", "clerk", f"/staff/cases/{newest}/"),
    ]


def report(people: dict, urls: list, repeat: int) -> list[tuple[str, float, int]]:
    clients = {}
    for key in ("clerk", "supervisor", "handler", "approver", "fee_clerk"):
        clients[key] = Client()
        clients[key].force_login(people[key])
    clients["visitor"] = Client()
    size = Case.objects.count()
    results = []
    for name, who, url in urls:
        ms, queries, status = measure(clients[who], url, repeat)
        flag = "" if status == 200 else f" (HTTP {status})"
        print(f"page {name}: {ms:.0f} ms, {queries} queries at {size:,} cases{flag}", flush=True)
        results.append((name, ms, queries))
    return results


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    arguments = parse_arguments()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark runs on PostgreSQL only (see DATABASE_URL in its docstring).")
    params = connection.settings_dict
    create_database(params)
    logging.disable(logging.WARNING)
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
        total = arguments.open + arguments.closed
        small_open = max(1, SMALL * arguments.open // total)
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            seconds = add_cases(
                first=1,
                last=SMALL,
                total=SMALL,
                open_=small_open,
                arguments=arguments,
                creator=people["clerk"],
            )
            print(f"{SMALL:,} cases written in {seconds:.1f} s", flush=True)
            # The same pages at both sizes: the case shown is the one picked at 1,000 cases.
            urls = pages(people)
            small = report(people, urls, arguments.repeat)
            seconds = add_cases(
                first=SMALL + 1,
                last=total,
                total=total,
                open_=arguments.open,
                arguments=arguments,
                creator=people["clerk"],
            )
            print(f"{total - SMALL:,} more cases written in {seconds:.0f} s", flush=True)
            large = report(people, urls, arguments.repeat)
        slow = [name for name, ms, _q in large if ms > 100]
        grew = [n for (n, _m, q), (_n, _m2, q2) in zip(small, large, strict=True) if q != q2]
        print(
            "target (≤ 100 ms, constant queries): "
            + (
                "met"
                if not slow and not grew
                else f"slow: {slow or '-'}; queries grew: {grew or '-'}"
            )
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
