"""The staff forms of complaints: the list's filters (shared by the page, the API and the Excel
export), recording a complaint taken on the phone, declining and answering one. The rules are
the services' (``supervision.complaints``); the forms collect the input and show the services'
refusals on their fields."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from workflow.calendar import shanghai_today

from .complaints import PHONE_LIMIT, complaints_overdue
from .filters import IdFilter, YesNoFilter
from .inputs import LONG_TEXT, SHORT_TEXT
from .models import Complaint, ComplaintCategory, ComplaintStatus
from .urge_forms import ServiceErrorsMixin


class ComplaintFilter(django_filters.FilterSet):
    """The complaints list: by status, category, department, and past the limit that runs."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ComplaintStatus.choices, empty_label=_("Any status")
    )
    category = django_filters.ChoiceFilter(
        label=_("Complaint category"),
        choices=ComplaintCategory.choices,
        empty_label=_("Any category"),
    )
    department = IdFilter(field_name="department_id", label=_("Department id"))
    overdue = YesNoFilter(
        method="filter_overdue",
        label=_("Overdue"),
        help_text=_(
            "true: only those past the limit that runs (to accept or decline, or to answer)."
        ),
    )

    class Meta:
        model = Complaint
        fields = ["status", "category", "department", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = complaints_overdue(Complaint.objects.all(), shanghai_today())
        if value:
            return queryset.filter(pk__in=late.values("pk"))
        return queryset.exclude(pk__in=late.values("pk"))


class ComplaintPageFilter(ComplaintFilter):
    """The page's form of the same filters: the department as a choice among those in reach,
    overdue as a check box."""

    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.none(), empty_label=_("Every department")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Only overdue"),
        widget=forms.CheckboxInput,
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
        fields["department"].queryset = (
            Department.objects.filter(
                Q(center_id__in=sorted(centers)) | Q(pk__in=sorted(departments))
            )
            .select_related("center")
            .order_by("center__code", "code")
        )
        fields["department"].label_from_instance = lambda d: f"{d.name}（{d.center.name}）"
        fields["overdue"].required = False
        for name, field in fields.items():
            if name == "overdue":
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        # A check box left empty means "either", not "not overdue".
        return super().filter_overdue(queryset, name, True if value else None)


def _text(label, *, rows: int | None = None, limit: int = LONG_TEXT, help_text="") -> forms.Field:
    # Not required here: the services say what is missing, in the same words as the API.
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=False, max_length=limit, widget=widget, help_text=help_text
    )


class ComplaintRecordForm(ServiceErrorsMixin, forms.Form):
    """A complaint taken on the phone."""

    name = _text(_("Caller's name"), limit=SHORT_TEXT)
    phone = _text(
        _("Caller's phone"),
        limit=PHONE_LIMIT,
        help_text=_("The caller is told by SMS when the department accepts, declines or answers."),
    )
    category = forms.ChoiceField(
        label=_("What it is about"),
        required=False,
        choices=ComplaintCategory.choices,
        widget=forms.RadioSelect,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Choose the department"),
        help_text=_("With a case number, the case's department."),
    )
    case_number = _text(
        _("Case number (optional)"),
        limit=40,
        help_text=_("When the caller names a case of your center."),
    )
    content = _text(
        _("What the caller says"),
        rows=6,
        help_text=_("When, where, who, what happened, and what the caller asks for."),
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        field.label_from_instance = lambda d: f"{d.name}（{d.center.name}）"  # type: ignore[method-assign]
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def add_service_error(self, error) -> None:
        # The service names the case field "case"; here it is the case number.
        if "case" in error.fields:
            for text in error.fields["case"]:
                self.add_error("case_number", text)
            return
        super().add_service_error(error)


class ComplaintDeclineForm(ServiceErrorsMixin, forms.Form):
    prefix = "decline"
    reason = _text(
        _("Reasons for not accepting"),
        rows=4,
        help_text=_("The complainant is told these reasons by SMS and reads them in the hall."),
    )


class ComplaintAnswerForm(ServiceErrorsMixin, forms.Form):
    prefix = "answer"
    answer = _text(
        _("The department's answer"),
        rows=6,
        help_text=_(
            "What the department found and did. The complainant reads it in the hall and rates it."
        ),
    )
