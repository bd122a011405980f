"""The applicant's own cases in the online hall ("my cases"): the list with what is new, one
case in plain words with its clock and notices, and the actions the applicant may take now —
answering a supplement notice and withdrawing — asked of the same guard as the workbench.
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.downloads import private_file_response
from catalog.models import Material
from workflow import services
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.exceptions import WorkflowError
from workflow.models import Case, CaseStatus, ExtensionStatus, NoticeKind
from workflow.paging import keyset_page
from workflow.permissions import Situation, actions_overview, require_round_open
from workflow.selectors import (
    case_clock_strip,
    case_get_for_applicant,
    cases_changed_since,
    cases_for_applicant_newest,
    deferred_materials_pending,
)
from workflow.transitions import Action

from .access import not_for_staff
from .models import CaseListVisit
from .mycases_forms import (
    DeliveryChoiceForm,
    PendingMaterialForm,
    SupplementAnswerForm,
    WithdrawForm,
)
from .plain_words import plain_words

CASES_PER_PAGE = 20
# The session remembers, while the applicant pages through the list, the moment the marks are
# measured from: the first page moves the stored visit on, the next pages must not lose them.
MARKS_SINCE_KEY = "mycases_marks_since"


applicant_required = not_for_staff("portal/mycases/staff_only.html")


def _marks_since(request: HttpRequest, *, first_page: bool):
    """The moment "new since your last visit" is measured from (None on the first visit)."""
    if not first_page:
        stored = request.session.get(MARKS_SINCE_KEY)
        return datetime.fromisoformat(stored) if stored else None
    visit = CaseListVisit.objects.filter(user=request.user).first()
    since = visit.seen_at if visit else None
    CaseListVisit.objects.update_or_create(user=request.user, defaults={"seen_at": timezone.now()})
    request.session[MARKS_SINCE_KEY] = since.isoformat() if since else ""
    return since


def due_shown(case: Case, *, today, calendar) -> dict:
    """The due date the applicant waits for, with its working days left: the window's answer to
    the round submitted (Art. 32), the decision's once accepted, the hand-over's once decided
    (Art. 44: within 10 working days)."""
    due_on, clock = case.due_on, case.clock
    if due_on is None and case.status == CaseStatus.SUBMITTED:
        rounds = [s.intake_due_on for s in case.submissions.all() if s.intake_due_on]
        due_on = max(rounds) if rounds else None
    if case.status == CaseStatus.DECIDED and case.delivery_due_on is not None:
        # The decision's clock has stopped; the hand-over's runs.
        due_on, clock = case.delivery_due_on, "running"
    due_class, workdays_left = due_state(
        due_on,
        clock=clock,
        suspended_since=case.suspended_since,
        today=today,
        calendar=calendar,
    )
    return {"due_on": due_on, "due_class": due_class, "workdays_left": workdays_left}


def case_panels(request: HttpRequest, case: Case) -> list[dict]:
    """The panels other apps put on the page of one case: ``settings.HALL_CASE_PANELS`` names
    callables that take the request and the case and return None (nothing to show) or the
    panel's context, whose ``template`` draws it. The hall knows none of them by name."""
    panels = []
    for path in getattr(settings, "HALL_CASE_PANELS", ()):
        panel = import_string(path)(request, case)
        if panel is not None:
            panels.append(panel)
    return panels


def case_list_marks(request: HttpRequest, case_ids: list[int]) -> dict[int, list[str]]:
    """The marks other apps put on the rows of the list: ``settings.HALL_CASE_LIST_MARKS``
    names callables that take the request and the listed ids (one query for them all, never
    one per row) and return {case id: the mark's words}."""
    marks: dict[int, list[str]] = {}
    for path in getattr(settings, "HALL_CASE_LIST_MARKS", ()):
        for case_id, words in import_string(path)(request, case_ids).items():
            marks.setdefault(case_id, []).append(words)
    return marks


@applicant_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case of the applicant, newest first, keyset-paged, with "new" marks."""
    after, before = request.GET.get("after"), request.GET.get("before")
    page = keyset_page(
        cases_for_applicant_newest(request.user), after=after, before=before, size=CASES_PER_PAGE
    )
    since = _marks_since(request, first_page=not (after or before))
    changed = cases_changed_since(request.user, [c.pk for c in page], since) if since else set()
    today = shanghai_today()
    # The due chip of a submitted round reads its submissions: one query for the page, not one
    # per row (the list's own queryset does not prefetch them).
    prefetch_related_objects(page.object_list, "submissions")
    calendar = load_work_calendar()
    marks = case_list_marks(request, [c.pk for c in page])
    rows = [
        {
            "case": case,
            "new": case.pk in changed,
            "marks": marks.get(case.pk, []),
            **due_shown(case, today=today, calendar=calendar),
        }
        for case in page
    ]
    return render(
        request,
        "portal/mycases/list.html",
        {"page": page, "rows": rows, "first_visit": since is None and not (after or before)},
    )


def plain_timeline(case: Case) -> list[dict]:
    """The events the applicant is shown, each in plain words (``plain_words``), oldest first."""
    return [
        {"at": event.at, "words": words, "step": event.step}
        for event in case.events.all()
        if (words := plain_words(event.action)) is not None
    ]


def requested_materials(case: Case) -> list[dict]:
    """The materials the latest supplement notice asks for, as issued to the applicant."""
    notices = [n for n in case.notices.all() if n.kind == NoticeKind.SUPPLEMENT]
    if not notices:
        return []
    latest = max(notices, key=lambda n: (n.issued_at, n.pk))
    return list(latest.content.get("materials", []))


def supplement_awaited(case: Case, user) -> list[dict]:
    """The materials ``user`` is asked to supplement now: those of the latest supplement
    notice while the case waits for them and ``user`` may answer it; else none."""
    if case.status != CaseStatus.NEEDS_SUPPLEMENT:
        return []
    try:
        require_round_open(Situation(case, user))
    except WorkflowError:
        return []
    return requested_materials(case)


def _detail(request: HttpRequest, case: Case, **forms) -> dict:
    today, calendar = shanghai_today(), load_work_calendar()
    offered, _withheld = actions_overview(case, request.user)
    requested = supplement_awaited(case, request.user)
    suspensions = list(case.suspensions.all())
    return {
        "case": case,
        **due_shown(case, today=today, calendar=calendar),
        "strip": case_clock_strip(case, today=today, calendar=calendar),
        "timeline": plain_timeline(case),
        "notices": sorted(case.notices.all(), key=lambda n: (n.issued_at, n.pk)),
        "suspension": next((s for s in suspensions if s.ended_on is None), None)
        if case.clock == "suspended"
        else None,
        "past_suspensions": [s for s in suspensions if s.ended_on is not None],
        "more_panels": case_panels(request, case),
        "extensions": [e for e in case.extensions.all() if e.status == ExtensionStatus.APPROVED],
        "files": [f for s in case.submissions.all() for f in s.files.all()],
        "is_draft": case.status == CaseStatus.DRAFT,
        "may_withdraw": Action.WITHDRAW in offered,
        "requested": requested,
        "supplement_form": forms.get("supplement_form")
        or (SupplementAnswerForm(requested=requested) if requested else None),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "delivery_form": (forms.get("delivery_form") or DeliveryChoiceForm(case=case))
        if Action.CHOOSE_DELIVERY in offered
        else None,
        "pending_form": (
            forms.get("pending_form")
            or PendingMaterialForm(materials=deferred_materials_pending(case))
        )
        if Action.SUPPLY_DEFERRED in offered
        else None,
    }


@applicant_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """One of the applicant's cases: status, plain-words timeline, clock, notices, actions."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    return render(request, "portal/mycases/detail.html", _detail(request, case))


def _refused(request: HttpRequest, case: Case, message: str, status: int, **forms) -> HttpResponse:
    context = _detail(request, case, **forms)
    context["refusal"] = message
    return render(request, "portal/mycases/detail.html", context, status=status)


def supplement_send(*, case: Case, uploads: list[tuple[int, object]], by) -> None:
    """Attach one file per requested material and send the round to the window, all or
    nothing: a refused file or submission keeps none of the files."""
    materials = {
        m.pk: m
        for m in Material.objects.filter(
            version_id=case.item_version_id, pk__in=[i for i, _f in uploads]
        )
    }
    with transaction.atomic():
        for material_id, upload in uploads:
            material = materials.get(material_id)
            if material is None:
                raise Http404
            services.case_attach_material(case=case, material=material, upload=upload, by=by)
        services.case_submit(case=case, by=by)


@require_POST
@applicant_required
def supplement_answer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Answer the supplement notice: one file per requested material, then the round goes to
    the window. A refusal keeps nothing of the attempt."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    requested = requested_materials(case)
    if case.status != CaseStatus.NEEDS_SUPPLEMENT or not requested:
        return _refused(request, case, _("This case is not waiting for a supplement."), 409)
    form = SupplementAnswerForm(request.POST, request.FILES, requested=requested)
    if not form.is_valid():
        return _refused(request, case, _("Check the files below."), 400, supplement_form=form)
    try:
        supplement_send(case=case, uploads=form.uploads(), by=request.user)
    except WorkflowError as refusal:
        return _refused(request, case, str(refusal), refusal.status, supplement_form=form)
    return redirect("portal-mycase", case_id=case.pk)


@require_POST
@applicant_required
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """Withdraw the application, with the applicant's reason."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, _("Say why you withdraw."), 400, withdraw_form=form)
    try:
        services.case_withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as refusal:
        return _refused(request, case, str(refusal), refusal.status, withdraw_form=form)
    return redirect("portal-mycase", case_id=case.pk)


@require_POST
@applicant_required
def choose_delivery(request: HttpRequest, case_id: int) -> HttpResponse:
    """Say how the result should reach the applicant once decided (Art. 44)."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    form = DeliveryChoiceForm(request.POST, case=case)
    if not form.is_valid():
        return _refused(request, case, _("Check the delivery below."), 400, delivery_form=form)
    try:
        services.case_choose_delivery(case=case, by=request.user, **form.cleaned_data)
    except WorkflowError as refusal:
        for field, errors in refusal.fields.items():
            if field in form.fields:
                for error in errors:
                    form.add_error(field, error)
        return _refused(request, case, str(refusal), refusal.status, delivery_form=form)
    messages.success(request, _("Your choice is recorded; the window delivers the result so."))
    return redirect("portal-mycase", case_id=case.pk)


@require_POST
@applicant_required
def supply_pending(request: HttpRequest, case_id: int) -> HttpResponse:
    """Bring online a material the window accepted as pending (容缺) before its date."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    form = PendingMaterialForm(
        request.POST, request.FILES, materials=deferred_materials_pending(case)
    )
    if not form.is_valid():
        return _refused(request, case, _("Check the file below."), 400, pending_form=form)
    material = form.materials[form.cleaned_data["material"]]
    try:
        services.case_supply_deferred(
            case=case, material=material, upload=form.cleaned_data["file"], by=request.user
        )
    except WorkflowError as refusal:
        return _refused(request, case, str(refusal), refusal.status, pending_form=form)
    messages.success(request, _("“%(material)s” has been sent.") % {"material": material.name})
    return redirect("portal-mycase", case_id=case.pk)


@applicant_required
def case_file(request: HttpRequest, case_id: int, file_id: int) -> HttpResponse:
    """A file the applicant uploaded to one of their own cases (404 for anyone else's)."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    stored = next(
        (f for s in case.submissions.all() for f in s.files.all() if f.pk == file_id), None
    )
    if stored is None:
        raise Http404
    return private_file_response(stored.file, filename=stored.original_name)
