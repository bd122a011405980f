"""The apply wizard's forms: the applicant's particulars, one upload, one reused file.

The rules (which kinds the item admits, check digits, file types and sizes) are the
workflow's: the forms only collect the input and show the services' refusals on the fields.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from catalog.files import ACCEPT
from catalog.models import ItemVersion
from workflow.forms import (
    ApplicantParticularsForm,
    admitted_applicant_kinds,
    limit_applicant_kinds,
)

from .access import applicant_profile


class DetailsForm(ApplicantParticularsForm):
    """Step 1: who applies. Only the kinds of applicant the item admits are offered."""

    def __init__(self, *args, version: ItemVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        limit_applicant_kinds(self, admitted_applicant_kinds(version))

    def applicant(self) -> dict[str, str]:
        """The particulars as ``case_create`` takes them; a field not asked for is blank."""
        return {name: self.cleaned_data.get(name) or "" for name in self.declared_fields}

    def add_service_errors(self, fields: dict[str, list[str]], message: str) -> None:
        """The service's refusal on the fields it names (or on the form)."""
        named = False
        for name, messages in fields.items():
            if name in self.fields:
                for text in messages:
                    self.add_error(name, text)
                named = True
        if not named:
            self.add_error(None, message)


def account_particulars(user) -> dict[str, str]:
    """Who applies as the account says (the wizard's first guess): the particulars of its
    applicant profile, or only the name of an account without one."""
    profile = applicant_profile(user)
    if profile is None:
        return {"applicant_name": user.get_full_name()}
    return {
        "applicant_kind": profile.kind,
        "applicant_name": profile.name,
        "id_number": profile.id_number,
        "credit_code": profile.credit_code,
        "agent_name": profile.agent_name,
        "agent_id_number": profile.agent_id_number,
        "contact_phone": profile.phone,
    }


class UploadForm(forms.Form):
    """One file for one material; its type and size are checked by the workflow's service."""

    # Not marked required: whether the material is needed is the badge's to say; an upload
    # without a file is refused in clean_file.
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, material, **kwargs):
        super().__init__(*args, prefix=f"m{material.pk}", **kwargs)
        self.material = material
        self.fields["file"].label = material.name
        # The browser checks type and size before sending (static/js/site.js), with the
        # server's own limits and words; the service checks them again after upload.
        limit = settings.CASE_MAX_UPLOAD_BYTES
        self.fields["file"].widget.attrs.update(
            {
                "accept": ACCEPT,
                "data-max-bytes": str(limit),
                "data-type-error": _("Choose a PDF, JPEG, PNG, Word, Excel or OFD file."),
                "data-size-error": _("The file is larger than %(size)s; choose a smaller one.")
                % {"size": filesizeformat(limit)},
            }
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError(_("Choose a file to upload."), code="required")
        return upload


class ReuseForm(forms.Form):
    """One of the applicant's earlier files, attached again as a copy (材料复用)."""

    stored = forms.TypedChoiceField(label=_("A file from an earlier application"), coerce=int)

    def __init__(self, *args, material, reusable, **kwargs):
        super().__init__(*args, prefix=f"r{material.pk}", **kwargs)
        self.material = material
        field = self.fields["stored"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (
                stored.pk,
                f"{stored.original_name} · {stored.submission.case.item_version.name}"
                f" · {stored.uploaded_at:%Y-%m-%d}",
            )
            for stored in reusable
        ]
        self.by_id = {stored.pk: stored for stored in reusable}
