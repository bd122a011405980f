"""Filters of the office's lists, one set per list, shared by its page, its API endpoint and its
Excel export so that the three always agree on what a filter means."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Alert, AlertLevel, AlertRule, Urge, UrgeStatus

# Ids are 64-bit integers; anything larger names nothing and is refused as input.
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row's id: a positive whole number (a plain NumberFilter takes decimals)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.BooleanFilter):
    """true or false (also 1 / 0, yes / no); left out, either."""


class AlertFilter(django_filters.FilterSet):
    """The alerts list: by case, level, rule, department, and open (not resolved) or not."""

    case = IdFilter(field_name="case_id", label=_("Case id"))
    level = django_filters.ChoiceFilter(
        choices=AlertLevel.choices,
        label=pgettext_lazy("alert", "Level"),
        empty_label=_("Any level"),
    )
    rule = django_filters.ChoiceFilter(
        choices=AlertRule.choices,
        label=pgettext_lazy("alert", "Rule"),
        empty_label=_("Any rule"),
    )
    department = IdFilter(field_name="department_id", label=_("Department id"))
    open = YesNoFilter(
        method="filter_open",
        label=pgettext_lazy("alert", "Open"),
        help_text=_("true: only the alerts not resolved yet; false: only the resolved ones."),
    )

    class Meta:
        model = Alert
        fields = ["case", "level", "rule", "department", "open"]

    def filter_open(self, queryset: QuerySet[Alert], name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(resolved_on__isnull=value)


class UrgeFilter(django_filters.FilterSet):
    """The urge notices list: by department urged and status."""

    department = IdFilter(field_name="department_id", label=_("Department id"))
    status = django_filters.ChoiceFilter(
        choices=UrgeStatus.choices, label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = Urge
        fields = ["department", "status"]
