"""The pages of urge notices (督办单): the list (the office's of its tree, the leader's inbox of
their department's), sending one from a case, a card or a department's open red cards, one
notice with its cases, the leader's answer and the office's closing.

Thin views: a form parses, one service acts, the page shows the result. Notices come only from
the permission-checked reads, so another tree's or another department's notice is a 404; a
user who is neither an officer nor a leader gets the 403 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Department
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.exceptions import WorkflowError
from workflow.models import FINAL_STATES, Case
from workflow.paging import PAGE_SIZE, keyset_page
from workflow.selectors import cases_for_staff
from workflow.views import staff_required

from .models import AlertLevel, AlertRule, Urge, UrgeStatus
from .scope import alerts_for
from .standing import Reach, reach_of
from .urge_forms import (
    OVERDUE,
    DepartmentChoiceForm,
    UrgeAnswerForm,
    UrgeCloseForm,
    UrgeFilterForm,
    UrgeSendForm,
)
from .urges import (
    ANSWER,
    CLOSE,
    MAX_CASES,
    urge_actions,
    urge_answer,
    urge_answered_late,
    urge_close,
    urge_get_for,
    urge_overdue,
    urge_response_workdays,
    urge_send,
    urges_visible_to,
)

# The open red cards the send form offers, newest first.
RED_CARD_CHOICES = MAX_CASES
# The case numbers a row of the list names before "and n more".
LISTED_CASES = 3


def reader_reach(request: HttpRequest) -> Reach:
    """The user's reach; the 403 page for anyone who is neither an officer nor a leader."""
    reach = reach_of(request.user)
    if not reach.reader:
        raise PermissionDenied
    return reach


def departments_in_reach(reach: Reach) -> QuerySet[Department]:
    """The departments of the centers supervised and the departments led, by center and name."""
    return (
        (
            Department.objects.filter(center_id__in=sorted(reach.centers))
            | Department.objects.filter(pk__in=sorted(reach.departments))
        )
        .select_related("center")
        .order_by("center__code", "code")
    )


def _mark(urge: Urge, *, today, calendar, reach: Reach, user: Any) -> Urge:
    # Display attributes for the templates, set on the row.
    urge.overdue = urge_overdue(urge, today)  # type: ignore[attr-defined]
    urge.answered_late = urge_answered_late(urge)  # type: ignore[attr-defined]
    urge.due_class, urge.workdays_left = (  # type: ignore[attr-defined]
        due_state(
            urge.due_on, clock="running", suspended_since=None, today=today, calendar=calendar
        )
        if urge.status == UrgeStatus.OPEN
        else ("", None)
    )
    urge.actions = urge_actions(urge, user, reach=reach)  # type: ignore[attr-defined]
    numbers = [urged.case.number or str(urged.case_id) for urged in urge.urged.all()]  # type: ignore[attr-defined]
    urge.case_numbers = numbers[:LISTED_CASES]  # type: ignore[attr-defined]
    urge.more_cases = max(len(numbers) - LISTED_CASES, 0)  # type: ignore[attr-defined]
    return urge


# --- the list -------------------------------------------------------------------------------


@staff_required
def urge_list(request: HttpRequest) -> HttpResponse:
    """The urge notices of my tree (an officer) or to my department (a leader), newest first,
    filtered by department and status; the overdue ones marked."""
    reach = reader_reach(request)
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    form = UrgeFilterForm(query or None, departments=departments_in_reach(reach))
    urges = urges_visible_to(request.user)
    today, calendar = shanghai_today(), load_work_calendar()
    invalid = form.is_bound and not form.is_valid()
    if invalid:
        urges = urges.none()
    elif form.is_bound:
        if form.cleaned_data["department"] is not None:
            urges = urges.filter(department=form.cleaned_data["department"])
        status = form.cleaned_data["status"]
        if status == OVERDUE:
            urges = urges.filter(status=UrgeStatus.OPEN, due_on__lt=today)
        elif status:
            urges = urges.filter(status=status)
    page = keyset_page(
        urges,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=True,
    )
    for urge in page:
        _mark(urge, today=today, calendar=calendar, reach=reach, user=request.user)
    return render(
        request,
        "supervision/urges/list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "officer": reach.officer,
            "today": today,
        },
        status=400 if invalid else 200,
    )


# --- sending --------------------------------------------------------------------------------


def _officer_reach(request: HttpRequest) -> Reach:
    reach = reach_of(request.user)
    if not reach.officer:
        raise PermissionDenied
    return reach


def _int_parameter(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or request.POST.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _red_card_cases(user: Any, department: Department, chosen: list[int]) -> list[Case]:
    """The cases the form offers: the department's open cases with an open red card (newest
    card first), then those chosen in the link or the form, each once."""
    cards = (
        alerts_for(user)
        .filter(
            department=department,
            level=AlertLevel.RED,
            resolved_on__isnull=True,
            revoked_on__isnull=True,
            case__isnull=False,
        )
        .values_list("case_id", "rule")[: RED_CARD_CHOICES * 2]
    )
    rules: dict[int, list[str]] = {}
    for case_id, rule in cards:
        rules.setdefault(case_id, [])
        if rule not in rules[case_id]:
            rules[case_id].append(rule)
    wanted = list(dict.fromkeys([*chosen, *rules]))[:RED_CARD_CHOICES]
    found = {
        case.pk: case
        for case in cases_for_staff(user)
        .filter(pk__in=wanted, department=department)
        .exclude(status__in=sorted(FINAL_STATES))
    }
    offered = []
    for pk in wanted:
        case = found.get(pk)
        if case is None:
            continue
        case.red_cards = [  # type: ignore[attr-defined]
            _("red card: %(rule)s") % {"rule": AlertRule(rule).label} for rule in rules.get(pk, [])
        ]
        offered.append(case)
    return offered


def _target(request: HttpRequest, reach: Reach) -> tuple[Department | None, list[int]]:
    """The department the notice goes to and the cases already chosen, from ``?case=``,
    ``?alert=`` or ``?department=`` (404 for one outside the officer's tree)."""
    chosen: list[int] = []
    department_id = _int_parameter(request, "department")
    case_id = _int_parameter(request, "case")
    alert_id = _int_parameter(request, "alert")
    if alert_id is not None:
        alert = (
            alerts_for(request.user)
            .filter(pk=alert_id, center_id__in=sorted(reach.centers))
            .first()
        )
        if alert is None:
            raise Http404
        department_id = alert.department_id
        if alert.case_id is not None:
            chosen.append(alert.case_id)
    if case_id is not None:
        case = (
            cases_for_staff(request.user)
            .filter(pk=case_id)
            .select_related(None)
            .only("department_id")
            .first()
        )
        if case is None:
            raise Http404
        department_id = case.department_id
        chosen.append(case_id)
    if department_id is None:
        return None, chosen
    department = (
        Department.objects.select_related("center")
        .filter(pk=department_id, center_id__in=sorted(reach.centers))
        .first()
    )
    if department is None:
        raise Http404
    return department, chosen


@staff_required
def urge_new(request: HttpRequest) -> HttpResponse:
    """Send an urge notice: to the department of the case or card the link names, about it and
    any of the department's cases with an open red card."""
    reach = _officer_reach(request)
    department, chosen = _target(request, reach)
    if department is None:
        chooser = DepartmentChoiceForm(
            departments=departments_in_reach(Reach(reach.centers, frozenset()))
        )
        return render(request, "supervision/urges/new.html", {"chooser": chooser, "form": None})
    today = shanghai_today()
    posted = (
        [int(v) for v in request.POST.getlist("cases") if v.isdigit() and len(v) <= 18]
        if request.method == "POST"
        else []
    )
    candidates = _red_card_cases(request.user, department, [*chosen, *posted])
    context: dict[str, Any] = {"department": department, "chosen": chosen}
    if request.method != "POST":
        form = UrgeSendForm(
            initial={"cases": chosen, "respond_within": urge_response_workdays(today)},
            candidates=candidates,
        )
        return render(request, "supervision/urges/new.html", {**context, "form": form})
    form = UrgeSendForm(request.POST, candidates=candidates)
    status = 400
    if form.is_valid():
        try:
            urge = urge_send(
                by=request.user,
                department=department,
                cases=form.cleaned_data["cases"],
                message=form.cleaned_data["message"],
                respond_within=form.cleaned_data["respond_within"],
            )
        except WorkflowError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(
                request,
                _("Urge notice %(number)s was sent to %(department)s; it is due by %(due_on)s.")
                % {
                    "number": urge.number,
                    "department": department.name,
                    "due_on": urge.due_on.isoformat(),
                },
            )
            return redirect("supervision-urge", pk=urge.pk)
    return render(request, "supervision/urges/new.html", {**context, "form": form}, status=status)


# --- one notice -----------------------------------------------------------------------------


def _detail(
    request: HttpRequest, urge: Urge, *, reach: Reach, status: int = 200, **forms: Any
) -> HttpResponse:
    today, calendar = shanghai_today(), load_work_calendar()
    _mark(urge, today=today, calendar=calendar, reach=reach, user=request.user)
    cases = [urged.case for urged in urge.urged.all()]  # type: ignore[attr-defined]
    for case in cases:
        case.due_class, case.workdays_left = due_state(  # type: ignore[attr-defined]
            case.due_on,
            clock=case.clock,
            suspended_since=case.suspended_since,
            today=today,
            calendar=calendar,
        )
    context = {
        "urge": urge,
        "cases": cases,
        "officer": reach.officer,
        "answer_form": forms.get("answer_form") or UrgeAnswerForm(),
        "close_form": forms.get("close_form") or UrgeCloseForm(),
        "refusal": forms.get("refusal"),
        "ANSWER": ANSWER,
        "CLOSE": CLOSE,
    }
    return render(request, "supervision/urges/detail.html", context, status=status)


@staff_required
def urge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One urge notice with its cases; the leader's answer form, the office's close form."""
    reach = reader_reach(request)
    return _detail(request, urge_get_for(user=request.user, pk=pk), reach=reach)


@require_POST
@staff_required
def urge_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The department leader's answer; the officer who sent the notice is told."""
    reach = reader_reach(request)
    urge = urge_get_for(user=request.user, pk=pk)
    form = UrgeAnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, urge, reach=reach, status=400, answer_form=form)
    try:
        urge_answer(urge=urge, by=request.user, answer=form.cleaned_data["answer"])
    except WorkflowError as error:
        form.add_service_error(error)
        urge = urge_get_for(user=request.user, pk=pk)
        return _detail(
            request,
            urge,
            reach=reach,
            status=error.status,
            answer_form=form,
            refusal=error.message,
        )
    messages.success(request, _("The answer was sent to the supervision office."))
    return redirect("supervision-urge", pk=pk)


@require_POST
@staff_required
def urge_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The office closes the notice, after the answer or with a note without one."""
    reach = reader_reach(request)
    urge = urge_get_for(user=request.user, pk=pk)
    form = UrgeCloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, urge, reach=reach, status=400, close_form=form)
    try:
        urge_close(urge=urge, by=request.user, note=form.cleaned_data["note"])
    except WorkflowError as error:
        form.add_service_error(error)
        urge = urge_get_for(user=request.user, pk=pk)
        return _detail(
            request, urge, reach=reach, status=error.status, close_form=form, refusal=error.message
        )
    messages.success(request, _("The urge notice is closed."))
    return redirect("supervision-urge", pk=pk)
