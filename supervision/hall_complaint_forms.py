"""The hall's forms of complaints: filing one (about one of my cases or a department) and rating
the answer. The rules are the services' (``supervision.complaints``); the forms collect the
input and show the services' refusals on their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Department
from workflow.models import Case

from .inputs import LONG_TEXT
from .models import ComplaintCategory
from .scales import Level
from .urge_forms import ServiceErrorsMixin


class ComplaintFileForm(ServiceErrorsMixin, forms.Form):
    case = forms.ChoiceField(
        label=_("About one of my cases (optional)"),
        required=False,
        help_text=_("With a case, the complaint goes to the case's department."),
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
        help_text=_("Only when the complaint is not about one of your cases."),
    )
    content = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "When and where it happened, who was involved, and what you ask for. The department "
            "accepts or declines it within %(accept)s working days and answers it within "
            "%(answer)s working days."
        ),
    )

    def __init__(
        self,
        *args: Any,
        cases: list[Case],
        departments: QuerySet[Department],
        accept_workdays: int,
        answer_workdays: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ChoiceField)
        case_field.choices = [
            ("", _("No case: choose the department below")),
            *((str(case.pk), f"{case.number} · {case.item_version.name}") for case in cases),
        ]
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        field.label_from_instance = lambda d: f"{d.name}（{d.center.name}）"  # type: ignore[method-assign]
        content = self.fields["content"]
        content.help_text = str(content.help_text) % {
            "accept": accept_workdays,
            "answer": answer_workdays,
        }


class ComplaintRateForm(ServiceErrorsMixin, forms.Form):
    prefix = "rate"
    level = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, levels: tuple[Level, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(level.value, level.label) for level in levels]
