"""The workbench's consultation queue (网上咨询): the open questions of the user's departments,
the most urgent first, each answered on its own page and, once answered, published to the item's
FAQ in edited wording. Questions come only from the permission-checked getters, so another
department's question is a 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.clock import due_state
from workflow.exceptions import WorkflowError
from workflow.paging import PAGE_SIZE, keyset_page
from workflow.views import staff_required

from .consultation_forms import AnswerForm, PublishForm
from .consultations import (
    consultation_answer,
    consultation_get_for_staff,
    consultation_publish,
    consultation_unpublish,
    consultations_for_staff,
    consultations_open_for_staff,
    faq_draft,
)
from .models import Consultation, ConsultationStatus

ANSWERED = "answered"


def _mark(consultation: Consultation, *, today, calendar) -> Consultation:
    # Display attributes for the due chip, set on the row.
    if consultation.status == ConsultationStatus.OPEN:
        due_class, left = due_state(
            consultation.due_on,
            clock="running",
            suspended_since=None,
            today=today,
            calendar=calendar,
        )
    else:
        due_class, left = "", None
    consultation.due_class = due_class  # type: ignore[attr-defined]
    consultation.workdays_left = left  # type: ignore[attr-defined]
    return consultation


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """The open questions of my departments, overdue first; ``?show=answered`` lists the
    answered ones, latest due first, for publishing to the FAQ."""
    answered = request.GET.get("show") == ANSWERED
    if answered:
        questions = (
            consultations_for_staff(request.user)
            .filter(status=ConsultationStatus.ANSWERED)
            .order_by("-due_on", "-id")
        )
    else:
        questions = consultations_open_for_staff(request.user)
    page = keyset_page(
        questions, after=request.GET.get("after"), before=request.GET.get("before"), size=PAGE_SIZE
    )
    today, calendar = shanghai_today(), load_work_calendar()
    for consultation in page:
        _mark(consultation, today=today, calendar=calendar)
    return render(
        request,
        "portal/staff_consultations/queue.html",
        {"page": page, "answered": answered, "query": f"show={ANSWERED}" if answered else ""},
    )


def _detail(request: HttpRequest, consultation: Consultation, *, status: int = 200, **forms):
    _mark(consultation, today=shanghai_today(), calendar=load_work_calendar())
    question, answer = faq_draft(consultation)
    context = {
        "consultation": consultation,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "publish_form": forms.get("publish_form")
        or PublishForm(initial={"question": question, "answer": answer}),
        "refusal": forms.get("refusal"),
    }
    return render(request, "portal/staff_consultations/detail.html", context, status=status)


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One question of my departments: answer it, or publish the answer to the item's FAQ."""
    return _detail(request, consultation_get_for_staff(user=request.user, pk=pk))


@require_POST
@staff_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the question; the applicant is told."""
    consultation = consultation_get_for_staff(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, consultation, status=400, answer_form=form)
    try:
        consultation_answer(
            consultation=consultation, by=request.user, answer=form.cleaned_data["answer"]
        )
    except WorkflowError as error:
        form.add_service_error(error)
        consultation.refresh_from_db()
        return _detail(
            request, consultation, status=error.status, answer_form=form, refusal=error.message
        )
    messages.success(request, _("The answer was sent; the applicant is told by SMS."))
    return redirect("staff-consultation", pk=consultation.pk)


@require_POST
@staff_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the question and answer, in the wording given, to the item's FAQ."""
    consultation = consultation_get_for_staff(user=request.user, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, consultation, status=400, publish_form=form)
    try:
        consultation_publish(
            consultation=consultation,
            by=request.user,
            question=form.cleaned_data["question"],
            answer=form.cleaned_data["answer"],
        )
    except WorkflowError as error:
        form.add_service_error(error)
        return _detail(
            request, consultation, status=error.status, publish_form=form, refusal=error.message
        )
    messages.success(request, _("Published to the item's questions and answers."))
    return redirect("staff-consultation", pk=consultation.pk)


@require_POST
@staff_required
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the question off the item's FAQ."""
    consultation = consultation_get_for_staff(user=request.user, pk=pk)
    try:
        consultation_unpublish(consultation=consultation, by=request.user)
    except WorkflowError as error:
        return _detail(request, consultation, status=error.status, refusal=error.message)
    messages.success(request, _("Taken off the item's questions and answers."))
    return redirect("staff-consultation", pk=consultation.pk)
