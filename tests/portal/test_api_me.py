"""The applicant's own API (/api/v1/me/): the hall's profile, apply wizard and "my cases" for an
app, by token or session, an applicant's own things only."""

from datetime import date
from pathlib import Path

import pytest
import schemathesis
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from rest_framework.test import APIClient
from schemathesis import GenerationMode, checks

from catalog.models import ApplicantType
from portal.models import ApplicantProfile
from tests.factories.catalog import PASSWORD, UserFactory
from tests.factories.workflow import (
    CREDIT_CODE,
    ID_NUMBER,
    at,
    department_staff,
    draft_case,
    item_with_procedure,
    pdf,
    submitted_case,
)
from workflow import services
from workflow.models import Case, CaseStatus, MaterialFile, SpecialProcedure

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
TOKEN = "/api/v1/auth/token/"
MONDAY = date(2026, 11, 16)
PHONE = "13800138000"


def applicant(phone: str = PHONE, *, username: str = "zhangsan", name: str = "张三"):
    """An account of the hall like the demo's 张三: a user name of its own, a phone to log in."""
    user = UserFactory(username=username, first_name=name)
    ApplicantProfile.objects.create(
        user=user, kind=ApplicantType.NATURAL, name=name, phone=phone, id_number=ID_NUMBER
    )
    return user


def token_client(phone: str = PHONE) -> APIClient:
    answer = APIClient().post(TOKEN, {"phone": phone, "password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def logged_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def version():
    # 申请书 and 营业执照 are needed; 场所证明 may come later.
    return item_with_procedure(
        materials=(("申请书", False), ("营业执照", False), ("场所证明", True))
    )


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def material(version, name: str):
    return version.materials.get(name=name)


def upload(client, draft_id: int, material_id: int, file):
    return client.post(
        f"{ME}drafts/{draft_id}/materials/{material_id}/files/", {"file": file}, format="multipart"
    )


def accepted_for(version, staff, me, *, now=None) -> Case:
    case = submitted_case(version, me, now=now)
    services.case_accept(case=case, by=staff.clerk, now=now, deferred_due_on=date(2100, 1, 1))
    case.refresh_from_db()
    return case


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- the whole flow, through the API only --------------------------------------------------


def test_an_applicant_applies_through_the_api_alone_and_one_case_comes_of_it(version, settings):
    me = applicant()
    client = token_client(PHONE)

    created = client.post(f"{ME}drafts/", {"item_code": version.item.code}, format="json")
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert created["Location"] == f"{ME}drafts/{draft['id']}/"
    # Who applies comes from the account.
    assert (draft["applicant_name"], draft["id_number"], draft["contact_phone"]) == (
        "张三",
        ID_NUMBER,
        PHONE,
    )
    assert [m["name"] for m in draft["missing"]] == ["申请书", "营业执照"]

    form = material(version, "申请书")
    wrong = upload(client, draft["id"], form.pk, SimpleUploadedFile("virus.exe", b"MZ\x90\x00"))
    assert wrong.status_code == 400
    assert wrong["Content-Type"] == "application/json"
    assert "virus.exe" in wrong.json()["detail"]
    assert wrong.json()["fields"]["file"] == [wrong.json()["detail"]]
    assert not MaterialFile.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []

    right = upload(client, draft["id"], form.pk, pdf("申请书.pdf"))
    assert right.status_code == 201, right.json()
    row = next(m for m in right.json()["materials"] if m["id"] == form.pk)
    assert [f["name"] for f in row["files"]] == ["申请书.pdf"]
    assert upload(client, draft["id"], material(version, "营业执照").pk, pdf()).status_code == 201
    assert client.get(f"{ME}drafts/{draft['id']}/").json()["missing"] == []

    with time_machine.travel(at(MONDAY), tick=False):
        first = client.post(f"{ME}drafts/{draft['id']}/submit/")
        second = client.post(f"{ME}drafts/{draft['id']}/submit/")

    assert first.status_code == second.status_code == 200, first.json()
    assert first.json()["status"] == second.json()["status"] == CaseStatus.SUBMITTED
    case = Case.objects.get(applicant=me)
    assert case.submissions.filter(submitted_at__isnull=False).count() == 1
    assert case.events.filter(action="submit").count() == 1
    # The window answers within 5 working days (Art. 32).
    assert first.json()["due_on"] == "2026-11-23"

    listed = client.get(f"{ME}cases/").json()
    assert [row["id"] for row in listed["results"]] == [case.pk]
    assert "count" not in listed
    assert client.get(f"{ME}drafts/").json()["results"] == []
    detail = client.get(f"{ME}cases/{case.pk}/").json()
    assert detail["status_label"] == "Submitted"
    assert detail["timeline"][-1]["words"] == "The application was received"
    assert detail["actions"] == ["withdraw"]
    assert {f["name"] for f in detail["files"]} == {"申请书.pdf", "scan.pdf"}


def test_a_submit_retried_after_another_request_answers_with_the_case_once(version):
    me = applicant()
    case = submitted_case(version, me)

    answer = logged_in(me).post(f"{ME}drafts/{case.pk}/submit/")

    assert answer.status_code == 200
    assert answer.json()["id"] == case.pk
    assert case.events.filter(action="submit").count() == 1


def test_submitting_with_materials_missing_is_refused_and_changes_nothing(version):
    me = applicant()
    client = logged_in(me)
    draft = client.post(f"{ME}drafts/", {"item_code": version.item.code}, format="json").json()

    answer = client.post(f"{ME}drafts/{draft['id']}/submit/")

    assert answer.status_code == 400
    assert "申请书" in answer.json()["detail"]
    assert Case.objects.get().status == CaseStatus.DRAFT


def test_a_withdrawn_draft_is_not_submitted_by_a_late_request(version):
    me = applicant()
    case = draft_case(version, me)
    services.case_withdraw(case=case, by=me, reason="不办了")

    answer = logged_in(me).post(f"{ME}drafts/{case.pk}/submit/")

    assert answer.status_code == 409
    assert Case.objects.get().status == CaseStatus.WITHDRAWN


# --- creating and changing drafts as the wizard does ---------------------------------------


def test_a_draft_is_refused_for_an_item_not_open_online_or_not_current_or_not_for_this_kind():
    me = applicant()
    client = logged_in(me)
    window_only = item_with_procedure(online_prereview=False)
    companies_only = item_with_procedure(applicant_type=ApplicantType.LEGAL)

    answers = {
        "unknown": client.post(f"{ME}drafts/", {"item_code": "NOPE"}, format="json"),
        "window": client.post(f"{ME}drafts/", {"item_code": window_only.item.code}, format="json"),
        "kind": client.post(f"{ME}drafts/", {"item_code": companies_only.item.code}, format="json"),
    }

    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 400)
    assert answers["unknown"].json()["fields"]["item_code"] == ["No published item has this code."]
    assert "apply at the window" in answers["window"].json()["detail"]
    assert "This item is open to" in answers["kind"].json()["fields"]["applicant_kind"][0]
    assert not Case.objects.exists()


def test_a_company_applies_with_its_own_particulars_given_in_the_request():
    me = applicant()
    companies_only = item_with_procedure(applicant_type=ApplicantType.LEGAL)

    answer = logged_in(me).post(
        f"{ME}drafts/",
        {
            "item_code": companies_only.item.code,
            "applicant_kind": "legal",
            "applicant_name": "江州恒达商贸有限公司",
            "credit_code": CREDIT_CODE,
            "agent_name": "张三",
            "agent_id_number": ID_NUMBER,
        },
        format="json",
    )

    assert answer.status_code == 201, answer.json()
    assert (answer.json()["credit_code"], answer.json()["id_number"]) == (CREDIT_CODE, "")


def test_the_particulars_of_a_draft_change_with_the_wizards_checks(version):
    me = applicant()
    client = logged_in(me)
    draft = client.post(f"{ME}drafts/", {"item_code": version.item.code}, format="json").json()

    bad = client.patch(f"{ME}drafts/{draft['id']}/", {"id_number": "110105194912310021"})
    good = client.patch(
        f"{ME}drafts/{draft['id']}/", {"applicant_name": "张三丰", "contact_phone": "13900139000"}
    )

    assert bad.status_code == 400
    assert list(bad.json()["fields"]) == ["id_number"]
    assert good.status_code == 200, good.json()
    case = Case.objects.get()
    assert (case.applicant_name, case.contact_phone, case.id_number) == (
        "张三丰",
        "13900139000",
        ID_NUMBER,
    )
    assert good.json()["revision"] == draft["revision"] + 1


def test_a_file_from_an_earlier_case_is_reused_as_a_copy(version):
    me = applicant()
    earlier = submitted_case(item_with_procedure(materials=(("营业执照", False),)), me)
    licence = MaterialFile.objects.get(submission__case=earlier)
    client = logged_in(me)
    draft = client.post(f"{ME}drafts/", {"item_code": version.item.code}, format="json").json()
    target = material(version, "营业执照")
    row = next(m for m in draft["materials"] if m["id"] == target.pk)
    assert [f["id"] for f in row["reusable"]] == [licence.pk]

    someone_elses = MaterialFile.objects.get(
        submission__case=submitted_case(item_with_procedure(materials=(("营业执照", False),)))
    )
    refused = client.post(
        f"{ME}drafts/{draft['id']}/materials/{target.pk}/reuse/",
        {"file": someone_elses.pk},
        format="json",
    )
    reused = client.post(
        f"{ME}drafts/{draft['id']}/materials/{target.pk}/reuse/",
        {"file": licence.pk},
        format="json",
    )

    assert refused.status_code == 400
    assert "file" in refused.json()["fields"]
    assert reused.status_code == 201, reused.json()
    copy = MaterialFile.objects.get(submission__case_id=draft["id"])
    assert copy.pk != licence.pk and copy.original_name == licence.original_name


def test_a_material_of_another_item_is_not_found(version):
    me = applicant()
    draft = draft_case(version, me)
    other = item_with_procedure().materials.first()

    answer = upload(logged_in(me), draft.pk, other.pk, pdf())

    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"


# --- my cases --------------------------------------------------------------------------------


def test_the_case_tells_its_clock_why_it_is_suspended_and_its_notices(version, staff):
    me = applicant()
    case = accepted_for(version, staff, me, now=at(MONDAY))
    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure=SpecialProcedure.TESTING,
        reason="送检样品",
        expected_days=5,
        now=at(MONDAY, 14),
    )

    with time_machine.travel(at(MONDAY, 16), tick=False):
        detail = logged_in(me).get(f"{ME}cases/{case.pk}/").json()

    assert detail["clock"] == "suspended" and detail["due_state"] == "suspended"
    assert detail["suspension"]["reason"] == "送检样品"
    assert detail["suspension"]["procedure"] == SpecialProcedure.TESTING
    assert detail["workdays_left"] is not None
    assert any(day["kind"] == "counted" for day in detail["calendar_strip"])
    kinds = [n["kind"] for n in detail["notices"]]
    assert "acceptance" in kinds
    notice = detail["notices"][0]
    assert notice["page_url"].endswith(f"/my/cases/{case.pk}/notices/{notice['id']}/")
    frozen = logged_in(me).get(notice["url"]).json()
    assert frozen["number"] == notice["number"]
    assert isinstance(frozen["content"], dict) and frozen["content"]


def test_a_supplement_is_answered_with_exactly_the_requested_files(version, staff):
    me = applicant()
    case = submitted_case(version, me, now=at(MONDAY))
    wanted = material(version, "营业执照")
    services.case_request_supplement(
        case=case,
        by=staff.clerk,
        items=[{"material": wanted.pk, "reason": "复印件不清晰"}],
        now=at(MONDAY, 11),
    )
    client = logged_in(me)
    detail = client.get(f"{ME}cases/{case.pk}/").json()
    assert detail["supplement_requested"] == [
        {"id": wanted.pk, "name": "营业执照", "reason": "复印件不清晰"}
    ]
    assert "supplement" in detail["actions"]

    empty = client.post(f"{ME}cases/{case.pk}/supplement/", {}, format="multipart")
    answered = client.post(
        f"{ME}cases/{case.pk}/supplement/",
        {f"material_{wanted.pk}": pdf("执照.pdf")},
        format="multipart",
    )
    again = client.post(
        f"{ME}cases/{case.pk}/supplement/",
        {f"material_{wanted.pk}": pdf("执照.pdf")},
        format="multipart",
    )

    assert empty.status_code == 400
    assert list(empty.json()["fields"]) == [f"material_{wanted.pk}"]
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == CaseStatus.SUBMITTED
    assert again.status_code == 409
    assert case.submissions.filter(submitted_at__isnull=False).count() == 2


def test_an_application_is_withdrawn_with_a_reason(version):
    me = applicant()
    case = submitted_case(version, me)
    client = logged_in(me)

    without = client.post(f"{ME}cases/{case.pk}/withdraw/", {}, format="json")
    withdrawn = client.post(f"{ME}cases/{case.pk}/withdraw/", {"reason": "不办了"}, format="json")

    assert without.status_code == 400
    assert without.json()["fields"]["reason"] == ["Say in a few words why you withdraw."]
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == CaseStatus.WITHDRAWN
    assert withdrawn.json()["actions"] == []


def test_the_case_list_pages_by_cursor(version):
    me = applicant()
    cases = [draft_case(version, me) for _ in range(23)]
    client = logged_in(me)

    first = client.get(f"{ME}cases/").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 20 and first["results"][0]["id"] == cases[-1].pk
    assert [row["id"] for row in second["results"]] == [c.pk for c in reversed(cases[:3])]
    assert second["next"] is None


def test_a_file_is_downloaded_by_its_applicant(version):
    me = applicant()
    case = draft_case(version, me)
    stored = MaterialFile.objects.filter(submission__case=case).first()

    answer = logged_in(me).get(f"{ME}cases/{case.pk}/files/{stored.pk}/")

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"%PDF")


# --- the profile ---------------------------------------------------------------------------


def test_the_profile_shows_the_numbers_masked_and_changes_nothing():
    me = applicant()
    client = logged_in(me)

    answer = client.get(f"{ME}profile/").json()

    assert answer["phone"] == "138****8000"
    assert answer["id_number"] == "110105********002X"
    assert answer["kind"] == "natural" and answer["name"] == "张三"
    assert client.patch(f"{ME}profile/", {"name": "李四"}).status_code == 405


def test_an_account_without_particulars_has_no_profile():
    answer = logged_in(UserFactory()).get(f"{ME}profile/")

    assert answer.status_code == 404
    assert "no applicant particulars" in answer.json()["detail"]


# --- isolation and who may use the endpoints ------------------------------------------------


def test_applicant_b_finds_none_of_as_drafts_files_cases_or_notices(version, staff):
    a = applicant()
    b = applicant("13900139000", username="lisi", name="李四")
    draft = draft_case(version, a)
    draft_file = MaterialFile.objects.filter(submission__case=draft).first()
    case = accepted_for(version, staff, a)
    notice = case.notices.first()
    as_b = logged_in(b)
    form = material(version, "申请书")

    answers = [
        as_b.get(f"{ME}drafts/{draft.pk}/"),
        as_b.patch(f"{ME}drafts/{draft.pk}/", {"applicant_name": "李四"}),
        upload(as_b, draft.pk, form.pk, pdf()),
        as_b.post(f"{ME}drafts/{draft.pk}/materials/{form.pk}/reuse/", {"file": draft_file.pk}),
        as_b.post(f"{ME}drafts/{draft.pk}/submit/"),
        as_b.get(f"{ME}cases/{draft.pk}/files/{draft_file.pk}/"),
        as_b.get(f"{ME}cases/{case.pk}/"),
        as_b.post(f"{ME}cases/{case.pk}/withdraw/", {"reason": "x"}),
        as_b.post(f"{ME}cases/{case.pk}/supplement/", {}, format="multipart"),
        as_b.get(f"{ME}cases/{case.pk}/notices/{notice.pk}/"),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert all(a["Content-Type"] == "application/json" for a in answers)
    assert as_b.get(f"{ME}drafts/").json()["results"] == []
    assert as_b.get(f"{ME}cases/").json()["results"] == []
    draft.refresh_from_db()
    assert draft.status == CaseStatus.DRAFT and draft.applicant_name == "张三"
    assert MaterialFile.objects.filter(submission__case=draft).count() == 2
    # Reusable files are one's own: B is not offered A's.
    b_draft = as_b.post(f"{ME}drafts/", {"item_code": version.item.code}, format="json").json()
    assert all(not m["reusable"] for m in b_draft["materials"])


def test_staff_are_refused_and_anonymous_callers_asked_to_log_in(version, staff):
    draft = draft_case(version, applicant())

    for path in (f"{ME}profile/", f"{ME}drafts/", f"{ME}cases/", f"{ME}drafts/{draft.pk}/"):
        as_staff = logged_in(staff.clerk).get(path)
        anonymous = APIClient().get(path)
        assert as_staff.status_code == 403, path
        assert "staff account" in as_staff.json()["detail"]
        assert anonymous.status_code == 401, path
        assert anonymous["Content-Type"] == "application/json"


def test_a_session_needs_its_csrf_token_to_write(version):
    me = applicant()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(me)

    reading = client.get(f"{ME}drafts/")
    writing = client.post(f"{ME}drafts/", {"item_code": version.item.code}, format="json")

    assert reading.status_code == 200
    assert writing.status_code == 403
    assert "CSRF" in writing.json()["detail"]
    assert not Case.objects.exists()


# --- the schema ----------------------------------------------------------------------------


def test_the_schema_documents_every_endpoint_of_the_applicant():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    expected = {
        "/api/v1/me/profile/": {"get"},
        "/api/v1/me/drafts/": {"get", "post"},
        "/api/v1/me/drafts/{draft_id}/": {"get", "patch"},
        "/api/v1/me/drafts/{draft_id}/materials/{material_id}/files/": {"post"},
        "/api/v1/me/drafts/{draft_id}/materials/{material_id}/reuse/": {"post"},
        "/api/v1/me/drafts/{draft_id}/submit/": {"post"},
        "/api/v1/me/cases/": {"get"},
        "/api/v1/me/cases/{case_id}/": {"get"},
        "/api/v1/me/cases/{case_id}/withdraw/": {"post"},
        "/api/v1/me/cases/{case_id}/supplement/": {"post"},
        "/api/v1/me/cases/{case_id}/notices/{notice_id}/": {"get"},
        "/api/v1/me/cases/{case_id}/files/{file_id}/": {"get"},
        "/api/v1/me/drafts/{draft_id}/materials/{material_id}/files/{file_id}/": {"delete"},
        "/api/v1/me/cases/{case_id}/delivery/": {"post"},
        "/api/v1/me/cases/{case_id}/pending/": {"post"},
        "/api/v1/me/consultations/": {"get", "post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    upload_body = paths["/api/v1/me/drafts/{draft_id}/materials/{material_id}/files/"]["post"]
    assert "multipart/form-data" in upload_body["requestBody"]["content"]


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    assert "/api/v1/me/cases/" in (tmp_path / "s.yml").read_text()


def test_the_lists_cost_the_same_queries_for_one_case_as_for_a_page(version, staff):
    me = applicant()
    client = logged_in(me)
    submitted_case(version, me)
    draft_case(version, me)
    client.get(f"{ME}cases/")  # the calendar is read once, then kept
    costs = {}
    for size in ("few", "page"):
        if size == "page":
            for _ in range(10):
                submitted_case(version, me)
                draft_case(version, me)
        for path in (f"{ME}cases/", f"{ME}drafts/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            costs[size, path] = len(queries)

    assert costs["few", f"{ME}cases/"] == costs["page", f"{ME}cases/"]
    assert costs["few", f"{ME}drafts/"] == costs["page", f"{ME}drafts/"]


# --- every operation, fed from its own schema -----------------------------------------------


@pytest.fixture
def served_schema():
    # As in tests/workflow/test_api_fuzz.py: requests through plain WSGI stay in the test's
    # transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.postgres
def test_every_applicant_operation_answers_as_documented(served_schema, version, staff):
    me = applicant()
    cases = [draft_case(version, me), submitted_case(version, me), accepted_for(version, staff, me)]
    services.case_request_supplement(
        case=cases[1], by=staff.clerk, items=[{"material": material(version, "申请书").pk}]
    )
    known = {
        "draft_id": [cases[0].pk],
        "case_id": [c.pk for c in cases],
        "material_id": list(version.materials.values_list("pk", flat=True)),
        "notice_id": list(cases[2].notices.values_list("pk", flat=True)),
        "file_id": list(MaterialFile.objects.values_list("pk", flat=True)),
    }
    _instance, token = AuthToken.objects.create(user=me)
    failures = []
    for result in served_schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(ME):
            continue
        try:
            fuzz_as_applicant(operation, known=known, token=token)
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}: {error}")

    assert not failures, "\n\n".join(failures)


def fuzz_as_applicant(operation, *, known: dict, token: str) -> None:
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(strategy)
    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        parameters = case.path_parameters or {}
        # Most generated ids name the applicant's own things.
        for name, value in parameters.items():
            if isinstance(value, int) and known.get(name) and value % 3:
                parameters[name] = known[name][value % len(known[name])]
        response = case.call(headers={"Authorization": f"Token {token}"})
        documented = {body.media_type for body in operation.body}
        if response.status_code == 415 and case.media_type not in documented:
            return
        case.validate_response(
            response,
            checks=[
                checks.not_a_server_error,
                checks.status_code_conformance,
                checks.content_type_conformance,
                checks.response_schema_conformance,
            ],
        )

    run()


def test_a_wrong_file_is_removed_from_the_draft_and_a_sent_one_is_not(version):
    me = applicant()
    client = logged_in(me)
    case = draft_case(version, me)
    form = material(version, "申请书")
    wrong = upload(client, case.pk, form.pk, pdf("错的.pdf")).json()
    stored = MaterialFile.objects.get(submission__case=case, original_name="错的.pdf")
    path = f"{ME}drafts/{case.pk}/materials/{form.pk}/files/{stored.pk}/"
    assert wrong["id"] == case.pk

    answer = client.delete(path)

    assert answer.status_code == 200
    assert not MaterialFile.objects.filter(pk=stored.pk).exists()
    sent = submitted_case(version, me)
    sent_file = MaterialFile.objects.filter(submission__case=sent).first()
    refused = client.delete(f"{ME}drafts/{case.pk}/materials/{form.pk}/files/{sent_file.pk}/")
    assert refused.status_code == 400
    assert refused.json()["fields"]["file"]
    assert MaterialFile.objects.filter(pk=sent_file.pk).exists()


def test_the_result_is_asked_for_by_post_once_decided(version, staff):
    from tests.factories.workflow import decided_case

    case = decided_case(version, staff)
    client = logged_in(case.applicant)
    url = f"{ME}cases/{case.pk}/delivery/"

    refused = client.post(url, {"method": "post", "address": "短"}, format="json")
    assert refused.status_code == 400 and "recipient" in refused.json()["fields"]
    answer = client.post(
        url,
        {
            "method": "post",
            "recipient": "张三",
            "phone": "13800138000",
            "address": "示范市人民路1号3单元",
        },
        format="json",
    )

    assert answer.status_code == 200
    case.refresh_from_db()
    assert case.delivery_requested == "post" and case.delivery_address == "示范市人民路1号3单元"
    other = logged_in(applicant("13700137000", username="lisi", name="李四"))
    assert other.post(url, {"method": "pickup"}, format="json").status_code == 404


def test_a_pending_material_is_brought_through_the_api(version, staff):
    me = applicant()
    case = accepted_for(version, staff, me)
    pending = material(version, "场所证明")
    client = logged_in(me)

    wrong = client.post(
        f"{ME}cases/{case.pk}/pending/",
        {"material": material(version, "申请书").pk, "file": pdf()},
        format="multipart",
    )
    assert wrong.status_code == 400
    answer = client.post(
        f"{ME}cases/{case.pk}/pending/", {"material": pending.pk, "file": pdf()}, format="multipart"
    )

    assert answer.status_code == 200
    assert case.submissions.filter(files__material=pending).exists()
