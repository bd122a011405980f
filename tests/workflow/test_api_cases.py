"""The cases API: authentication, isolation, the whole flow, the errors and tracking."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from rest_framework.test import APIClient

from catalog.models import Role
from tests.factories.catalog import PASSWORD, UserFactory, staff_user
from tests.factories.workflow import (
    CREDIT_CODE,
    ID_NUMBER,
    PDF,
    accepted_case,
    at,
    decided_case,
    department_staff,
    draft_case,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.models import Case, CaseStatus, StepStatus

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
TOKEN = "/api/v1/auth/token/"
TRACK = "/api/v1/track/"
MONDAY = date(2026, 11, 16)

ACTIONS = [
    "submit",
    "withdraw",
    "request-supplement",
    "reject",
    "accept",
    "claim-step",
    "complete-step",
    "return-step",
    "suspend",
    "resume",
    "request-extension",
    "approve-extension",
    "decide",
    "record-fee",
    "deliver",
]


def client_for(user) -> APIClient:
    """A client that sends ``user``'s API token."""
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def act(client: APIClient, case, action: str, **body):
    return client.post(f"{CASES}{case.pk}/{action}/", body, format="json")


def snapshot(case) -> tuple:
    """What any action would change: the case's state and its timeline."""
    case.refresh_from_db()
    return case.status, case.revision, case.events.count()


@pytest.fixture
def version():
    return item_with_procedure(fees=(("工本费", "10.00"),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


# --- authentication -------------------------------------------------------------------------


def test_a_token_obtained_with_username_and_password_authenticates_requests(version):
    case = draft_case(version)
    case.applicant.set_password(PASSWORD)
    case.applicant.save()
    anonymous = APIClient()

    response = anonymous.post(
        TOKEN, {"username": case.applicant.username, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    token = response.json()["token"]
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = anonymous.get(CASES)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [case.pk]


def test_a_wrong_password_gets_no_token_and_a_message():
    user = UserFactory()

    response = APIClient().post(TOKEN, {"username": user.username, "password": "wrong"})

    assert response.status_code == 400
    assert "Unable to log in" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=user).exists()


def test_token_requests_are_throttled_per_address():
    # A different user name each time: guessing across accounts, which the per-account lockout
    # (tests/security/test_login_lockout.py) does not catch but the address throttle does.
    client = APIClient()
    statuses = [
        client.post(TOKEN, {"username": f"guess{attempt}", "password": "wrong"}).status_code
        for attempt in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_a_session_login_works_for_the_cases_api(version):
    case = draft_case(version)
    client = APIClient()
    client.force_login(case.applicant)

    response = client.get(f"{CASES}{case.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == case.pk


def test_anonymous_users_can_neither_read_nor_act_on_cases(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    before = snapshot(case)
    anonymous = APIClient()

    assert anonymous.get(CASES).status_code in (401, 403)
    assert anonymous.get(f"{CASES}{case.pk}/").status_code in (401, 403)
    assert act(anonymous, case, "claim-step").status_code in (401, 403)
    assert anonymous.post(CASES, {"item": version.item.code}).status_code in (401, 403)
    assert snapshot(case) == before


# --- isolation ------------------------------------------------------------------------------


def test_an_applicant_lists_only_their_own_cases(version):
    mine = draft_case(version)
    draft_case(version)  # someone else's

    rows = client_for(mine.applicant).get(CASES).json()

    assert [row["id"] for row in rows["results"]] == [mine.pk]


def test_staff_list_their_departments_cases_and_not_others_or_online_drafts(version, staff):
    submitted = submitted_case(version, now=at(MONDAY))
    draft_case(version)  # an online draft is the applicant's alone
    elsewhere = submitted_case(item_with_procedure(), now=at(MONDAY))

    ids = [row["id"] for row in client_for(staff.clerk).get(CASES).json()["results"]]

    assert ids == [submitted.pk]
    assert elsewhere.pk not in ids


def test_a_user_who_is_staff_and_applicant_sees_both_kinds_of_case(version, staff):
    in_department = submitted_case(version, now=at(MONDAY))
    other_version = item_with_procedure()
    own_elsewhere = draft_case(other_version, staff.clerk)

    ids = {row["id"] for row in client_for(staff.clerk).get(CASES).json()["results"]}

    assert ids == {in_department.pk, own_elsewhere.pk}
    assert client_for(staff.clerk).get(f"{CASES}{own_elsewhere.pk}/").status_code == 200


ACTION_BODIES = {
    "submit": {},
    "withdraw": {"reason": "不办了"},
    "request-supplement": {"items": [{"material": 1, "reason": "缺"}]},
    "reject": {"reason": "不属于本部门职权"},
    "accept": {"deferred_due_on": "2100-01-01"},
    "claim-step": {},
    "complete-step": {"opinion": "同意"},
    "return-step": {"reason": "退回"},
    "suspend": {"procedure": "expert_review", "reason": "专家评审", "expected_days": 3},
    "resume": {},
    "request-extension": {"days": 5, "reason": "情况复杂"},
    "approve-extension": {"approve": True},
    "decide": {"decision": "approved", "licence_number": "X1"},
    "record-fee": {"fee_name": "工本费", "amount": "10.00", "receipt_number": "R1"},
    "deliver": {"method": "pickup"},
}


@pytest.mark.parametrize("action", ACTIONS)
def test_staff_of_another_department_get_404_on_every_action_and_nothing_changes(
    version, staff, action
):
    case = accepted_case(version, staff, now=at(MONDAY))
    outsider = department_staff(item_with_procedure().department)
    before = snapshot(case)

    for user in (outsider.clerk, outsider.handler, outsider.approver):
        response = act(client_for(user), case, action, **ACTION_BODIES[action])
        assert response.status_code == 404
    assert snapshot(case) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_another_applicant_gets_404_on_every_action_and_nothing_changes(version, action):
    case = submitted_case(version, now=at(MONDAY))
    stranger = client_for(UserFactory())
    before = snapshot(case)

    response = act(stranger, case, action, **ACTION_BODIES[action])

    assert response.status_code == 404
    assert snapshot(case) == before


def test_detail_and_materials_are_404_for_other_staff_and_other_applicants(version, staff):
    case = draft_case(version)
    outsider = department_staff(item_with_procedure().department)
    material = version.materials.first()
    files_before = case.submissions.get().files.count()

    for client in (client_for(outsider.clerk), client_for(UserFactory()), client_for(staff.clerk)):
        # Staff of the department too: an online draft is the applicant's alone.
        assert client.get(f"{CASES}{case.pk}/").status_code == 404
        response = client.post(
            f"{CASES}{case.pk}/materials/",
            {"material": material.pk, "file": upload()},
            format="multipart",
        )
        assert response.status_code == 404
    assert case.submissions.get().files.count() == files_before
    assert client_for(outsider.clerk).get(f"{CASES}999999/").status_code == 404


# --- the list -------------------------------------------------------------------------------


def test_the_list_filters_by_status_item_and_number_and_is_paginated(version, staff):
    accepted = accepted_case(version, staff, now=at(MONDAY))
    submitted = submitted_case(version, now=at(MONDAY))
    other_item = item_with_procedure(department=version.department)
    other = submitted_case(other_item, now=at(MONDAY))
    client = client_for(staff.clerk)

    def ids(**query):
        body = client.get(CASES, query).json()
        return sorted(row["id"] for row in body["results"])

    assert len(client.get(CASES).json()["results"]) == 3
    assert ids(status="submitted") == sorted([submitted.pk, other.pk])
    assert ids(item=other_item.item.code) == [other.pk]
    assert ids(number=accepted.number) == [accepted.pk]
    assert client.get(CASES, {"status": "bogus"}).status_code == 400


def test_the_list_costs_the_same_queries_for_few_and_many_cases(version, staff):
    client = client_for(staff.clerk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CASES).status_code == 200
        return len(captured)

    accepted_case(version, staff, now=at(MONDAY))
    few = queries()
    for _n in range(5):
        accepted_case(version, staff, now=at(MONDAY))
    assert queries() == few


def test_the_list_pages_by_twenty_newest_first_with_cursors(version):
    applicant = UserFactory()
    for _n in range(21):
        draft_case(version, applicant)

    client = client_for(applicant)
    first = client.get(CASES).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()

    assert "count" not in first  # cursor pages: no total, which costs a count of every case
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert back["results"] == first["results"]


# --- the whole flow through the API ---------------------------------------------------------


def test_a_case_goes_from_draft_to_completed_through_the_api_only(version, staff):
    applicant = UserFactory()
    me = client_for(applicant)

    created = me.post(
        CASES,
        {
            "item": version.item.code,
            "applicant_kind": "natural",
            "applicant_name": "张三",
            "id_number": ID_NUMBER,
            "contact_phone": "13800138000",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    case = created.json()
    assert (case["status"], case["channel"]) == ("draft", "online")
    materials = {m["name"]: m["id"] for m in case["materials"]}
    for name in ("申请书", "营业执照"):
        attached = me.post(
            f"{CASES}{case['id']}/materials/",
            {"material": materials[name], "file": upload(f"{name}.pdf")},
            format="multipart",
        )
        assert attached.status_code == 201, attached.json()
    assert sorted(f["material_name"] for f in attached.json()["files"]) == ["申请书", "营业执照"]

    case_ref = Case.objects.get(pk=case["id"])
    assert act(me, case_ref, "submit").json()["status"] == "submitted"
    accepted = act(client_for(staff.clerk), case_ref, "accept", deferred_due_on="2100-01-01")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["number"]
    # The material accepted as pending (容缺) comes after acceptance, through the same endpoint.
    supplied = me.post(
        f"{CASES}{case['id']}/materials/",
        {"material": materials["场所证明"], "file": upload()},
        format="multipart",
    )
    assert supplied.status_code == 201, supplied.json()

    for user in (staff.handler, staff.reviewer):
        client = client_for(user)
        assert act(client, case_ref, "claim-step").status_code == 200
        completed = act(client, case_ref, "complete-step", opinion="同意")
        assert completed.status_code == 200, completed.json()
    approver = client_for(staff.approver)
    assert act(approver, case_ref, "claim-step").json()["current_step"]["name"] == "审批"
    decided = act(approver, case_ref, "decide", decision="approved", licence_number="JY001")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "decided"
    fee = act(
        client_for(staff.fee_clerk),
        case_ref,
        "record-fee",
        fee_name="工本费",
        amount="10.00",
        receipt_number="R001",
    )
    assert fee.status_code == 200, fee.json()
    delivered = act(client_for(staff.clerk), case_ref, "deliver", method="pickup")

    assert delivered.status_code == 200, delivered.json()
    body = me.get(f"{CASES}{case['id']}/").json()
    assert body["status"] == "completed"
    assert body["licence_number"] == "JY001"
    assert [event["action"] for event in body["events"]] == [
        "create",
        "submit",
        "accept",
        "supply-deferred",
        "claim-step",
        "complete-step",
        "claim-step",
        "complete-step",
        "claim-step",
        "decide",
        "record-fee",
        "deliver",
    ]
    assert body["events"][2]["actor"] == staff.clerk.username
    assert body["events"][5]["reason"] == "同意"
    assert {n["kind"] for n in body["notices"]} == {"acceptance", "approval"}


def test_window_staff_create_a_window_draft_and_bad_applicant_fields_are_named(version, staff):
    clerk = client_for(staff.clerk)

    bad = clerk.post(
        CASES,
        {
            "item": version.item.code,
            "applicant_kind": "legal",
            "applicant_name": "某公司",
            "credit_code": CREDIT_CODE[:-1] + "0",
            "contact_phone": "12",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) >= {"credit_code", "agent_name", "contact_phone"}
    assert Case.objects.count() == 0

    good = clerk.post(
        CASES,
        {
            "item": version.item.code,
            "applicant_kind": "legal",
            "applicant_name": "某公司",
            "credit_code": CREDIT_CODE,
            "agent_name": "李四",
            "agent_id_number": ID_NUMBER,
            "contact_phone": "057188888888",
        },
        format="json",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["channel"] == "window"
    assert good.json()["credit_code"] == CREDIT_CODE


def test_a_draft_with_only_the_item_names_every_missing_applicant_field(version, staff):
    response = client_for(staff.clerk).post(CASES, {"item": version.item.code}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"applicant_kind", "applicant_name", "contact_phone"}
    assert Case.objects.count() == 0


def test_a_window_draft_with_agent_service_names_the_staff_agent(version, staff):
    body = {
        "item": version.item.code,
        "applicant_kind": "natural",
        "applicant_name": "王五",
        "id_number": ID_NUMBER,
        "contact_phone": "13800138000",
        "agent_service": True,
    }
    clerk = client_for(staff.clerk)

    unknown = clerk.post(CASES, {**body, "agent_staff": "nobody"}, format="json")
    created = clerk.post(CASES, {**body, "agent_staff": staff.chief.username}, format="json")

    assert unknown.status_code == 400
    assert "agent_staff" in unknown.json()["fields"]
    assert created.status_code == 201, created.json()
    assert created.json()["agent_service"] is True
    assert Case.objects.get(pk=created.json()["id"]).agent_staff == staff.chief


def test_an_agent_id_number_given_without_an_agent_name_is_still_checked(version):
    response = client_for(UserFactory()).post(
        CASES,
        {
            "item": version.item.code,
            "applicant_kind": "natural",
            "applicant_name": "张三",
            "id_number": ID_NUMBER,
            "agent_id_number": "1" * 18,
            "contact_phone": "13800138000",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "agent_id_number" in response.json()["fields"]
    assert Case.objects.count() == 0


def test_creating_for_an_unknown_item_is_a_400_with_the_field(version):
    response = client_for(UserFactory()).post(CASES, {"item": "NO-SUCH-ITEM"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"item": ["No published item has this code."]}


def test_a_file_of_a_refused_type_is_a_400_and_is_not_stored(version):
    case = draft_case(version)
    material = version.materials.get(name="场所证明")

    response = client_for(case.applicant).post(
        f"{CASES}{case.pk}/materials/",
        {"material": material.pk, "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not case.submissions.get().files.filter(material=material).exists()


# --- errors ---------------------------------------------------------------------------------


def test_bad_input_is_a_400_with_the_message_and_changes_nothing(version, staff):
    case = submitted_case(version, now=at(MONDAY))
    before = snapshot(case)

    response = act(client_for(staff.clerk), case, "reject", reason="   ")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "reason": ["Give the reason the application is not accepted."]
    }
    assert snapshot(case) == before


def test_a_body_the_serializer_refuses_is_a_400_naming_the_field(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    before = snapshot(case)

    response = act(
        client_for(staff.handler),
        case,
        "suspend",
        procedure="lunch",
        reason="午休",
        expected_days="three",
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body["fields"]) == {"procedure", "expected_days"}
    assert "procedure:" in body["detail"]
    assert snapshot(case) == before


def test_a_supplement_item_without_a_material_is_named_by_its_position(version, staff):
    case = submitted_case(version, now=at(MONDAY))

    response = act(client_for(staff.clerk), case, "request-supplement", items=[{"reason": "缺"}])

    assert response.status_code == 400
    assert "items.0.material" in response.json()["fields"]


def test_the_wrong_role_is_a_403_with_the_message_and_changes_nothing(version, staff):
    case = submitted_case(version, now=at(MONDAY))
    before = snapshot(case)

    response = act(client_for(staff.handler), case, "accept")

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You do not have the role this action needs for this case."
    )
    assert snapshot(case) == before


def test_the_wrong_state_is_a_409_with_the_message_and_changes_nothing(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    before = snapshot(case)

    response = act(client_for(staff.clerk), case, "accept")

    assert response.status_code == 409
    assert response.json()["detail"] == "“accept” is not possible while the case is accepted."
    assert snapshot(case) == before


def test_a_stale_expected_revision_is_a_409_and_changes_nothing(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    client = client_for(staff.handler)
    read = client.get(f"{CASES}{case.pk}/").json()["revision"]
    assert act(client, case, "claim-step", expected_revision=read).status_code == 200
    before = snapshot(case)

    response = act(client, case, "complete-step", opinion="同意", expected_revision=read)

    assert response.status_code == 409
    assert "The case has changed" in response.json()["detail"]
    assert snapshot(case) == before


def test_ids_too_large_for_the_database_are_a_400(version):
    case = draft_case(version)
    client = client_for(case.applicant)

    attached = client.post(
        f"{CASES}{case.pk}/materials/",
        {"material": 2**70, "file": upload()},
        format="multipart",
    )
    submitted = act(client, case, "submit", expected_revision=2**70)

    assert attached.status_code == 400
    assert "material" in attached.json()["fields"]
    assert submitted.status_code == 400
    assert client.get(f"{CASES}{'9' * 30}/").status_code == 404


def test_a_step_of_another_case_is_a_400(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    other = accepted_case(version, staff, now=at(MONDAY))
    foreign = other.steps.get(status=StepStatus.OPEN)

    response = act(client_for(staff.handler), case, "claim-step", step=foreign.pk)

    assert response.status_code == 400
    assert response.json()["fields"] == {"step": ["This step is not one of this case's steps."]}
    assert foreign.__class__.objects.get(pk=foreign.pk).assignee is None


# --- the case's JSON ------------------------------------------------------------------------


def test_the_case_json_shows_the_clock_the_working_days_left_and_the_current_step(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    client = client_for(staff.handler)

    with time_machine.travel(at(date(2026, 11, 18)), tick=False):
        body = client.get(f"{CASES}{case.pk}/").json()
        listed = client.get(CASES).json()["results"][0]

    assert body["accepted_on"] == "2026-11-16"
    assert body["due_on"] == "2026-11-23"
    assert body["statutory_due_on"] == "2026-12-14"
    # Thursday 19th, Friday 20th and Monday 23rd are left.
    assert body["workdays_left"] == 3 == listed["workdays_left"]
    assert body["clock"] == "running"
    step = body["current_step"]
    assert {k: step[k] for k in ("order", "name", "role", "assignee", "due_on")} == {
        "order": 1,
        "name": "承办",
        "role": Role.HANDLER,
        "assignee": None,
        "due_on": "2026-11-18",
    }
    assert listed["current_step"] == step
    assert body["item"] == {"code": version.item.code, "name": version.name, "version": 1}
    assert body["department"]["code"] == version.department.code
    assert [n["kind"] for n in body["notices"]] == ["acceptance"]
    assert "events" in body and "events" not in listed


def test_the_clock_reads_suspended_and_stopped_and_days_left_are_null_when_stopped(version, staff):
    type(version).objects.filter(pk=version.pk).update(suspension_allowed=True)
    case = accepted_case(version, staff, now=at(MONDAY))
    handler = client_for(staff.handler)

    with time_machine.travel(at(date(2026, 11, 17)), tick=False):
        suspended = act(
            handler, case, "suspend", procedure="expert_review", reason="专家评审", expected_days=3
        )
    assert suspended.status_code == 200, suspended.json()
    assert suspended.json()["clock"] == "suspended"
    assert suspended.json()["workdays_left"] == 4
    assert suspended.json()["suspensions"][0]["procedure"] == "expert_review"

    with time_machine.travel(at(date(2026, 11, 20)), tick=False):
        resumed = act(handler, case, "resume")
    assert resumed.json()["clock"] == "running"
    # Three working days suspended (Wed, Thu, Fri) move the due date from the 23rd.
    assert resumed.json()["due_on"] == "2026-11-26"

    decided = decided_case(version, staff, now=at(MONDAY))
    body = client_for(staff.clerk).get(f"{CASES}{decided.pk}/").json()
    assert (body["clock"], body["workdays_left"], body["current_step"]) == ("stopped", None, None)
    assert body["delivery_due_on"] == "2026-11-30"


def test_a_step_sent_back_and_an_approved_extension_show_in_the_json(version, staff):
    type(version).objects.filter(pk=version.pk).update(extension_allowed=True)
    case = accepted_case(version, staff, now=at(MONDAY))
    handler, reviewer = client_for(staff.handler), client_for(staff.reviewer)
    act(handler, case, "claim-step")
    act(handler, case, "complete-step", opinion="同意")
    act(reviewer, case, "claim-step")

    returned = act(reviewer, case, "return-step", reason="材料不清")
    assert returned.status_code == 200, returned.json()
    assert returned.json()["current_step"]["name"] == "承办"
    assert [s["status"] for s in returned.json()["steps"]][:2] == ["done", "returned"]

    requested = act(handler, case, "request-extension", days=10, reason="情况复杂")
    assert requested.status_code == 200, requested.json()
    due_before = requested.json()["due_on"]
    approved = act(client_for(staff.approver), case, "approve-extension", approve=True)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["extensions"][0]["status"] == "approved"
    assert approved.json()["due_on"] > due_before


def test_identifiers_are_full_for_the_applicant_and_department_staff_masked_for_others(
    version, staff
):
    case = submitted_case(version, now=at(MONDAY))
    supervisor = staff_user(Role.SUPERVISION_OFFICER, center=version.department.center)

    own = client_for(case.applicant).get(f"{CASES}{case.pk}/").json()
    clerk = client_for(staff.clerk).get(f"{CASES}{case.pk}/").json()
    other = client_for(supervisor).get(f"{CASES}{case.pk}/").json()
    other_row = client_for(supervisor).get(CASES).json()["results"][0]

    assert own["id_number"] == clerk["id_number"] == ID_NUMBER
    assert own["query_code"] == case.query_code
    assert other["id_number"] == other_row["id_number"] == "110105********002X"
    assert other["contact_phone"] == "138****8000"
    assert other["query_code"] is None


# --- tracking -------------------------------------------------------------------------------


def test_anyone_with_the_number_and_code_tracks_the_case_without_names_or_reasons(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    services.step_claim(step=case.steps.get(status=StepStatus.OPEN), by=staff.handler)
    services.step_complete(
        step=case.steps.get(status=StepStatus.OPEN), by=staff.handler, opinion="内部意见"
    )

    response = APIClient().get(TRACK, {"number": case.number, "code": case.query_code.lower()})

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == case.number
    assert body["item"] == version.name
    assert (body["status"], body["clock"], body["current_step"]) == (
        "in_progress",
        "running",
        "审核",
    )
    assert body["accepted_on"] == "2026-11-16"
    assert [e["action"] for e in body["events"]][-2:] == ["claim-step", "complete-step"]
    assert set(body["events"][0]) == {"at", "action", "from_status", "to_status"}
    assert staff.handler.username not in response.content.decode()
    assert "内部意见" not in response.content.decode()


def test_tracking_with_a_wrong_code_is_a_404_and_without_one_a_400(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    anonymous = APIClient()

    wrong = anonymous.get(TRACK, {"number": case.number, "code": "AAAAAAAA"})
    missing = anonymous.get(TRACK, {"number": case.number})

    assert wrong.status_code == 404
    assert "No case has this number and query code" in wrong.json()["detail"]
    assert missing.status_code == 400
    assert "code" in missing.json()["fields"]


def test_tracking_is_throttled_per_address(version, staff):
    case = accepted_case(version, staff, now=at(MONDAY))
    client = client_for(staff.clerk)  # logged-in users are throttled too
    statuses = [
        client.get(TRACK, {"number": case.number, "code": "WRONG"}).status_code
        for _attempt in range(31)
    ]
    assert set(statuses[:30]) == {404}
    assert statuses[30] == 429


# --- the schema -----------------------------------------------------------------------------


def test_the_schema_lists_every_action_the_track_and_the_token_endpoints():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    for action in ACTIONS:
        assert "post" in paths[f"/api/v1/cases/{{id}}/{action}/"], action
    assert "post" in paths["/api/v1/cases/{id}/materials/"]
    assert {"get", "post"} <= set(paths["/api/v1/cases/"])
    assert "get" in paths["/api/v1/cases/{id}/"]
    assert "get" in paths["/api/v1/track/"]
    assert "post" in paths["/api/v1/auth/token/"]


def test_every_status_a_case_can_have_is_a_filter_choice():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    status = next(p for p in paths["/api/v1/cases/"]["get"]["parameters"] if p["name"] == "status")
    assert set(status["schema"]["enum"]) == set(CaseStatus.values)


# --- the actions a reader is offered ---------------------------------------------------------


def test_the_case_json_lists_the_actions_the_reader_may_take_now(version, staff):
    case = submitted_case(version)

    at_the_window = client_for(staff.clerk).get(f"{CASES}{case.pk}/").json()
    in_the_back_office = client_for(staff.handler).get(f"{CASES}{case.pk}/").json()
    by_the_applicant = client_for(case.applicant).get(f"{CASES}{case.pk}/").json()

    assert at_the_window["actions"] == ["request-supplement", "accept", "reject", "withdraw"]
    assert in_the_back_office["actions"] == []
    assert by_the_applicant["actions"] == ["withdraw"]
    # What is offered is taken: the clerk accepts, and the handler is offered the first step.
    accepted = act(client_for(staff.clerk), case, "accept", deferred_due_on="2030-01-04")
    assert accepted.status_code == 200, accepted.json()
    handler_view = client_for(staff.handler).get(f"{CASES}{case.pk}/").json()
    assert handler_view["actions"] == ["claim-step", "suspend", "request-extension"]
