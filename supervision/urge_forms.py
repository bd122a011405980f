"""The forms of urge notices: sending one, answering it, closing it, and the list's filters.

They parse what the browser sends and nothing more: the rules (who may send, which cases, the
limit, a note when closing without an answer) are the services', whose refusals the forms show
on their fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.exceptions import WorkflowError

from .inputs import LONG_TEXT
from .models import UrgeStatus
from .urges import RESPOND_WITHIN_MAX, RESPOND_WITHIN_MIN

OVERDUE = "overdue"


class ServiceErrorsMixin:
    def add_service_error(self, error: WorkflowError) -> None:
        """The service's refusal on the fields it names, else at the top of the form."""
        named = False
        for name, messages in error.fields.items():
            if name in self.fields:  # type: ignore[attr-defined]
                for text in messages:
                    self.add_error(name, text)  # type: ignore[attr-defined]
                named = True
        if not named:
            self.add_error(None, str(error.message))  # type: ignore[attr-defined]


def _long_text(label, *, rows: int = 5, help_text: Any = "") -> forms.CharField:
    # Not required here: the services say what is missing, in the same words as the API.
    return forms.CharField(
        label=label,
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class DepartmentChoiceForm(forms.Form):
    """The first step of a notice sent from the list: which department it goes to."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,
        empty_label=_("Choose a department"),
        error_messages={"invalid_choice": _("Choose one of the departments you supervise.")},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        field.label_from_instance = lambda d: f"{d.center.name} · {d.name}"  # type: ignore[method-assign]


class UrgeSendForm(ServiceErrorsMixin, forms.Form):
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The department's cases with an open red card, and the case you came from."),
        error_messages={"invalid_choice": _("Choose among the department's cases listed.")},
    )
    message = _long_text(
        _("What the office asks"),
        rows=6,
        help_text=_("What the department must do about these cases, and by when it reports."),
    )
    respond_within = forms.IntegerField(
        label=_("Answer within (working days)"),
        required=False,
        min_value=RESPOND_WITHIN_MIN,
        max_value=RESPOND_WITHIN_MAX,
        help_text=_("Counted from the day after today; weekends and holidays do not count."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(case.pk, _case_label(case)) for case in candidates]


def _case_label(case) -> str:
    parts = [case.number or str(case.pk), case.item_version.name, str(case.get_status_display())]
    cards = getattr(case, "red_cards", None)
    if cards:
        parts.append(", ".join(cards))
    return " · ".join(parts)


class UrgeAnswerForm(ServiceErrorsMixin, forms.Form):
    prefix = "answer"
    answer = _long_text(
        _("The department's answer"),
        rows=6,
        help_text=_("What the department has done about each case, and what it will do."),
    )


class UrgeCloseForm(ServiceErrorsMixin, forms.Form):
    prefix = "close"
    note = _long_text(
        _("Closing note"),
        rows=3,
        help_text=_("Required when the department has not answered: say why it is closed."),
    )


class UrgeFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *UrgeStatus.choices, (OVERDUE, _("Overdue (unanswered)"))],
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        field.label_from_instance = lambda d: f"{d.center.name} · {d.name}"  # type: ignore[method-assign]
        for bound in self.fields.values():
            bound.widget.attrs.setdefault("class", "form-select form-select-sm")
