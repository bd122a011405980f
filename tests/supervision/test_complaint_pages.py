"""Complaints on the pages: the applicant files one in the hall (about one of their cases or a
department), follows it under "My complaints" and rates the answer; the department's leader
accepts, declines or answers it in the workbench; staff record phone complaints; the list is
scoped, filtered and exported."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from portal.models import ApplicantProfile
from supervision.complaints import complaint_accept, complaint_answer, complaint_file
from supervision.models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintStatus
from tests.factories.workflow import at, department_staff
from tests.supervision.office import MONDAY, supervised_office

NEW = "/complaints/new/"
MINE = "/my/complaints/"
STAFF = "/staff/supervision/complaints/"


@pytest.fixture
def office(db):
    return supervised_office()


def hall_applicant(user, phone="13800138000"):
    ApplicantProfile.objects.create(
        user=user, phone=phone, kind="natural", name="张三", id_number="11010519491231002X"
    )
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def filed(office, case, **kwargs):
    return complaint_file(
        by=case.applicant,
        name="张三",
        phone="13800138000",
        category=kwargs.pop("category", ComplaintCategory.ATTITUDE),
        content="窗口人员态度不好。",
        case=case,
        channel=ComplaintChannel.ONLINE,
        now=at(MONDAY),
        **kwargs,
    )


# --- the hall -------------------------------------------------------------------------------


def test_an_applicant_files_a_complaint_about_their_case_and_reads_it(office):
    case = office.case()
    applicant = hall_applicant(case.applicant)
    client = logged_in(applicant)

    form = client.get(f"{NEW}?case={case.pk}")
    assert form.status_code == 200
    assert f'<option value="{case.pk}" selected>' in form.content.decode()

    response = client.post(
        NEW, {"case": case.pk, "category": "time", "content": "超过承诺时限仍未办结。"}
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == f"{MINE}{complaint.pk}/"
    assert (complaint.case, complaint.department, complaint.phone) == (
        case,
        office.department,
        "13800138000",
    )

    page = client.get(response.url).content.decode()
    assert complaint.number in page
    assert "超过承诺时限仍未办结。" in page
    assert complaint.number in client.get(MINE).content.decode()


def test_the_case_page_in_my_cases_leads_to_a_complaint_about_it(office):
    case = office.case()
    client = logged_in(hall_applicant(case.applicant))

    page = client.get(f"/my/cases/{case.pk}/").content.decode()

    assert f'href="{NEW}?case={case.pk}"' in page
    # Another applicant's case page is a 404 and offers nothing.
    stranger = logged_in(hall_applicant(office.case().applicant, phone="13900139000"))
    assert stranger.get(f"/my/cases/{case.pk}/").status_code == 404


def test_without_a_case_the_applicant_chooses_the_department(office):
    applicant = hall_applicant(office.case().applicant)
    client = logged_in(applicant)

    missing = client.post(NEW, {"category": "fees", "content": "收费不合理。"})
    assert missing.status_code == 400
    assert "Choose the department" in missing.content.decode()

    client.post(
        NEW, {"category": "fees", "content": "收费不合理。", "department": office.department.pk}
    )
    assert Complaint.objects.get().department == office.department


def test_another_applicants_case_is_not_offered_nor_taken(office):
    mine, theirs = office.case(), office.case()
    client = logged_in(hall_applicant(mine.applicant))

    assert f'value="{theirs.pk}"' not in client.get(NEW).content.decode()
    response = client.post(NEW, {"case": theirs.pk, "category": "time", "content": "x"})
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_the_hall_form_is_throttled(office, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "complaint": "2/minute"}
    client = logged_in(hall_applicant(office.case().applicant))
    data = {"category": "other", "content": "x", "department": office.department.pk}

    statuses = [client.post(NEW, data).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_another_applicants_complaint_is_not_found_and_staff_go_to_the_workbench(office):
    complaint = filed(office, office.case())
    stranger = hall_applicant(office.case().applicant, phone="13900139000")

    assert logged_in(stranger).get(f"{MINE}{complaint.pk}/").status_code == 404
    staff = logged_in(office.staff.approver).get(MINE)
    assert staff.status_code == 302 and staff.url == "/staff/"


def test_the_complainant_rates_the_answer_once_in_the_hall(office):
    case = office.case()
    applicant = hall_applicant(case.applicant)
    complaint = filed(office, case)
    client = logged_in(applicant)
    assert "rate-level" not in client.get(f"{MINE}{complaint.pk}/").content.decode()

    complaint_accept(complaint=complaint, by=office.staff.approver, now=at(MONDAY))
    complaint_answer(
        complaint=complaint, by=office.staff.approver, answer="已约谈当事人。", now=at(MONDAY)
    )
    page = client.get(f"{MINE}{complaint.pk}/").content.decode()
    assert "已约谈当事人。" in page
    assert 'name="rate-level"' in page

    response = client.post(
        f"{MINE}{complaint.pk}/rate/", {"rate-level": "5", "rate-comment": "满意"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.complainant_level == 5
    again = client.post(f"{MINE}{complaint.pk}/rate/", {"rate-level": "1"})
    assert again.status_code == 404 or again.status_code == 409
    complaint.refresh_from_db()
    assert complaint.complainant_level == 5


def test_the_header_offers_my_complaints(office):
    client = logged_in(hall_applicant(office.case().applicant))

    assert f'href="{MINE}"' in client.get("/").content.decode()


# --- the workbench --------------------------------------------------------------------------


def test_the_leader_accepts_then_answers_on_the_page(office):
    complaint = filed(office, office.case())
    client = logged_in(office.staff.approver)

    page = client.get(f"{STAFF}{complaint.pk}/").content.decode()
    assert f"{STAFF}{complaint.pk}/accept/" in page
    assert f"{STAFF}{complaint.pk}/answer/" not in page

    assert client.post(f"{STAFF}{complaint.pk}/answer/", {"answer-answer": "x"}).status_code == 409
    assert client.post(f"{STAFF}{complaint.pk}/accept/").status_code == 302
    empty = client.post(f"{STAFF}{complaint.pk}/answer/", {"answer-answer": " "})
    assert empty.status_code == 400
    assert (
        client.post(f"{STAFF}{complaint.pk}/answer/", {"answer-answer": "已整改"}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED


def test_decline_without_reasons_is_refused_on_the_page(office):
    complaint = filed(office, office.case())
    client = logged_in(office.staff.chief)

    response = client.post(f"{STAFF}{complaint.pk}/decline/", {"decline-reason": ""})

    assert response.status_code == 400
    assert "Give the reasons" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FILED


def test_another_departments_complaint_is_not_found(office):
    complaint = filed(office, office.case())
    client = logged_in(office.other_approver)

    assert client.get(f"{STAFF}{complaint.pk}/").status_code == 404
    assert client.post(f"{STAFF}{complaint.pk}/accept/").status_code == 404
    assert complaint.number not in client.get(STAFF).content.decode()
    assert logged_in(office.other_officer).get(f"{STAFF}{complaint.pk}/").status_code == 404
    assert logged_in(office.staff.handler).get(STAFF).status_code == 403


def test_the_list_filters_and_marks_the_overdue(office):
    late = filed(office, office.case(), category=ComplaintCategory.FEES)
    Complaint.objects.filter(pk=late.pk).update(accept_due_on=date(2026, 11, 17))
    fresh = filed(office, office.case())
    with time_machine.travel(at(date(2026, 11, 19)), tick=False):
        client = logged_in(office.county_officer)
        everything = client.get(STAFF).content.decode()
        overdue = client.get(STAFF, {"overdue": "on"}).content.decode()
        fees = client.get(STAFF, {"category": "fees"}).content.decode()

    assert late.number in everything and fresh.number in everything
    assert "overdue" in everything
    assert late.number in overdue and fresh.number not in overdue
    assert late.number in fees and fresh.number not in fees


def test_the_list_exports_with_its_filters(office):
    filed(office, office.case(), category=ComplaintCategory.FEES)
    filed(office, office.case())
    client = logged_in(office.staff.approver)

    page = client.get(STAFF, {"category": "fees"}).content.decode()
    assert "/staff/supervision/exports/complaints.xlsx?category=fees" in page
    response = client.get("/staff/supervision/exports/complaints.xlsx", {"category": "fees"})

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 2


def test_a_window_clerk_records_a_phone_complaint(office):
    case = office.case()
    client = logged_in(office.staff.clerk)

    form = client.get(f"{STAFF}new/")
    assert form.status_code == 200
    response = client.post(
        f"{STAFF}new/",
        {
            "name": "李四",
            "phone": "13912345678",
            "category": "attitude",
            "case_number": case.number,
            "content": "来电反映窗口人员态度生硬。",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert (complaint.channel, complaint.case, complaint.recorded_by) == (
        ComplaintChannel.PHONE,
        case,
        office.staff.clerk,
    )
    unknown = client.post(
        f"{STAFF}new/",
        {
            "name": "李四",
            "phone": "13912345678",
            "category": "other",
            "case_number": "NOPE",
            "content": "x",
        },
    )
    assert unknown.status_code == 400
    assert "No case of your center" in unknown.content.decode()
    assert logged_in(office.staff.handler).get(f"{STAFF}new/").status_code == 403


def test_the_leader_start_page_counts_the_complaints_to_handle(office):
    waiting = filed(office, office.case())
    late = filed(office, office.case())
    complaint_accept(complaint=late, by=office.staff.approver, now=at(MONDAY))

    # A month later both limits have passed: the one to accept and the one to answer.
    with time_machine.travel(at(date(2026, 12, 21))):
        page = logged_in(office.staff.approver).get("/staff/").content.decode()
        other_leader = department_staff(office.other_department).approver
        other = logged_in(other_leader).get("/staff/").content.decode()

    assert 'id="panel-complaints"' in page
    assert waiting.status == ComplaintStatus.FILED
    for figure, value in (("filed", 1), ("accepted", 1), ("overdue", 2)):
        assert f'id="count-complaints-{figure}">{value}</span>' in page
    assert 'id="panel-complaints"' not in other
