"""Complaints in the API, under /api/v1/supervision/complaints/: scoped like the pages, the
department's accept, decline and answer as POST actions, phone complaints recorded by staff,
JSON errors, and all of it in the OpenAPI document."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from supervision.complaints import complaint_file
from supervision.models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintStatus
from tests.factories.workflow import at
from tests.supervision.office import MONDAY, supervised_office

COMPLAINTS = "/api/v1/supervision/complaints/"


@pytest.fixture
def office(db):
    return supervised_office()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def filed(office, case=None, department=None):
    case = case or office.case()
    return complaint_file(
        by=case.applicant,
        name="张三",
        phone="13800138000",
        category=ComplaintCategory.TIME,
        content="办理超时。",
        case=case if department is None else None,
        department=department,
        channel=ComplaintChannel.ONLINE,
        now=at(MONDAY),
    )


def test_the_leader_lists_accepts_and_answers(office):
    complaint = filed(office)
    client = api(office.staff.approver)

    listed = client.get(COMPLAINTS).json()
    assert [row["number"] for row in listed["results"]] == [complaint.number]
    assert listed["results"][0]["actions"] == ["accept", "decline"]

    early = client.post(f"{COMPLAINTS}{complaint.pk}/answer/", {"answer": "已处理"})
    assert early.status_code == 409
    assert early["Content-Type"] == "application/json" and "detail" in early.json()

    accepted = client.post(f"{COMPLAINTS}{complaint.pk}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == ComplaintStatus.ACCEPTED
    assert accepted.json()["actions"] == ["answer"]
    answered = client.post(f"{COMPLAINTS}{complaint.pk}/answer/", {"answer": "已致歉并整改。"})
    assert answered.status_code == 200
    assert answered.json()["answer"] == "已致歉并整改。"


def test_decline_without_reasons_is_refused_in_json(office):
    complaint = filed(office)

    response = api(office.staff.chief).post(f"{COMPLAINTS}{complaint.pk}/decline/", {"reason": ""})

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED


def test_another_departments_or_trees_complaint_is_not_found(office):
    complaint = filed(office)
    elsewhere = filed(office, department=office.other_department)

    for user in (office.other_approver, office.other_officer):
        client = api(user)
        assert client.get(f"{COMPLAINTS}{complaint.pk}/").status_code == 404
        assert client.post(f"{COMPLAINTS}{complaint.pk}/accept/").status_code == 404
    assert [r["id"] for r in api(office.other_approver).get(COMPLAINTS).json()["results"]] == [
        elsewhere.pk
    ]
    city = {r["id"] for r in api(office.city_officer).get(COMPLAINTS).json()["results"]}
    assert city == {complaint.pk, elsewhere.pk}
    # The officer reads, but only the department's leader handles it.
    refused = api(office.county_officer).post(f"{COMPLAINTS}{complaint.pk}/accept/")
    assert refused.status_code == 403
    assert api(office.staff.handler).get(COMPLAINTS).status_code == 403


def test_the_list_filters(office):
    complaint = filed(office)
    Complaint.objects.filter(pk=complaint.pk).update(category=ComplaintCategory.FEES)
    other = filed(office)
    client = api(office.county_officer)

    fees = client.get(COMPLAINTS, {"category": "fees"}).json()["results"]
    assert [row["id"] for row in fees] == [complaint.pk]
    assert {r["id"] for r in client.get(COMPLAINTS, {"status": "filed"}).json()["results"]} == {
        complaint.pk,
        other.pk,
    }
    assert client.get(COMPLAINTS, {"status": "nonsense"}).status_code == 400


def test_a_window_clerk_records_a_phone_complaint(office):
    case = office.case()
    client = api(office.staff.clerk)

    response = client.post(
        COMPLAINTS,
        {
            "name": "李四",
            "phone": "13912345678",
            "category": "attitude",
            "content": "来电反映态度生硬。",
            "case_number": case.number,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert (complaint.channel, complaint.case, complaint.department) == (
        ComplaintChannel.PHONE,
        case,
        office.department,
    )
    # The clerk records, but does not read the complaints list.
    assert client.get(COMPLAINTS).status_code == 403
    unknown = client.post(
        COMPLAINTS,
        {
            "name": "李四",
            "phone": "13912345678",
            "category": "other",
            "content": "x",
            "case_number": "NOPE",
        },
        format="json",
    )
    assert unknown.status_code == 400
    assert "case_number" in unknown.json()["fields"]
    stranger = api(office.other_approver).post(
        COMPLAINTS,
        {
            "name": "李四",
            "phone": "13912345678",
            "category": "other",
            "content": "x",
            "department": office.department.pk,
        },
        format="json",
    )
    assert stranger.status_code == 403


def test_the_complaints_api_is_in_the_openapi_document():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    listed = paths[COMPLAINTS]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"status", "category", "department"}
    assert "post" in paths[COMPLAINTS]
    for name in ("accept", "decline", "answer"):
        assert "post" in paths[f"{COMPLAINTS}{{id}}/{name}/"]


# --- the applicant's own, under /api/v1/me/complaints/ --------------------------------------

ME = "/api/v1/me/complaints/"


def with_profile(user, phone="13800138000"):
    from portal.models import ApplicantProfile

    ApplicantProfile.objects.create(
        user=user, phone=phone, kind="natural", name="张三", id_number="11010519491231002X"
    )
    return user


def test_the_applicant_files_reads_and_rates_their_own_complaint(office):
    from supervision.complaints import complaint_accept, complaint_answer

    case = office.case()
    client = api(with_profile(case.applicant))

    filed_now = client.post(
        ME, {"category": "time", "content": "超时未办结。", "case": case.pk}, format="json"
    )
    assert filed_now.status_code == 201, filed_now.json()
    body = filed_now.json()
    assert (body["case"], body["department"], body["may_rate"]) == (
        case.pk,
        office.department.pk,
        False,
    )
    assert [row["id"] for row in client.get(ME).json()["results"]] == [body["id"]]

    complaint = Complaint.objects.get(pk=body["id"])
    complaint_accept(complaint=complaint, by=office.staff.approver)
    complaint_answer(complaint=complaint, by=office.staff.approver, answer="已处理。")
    assert client.get(f"{ME}{complaint.pk}/").json()["may_rate"] is True
    rated = client.post(f"{ME}{complaint.pk}/rate/", {"level": 4}, format="json")
    assert rated.status_code == 200 and rated.json()["rating"] == 4
    again = client.post(f"{ME}{complaint.pk}/rate/", {"level": 5}, format="json")
    assert again.status_code == 409


def test_the_applicant_sees_no_one_elses_complaint_nor_files_about_their_case(office):
    mine, theirs = office.case(), office.case()
    other = filed(office, theirs)
    client = api(with_profile(mine.applicant))

    assert client.get(f"{ME}{other.pk}/").status_code == 404
    assert client.get(ME).json()["results"] == []
    refused_case = client.post(
        ME, {"category": "time", "content": "x", "case": theirs.pk}, format="json"
    )
    assert refused_case.status_code == 400
    assert "case" in refused_case.json()["fields"]
    assert api(office.staff.approver).get(ME).status_code == 403


def test_the_applicants_list_reads_the_same_queries_for_one_or_many_rated(office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supervision.complaints import complaint_accept, complaint_answer, complaint_rate

    applicant = with_profile(office.case().applicant)

    def rated_one():
        case = office.case()
        case.applicant = applicant
        case.save(update_fields=["applicant"])
        complaint = filed(office, case)
        complaint_accept(complaint=complaint, by=office.staff.approver)
        complaint_answer(complaint=complaint, by=office.staff.approver, answer="已处理。")
        complaint_rate(complaint=complaint, by=applicant, level=4)

    def fresh_client() -> APIClient:
        # A user object of its own, so that no role read earlier is cached on it.
        return api(type(applicant).objects.get(pk=applicant.pk))

    rated_one()
    client = fresh_client()
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(ME).json()["results"]) == 1
    for _ in range(3):
        rated_one()
    client = fresh_client()
    with CaptureQueriesContext(connection) as four:
        rows = client.get(ME).json()["results"]
    assert len(rows) == 4 and {row["rating"] for row in rows} == {4}
    assert len(four.captured_queries) == len(one.captured_queries)
