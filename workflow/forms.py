"""Forms of the staff workbench.

They parse what the browser sends (types, choices, which of the case's steps or extensions is
meant) and nothing more: the rules — a reason that must be given, a date that must be in the
future, who may act — are the services', whose messages the pages show.
"""

import dataclasses
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.files import ACCEPT
from catalog.models import ApplicantType, ItemVersion, JointItem

from .models import Decision, DeliveryMethod, SpecialProcedure, StagedUpload
from .services.applicants import APPLICANT_FIELDS
from .staging import staged_as_upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends and expects ISO dates whatever the language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _text(label, *, rows: int | None = None, max_length: int | None = None) -> forms.CharField:
    # Not required here: the services say what is missing, in the same words as the API.
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


def _model_choice(field: forms.Field) -> forms.ModelChoiceField:
    """``field`` as the model choice field it is declared as."""
    assert isinstance(field, forms.ModelChoiceField)
    return field


class CaseActionForm(forms.Form):
    """Every action on a case carries the revision it was filled in on and a confirmation."""

    needs_confirmation = True

    expected_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label=_("I confirm"),
        error_messages={"required": _("Tick “I confirm” to go ahead.")},
    )

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        kwargs.setdefault("auto_id", f"id_{self.slug}_%s")
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["expected_revision"].initial = case.revision
        if not self.needs_confirmation:
            del self.fields["confirm"]

    slug = "action"

    def main_fields(self):
        """The visible fields the page lists before the confirmation."""
        return [field for field in self.visible_fields() if field.name != "confirm"]

    def confirm_field(self):
        return self["confirm"] if "confirm" in self.fields else None

    @classmethod
    def for_case(cls, data, files, case) -> "CaseActionForm":
        """The form bound to a POST about ``case``."""
        return cls(data, files, case=case)

    def action_input(self) -> dict:
        """The cleaned input under the names the action registry reads (as the API sends them)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "confirm"}


class StepActionForm(CaseActionForm):
    step = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if step is not None:
            self.fields["step"].initial = step.pk


class SupplementForm(CaseActionForm):
    """One notice listing every material to supplement, each with its reason (一次性告知)."""

    slug = "supplement"

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[f"material_{material.pk}"] = forms.BooleanField(
                label=material.name, required=False
            )
            self.fields[f"reason_{material.pk}"] = forms.CharField(
                label=_("What is missing or wrong"), required=False, max_length=500
            )

    def main_fields(self):
        return []  # the materials are listed as rows

    def rows(self):
        """(material, its checkbox, its reason) for the template."""
        return [
            (material, self[f"material_{material.pk}"], self[f"reason_{material.pk}"])
            for material in self.materials
        ]

    @classmethod
    def for_case(cls, data, files, case) -> "SupplementForm":
        return cls(data, files, case=case, materials=case.item_version.materials.all())

    def action_input(self) -> dict:
        return {"expected_revision": self.cleaned_data["expected_revision"], "items": self.items()}

    def items(self) -> list[dict]:
        """The ticked materials as the service takes them."""
        return [
            {"material": material.pk, "reason": self.cleaned_data[f"reason_{material.pk}"]}
            for material in self.materials
            if self.cleaned_data.get(f"material_{material.pk}")
        ]


class RejectForm(CaseActionForm):
    slug = "reject"
    reason = _text(_("Reason the application is not accepted"), rows=3)


class AcceptForm(CaseActionForm):
    slug = "accept"
    deferred_due_on = forms.DateField(
        label=_("Pending materials must come by"), required=False, widget=DateInput
    )

    def __init__(self, *args, deferred=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deferred is not None:
            if deferred:
                self.fields["deferred_due_on"].help_text = "、".join(m.name for m in deferred)
            elif not self.is_bound:
                del self.fields["deferred_due_on"]  # nothing may come later: no date to ask


class ClaimStepForm(StepActionForm):
    slug = "claim"
    needs_confirmation = False


class CompleteStepForm(StepActionForm):
    slug = "complete"
    opinion = _text(_("Opinion"), rows=3)


class ReturnStepForm(StepActionForm):
    slug = "return"
    reason = _text(_("Why the step goes back"), rows=3)


class SuspendForm(CaseActionForm):
    slug = "suspend"
    # No procedure is preselected: the clerk names the one that applies.
    procedure = forms.ChoiceField(
        label=_("Special procedure"), choices=[("", "---------"), *SpecialProcedure.choices]
    )
    reason = _text(_("Reason"), rows=2)
    expected_days = forms.IntegerField(label=_("Expected length (working days)"))


class ResumeForm(CaseActionForm):
    slug = "resume"


class ExtensionRequestForm(CaseActionForm):
    slug = "extension"
    days = forms.IntegerField(label=_("Working days"))
    reason = _text(_("Reason (the applicant is told)"), rows=2)


class ExtensionDecideForm(CaseActionForm):
    APPROVE = "approve"
    REFUSE = "refuse"

    slug = "extension_decision"
    extension = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve the extension")), (REFUSE, _("Refuse the extension"))],
        widget=forms.RadioSelect,
    )
    note = _text(_("Note (required when refusing)"), rows=2)

    def __init__(self, *args, extension=None, **kwargs):
        super().__init__(*args, **kwargs)
        if extension is not None:
            self.fields["extension"].initial = extension.pk
            self.auto_id = f"id_extension{extension.pk}_%s"

    def action_input(self) -> dict:
        data = super().action_input()
        data["approve"] = data.pop("decision") == self.APPROVE
        return data


class DecideForm(CaseActionForm):
    slug = "decide"
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    opinion = _text(_("Opinion"), rows=2)
    licence_number = _text(_("Licence or document number (approval)"), max_length=60)
    valid_until = forms.DateField(
        label=_("Valid until (approval)"), required=False, widget=DateInput
    )
    reasons = _text(_("Reasons (denial)"), rows=3)


class FeeForm(CaseActionForm):
    """One form per fee of the item, the amount prefilled with the catalog's standard."""

    slug = "fee"
    fee_name = forms.CharField(widget=forms.HiddenInput)
    amount = forms.DecimalField(
        label=_("Amount collected (yuan)"), max_digits=12, decimal_places=2, min_value=0
    )
    receipt_number = _text(_("Receipt number"), max_length=60)
    deviation_reason = _text(_("Reason for a different amount"), rows=2)

    def __init__(self, *args, fee=None, index: int = 0, **kwargs):
        kwargs.setdefault("auto_id", f"id_fee{index}_%s")
        super().__init__(*args, **kwargs)
        self.fee = fee
        if fee is not None:
            self.fields["fee_name"].initial = fee.name
            self.fields["amount"].initial = fee.amount


class ChooseDeliveryForm(CaseActionForm):
    slug = "choose_delivery"
    method = forms.ChoiceField(
        label=_("How the applicant wants the result"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
    )
    recipient = _text(_("Recipient (by post)"), max_length=100)
    phone = _text(_("Recipient's phone (by post)"), max_length=20)
    address = _text(_("Postal address (by post)"), max_length=300)

    needs_confirmation = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None and self.case.delivery_requested:
            self.fields["method"].initial = self.case.delivery_requested
            self.fields["recipient"].initial = self.case.delivery_recipient
            self.fields["phone"].initial = self.case.delivery_phone
            self.fields["address"].initial = self.case.delivery_address


class DeliverForm(CaseActionForm):
    slug = "deliver"
    method = forms.ChoiceField(
        label=_("Delivery method"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    tracking_number = _text(_("Postal tracking number"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None and self.case.delivery_requested:
            # The way the applicant asked for, ready to confirm.
            self.fields["method"].initial = self.case.delivery_requested


class SupplyDeferredForm(CaseActionForm):
    slug = "deferred"
    material = forms.TypedChoiceField(label=_("Material"), coerce=int)
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    @classmethod
    def for_case(cls, data, files, case) -> "SupplyDeferredForm":
        from .selectors import deferred_materials_pending

        return cls(data, files, case=case, materials=deferred_materials_pending(case))

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = {material.pk: material for material in materials}
        field = self.fields["material"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(pk, m.name) for pk, m in self.materials.items()]


class WithdrawForm(CaseActionForm):
    slug = "withdraw"
    reason = _text(_("The applicant's request (how and why)"), rows=2)


class CompleteOnTheSpotForm(CaseActionForm):
    slug = "on_the_spot"
    licence_number = _text(_("Licence or document number"), max_length=60)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)


# --- window intake --------------------------------------------------------------------------


class IntakeItemForm(forms.Form):
    """Step one of a walk-in intake: which item."""

    item = forms.ModelChoiceField(label=_("Item"), queryset=ItemVersion.objects.none())

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if versions is not None:
            _model_choice(self.fields["item"]).queryset = versions
        self.fields["item"].label_from_instance = lambda v: f"{v.item.code} {v.name}"  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files for one material (a scan of each page, say)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class StagedUploadsField(forms.ModelMultipleChoiceField):
    """The ids of staged uploads a refused intake form carried over, among the user's own."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid_choice": _("An attached file is no longer available: choose it again."),
        "invalid_pk_value": _("An attached file is no longer available: choose it again."),
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, required=False, **kwargs)


@dataclasses.dataclass
class MaterialSlot:
    """One material of an intake form: its file input, the files staged for it by an earlier
    refusal (carried in a hidden field) and the box that removes them."""

    form: forms.Form
    key: str
    material: Any
    # What the page lists as attached; the view sets it after staging a refused form's files.
    staged: list[StagedUpload] = dataclasses.field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"material_{self.key}"

    @property
    def staged_name(self) -> str:
        return f"staged_{self.key}"

    @property
    def remove_name(self) -> str:
        return f"unstage_{self.key}"

    @property
    def field(self) -> forms.BoundField:
        return self.form[self.file_name]

    @property
    def remove_id(self) -> str:
        return f"id_{self.remove_name}"

    @property
    def errors(self) -> list:
        return [*self.form[self.file_name].errors, *self.form[self.staged_name].errors]

    def uploads(self) -> list:
        """The files chosen in this submit (once the form is valid)."""
        return self.form.cleaned_data.get(self.file_name) or []

    def carried(self) -> list[StagedUpload]:
        """The staged uploads the form carried for this material, whatever becomes of them."""
        return list(self.form.cleaned_data.get(self.staged_name) or [])

    def removed(self) -> bool:
        return bool(self.form.cleaned_data.get(self.remove_name))

    def kept(self) -> list[StagedUpload]:
        """The carried uploads that still stand: new files replace them, "remove" drops them."""
        return [] if self.uploads() or self.removed() else self.carried()

    def files(self) -> list:
        """What is attached for this material: the new files, or else the staged ones kept."""
        return self.uploads() or [staged_as_upload(staged) for staged in self.kept()]


# The identifier field only the other kind of applicant gives.
OTHER_KINDS_IDENTIFIER = {
    ApplicantType.NATURAL: "credit_code",
    ApplicantType.LEGAL: "id_number",
}


def limit_applicant_kinds(form: forms.Form, allowed: set[str]) -> None:
    """Offer on ``form`` only the kinds of applicant in ``allowed`` (what the items admit): one
    is chosen already and the other kind's identifier is not asked for. A POST naming another
    kind is refused with the services' own words. ``form`` has an ``applicant_kind`` choice
    and the ``id_number`` and ``credit_code`` fields."""
    kinds = [kind for kind in (ApplicantType.NATURAL, ApplicantType.LEGAL) if kind in allowed]
    if not kinds or len(kinds) == 2:
        return
    (kind,) = kinds
    field = form.fields["applicant_kind"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [(kind, ApplicantType(kind).label)]
    field.initial = kind
    field.error_messages["invalid_choice"] = _("This item is open to %(who)s only.") % {
        "who": ApplicantType(kind).label
    }
    form.fields.pop(OTHER_KINDS_IDENTIFIER[kind], None)


class ApplicantParticularsForm(forms.Form):
    """Who applies, as every intake asks it, at the window or online: the kind of applicant,
    the name, the identifier of that kind, the agent and a phone."""

    applicant_kind = forms.ChoiceField(
        label=_("Applicant type"),
        choices=[
            (ApplicantType.NATURAL, ApplicantType.NATURAL.label),
            (ApplicantType.LEGAL, ApplicantType.LEGAL.label),
        ],
        widget=forms.RadioSelect,
    )
    applicant_name = _text(_("Applicant name"), max_length=200)
    id_number = _text(_("Resident ID number (natural person)"), max_length=18)
    credit_code = _text(_("Unified social credit code (legal person)"), max_length=18)
    agent_name = _text(_("Agent name"), max_length=100)
    agent_id_number = _text(_("Agent resident ID number"), max_length=18)
    contact_phone = _text(_("Contact phone"), max_length=20)


class ApplicantForm(ApplicantParticularsForm):
    """The applicant of a walk-in intake, the agent service and the date pending materials come by."""

    APPLICANT_FIELDS = (*APPLICANT_FIELDS, "green_channel", "agent_service")

    green_channel = forms.BooleanField(label=_("Green channel"), required=False)
    agent_service = forms.BooleanField(label=_("Agent service"), required=False)
    agent_staff: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Staff member acting as agent"), required=False, queryset=None
    )
    deferred_due_on = forms.DateField(
        label=_("Pending materials must come by"), required=False, widget=DateInput
    )

    def __init__(self, *args, agents, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.slots: list[MaterialSlot] = []
        _model_choice(self.fields["agent_staff"]).queryset = agents
        self.fields["agent_staff"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )

    def limit_applicant_kinds(self, allowed: set[str]) -> None:
        """Offer only the kinds of applicant in ``allowed`` (see :func:`limit_applicant_kinds`)."""
        limit_applicant_kinds(self, allowed)

    def add_material(self, key: str, material) -> None:
        """A file input for ``material`` and the fields that carry its staged files."""
        self.fields[f"material_{key}"] = MultipleFileField(label=material.name, required=False)
        staged = StagedUpload.objects.filter(user=self.user, material=material)
        if self.user is None:
            staged = staged.none()
        self.fields[f"staged_{key}"] = StagedUploadsField(staged)
        self.fields[f"unstage_{key}"] = forms.BooleanField(required=False)
        self.slots.append(MaterialSlot(form=self, key=key, material=material))

    def staged_ids(self) -> list[int]:
        """Every staged upload this submit carried (valid form): all of them are done with
        once the intake succeeds."""
        return [staged.pk for slot in self.slots for staged in slot.carried()]

    def applicant(self) -> dict:
        """The applicant fields and the chosen agent as the intake services take them."""
        return {
            # A field not asked for (the other kind's identifier) is blank.
            **{name: self.cleaned_data.get(name, "") for name in self.APPLICANT_FIELDS},
            "agent_staff": self.cleaned_data["agent_staff"],
        }


class IntakeForm(ApplicantForm):
    """Step two: the applicant, their files (one input per material) and the pending date."""

    item = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, version: ItemVersion, materials, agents, **kwargs):
        super().__init__(*args, agents=agents, **kwargs)
        self.version = version
        self.materials = list(materials)
        self.fields["item"].initial = version.pk
        self.limit_applicant_kinds(admitted_applicant_kinds(version))
        for material in self.materials:
            self.add_material(str(material.pk), material)

    def material_fields(self) -> list[MaterialSlot]:
        """One slot per material, for the template."""
        return self.slots

    def files_by_material(self) -> dict[int, list]:
        return {slot.material.pk: files for slot in self.slots if (files := slot.files())}


def admitted_applicant_kinds(version: ItemVersion) -> set[str]:
    """The kinds of applicant ``version`` admits (the window's intake and the hall's wizard)."""
    if version.applicant_type == ApplicantType.BOTH:
        return {ApplicantType.NATURAL, ApplicantType.LEGAL}
    return {version.applicant_type}


class JointIntakeItemForm(forms.Form):
    """Step one of a joint intake: which joint item (一件事)."""

    joint_item = forms.ModelChoiceField(label=_("Joint item"), queryset=JointItem.objects.none())

    def __init__(self, *args, joint_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if joint_items is not None:
            _model_choice(self.fields["joint_item"]).queryset = joint_items
        self.fields["joint_item"].label_from_instance = lambda j: f"{j.code} {j.name}"  # type: ignore[attr-defined]


class JointIntakeForm(ApplicantForm):
    """Step two of a joint intake: one applicant, the materials of every member item."""

    joint_item = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, joint_item: JointItem, versions, agents, **kwargs):
        super().__init__(*args, agents=agents, **kwargs)
        # Not "joint_item": templates look that name up as the hidden field.
        self.joint = joint_item
        self.fields["joint_item"].initial = joint_item.pk
        self.versions = list(versions)
        # One applicant for every member item: only a kind that each of them admits.
        admitted: set[str] = {ApplicantType.NATURAL, ApplicantType.LEGAL}
        for version in self.versions:
            admitted &= admitted_applicant_kinds(version)
        self.limit_applicant_kinds(admitted)
        for version in self.versions:
            for material in version.materials.all():
                self.add_material(f"{version.pk}_{material.pk}", material)

    def sections(self) -> list[tuple[ItemVersion, list[MaterialSlot]]]:
        """(version, its materials' slots) per member item, for the template."""
        by_version: dict[int, list[MaterialSlot]] = {}
        for slot in self.slots:
            by_version.setdefault(slot.material.version_id, []).append(slot)
        return [(version, by_version.get(version.pk, [])) for version in self.versions]

    def files_by_version(self) -> dict[int, dict[int, list]]:
        """``{version id: {material id: [uploads]}}`` as ``joint_case_intake`` takes them."""
        files: dict[int, dict[int, list]] = {}
        for slot in self.slots:
            if chosen := slot.files():
                files.setdefault(slot.material.version_id, {})[slot.material.pk] = chosen
        return files
