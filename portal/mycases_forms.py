"""The applicant's forms on "my cases": answering a supplement notice and withdrawing."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SupplementAnswerForm(forms.Form):
    """One file for each material the latest supplement notice asks for, and nothing else."""

    prefix = "supplement"

    def __init__(self, *args, requested: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.requested = requested
        for entry in requested:
            field = forms.FileField(
                label=entry["name"],
                help_text=entry.get("reason") or "",
                error_messages={"required": _("Choose the file for “%(name)s”.") % entry},
            )
            self.fields[f"material_{entry['id']}"] = field

    def uploads(self) -> list[tuple[int, object]]:
        """(material id, uploaded file) for each requested material, in the notice's order."""
        return [
            (entry["id"], self.cleaned_data[f"material_{entry['id']}"]) for entry in self.requested
        ]


class WithdrawForm(forms.Form):
    prefix = "withdraw"
    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say in a few words why you withdraw.")},
    )
