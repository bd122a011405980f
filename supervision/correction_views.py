"""The pages of corrections (纠错 / 问责): recording one about a card, the list (the office's of
its tree, the leader's of their department), one correction with the leader's appeal form and
the office's review form.

Thin views: a form parses, one service acts, the page shows the result. Cards and corrections
come only from the permission-checked reads, so another tree's or another department's is a
404; a user who is neither an officer nor a leader gets the 403 page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.calendar import shanghai_today
from workflow.exceptions import WorkflowError
from workflow.paging import PAGE_SIZE, keyset_page
from workflow.views import staff_required

from .correction_forms import (
    CorrectionAppealForm,
    CorrectionFilterForm,
    CorrectionRecordForm,
    CorrectionReviewForm,
)
from .corrections import (
    APPEAL,
    REVIEW,
    correction_actions,
    correction_appeal,
    correction_get_for,
    correction_record,
    correction_record_refusal,
    correction_review,
    correction_stage,
    corrections_in_stage,
    corrections_visible_to,
)
from .models import Alert, Correction
from .scope import alerts_for
from .standing import Reach, reach_of
from .urge_views import departments_in_reach, reader_reach


def _alert_for(user: Any, pk: int) -> Alert:
    alert = (
        alerts_for(user).select_related("case__item_version", "step", "department").filter(pk=pk)
    ).first()
    if alert is None:
        raise Http404
    return alert


# --- recording ------------------------------------------------------------------------------


@staff_required
def alert_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the office's correction about a yellow or red card: the outcome, the person
    responsible and the findings; the department's leaders are told."""
    reach = reach_of(request.user)
    if not reach.officer:
        raise PermissionDenied
    alert = _alert_for(request.user, pk)
    existing = Correction.objects.filter(alert=alert).only("pk").first()
    refusal = correction_record_refusal(alert, request.user, reach=reach, recorded=bool(existing))
    context: dict[str, Any] = {"alert": alert, "existing": existing, "refusal": refusal}
    if refusal is not None:
        return render(
            request, "supervision/corrections/record.html", context, status=refusal.status
        )
    if request.method != "POST":
        form = CorrectionRecordForm()
        return render(request, "supervision/corrections/record.html", {**context, "form": form})
    form = CorrectionRecordForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            correction = correction_record(
                by=request.user,
                alert=alert,
                outcome=form.cleaned_data["outcome"],
                responsible_person=form.cleaned_data["responsible_person"],
                note=form.cleaned_data["note"],
                rectify_by=form.cleaned_data["rectify_by"],
            )
        except WorkflowError as error:
            form.add_service_error(error)
            status = error.status
        else:
            messages.success(
                request, _("The correction is recorded; the department's leaders are told.")
            )
            return redirect("supervision-correction", pk=correction.pk)
    return render(
        request, "supervision/corrections/record.html", {**context, "form": form}, status=status
    )


# --- the list -------------------------------------------------------------------------------


@staff_required
def correction_list(request: HttpRequest) -> HttpResponse:
    """The corrections of my tree (an officer) or of my department (a leader), newest first,
    filtered by department, outcome and stage."""
    reach = reader_reach(request)
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    form = CorrectionFilterForm(query or None, departments=departments_in_reach(reach))
    corrections = corrections_visible_to(request.user)
    invalid = form.is_bound and not form.is_valid()
    if invalid:
        corrections = corrections.none()
    elif form.is_bound:
        if form.cleaned_data["department"] is not None:
            corrections = corrections.filter(department=form.cleaned_data["department"])
        if form.cleaned_data["outcome"]:
            corrections = corrections.filter(outcome=form.cleaned_data["outcome"])
        if form.cleaned_data["stage"]:
            corrections = corrections_in_stage(corrections, form.cleaned_data["stage"])
    page = keyset_page(
        corrections,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=True,
    )
    for correction in page:
        correction.stage = correction_stage(correction)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/corrections/list.html",
        {"page": page, "form": form, "query": query.urlencode()},
        status=400 if invalid else 200,
    )


# --- one correction -------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    correction: Correction,
    *,
    reach: Reach,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    correction.stage = correction_stage(correction)  # type: ignore[attr-defined]
    context = {
        "correction": correction,
        "alert": correction.alert,
        "actions": correction_actions(correction, request.user, reach=reach),
        "appeal_form": forms.get("appeal_form") or CorrectionAppealForm(),
        "review_form": forms.get("review_form") or CorrectionReviewForm(),
        "refusal": forms.get("refusal"),
        "today": shanghai_today(),
        "APPEAL": APPEAL,
        "REVIEW": REVIEW,
    }
    return render(request, "supervision/corrections/detail.html", context, status=status)


@staff_required
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One correction with its card; the leader's appeal form, the office's review form."""
    reach = reader_reach(request)
    return _detail(request, correction_get_for(user=request.user, pk=pk), reach=reach)


@require_POST
@staff_required
def correction_appeal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's one appeal; the officers of its tree are told."""
    reach = reader_reach(request)
    correction = correction_get_for(user=request.user, pk=pk)
    form = CorrectionAppealForm(request.POST)
    if not form.is_valid():
        return _detail(request, correction, reach=reach, status=400, appeal_form=form)
    try:
        correction_appeal(
            correction=correction, by=request.user, reason=form.cleaned_data["reason"]
        )
    except WorkflowError as error:
        form.add_service_error(error)
        correction = correction_get_for(user=request.user, pk=pk)
        return _detail(
            request,
            correction,
            reach=reach,
            status=error.status,
            appeal_form=form,
            refusal=error.message,
        )
    messages.success(request, _("The appeal was sent to the supervision office."))
    return redirect("supervision-correction", pk=pk)


@require_POST
@staff_required
def correction_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's review of the appeal: upheld, or revoked (the card leaves the statistics)."""
    reach = reader_reach(request)
    correction = correction_get_for(user=request.user, pk=pk)
    form = CorrectionReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, correction, reach=reach, status=400, review_form=form)
    try:
        reviewed = correction_review(
            correction=correction,
            by=request.user,
            review=form.cleaned_data["review"],
            note=form.cleaned_data["note"],
        )
    except WorkflowError as error:
        form.add_service_error(error)
        correction = correction_get_for(user=request.user, pk=pk)
        return _detail(
            request,
            correction,
            reach=reach,
            status=error.status,
            review_form=form,
            refusal=error.message,
        )
    if reviewed.alert.revoked_on is not None:
        messages.success(request, _("The card is revoked; it leaves the statistics."))
    else:
        messages.success(request, _("The correction is upheld."))
    return redirect("supervision-correction", pk=pk)
