"""Applicant accounts of the online hall: who the account stands for (a natural person, or a
legal person through its agent) and the SMS codes that confirm a phone number."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import ApplicantType
from workflow.identifiers import validate_credit_code, validate_resident_id

# The applicant types an account may be: an item's "natural or legal person" is not a person.
ACCOUNT_KINDS = [
    (ApplicantType.NATURAL, ApplicantType.NATURAL.label),
    (ApplicantType.LEGAL, ApplicantType.LEGAL.label),
]


class ApplicantProfile(models.Model):
    """The applicant an online-hall account stands for. Its phone number is the log-in name."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="applicant_profile",
    )
    kind = models.CharField(_("applicant type"), max_length=10, choices=ACCOUNT_KINDS)
    name = models.CharField(_("applicant name"), max_length=200)
    phone = models.CharField(_("mobile phone"), max_length=11, unique=True)
    id_number = models.CharField(
        _("resident ID number"),
        max_length=18,
        blank=True,
        validators=[validate_resident_id],
        help_text=_("For a natural person."),
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("For a legal person."),
    )
    agent_name = models.CharField(_("agent name"), max_length=100, blank=True)
    agent_id_number = models.CharField(
        _("agent resident ID number"), max_length=18, blank=True, validators=[validate_resident_id]
    )
    agent_phone = models.CharField(_("agent phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=ApplicantType.NATURAL, credit_code="")
                | models.Q(kind=ApplicantType.LEGAL, id_number=""),
                name="applicant_profile_numbers_match_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_legal_person(self) -> bool:
        return self.kind == ApplicantType.LEGAL


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("Registration")
    RESET = "reset", _("Password reset")


class VerificationCode(models.Model):
    """The live SMS code for one phone and purpose: a new code replaces the last one.

    Only an HMAC of the code is kept (keyed with SECRET_KEY): a copy of the database does not
    let anyone use a code in flight. A code is deleted once used.
    """

    phone = models.CharField(_("mobile phone"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    code_hash = models.CharField(_("code (HMAC)"), max_length=64)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    failed_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        constraints = [
            models.UniqueConstraint(fields=["phone", "purpose"], name="one_live_code_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.phone}"
