"""The online hall's account forms: registration, log-in, password reset and change. They parse
and validate; the writes are portal.accounts'."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.models import ApplicantType
from catalog.roles import is_staff_member
from workflow.identifiers import (
    PHONE,
    normalize_credit_code,
    normalize_resident_id,
    validate_credit_code,
    validate_resident_id,
)

from .accounts import Particulars, username_for_phone

MOBILE = re.compile(r"1[3-9]\d{9}")
# Full-width digits typed with a Chinese input method look the same to the applicant.
_FULL_WIDTH_DIGITS = {0xFF10 + n: ord("0") + n for n in range(10)}


def _digits(value: str) -> str:
    return value.translate(_FULL_WIDTH_DIGITS).replace(" ", "").replace("-", "").strip()


class MobileField(forms.CharField):
    """A mainland mobile number, 11 digits: the account's log-in name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = _digits(super().clean(value) or "")
        if value and not MOBILE.fullmatch(value):
            raise ValidationError(
                _("Enter an 11-digit mobile number starting with 1, such as 13800138000."),
                code="phone",
            )
        return value


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Verification code"), max_length=12, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})

    def clean(self, value):
        value = _digits(super().clean(value) or "")
        if value and not re.fullmatch(r"\d{6}", value):
            raise ValidationError(_("The code has 6 digits."), code="code")
        return value


class _NewPasswordMixin:
    """Two new-password fields checked against the site's password rules."""

    def _check_new_password(self, user) -> None:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)


def _password_field(label):
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )


class CodeRequestForm(forms.Form):
    """Only the phone number: what the "send code" button needs."""

    phone = MobileField()


class RegistrationForm(_NewPasswordMixin, forms.Form):
    """A new account for one applicant type; the form holds that type's fields only."""

    phone = MobileField()
    code = CodeField()
    password1 = _password_field(_("Password"))
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    name = forms.CharField(label=_("Full name"), max_length=100)
    id_number = forms.CharField(
        label=_("Resident ID number"), max_length=30, validators=[validate_resident_id]
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30, validators=[validate_credit_code]
    )
    agent_name = forms.CharField(label=_("Agent's full name"), max_length=100)
    agent_id_number = forms.CharField(
        label=_("Agent's resident ID number"), max_length=30, validators=[validate_resident_id]
    )
    agent_phone = forms.CharField(label=_("Agent's phone"), max_length=20)

    NATURAL_FIELDS = ("name", "id_number")
    LEGAL_FIELDS = ("name", "credit_code", "agent_name", "agent_id_number", "agent_phone")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == ApplicantType.LEGAL:
            self.fields["name"].label = _("Company or organisation name")
            self.fields["name"].max_length = 200
            dropped = set(self.NATURAL_FIELDS) - set(self.LEGAL_FIELDS)
        else:
            dropped = set(self.LEGAL_FIELDS) - set(self.NATURAL_FIELDS)
        for name in dropped:
            del self.fields[name]
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_id_number(self):
        return normalize_resident_id(self.cleaned_data["id_number"])

    def clean_agent_id_number(self):
        return normalize_resident_id(self.cleaned_data["agent_id_number"])

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean_agent_phone(self):
        phone = _digits(self.cleaned_data["agent_phone"])
        if not PHONE.fullmatch(phone):
            raise ValidationError(
                _("Enter a mobile number, or a landline with its area code."), code="phone"
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        user = get_user_model()(
            username=cleaned.get("phone", ""), first_name=cleaned.get("name", "")
        )
        self._check_new_password(user)
        return cleaned

    def particulars(self) -> Particulars:
        data = self.cleaned_data
        return Particulars(
            kind=self.kind,
            name=data["name"].strip(),
            id_number=data.get("id_number", ""),
            credit_code=data.get("credit_code", ""),
            agent_name=data.get("agent_name", "").strip(),
            agent_id_number=data.get("agent_id_number", ""),
            agent_phone=data.get("agent_phone", ""),
        )


class PasswordResetForm(_NewPasswordMixin, forms.Form):
    phone = MobileField()
    code = CodeField()
    password1 = _password_field(_("New password"))
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        self._check_new_password(get_user_model()(username=cleaned.get("phone", "")))
        return cleaned


class ApplicantLoginForm(AuthenticationForm):
    """The hall's log-in: the phone number and the password. A staff member may give their
    user name instead (they are then sent to the workbench)."""

    error_messages = {
        "invalid_login": _("The phone number or the password is not right."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Mobile phone number")
        self.fields["username"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean_username(self):
        # The account's user name goes to authenticate(), so that django-axes counts and locks
        # the same name whichever way it was typed.
        given = self.cleaned_data["username"].strip()
        phone = _digits(given)
        return username_for_phone(phone) or given


class StaffAuthenticationForm(AuthenticationForm):
    """The staff log-in, which turns applicants away to the hall's own log-in page."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_staff_member(user):
            raise ValidationError(
                _(
                    "This log-in is for the center's staff. Applicants log in to the online "
                    "hall with their phone number."
                ),
                code="applicant",
            )
