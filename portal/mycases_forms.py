"""The applicant's forms on "my cases": answering a supplement notice, withdrawing, bringing a
pending material and choosing how the result is delivered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.models import DeliveryMethod


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


class DeliveryChoiceForm(forms.Form):
    """How the applicant wants the result: at the window, by post, or electronically."""

    prefix = "delivery"
    method = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to receive the result.")},
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    phone = forms.CharField(label=_("Recipient's phone"), max_length=20, required=False)
    address = forms.CharField(
        label=_("Full postal address"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("recipient", "phone", "address"):
            # Shown for the post only, where a script runs; without one they stay in view.
            self.fields[name].widget.attrs["data-show-when"] = "delivery-method=post"
        if case is not None and case.delivery_requested:
            self.initial = {
                "method": case.delivery_requested,
                "recipient": case.delivery_recipient,
                "phone": case.delivery_phone,
                "address": case.delivery_address,
            }


class PendingMaterialForm(forms.Form):
    """A material accepted as pending (容缺), brought online before its date."""

    prefix = "pending"
    material = forms.TypedChoiceField(
        label=_("Material"),
        coerce=int,
        error_messages={"required": _("Choose the material you bring.")},
    )
    file = forms.FileField(
        label=_("File"), error_messages={"required": _("Choose the file to upload.")}
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = {material.pk: material for material in materials}
        field = self.fields["material"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(pk, m.name) for pk, m in self.materials.items()]
