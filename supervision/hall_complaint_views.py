"""The applicant's side of complaints (网上投诉) in the online hall: filing one, about one of
their cases or a department; the list of their complaints; one complaint with its limits, the
department's answer and the form to rate it. Another applicant's complaint is a 404; staff go
to the workbench, as on the hall's other "my" pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approval_center.throttling import COMPLAINT, rate_limited
from catalog.selectors import departments_with_published_counts
from portal.access import applicant_required
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.exceptions import WorkflowError
from workflow.models import CaseStatus
from workflow.paging import keyset_page
from workflow.selectors import cases_for_applicant_newest

from .complaints import (
    RATE,
    complaint_due,
    complaint_file,
    complaint_get_for_applicant,
    complaint_rate,
    complaint_refusal,
    complaints_of_applicant,
    rating_label,
)
from .hall_complaint_forms import ComplaintFileForm, ComplaintRateForm
from .models import Complaint, ComplaintChannel
from .rules import rules_in_force
from .scales import levels_of

COMPLAINTS_PER_PAGE = 20
# The cases the form offers, newest first: a complaint is most often about a recent one.
CASES_OFFERED = 50


def _file_form(request: HttpRequest, data=None, initial=None) -> ComplaintFileForm:
    rules = rules_in_force(shanghai_today())
    cases = list(
        cases_for_applicant_newest(request.user)
        .exclude(status=CaseStatus.DRAFT)
        .filter(number__isnull=False)
        .exclude(number="")
        .select_related("item_version")[:CASES_OFFERED]
    )
    return ComplaintFileForm(
        data,
        initial=initial,
        cases=cases,
        departments=departments_with_published_counts().filter(published_items__gt=0),
        accept_workdays=rules.complaint_accept_workdays,
        answer_workdays=rules.complaint_answer_workdays,
    )


@applicant_required
@rate_limited(COMPLAINT)
def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint: about one of my cases (``?case=<id>`` chooses it) or a department."""
    profile = request.applicant_profile  # type: ignore[attr-defined]
    if request.method != "POST":
        case = request.GET.get("case", "")
        form = _file_form(request, initial={"case": case if case.isdigit() else ""})
        return render(
            request, "supervision/hall/complaints/new.html", {"form": form, "profile": profile}
        )
    form = _file_form(request, data=request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_file(
                by=request.user,
                name=profile.name,
                phone=profile.phone,
                category=data["category"],
                content=data["content"],
                case=int(data["case"]) if data["case"] else None,
                department=data["department"],
                channel=ComplaintChannel.ONLINE,
            )
        except WorkflowError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(
                request,
                _(
                    "Your complaint %(number)s was sent to %(department)s; it is accepted or "
                    "declined by %(day)s. You are told by SMS."
                )
                % {
                    "number": complaint.number,
                    "department": complaint.department.name,
                    "day": complaint.accept_due_on.isoformat(),
                },
            )
            return redirect("portal-complaint", pk=complaint.pk)
    return render(
        request,
        "supervision/hall/complaints/new.html",
        {"form": form, "profile": profile},
        status=status,
    )


@applicant_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    """My complaints, newest first, keyset-paged, with the limit that runs."""
    page = keyset_page(
        complaints_of_applicant(request.user),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=COMPLAINTS_PER_PAGE,
    )
    today, calendar = shanghai_today(), load_work_calendar()
    rows = [
        {"complaint": complaint, **complaint_due(complaint, today=today, calendar=calendar)}
        for complaint in page
    ]
    return render(request, "supervision/hall/complaints/list.html", {"page": page, "rows": rows})


def _detail(
    request: HttpRequest, complaint: Complaint, *, form=None, status: int = 200, refusal=None
) -> HttpResponse:
    today = shanghai_today()
    can_rate = complaint_refusal(RATE, complaint, request.user) is None
    if can_rate and form is None:
        form = ComplaintRateForm(levels=levels_of(rules_in_force(today).rating_scale))
    return render(
        request,
        "supervision/hall/complaints/detail.html",
        {
            "complaint": complaint,
            **complaint_due(complaint, today=today),
            "rate_form": form if can_rate else None,
            "rating": rating_label(complaint),
            "refusal": refusal,
        },
        status=status,
    )


@applicant_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my complaints: its status and limits, the answer, the form to rate it."""
    return _detail(request, complaint_get_for_applicant(user=request.user, pk=pk))


@require_POST
@applicant_required
def complaint_rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate the department's answer, once."""
    complaint = complaint_get_for_applicant(user=request.user, pk=pk)
    form = ComplaintRateForm(
        request.POST, levels=levels_of(rules_in_force(shanghai_today()).rating_scale)
    )
    if not form.is_valid():
        return _detail(request, complaint, form=form, status=400)
    try:
        complaint_rate(
            complaint=complaint,
            by=request.user,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
        )
    except WorkflowError as error:
        form.add_service_error(error)
        complaint = complaint_get_for_applicant(user=request.user, pk=pk)
        return _detail(request, complaint, form=form, status=error.status, refusal=error.message)
    messages.success(request, _("Thank you: your rating of the answer is recorded."))
    return redirect("portal-complaint", pk=pk)
