"""The forms of the staff side of ratings: the department's answer to a rectification, its appeal
of a rating, the office's review, and the filters of the two lists — one filter set per list,
shared by its page, its Excel export and its API endpoint, so the three agree on what a filter
means. The rules are the services'; the forms collect the input and show the services'
refusals on their fields."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from catalog.models import Department
from workflow.calendar import SHANGHAI, shanghai_today

from .correction_forms import _text
from .models import AppealDecision, RatingChannel, RectificationStatus
from .rectifications import APPEALED, DISMISSED, NOT_APPEALED, UPHELD, ratings_in_stage
from .rules import rules_in_force
from .scales import levels_of
from .standing import Reach, reach_of
from .urge_forms import ServiceErrorsMixin

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


# --- the actions ----------------------------------------------------------------------------


class RectificationAnswerForm(ServiceErrorsMixin, forms.Form):
    prefix = "answer"
    answer = _text(
        _("What was found and put right"),
        rows=5,
        help_text=_("What went wrong, what the department did about it, and who answered for it."),
    )
    callback_note = _text(
        _("Call-back to the applicant (回访)"),
        rows=3,
        help_text=_("When and how the applicant was called back, and what they said."),
    )


class RatingAppealForm(ServiceErrorsMixin, forms.Form):
    prefix = "appeal"
    reason = _text(
        _("Reasons of the appeal"),
        rows=5,
        help_text=_(
            "Why the rating is mistaken or malicious; the department appeals once. Name what "
            "the office can check (the window's recording, the case's record)."
        ),
    )


class RatingReviewForm(ServiceErrorsMixin, forms.Form):
    prefix = "review"
    decision = forms.ChoiceField(
        label=_("Review of the appeal"),
        required=False,
        choices=AppealDecision.choices,
        widget=forms.RadioSelect,
    )
    note = _text(
        _("Reasons of the review"),
        rows=4,
        help_text=_(
            "An upheld appeal takes the rating out of the statistics and cancels its open "
            "rectification; a dismissed one leaves both standing."
        ),
    )


# --- the lists' filters ---------------------------------------------------------------------


def month_bounds(month: str) -> tuple[date, date]:
    """The first day of ``month`` (YYYY-MM) and the first day of the next."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return first, following


def this_month(today: date | None = None) -> str:
    """The current month as YYYY-MM, in Shanghai."""
    return (today or shanghai_today()).strftime("%Y-%m")


class MonthInput(forms.DateInput):
    input_type = "month"


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.CharFilter):
    """A month, YYYY-MM."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "validators",
            [RegexValidator(MONTH_PATTERN, _("Give the month as YYYY-MM, e.g. 2026-11."))],
        )
        kwargs.setdefault("widget", MonthInput(format="%Y-%m"))
        super().__init__(*args, **kwargs)


def _departments(reach: Reach) -> QuerySet[Department]:
    return (
        Department.objects.filter(
            Q(center_id__in=sorted(reach.centers)) | Q(pk__in=reach.departments)
        )
        .select_related("center")
        .order_by("center__code", "code")
    )


class ReachFilterSet(django_filters.FilterSet):
    """A filter set whose department choices are those the user reads: the departments of the
    centers they supervise and those they lead. The reach is given, or read from the request
    (the API's filter backend passes it)."""

    def __init__(self, *args: Any, reach: Reach | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reach is None:
            user = getattr(self.request, "user", None)
            reach = reach_of(user) if user is not None else Reach(frozenset(), frozenset())
        fields = self.form.fields
        fields["department"].queryset = _departments(reach)
        fields["department"].label_from_instance = lambda d: f"{d.name}（{d.center.name}）"
        for field in fields.values():
            css = "form-control form-control-sm" if isinstance(field, forms.CharField) else None
            field.widget.attrs["class"] = css or "form-select form-select-sm"


def level_choices() -> list[tuple[int, str]]:
    """The levels of the scale in force, best first, as "5 · Very satisfied"."""
    scale = rules_in_force(shanghai_today()).rating_scale
    return [(level.value, f"{level.value} · {level.label}") for level in levels_of(scale)]


POOR, NOT_POOR = "yes", "no"
APPEAL_CHOICES = [
    (NOT_APPEALED, _("Not appealed")),
    (APPEALED, _("Appealed, waiting for the review")),
    (UPHELD, _("Appeal upheld: excluded")),
    (DISMISSED, _("Appeal dismissed: stands")),
]


class RatingFilter(ReachFilterSet):
    """The ratings list: by level, poor or not, channel, department, month and where the
    department's appeal stands (an upheld appeal is an excluded rating)."""

    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=level_choices, empty_label=_("Any level")
    )
    poor = django_filters.ChoiceFilter(
        label=_("Poor ratings (差评)"),
        choices=[(POOR, _("Poor only")), (NOT_POOR, _("Not poor"))],
        empty_label=_("Either"),
        method="filter_poor",
    )
    channel = django_filters.ChoiceFilter(
        label=_("Rated through"), choices=RatingChannel.choices, empty_label=_("Any channel")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.none(),
        empty_label=_("Every department"),
    )
    month = MonthFilter(label=_("Month"), method="filter_month")
    appeal = django_filters.ChoiceFilter(
        label=_("Appeal"),
        choices=APPEAL_CHOICES,
        empty_label=_("Any"),
        method="filter_appeal",
    )

    def filter_poor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in (POOR, NOT_POOR):
            return queryset.filter(poor=value == POOR)
        return queryset

    def filter_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        first, following = month_bounds(value)
        # By the moment rated, so the (center | department, rated_at) indexes serve it.
        return queryset.filter(
            rated_at__gte=datetime.combine(first, time.min, SHANGHAI),
            rated_at__lt=datetime.combine(following, time.min, SHANGHAI),
        )

    def filter_appeal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return ratings_in_stage(queryset, value) if value else queryset


OPEN, OVERDUE, LATE, EVERY = "open", "overdue", "late", "all"
RECTIFICATION_STATES = [
    (OPEN, _("To rectify")),
    (OVERDUE, _("To rectify, overdue")),
    (RectificationStatus.ANSWERED.value, _("Answered")),
    (LATE, _("Answered late")),
    (RectificationStatus.CANCELLED.value, _("Cancelled on appeal")),
    (EVERY, _("All")),
]


class RectificationFilter(ReachFilterSet):
    """The rectifications list: by status (open, overdue, answered, answered late, cancelled)
    and department. Left out, every status."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=RECTIFICATION_STATES,
        empty_label=None,
        method="filter_status",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.none(),
        empty_label=_("Every department"),
    )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = shanghai_today()
        if value == OPEN:
            return queryset.filter(status=RectificationStatus.OPEN)
        if value == OVERDUE:
            return queryset.filter(status=RectificationStatus.OPEN, due_on__lt=today)
        if value == LATE:
            return queryset.filter(status=RectificationStatus.ANSWERED, answered_on__gt=F("due_on"))
        if value in (RectificationStatus.ANSWERED, RectificationStatus.CANCELLED):
            return queryset.filter(status=value)
        return queryset


def rectifications_ordered(queryset: QuerySet, status: str | None) -> QuerySet:
    """The open ones by due date, soonest first (the index of the open ones by due date);
    any other choice newest first."""
    if status in (OPEN, OVERDUE):
        return queryset.order_by("due_on", "id")
    return queryset.order_by("-opened_on", "-id")
