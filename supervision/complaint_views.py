"""The staff pages of complaints (网上投诉): the list (an officer's of their tree, a leader's of
their department), one complaint with the leader's accept, decline and answer forms, and
recording a complaint taken on the phone (window clerks, chief representatives, officers).

Thin views: a form parses, one service acts, the page shows the result. Complaints come only
from the permission-checked reads, so another tree's or another department's is a 404; a user
who is neither an officer nor a leader gets the 403 page (the recording form aside).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.exceptions import WorkflowError
from workflow.models import Case
from workflow.paging import PAGE_SIZE, keyset_page
from workflow.views import staff_required

from .complaint_forms import (
    ComplaintAnswerForm,
    ComplaintDeclineForm,
    ComplaintPageFilter,
    ComplaintRecordForm,
)
from .complaints import (
    ACCEPT,
    ANSWER,
    DECLINE,
    complaint_accept,
    complaint_actions,
    complaint_answer,
    complaint_decline,
    complaint_due,
    complaint_file,
    complaint_get_for,
    complaints_visible_to,
    rating_label,
    recording_centers,
    recording_departments,
)
from .models import Complaint, ComplaintChannel
from .standing import Reach, reach_of
from .urge_views import reader_reach


def _mark(complaint: Complaint, *, today, calendar) -> Complaint:
    # Display attributes for the templates, set on the row.
    for name, value in complaint_due(complaint, today=today, calendar=calendar).items():
        setattr(complaint, name, value)
    return complaint


# --- the list -------------------------------------------------------------------------------


@staff_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    """The complaints of my tree (an officer) or of my department (a leader), newest first,
    filtered by status, category, department and overdue; the limit that runs as a chip."""
    reach = reader_reach(request)
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    filtering = ComplaintPageFilter(
        query or None,
        queryset=complaints_visible_to(request.user),
        centers=reach.centers,
        departments=reach.departments,
    )
    invalid = filtering.is_bound and not filtering.is_valid()
    complaints = filtering.qs if not invalid else filtering.queryset.none()
    page = keyset_page(
        complaints,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=True,
    )
    today, calendar = shanghai_today(), load_work_calendar()
    for complaint in page:
        _mark(complaint, today=today, calendar=calendar)
    return render(
        request,
        "supervision/complaints/list.html",
        {
            "page": page,
            "form": filtering.form,
            "query": query.urlencode(),
            "can_record": bool(recording_centers(request.user, reach=reach)),
        },
        status=400 if invalid else 200,
    )


# --- one complaint --------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    reach: Reach,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    _mark(complaint, today=shanghai_today(), calendar=load_work_calendar())
    context = {
        "complaint": complaint,
        "actions": complaint_actions(complaint, request.user, reach=reach),
        "decline_form": forms.get("decline_form") or ComplaintDeclineForm(),
        "answer_form": forms.get("answer_form") or ComplaintAnswerForm(),
        "refusal": forms.get("refusal"),
        "rating": rating_label(complaint),
        "answered_late": complaint.answered_on is not None
        and complaint.answered_on > complaint.answer_due_on,
        "ACCEPT": ACCEPT,
        "DECLINE": DECLINE,
        "ANSWER": ANSWER,
    }
    return render(request, "supervision/complaints/detail.html", context, status=status)


@staff_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One complaint; the leader's accept, decline and answer forms as the guard allows."""
    reach = reader_reach(request)
    return _detail(request, complaint_get_for(user=request.user, pk=pk), reach=reach)


def _refused(request, pk, reach, error, **forms) -> HttpResponse:
    complaint = complaint_get_for(user=request.user, pk=pk)
    return _detail(
        request, complaint, reach=reach, status=error.status, refusal=error.message, **forms
    )


@require_POST
@staff_required
def complaint_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader accepts the complaint; the complainant is told when it answers by."""
    reach = reader_reach(request)
    complaint = complaint_get_for(user=request.user, pk=pk)
    try:
        accepted = complaint_accept(complaint=complaint, by=request.user)
    except WorkflowError as error:
        return _refused(request, pk, reach, error)
    messages.success(
        request,
        _("The complaint is accepted; answer it by %(day)s.")
        % {"day": accepted.answer_due_on.isoformat()},
    )
    return redirect("supervision-complaint", pk=pk)


@require_POST
@staff_required
def complaint_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader declines the complaint with the reasons the complainant is told."""
    reach = reader_reach(request)
    complaint = complaint_get_for(user=request.user, pk=pk)
    form = ComplaintDeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, complaint, reach=reach, status=400, decline_form=form)
    try:
        complaint_decline(complaint=complaint, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        form.add_service_error(error)
        return _refused(request, pk, reach, error, decline_form=form)
    messages.success(request, _("The complaint is not accepted; the complainant is told why."))
    return redirect("supervision-complaint", pk=pk)


@require_POST
@staff_required
def complaint_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's answer; the complainant is told to read and rate it."""
    reach = reader_reach(request)
    complaint = complaint_get_for(user=request.user, pk=pk)
    form = ComplaintAnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, complaint, reach=reach, status=400, answer_form=form)
    try:
        complaint_answer(complaint=complaint, by=request.user, answer=form.cleaned_data["answer"])
    except WorkflowError as error:
        form.add_service_error(error)
        return _refused(request, pk, reach, error, answer_form=form)
    messages.success(request, _("The answer was sent to the complainant."))
    return redirect("supervision-complaint", pk=pk)


# --- recording a phone call -----------------------------------------------------------------


def _case_pk(number: str, centers: frozenset[int]) -> int | str | None:
    """The id of the case of ``number`` in ``centers``; the number itself when there is none
    (the service refuses it on the case field)."""
    number = (number or "").strip()
    if not number:
        return None
    pk = (
        Case.objects.filter(number=number, department__center_id__in=sorted(centers))
        .values_list("pk", flat=True)
        .first()
    )
    return pk if pk is not None else 0


@staff_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    """Record a complaint taken on the phone, for a department of my center (window clerks,
    chief representatives) or of my tree (officers)."""
    reach = reach_of(request.user)
    centers = recording_centers(request.user, reach=reach)
    if not centers:
        raise PermissionDenied
    departments = recording_departments(request.user, reach=reach)
    if request.method != "POST":
        form = ComplaintRecordForm(departments=departments)
        return render(request, "supervision/complaints/new.html", {"form": form})
    form = ComplaintRecordForm(request.POST, departments=departments)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_file(
                by=None,
                name=data["name"],
                phone=data["phone"],
                category=data["category"],
                content=data["content"],
                case=_case_pk(data["case_number"], centers),
                department=data["department"],
                channel=ComplaintChannel.PHONE,
                recorded_by=request.user,
            )
        except WorkflowError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(
                request,
                _(
                    "Complaint %(number)s is recorded for %(department)s; it is to be accepted "
                    "or declined by %(day)s."
                )
                % {
                    "number": complaint.number,
                    "department": complaint.department.name,
                    "day": complaint.accept_due_on.isoformat(),
                },
            )
            if complaints_visible_to(request.user).filter(pk=complaint.pk).exists():
                return redirect("supervision-complaint", pk=complaint.pk)
            return redirect("supervision-complaint-new")
    return render(request, "supervision/complaints/new.html", {"form": form}, status=status)
