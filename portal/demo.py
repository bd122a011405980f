"""The online hall's demo accounts: 张三 (a natural person) and a company whose agent applies
for it, each logging in with a phone number. Run again, it finds them and resets the passwords."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from catalog.models import ApplicantType
from workflow.demo import APPLICANT_USERNAME
from workflow.demo.applicants import HENGDA, ZHANG_SAN

from .models import ApplicantProfile

# The demo company of the demo city's cases (workflow.demo.showcase plays its cases).
COMPANY_NAME = HENGDA.name
COMPANY_CREDIT_CODE = HENGDA.credit_code
COMPANY_PHONE = HENGDA.phone
AGENT_NAME = HENGDA.agent.name
AGENT_ID_NUMBER = HENGDA.agent.id_number


@dataclass(frozen=True)
class HallLogin:
    phone: str
    name: str
    kind: str


def demo_accounts_load(*, password: str) -> list[HallLogin]:
    """Give 张三's demo account its particulars and phone log-in, and open the demo company's
    account; returns the log-ins to print."""
    users = get_user_model().objects
    with transaction.atomic():
        zhang_san = users.get(username=APPLICANT_USERNAME)
        ApplicantProfile.objects.update_or_create(
            user=zhang_san,
            defaults={
                "kind": ApplicantType.NATURAL,
                "name": ZHANG_SAN.name,
                "phone": ZHANG_SAN.phone,
                "id_number": ZHANG_SAN.id_number,
            },
        )
        company, _created = users.get_or_create(
            username=COMPANY_PHONE, defaults={"first_name": COMPANY_NAME[:150]}
        )
        company.set_password(password)
        company.save(update_fields=["password"])
        ApplicantProfile.objects.update_or_create(
            user=company,
            defaults={
                "kind": ApplicantType.LEGAL,
                "name": COMPANY_NAME,
                "phone": COMPANY_PHONE,
                "credit_code": COMPANY_CREDIT_CODE,
                "agent_name": AGENT_NAME,
                "agent_id_number": AGENT_ID_NUMBER,
                "agent_phone": COMPANY_PHONE,
            },
        )
    return [
        HallLogin(ZHANG_SAN.phone, ZHANG_SAN.name, str(ApplicantType.NATURAL.label)),
        HallLogin(COMPANY_PHONE, f"{COMPANY_NAME}（{AGENT_NAME}）", str(ApplicantType.LEGAL.label)),
    ]
