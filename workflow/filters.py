"""Filters of the workbench's case list, and the due-date conditions the dashboard counts with."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Department, ServiceCenter
from catalog.selectors import centers_under

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


def due_within_day(today: date, calendar: WorkCalendar) -> Q:
    """Cases due today or on the next working day, with the clock running (the monitoring
    room's "due within a working day")."""
    last = add_workdays(today, 1, calendar=calendar)
    return clock_running() & Q(due_on__gte=today, due_on__lte=last)


def clock_suspended() -> Q:
    """Accepted, undecided cases whose clock is stopped by a special procedure (Art. 45)."""
    return Q(status__in=CLOCK_STATES, suspended_since__isnull=False)


class CaseFilter(django_filters.FilterSet):
    """The staff case list: status, item, dates, due state, applicant and case number."""

    DUE_SOON = "soon"
    DUE_WITHIN_DAY = "day"
    OVERDUE = "overdue"
    RUNNING = "running"
    SUSPENDED = "suspended"

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
        choices=[
            (DUE_WITHIN_DAY, _("Due within a working day")),
            (DUE_SOON, _("Due soon")),
            (OVERDUE, _("Overdue")),
        ],
        empty_label=_("Any"),
        method="filter_due",
    )
    clock = django_filters.ChoiceFilter(
        label=_("Clock"),
        choices=[(RUNNING, _("Running")), (SUSPENDED, _("Suspended"))],
        empty_label=_("Any"),
        method="filter_clock",
    )
    # The monitoring room's drill-downs: one department, or a center with the centers under
    # it. Both are read as department ids, a column of the case that its indexes lead with.
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.select_related("center"),
        widget=forms.HiddenInput,
    )
    center = django_filters.ModelChoiceFilter(
        label=_("Service center"),
        queryset=ServiceCenter.objects.all(),
        widget=forms.HiddenInput,
        method="filter_center",
    )
    applicant = django_filters.CharFilter(label=_("Applicant"), method="filter_applicant")
    number = django_filters.CharFilter(
        label=_("Case number"), field_name="number", lookup_expr="icontains"
    )

    def __init__(self, *args, today: date | None = None, calendar=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.calendar = calendar
        for name in ("status", "due", "clock"):
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
        if value == self.DUE_WITHIN_DAY:
            return queryset.filter(due_within_day(today, self.calendar or load_work_calendar()))
        return queryset

    def filter_clock(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == self.RUNNING:
            return queryset.filter(clock_running())
        if value == self.SUSPENDED:
            return queryset.filter(clock_suspended())
        return queryset

    def filter_center(self, queryset: QuerySet, name: str, value: ServiceCenter | None) -> QuerySet:
        if value is None:
            return queryset
        departments = Department.objects.filter(center_id__in=sorted(centers_under([value.pk])))
        return queryset.filter(department_id__in=list(departments.values_list("pk", flat=True)))
