"""Forms of the catalog administration: parse and check input, then hand over to a service."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .files import ACCEPT, clean_file_name, validate_upload
from .models import (
    ApprovalItem,
    ItemCategory,
    ItemVersion,
    Material,
    Role,
    StaffMembership,
    StepTemplate,
)
from .models.items import item_code_validator
from .roles import membership_check
from .versions import GUIDE_FIELDS, steps_over_limit_message

# Roles that act on a case's steps; supervision, catalog and user administration never do.
STEP_ROLES = [
    (value, label)
    for value, label in Role.choices
    if value not in {Role.SUPERVISION_OFFICER, Role.CATALOG_ADMINISTRATOR, Role.USER_ADMINISTRATOR}
]


class ItemVersionForm(forms.ModelForm):
    """A draft's item guide. Legacy categories are offered only to a version already in one."""

    class Meta:
        model = ItemVersion
        fields = GUIDE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = self.fields.get("category")
        if category is not None:
            current = self.instance.category_id if self.instance.pk else None
            category.queryset = ItemCategory.objects.filter(is_legacy=False) | (
                ItemCategory.objects.filter(pk=current)
            )


class ItemCodeField(forms.CharField):
    def to_python(self, value):
        # Codes are written in capitals; accept lower case typed by hand.
        return super().to_python(value).upper()


class ItemCreateForm(ItemVersionForm):
    """A new item: its code and the guide of its first draft."""

    item_code = ItemCodeField(
        label=_("Item code"),
        max_length=40,
        validators=[item_code_validator],
        help_text=_("Region-category-department-sequence, e.g. 330100-XK-SCJ-0001."),
    )

    def clean_item_code(self) -> str:
        code = self.cleaned_data["item_code"]
        if ApprovalItem.objects.filter(code=code).exists():
            raise ValidationError(
                _("An item with the code %(code)s already exists; make a new draft of it instead.")
                % {"code": code}
            )
        return code


class StepTemplateForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role that acts"), choices=STEP_ROLES)

    class Meta:
        model = StepTemplate
        fields = ["order", "name", "role", "limit_days"]


class StepInlineFormSet(BaseInlineFormSet):
    """The procedure of a draft: the steps' limits may not add up to more than the promise."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        total = sum(
            form.cleaned_data.get("limit_days") or 0
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        )
        promised = self.instance.promised_limit
        if promised is not None and total > promised:
            raise ValidationError(steps_over_limit_message(total=total, promised=promised))


class MaterialFileInput(forms.ClearableFileInput):
    """The file input whose "currently" link is the permission-checked download, not a media URL."""

    def __init__(self, *, kind: str, attrs=None):
        super().__init__(attrs={"accept": ACCEPT, **(attrs or {})})
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget["is_initial"]:
            widget["value"] = material_file_link(value.instance, self.kind, str(value))
        return context


class _FileLink(str):
    """A file's name, with the address the admin's templates read as ``.url``."""

    url = ""


def material_file_link(material: Material, kind: str, name: str) -> _FileLink:
    link = _FileLink(name)
    if material.pk:
        link.url = reverse("material-file", kwargs={"pk": material.pk, "kind": kind})
    return link


class MaterialAdminForm(forms.ModelForm):
    """A material; its template and sample must be documents or images of a sane size."""

    class Meta:
        model = Material
        fields = [
            "order",
            "name",
            "required",
            "deferrable",
            "originals",
            "copies",
            "template_file",
            "sample_file",
            "notes",
        ]
        widgets = {
            "template_file": MaterialFileInput(kind="template"),
            "sample_file": MaterialFileInput(kind="sample"),
        }

    def clean_template_file(self):
        return self._checked_upload("template_file")

    def clean_sample_file(self):
        return self._checked_upload("sample_file")

    def _checked_upload(self, name: str):
        value = self.cleaned_data.get(name)
        # Only a file uploaded now is checked; a file already stored was checked when it came.
        if isinstance(value, UploadedFile):
            # The stored name comes from the upload's: no invisible characters in it.
            value.name = clean_file_name(
                value.name or "", default_stem=self.cleaned_data.get("name") or ""
            )
            validate_upload(value)
        return value


class StaffMembershipForm(forms.ModelForm):
    """Grant a role; ``membership_grant`` says where it may be held and who may grant it.

    ``granted_by`` is the signed-in user (the admin sets it on the form class).
    """

    granted_by = None

    class Meta:
        model = StaffMembership
        fields = ["user", "role", "department", "center"]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        department = cleaned.get("department")
        center = cleaned.get("center")
        user = cleaned.get("user")
        if not role:
            return cleaned
        # The rule is the service's; asking it here shows its refusal next to the field.
        try:
            membership_check(
                role=role, department=department, center=center, user=user, by=self.granted_by
            )
        except ValidationError as error:
            self.add_error(None, error)
        if user is not None and not self.errors:
            taken = StaffMembership.objects.filter(
                user=user, role=role, department=department, center=center
            )
            if taken.exists():
                self.add_error(
                    "role", _("%(user)s already holds this role there.") % {"user": user}
                )
        return cleaned
