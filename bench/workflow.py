"""Benchmark: each transition of a case, from submission to completion, in queries, commits and
milliseconds, against the database floor measured by pgbench on the same tables in the same run,
and the queries the workbench pages make at 10 and at 1,000 cases.

Run from the project folder, naming a database that does not exist yet; the role needs CREATEDB
and ``pgbench`` must be on the PATH::

    DATABASE_URL=postgres://user:password@127.0.0.1:5432/approval_bench .venv/bin/python bench/workflow.py

The bench creates that database, migrates it, loads the working-day calendar, measures and drops
the database again (``--keep`` leaves it for a look). It refuses a database that already exists,
so it never writes into one that holds real data. Everything runs in one process, sequentially.
As in production, each action writes its outbox rows in its own transaction and hands their ids
to the broker; no worker runs during the measured run (an in-process broker holds the
messages), and the outbox is delivered afterwards, as the worker's batches would.

It prints:

- per transition (submit, accept, claim and complete each step, decide, record the fee,
  deliver), the queries, commits and milliseconds one case costs, over ``--cases`` cases
  (default 200) taken through the real services;
- the worker's delivery of the outbox afterwards;
- the floor: pgbench running what a lean transition must do — lock the case row, update it,
  insert one event, insert one outbox row — on the workflow's tables, ``--pgbench-clients``
  clients (default 1, like the workflow run) for ``--pgbench-seconds`` seconds, in cases per
  second (its transactions per second over the transitions of one case). The workflow run goes
  in ``--rounds`` rounds (default 5) and pgbench runs its share of the seconds after each, so
  that both are measured side by side while the shared machine's load drifts;
- the queries of the workbench's department case list and case detail pages for a window clerk,
  at 10 and at ``--page-cases`` (default 1,000) cases in the department: they must not grow;
- last, ``per case: <Q> queries, <C> commits, <X> cases/s; floor: <Y> cases/s; ratio to floor:
  <R>``.
"""

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "python bench/workflow.py" puts bench/ first on sys.path; the project must come first.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from approval_center.celery import app  # noqa: E402
from bench.items import STEPS, bench_item_draft  # noqa: E402
from bench.scratch import create_database, drop_database  # noqa: E402
from catalog.models import (  # noqa: E402
    ApplicantType,
    CenterLevel,
    Department,
    FeeItem,
    Material,
    Role,
    ServiceCenter,
)
from catalog.roles import membership_grant  # noqa: E402
from catalog.versions import item_version_publish  # noqa: E402
from workflow import numbering, services  # noqa: E402
from workflow.calendar import calendar_load_from_chinese_calendar, shanghai_today  # noqa: E402
from workflow.models import (  # noqa: E402
    Case,
    CaseEvent,
    Channel,
    Decision,
    DeliveryMethod,
    Notice,
    StepRun,
    StepStatus,
    Submission,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ID_NUMBER = "11010519491231002X"  # a valid resident ID number (the GB 11643 example)
FEE = ("工本费", "10.00")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200, help="cases taken to completion")
    parser.add_argument(
        "--page-cases", type=int, default=1000, help="cases in the department, large page test"
    )
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds of the workflow run, pgbench running its share of seconds after each",
    )
    parser.add_argument("--pgbench-clients", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    return parser.parse_args()


# --- scratch catalog and staff --------------------------------------------------------------

User = get_user_model()


def users(prefix: str, count: int) -> list:
    """``count`` accounts with e-mail addresses, so that every notification is written, and no
    usable password (the bench logs in with force_login)."""
    rows = [
        User(username=f"{prefix}{n}", email=f"{prefix}{n}@bench.example.cn", password="!")
        for n in range(count)
    ]
    User.objects.bulk_create(rows)
    return list(User.objects.filter(username__startswith=prefix).order_by("pk"))


def department_with_item(center: ServiceCenter, code: str, *, material_required: bool):
    """A department, its staff (one per role, with e-mail) and a published three-step item."""
    department = Department.objects.create(code=code, name=f"基准测试局{code}", center=center)
    staff = {}
    for role in (Role.WINDOW_CLERK, Role.HANDLER, Role.REVIEWER, Role.APPROVER):
        (user,) = users(f"{code.lower()}-{role}-", 1)
        membership_grant(user=user, role=role, department=department)
        staff[role] = user
    (fee_clerk,) = users(f"{code.lower()}-fee-", 1)
    membership_grant(user=fee_clerk, role=Role.FEE_CLERK, center=center)
    staff[Role.FEE_CLERK] = fee_clerk
    draft = bench_item_draft(department, code)
    for order, name in enumerate(("申请书", "营业执照"), start=1):
        Material.objects.create(
            version=draft, order=order, name=name, required=material_required, copies=1
        )
    FeeItem.objects.create(version=draft, name=FEE[0], amount=FEE[1], legal_basis="收费批文")
    return department, staff, item_version_publish(version=draft, by=None)


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")


APPLICANT = {
    "applicant_kind": ApplicantType.NATURAL,
    "applicant_name": "张三",
    "id_number": ID_NUMBER,
    "contact_phone": "13800138000",
}


# --- 1. the workflow rate -------------------------------------------------------------------


class Meter:
    """Counts, on the default connection, the SQL statements sent and the commits made.

    A commit is the end of an outermost transaction, or a write sent outside any (autocommit:
    each such statement commits on its own).
    """

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self) -> None:
        self.queries = 0
        self.commits = 0
        self._commit = connection.commit

    def __call__(self, execute, sql_text, params, many, context):
        self.queries += 1
        if not connection.in_atomic_block and sql_text.lstrip().upper().startswith(self.WRITES):
            self.commits += 1
        return execute(sql_text, params, many, context)

    def __enter__(self) -> "Meter":
        meter = self

        def counted_commit():
            meter.commits += 1
            return meter._commit()

        connection.commit = counted_commit
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)
        connection.commit = self._commit


# The transitions one case goes through, in order; the bench measures each.
TRANSITIONS = (
    "submit",
    "accept",
    "claim-step (承办)",
    "complete-step (承办)",
    "claim-step (审核)",
    "complete-step (审核)",
    "claim-step (审批)",
    "decide",
    "record-fee",
    "deliver",
)


def complete(case, staff: dict, meter_for) -> None:
    """Take a draft with its materials through every service, from submission to delivery.

    ``meter_for(name)`` is a context manager measuring one transition; the driver itself asks
    the database nothing: each service returns what the next one needs.
    """
    with meter_for("submit"):
        services.case_submit(case=case, by=case.applicant)
    with meter_for("accept"):
        case = services.case_accept(case=case, by=staff[Role.WINDOW_CLERK])
    step = case.steps.get(status=StepStatus.OPEN)
    for name, _role, _limit in STEPS:
        user = staff[step.role]
        with meter_for(f"claim-step ({name})"):
            services.step_claim(step=step, by=user)
        if name == STEPS[-1][0]:
            break
        with meter_for(f"complete-step ({name})"):
            step = services.step_complete(step=step, by=user, opinion="同意")
    with meter_for("decide"):
        services.case_decide(
            case=case, by=user, decision=Decision.APPROVED, licence_number=f"JY{case.pk:014d}"
        )
    with meter_for("record-fee"):
        services.fee_record(
            case=case,
            by=staff[Role.FEE_CLERK],
            fee_name=FEE[0],
            amount=FEE[1],
            receipt_number=f"R{case.pk}",
        )
    with meter_for("deliver"):
        services.case_deliver(case=case, by=staff[Role.WINDOW_CLERK], method=DeliveryMethod.PICKUP)


class Tally:
    """Queries, commits and seconds per transition, summed over the cases."""

    def __init__(self) -> None:
        self.rows = {name: [0, 0, 0.0] for name in TRANSITIONS}
        self.between = 0

    def meter_for(self, name: str):
        tally = self

        class _One:
            def __enter__(self):
                self.meter = Meter().__enter__()
                self.began = time.perf_counter()

            def __exit__(self, *exc):
                elapsed = time.perf_counter() - self.began
                self.meter.__exit__(*exc)
                row = tally.rows[name]
                row[0] += self.meter.queries
                row[1] += self.meter.commits
                row[2] += elapsed

        return _One()


class Whole:
    """The queries and commits of the whole workflow run, summed over its rounds."""

    def __init__(self) -> None:
        self.queries = 0
        self.commits = 0


def workflow_rate(
    center: ServiceCenter, count: int, *, rounds: int, between
) -> tuple[float, float, Tally, Whole]:
    """Cases per second from submission to completion, the seconds taken, the tally per
    transition and the queries and commits of the whole run (the driver's own reads included).

    The cases go in ``rounds`` equal rounds, and ``between()`` runs after each: the floor is
    measured there, so that both see the machine in the same state (it is shared and its load
    drifts over a minute).
    """
    department, staff, version = department_with_item(center, "BENCHW", material_required=True)
    applicants = users("bench-applicant-", count)
    drafts = []
    for applicant in applicants:
        case = services.case_create(
            version=version, by=applicant, channel=Channel.ONLINE, **APPLICANT
        )
        for material in version.materials.all():
            services.case_attach_material(case=case, material=material, upload=pdf(), by=applicant)
        drafts.append(case)

    tally = Tally()
    whole = Whole()
    seconds = 0.0
    size = -(-count // rounds)
    for first in range(0, count, size):
        began = time.perf_counter()
        with Meter() as meter:
            for case in drafts[first : first + size]:
                complete(case, staff, tally.meter_for)
        seconds += time.perf_counter() - began
        whole.queries += meter.queries
        whole.commits += meter.commits
        between()
    return count / seconds, seconds, tally, whole


# --- 2. pgbench -----------------------------------------------------------------------------


# What a lean transition must do, and nothing more: lock the case row, update it, append one
# event, write one outbox row, in one transaction, on the workflow's own tables.
FLOOR_SCRIPT = """\\set id random(:first, :last)
BEGIN;
SELECT id FROM workflow_case WHERE id = :id FOR UPDATE;
UPDATE workflow_case SET revision = revision + 1 WHERE id = :id;
INSERT INTO workflow_caseevent (case_id, at, action, from_status, to_status, reason, data)
  VALUES (:id, now(), 'floor', 'completed', 'completed', '', '{}');
INSERT INTO workflow_notification (case_id, address, channel, template, payload, status,
  attempts, last_error, created_at)
  VALUES (:id, '13800138000', 'sms', 'accepted', '{}', 'sent', 0, '', now());
COMMIT;
"""


def pgbench_floor_tps(params: dict, *, clients: int, seconds: float) -> float:
    """TPS of :data:`FLOOR_SCRIPT` run by pgbench over the cases the workflow run makes."""
    executable = shutil.which("pgbench")
    if executable is None:
        sys.exit("pgbench is not on the PATH (Debian/Ubuntu: apt-get install postgresql-client).")
    first, last = (
        Case.objects.order_by("pk").values_list("pk", flat=True)[:1][0],
        (Case.objects.order_by("-pk").values_list("pk", flat=True)[:1][0]),
    )
    command = [executable, "-h", params["HOST"] or "localhost", "-U", params["USER"]]
    if params["PORT"]:
        command += ["-p", str(params["PORT"])]
    environment = {**os.environ, "PGPASSWORD": params["PASSWORD"] or ""}
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(FLOOR_SCRIPT)
    try:
        done = subprocess.run(
            [
                *command,
                "-n",
                "-f",
                script.name,
                "-D",
                f"first={first}",
                "-D",
                f"last={last}",
                "-c",
                str(clients),
                "-j",
                str(clients),
                "-T",
                str(max(1, round(seconds))),
                params["NAME"],
            ],
            env=environment,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script.name)
    if done.returncode:
        sys.exit(f"pgbench failed:\n{done.stderr}")
    found = re.search(r"^tps = ([\d.]+)", done.stdout, re.MULTILINE)
    if found is None:
        sys.exit(f"no tps line in pgbench's output:\n{done.stdout}")
    return float(found.group(1))


def worker_delivery() -> tuple[int, float]:
    """Deliver the outbox as the worker does, in batches: (notifications sent, seconds)."""
    from workflow.models import Notification, NotificationStatus
    from workflow.tasks import notifications_sweep

    began = time.perf_counter()
    before = Notification.objects.filter(status=NotificationStatus.SENT).count()
    while notifications_sweep():
        pass
    # The floor's own outbox rows are written as sent: count what the sweep sent.
    sent = Notification.objects.filter(status=NotificationStatus.SENT).count() - before
    return sent, time.perf_counter() - began


# --- 3. queries per workbench page ----------------------------------------------------------


def _copy(row, **changes):
    """An unsaved copy of ``row`` with ``changes``."""
    fields = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key
    }
    return type(row)(**{**fields, **changes})


def add_copies(templates: list[Case], count: int) -> None:
    """``count`` more cases in the templates' department, each a copy of one of ``templates``
    row for row (the case, its submissions, steps, timeline and notices), numbered by the real
    allocator.

    Only page reads are measured on these. Taking a thousand cases through the services would
    add minutes to the run and measure nothing the workflow rate does not already measure.
    """
    templates = list(
        Case.objects.filter(pk__in=[t.pk for t in templates])
        .select_related("department__center")
        .prefetch_related("submissions", "steps", "events", "notices")
    )
    with transaction.atomic():
        sources = [templates[n % len(templates)] for n in range(count)]
        cases = Case.objects.bulk_create(
            [
                _copy(
                    source,
                    number=numbering.case_number(source, source.accepted_on),
                    query_code=numbering.new_query_code(),
                )
                for source in sources
            ]
        )
        submissions, steps, step_sources = [], [], []
        for source, case in zip(sources, cases, strict=True):
            submissions += [_copy(s, case_id=case.pk) for s in source.submissions.all()]
            for step in source.steps.all():
                steps.append(_copy(step, case_id=case.pk))
                step_sources.append(step.pk)
        Submission.objects.bulk_create(submissions)
        StepRun.objects.bulk_create(steps)
        new_step = {}
        for old_pk, step in zip(step_sources, steps, strict=True):
            new_step[(step.case_id, old_pk)] = step.pk
        events, notices = [], []
        for source, case in zip(sources, cases, strict=True):
            events += [
                _copy(event, case_id=case.pk, step_id=new_step.get((case.pk, event.step_id)))
                for event in source.events.all()
            ]
            notices += [
                _copy(
                    notice,
                    case_id=case.pk,
                    number=numbering.notice_number(
                        source, notice.kind, shanghai_today(notice.issued_at)
                    ),
                    content={**notice.content, "case_number": case.number},
                )
                for notice in source.notices.all()
            ]
        CaseEvent.objects.bulk_create(events)
        Notice.objects.bulk_create(notices)


def page_queries(client: Client, url: str) -> tuple[int, int]:
    """(status, queries) of a GET of ``url``, after one warm-up request for the caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def workbench_queries(center: ServiceCenter, sizes: tuple[int, ...]) -> list[str]:
    """Lines reporting the queries of the list and detail pages at each department size."""
    try:
        reverse("workbench-cases")
        reverse("workbench-case", args=[1])
    except NoReverseMatch:
        return ["workbench pages not available yet"]
    department, staff, version = department_with_item(center, "BENCHP", material_required=False)
    clerk = staff[Role.WINDOW_CLERK]

    templates = [
        services.case_window_intake(version=version, by=clerk, files={}, applicant=APPLICANT)
        for _ in range(sizes[0])
    ]
    # The case shown on the detail page has a history: accepted, one step done, the next claimed.
    shown = templates[0]
    first = shown.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=first, by=staff[first.role])
    services.step_complete(step=first, by=staff[first.role], opinion="同意")
    second = shown.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=second, by=staff[second.role])

    client = Client()
    client.force_login(clerk)
    pages = {
        "department case list": reverse("workbench-cases"),
        "case detail": reverse("workbench-case", args=[shown.pk]),
    }
    results: dict[str, list[tuple[int, int, int]]] = {name: [] for name in pages}
    for size in sizes:
        add_copies(templates, size - department.cases.count())
        for name, url in pages.items():
            status, count = page_queries(client, url)
            results[name].append((size, status, count))

    lines = []
    for name, rows in results.items():
        parts = [
            f"{size:,} cases → {count} queries" + ("" if status == 200 else f" (HTTP {status})")
            for size, status, count in rows
        ]
        counts = {count for _, _, count in rows}
        verdict = "constant" if len(counts) == 1 else "GROWS WITH THE NUMBER OF CASES"
        lines.append(f"  {name}: {'; '.join(parts)} ({verdict})")
    return lines


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    arguments = parse_arguments()
    if connection.vendor != "postgresql":
        sys.exit(
            "This benchmark runs on PostgreSQL only. Point DATABASE_URL at a database that does "
            "not exist yet, for example:\n"
            "  DATABASE_URL=postgres://user:password@127.0.0.1:5432/approval_bench "
            ".venv/bin/python bench/workflow.py"
        )
    params = connection.settings_dict
    create_database(params)
    # The services log every notification and task; the bench prints only its results.
    logging.disable(logging.WARNING)
    # As in production: the request writes the outbox row and hands its id to the broker; a
    # worker delivers. No worker runs during the measured run (an in-process broker holds the
    # messages); the outbox is delivered afterwards, as the worker's batches would.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    began = time.perf_counter()
    summary = ""
    media = tempfile.mkdtemp(prefix="approval-bench-media-")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        where = f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
        print(f"database {params['NAME']} on {where} (PostgreSQL {version}), created for this run")
        call_command("migrate", verbosity=0, interactive=False)
        calendar_load_from_chinese_calendar()
        with override_settings(
            MEDIA_ROOT=media,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ALLOWED_HOSTS=["testserver"],
            SECURE_SSL_REDIRECT=False,
        ):
            center = ServiceCenter.objects.create(
                code="BENCH", name="基准测试政务服务中心", level=CenterLevel.CITY
            )
            floors: list[float] = []
            rounds = arguments.rounds

            def floor_round() -> None:
                floors.append(
                    pgbench_floor_tps(
                        params,
                        clients=arguments.pgbench_clients,
                        seconds=arguments.pgbench_seconds / rounds,
                    )
                )

            rate, seconds, tally, whole = workflow_rate(
                center, arguments.cases, rounds=rounds, between=floor_round
            )
            count = arguments.cases
            print(f"workflow: {count} cases from submission to completion in {seconds:.1f} s")
            print(f"  {'transition':<22} {'queries':>8} {'commits':>8} {'ms':>8}")
            for name, (queries, commits, spent) in tally.rows.items():
                print(
                    f"  {name:<22} {queries / count:>8.1f} {commits / count:>8.1f} "
                    f"{spent * 1000 / count:>8.2f}"
                )
            sent, delivery_seconds = worker_delivery()
            print(
                f"worker: {sent} notifications delivered in {delivery_seconds:.1f} s "
                "after the run, in batches"
            )
            # Each round of pgbench runs as long as the others: the mean of their rates.
            floor = sum(floors) / len(floors)
            floor_cases = floor / len(TRANSITIONS)
            print(
                f"floor: pgbench, {arguments.pgbench_clients} client(s), "
                f"{arguments.pgbench_seconds} s in {len(floors)} rounds between the workflow's, "
                f"lock + update the case, insert an event and an outbox row: {floor:.1f} tps "
                f"= {floor_cases:.1f} cases/s ({len(TRANSITIONS)} transitions a case; by round: "
                f"{', '.join(f'{tps / len(TRANSITIONS):.0f}' for tps in floors)})"
            )
            print("queries per workbench page, as the department's window clerk:")
            for line in workbench_queries(center, (10, arguments.page_cases)):
                print(line)
            summary = (
                f"per case: {whole.queries / count:.0f} queries, {whole.commits / count:.0f} "
                f"commits, {rate:.1f} cases/s; floor: {floor_cases:.1f} cases/s; "
                f"ratio to floor: {rate / floor_cases:.2f}"
            )
        print(f"whole run, set-up included: {time.perf_counter() - began:.0f} s")
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if arguments.keep:
            print(f"database {params['NAME']} kept (--keep); drop it with: dropdb {params['NAME']}")
        else:
            drop_database(params)
            print(f"database {params['NAME']} dropped")
    if summary:
        print(summary)


if __name__ == "__main__":
    main()
