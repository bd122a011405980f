"""The forms of corrections (纠错 / 问责): recording one about a card, the department's appeal,
the office's review, and the list's filters. The rules are the services'; the forms collect the
input and show the services' refusals on their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.forms import DateInput

from .corrections import APPEALED, RECORDED, REVOKED, UPHELD
from .inputs import LONG_TEXT, SHORT_TEXT
from .models import AppealReview, CorrectionOutcome
from .urge_forms import ServiceErrorsMixin


def _text(label, *, rows: int | None = None, limit: int = LONG_TEXT, help_text="") -> forms.Field:
    # Not required here: the services say what is missing, in the same words as the API.
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=False, max_length=limit, widget=widget, help_text=help_text
    )


class CorrectionRecordForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=CorrectionOutcome.choices,
        widget=forms.RadioSelect,
    )
    responsible_person = _text(
        _("Person responsible"),
        limit=SHORT_TEXT,
        help_text=_("The name and post of the person who answers for it."),
    )
    note = _text(
        _("Findings"),
        rows=6,
        help_text=_("What happened, what the office found, and what it asks of the department."),
    )
    rectify_by = forms.DateField(
        label=_("Rectify by"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for a rectification by a date (限期整改)."),
    )


class CorrectionAppealForm(ServiceErrorsMixin, forms.Form):
    prefix = "appeal"
    reason = _text(
        _("Reasons of the appeal"),
        rows=5,
        help_text=_("The department appeals once; say everything the office should weigh."),
    )


class CorrectionReviewForm(ServiceErrorsMixin, forms.Form):
    prefix = "review"
    review = forms.ChoiceField(
        label=_("Review"), required=False, choices=AppealReview.choices, widget=forms.RadioSelect
    )
    note = _text(
        _("Reasons of the review"),
        rows=4,
        help_text=_("A revoked card leaves the statistics; an upheld one stays."),
    )


STAGES = [
    ("", _("All")),
    (RECORDED, _("Recorded, not appealed")),
    (APPEALED, _("Appealed, waiting for the review")),
    (UPHELD, _("Upheld on appeal")),
    (REVOKED, _("Revoked on appeal")),
]


class CorrectionFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("All")
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *CorrectionOutcome.choices]
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=STAGES)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        field.label_from_instance = lambda d: f"{d.center.name} · {d.name}"  # type: ignore[method-assign]
        for bound in self.fields.values():
            bound.widget.attrs.setdefault("class", "form-select form-select-sm")
