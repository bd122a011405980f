"""The Excel exports of the office's lists: the file itself for a short list, a background job
with its progress page for a long one, and the list of the user's own exports.

For supervision officers and department leaders, each reading the lists as their pages show
them (their center tree, their department). A job and its file are its owner's alone: anyone
else's is "not found". The file goes out only through the private file response.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from catalog.downloads import private_file_response
from workflow.calendar import shanghai_today
from workflow.exceptions import InvalidInput
from workflow.paging import PAGE_SIZE, keyset_page

from .exports import EXPORTS, XLSX_CONTENT_TYPE, direct_rows, export_job_start
from .models import ExportJob, ExportStatus
from .scope import leader_departments, officer_centers

IN_MEMORY_BYTES = 4 * 1024 * 1024


def supervision_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in first; then supervision officers and department leaders only (403 otherwise)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (leader_departments(request.user) or officer_centers(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    # Only the owner's: another user's job is not found, whoever they are.
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


def _progress(job: ExportJob) -> dict[str, Any]:
    """What the progress bar shows: rows written of the total, when the total is known."""
    total = job.total or None
    value = min(job.written, total) if total else None
    percent = value * 100 // total if total and value is not None else None
    return {
        "job": job,
        "total": total,
        "value": value,
        "percent": percent,
        "kind": EXPORTS.get(job.kind),
    }


@require_GET
@supervision_required
def export_file(request: HttpRequest, kind: str) -> HttpResponse:
    """``<list>.xlsx?<filters>``: the file at once for up to ``DIRECT_ROWS_MAX`` rows; a job,
    and its progress page, for more."""
    listed = EXPORTS[kind]
    params = listed.params_of(request.GET)
    try:
        rows = listed.rows(user=request.user, params=params)
    except InvalidInput as error:
        return render(
            request,
            "supervision/exports/invalid.html",
            {"error": error, "kind": listed},
            status=400,
        )
    if direct_rows(rows) is None:
        job = export_job_start(user=request.user, kind=kind, params=params, language=get_language())
        return redirect("supervision-export-job", pk=job.pk)
    # In memory up to a few megabytes, on disk beyond; closed once the answer is sent.
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - FileResponse closes it
    listed.export(user=request.user, params=params, out=out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=listed.file_name(shanghai_today(timezone.now())),
        content_type=XLSX_CONTENT_TYPE,
    )


@require_GET
@supervision_required
def export_jobs(request: HttpRequest) -> HttpResponse:
    """My exports: the user's own jobs, newest first."""
    jobs = ExportJob.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = keyset_page(
        jobs, after=request.GET.get("after"), before=request.GET.get("before"), size=PAGE_SIZE
    )
    rows = [_progress(job) for job in page]
    return render(request, "supervision/exports/jobs.html", {"page": page, "rows": rows})


@require_GET
@supervision_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One export job: its progress, polled, then the link to its file."""
    return render(request, "supervision/exports/job.html", _progress(_own_job(request, pk)))


@require_GET
@supervision_required
def export_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job's page polls every two seconds."""
    return render(request, "supervision/exports/_progress.html", _progress(_own_job(request, pk)))


@require_GET
@supervision_required
def export_job_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's file, once written, for its owner only."""
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    listed = EXPORTS.get(job.kind)
    day = timezone.localtime(job.finished_at or job.created_at).date()
    name = listed.file_name(day) if listed else f"export-{job.pk}.xlsx"
    return private_file_response(job.file, filename=name, as_attachment=True)
