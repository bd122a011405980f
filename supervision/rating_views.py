"""The staff pages of ratings (好差评): the ratings list and one rating with its rectification,
the leader's appeal form and the office's review form; the rectifications list (the open ones by
due date) and one rectification with the leader's answer form; the month's statistics per
window, staff member and department.

Thin views: a filter or a form parses, one service acts, the page shows the result. Rows come
only from the permission-checked reads, so another tree's or another department's is a 404; a
user who is neither a supervision officer nor a department leader gets the 403 page.
"""

from __future__ import annotations

import re
from typing import Any

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

from .models import AppealDecision, Rating, Rectification, RectificationStatus
from .rating_forms import (
    MONTH_PATTERN,
    OPEN,
    RatingAppealForm,
    RatingFilter,
    RatingReviewForm,
    RectificationAnswerForm,
    RectificationFilter,
    month_bounds,
    rectifications_ordered,
    this_month,
)
from .rating_statistics import month_statistics
from .rectifications import (
    ANSWER,
    APPEAL,
    REVIEW,
    appeal_closes_on,
    appeal_stage,
    level_label,
    rating_actions,
    rating_appeal,
    rating_get_for,
    rating_review,
    ratings_visible_to,
    rectification_actions,
    rectification_answer,
    rectification_answered_late,
    rectification_get_for,
    rectification_overdue,
    rectifications_visible_to,
)
from .standing import Reach
from .urge_views import reader_reach

PAGE_PARAMETERS = ("after", "before")


def _query(request: HttpRequest):
    query = request.GET.copy()
    for name in PAGE_PARAMETERS:
        query.pop(name, None)
    return query


def _mark_rectification(rectification: Rectification, *, today, calendar) -> Rectification:
    # Display attributes for the templates, set on the row.
    rectification.overdue = rectification_overdue(rectification, today)  # type: ignore[attr-defined]
    rectification.answered_late = rectification_answered_late(rectification)  # type: ignore[attr-defined]
    rectification.due_class, rectification.workdays_left = (  # type: ignore[attr-defined]
        due_state(
            rectification.due_on,
            clock="running",
            suspended_since=None,
            today=today,
            calendar=calendar,
        )
        if rectification.status == RectificationStatus.OPEN
        else ("", None)
    )
    return rectification


# --- the ratings list -----------------------------------------------------------------------


@staff_required
def rating_list(request: HttpRequest) -> HttpResponse:
    """The ratings of my tree (an officer) or of my department (a leader), newest first,
    filtered by level, poor or not, channel, department, month and appeal."""
    reach = reader_reach(request)
    query = _query(request)
    rating_filter = RatingFilter(query, queryset=ratings_visible_to(request.user), reach=reach)
    invalid = not rating_filter.is_valid()
    ratings = Rating.objects.none() if invalid else rating_filter.qs
    page = keyset_page(
        ratings.order_by("-rated_at", "-id"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=True,
    )
    for rating in page:
        rating.label = level_label(rating)  # type: ignore[attr-defined]
        rating.stage = appeal_stage(rating)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/ratings/list.html",
        {
            "filter": rating_filter,
            "page": page,
            "query": query.urlencode(),
            "officer": reach.officer,
            "month": query.get("month") or this_month(),
        },
        status=400 if invalid else 200,
    )


# --- one rating -----------------------------------------------------------------------------


def _rating_page(
    request: HttpRequest, rating: Rating, *, reach: Reach, status: int = 200, **forms: Any
) -> HttpResponse:
    today, calendar = shanghai_today(), load_work_calendar()
    rectification = getattr(rating, "rectification", None)
    if rectification is not None:
        _mark_rectification(rectification, today=today, calendar=calendar)
    context = {
        "rating": rating,
        "label": level_label(rating),
        "stage": appeal_stage(rating),
        "rectification": rectification,
        "rectification_actions": (
            rectification_actions(rectification, request.user, reach)
            if rectification is not None
            else []
        ),
        "actions": rating_actions(rating, request.user, reach, today=today),
        "appeal_closes_on": appeal_closes_on(rating) if rating.poor else None,
        "appeal_form": forms.get("appeal_form") or RatingAppealForm(),
        "review_form": forms.get("review_form") or RatingReviewForm(),
        "refusal": forms.get("refusal"),
        "APPEAL": APPEAL,
        "REVIEW": REVIEW,
        "ANSWER": ANSWER,
    }
    return render(request, "supervision/ratings/detail.html", context, status=status)


@staff_required
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One rating, its case and its rectification; the leader's appeal form, the office's review
    form."""
    reach = reader_reach(request)
    return _rating_page(request, rating_get_for(user=request.user, pk=pk), reach=reach)


@require_POST
@staff_required
def rating_appeal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's one appeal of a poor rating; the officers of its tree are told."""
    reach = reader_reach(request)
    rating = rating_get_for(user=request.user, pk=pk)
    form = RatingAppealForm(request.POST)
    if not form.is_valid():
        return _rating_page(request, rating, reach=reach, status=400, appeal_form=form)
    try:
        rating_appeal(rating=rating, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        form.add_service_error(error)
        return _rating_page(
            request,
            rating_get_for(user=request.user, pk=pk),
            reach=reach,
            status=error.status,
            appeal_form=form,
            refusal=error.message,
        )
    messages.success(request, _("The appeal was sent to the supervision office."))
    return redirect("supervision-rating", pk=pk)


@require_POST
@staff_required
def rating_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's review of the appeal: upheld (the rating leaves the statistics) or
    dismissed."""
    reach = reader_reach(request)
    rating = rating_get_for(user=request.user, pk=pk)
    form = RatingReviewForm(request.POST)
    if not form.is_valid():
        return _rating_page(request, rating, reach=reach, status=400, review_form=form)
    try:
        reviewed = rating_review(
            rating=rating,
            by=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except WorkflowError as error:
        form.add_service_error(error)
        return _rating_page(
            request,
            rating_get_for(user=request.user, pk=pk),
            reach=reach,
            status=error.status,
            review_form=form,
            refusal=error.message,
        )
    if reviewed.appeal_decision == AppealDecision.UPHELD:
        messages.success(request, _("The appeal is upheld: the rating leaves the statistics."))
    else:
        messages.success(request, _("The appeal is dismissed: the rating stands."))
    return redirect("supervision-rating", pk=pk)


# --- the rectifications list ----------------------------------------------------------------


@staff_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    """The rectifications of my tree or my department: the open ones by due date, soonest
    first (the overdue marked), unless another status is chosen."""
    reach = reader_reach(request)
    query = _query(request)
    if not query.get("status"):
        query["status"] = OPEN
    rectification_filter = RectificationFilter(
        query, queryset=rectifications_visible_to(request.user), reach=reach
    )
    invalid = not rectification_filter.is_valid()
    rectifications = (
        Rectification.objects.none()
        if invalid
        else rectifications_ordered(rectification_filter.qs, query.get("status"))
    )
    page = keyset_page(
        rectifications,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
        count=True,
    )
    today, calendar = shanghai_today(), load_work_calendar()
    for rectification in page:
        _mark_rectification(rectification, today=today, calendar=calendar)
        rectification.label = level_label(rectification.rating)  # type: ignore[attr-defined]
        rectification.actions = rectification_actions(rectification, request.user, reach)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/ratings/rectification_list.html",
        {
            "filter": rectification_filter,
            "page": page,
            "query": query.urlencode(),
            "officer": reach.officer,
        },
        status=400 if invalid else 200,
    )


# --- one rectification ----------------------------------------------------------------------


def _rectification_page(
    request: HttpRequest,
    rectification: Rectification,
    *,
    reach: Reach,
    status: int = 200,
    form: RectificationAnswerForm | None = None,
    refusal: Any = None,
) -> HttpResponse:
    _mark_rectification(rectification, today=shanghai_today(), calendar=load_work_calendar())
    context = {
        "rectification": rectification,
        "rating": rectification.rating,
        "label": level_label(rectification.rating),
        "actions": rectification_actions(rectification, request.user, reach),
        "form": form or RectificationAnswerForm(),
        "refusal": refusal,
        "ANSWER": ANSWER,
    }
    return render(request, "supervision/ratings/rectification_detail.html", context, status=status)


@staff_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One rectification with its rating; the leader's answer form while it is open."""
    reach = reader_reach(request)
    return _rectification_page(
        request, rectification_get_for(user=request.user, pk=pk), reach=reach
    )


@require_POST
@staff_required
def rectification_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's answer: what was put right and the call-back; the applicant and the
    officers of the tree are told."""
    reach = reader_reach(request)
    rectification = rectification_get_for(user=request.user, pk=pk)
    form = RectificationAnswerForm(request.POST)
    if not form.is_valid():
        return _rectification_page(request, rectification, reach=reach, status=400, form=form)
    try:
        answered = rectification_answer(
            rectification=rectification,
            by=request.user,
            answer=form.cleaned_data["answer"],
            callback_note=form.cleaned_data["callback_note"],
        )
    except WorkflowError as error:
        form.add_service_error(error)
        return _rectification_page(
            request,
            rectification_get_for(user=request.user, pk=pk),
            reach=reach,
            status=error.status,
            form=form,
            refusal=error.message,
        )
    if rectification_answered_late(answered):
        messages.warning(
            request,
            _("The answer is recorded, late: it was due on %(day)s. The applicant is told.")
            % {"day": answered.due_on.isoformat()},
        )
    else:
        messages.success(request, _("The answer is recorded; the applicant is told."))
    return redirect("supervision-rectification", pk=pk)


# --- the month's statistics -----------------------------------------------------------------


@staff_required
def rating_statistics(request: HttpRequest) -> HttpResponse:
    """``?month=YYYY-MM``: the month's ratings, poor ratings and satisfaction per window, staff
    member and department, excluded ratings left out (this month when none is given)."""
    reader_reach(request)
    month = request.GET.get("month") or this_month()
    invalid = re.match(MONTH_PATTERN, month) is None
    if invalid:
        month = this_month()
    first, following = month_bounds(month)
    statistics = month_statistics(user=request.user, first=first, following=following)
    return render(
        request,
        "supervision/ratings/statistics.html",
        {"statistics": statistics, "month": month, "invalid": invalid},
        status=400 if invalid else 200,
    )
