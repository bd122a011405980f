"""Applicant identifiers: resident identity card numbers and unified social credit codes.

The validators are plain callables that raise :class:`~django.core.exceptions.ValidationError`,
so they can go straight into a model field's or a form field's ``validators``. Each error carries
a ``code`` (``"length"``, ``"checksum"``, …) for callers that branch on the kind of mistake, and
a message that says exactly what is wrong without ever repeating the whole number: messages end
up in logs and on screens that others can see.

Both validators normalise first (surrounding spaces, lowercase letters, full-width characters),
so the caller should store ``normalize_*(value)``, not the raw input.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A birth date "in the future" is judged by the center's calendar day, whatever the server
# runs in: a child born just after midnight in Shanghai is still "tomorrow" in UTC.
SHANGHAI = ZoneInfo("Asia/Shanghai")

# A contact phone: a mainland mobile number, or a landline with its area code (and extension).
PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:\d{1,6})?")

DIGITS = "0123456789"

# Chinese input methods in full-width mode type "１１０１０５…Ｘ" and "　" (U+3000); the digits
# look the same to the applicant, so they are folded to ASCII instead of being rejected.
_FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _fold(value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"An identifier must be a str, not {type(value).__name__}.")
    return value.translate(_FULL_WIDTH_TO_ASCII).strip().upper()


def _reject_character(char: str, position: int, allowed: str | Promise) -> ValidationError:
    """The error for a character that is not allowed at a (1-based) position."""
    if char.isspace():
        return ValidationError(
            _("There is a space at position %(position)d."),
            code="invalid_character",
            params={"position": position},
        )
    # Invisible and look-alike characters (a Cyrillic "Х" for X) are named by their code point
    # too, or the message would point at a character that looks perfectly right.
    if char.isascii() and char.isprintable():
        shown = char
    elif char.isprintable():
        shown = f"{char} (U+{ord(char):04X})"
    else:
        shown = f"U+{ord(char):04X}"
    return ValidationError(
        _("The character “%(char)s” at position %(position)d is not allowed: %(allowed)s"),
        code="invalid_character",
        params={"char": shown, "position": position, "allowed": allowed},
    )


# --- Resident identity card number (居民身份证号码), GB 11643-1999 -------------------------------

RESIDENT_ID_LENGTH = 18
OLD_RESIDENT_ID_LENGTH = 15
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# ISO 7064 MOD 11-2 as GB 11643-1999 writes it out: weight 2**(17 - i) mod 11 for position i.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def normalize_resident_id(value: str) -> str:
    """The number as stored: surrounding spaces removed, a lowercase ``x`` made uppercase.

    Full-width digits and letters (typed with a Chinese input method) become ASCII. Nothing is
    validated here; call :func:`validate_resident_id` for that.
    """
    return _fold(value)


def resident_id_check_char(first17: str) -> str:
    """The check character (``0``–``9`` or ``X``) for the first 17 digits of a number.

    Raises ``ValueError`` unless ``first17`` is exactly 17 ASCII digits.
    """
    if len(first17) != 17 or any(c not in DIGITS for c in first17):
        raise ValueError("The check character is computed from exactly 17 ASCII digits.")
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def validate_resident_id(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a well-formed 18-character number.

    Checks, in this order so the first message names the real mistake: the length (with its own
    message for the 15-digit numbers issued before 1999), the characters, the first digit of the
    division code, the birth date (a real date, from 1900-01-01 to today in Shanghai) and the
    check character. The division code is not looked up in a table: codes change every year,
    and numbers issued under old codes stay valid.
    """
    number = normalize_resident_id(value)

    if len(number) == OLD_RESIDENT_ID_LENGTH and all(c in DIGITS for c in number):
        raise ValidationError(
            _(
                "This is an old 15-digit number. Only the 18-digit number is accepted: it is "
                "printed on every identity card issued since 1999."
            ),
            code="old_format",
        )
    if len(number) != RESIDENT_ID_LENGTH:
        raise ValidationError(
            _("The number must have 18 characters, not %(length)d."),
            code="length",
            params={"length": len(number)},
        )

    for position, char in enumerate(number[:17], start=1):
        if char not in DIGITS:
            if char == "X":
                allowed = _("X may only be the last character.")
            else:
                allowed = _("the number has only digits, and X as the last character.")
            raise _reject_character(char, position, allowed)
    if number[17] not in DIGITS + "X":
        raise _reject_character(number[17], 18, _("the last character is a digit or X."))

    if number[0] not in "12345678":
        raise ValidationError(
            _(
                "The number starts with an invalid division code: the first digit must be "
                "1 to 8, not %(digit)s."
            ),
            code="division",
            params={"digit": number[0]},
        )

    _birth_date(number)

    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The check digit does not match: this number is mistyped or forged."),
            code="checksum",
        )


def _birth_date(number: str) -> date:
    """The birth date in positions 7–14 of a number already checked for length and digits."""
    year, month, day = number[6:10], number[10:12], number[12:14]
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(
            _("The birth date in the number, %(date)s, is not a real calendar date."),
            code="birth_date",
            params={"date": f"{year}-{month}-{day}"},
        ) from None
    if born < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("The birth date in the number, %(date)s, is before 1900-01-01."),
            code="birth_date_too_early",
            params={"date": born.isoformat()},
        )
    if born > timezone.now().astimezone(SHANGHAI).date():
        raise ValidationError(
            _("The birth date in the number, %(date)s, is in the future."),
            code="birth_date_future",
            params={"date": born.isoformat()},
        )
    return born


def birth_date_from_resident_id(value: str) -> date:
    """The holder's birth date, after validating the whole number.

    Raises ``ValidationError`` if the number is not valid: a date read from a mistyped number
    would be wrong without anyone noticing.
    """
    validate_resident_id(value)
    return _birth_date(normalize_resident_id(value))


def mask_resident_id(value: str) -> str:
    """The number with all but its first 6 and last 4 characters hidden, for results and logs.

    ``11010519491231002X`` becomes ``110105********002X``. Input too short to hide anything that
    way (10 characters or fewer) is masked entirely, so this never leaks a whole value; it does
    not validate and never raises on bad input other than a non-string.
    """
    number = normalize_resident_id(value)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- Unified social credit code (统一社会信用代码), GB 32100-2015 -------------------------------

CREDIT_CODE_LENGTH = 18

# The 31 characters of the code, in the order that gives their values 0–30. I, O, S, V and Z
# are left out because they are easily read as 1, 0, 5, U and 2.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: v for v, c in enumerate(CREDIT_CODE_ALPHABET)}

# Registration authorities (登记管理部门): 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
# 7 宗教, 8 工会, 9 市场监管 (工商), A 中央军委改革和编制办公室, N 农业, Y 其他.
CREDIT_CODE_AUTHORITIES = "123456789ANY"

# 3**(i - 1) mod 31 for position i.
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_credit_code(value: str) -> str:
    """The code as stored: surrounding spaces removed, letters made uppercase.

    Full-width digits and letters become ASCII. Nothing is validated here; call
    :func:`validate_credit_code` for that.
    """
    return _fold(value)


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code.

    Raises ``ValueError`` unless ``first17`` is exactly 17 characters of the code's alphabet.
    """
    if len(first17) != 17 or any(c not in _CREDIT_VALUE for c in first17):
        raise ValueError(
            f"The check character is computed from exactly 17 characters of {CREDIT_CODE_ALPHABET}."
        )
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a well-formed unified social credit code.

    Checks the length, the characters, the registration authority (position 1), that the
    division code (positions 3–8) is digits, and the check character. The type code (position 2)
    and the organisation code (positions 9–17) are only checked against the alphabet: which
    types each authority may use has grown since 2015 and is not ours to police.
    """
    code = normalize_credit_code(value)

    if len(code) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("The code must have 18 characters, not %(length)d."),
            code="length",
            params={"length": len(code)},
        )

    for position, char in enumerate(code, start=1):
        if char not in _CREDIT_VALUE:
            if char in "IOSVZ":
                allowed = _("the code never uses the letters I, O, S, V or Z.")
            else:
                allowed = _(
                    "the code has only digits and capital letters other than I, O, S, V, Z."
                )
            raise _reject_character(char, position, allowed)

    if code[0] not in CREDIT_CODE_AUTHORITIES:
        raise ValidationError(
            _(
                "The first character, “%(char)s”, is not a registration authority code: it must "
                "be a digit from 1 to 9, A, N or Y."
            ),
            code="authority",
            params={"char": code[0]},
        )
    for position in range(3, 9):
        if code[position - 1] not in DIGITS:
            raise ValidationError(
                _(
                    "The character “%(char)s” at position %(position)d is not allowed: positions "
                    "3 to 8 are the division code and hold only digits."
                ),
                code="division",
                params={"char": code[position - 1], "position": position},
            )

    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check digit does not match: this number is mistyped or forged."),
            code="checksum",
        )


# --- Names shown to the public ---------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """A phone number with its middle hidden: ``13800138000`` becomes ``138****8000``; seven
    characters or fewer are masked entirely."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_credit_code(code: str) -> str:
    """A credit code with all but its first 6 and last 4 characters hidden: the division and
    authority stay readable, the organisation code does not."""
    if len(code) <= 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def mask_person_name(name: str) -> str:
    """A natural person's name as public lists show it: the first character, then one asterisk
    for each other character (``张三丰`` becomes ``张**``); a one-character name keeps one
    asterisk so that it is never shown whole."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def public_holder_name(name: str, *, natural_person: bool) -> str:
    """The holder of a licence as the result disclosure (Art. 40) names it: a natural person
    masked (personal information), a company or other organisation in full (its licence is a
    public fact about it)."""
    return mask_person_name(name) if natural_person else name
