"""The applicant's side of ratings (好差评) in the online hall: rating one of my completed cases,
then reading the rectification a poor rating opened and rating it once it is answered; and the
rating link of the completion message, opened without logging in.

Thin views: a form parses, one service acts, the page shows the result. The case comes only
from the applicant's own cases (``case_get_for_applicant``), so another's case — and any case,
for a staff account — is a 404. Refusals are the services' and show as the error summary with
their status (400, 403, 409)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.roles import is_staff_member
from portal.access import HALL_LOGIN_URL
from workflow.calendar import shanghai_today
from workflow.exceptions import WorkflowError
from workflow.models import Case
from workflow.selectors import case_get_for_applicant

from .hall_rating_forms import RatingForm, RectificationRatingForm
from .hall_rating_links import LinkExpired, LinkForged, case_id_of
from .models import Rating, RatingChannel
from .ratings import rating_closes_on, rating_refusal, rating_submit
from .rectification_ratings import rectification_rate, rectification_rate_refusal
from .rules import rules_in_force
from .scales import label_of

RATE_TEMPLATE = "supervision/hall/rate.html"
LINK_TEMPLATE = "supervision/hall/rate_link.html"


def applicant_only(view):
    """The hall's log-in for anonymous visitors; a 404 for staff accounts, which have no cases
    of their own in the hall."""

    @login_required(login_url=HALL_LOGIN_URL)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def rating_of(case: Case) -> Rating | None:
    """The case's rating with its rectification (if any), in one query."""
    return Rating.objects.select_related("rectification").filter(case_id=case.pk).first()


def rating_shown(rating: Rating) -> dict[str, Any]:
    """What the page says of a rating: its level in words, and the rectification a poor one
    opened."""
    rectification = getattr(rating, "rectification", None) if rating.poor else None
    shown: dict[str, Any] = {
        "rating": rating,
        "label": label_of(rating.scale, rating.level),
        "rectification": rectification,
    }
    if rectification is not None and rectification.applicant_level is not None:
        shown["rectification_label"] = label_of(rating.scale, rectification.applicant_level)
    return shown


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    form: RatingForm | None = None,
    rectification_form: RectificationRatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = shanghai_today()
    rules = rules_in_force(today)
    context: dict[str, Any] = {"case": case, "mode": "mine"}
    rating = rating_of(case)
    if rating is not None:
        context |= rating_shown(rating)
        rectification = context["rectification"]
        if rectification is not None and (
            rectification_form is not None
            or rectification_rate_refusal(rectification, user=request.user) is None
        ):
            context["rectification_form"] = rectification_form or RectificationRatingForm(
                scale=rating.scale
            )
        return render(request, RATE_TEMPLATE, context, status=status)
    refusal = rating_refusal(
        case, user=request.user, channel=RatingChannel.ONLINE, today=today, rules=rules
    )
    context["closes_on"] = rating_closes_on(case, rules)
    if refusal is not None and form is None:
        context["refusal"] = refusal
        return render(request, RATE_TEMPLATE, context, status=refusal.status)
    context["form"] = form or RatingForm(scale=rules.rating_scale)
    context["action"] = request.path
    return render(request, RATE_TEMPLATE, context, status=status)


@applicant_only
def case_rate(request: HttpRequest, case_id: int) -> HttpResponse:
    """Rate one of my completed cases (GET: the form, or the rating given and its
    rectification; POST: the rating)."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    if request.method != "POST":
        return _case_page(request, case)
    form = RatingForm(request.POST, scale=rules_in_force(shanghai_today()).rating_scale)
    if not form.is_valid():
        return _case_page(request, case, form=form, status=400)
    try:
        rating = rating_submit(
            case=case,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            channel=RatingChannel.ONLINE,
            by=request.user,
        )
    except WorkflowError as error:
        form.add_service_error(error)
        return _case_page(request, case, form=form, status=error.status)
    messages.success(request, _("Thank you: your rating is recorded."))
    if rating.poor:
        messages.info(
            request,
            _("The department will look into it, call you back and answer you here."),
        )
    return redirect("hall-case-rate", case_id=case.pk)


@require_POST
@applicant_only
def rectification_rate_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Rate the answered rectification of my poor rating, once."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    rating = rating_of(case)
    rectification = getattr(rating, "rectification", None) if rating is not None else None
    if rectification is None:
        raise Http404
    form = RectificationRatingForm(request.POST, scale=rating.scale)
    if not form.is_valid():
        return _case_page(request, case, rectification_form=form, status=400)
    try:
        rectification_rate(
            rectification=rectification,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except WorkflowError as error:
        form.add_service_error(error)
        return _case_page(request, case, rectification_form=form, status=error.status)
    messages.success(request, _("Thank you: your rating of the rectification is recorded."))
    return redirect("hall-case-rate", case_id=case.pk)


# --- the link of the completion message -----------------------------------------------------


def _link_refused(request: HttpRequest, kind: str, status: int) -> HttpResponse:
    return render(request, LINK_TEMPLATE, {"broken": kind}, status=status)


def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The rating link of the completion message: no log-in, the case's number and item only
    (no personal data); whoever holds the message rates the case once."""
    try:
        case_id = case_id_of(token)
    except LinkExpired:
        return _link_refused(request, "expired", 410)
    except LinkForged:
        return _link_refused(request, "forged", 400)
    case = Case.objects.select_related("item_version").filter(pk=case_id).first()
    if case is None:
        return _link_refused(request, "forged", 400)
    today = shanghai_today()
    rules = rules_in_force(today)
    context: dict[str, Any] = {"case": case, "mode": "link", "action": request.path}
    rating = rating_of(case)
    if request.method == "POST" and rating is None:
        form = RatingForm(request.POST, scale=rules.rating_scale)
        status = 400
        if form.is_valid():
            try:
                rating = rating_submit(
                    case=case,
                    level=form.cleaned_data["level"],
                    comment=form.cleaned_data["comment"],
                    channel=RatingChannel.LINK,
                )
            except WorkflowError as error:
                form.add_service_error(error)
                status = error.status
            else:
                messages.success(request, _("Thank you: your rating is recorded."))
                return redirect("hall-rate-link", token=token)
        context |= {"form": form, "closes_on": rating_closes_on(case, rules)}
        return render(request, LINK_TEMPLATE, context, status=status)
    if rating is not None:
        context |= {"rating": rating, "label": label_of(rating.scale, rating.level)}
        if rating.poor:
            context["rectification"] = getattr(rating, "rectification", None)
        if request.method == "POST":
            # A second rating through the same link: refused, the first one stands.
            context["refusal"] = rating_refusal(
                case, channel=RatingChannel.LINK, today=today, rules=rules
            )
            return render(request, LINK_TEMPLATE, context, status=409)
        # The page is the answer to the rating just given, or to a link opened again.
        return render(request, LINK_TEMPLATE, context)
    refusal = rating_refusal(case, channel=RatingChannel.LINK, today=today, rules=rules)
    if refusal is not None:
        context["refusal"] = refusal
        return render(request, LINK_TEMPLATE, context, status=refusal.status)
    context |= {
        "form": RatingForm(scale=rules.rating_scale),
        "closes_on": rating_closes_on(case, rules),
    }
    return render(request, LINK_TEMPLATE, context)
