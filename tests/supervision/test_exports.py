"""Excel exports of the alerts and urge lists: a short list answers the file at once, a long one
runs as a background job with its progress page and a download for its owner alone; the rows
are streamed in chunks, never held whole."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from catalog.models import Role
from supervision import exports
from supervision.exports import alerts_export, export_job_run
from supervision.models import AlertLevel, AlertRule, ExportJob, ExportStatus, UrgeStatus
from supervision.tasks import export_run, exports_sweep
from tests.factories.catalog import UserFactory, staff_user
from tests.factories.supervision import alert_on, center_tree, urge_about
from tests.factories.workflow import accepted_case, at

pytestmark = pytest.mark.django_db

EXPORTS = "/staff/supervision/exports/"
MONDAY = date(2026, 11, 16)
FRIDAY = date(2026, 11, 20)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def today():
    with time_machine.travel(at(FRIDAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def tree(today):
    return center_tree(now=at(MONDAY))


@pytest.fixture
def officer_client(client, tree):
    client.force_login(tree.county_officer)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def sheet_rows(content: bytes, sheet: int = 0) -> list[list]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def job_of(response) -> ExportJob:
    assert response.status_code == 302, response.content
    match = re.fullmatch(rf"{EXPORTS}(\d+)/", response.url)
    assert match, response.url
    return ExportJob.objects.get(pk=int(match.group(1)))


# --- a short list, at once ------------------------------------------------------------------


def test_a_short_alert_list_downloads_at_once_with_the_pages_filters(officer_client, tree):
    case = tree.county.case
    step = case.steps.order_by("order").first()
    red = alert_on(case, step=step, rule=AlertRule.STEP_DUE, level=AlertLevel.RED)
    alert_on(case)  # yellow: filtered out
    alert_on(tree.city.case, level=AlertLevel.RED)  # the city's: out of scope

    answer = officer_client.get(f"{EXPORTS}alerts.xlsx", {"level": "red", "after": "x"})

    assert answer.status_code == 200
    assert answer["Content-Type"] == XLSX
    assert answer["Content-Disposition"] == 'attachment; filename="Alerts-2026-11-20.xlsx"'
    content = body(answer)
    heading, *rows = sheet_rows(content)
    assert heading == [
        "Case number",
        "Department",
        "Service center",
        "Step",
        "Alert rule",
        "Alert level",
        "Raised on",
        "Due on",
        "Working days over",
        "Resolved on",
        "Acknowledged at",
        "Acknowledgement note",
        "Revoked on",
    ]
    assert len(rows) == 1
    row = rows[0]
    assert row[:6] == [
        case.number,
        tree.county.department.name,
        tree.county.center.name,
        step.name,
        "Step due date",
        "Red card",
    ]
    # Dates are dates in the sheet (Excel keeps them as date-times at midnight).
    assert [cell.date() for cell in row[6:8]] == [red.raised_on, red.due_on]
    assert row[8] == 4
    assert row[9:] == [None, None, None, None]
    book = load_workbook(io.BytesIO(content))
    assert (
        book.worksheets[0]["G2"].is_date and book.worksheets[0]["G2"].number_format == "yyyy-mm-dd"
    )
    assert not ExportJob.objects.exists()


def test_the_headings_and_labels_are_in_the_users_language(officer_client, tree, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    alert_on(tree.county.case, level=AlertLevel.RED)

    heading, row = sheet_rows(body(officer_client.get(f"{EXPORTS}alerts.xlsx")))

    with translation.override("zh-hans"):
        expected = [translation.gettext("Case number"), translation.gettext("Department")]
        level = str(AlertLevel.RED.label)
    assert expected != ["Case number", "Department"]
    assert heading[:2] == expected
    assert row[5] == level


def test_the_urge_list_exports_with_its_filters_and_its_cases(officer_client, tree):
    second = accepted_case(tree.county.case.item_version, tree.county.staff, now=at(MONDAY))
    urged = urge_about(tree.county.case, second, by=tree.county_officer)
    urge_about(tree.county.case, by=tree.county_officer, status=UrgeStatus.CLOSED)
    urge_about(tree.town.case, by=tree.county_officer)
    urge_about(tree.other_county.case, by=tree.city_officer)  # out of the county's tree

    answer = officer_client.get(
        f"{EXPORTS}urges.xlsx", {"status": "open", "department": tree.county.department.pk}
    )

    assert answer.status_code == 200
    heading, *rows = sheet_rows(body(answer))
    assert heading[:4] == ["Urge notice number", "Department", "Service center", "Cases"]
    assert [row[0] for row in rows] == [urged.number]
    assert rows[0][3] == f"{tree.county.case.number}、{second.number}"
    assert rows[0][5].date() == urged.sent_on
    assert rows[0][7] == "Waiting for the answer"
    everything = sheet_rows(body(officer_client.get(f"{EXPORTS}urges.xlsx")))
    assert len(everything) == 1 + 3


def test_a_filter_value_the_list_does_not_take_is_a_400_page(officer_client, tree):
    answer = officer_client.get(f"{EXPORTS}alerts.xlsx", {"level": "purple"})

    assert answer.status_code == 400
    assert "There is a problem" in answer.content.decode()
    assert not ExportJob.objects.exists()


def test_only_supervision_officers_and_leaders_export(client, tree):
    alert_on(tree.county.case)
    for user in (tree.county.staff.clerk, UserFactory()):
        client.force_login(user)
        assert client.get(f"{EXPORTS}alerts.xlsx").status_code == 403
        assert client.get(EXPORTS).status_code == 403
    client.force_login(tree.county.staff.approver)
    assert len(sheet_rows(body(client.get(f"{EXPORTS}alerts.xlsx")))) == 2
    client.logout()
    assert client.get(f"{EXPORTS}alerts.xlsx").status_code == 302


# --- a long list, in the background ---------------------------------------------------------


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(exports, "DIRECT_ROWS_MAX", 3)


def test_a_long_list_becomes_a_job_its_owner_follows_and_downloads(
    officer_client, tree, small_threshold, client, django_capture_on_commit_callbacks
):
    made = [alert_on(tree.town.case) for _ in range(5)]
    alert_on(tree.city.case)  # out of scope

    with django_capture_on_commit_callbacks(execute=True):
        answer = officer_client.get(f"{EXPORTS}alerts.xlsx", {"state": "open"})

    job = job_of(answer)
    assert (job.user, job.kind, job.params, job.language) == (
        tree.county_officer,
        "alerts",
        {"state": "open"},
        "en",
    )
    job.refresh_from_db()
    assert (job.status, job.written, job.total, job.error) == (ExportStatus.DONE, 5, 5, "")
    page = officer_client.get(answer.url).content.decode()
    assert f'href="{EXPORTS}{job.pk}/file/"' in page
    assert "The file is ready: 5 rows." in page
    fragment = officer_client.get(f"{EXPORTS}{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # done: the polling stops
    download = officer_client.get(f"{EXPORTS}{job.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="Alerts-2026-11-20')
    rows = sheet_rows(body(download))
    assert len(rows) == 1 + len(made)
    listing = officer_client.get(EXPORTS).content.decode()
    assert f'href="{EXPORTS}{job.pk}/"' in listing

    # Anyone else, another officer of the same center included, finds nothing.
    for stranger in (
        staff_user(Role.SUPERVISION_OFFICER, center=tree.county.center),
        tree.city_officer,
    ):
        client.force_login(stranger)
        for path in ("", "progress/", "file/"):
            assert client.get(f"{EXPORTS}{job.pk}/{path}").status_code == 404
        assert f"{EXPORTS}{job.pk}/" not in client.get(EXPORTS).content.decode()
    client.force_login(UserFactory())
    assert client.get(f"{EXPORTS}{job.pk}/file/").status_code == 403


def test_the_progress_page_polls_while_the_job_runs(officer_client, tree):
    job = ExportJob.objects.create(
        user=tree.county_officer, kind="alerts", status=ExportStatus.RUNNING, total=10, written=4
    )

    page = officer_client.get(f"{EXPORTS}{job.pk}/").content.decode()

    assert f'hx-get="{EXPORTS}{job.pk}/progress/"' in page
    assert 'hx-trigger="every 2s"' in page
    assert re.search(r'<progress id="export-bar-\d+" max="10" value="4">40%</progress>', page)
    assert "4 of 10 rows written" in page
    assert officer_client.get(f"{EXPORTS}{job.pk}/file/").status_code == 404


def test_a_second_click_on_a_waiting_export_leads_to_the_same_job(
    officer_client, tree, small_threshold, monkeypatch
):
    for _ in range(5):
        alert_on(tree.town.case)

    first = job_of(officer_client.get(f"{EXPORTS}alerts.xlsx"))
    second = job_of(officer_client.get(f"{EXPORTS}alerts.xlsx"))
    other = job_of(officer_client.get(f"{EXPORTS}alerts.xlsx", {"level": "yellow"}))

    assert first == second != other
    assert first.status == ExportStatus.QUEUED  # its task waits for the commit


def test_a_dead_broker_holds_no_request_and_the_sweep_runs_the_job_later(
    officer_client, tree, small_threshold, monkeypatch, today, django_capture_on_commit_callbacks
):
    for _ in range(5):
        alert_on(tree.town.case)

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("the broker is down")

    with monkeypatch.context() as patch:
        patch.setattr(export_run, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            answer = officer_client.get(f"{EXPORTS}alerts.xlsx")
    job = job_of(answer)
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED
    assert "Waiting to start" in officer_client.get(answer.url).content.decode()

    assert exports_sweep() == 0  # asked for just now: the worker may still take it
    today.shift(120)
    assert exports_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.written) == (ExportStatus.DONE, 5)


def test_a_failing_export_is_recorded_as_failed_with_its_error(officer_client, tree, monkeypatch):
    job = ExportJob.objects.create(user=tree.county_officer, kind="alerts", params={})

    def full_disk(**kwargs):
        raise OSError("No space left on device")

    listed = exports.EXPORTS["alerts"]
    monkeypatch.setitem(
        exports.EXPORTS,
        "alerts",
        exports.ExportList(listed.kind, listed.title, listed.filterset, listed.rows, full_disk),
    )

    assert export_job_run(job_id=job.pk) == ExportStatus.FAILED

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "No space left on device"
    assert job.finished_at is not None
    page = officer_client.get(f"{EXPORTS}{job.pk}/").content.decode()
    assert "The file could not be made" in page
    assert "hx-trigger" not in page
    assert officer_client.get(f"{EXPORTS}{job.pk}/file/").status_code == 404


def test_a_job_run_twice_is_written_once(tree):
    for _ in range(3):
        alert_on(tree.town.case)
    job = ExportJob.objects.create(user=tree.county_officer, kind="alerts", params={})

    assert export_job_run(job_id=job.pk) == ExportStatus.DONE
    job.refresh_from_db()
    stored = job.file.name
    assert export_job_run(job_id=job.pk) == ExportStatus.DONE
    running = ExportJob.objects.create(
        user=tree.county_officer, kind="alerts", status=ExportStatus.RUNNING
    )
    running.progressed_at = at(FRIDAY)
    running.save()
    assert export_job_run(job_id=running.pk) == ExportStatus.RUNNING  # another run has it

    job.refresh_from_db()
    assert (job.file.name, job.written) == (stored, 3)
    assert export_job_run(job_id=10**9) == "missing"


def test_a_job_whose_worker_died_is_taken_over_once_it_stops_moving(tree, today):
    alert_on(tree.town.case)
    job = ExportJob.objects.create(
        user=tree.county_officer,
        kind="alerts",
        status=ExportStatus.RUNNING,
        written=1,
        progressed_at=at(FRIDAY),
    )
    today.shift(16 * 60)

    assert exports_sweep() == 1

    job.refresh_from_db()
    assert (job.status, job.written) == (ExportStatus.DONE, 1)


# --- streaming ------------------------------------------------------------------------------


def test_the_rows_are_read_and_counted_in_chunks(tree, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    made = [alert_on(tree.town.case) for _ in range(5)]
    progress: list[tuple[int, int]] = []

    def on_chunk(written: int) -> None:
        # On PostgreSQL the rows come through a server-side cursor, open while they are written.
        cursors = -1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
                cursors = cursor.fetchone()[0]
        progress.append((written, cursors))

    out = io.BytesIO()
    with CaptureQueriesContext(connection) as queries:
        written = alerts_export(user=tree.county_officer, params={}, out=out, on_chunk=on_chunk)

    assert written == 5
    assert [w for w, _cursors in progress] == [2, 4]
    if connection.vendor == "postgresql":
        assert all(cursors == 1 for _w, cursors in progress), progress
    rows = sheet_rows(out.getvalue())
    assert len(rows) == 1 + len(made)
    # The rows were read by one query, whatever the number of chunks.
    selects = [q["sql"] for q in queries if 'FROM "supervision_alert"' in q["sql"]]
    assert len(selects) == 1


def test_a_job_moves_its_count_on_after_every_chunk(tree, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for _ in range(5):
        alert_on(tree.town.case)
    job = ExportJob.objects.create(user=tree.county_officer, kind="alerts", params={})

    with CaptureQueriesContext(connection) as queries:
        export_job_run(job_id=job.pk)

    progress = [
        re.search(r'"written" = (\d+)', q["sql"]).group(1)
        for q in queries
        if q["sql"].startswith('UPDATE "supervision_exportjob"') and '"written" = ' in q["sql"]
    ]
    # Claimed (0), after each chunk (2, 4), done (5).
    assert progress == ["0", "2", "4", "5"]
    job.refresh_from_db()
    assert (job.written, job.total) == (5, 5)


def test_a_list_longer_than_a_sheet_goes_on_in_the_next_sheet(tree, monkeypatch):
    monkeypatch.setattr(exports, "SHEET_ROWS", 2)
    for _ in range(5):
        alert_on(tree.town.case)

    out = io.BytesIO()
    alerts_export(user=tree.county_officer, params={}, out=out)

    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Alerts", "Alerts (2)", "Alerts (3)"]
    assert [ws.max_row for ws in book.worksheets] == [3, 3, 2]
    assert all(ws["A1"].value == "Case number" for ws in book.worksheets)


# --- the button the lists include -----------------------------------------------------------


@pytest.mark.parametrize("listed", ["alerts", "urges"])
def test_the_export_button_carries_the_pages_filters(listed):
    html = render_to_string(
        "supervision/_export_button.html", {"list": listed, "query": "level=red&open=true"}
    )

    assert f'href="{EXPORTS}{listed}.xlsx?level=red&amp;open=true"' in html
    assert "Export to Excel" in html
    plain = render_to_string("supervision/_export_button.html", {"list": listed, "query": ""})
    assert f'href="{EXPORTS}{listed}.xlsx"' in plain
