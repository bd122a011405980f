"""Staff workbench pages: the dashboard, the work lists, the case detail and its actions.

Thin views: a form parses the request, one service acts, the page shows the result. Cases come
only from the selectors' permission-checked getters, so another department's case is a 404.
Every action is a plain POST that redirects back; with htmx the same POST answers with the
case's panel instead, and errors come back with their 4xx status either way.
"""

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.downloads import private_file_response
from catalog.models import (
    FeeItem,
    ItemVersion,
    JointItem,
    Material,
    Role,
    StaffMembership,
    VersionStatus,
)
from catalog.roles import is_staff_member, user_roles

from . import permissions, selectors, services, staging
from .actions import ACTIONS
from .calendar import load_work_calendar, shanghai_today
from .clock import (
    INTAKE_ANSWER_DAYS,
    calendar_known,
    due_state,
)
from .deadlines import workdays_between
from .exceptions import InvalidInput, StaleCase, WorkflowError
from .filters import CaseFilter
from .forms import (
    AcceptForm,
    ApplicantForm,
    ChooseDeliveryForm,
    ClaimStepForm,
    CompleteOnTheSpotForm,
    CompleteStepForm,
    DecideForm,
    DeliverForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    FeeForm,
    IntakeForm,
    IntakeItemForm,
    JointIntakeForm,
    JointIntakeItemForm,
    RejectForm,
    ResumeForm,
    ReturnStepForm,
    SupplementForm,
    SupplyDeferredForm,
    SuspendForm,
    WithdrawForm,
)
from .identifiers import mask_resident_id
from .models import Case, CaseStatus, ExtensionStatus, JointCase, StepStatus
from .paging import COUNT_LIMIT, PAGE_SIZE, count_up_to, keyset_page
from .permissions import actions_overview, standing_on
from .transitions import ACTION_LABELS, WINDOW, Action

# Art. 32: intake is answered within 5 working days of receipt.
PREREVIEW_WORKDAYS = INTAKE_ANSWER_DAYS


def staff_required(view):
    """Log in first; then staff members only (403 for anyone else)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# The query parameters that say which page of a list to show.
PAGE_PARAMETERS = ("after", "before", "page")


def _page(request: HttpRequest, queryset, *, count: bool = False):
    """The page of ``queryset`` the request asks for: keyset pages, "previous / next"."""
    return keyset_page(
        queryset,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=count,
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


# --- due dates ------------------------------------------------------------------------------


def _mark_case(case: Case, today, calendar) -> Case:
    # Display attributes for the templates, set on the row.
    case.due_class, case.workdays_left = due_state(  # type: ignore[attr-defined]
        case.due_on,
        clock=case.clock,
        suspended_since=case.suspended_since,
        today=today,
        calendar=calendar,
    )
    return case


# --- dashboard and lists --------------------------------------------------------------------


def _capped_count(queryset) -> str:
    """The number of rows, counted up to the lists' limit ("1000+" beyond it), so that a
    start page never counts a center's millions of cases exactly."""
    counted = count_up_to(queryset)
    return f"{COUNT_LIMIT}+" if counted is None else str(counted)


# The start page's panels, one per kind of work, in this order; a person holding several roles
# sees every panel of each.
PANEL_ROLES = {
    "window": WINDOW,
    "steps": frozenset({Role.HANDLER, Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE}),
    "leader": frozenset({Role.APPROVER}),
    "fees": frozenset({Role.FEE_CLERK}),
    "supervision": frozenset({Role.SUPERVISION_OFFICER}),
    "catalog": frozenset({Role.CATALOG_ADMINISTRATOR}),
    "users": frozenset({Role.USER_ADMINISTRATOR}),
}


def start_panels(request: HttpRequest) -> list[dict[str, Any]]:
    """The panels other apps put on the start page: ``settings.STAFF_START_PANELS`` names
    callables that take the request and return None (nothing for this user) or the panel's
    context, whose ``template`` draws it. The workflow knows none of them by name."""
    panels = []
    for path in getattr(settings, "STAFF_START_PANELS", ()):
        panel = import_string(path)(request)
        if panel is not None:
            panels.append(panel)
    return panels


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page, shaped by the roles held: a panel of counts and next steps for each kind
    of work (window, steps, leader, fees, supervision, catalog, users)."""
    user = request.user
    roles = set(PANEL_ROLES) if user.is_superuser else user_roles(user)
    panels = {name for name, held in PANEL_ROLES.items() if user.is_superuser or roles & held}
    today, calendar = shanghai_today(), load_work_calendar()
    counts: dict[str, Any] = {}
    if panels & {"window", "leader", "supervision"}:
        counts |= selectors.case_counts_for_staff(user, today=today, calendar=calendar)
    if "window" in panels:
        counts["today"] = _capped_count(selectors.cases_received_on(user, today))
        counts["deliver"] = _capped_count(selectors.cases_to_deliver(user))
    tasks: list = []
    if "steps" in panels:
        claimed = selectors.steps_claimed_by(user)
        counts["tasks"] = _capped_count(claimed)
        counts["queue"] = _capped_count(
            selectors.open_steps_for_staff(user).filter(assignee__isnull=True)
        )
        tasks = _mark_steps(list(claimed[:5]), today, calendar)
    if "leader" in panels:
        counts["extensions"] = _capped_count(selectors.extensions_awaiting_decision(user))
    if "fees" in panels:
        counts["fees"] = _capped_count(selectors.cases_with_fees_to_record(user))
    memberships = StaffMembership.objects.filter(user_id=user.pk or 0).select_related(
        "department", "center"
    )
    return render(
        request,
        "workflow/home.html",
        {
            "panels": panels,
            "memberships": memberships,
            "counts": counts,
            "tasks": tasks,
            "today": today,
            "can_take_in": bool(user_roles(user) & WINDOW),
            "can_take_in_joint": _joint_items_led_by(user).exists(),
            "more_panels": start_panels(request),
        },
    )


def _mark_steps(steps, today, calendar):
    for step in steps:
        case = step.case
        step.due_class, step.workdays_left = due_state(
            step.due_on,
            clock=case.clock,
            suspended_since=case.suspended_since,
            today=today,
            calendar=calendar,
        )
        _mark_case(case, today, calendar)
    return steps


@staff_required
def tasks(request: HttpRequest) -> HttpResponse:
    """The open steps I have claimed, most urgent first."""
    page = _page(request, selectors.steps_claimed_by(request.user))
    _mark_steps(page.object_list, shanghai_today(), load_work_calendar())
    return render(request, "workflow/tasks.html", {"page": page, "query": ""})


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """My departments' open steps nobody has claimed yet, for the roles I hold."""
    steps = selectors.open_steps_for_staff(request.user).filter(assignee__isnull=True)
    page = _page(request, steps)
    _mark_steps(page.object_list, shanghai_today(), load_work_calendar())
    return render(request, "workflow/queue.html", {"page": page, "query": ""})


@staff_required
def prereview(request: HttpRequest) -> HttpResponse:
    """Submitted applications waiting for intake, green channel first, then oldest first, with
    their age (Art. 32)."""
    cases = (
        selectors.cases_for_staff(request.user)
        .filter(status=CaseStatus.SUBMITTED)
        .order_by("-green_channel", "received_on", "id")
    )
    page = _page(request, cases)
    today, calendar = shanghai_today(), load_work_calendar()
    for case in page.object_list:
        case.age = workdays_between(case.received_on, today, calendar=calendar)
        case.late = case.age > PREREVIEW_WORKDAYS
    return render(
        request,
        "workflow/prereview.html",
        {"page": page, "query": "", "limit": PREREVIEW_WORKDAYS},
    )


@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case of my departments, filtered; due dates coloured by how close they are."""
    today, calendar = shanghai_today(), load_work_calendar()
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    case_filter = CaseFilter(
        query or None,
        queryset=selectors.cases_for_staff(request.user),
        today=today,
        calendar=calendar,
    )
    invalid = case_filter.is_bound and not case_filter.is_valid()
    if invalid:
        cases = Case.objects.none()
    elif case_filter.is_bound:
        cases = case_filter.qs
    else:
        cases = selectors.cases_for_staff(request.user)  # type: ignore[assignment]
    page = _page(request, cases.order_by("-created_at", "-id"), count=True)
    for case in page.object_list:
        _mark_case(case, today, calendar)
    return render(
        request,
        "workflow/case_list.html",
        {"filter": case_filter, "page": page, "query": _query_without_page(request)},
        status=400 if invalid else 200,
    )


@staff_required
def extensions(request: HttpRequest) -> HttpResponse:
    """The leader's pending extension requests, each with its approve / refuse form."""
    page = _page(request, selectors.extensions_awaiting_decision(request.user))
    for extension in page.object_list:
        extension.form = ExtensionDecideForm(case=extension.case, extension=extension)
    return render(request, "workflow/extensions.html", {"page": page, "query": ""})


@staff_required
def counter(request: HttpRequest) -> HttpResponse:
    """Today's cases at the counter: every application received today, newest first."""
    today, calendar = shanghai_today(), load_work_calendar()
    page = _page(request, selectors.cases_received_on(request.user, today))
    for case in page.object_list:
        _mark_case(case, today, calendar)
    return render(request, "workflow/counter.html", {"page": page, "query": "", "today": today})


def _mark_delivery(cases, today, calendar) -> None:
    # The urgency of handing over the result (Art. 44), shown like any due date.
    for case in cases:
        case.due_class, case.workdays_left = due_state(
            case.delivery_due_on,
            clock="running",
            suspended_since=None,
            today=today,
            calendar=calendar,
        )


@staff_required
def delivery(request: HttpRequest) -> HttpResponse:
    """Decided cases whose result is still to be handed over, the earliest due first (Art. 44)."""
    today, calendar = shanghai_today(), load_work_calendar()
    page = _page(request, selectors.cases_to_deliver(request.user))
    _mark_delivery(page.object_list, today, calendar)
    return render(request, "workflow/delivery.html", {"page": page, "query": ""})


@staff_required
def fees(request: HttpRequest) -> HttpResponse:
    """Approved cases with a fee still to record (the fee clerk's list)."""
    today, calendar = shanghai_today(), load_work_calendar()
    page = _page(request, selectors.cases_with_fees_to_record(request.user))
    _mark_delivery(page.object_list, today, calendar)
    return render(request, "workflow/fees.html", {"page": page, "query": ""})


# Steps tried by "claim next" before it gives up: each one lost means a colleague claimed it
# in the same instant.
CLAIM_NEXT_TRIES = 5


@require_POST
@staff_required
def claim_next(request: HttpRequest) -> HttpResponse:
    """Claim the most urgent unclaimed step of my department queue and open its case."""
    waiting = selectors.open_steps_for_staff(request.user).filter(assignee__isnull=True)
    for step in waiting[:CLAIM_NEXT_TRIES]:
        try:
            services.step_claim(step=step, by=request.user)
        except WorkflowError:
            continue
        messages.success(request, _("You have claimed the step “%(step)s”.") % {"step": step.name})
        return redirect("workbench-case", pk=step.case_id)
    messages.info(request, _("No step is waiting to be claimed."))
    return redirect("workbench-queue")


# --- the case -------------------------------------------------------------------------------


def _notice_links() -> bool:
    # The printable notice page may not be installed; then notices are listed without links.
    try:
        reverse("workbench-notice", args=[1, 1])
    except NoReverseMatch:
        return False
    return True


def _open_step(case: Case):
    return next((step for step in case.steps.all() if step.status == StepStatus.OPEN), None)


def _blank_form(action: str, case: Case):
    """The empty form of ``action`` for ``case`` (a list of forms for fees)."""
    step = _open_step(case)
    match action:
        case Action.REQUEST_SUPPLEMENT:
            return SupplementForm(case=case, materials=case.item_version.materials.all())
        case Action.REJECT:
            return RejectForm(case=case)
        case Action.ACCEPT:
            return AcceptForm(case=case, deferred=selectors.deferred_materials_pending(case))
        case Action.CLAIM_STEP:
            return ClaimStepForm(case=case, step=step)
        case Action.COMPLETE_STEP:
            return CompleteStepForm(case=case, step=step)
        case Action.RETURN_STEP:
            return ReturnStepForm(case=case, step=step)
        case Action.SUSPEND:
            return SuspendForm(case=case)
        case Action.RESUME:
            return ResumeForm(case=case)
        case Action.REQUEST_EXTENSION:
            return ExtensionRequestForm(case=case)
        case Action.APPROVE_EXTENSION:
            extension = _requested_extension(case)
            return ExtensionDecideForm(case=case, extension=extension)
        case Action.DECIDE:
            return DecideForm(case=case)
        case Action.RECORD_FEE:
            return [
                FeeForm(case=case, fee=fee, index=index)
                for index, fee in enumerate(selectors.fees_unrecorded(case))
            ]
        case Action.CHOOSE_DELIVERY:
            return ChooseDeliveryForm(case=case)
        case Action.DELIVER:
            return DeliverForm(case=case)
        case Action.SUPPLY_DEFERRED:
            return SupplyDeferredForm(
                case=case, materials=selectors.deferred_materials_pending(case)
            )
        case permissions.COMPLETE_ON_THE_SPOT:
            return CompleteOnTheSpotForm(case=case)
        case Action.WITHDRAW:
            return WithdrawForm(case=case)
    raise Http404


def _requested_extension(case: Case):
    return next((e for e in case.extensions.all() if e.status == ExtensionStatus.REQUESTED), None)


def _detail_context(request: HttpRequest, case: Case, *, bound=None, flash=None) -> dict:
    """Everything the case page shows; ``bound`` = (action, form) keeps a refused form's input."""
    prefetch_related_objects(
        [case],
        Prefetch("item_version__materials", queryset=Material.objects.order_by("order", "id")),
        Prefetch("item_version__fees", queryset=FeeItem.objects.order_by("id")),
    )
    today, calendar = shanghai_today(), load_work_calendar()
    standing = standing_on(request.user, case)
    in_department = standing.in_department
    actions, withheld = actions_overview(case, request.user, standing=standing)
    forms = {action.replace("-", "_"): _blank_form(action, case) for action in actions}
    if bound is not None:
        action, form = bound
        key = action.replace("-", "_")
        if action == Action.RECORD_FEE and isinstance(forms.get(key), list):
            for index, blank in enumerate(forms[key]):
                if blank.fee.name == form.data.get("fee_name"):
                    form.fee, form.auto_id = blank.fee, blank.auto_id
                    forms[key][index] = form
        elif key in forms:
            forms[key] = form
    due_class, workdays_left = due_state(
        case.due_on,
        clock=case.clock,
        suspended_since=case.suspended_since,
        today=today,
        calendar=calendar,
    )
    steps = list(case.steps.all())
    for step in steps:
        step.due_class = due_state(  # type: ignore[attr-defined]
            step.due_on,
            clock=case.clock if step.status == StepStatus.OPEN else "stopped",
            suspended_since=case.suspended_since,
            today=today,
            calendar=calendar,
        )[0]
    open_step = next((step for step in steps if step.status == StepStatus.OPEN), None)
    dates_known = calendar_known(
        case.due_on,
        case.statutory_due_on,
        open_step.due_on if open_step is not None else None,
        case.delivery_due_on,
        case.deferred_due_on,
        calendar=calendar,
    )
    # A submitted round still waiting for the window's answer past its 5 working days (Art. 32).
    intake_overdue_since = None
    if case.status == CaseStatus.SUBMITTED:
        waiting = [
            s.intake_due_on
            for s in case.submissions.all()
            if s.submitted_at is not None and s.intake_due_on is not None
        ]
        if waiting and max(waiting) < today:
            intake_overdue_since = max(waiting)
    events = list(case.events.all())
    strip = selectors.case_clock_strip(case, today=today, calendar=calendar)
    for event in events:
        try:
            event.label = ACTION_LABELS[Action(event.action)]  # type: ignore[attr-defined]
        except (KeyError, ValueError):
            event.label = event.action  # type: ignore[attr-defined]
    return {
        "case": case,
        "today": today,
        "due_class": due_class,
        "workdays_left": workdays_left,
        "calendar_known": dates_known,
        "intake_overdue_since": intake_overdue_since,
        "in_department": in_department,
        "masked_id": mask_resident_id(case.id_number) if case.id_number else "",
        "masked_agent_id": mask_resident_id(case.agent_id_number) if case.agent_id_number else "",
        "steps": steps,
        "events": events,
        "strip": strip,
        "submissions": case.submissions.all(),
        "pending_materials": selectors.deferred_materials_pending(case),
        "actions": actions,
        # What the user would do here but cannot yet, each with its reason in one line.
        "withheld": [(ACTION_LABELS[Action(action)], reason) for action, reason in withheld],
        "forms": forms,
        "flash": flash,
        "notice_links": _notice_links(),
    }


def _render_case(request: HttpRequest, case: Case, *, status: int = 200, **context) -> HttpResponse:
    template = "workflow/_case.html" if _is_htmx(request) else "workflow/case_detail.html"
    response = render(request, template, _detail_context(request, case, **context), status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A case with its applicant, materials, steps, clock, timeline, notices, fees and actions."""
    case = selectors.case_get_for_staff(user=request.user, pk=pk)
    return _render_case(request, case)


@staff_required
def case_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """One uploaded material file of a case the user may see (404 for anyone else's)."""
    case = selectors.case_get_for_staff(user=request.user, pk=pk)
    stored = next(
        (f for s in case.submissions.all() for f in s.files.all() if f.pk == file_id), None
    )
    if stored is None:
        raise Http404
    return private_file_response(stored.file, filename=stored.original_name)


# --- actions --------------------------------------------------------------------------------


def _form_errors(form) -> str:
    return " ".join(
        str(message)
        if field == "__all__"
        else f"{form.fields[field].label or field}: {message}"
        if field in form.fields
        else str(message)
        for field, errors in form.errors.items()
        for message in errors
    )


@require_POST
@staff_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one action on a case through its service; the refusal comes back with its status."""
    case = selectors.case_get_for_staff(user=request.user, pk=pk)
    entry = ACTIONS.get(action)
    if entry is None or entry.form is None:
        raise Http404
    prefetch_related_objects(
        [case],
        Prefetch("item_version__materials", queryset=Material.objects.order_by("order", "id")),
        Prefetch("item_version__fees", queryset=FeeItem.objects.order_by("id")),
    )
    form = entry.form.for_case(request.POST, request.FILES, case)
    if not form.is_valid():
        return _render_case(
            request, case, status=400, bound=(action, form), flash=("error", _form_errors(form))
        )
    try:
        message = entry.perform(case, request.user, form.action_input())
    except WorkflowError as error:
        # A stale form is shown afresh: its input belongs to a state that is gone.
        bound = None if isinstance(error, StaleCase) else (action, form)
        case = selectors.case_get_for_staff(user=request.user, pk=pk)
        return _render_case(
            request, case, status=error.status, bound=bound, flash=("error", str(error.message))
        )
    if _is_htmx(request):
        case = selectors.case_get_for_staff(user=request.user, pk=pk)
        return _render_case(request, case, flash=("success", message))
    messages.success(request, message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("workbench-case", pk=pk)


# --- window intake --------------------------------------------------------------------------


def _intake_versions(user):
    """The published items of the departments where ``user`` works at the window."""
    departments = StaffMembership.objects.filter(
        user=user, role__in=WINDOW, department__isnull=False
    ).values("department_id")
    return (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED, department_id__in=departments)
        .select_related("item", "department")
        .order_by("item__code")
    )


def _department_agents_of(department_id: int) -> QuerySet:
    """The staff of a department, who may act as a walk-in applicant's agent (代办)."""
    return (
        get_user_model()
        .objects.filter(memberships__department_id=department_id)
        .distinct()
        .order_by("username")
    )


def _show_refusal(form, error: WorkflowError, *, shown: Collection[str] = ()) -> None:
    """Put a service's refusal on the intake form: on its fields where it names them, and not
    again at the top when it is a file's fault already shown on that file (``shown``)."""
    for field, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields and str(error.message) not in shown:
        form.add_error(None, str(error.message))


def _stage_refused_files(form: ApplicantForm, user) -> set[str]:
    """Keep the files of a refused intake form for its next submit, so none is chosen again.

    Per material: new files replace what was staged before (the valid ones are staged, each
    invalid one gets its error on its input); "remove" drops the staged files; otherwise they
    stay. Returns the messages put on file inputs.
    """
    shown: set[str] = set()
    for slot in form.slots:
        uploads = slot.uploads()
        if not uploads and not slot.removed():
            slot.staged = slot.carried()
            continue
        staging.staged_uploads_discard(user=user, ids=[staged.pk for staged in slot.carried()])
        slot.staged = []
        for upload in uploads:
            try:
                slot.staged.append(
                    staging.upload_stage(user=user, material=slot.material, upload=upload)
                )
            except InvalidInput as error:
                form.add_error(slot.file_name, str(error.message))
                shown.add(str(error.message))
    return shown


def _two_step_intake(
    request: HttpRequest,
    *,
    template: str,
    chooser,
    choice: str,
    has_choices: bool,
    build_form: Callable[..., ApplicantForm],
    take_in: Callable[[Any, Any], HttpResponse],
    context: Callable[[Any], dict] = lambda chosen: {},
) -> HttpResponse:
    """The two steps of a window intake: choose what is applied for, then the applicant and the
    files. ``chooser`` is the first step's form and ``choice`` its field; ``build_form(chosen,
    *form_args)`` makes the second form; ``take_in(chosen, form)`` calls the service and returns
    the page to go to; a refusal comes back on the form."""
    if not chooser.is_bound or not chooser.is_valid():
        return render(
            request,
            template,
            {"chooser": chooser, "form": None, "has_items": has_choices},
            status=400 if chooser.is_bound else 200,
        )
    chosen = chooser.cleaned_data[choice]
    page = {"chooser": chooser, **context(chosen)}
    if request.method != "POST":
        return render(request, template, {**page, "form": build_form(chosen)})
    form = build_form(chosen, request.POST, request.FILES)
    status, refusal = 400, None
    if form.is_valid():
        try:
            # The staged files are locked while the service copies them into the case, so the
            # sweep cannot delete one halfway; they go with the transaction that used them.
            with transaction.atomic():
                staging.staged_uploads_claim(user=request.user, ids=form.staged_ids())
                response = take_in(chosen, form)
                staging.staged_uploads_discard(user=request.user, ids=form.staged_ids())
            return response
        except WorkflowError as error:
            status, refusal = error.status, error
    shown = _stage_refused_files(form, request.user)
    if refusal is not None:
        _show_refusal(form, refusal, shown=shown)
    return render(request, template, {**page, "form": form}, status=status)


def _chosen(request: HttpRequest, name: str) -> dict | None:
    """The first step's choice, from the form posted or the link followed; None before it."""
    value = (request.POST if request.method == "POST" else request.GET).get(name)
    return {name: value} if value else None


@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    """Window intake for a walk-in applicant: choose the item, then take in and accept."""
    versions = _intake_versions(request.user)

    def build_form(version: ItemVersion, *args) -> IntakeForm:
        return IntakeForm(
            *args,
            user=request.user,
            version=version,
            materials=version.materials.order_by("order", "id"),
            agents=_department_agents_of(version.department_id),
        )

    def take_in(version: ItemVersion, form: IntakeForm) -> HttpResponse:
        case = services.case_window_intake(
            version=version,
            by=request.user,
            files=form.files_by_material(),
            applicant=form.applicant(),
            deferred_due_on=form.cleaned_data["deferred_due_on"],
        )
        messages.success(
            request, _("The application is accepted as case %(number)s.") % {"number": case.number}
        )
        return redirect("workbench-case", pk=case.pk)

    return _two_step_intake(
        request,
        template="workflow/intake.html",
        chooser=IntakeItemForm(_chosen(request, "item"), versions=versions),
        choice="item",
        has_choices=versions.exists(),
        build_form=build_form,
        take_in=take_in,
    )


# --- joint items (联办件) --------------------------------------------------------------------


def _joint_items_led_by(user) -> QuerySet[JointItem]:
    """The open joint items whose lead department's window ``user`` works at."""
    departments = StaffMembership.objects.filter(
        user=user, role__in=WINDOW, department__isnull=False
    ).values("department_id")
    return (
        JointItem.objects.filter(active=True, lead_department_id__in=departments)
        .select_related("lead_department")
        .order_by("code")
    )


@staff_required
def joint_intake(request: HttpRequest) -> HttpResponse:
    """One intake at the lead window for a joint item: the applicant once, every item's files."""
    joint_items = _joint_items_led_by(request.user)

    def build_form(joint_item: JointItem, *args) -> JointIntakeForm:
        versions = joint_item.member_versions().prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("order", "id"))
        )
        return JointIntakeForm(
            *args,
            user=request.user,
            joint_item=joint_item,
            versions=versions,
            agents=_department_agents_of(joint_item.lead_department_id),
        )

    def take_in(joint_item: JointItem, form: JointIntakeForm) -> HttpResponse:
        joint = services.joint_case_intake(
            joint_item=joint_item,
            by=request.user,
            applicant=form.applicant(),
            files=form.files_by_version(),
            deferred_due_on=form.cleaned_data["deferred_due_on"],
        )
        messages.success(
            request,
            _("The joint application is accepted as %(number)s, one case per department.")
            % {"number": joint.number},
        )
        return redirect("workbench-joint", pk=joint.pk)

    return _two_step_intake(
        request,
        template="workflow/joint_intake.html",
        chooser=JointIntakeItemForm(_chosen(request, "joint_item"), joint_items=joint_items),
        choice="joint_item",
        has_choices=joint_items.exists(),
        build_form=build_form,
        take_in=take_in,
        context=lambda joint_item: {"problems": joint_item.problems()},
    )


@staff_required
def joint_cases(request: HttpRequest) -> HttpResponse:
    """The joint cases with a sub-case of my departments, newest first."""
    page = _page(request, selectors.joint_cases_for_staff(request.user))
    today, calendar = shanghai_today(), load_work_calendar()
    for joint in page.object_list:
        joint.due_class = _joint_due_state(joint, today, calendar)[0]
    return render(
        request,
        "workflow/joint_list.html",
        {"page": page, "query": "", "can_take_in": _joint_items_led_by(request.user).exists()},
    )


def _joint_due_state(joint: JointCase, today, calendar) -> tuple[str, int | None]:
    return due_state(
        joint.due_on, clock=joint.clock, suspended_since=None, today=today, calendar=calendar
    )


@staff_required
def joint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A joint case: its clock and every department's sub-case."""
    joint = selectors.joint_case_get_for_staff(user=request.user, pk=pk)
    today, calendar = shanghai_today(), load_work_calendar()
    visible = selectors.joint_sub_cases_visible_to(request.user, joint)
    sub_cases = list(joint.sub_cases.all())
    for case in sub_cases:
        _mark_case(case, today, calendar)
        case.visible = case.pk in visible  # type: ignore[attr-defined]
    due_class, workdays_left = _joint_due_state(joint, today, calendar)
    return render(
        request,
        "workflow/joint_detail.html",
        {
            "joint": joint,
            "sub_cases": sub_cases,
            "due_class": due_class,
            "workdays_left": workdays_left,
        },
    )
