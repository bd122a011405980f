"""The applicant's side of consultations (网上咨询): asking a question about an item from its
guide, the list of their questions and one question with its answer. Another applicant's
question is a 404."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from approval_center.throttling import CONSULTATION, rate_limited
from catalog.selectors import published_versions
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.exceptions import WorkflowError
from workflow.paging import keyset_page

from .access import applicant_required
from .consultation_forms import AskForm
from .consultations import (
    consultation_ask,
    consultation_get_for_applicant,
    consultations_for_applicant,
)
from .models import Consultation, ConsultationStatus

QUESTIONS_PER_PAGE = 20


def _due(consultation: Consultation, *, today, calendar) -> dict:
    """The due chip of an open question (an answered one has no clock)."""
    if consultation.status != ConsultationStatus.OPEN:
        return {"due_on": None, "due_class": "", "workdays_left": None}
    due_class, left = due_state(
        consultation.due_on, clock="running", suspended_since=None, today=today, calendar=calendar
    )
    return {"due_on": consultation.due_on, "due_class": due_class, "workdays_left": left}


@applicant_required
@rate_limited(CONSULTATION)
def ask(request: HttpRequest, code: str) -> HttpResponse:
    """Ask the department a question about item ``code`` (its current version)."""
    version = published_versions().filter(item__code=code).first()
    if version is None:
        raise Http404(_("There is no published item with this code."))
    workdays = settings.CONSULTATION_ANSWER_WORKDAYS
    form = AskForm(request.POST or None, answer_workdays=workdays)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consultation = consultation_ask(
                    applicant=request.user, item_code=code, question=form.cleaned_data["question"]
                )
            except WorkflowError as error:
                form.add_service_error(error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Your question was sent to %(department)s; it answers by %(date)s.")
                    % {
                        "department": version.department.name,
                        "date": consultation.due_on.isoformat(),
                    },
                )
                return redirect("portal-consultation", consultation_id=consultation.pk)
        else:
            status = 400
    return render(
        request,
        "portal/consultations/ask.html",
        {"form": form, "version": version, "code": code, "workdays": workdays},
        status=status,
    )


@applicant_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    """The applicant's questions, newest first, keyset-paged."""
    page = keyset_page(
        consultations_for_applicant(request.user),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=QUESTIONS_PER_PAGE,
    )
    today, calendar = shanghai_today(), load_work_calendar()
    rows = [{"consultation": c, **_due(c, today=today, calendar=calendar)} for c in page]
    return render(request, "portal/consultations/list.html", {"page": page, "rows": rows})


@applicant_required
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """One of the applicant's questions with its answer; 404 for anyone else's."""
    consultation = consultation_get_for_applicant(user=request.user, pk=consultation_id)
    return render(
        request,
        "portal/consultations/detail.html",
        {
            "consultation": consultation,
            **_due(consultation, today=shanghai_today(), calendar=load_work_calendar()),
        },
    )
