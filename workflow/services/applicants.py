"""Who applies: the applicant's particulars, checked and normalised in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog.models import ApplicantType, ItemVersion

from .. import identifiers
from ..exceptions import InvalidInput

# The input names of an applicant's particulars, in forms, API bodies and service calls alike.
APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "id_number",
    "credit_code",
    "agent_name",
    "agent_id_number",
    "contact_phone",
)


@dataclass(frozen=True)
class Applicant:
    """A natural person (resident ID, GB 11643) or a legal person (credit code, GB 32100,
    applying through a named agent), with a phone number to reach them on."""

    applicant_kind: str
    applicant_name: str
    contact_phone: str
    id_number: str = ""
    credit_code: str = ""
    agent_name: str = ""
    agent_id_number: str = ""

    @classmethod
    def checked(cls, data: Mapping[str, Any], *, version: ItemVersion) -> Applicant:
        """The particulars in ``data`` normalised, for an application for ``version``.

        Raises ``InvalidInput`` naming every field that is wrong: a kind the item is not open
        to, a missing name, a check digit that does not match, a phone number that is not one.
        """
        raw = {name: str(data.get(name) or "") for name in APPLICANT_FIELDS}
        errors: dict[str, list[str]] = {}

        def check(field: str, validator: Any, value: str) -> None:
            try:
                validator(value)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)

        kind = raw["applicant_kind"]
        if kind not in (ApplicantType.NATURAL, ApplicantType.LEGAL):
            errors.setdefault("applicant_kind", []).append(_("Choose a natural or a legal person."))
        elif version.applicant_type not in (ApplicantType.BOTH, kind):
            errors.setdefault("applicant_kind", []).append(
                _("This item is open to %(who)s only.")
                % {"who": ApplicantType(version.applicant_type).label}
            )
        name = raw["applicant_name"].strip()
        if not name:
            errors.setdefault("applicant_name", []).append(_("Give the applicant's name."))
        id_number = credit_code = ""
        if kind == ApplicantType.NATURAL:
            id_number = identifiers.normalize_resident_id(raw["id_number"])
            check("id_number", identifiers.validate_resident_id, id_number)
        elif kind == ApplicantType.LEGAL:
            credit_code = identifiers.normalize_credit_code(raw["credit_code"])
            check("credit_code", identifiers.validate_credit_code, credit_code)
            if not raw["agent_name"].strip():
                errors.setdefault("agent_name", []).append(
                    _("A legal person applies through an agent: give the agent's name.")
                )
        agent_name = raw["agent_name"].strip()
        agent_id_number = identifiers.normalize_resident_id(raw["agent_id_number"])
        if agent_name or agent_id_number or kind == ApplicantType.LEGAL:
            check("agent_id_number", identifiers.validate_resident_id, agent_id_number)
        phone = raw["contact_phone"].replace(" ", "").replace("-", "")
        if not identifiers.PHONE.fullmatch(phone):
            errors.setdefault("contact_phone", []).append(
                _("Give a mobile number (11 digits) or a landline with its area code.")
            )
        if errors:
            raise InvalidInput(
                " ".join(message for messages in errors.values() for message in messages)
            ).with_fields(errors)
        return cls(
            applicant_kind=kind,
            applicant_name=name,
            contact_phone=phone,
            id_number=id_number,
            credit_code=credit_code,
            agent_name=agent_name,
            agent_id_number=agent_id_number,
        )

    def case_fields(self) -> dict[str, str]:
        """The particulars as the case stores them."""
        return asdict(self)


def applicant_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """Only the applicant's particulars of ``data`` (a form's or a request's fields)."""
    return {name: data.get(name, "") for name in APPLICANT_FIELDS}


def walk_in(applicant: dict[str, Any], clerk: Any) -> dict[str, Any]:
    """A walk-in applicant's fields: with agent service and no agent named, the clerk taking the
    application in acts as the agent (代办)."""
    if applicant.get("agent_service") and applicant.get("agent_staff") is None:
        return {**applicant, "agent_staff": clerk}
    return applicant
