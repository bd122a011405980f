"""Excel exports of the office's lists (openpyxl), with the same filters as their pages.

A list is written row by row into a write-only workbook, read from the database in chunks of
``CHUNK_SIZE`` by a server-side cursor (``.iterator``): neither the rows nor the sheet are ever
held whole in memory, whatever the list's length. A short list (up to ``DIRECT_ROWS_MAX``) is
answered at once; a longer one becomes an ``ExportJob`` that a Celery worker runs
(``export_job_run``), moving its count of rows written on after every chunk for the progress
bar, the file stored privately for its owner to download.

The total the progress bar counts towards is an exact count bounded by ``COUNT_CAP``, made once
by the worker before it writes: through the list's own index it costs at most about a second,
in the background. The planner's estimate was the alternative, but for a scoped and filtered
list (a tree of centers, a level, a rule) it can be wrong by a factor of ten, and a progress
bar that runs past its end or stops at a third is worse than none. Beyond the cap the total
stays unknown and the bar shows the rows written so far; once done, the total is the rows
written.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import FilterSet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.deadlines import WorkCalendar
from workflow.exceptions import InvalidInput
from workflow.paging import count_up_to
from workflow.tasks import publish

from .complaint_forms import ComplaintFilter
from .filters import AlertPageFilter, UrgeFilter
from .models import Alert, Complaint, ExportJob, ExportStatus, Urge, UrgeCase
from .rating_forms import RatingFilter, RectificationFilter, rectifications_ordered
from .rectifications import (
    appeal_stage,
    level_label,
    ratings_visible_to,
    rectification_answered_late,
    rectifications_visible_to,
)
from .scope import alerts_for, complaints_for, leader_departments, officer_centers, urges_for
from .selectors import workdays_over
from .standing import reach_of
from .tasks import export_run

logger = logging.getLogger(__name__)

# Rows read from the database at a time, and written between two updates of the progress.
CHUNK_SIZE = 2000
# Up to this many rows the file is made in the request; beyond, by a background job.
DIRECT_ROWS_MAX = 10_000
# The worker counts the rows of a job up to this many for its progress bar.
COUNT_CAP = 1_000_000
# An Excel sheet holds 1,048,576 rows; one of them is the heading. A longer list goes on.
SHEET_ROWS = 1_048_575
# A running job that has not moved for this long lost its worker: another run may take it.
STALE_AFTER = timedelta(minutes=15)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its heading, its width and how a row gives its value."""

    heading: Promise | str
    value: Callable[[Any], Any]
    width: int = 14


def _moment(value: datetime | None) -> datetime | None:
    # Excel knows no time zones: the time as read in Shanghai.
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


def workbook_write(
    out: IO[bytes],
    *,
    title: str,
    columns: list[Column],
    rows: Iterable[Any],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write ``rows`` under ``columns`` into an xlsx workbook saved to ``out``; returns the
    number of rows written. ``on_chunk(written)`` is called after every ``CHUNK_SIZE`` rows.

    The workbook is write-only: openpyxl streams each row to a temporary file as it comes.
    """
    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet | None = None
    written = on_sheet = sheets = 0
    bold = Font(bold=True)

    def new_sheet() -> WriteOnlyWorksheet:
        nonlocal sheets, on_sheet
        sheets += 1
        # A sheet's name has at most 31 characters.
        name = title[:25] if sheets == 1 else f"{title[:25]} ({sheets})"
        made = book.create_sheet(name)
        for index, column in enumerate(columns, start=1):
            made.column_dimensions[get_column_letter(index)].width = column.width
        made.freeze_panes = "A2"
        headings = []
        for column in columns:
            cell = WriteOnlyCell(made, value=str(column.heading))
            cell.font = bold
            headings.append(cell)
        made.append(headings)
        on_sheet = 0
        return made

    sheet = new_sheet()
    for row in rows:
        if on_sheet == SHEET_ROWS:
            sheet = new_sheet()
        sheet.append([column.value(row) for column in columns])
        written += 1
        on_sheet += 1
        if on_chunk is not None and written % CHUNK_SIZE == 0:
            on_chunk(written)
    book.save(out)
    return written


# --- the lists -------------------------------------------------------------------------------


def _filtered(
    filterset: type[FilterSet], params: QueryDict | dict, queryset: QuerySet, **options: Any
) -> QuerySet:
    """``queryset`` filtered by ``params`` as the list's page filters it; InvalidInput with the
    messages per filter when a value is not one it takes."""
    filtering = filterset(data=params, queryset=queryset, **options)
    if not filtering.is_valid():
        fields = {name: [str(m) for m in messages] for name, messages in filtering.errors.items()}
        raise InvalidInput(_("The export's filters are not valid.")).with_fields(fields)
    return filtering.qs


def alerts_rows(*, user: Any, params: QueryDict | dict) -> QuerySet[Alert]:
    """The alerts ``user`` may read, filtered by ``params`` as the alerts page filters
    them, newest first, with what the sheet shows of each in the same query."""
    return (
        _filtered(
            AlertPageFilter,
            params,
            alerts_for(user),
            centers=officer_centers(user),
            departments=leader_departments(user),
        )
        .select_related("case", "step", "department", "center")
        .only(
            "rule",
            "level",
            "raised_on",
            "due_on",
            "resolved_on",
            "revoked_on",
            "acknowledged_at",
            "acknowledgement",
            "case__number",
            "step__name",
            "department__name",
            "center__name",
        )
    )


def alerts_columns(*, today: date, calendar: WorkCalendar) -> list[Column]:
    return [
        Column(gettext_lazy("Case number"), lambda a: a.case.number if a.case_id else None, 22),
        Column(gettext_lazy("Department"), lambda a: a.department.name, 24),
        Column(gettext_lazy("Service center"), lambda a: a.center.name, 20),
        Column(gettext_lazy("Step"), lambda a: a.step.name if a.step_id else None, 12),
        Column(gettext_lazy("Alert rule"), lambda a: a.get_rule_display(), 28),
        Column(gettext_lazy("Alert level"), lambda a: a.get_level_display(), 10),
        Column(gettext_lazy("Raised on"), lambda a: a.raised_on, 12),
        Column(gettext_lazy("Due on"), lambda a: a.due_on, 12),
        Column(
            gettext_lazy("Working days over"),
            lambda a: workdays_over(a, today=today, calendar=calendar),
            10,
        ),
        Column(gettext_lazy("Resolved on"), lambda a: a.resolved_on, 12),
        Column(gettext_lazy("Acknowledged at"), lambda a: _moment(a.acknowledged_at), 18),
        Column(gettext_lazy("Acknowledgement note"), lambda a: a.acknowledgement or None, 40),
        Column(gettext_lazy("Revoked on"), lambda a: a.revoked_on, 12),
    ]


def alerts_export(
    *,
    user: Any,
    params: QueryDict | dict,
    out: IO[bytes],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write the alerts list as ``user`` sees it with ``params`` to ``out``; returns the rows
    written. Headings and labels in the active language, dates as dates."""
    rows = alerts_rows(user=user, params=params)
    columns = alerts_columns(today=shanghai_today(timezone.now()), calendar=load_work_calendar())
    return workbook_write(
        out,
        title=_("Alerts"),
        columns=columns,
        rows=rows.iterator(chunk_size=CHUNK_SIZE),
        on_chunk=on_chunk,
    )


def urges_rows(*, user: Any, params: QueryDict | dict) -> QuerySet[Urge]:
    """The urge notices ``user`` may read, filtered by department and status, newest first;
    the numbers of their cases come in one more query per chunk."""
    urged = UrgeCase.objects.select_related("case").only("urge", "case__number").order_by("pk")
    return (
        _filtered(UrgeFilter, params, urges_for(user))
        .select_related("department", "center")
        .prefetch_related(Prefetch("urged", queryset=urged))
    )


def urges_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Urge notice number"), lambda u: u.number, 22),
        Column(gettext_lazy("Department"), lambda u: u.department.name, 24),
        Column(gettext_lazy("Service center"), lambda u: u.center.name, 20),
        Column(
            gettext_lazy("Cases"),
            lambda u: "、".join(c.case.number or str(c.case_id) for c in u.urged.all()),
            30,
        ),
        Column(gettext_lazy("What the office asks"), lambda u: u.message, 40),
        Column(gettext_lazy("Sent on"), lambda u: u.sent_on, 12),
        Column(gettext_lazy("Answer due on"), lambda u: u.due_on, 12),
        Column(gettext_lazy("Status"), lambda u: u.get_status_display(), 14),
        Column(gettext_lazy("Answered on"), lambda u: u.answered_on, 12),
        Column(gettext_lazy("The department's answer"), lambda u: u.answer or None, 40),
        Column(gettext_lazy("Closed at"), lambda u: _moment(u.closed_at), 18),
    ]


def urges_export(
    *,
    user: Any,
    params: QueryDict | dict,
    out: IO[bytes],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write the urge notices list as ``user`` sees it with ``params`` to ``out``; returns the
    rows written."""
    rows = urges_rows(user=user, params=params)
    return workbook_write(
        out,
        title=_("Urge notices"),
        columns=urges_columns(),
        rows=rows.iterator(chunk_size=CHUNK_SIZE),
        on_chunk=on_chunk,
    )


# --- complaints (网上投诉) ----------------------------------------------------------------------


def complaints_rows(*, user: Any, params: QueryDict | dict) -> QuerySet[Complaint]:
    """The complaints ``user`` may read, filtered by ``params`` as the complaints page
    filters them, newest first."""
    return _filtered(ComplaintFilter, params, complaints_for(user)).select_related(
        "department", "center", "case"
    )


def complaints_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Complaint number"), lambda k: k.number, 18),
        Column(gettext_lazy("Complaint category"), lambda k: k.get_category_display(), 14),
        Column(gettext_lazy("Filed through"), lambda k: k.get_channel_display(), 14),
        Column(gettext_lazy("Department"), lambda k: k.department.name, 24),
        Column(gettext_lazy("Service center"), lambda k: k.center.name, 20),
        Column(gettext_lazy("Case number"), lambda k: k.case.number if k.case_id else None, 22),
        Column(gettext_lazy("Complainant"), lambda k: k.name, 12),
        Column(gettext_lazy("Phone"), lambda k: k.phone, 14),
        Column(gettext_lazy("What happened"), lambda k: k.content, 40),
        Column(gettext_lazy("Filed at"), lambda k: _moment(k.filed_at), 18),
        Column(gettext_lazy("Accept or decline by"), lambda k: k.accept_due_on, 12),
        Column(gettext_lazy("Answer by"), lambda k: k.answer_due_on, 12),
        Column(gettext_lazy("Status"), lambda k: k.get_status_display(), 14),
        Column(gettext_lazy("Accepted or declined on"), lambda k: k.decided_on, 12),
        Column(gettext_lazy("Reasons for not accepting"), lambda k: k.decline_reason or None, 30),
        Column(gettext_lazy("Answered on"), lambda k: k.answered_on, 12),
        Column(gettext_lazy("The department's answer"), lambda k: k.answer or None, 40),
        Column(gettext_lazy("Rating of the answer"), lambda k: k.complainant_level, 10),
    ]


def complaints_export(
    *,
    user: Any,
    params: QueryDict | dict,
    out: IO[bytes],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write the complaints list as ``user`` sees it with ``params`` to ``out``; returns the
    rows written."""
    rows = complaints_rows(user=user, params=params)
    return workbook_write(
        out,
        title=_("Complaints"),
        columns=complaints_columns(),
        rows=rows.iterator(chunk_size=CHUNK_SIZE),
        on_chunk=on_chunk,
    )


# --- ratings and rectifications (好差评 / 整改) --------------------------------------------------


def ratings_rows(*, user: Any, params: QueryDict | dict) -> QuerySet:
    """The ratings ``user`` may read as staff, filtered by ``params`` as the ratings page
    filters them, newest first."""
    return _filtered(RatingFilter, params, ratings_visible_to(user), reach=reach_of(user)).order_by(
        "-rated_at", "-id"
    )


def ratings_columns() -> list[Column]:
    stages = {
        "none": "",
        "appealed": gettext_lazy("Appealed, waiting for the review"),
        "upheld": gettext_lazy("Appeal upheld: excluded"),
        "dismissed": gettext_lazy("Appeal dismissed: stands"),
    }

    def rectification(r: Any) -> Any:
        found = getattr(r, "rectification", None)
        return found.get_status_display() if found is not None else None

    return [
        Column(gettext_lazy("Rated at"), lambda r: _moment(r.rated_at), 18),
        Column(gettext_lazy("Case number"), lambda r: r.case.number or str(r.case_id), 22),
        Column(gettext_lazy("Department"), lambda r: r.department.name, 24),
        Column(gettext_lazy("Service center"), lambda r: r.department.center.name, 20),
        Column(gettext_lazy("Window"), lambda r: r.window.number if r.window_id else None, 8),
        Column(
            gettext_lazy("Staff member"),
            lambda r: (r.staff.get_full_name() or r.staff.get_username()) if r.staff_id else None,
            14,
        ),
        Column(gettext_lazy("Level"), lambda r: r.level, 6),
        Column(gettext_lazy("Level in words"), level_label, 14),
        Column(gettext_lazy("Poor rating"), lambda r: _("yes") if r.poor else _("no"), 8),
        Column(gettext_lazy("Rated through"), lambda r: r.get_channel_display(), 18),
        Column(gettext_lazy("Comment"), lambda r: r.comment or None, 40),
        Column(gettext_lazy("Rectification"), rectification, 14),
        Column(gettext_lazy("Appeal"), lambda r: str(stages[appeal_stage(r)]) or None, 20),
        Column(
            gettext_lazy("Excluded from the statistics"),
            lambda r: _("yes") if r.excluded else _("no"),
            10,
        ),
    ]


def ratings_export(
    *,
    user: Any,
    params: QueryDict | dict,
    out: IO[bytes],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write the ratings list as ``user`` sees it with ``params`` to ``out``."""
    return workbook_write(
        out,
        title=_("Ratings"),
        columns=ratings_columns(),
        rows=ratings_rows(user=user, params=params).iterator(chunk_size=CHUNK_SIZE),
        on_chunk=on_chunk,
    )


def rectifications_rows(*, user: Any, params: QueryDict | dict) -> QuerySet:
    """The rectifications ``user`` may read, filtered by ``params`` as their page filters them:
    the open ones by due date, any other choice newest first."""
    rows = _filtered(
        RectificationFilter, params, rectifications_visible_to(user), reach=reach_of(user)
    )
    return rectifications_ordered(rows, params.get("status"))


def rectifications_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Case number"), lambda r: r.case.number or str(r.case_id), 22),
        Column(gettext_lazy("Department"), lambda r: r.department.name, 24),
        Column(gettext_lazy("Service center"), lambda r: r.department.center.name, 20),
        Column(gettext_lazy("Rating"), lambda r: level_label(r.rating), 14),
        Column(gettext_lazy("Comment"), lambda r: r.rating.comment or None, 40),
        Column(gettext_lazy("Opened on"), lambda r: r.opened_on, 12),
        Column(gettext_lazy("Answer due on"), lambda r: r.due_on, 12),
        Column(gettext_lazy("Status"), lambda r: r.get_status_display(), 16),
        Column(gettext_lazy("Answered on"), lambda r: r.answered_on, 12),
        Column(
            gettext_lazy("Answered late"),
            lambda r: _("yes") if rectification_answered_late(r) else None,
            8,
        ),
        Column(gettext_lazy("What was found and put right"), lambda r: r.answer or None, 40),
        Column(gettext_lazy("Call-back to the applicant"), lambda r: r.callback_note or None, 30),
        Column(
            gettext_lazy("The applicant's rating of the rectification"),
            lambda r: r.applicant_level,
            10,
        ),
    ]


def rectifications_export(
    *,
    user: Any,
    params: QueryDict | dict,
    out: IO[bytes],
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Write the rectifications list as ``user`` sees it with ``params`` to ``out``."""
    return workbook_write(
        out,
        title=_("Rectifications"),
        columns=rectifications_columns(),
        rows=rectifications_rows(user=user, params=params).iterator(chunk_size=CHUNK_SIZE),
        on_chunk=on_chunk,
    )


@dataclass(frozen=True)
class ExportList:
    """A list that can be exported: its name in addresses, its title, its rows and its writer."""

    kind: str
    title: Promise
    filterset: type[FilterSet]
    rows: Callable[..., QuerySet]
    export: Callable[..., int]

    def params_of(self, query: QueryDict | dict) -> dict[str, str]:
        """The list's own filters among ``query`` (paging and anything else left out)."""
        return {
            name: str(query.get(name))
            for name in self.filterset.base_filters
            if query.get(name) not in (None, "")
        }

    def file_name(self, today: date) -> str:
        return f"{self.title}-{today.isoformat()}.xlsx"


EXPORTS: dict[str, ExportList] = {
    "alerts": ExportList(
        "alerts", gettext_lazy("Alerts"), AlertPageFilter, alerts_rows, alerts_export
    ),
    "urges": ExportList(
        "urges", gettext_lazy("Urge notices"), UrgeFilter, urges_rows, urges_export
    ),
    "complaints": ExportList(
        "complaints",
        gettext_lazy("Complaints"),
        ComplaintFilter,
        complaints_rows,
        complaints_export,
    ),
    "ratings": ExportList(
        "ratings", gettext_lazy("Ratings"), RatingFilter, ratings_rows, ratings_export
    ),
    "rectifications": ExportList(
        "rectifications",
        gettext_lazy("Rectifications"),
        RectificationFilter,
        rectifications_rows,
        rectifications_export,
    ),
}


# --- background jobs -------------------------------------------------------------------------


def direct_rows(queryset: QuerySet) -> int | None:
    """How many rows ``queryset`` holds, or None when more than ``DIRECT_ROWS_MAX``: counted
    no further than that, so the question costs the same for a long list as for a short one."""
    return count_up_to(queryset, DIRECT_ROWS_MAX)


def export_job_start(
    *, user: Any, kind: str, params: dict[str, str], language: str = ""
) -> ExportJob:
    """Queue the export of the list ``kind`` with ``params`` for ``user``, or give back the
    same export of theirs that is still waiting or running (a second click makes no second
    file). The worker is asked once the row is committed; a broker that is down holds nothing
    up: the job waits and ``exports_sweep`` sends it again.
    """
    if kind not in EXPORTS:
        raise InvalidInput(_("There is no such list to export."))
    with transaction.atomic():
        same = (
            ExportJob.objects.filter(
                user=user,
                kind=kind,
                status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if same is not None and same.params == params:
            return same
        job = ExportJob.objects.create(
            user=user, kind=kind, params=params, language=language or translation.get_language()
        )
        transaction.on_commit(lambda: publish(export_run, (job.pk,)))
    return job


def _claim(job_id: int, now: datetime) -> bool:
    """Take the job for this run: waiting, or running without progress for ``STALE_AFTER``
    (its worker died). A compare-and-set update, so two runs never both write it."""
    return bool(
        ExportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ExportStatus.QUEUED)
            | Q(status=ExportStatus.RUNNING, progressed_at__lt=now - STALE_AFTER)
        )
        .update(status=ExportStatus.RUNNING, written=0, total=None, error="", progressed_at=now)
    )


def export_job_run(*, job_id: int) -> str:
    """Write the file of export job ``job_id``; safe to run twice (a job done, failed or being
    written by another run is left alone). Returns the job's status after this run.

    The rows written are saved after every chunk with one UPDATE, for the progress bar; an
    error ends the job as failed with its message kept.
    """
    if not _claim(job_id, timezone.now()):
        status = ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or "missing"
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    listed = EXPORTS.get(job.kind)

    def progress(written: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(written=written, progressed_at=timezone.now())

    try:
        if listed is None:
            raise InvalidInput(_("There is no such list to export."))
        with translation.override(job.language or None):
            total = count_up_to(listed.rows(user=job.user, params=job.params), COUNT_CAP)
            ExportJob.objects.filter(pk=job_id).update(total=total)
            with tempfile.TemporaryFile() as out:
                written = listed.export(
                    user=job.user, params=job.params, out=out, on_chunk=progress
                )
                out.seek(0)
                # Stored under a plain name; the download is named for the reader.
                stored = f"{job.kind}-{job.pk}.xlsx"
                job.file.save(stored, File(out, name=stored), save=False)
    except Exception as error:  # noqa: BLE001 - any failure ends the job, with its message
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED,
            error=str(error)[:2000] or repr(error),
            finished_at=timezone.now(),
        )
        return ExportStatus.FAILED
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.DONE,
        file=job.file.name,
        written=written,
        total=written,
        progressed_at=timezone.now(),
        finished_at=timezone.now(),
    )
    return ExportStatus.DONE


def export_jobs_waiting(now: datetime) -> Iterator[int]:
    """The jobs a worker should have taken by now: waiting for more than a minute (the broker
    was down when they were asked for), or running without progress (their worker died)."""
    return iter(
        ExportJob.objects.filter(
            Q(status=ExportStatus.QUEUED, created_at__lt=now - timedelta(minutes=1))
            | Q(status=ExportStatus.RUNNING, progressed_at__lt=now - STALE_AFTER)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:100]
    )
