"""A draft's particulars: changed by its applicant while it is a draft, checked as at creation."""

import pytest

from catalog.models import ApplicantType
from tests.factories.workflow import (
    CREDIT_CODE,
    ID_NUMBER,
    applicant_user,
    department_staff,
    draft_case,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Case

pytestmark = pytest.mark.django_db

NATURAL = {
    "applicant_kind": ApplicantType.NATURAL,
    "applicant_name": "张三丰",
    "id_number": ID_NUMBER,
    "contact_phone": "139 0013 9000",
}


def test_the_applicant_changes_who_applies_on_a_draft_and_the_revision_moves_on():
    case = draft_case(item_with_procedure())
    revision = case.revision

    services.case_particulars_change(case=case, by=case.applicant, **NATURAL)

    case.refresh_from_db()
    assert (case.applicant_name, case.contact_phone) == ("张三丰", "13900139000")
    assert case.revision == revision + 1
    assert not case.events.exclude(action="create").exists()


def test_the_particulars_are_checked_as_at_creation_and_nothing_changes_when_refused():
    version = item_with_procedure(applicant_type=ApplicantType.NATURAL)
    case = draft_case(version)

    with pytest.raises(InvalidInput) as refused:
        services.case_particulars_change(
            case=case,
            by=case.applicant,
            applicant_kind=ApplicantType.LEGAL,
            applicant_name="江州恒达商贸有限公司",
            credit_code=CREDIT_CODE,
            agent_name="张三",
            agent_id_number=ID_NUMBER,
            contact_phone="13900139000",
        )

    assert "applicant_kind" in refused.value.fields
    assert Case.objects.get().applicant_name == "张三"


def test_only_the_applicant_changes_them_and_only_on_a_draft():
    version = item_with_procedure()
    staff = department_staff(version.department)
    draft = draft_case(version)
    sent = submitted_case(version)

    with pytest.raises(ActionForbidden):
        services.case_particulars_change(case=draft, by=applicant_user(), **NATURAL)
    with pytest.raises(ActionForbidden):
        services.case_particulars_change(case=draft, by=staff.clerk, **NATURAL)
    with pytest.raises(TransitionNotAllowed):
        services.case_particulars_change(case=sent, by=sent.applicant, **NATURAL)
    assert set(Case.objects.values_list("applicant_name", flat=True)) == {"张三"}
