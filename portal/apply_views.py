"""The apply wizard for online pre-review (网上预审).

Step 1 creates the draft case (``case_create``); the draft is the saved state, so every upload
is kept at once and the wizard resumes where the applicant left it, in another session too.
The materials are on one page (the catalog has no groups of materials), then a review page
submits (``case_submit``). Every case is read through ``case_get_for_applicant``: another
applicant's draft is a 404.
"""

from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog.models import ItemVersion
from catalog.selectors import published_version_detail
from workflow import permissions
from workflow.forms import admitted_applicant_kinds
from workflow.models import Case, CaseStatus, Channel
from workflow.selectors import (
    case_get_for_applicant,
    cases_for_applicant,
    material_files_reusable,
)
from workflow.services import (
    InvalidInput,
    TransitionNotAllowed,
    case_attach_material,
    case_create,
    case_detach_material,
    case_submit,
)

from .access import not_for_staff
from .apply_forms import DetailsForm, ReuseForm, UploadForm, account_particulars

applicant_only = not_for_staff("portal/apply/staff_only.html")


def _version(code: str) -> ItemVersion:
    try:
        return published_version_detail(code)
    except ItemVersion.DoesNotExist as missing:
        raise Http404 from missing


def _draft(request: HttpRequest, case_id: int) -> Case:
    return case_get_for_applicant(user=request.user, pk=case_id)


def open_round_files(case: Case) -> dict[int, list]:
    """``{material id: [files]}`` of the round being prepared (from the prefetched detail)."""
    files: dict[int, list] = {}
    for submission in case.submissions.all():
        if submission.submitted_at is None:
            for stored in submission.files.all():
                files.setdefault(stored.material_id, []).append(stored)
    return files


def _missing(case: Case, user) -> list:
    return permissions.submission_missing(permissions.Situation(case, user))


@applicant_only
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: the applicant's particulars; a valid form creates the draft."""
    version = _version(code)
    if not version.online_prereview:
        return render(request, "portal/apply/window_only.html", {"version": version})
    initial = account_particulars(request.user)
    if initial.get("applicant_kind") not in admitted_applicant_kinds(version):
        # The item is open to the other kind only: its one choice stays chosen.
        initial.pop("applicant_kind", None)
    form = DetailsForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(
                version=version, by=request.user, channel=Channel.ONLINE, **form.applicant()
            )
        except InvalidInput as error:
            form.add_service_errors(error.fields, str(error.message))
        else:
            return redirect("portal-apply-materials", case_id=case.pk)
    drafts = cases_for_applicant(request.user).filter(
        status=CaseStatus.DRAFT, item_version=version
    )[:5]
    return render(
        request,
        "portal/apply/details.html",
        {"version": version, "form": form, "drafts": drafts, "step": 1},
        status=400 if form.is_bound and form.errors else 200,
    )


@applicant_only
@require_http_methods(["GET"])
def draft_resume(request: HttpRequest, case_id: int) -> HttpResponse:
    """Back to a draft, at its first incomplete step; a sent case shows its confirmation."""
    case = _draft(request, case_id)
    if case.status != CaseStatus.DRAFT:
        return redirect("portal-apply-done", case_id=case.pk)
    if _missing(case, request.user):
        return redirect("portal-apply-materials", case_id=case.pk)
    return redirect("portal-apply-review", case_id=case.pk)


def _material_rows(case: Case, *, failed=None, failed_reuse=None, user=None) -> list[dict]:
    materials = list(case.item_version.materials.all())
    files = open_round_files(case)
    reusable = material_files_reusable(
        user=user, names=[m.name for m in materials], exclude_case_id=case.pk
    )
    rows = []
    for material in materials:
        offers = [stored for stored in reusable if stored.material.name == material.name]
        upload = failed if failed is not None and failed.material == material else None
        reuse = (
            failed_reuse if failed_reuse is not None and failed_reuse.material == material else None
        )
        rows.append(
            {
                "material": material,
                "files": files.get(material.pk, []),
                "upload": upload or UploadForm(material=material),
                "reuse": reuse
                or (ReuseForm(material=material, reusable=offers) if offers else None),
            }
        )
    return rows


@applicant_only
@require_http_methods(["GET", "POST"])
def draft_materials(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step 2: one upload per material (kept on the draft at once), or an earlier file reused."""
    case = _draft(request, case_id)
    if case.status != CaseStatus.DRAFT:
        return redirect("portal-apply-done", case_id=case.pk)
    failed = failed_reuse = None
    if request.method == "POST":
        if request.POST.get("detach"):
            return _detach(request, case)
        material = case.item_version.materials.filter(pk=request.POST.get("material")).first()
        if material is None:
            raise Http404
        if request.POST.get("reuse"):
            offers = material_files_reusable(
                user=request.user, names=[material.name], exclude_case_id=case.pk
            )
            form = ReuseForm(request.POST, material=material, reusable=offers)
            if form.is_valid():
                upload = reused_copy(form.by_id[form.cleaned_data["stored"]])
                if _attach(case, material, upload, request.user, form, "stored"):
                    return redirect(_anchor(case, material))
            failed_reuse = form
        else:
            form = UploadForm(request.POST, request.FILES, material=material)
            if form.is_valid() and _attach(
                case, material, form.cleaned_data["file"], request.user, form, "file"
            ):
                return redirect(_anchor(case, material))
            failed = form
        # What was attached before the refusal is still on the draft: read it again.
        case = _draft(request, case_id)
    rows = _material_rows(case, failed=failed, failed_reuse=failed_reuse, user=request.user)
    return render(
        request,
        "portal/apply/materials.html",
        {
            "case": case,
            "version": case.item_version,
            "rows": rows,
            "failed": failed or failed_reuse,
            "missing": _missing(case, request.user),
            "step": 2,
        },
        status=400 if request.method == "POST" else 200,
    )


def _detach(request: HttpRequest, case: Case) -> HttpResponse:
    """Take a wrong file off the draft; another draft's or a sent file is not found."""
    try:
        file_id = int(request.POST["detach"])
    except ValueError:
        raise Http404 from None
    try:
        stored = case_detach_material(case=case, file_id=file_id, by=request.user)
    except (InvalidInput, TransitionNotAllowed) as error:
        messages.error(request, str(error.message))
        return redirect("portal-apply-materials", case_id=case.pk)
    messages.success(request, _("“%(name)s” is removed.") % {"name": stored.original_name})
    return redirect(_anchor(case, stored.material))


def reused_copy(stored) -> SimpleUploadedFile:
    """An earlier file of the applicant's as a new upload (材料复用), attached as a copy and
    checked like any upload."""
    with stored.file.open("rb") as source:
        return SimpleUploadedFile(stored.original_name, source.read())


def _anchor(case: Case, material) -> str:
    return (
        reverse("portal-apply-materials", kwargs={"case_id": case.pk}) + f"#material-{material.pk}"
    )


def _attach(case, material, upload, user, form, field: str) -> bool:
    """Attach through the service; its refusal (type, size, content) goes on ``field``."""
    try:
        case_attach_material(case=case, material=material, upload=upload, by=user)
    except (InvalidInput, TransitionNotAllowed) as error:
        form.add_error(field, str(error.message))
        return False
    return True


@applicant_only
@require_http_methods(["GET", "POST"])
def draft_review(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step 3: everything at a glance, then submit, once however often the button is pressed."""
    case = _draft(request, case_id)
    if case.status != CaseStatus.DRAFT:
        # A second tab, a double click or a retried request: the first one submitted it.
        return redirect("portal-apply-done", case_id=case.pk)
    error = ""
    if request.method == "POST":
        try:
            case_submit(case=case, by=request.user)
        except TransitionNotAllowed:
            # Another request submitted it between our read and our lock.
            return redirect("portal-apply-done", case_id=case.pk)
        except InvalidInput as refused:
            error = str(refused.message)
        else:
            return redirect("portal-apply-done", case_id=case.pk)
    materials = list(case.item_version.materials.all())
    files = open_round_files(case)
    return render(
        request,
        "portal/apply/review.html",
        {
            "case": case,
            "version": case.item_version,
            "rows": [{"material": m, "files": files.get(m.pk, [])} for m in materials],
            "missing": _missing(case, request.user),
            "error": error,
            "step": 3,
        },
        status=400 if error else 200,
    )


@applicant_only
@require_http_methods(["GET"])
def apply_done(request: HttpRequest, case_id: int) -> HttpResponse:
    """The confirmation: the application awaits pre-review, the window answers by a date."""
    case = _draft(request, case_id)
    if case.status == CaseStatus.DRAFT:
        return redirect("portal-apply-review", case_id=case.pk)
    submitted = [s for s in case.submissions.all() if s.submitted_at is not None]
    latest = max(submitted, key=lambda s: s.round) if submitted else None
    return render(
        request,
        "portal/apply/done.html",
        {
            "case": case,
            "version": case.item_version,
            "due_on": latest.intake_due_on if latest else None,
            "awaiting": case.status == CaseStatus.SUBMITTED,
        },
    )
