"""The online hall's account actions: send and check an SMS code, open an account, reset a
password. Views and the demo call these; nothing else writes the records."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflow.sms import sms_gateway

from .models import ApplicantProfile, CodePurpose, VerificationCode

CODE_LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5


class AccountError(Exception):
    """An account action refused, with a message for the applicant."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _digest(*, phone: str, purpose: str, code: str) -> str:
    # Keyed with SECRET_KEY and bound to the phone and purpose: a registration code cannot
    # reset a password, and a leaked table gives nothing to try.
    return salted_hmac(
        "portal.verification-code", f"{purpose}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def verification_code_send(*, phone: str, purpose: str, now: datetime | None = None) -> None:
    """Send a new 6-digit code to ``phone`` by SMS; it replaces any earlier code for the same
    purpose, lives 10 minutes and takes 5 wrong tries. Throttling is the caller's."""
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.update_or_create(
        phone=phone,
        purpose=purpose,
        defaults={
            "code_hash": _digest(phone=phone, purpose=purpose, code=code),
            "created_at": now,
            "expires_at": now + CODE_LIFETIME,
            "failed_tries": 0,
        },
    )
    text = gettext(
        "Your verification code for the online hall is %(code)s. It is valid for 10 minutes. "
        "Do not tell it to anyone."
    ) % {"code": code}
    transaction.on_commit(lambda: sms_gateway().send(phone, text))


def verification_code_use(
    *, phone: str, purpose: str, code: str, now: datetime | None = None
) -> None:
    """Check ``code`` for ``phone`` and use it up, or raise :class:`AccountError`. A wrong code
    counts one try; after 5 wrong tries the code is refused even when right.

    Runs in a transaction of its own, outside the caller's: a wrong try must stay counted
    when the caller's work is refused.
    """
    now = now or timezone.now()
    with transaction.atomic():
        live = (
            VerificationCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .first()
        )
        if live is None:
            error = _("No code was sent to this number. Ask for a code first.")
        elif live.expires_at <= now:
            error = _("The code has expired. Ask for a new code.")
        elif live.failed_tries >= MAX_TRIES:
            error = _("The code was entered wrongly too many times. Ask for a new code.")
        elif not constant_time_compare(
            live.code_hash, _digest(phone=phone, purpose=purpose, code=code)
        ):
            live.failed_tries = F("failed_tries") + 1
            live.save(update_fields=["failed_tries"])
            error = _("The code is not right. Check the text message and try again.")
        else:
            live.delete()
            return
    raise AccountError(error)


@dataclass(frozen=True)
class Particulars:
    """Who an account stands for, already validated and normalised by the form."""

    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    agent_phone: str = ""


def phone_taken(phone: str) -> bool:
    """Whether an account already logs in with ``phone``."""
    return (
        ApplicantProfile.objects.filter(phone=phone).exists()
        or get_user_model().objects.filter(username=phone).exists()
    )


def applicant_register(*, phone: str, code: str, password: str, particulars: Particulars):
    """Open an applicant account confirmed by the registration code sent to ``phone``;
    returns the user. Raises :class:`AccountError` for a wrong code or a number in use."""
    if phone_taken(phone):
        raise AccountError(
            _("This phone number already has an account. Log in, or reset the password.")
        )
    verification_code_use(phone=phone, purpose=CodePurpose.REGISTER, code=code)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=phone, password=password, first_name=particulars.name[:150]
            )
            ApplicantProfile.objects.create(
                user=user,
                phone=phone,
                kind=particulars.kind,
                name=particulars.name,
                id_number=particulars.id_number,
                credit_code=particulars.credit_code,
                agent_name=particulars.agent_name,
                agent_id_number=particulars.agent_id_number,
                agent_phone=particulars.agent_phone,
            )
    except IntegrityError:
        # Two registrations for one number at once: the second finds the first's account.
        raise AccountError(
            _("This phone number already has an account. Log in, or reset the password.")
        ) from None
    return user


def password_reset(*, phone: str, code: str, password: str):
    """Set a new password for the account of ``phone``, confirmed by the reset code sent to
    it; returns the user. The message for an unknown number is the code's, so the form does
    not tell who has an account."""
    verification_code_use(phone=phone, purpose=CodePurpose.RESET, code=code)
    profile = ApplicantProfile.objects.select_related("user").filter(phone=phone).first()
    if profile is None:
        raise AccountError(_("No code was sent to this number. Ask for a code first."))
    profile.user.set_password(password)
    profile.user.save(update_fields=["password"])
    return profile.user


def reset_code_send(*, phone: str) -> None:
    """Send a password-reset code to ``phone`` if an account logs in with it; say nothing
    either way, so that the form does not tell strangers who has an account."""
    if ApplicantProfile.objects.filter(phone=phone).exists():
        verification_code_send(phone=phone, purpose=CodePurpose.RESET)


def username_for_phone(phone: str) -> str | None:
    """The user name of the hall's account that logs in with ``phone``, if there is one."""
    return (
        ApplicantProfile.objects.filter(phone=phone)
        .values_list("user__username", flat=True)
        .first()
    )
