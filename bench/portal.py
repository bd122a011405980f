"""Benchmark: requests per second of an item guide page against a trivial view, under gunicorn,
side by side in one run. Target: the guide serves at least 50 % of the trivial view's rate.

Run from the project folder, naming a database that does not exist yet (default
``postgres://postgres@127.0.0.1:5432/approval_portal_bench``); the role needs CREATEDB::

    DATABASE_URL=postgres://user:password@127.0.0.1:5432/approval_portal_bench .venv/bin/python bench/portal.py

The bench creates that database, migrates it, publishes one item through the catalog's write
path (steps, materials with template files, fees), starts gunicorn on a free local port with
``--workers`` processes (default 2) of ``--threads`` threads (default 2) serving
``bench/portal_app.py`` (the project plus ``/bench/trivial/``, which answers "ok" through the
whole middleware stack), as production would run it: ``DEBUG=0``, the per-process memory cache
unless ``REDIS_URL`` is set. Load comes from ``--clients`` processes (default 4), each keeping one
HTTP/1.1 connection alive and sending one request after the other. The clients send no cookies
back, so every guide is a new signed-out visitor's: drawn with a CSRF token and cookie of its own. The two URLs alternate in
``--rounds`` rounds (default 4) of ``--seconds`` seconds each (default 3), so that both are measured
while the shared machine's load drifts. Then gunicorn stops and the database is dropped
(``--keep`` leaves it).

It prints the requests per second of each URL per round, the totals and, last,
``trivial: <T> req/s; guide: <G> req/s; ratio: <R> %; target ≥ 50 %: met|missed``.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "python bench/portal.py" puts bench/ first on sys.path, where bench/calendar.py would stand in
# for the standard library's calendar (which http.client needs): the project must come first.
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import http.client  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approval_center.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/approval_portal_bench")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.items import bench_item_draft  # noqa: E402
from bench.scratch import create_database, drop_database  # noqa: E402
from catalog.models import Department, FeeItem, Material, ServiceCenter, Window  # noqa: E402
from catalog.versions import item_version_publish  # noqa: E402

TRIVIAL = "/bench/trivial/"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def publish_item() -> str:
    """One current item with a full guide; its code."""
    center = ServiceCenter.objects.create(code="BENCH", name="基准测试中心", level="city")
    department = Department.objects.create(code="PB", name="基准测试局", center=center)
    window = Window.objects.create(center=center, number="12", kind="comprehensive")
    window.departments.add(department)
    draft = bench_item_draft(department, "PB")
    for order in range(1, 9):
        Material.objects.create(
            version=draft,
            order=order,
            name=f"申请材料{order}",
            deferrable=order == 8,
            originals=1,
            copies=2,
            notes="加盖公章",
            template_file=SimpleUploadedFile(f"模板{order}.pdf", b"%PDF-1.4\n"),
        )
    FeeItem.objects.create(version=draft, name="工本费", amount="10.00", legal_basis="价格文件")
    return item_version_publish(version=draft, by=None).item.code


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, arguments: argparse.Namespace) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-portal-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.portal_app:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={arguments.workers}",
            "--worker-class=gthread",
            f"--threads={arguments.threads}",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, TRIVIAL)
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 s")


def fetch(port: int, url: str) -> tuple[int, bytes]:
    link = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        link.request("GET", url)
        response = link.getresponse()
        return response.status, response.read()
    finally:
        link.close()


def client(port: int, url: str, seconds: float, counts) -> None:
    """One keep-alive connection sending ``url`` again and again for ``seconds``."""
    link = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    done = failed = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        link.request("GET", url)
        response = link.getresponse()
        response.read()
        if response.status == 200:
            done += 1
        else:
            failed += 1
        if response.will_close:
            link.close()
            link = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    link.close()
    counts.put((done, failed))


def measure(port: int, url: str, arguments: argparse.Namespace) -> float:
    """Requests per second answered 200 for ``url`` by all clients together."""
    counts = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=client, args=(port, url, arguments.seconds, counts))
        for _ in range(arguments.clients)
    ]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [counts.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    failed = sum(f for _, f in results)
    if failed:
        sys.exit(f"{url}: {failed} requests did not answer 200")
    return sum(d for d, _ in results) / elapsed


def main() -> None:
    arguments = parse_arguments()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark runs on PostgreSQL only (see DATABASE_URL in its docstring).")
    params = connection.settings_dict
    create_database(params)
    server = None
    try:
        print(f"database {params['NAME']} created for this run")
        call_command("migrate", verbosity=0, interactive=False)
        code = publish_item()
        connection.close()
        guide = f"/items/{code}/"
        port = free_port()
        server = start_gunicorn(port, arguments)
        status, body = fetch(port, guide)
        if status != 200 or code.encode() not in body:
            sys.exit(f"the guide {guide} answered {status}")
        print(
            f"gunicorn: {arguments.workers} workers × {arguments.threads} threads (gthread); "
            f"{arguments.clients} keep-alive clients; {arguments.rounds} rounds of "
            f"{arguments.seconds:g} s per URL; guide {guide} ({len(body):,} bytes)"
        )
        # Warm every worker's cache before measuring.
        measure(port, guide, argparse.Namespace(**{**vars(arguments), "seconds": 1.0}))
        totals = {TRIVIAL: [], guide: []}
        for number in range(1, arguments.rounds + 1):
            row = []
            for url in (TRIVIAL, guide) if number % 2 else (guide, TRIVIAL):
                rate = measure(port, url, arguments)
                totals[url].append(rate)
                row.append(f"{'trivial' if url == TRIVIAL else 'guide'} {rate:,.0f} req/s")
            print(f"round {number}: " + ", ".join(row), flush=True)
        trivial = sum(totals[TRIVIAL]) / len(totals[TRIVIAL])
        guide_rate = sum(totals[guide]) / len(totals[guide])
        ratio = 100 * guide_rate / trivial
        print(
            f"trivial: {trivial:,.0f} req/s; guide: {guide_rate:,.0f} req/s; "
            f"ratio: {ratio:.0f} %; target ≥ 50 %: {'met' if ratio >= 50 else 'missed'}"
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if arguments.keep:
            print(f"database {params['NAME']} kept (--keep); drop it with: dropdb {params['NAME']}")
        else:
            drop_database(params)
            print(f"database {params['NAME']} dropped")


if __name__ == "__main__":
    main()
