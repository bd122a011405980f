"""Filters of the workbench's case list, and the due-date conditions the dashboard counts with."""

from datetime import date

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import identifiers
from .calendar import load_work_calendar, shanghai_today
from .clock import DUE_SOON_WORKDAYS
from .deadlines import WorkCalendar, add_workdays
from .models import CLOCK_STATES, CaseStatus


def clock_running() -> Q:
    """Cases whose clock runs: accepted, not decided, not suspended.

    A suspended case is neither overdue nor due soon: its due dates move when it resumes.
    """
    return Q(status__in=CLOCK_STATES, suspended_since__isnull=True)


def overdue(today: date) -> Q:
    """Cases past their due date with the clock running."""
    return clock_running() & Q(due_on__lt=today)


def due_soon(today: date, calendar: WorkCalendar) -> Q:
    """Cases due today or within ``DUE_SOON_WORKDAYS`` working days, with the clock running."""
    last = add_workdays(today, DUE_SOON_WORKDAYS, calendar=calendar)
    return clock_running() & Q(due_on__gte=today, due_on__lte=last)


class CaseFilter(django_filters.FilterSet):
    """The staff case list: status, item, dates, due state, applicant and case number."""

    DUE_SOON = "soon"
    OVERDUE = "overdue"

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label=_("Any status")
    )
    item = django_filters.CharFilter(label=_("Item"), method="filter_item")
    received = django_filters.DateFromToRangeFilter(
        label=_("Received"),
        field_name="received_on",
    )
    accepted = django_filters.DateFromToRangeFilter(
        label=_("Accepted"),
        field_name="accepted_on",
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[(DUE_SOON, _("Due soon")), (OVERDUE, _("Overdue"))],
        empty_label=_("Any"),
        method="filter_due",
    )
    applicant = django_filters.CharFilter(label=_("Applicant"), method="filter_applicant")
    number = django_filters.CharFilter(
        label=_("Case number"), field_name="number", lookup_expr="icontains"
    )

    def __init__(self, *args, today: date | None = None, calendar=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.calendar = calendar
        for name in ("status", "due"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filter_item(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(item_version__item__code__iexact=value) | Q(item_version__name__icontains=value)
        )

    def filter_applicant(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Identifiers match exactly (a part of an ID number finds nobody); names by any part.
        value = value.strip()
        if not value:
            return queryset
        folded = identifiers.normalize_resident_id(value)
        return queryset.filter(
            Q(applicant_name__icontains=value) | Q(id_number=folded) | Q(credit_code=folded)
        )

    def filter_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = self.today or shanghai_today()
        if value == self.OVERDUE:
            return queryset.filter(overdue(today))
        if value == self.DUE_SOON:
            return queryset.filter(due_soon(today, self.calendar or load_work_calendar()))
        return queryset
