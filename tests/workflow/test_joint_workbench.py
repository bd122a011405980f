"""Joint items (联办件) in the browser and the API; withdrawal at the window; lapsed extensions."""

from datetime import date

import pytest
import time_machine
from knox.models import AuthToken
from rest_framework.test import APIClient

from catalog.models import JointItem
from tests.factories.workflow import (
    WALK_IN_APPLICANT,
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    pdf,
    run_to_last_step,
)
from workflow import services
from workflow.exceptions import InvalidInput
from workflow.models import (
    CaseStatus,
    Decision,
    ExtensionStatus,
    JointCase,
    JointCaseStatus,
)
from workflow.permissions import offered_actions
from workflow.selectors import case_get_for_staff, extensions_awaiting_decision

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
APPLICANT = WALK_IN_APPLICANT


@pytest.fixture(autouse=True)
def _on_monday():
    with time_machine.travel(at(MONDAY), tick=False):
        yield


@pytest.fixture
def joint():
    """A joint item of two departments, the first one leading, with staff in both."""
    lead_item = item_with_procedure(
        steps=(("审批", "approver", 2),), materials=(("申请书", False),)
    )
    other_item = item_with_procedure(
        steps=(("审批", "approver", 2),), materials=(("图纸", False), ("检测报告", False))
    )
    joint_item = JointItem.objects.create(
        code="LB-0001", name="开办餐馆一件事", lead_department=lead_item.department
    )
    joint_item.items.add(lead_item.item, other_item.item)
    return {
        "item": joint_item,
        "lead_item": lead_item,
        "other_item": other_item,
        "lead": department_staff(lead_item.department),
        "other": department_staff(other_item.department),
    }


def _form_data(joint, *, skip: str | None = None, **overrides) -> dict:
    data = {"joint_item": joint["item"].pk, **APPLICANT}
    for version in (joint["lead_item"], joint["other_item"]):
        for material in version.materials.all():
            if material.name != skip:
                data[f"material_{version.pk}_{material.pk}"] = pdf(f"{material.name}.pdf")
    data.update(overrides)
    return data


def _taken_in(joint) -> JointCase:
    files = {
        version.pk: {m.pk: [pdf()] for m in version.materials.all()}
        for version in (joint["lead_item"], joint["other_item"])
    }
    return services.joint_case_intake(
        joint_item=joint["item"], by=joint["lead"].clerk, applicant=APPLICANT, files=files
    )


def _decide(sub_case, staff):
    last = run_to_last_step(sub_case, staff)
    services.case_decide(
        case=sub_case, by=last.assignee, decision=Decision.APPROVED, licence_number="LB-X-1"
    )
    sub_case.refresh_from_db()


# --- joint intake in the workbench -----------------------------------------------------------


def test_the_lead_window_takes_in_a_joint_item_once_for_every_department(client, joint):
    client.force_login(joint["lead"].clerk)

    chooser = client.get("/staff/intake/joint/").content.decode()
    form = client.get("/staff/intake/joint/", {"joint_item": joint["item"].pk}).content.decode()
    response = client.post("/staff/intake/joint/", _form_data(joint))

    assert "开办餐馆一件事" in chooser
    lead_name = joint["lead_item"].department.name
    assert f'开办餐馆一件事 <span class="muted">LB-0001 · lead: {lead_name}' in form
    for name in ("申请书", "图纸", "检测报告"):
        assert name in form
    created = JointCase.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/joint/{created.pk}/"
    sub_cases = list(created.sub_cases.all())
    assert {c.department_id for c in sub_cases} == {
        joint["lead_item"].department_id,
        joint["other_item"].department_id,
    }
    assert all(c.status == CaseStatus.ACCEPTED and c.number for c in sub_cases)
    detail = client.get(response.url).content.decode()
    assert created.number in detail
    for sub_case in sub_cases:
        assert sub_case.number in detail


def test_a_window_of_a_member_department_that_does_not_lead_cannot_take_it_in(client, joint):
    client.force_login(joint["other"].clerk)

    chooser = client.get("/staff/intake/joint/")
    response = client.post("/staff/intake/joint/", _form_data(joint))

    assert "开办餐馆一件事" not in chooser.content.decode()
    assert response.status_code == 400
    assert not JointCase.objects.exists()


def test_a_missing_material_of_one_department_is_named_and_nothing_is_taken_in(client, joint):
    client.force_login(joint["lead"].clerk)

    response = client.post("/staff/intake/joint/", _form_data(joint, skip="检测报告"))

    assert response.status_code == 400
    assert "检测报告" in response.content.decode()
    assert not JointCase.objects.exists()


def test_a_forged_id_number_in_a_joint_intake_is_shown_on_its_field(client, joint):
    client.force_login(joint["lead"].clerk)

    response = client.post(
        "/staff/intake/joint/", _form_data(joint, id_number="110105194912310021")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["id_number"]
    assert not JointCase.objects.exists()


def test_the_lead_window_follows_every_sub_case_and_hands_over_the_results(client, joint):
    created = _taken_in(joint)
    other_case = created.sub_cases.get(department=joint["other_item"].department)
    _decide(other_case, joint["other"])
    client.force_login(joint["lead"].clerk)

    page = client.get(f"/staff/cases/{other_case.pk}/").content.decode()
    listed = client.get("/staff/cases/").content.decode()

    assert other_case.number in listed
    assert created.number in page  # the link back to the joint case
    assert "deliver" in offered_actions(
        case_get_for_staff(user=joint["lead"].clerk, pk=other_case.pk), joint["lead"].clerk
    )
    response = client.post(
        f"/staff/cases/{other_case.pk}/deliver/",
        {"expected_revision": other_case.revision, "confirm": "on", "method": "pickup"},
    )
    assert response.status_code == 302
    other_case.refresh_from_db()
    assert other_case.status == CaseStatus.COMPLETED


def test_a_member_department_sees_its_own_sub_case_and_only_the_progress_of_the_others(
    client, joint
):
    created = _taken_in(joint)
    lead_case = created.sub_cases.get(department=joint["lead_item"].department)
    own_case = created.sub_cases.get(department=joint["other_item"].department)
    client.force_login(joint["other"].handler)

    page = client.get(f"/staff/joint/{created.pk}/").content.decode()

    assert f'href="/staff/cases/{own_case.pk}/"' in page
    assert lead_case.number in page and f'href="/staff/cases/{lead_case.pk}/"' not in page
    assert client.get(f"/staff/cases/{lead_case.pk}/").status_code == 404
    assert created.number in client.get("/staff/joint/").content.decode()


def test_staff_of_a_department_outside_the_joint_item_get_not_found(client, joint):
    created = _taken_in(joint)
    outsider = department_staff(item_with_procedure().department)
    client.force_login(outsider.clerk)

    assert client.get(f"/staff/joint/{created.pk}/").status_code == 404
    assert created.number not in client.get("/staff/joint/").content.decode()


def test_the_joint_case_is_withdrawn_when_every_sub_case_is(joint):
    created = _taken_in(joint)

    for sub_case in created.sub_cases.all():
        services.case_withdraw(case=sub_case, by=joint["lead"].clerk, reason="申请人书面撤回")

    created.refresh_from_db()
    assert created.status == JointCaseStatus.WITHDRAWN


def test_the_joint_case_is_decided_when_the_rest_is_decided_after_one_withdrawal(joint):
    created = _taken_in(joint)
    lead_case = created.sub_cases.get(department=joint["lead_item"].department)
    other_case = created.sub_cases.get(department=joint["other_item"].department)

    services.case_withdraw(case=other_case, by=joint["lead"].clerk, reason="该项不再申请")
    created.refresh_from_db()
    assert created.status == JointCaseStatus.OPEN
    _decide(lead_case, joint["lead"])

    created.refresh_from_db()
    assert created.status == JointCaseStatus.DECIDED and created.decided_on == MONDAY


# --- joint cases in the API ------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _api_data(joint, **overrides) -> dict:
    data = {"joint_item": joint["item"].code, **APPLICANT}
    for version in (joint["lead_item"], joint["other_item"]):
        for material in version.materials.all():
            data[f"material_{material.pk}"] = pdf(f"{material.name}.pdf")
    data.update(overrides)
    return data


def test_the_api_takes_in_a_joint_item_and_each_sub_case_names_its_joint_case(joint):
    client = _api(joint["lead"].clerk)

    response = client.post("/api/v1/joint-cases/", _api_data(joint), format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and len(body["sub_cases"]) == 2
    sub_case = client.get(f"/api/v1/cases/{body['sub_cases'][0]['id']}/").json()
    assert sub_case["joint_case"]["number"] == body["number"]
    assert sub_case["due_on"] == body["due_on"]
    listed = client.get("/api/v1/joint-cases/").json()
    assert [row["number"] for row in listed["results"]] == [body["number"]]


def test_the_api_names_the_missing_applicant_fields_of_a_joint_intake(joint):
    data = {k: v for k, v in _api_data(joint).items() if k.startswith("material_")}
    data["joint_item"] = joint["item"].code

    response = _api(joint["lead"].clerk).post("/api/v1/joint-cases/", data, format="multipart")

    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"applicant_kind", "applicant_name", "contact_phone"}
    assert not JointCase.objects.exists()


def test_the_api_refuses_a_joint_intake_outside_the_lead_window(joint):
    response = _api(joint["other"].clerk).post(
        "/api/v1/joint-cases/", _api_data(joint), format="multipart"
    )

    assert response.status_code == 403
    assert not JointCase.objects.exists()


def test_the_api_refuses_a_file_for_a_material_the_joint_item_does_not_have(joint):
    stranger = item_with_procedure().materials.first()
    data = _api_data(joint, **{f"material_{stranger.pk}": pdf()})

    response = _api(joint["lead"].clerk).post("/api/v1/joint-cases/", data, format="multipart")

    assert response.status_code == 400
    assert f"material_{stranger.pk}" in response.json()["fields"]
    assert not JointCase.objects.exists()


def test_the_api_hides_the_ids_of_other_departments_sub_cases(joint):
    created = _taken_in(joint)
    own_case = created.sub_cases.get(department=joint["other_item"].department)

    body = _api(joint["other"].handler).get(f"/api/v1/joint-cases/{created.pk}/").json()

    assert sorted(row["id"] for row in body["sub_cases"] if row["id"]) == [own_case.pk]
    assert len(body["sub_cases"]) == 2


def test_the_api_answers_404_for_a_joint_case_of_other_departments(joint):
    created = _taken_in(joint)
    outsider = department_staff(item_with_procedure().department)

    response = _api(outsider.clerk).get(f"/api/v1/joint-cases/{created.pk}/")

    assert response.status_code == 404


# --- withdrawal at the window ----------------------------------------------------------------


@pytest.fixture
def case_and_staff():
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    return accepted_case(version, staff), staff


def test_the_window_withdraws_a_case_at_the_applicants_request_with_the_reason(
    client, case_and_staff
):
    case, staff = case_and_staff
    client.force_login(staff.clerk)
    assert 'action-withdraw"' in client.get(f"/staff/cases/{case.pk}/").content.decode()

    response = client.post(
        f"/staff/cases/{case.pk}/withdraw/",
        {"expected_revision": case.revision, "confirm": "on", "reason": "申请人递交书面撤回申请"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert case.events.latest("id").reason == "申请人递交书面撤回申请"


def test_a_withdrawal_at_the_window_without_a_reason_is_refused_and_changes_nothing(
    client, case_and_staff
):
    case, staff = case_and_staff
    client.force_login(staff.clerk)

    response = client.post(
        f"/staff/cases/{case.pk}/withdraw/", {"expected_revision": case.revision, "confirm": "on"}
    )

    assert response.status_code == 400
    assert "Say why the application is withdrawn" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_the_back_office_is_not_offered_the_withdrawal(case_and_staff):
    case, staff = case_and_staff

    offered = offered_actions(case_get_for_staff(user=staff.handler, pk=case.pk), staff.handler)

    assert "withdraw" not in offered
    with pytest.raises(services.ActionForbidden):
        services.case_withdraw(case=case, by=staff.handler, reason="代为撤回")


# --- an extension the leader never decided on ------------------------------------------------


def test_a_requested_extension_lapses_when_the_case_is_decided_first(case_and_staff):
    case, staff = case_and_staff
    services.extension_request(case=case, by=staff.handler, days=5, reason="需现场核查")
    assert extensions_awaiting_decision(staff.approver).count() == 1
    _decide(case, staff)

    extension = case.extensions.get()
    assert extension.status == ExtensionStatus.LAPSED
    assert extensions_awaiting_decision(staff.approver).count() == 0
    with pytest.raises(services.TransitionNotAllowed):
        services.extension_decide(extension=extension, by=staff.approver, approve=True)


def test_a_requested_extension_lapses_when_the_case_is_withdrawn(case_and_staff):
    case, staff = case_and_staff
    services.extension_request(case=case, by=staff.handler, days=5, reason="需现场核查")

    services.case_withdraw(case=case, by=case.applicant)

    assert case.extensions.get().status == ExtensionStatus.LAPSED


def test_a_blank_reason_at_the_window_is_no_reason(case_and_staff):
    case, staff = case_and_staff

    with pytest.raises(InvalidInput):
        services.case_withdraw(case=case, by=staff.clerk, reason="   ")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


# --- notices in the API ----------------------------------------------------------------------


def test_each_reader_gets_the_link_to_the_notice_page_they_may_open(case_and_staff):
    case, staff = case_and_staff
    notice = case.notices.get()

    for_applicant = _api(case.applicant).get(f"/api/v1/cases/{case.pk}/").json()["notices"]
    for_clerk = _api(staff.clerk).get(f"/api/v1/cases/{case.pk}/").json()["notices"]

    applicant_url = for_applicant[0]["url"]
    clerk_url = for_clerk[0]["url"]
    assert applicant_url.endswith(f"/my/cases/{case.pk}/notices/{notice.pk}/")
    assert clerk_url.endswith(f"/staff/cases/{case.pk}/notices/{notice.pk}/")
    client = APIClient()
    client.force_login(case.applicant)
    page = client.get(applicant_url)
    assert page.status_code == 200 and notice.number in page.content.decode()
