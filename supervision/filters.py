"""Filters of the office's lists, one set per list, shared by its page, its API endpoint and its
Excel export so that the three always agree on what a filter means."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from catalog.models import Department, ServiceCenter
from catalog.selectors import centers_under

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
    """The alerts API: by case, level, rule, department, and open (neither resolved nor
    revoked) or not."""

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
        return queryset.filter(alert_open()) if value else queryset.exclude(alert_open())


class UrgeFilter(django_filters.FilterSet):
    """The urge notices list: by department urged and status."""

    department = IdFilter(field_name="department_id", label=_("Department id"))
    status = django_filters.ChoiceFilter(
        choices=UrgeStatus.choices, label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = Urge
        fields = ["department", "status"]


# --- the alerts page (and its export): the office's filters ---------------------------------

OPEN, RESOLVED, ALL = "open", "resolved", "all"


def alert_open() -> Q:
    """Alerts still standing: not resolved, not revoked by the review of an appeal."""
    return Q(resolved_on__isnull=True, revoked_on__isnull=True)


class AlertPageFilter(django_filters.FilterSet):
    """Level, rule, department, center (with the centers under it), open or resolved, and
    whether someone has acknowledged it. Without a state, the open alerts."""

    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=AlertLevel.choices, empty_label=_("Any level")
    )
    rule = django_filters.ChoiceFilter(
        label=_("Rule"), choices=AlertRule.choices, empty_label=_("Any rule")
    )
    center = django_filters.ModelChoiceFilter(
        label=_("Service center"),
        queryset=ServiceCenter.objects.none(),
        empty_label=_("Every center"),
        method="filter_center",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.none(),
        empty_label=_("Every department"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(OPEN, _("Open")), (RESOLVED, _("Resolved")), (ALL, _("All"))],
        empty_label=None,
        method="filter_state",
    )
    acknowledged = django_filters.ChoiceFilter(
        label=_("Acknowledged"),
        choices=[("yes", _("Acknowledged")), ("no", _("Not acknowledged"))],
        empty_label=_("Either"),
        method="filter_acknowledged",
    )

    def __init__(
        self,
        *args: Any,
        centers: frozenset[int] = frozenset(),
        departments: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        # Only what the user supervises can be chosen.
        fields["center"].queryset = ServiceCenter.objects.filter(pk__in=sorted(centers))
        fields["department"].queryset = (
            Department.objects.filter(Q(center_id__in=sorted(centers)) | Q(pk__in=departments))
            .select_related("center")
            .order_by("center__code", "code")
        )
        fields["department"].label_from_instance = lambda d: f"{d.name}（{d.center.name}）"
        for field in fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_center(self, queryset: QuerySet, name: str, value: ServiceCenter | None) -> QuerySet:
        if value is None:
            return queryset
        # The alert keeps its center on the row: the index of the open alerts by center.
        return queryset.filter(center_id__in=sorted(centers_under([value.pk])))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == RESOLVED:
            return queryset.filter(resolved_on__isnull=False)
        if value == ALL:
            return queryset
        return queryset.filter(alert_open())

    def filter_acknowledged(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(acknowledged_at__isnull=False)
        if value == "no":
            return queryset.filter(acknowledged_at__isnull=True)
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(alert_open())
        return queryset
