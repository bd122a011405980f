"""The item catalog: approval items and their versions, steps, materials and fees.

An item (a stable code) has versions. A published version never changes; editing makes a new
draft, publishing the draft makes it current and supersedes the old one. A case points at the
exact version it was accepted under. The write path is ``catalog/versions.py``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .organization import Department, Role

item_code_validator = RegexValidator(
    r"^[0-9A-Z]{6}-[A-Z]{2,4}-[0-9A-Z]{2,6}-[0-9]{4}$",
    _(
        "Use the national item code style: region-category-department-sequence, e.g. 330100-XK-SCJ-0001."
    ),
)


class VersionFrozen(ValidationError):
    """Something tried to change or delete a published or superseded version, or one of its parts.

    A case points at the exact version it was accepted under, so such a version must read the
    same forever; changes go into a new draft (``catalog.versions.item_version_draft``).
    """


def _frozen_message(version_id: int | None) -> str:
    row = (
        ItemVersion.objects.filter(pk=version_id).values("number", "status", "item__code").first()
        if version_id
        else None
    )
    if row is None:
        return _("This item version can no longer be changed; make a new draft instead.")
    return _(
        "Version %(number)s of item %(code)s is %(status)s and can no longer be changed; "
        "make a new draft instead."
    ) % {
        "number": row["number"],
        "code": row["item__code"],
        "status": VersionStatus(row["status"]).label,
    }


def _refuse_if_version_frozen(part: models.Model) -> None:
    """Refuse to write or delete a step, material or fee of a version that is not a draft.

    Both the version the row belongs to now and the one it is being moved to count, so a part
    can neither leave nor join a published version.
    """
    version_ids = {part.version_id}
    if part.pk is not None:
        stored = type(part)._default_manager.filter(pk=part.pk).values_list("version_id", flat=True)
        version_ids.update(stored)
    frozen = (
        ItemVersion.objects.filter(pk__in=[pk for pk in version_ids if pk is not None])
        .exclude(status=VersionStatus.DRAFT)
        .values_list("pk", flat=True)
        .first()
    )
    if frozen is not None:
        raise VersionFrozen(_frozen_message(frozen), code="version_frozen")


class ItemCategory(models.Model):
    """A code list (行政许可, 行政确认, … and the legacy 非行政许可审批); administrators extend it."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    is_legacy = models.BooleanField(
        _("legacy"), default=False, help_text=_("Kept for old items; not offered for new ones.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ProcessingType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (即办件)")
    PROMISED = "promised", _("Promised (承诺件)")
    REPORTED = "reported", _("Reported (上报件)")
    JOINT = "joint", _("Joint (联办件)")


class ApplicantType(models.TextChoices):
    NATURAL = "natural", _("Natural person")
    LEGAL = "legal", _("Legal person")
    BOTH = "both", _("Natural or legal person")


class WindowAuthorization(models.TextChoices):
    FULL = "full", _("Full authorisation")
    PARTIAL = "partial", _("Partial authorisation")
    RECEIVE_ONLY = "receive_only", _("Receive only")


class ResultType(models.TextChoices):
    LICENCE = "licence", _("Licence")
    APPROVAL_DOCUMENT = "approval_document", _("Approval document")
    CERTIFICATE = "certificate", _("Certificate")
    FILING = "filing", _("Filing")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (current)")
    SUPERSEDED = "superseded", _("Superseded")


class ApprovalItem(models.Model):
    """The stable identity of a licensing matter; everything else lives on its versions."""

    code = models.CharField(
        _("item code"), max_length=40, unique=True, validators=[item_code_validator]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ItemVersion(models.Model):
    item = models.ForeignKey(
        ApprovalItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="item_versions",
    )
    category = models.ForeignKey(
        ItemCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="item_versions",
    )
    processing_type = models.CharField(
        _("processing type"), max_length=12, choices=ProcessingType.choices
    )
    applicant_type = models.CharField(
        _("who may apply"), max_length=10, choices=ApplicantType.choices, default=ApplicantType.BOTH
    )
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("conditions"), blank=True)
    statutory_limit = models.PositiveSmallIntegerField(
        _("statutory limit (working days)"),
        help_text=_("The limit set by law, in working days."),
    )
    promised_limit = models.PositiveSmallIntegerField(
        _("promised limit (working days)"),
        help_text=_(
            "The center's promise, in working days; at most the statutory limit; 0 for immediate items."
        ),
    )
    extension_allowed = models.BooleanField(_("extension allowed"), default=True)
    suspension_allowed = models.BooleanField(_("suspension allowed"), default=True)
    visits_required = models.PositiveSmallIntegerField(
        _("visits needed on site"), default=1, validators=[MinValueValidator(0)]
    )
    must_enter_center = models.BooleanField(_("must enter the center"), default=True)
    entered_center = models.BooleanField(_("has entered the center"), default=False)
    window_authorization = models.CharField(
        _("window authorisation"),
        max_length=12,
        choices=WindowAuthorization.choices,
        default=WindowAuthorization.PARTIAL,
    )
    online_prereview = models.BooleanField(_("online pre-review allowed"), default=True)
    result_type = models.CharField(_("result type"), max_length=20, choices=ResultType.choices)
    window_location = models.CharField(_("window location"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Set when the version is published (catalog.search_terms), for the hall's search: the
    # name's full pinyin and its initials, so that "yyzz" and "yingyezhizhao" find 营业执照.
    search_pinyin = models.CharField(
        _("pinyin of the name"), max_length=800, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        ordering = ["item__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="itemversion_number_unique"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="itemversion_one_current",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status=VersionStatus.DRAFT),
                name="itemversion_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(promised_limit__lte=F("statutory_limit")),
                name="itemversion_promised_within_statutory",
            ),
        ]
        indexes = [models.Index(fields=["status", "department"])]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    # History guard. Cases point at the exact version they were accepted under, so once a
    # version is published nothing about it may change except the two lifecycle moves below;
    # the stored row is the reference, not whatever this instance was loaded with. Creating a
    # row in any status is allowed (fixtures, data loads): it changes no history.
    # QuerySet.update() and QuerySet.delete() do not call these methods and so bypass the
    # guard; only catalog/versions.py and migrations may use them on versions.
    ALLOWED_TRANSITIONS = frozenset(
        {
            (VersionStatus.DRAFT, VersionStatus.PUBLISHED),
            (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED),
        }
    )

    def save(self, *args, **kwargs) -> None:
        self._refuse_history_change(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = ItemVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored is not None and stored != VersionStatus.DRAFT:
            raise VersionFrozen(_frozen_message(self.pk), code="version_frozen")
        return super().delete(*args, **kwargs)

    def _refuse_history_change(self, update_fields) -> None:
        if self.pk is None:
            return
        fields = [f for f in self._meta.concrete_fields if not f.primary_key]
        if update_fields is not None:
            fields = [f for f in fields if f.name in set(update_fields) | {"status"}]
        stored = ItemVersion.objects.filter(pk=self.pk).values(*(f.attname for f in fields)).first()
        if stored is None or stored["status"] == VersionStatus.DRAFT:
            return
        if self.status != stored["status"] and (
            (stored["status"], self.status) not in self.ALLOWED_TRANSITIONS
        ):
            raise VersionFrozen(_frozen_message(self.pk), code="version_frozen")
        changed = [
            f.name
            for f in fields
            if f.name != "status" and getattr(self, f.attname) != stored[f.attname]
        ]
        if changed:
            raise VersionFrozen(_frozen_message(self.pk), code="version_frozen")

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if (
            self.promised_limit is not None
            and self.statutory_limit is not None
            and self.promised_limit > self.statutory_limit
        ):
            errors.setdefault("promised_limit", []).append(
                _(
                    "The promised limit (%(promised)s) may not exceed the statutory limit (%(statutory)s)."
                )
                % {"promised": self.promised_limit, "statutory": self.statutory_limit}
            )
        if self.processing_type == ProcessingType.IMMEDIATE and self.promised_limit:
            errors.setdefault("promised_limit", []).append(
                _("An immediate item is completed on the spot: its promised limit must be 0.")
            )
        if (
            self.processing_type
            and self.processing_type != ProcessingType.IMMEDIATE
            and self.promised_limit == 0
        ):
            errors.setdefault("promised_limit", []).append(
                _("Only immediate items may have a promised limit of 0 working days.")
            )
        if self.entered_center and not self.must_enter_center:
            errors.setdefault("entered_center", []).append(
                _("Only an item that must enter the center can be marked as entered.")
            )
        if self.window_authorization == WindowAuthorization.FULL and not self.entered_center:
            errors.setdefault("window_authorization", []).append(
                _(
                    "Full authorisation is given to a window in the center: mark the item as entered first."
                )
            )
        if errors:
            raise ValidationError(errors)


class StepTemplate(models.Model):
    """One step of an item's procedure (承办 → 审核 → 审批), run in order after acceptance."""

    version = models.ForeignKey(
        ItemVersion, verbose_name=_("item version"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role that acts"), max_length=30, choices=Role.choices)
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="steptemplate_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    # A published version's parts are history too (see ItemVersion.save).
    def save(self, *args, **kwargs) -> None:
        _refuse_if_version_frozen(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_version_frozen(self)
        return super().delete(*args, **kwargs)


class Material(models.Model):
    version = models.ForeignKey(
        ItemVersion,
        verbose_name=_("item version"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    deferrable = models.BooleanField(
        _("may be supplied later"),
        default=False,
        help_text=_("容缺: a non-key required material the applicant may bring after acceptance."),
    )
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    template_file = models.FileField(_("template file"), upload_to="catalog/templates/", blank=True)
    sample_file = models.FileField(_("sample file"), upload_to="catalog/samples/", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name

    # A published version's parts are history too (see ItemVersion.save).
    def save(self, *args, **kwargs) -> None:
        _refuse_if_version_frozen(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_version_frozen(self)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.deferrable and not self.required:
            raise ValidationError(
                {
                    "deferrable": _(
                        "Only a required material can be supplied later; this one is optional."
                    )
                }
            )
        if self.originals == 0 and self.copies == 0:
            raise ValidationError(
                {
                    "copies": _(
                        "Say how many originals or copies the applicant brings (at least one)."
                    )
                }
            )


class FeeItem(models.Model):
    version = models.ForeignKey(
        ItemVersion, verbose_name=_("item version"), on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(
        _("standard amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rule = models.TextField(_("rule"), blank=True, help_text=_("When the amount is not fixed."))
    legal_basis = models.TextField(_("legal basis"))

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return self.name

    # A published version's parts are history too (see ItemVersion.save).
    def save(self, *args, **kwargs) -> None:
        _refuse_if_version_frozen(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_version_frozen(self)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.amount is None and not self.rule.strip():
            raise ValidationError(
                _("Give the fee either a standard amount or the rule by which it is computed.")
            )
