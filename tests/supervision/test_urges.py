"""Urge notices (督办单): an officer of the tree sends one about a department's cases, due in
working days; the department's leader answers it once (late too, and the lateness is kept); the
office closes it. Scoped down the tree and to the department, on the pages and in the API."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import time_machine
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from catalog.models import Role
from supervision.models import RuleSet, Urge, UrgeStatus
from supervision.urges import (
    urge_actions,
    urge_answer,
    urge_answered_late,
    urge_close,
    urge_send,
    urges_visible_to,
)
from tests.factories.catalog import UserFactory, staff_user
from tests.factories.workflow import accepted_case, at, department_staff, item_with_procedure
from tests.supervision.office import (
    EVE_OF_NATIONAL_DAY,
    MONDAY,
    card,
    national_day_2026,
    supervised_office,
)
from workflow import services
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Notification

URGES = "/api/v1/supervision/urges/"
PAGES = "/staff/supervision/urges/"


@pytest.fixture
def office(db):
    return supervised_office()


def send(office, *cases, by=None, day=MONDAY, **kwargs) -> Urge:
    kwargs.setdefault("message", "请于期限内办结并书面说明超期原因。")
    return urge_send(
        by=by or office.county_officer,
        department=office.department,
        cases=list(cases) or [office.case()],
        now=at(day),
        **kwargs,
    )


def client_for(user) -> APIClient:
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- sending --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "respond_within", "due_on"),
    [
        # No rule set yet: the built-in 3 working days. Thursday 1 – Wednesday 7 October are
        # the National Day holidays; Thursday 8, Friday 9 and the make-up Saturday 10 count.
        (None, None, date(2026, 10, 10)),
        # The rule set in force says 5: then Monday 12 and Tuesday 13.
        (5, None, date(2026, 10, 13)),
        # The officer's own limit wins over the rules: the first working day after the holiday.
        (5, 1, date(2026, 10, 8)),
    ],
)
def test_a_notice_sent_on_the_eve_of_national_day_is_due_in_working_days_across_it(
    office, rules, respond_within, due_on
):
    national_day_2026()
    if rules is not None:
        RuleSet.objects.create(effective_from=date(2026, 1, 1), urge_response_workdays=rules)
        # A later rule set is not yet in force on the day the notice is sent.
        RuleSet.objects.create(effective_from=date(2026, 12, 1), urge_response_workdays=9)
    case = office.case(now=at(date(2026, 9, 28)))

    with time_machine.travel(at(EVE_OF_NATIONAL_DAY), tick=False):
        urge = urge_send(
            by=office.county_officer,
            department=office.department,
            cases=[case],
            message="请说明超期原因。",
            respond_within=respond_within,
        )

    urge.refresh_from_db()
    assert urge.sent_on == EVE_OF_NATIONAL_DAY
    assert urge.due_on == due_on
    assert urge.respond_within == (respond_within or rules or 3)
    assert urge.status == UrgeStatus.OPEN
    assert urge.center == office.county
    assert list(urge.cases.all()) == [case]


def test_numbers_count_per_center_and_year(office):
    first = send(office)
    second = send(office)
    next_year = send(office, day=date(2027, 1, 4))
    elsewhere = urge_send(
        by=office.city_officer,
        department=office.other_department,
        cases=[
            accepted_case(
                item_with_procedure(department=office.other_department),
                department_staff(office.other_department),
                now=at(MONDAY),
            )
        ],
        message="请办理。",
        now=at(MONDAY),
    )

    code = office.county.code
    assert (first.number, second.number) == (f"{code}DB〔2026〕1号", f"{code}DB〔2026〕2号")
    assert next_year.number == f"{code}DB〔2027〕1号"
    assert elsewhere.number == f"{office.other_county.code}DB〔2026〕1号"


def test_an_officer_of_the_county_or_the_city_sends_one_and_nobody_else(office):
    assert send(office, by=office.county_officer).sent_by == office.county_officer
    assert send(office, by=office.city_officer).sent_by == office.city_officer

    for outsider in (office.other_officer, office.staff.approver, office.staff.clerk):
        with pytest.raises(ActionForbidden) as refused:
            send(office, by=outsider)
        assert refused.value.status == 403
    assert Urge.objects.count() == 2


def test_a_notice_names_only_open_cases_of_its_department_that_the_officer_sees(office):
    other_case = accepted_case(
        item_with_procedure(department=office.other_department),
        department_staff(office.other_department),
        now=at(MONDAY),
    )
    withdrawn = office.case()
    services.case_withdraw(case=withdrawn, by=withdrawn.applicant, reason="不办了")

    for cases, words in (
        ([], "Choose at least one case"),
        ([other_case], "No case you supervise has the id"),
        ([withdrawn], "are finished"),
        ([999_999], "No case you supervise has the id"),
    ):
        with pytest.raises(InvalidInput) as refused:
            urge_send(
                by=office.county_officer,
                department=office.department,
                cases=cases,
                message="请办理。",
                now=at(MONDAY),
            )
        assert words in str(refused.value.message)
        assert "cases" in refused.value.fields
    # The city officer sees the other county's case, which is of another department.
    with pytest.raises(InvalidInput, match="another department"):
        urge_send(
            by=office.city_officer,
            department=office.department,
            cases=[office.case(), other_case],
            message="请办理。",
            now=at(MONDAY),
        )
    with pytest.raises(InvalidInput, match="Write what the office asks"):
        send(office, message="  ")
    with pytest.raises(InvalidInput, match="from 1 to 30"):
        send(office, respond_within=31)
    assert not Urge.objects.exists()


def test_sending_tells_the_departments_leaders_and_its_head_by_email(office):
    urge = send(office)

    told = set(
        Notification.objects.filter(template="urge_sent").values_list("recipient_id", flat=True)
    )
    assert told == {office.staff.approver.pk, office.staff.chief.pk, office.department.head_id}
    row = Notification.objects.filter(template="urge_sent").first()
    assert row.payload["number"] == urge.number
    assert row.payload["due_on"] == urge.due_on.isoformat()


# --- answering and closing ------------------------------------------------------------------


def test_only_the_departments_leader_answers_and_only_once(office):
    urge = send(office)

    for outsider in (
        office.staff.clerk,
        office.staff.handler,
        office.other_approver,
        office.county_officer,
    ):
        with pytest.raises(ActionForbidden):
            urge_answer(urge=urge, by=outsider, answer="已处理。", now=at(MONDAY))
    answered = urge_answer(
        urge=urge, by=office.staff.chief, answer="已督促承办人办结。", now=at(MONDAY)
    )
    with pytest.raises(TransitionNotAllowed, match="answered already"):
        urge_answer(urge=urge, by=office.staff.approver, answer="再答一次。", now=at(MONDAY))

    assert answered.status == UrgeStatus.ANSWERED
    assert answered.answered_by == office.staff.chief
    assert not urge_answered_late(answered)
    told = Notification.objects.filter(template="urge_answered")
    assert list(told.values_list("recipient_id", flat=True)) == [office.county_officer.pk]


def test_an_answer_after_the_limit_is_taken_and_kept_as_late(office):
    national_day_2026()
    urge = send(office, day=EVE_OF_NATIONAL_DAY)

    answered = urge_answer(
        urge=urge, by=office.staff.approver, answer="节后补报。", now=at(date(2026, 10, 12))
    )

    assert answered.answered_on == date(2026, 10, 12) > answered.due_on == date(2026, 10, 10)
    assert urge_answered_late(answered)


def test_the_office_closes_after_the_answer_or_with_a_note_without_one(office):
    answered = send(office)
    urge_answer(urge=answered, by=office.staff.approver, answer="已办结。", now=at(MONDAY))
    unanswered = send(office)

    urge_close(urge=answered, by=office.county_officer, note="", now=at(MONDAY))
    with pytest.raises(InvalidInput, match="without the department's answer"):
        urge_close(urge=unanswered, by=office.county_officer, note=" ", now=at(MONDAY))
    with pytest.raises(ActionForbidden):
        urge_close(urge=unanswered, by=office.staff.approver, note="案件已办结。", now=at(MONDAY))
    with pytest.raises(ActionForbidden):
        urge_close(urge=unanswered, by=office.other_officer, note="案件已办结。", now=at(MONDAY))
    urge_close(urge=unanswered, by=office.city_officer, note="案件已办结。", now=at(MONDAY))
    with pytest.raises(TransitionNotAllowed, match="closed already"):
        urge_close(urge=unanswered, by=office.city_officer, note="再关一次。", now=at(MONDAY))
    with pytest.raises(TransitionNotAllowed, match="closed"):
        urge_answer(
            urge=unanswered, by=office.staff.approver, answer="迟到的答复。", now=at(MONDAY)
        )

    for urge in (answered, unanswered):
        urge.refresh_from_db()
        assert urge.status == UrgeStatus.CLOSED
    assert unanswered.closing_note == "案件已办结。"


def test_what_is_offered_is_what_is_allowed(office):
    urge = send(office)

    assert urge_actions(urge, office.staff.approver) == ["answer"]
    assert urge_actions(urge, office.county_officer) == ["close"]
    assert urge_actions(urge, office.staff.clerk) == []
    urge_answer(urge=urge, by=office.staff.approver, answer="已办结。", now=at(MONDAY))
    urge.refresh_from_db()
    assert urge_actions(urge, office.staff.approver) == []
    assert urge_actions(urge, office.county_officer) == ["close"]


# --- scope ----------------------------------------------------------------------------------


def test_a_county_officer_never_sees_the_citys_or_another_countys_notices(office):
    mine = send(office)
    city_department = office.city.departments.create(code="CITY-D", name="市局")
    city_case = accepted_case(
        item_with_procedure(department=city_department),
        department_staff(city_department),
        now=at(MONDAY),
    )
    citys = urge_send(
        by=office.city_officer,
        department=city_department,
        cases=[city_case],
        message="请办理。",
        now=at(MONDAY),
    )
    other_case = accepted_case(
        item_with_procedure(department=office.other_department),
        department_staff(office.other_department),
        now=at(MONDAY),
    )
    others = urge_send(
        by=office.other_officer,
        department=office.other_department,
        cases=[other_case],
        message="请办理。",
        now=at(MONDAY),
    )

    assert list(urges_visible_to(office.county_officer)) == [mine]
    assert set(urges_visible_to(office.city_officer)) == {mine, citys, others}
    assert list(urges_visible_to(office.staff.approver)) == [mine]
    assert not urges_visible_to(office.staff.clerk).exists()
    pages, api = _logged_in(office.county_officer), client_for(office.county_officer)
    for urge in (citys, others):
        assert pages.get(f"{PAGES}{urge.pk}/").status_code == 404
        assert api.get(f"{URGES}{urge.pk}/").status_code == 404
        assert api.post(f"{URGES}{urge.pk}/close/", {"note": "x"}, format="json").status_code == 404
    assert api.get(f"{URGES}{mine.pk}/").status_code == 200


# --- pages ----------------------------------------------------------------------------------


def _logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_officer_sends_a_notice_from_a_card_about_several_red_cases(office):
    first, second, quiet = office.case(), office.case(), office.case()
    red = card(first)
    card(second)
    client = _logged_in(office.county_officer)

    with time_machine.travel(at(MONDAY), tick=False):
        form = client.get(f"{PAGES}new/?alert={red.pk}")
        page = form.content.decode()
        assert form.status_code == 200
        # Both red cases are offered, the card's own ticked; the quiet case is not offered.
        assert first.number in page and second.number in page and quiet.number not in page
        assert re.search(rf'value="{first.pk}"[^>]*checked', page)
        assert not re.search(rf'value="{second.pk}"[^>]*checked', page)
        sent = client.post(
            f"{PAGES}new/?alert={red.pk}",
            {"cases": [first.pk, second.pk], "message": "请两日内办结。", "respond_within": "2"},
        )
        shown = client.get(sent.url)

    urge = Urge.objects.get()
    assert sent.status_code == 302 and sent.url == f"{PAGES}{urge.pk}/"
    assert set(urge.cases.all()) == {first, second}
    assert urge.due_on == date(2026, 11, 18)
    assert shown.status_code == 200
    detail = shown.content.decode()
    assert urge.number in detail and first.number in detail and "Close the urge notice" in detail


def test_the_send_form_starts_from_a_case_and_shows_the_services_refusal(office):
    case = office.case()
    client = _logged_in(office.county_officer)

    assert client.get(f"{PAGES}new/?case={case.pk}").status_code == 200
    refused = client.post(f"{PAGES}new/?case={case.pk}", {"cases": [case.pk], "message": ""})

    assert refused.status_code == 400
    assert "Write what the office asks of the department." in refused.content.decode()
    assert not Urge.objects.exists()
    # A case outside the tree is not found; the chooser lists the tree's departments.
    assert _logged_in(office.other_officer).get(f"{PAGES}new/?case={case.pk}").status_code == 404
    chooser = client.get(f"{PAGES}new/").content.decode()
    assert office.department.name in chooser and office.other_department.name not in chooser


def test_the_send_form_is_for_officers_only(office):
    case = office.case()
    for user in (office.staff.approver, office.staff.clerk, UserFactory()):
        assert _logged_in(user).get(f"{PAGES}new/?case={case.pk}").status_code == 403


def test_the_leader_answers_in_the_inbox_of_their_department(office):
    urge = send(office)
    client = _logged_in(office.staff.approver)

    inbox = client.get(PAGES).content.decode()
    assert (
        "Urge notices to my department" in inbox and urge.number in inbox and "to answer" in inbox
    )
    assert "Answer the urge notice" in client.get(f"{PAGES}{urge.pk}/").content.decode()
    blank = client.post(f"{PAGES}{urge.pk}/answer/", {"answer-answer": " "})
    assert blank.status_code == 400
    assert "Write the department&#x27;s answer." in blank.content.decode()
    answered = client.post(f"{PAGES}{urge.pk}/answer/", {"answer-answer": "已办结，附说明。"})
    assert answered.status_code == 302
    again = client.post(f"{PAGES}{urge.pk}/answer/", {"answer-answer": "再答一次。"})
    assert again.status_code == 409
    # A clerk of the department is not a leader: no supervision page at all.
    assert _logged_in(office.staff.clerk).get(PAGES).status_code == 403
    assert _logged_in(office.staff.clerk).get(f"{PAGES}{urge.pk}/").status_code == 403
    # Another department's leader does not see the notice.
    assert _logged_in(office.other_approver).get(f"{PAGES}{urge.pk}/").status_code == 404


def test_the_office_closes_a_notice_on_its_page(office):
    urge = send(office)
    client = _logged_in(office.county_officer)

    refused = client.post(f"{PAGES}{urge.pk}/close/", {"close-note": ""})
    closed = client.post(f"{PAGES}{urge.pk}/close/", {"close-note": "已电话督促，案件已办结。"})
    leader = _logged_in(office.staff.approver).post(f"{PAGES}{urge.pk}/close/", {"close-note": "x"})

    assert refused.status_code == 400
    assert closed.status_code == 302
    assert leader.status_code == 403
    urge.refresh_from_db()
    assert urge.status == UrgeStatus.CLOSED


def test_the_list_marks_the_overdue_filters_and_pages_with_a_constant_number_of_queries(
    office, django_assert_max_num_queries
):
    late = send(office, day=date(2026, 11, 2))
    answered = send(office)
    urge_answer(urge=answered, by=office.staff.approver, answer="已办结。", now=at(MONDAY))
    client = _logged_in(office.county_officer)

    with time_machine.travel(at(MONDAY), tick=False):
        listed = client.get(PAGES).content.decode()
        overdue = client.get(PAGES, {"status": "overdue"}).content.decode()
        by_status = client.get(PAGES, {"status": "answered"}).content.decode()
        bad = client.get(PAGES, {"status": "nonsense"})
        for _ in range(30):
            send(office)
        with django_assert_max_num_queries(16):
            first = client.get(PAGES)
        following = client.get(PAGES, {"after": first.context["page"].next_cursor})

    assert late.number in listed and answered.number in listed
    assert "overdue" in listed
    assert late.number in overdue and answered.number not in overdue
    assert answered.number in by_status and late.number not in by_status
    assert bad.status_code == 400
    assert len(first.context["page"].object_list) == 25
    assert len(following.context["page"].object_list) == 7


# --- the API --------------------------------------------------------------------------------


def test_the_api_sends_answers_and_closes(office):
    case = office.case()
    officer, leader = client_for(office.county_officer), client_for(office.staff.approver)

    created = officer.post(
        URGES,
        {"department": office.department.pk, "cases": [case.pk], "message": "请办结。"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "open" and body["cases"][0]["number"] == case.number
    assert body["actions"] == ["close"]
    assert body["respond_within"] == 3
    pk = body["id"]

    seen = leader.get(f"{URGES}{pk}/").json()
    assert seen["actions"] == ["answer"]
    answered = leader.post(f"{URGES}{pk}/answer/", {"answer": "已办结。"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    twice = leader.post(f"{URGES}{pk}/answer/", {"answer": "再答。"}, format="json")
    assert twice.status_code == 409
    assert twice.json()["detail"] == "This urge notice has been answered already."
    closed = officer.post(f"{URGES}{pk}/close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"

    listed = officer.get(URGES, {"department": office.department.pk, "status": "closed"}).json()
    assert [u["id"] for u in listed["results"]] == [pk]
    assert officer.get(URGES, {"case": case.pk}).json()["results"][0]["id"] == pk
    assert officer.get(URGES, {"overdue": "true"}).json()["results"] == []


def test_the_api_refuses_in_json(office):
    case = office.case()
    officer, leader = client_for(office.county_officer), client_for(office.staff.approver)
    clerk = client_for(office.staff.clerk)

    blank = officer.post(
        URGES,
        {"department": office.department.pk, "cases": [case.pk], "message": ""},
        format="json",
    )
    assert blank.status_code == 400 and "message" in blank.json()["fields"]
    by_leader = leader.post(
        URGES,
        {"department": office.department.pk, "cases": [case.pk], "message": "请办结。"},
        format="json",
    )
    assert by_leader.status_code == 403 and "supervision officer" in by_leader.json()["detail"]
    nowhere = officer.post(
        URGES, {"department": 10**12, "cases": [case.pk], "message": "请办结。"}, format="json"
    )
    assert nowhere.status_code == 400 and "department" in nowhere.json()["fields"]
    for response in (clerk.get(URGES), clerk.get(f"{URGES}1/")):
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
    assert APIClient().get(URGES).status_code == 401
    urge = send(office)
    not_leader = officer.post(f"{URGES}{urge.pk}/answer/", {"answer": "x"}, format="json")
    assert not_leader.status_code == 403
    assert officer.get(URGES, {"department": "abc"}).status_code == 400


def test_the_api_list_reads_a_constant_number_of_queries(office, django_assert_max_num_queries):
    client = client_for(office.county_officer)
    for _ in range(3):
        send(office)
    with django_assert_max_num_queries(12):
        few = client.get(URGES)
    for _ in range(10):
        send(office)
    with django_assert_max_num_queries(12):
        many = client.get(URGES)
    assert len(few.json()["results"]) == 3 and len(many.json()["results"]) == 13


# --- two officers at once -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL (set DATABASE_URL to one)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_notices_sent_at_once_get_two_numbers():
    office = supervised_office()
    cases = [office.case(), office.case()]
    officers = [office.county_officer, office.city_officer]
    barrier = threading.Barrier(2, timeout=30)

    def run(index):
        try:
            connection.ensure_connection()
            barrier.wait()
            return urge_send(
                by=officers[index],
                department=office.department,
                cases=[cases[index]],
                message="请办结。",
                now=at(MONDAY),
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = [f.result() for f in [pool.submit(run, i) for i in range(2)]]

    code = office.county.code
    assert sorted(u.number for u in outcomes) == [f"{code}DB〔2026〕1号", f"{code}DB〔2026〕2号"]
    assert Urge.objects.count() == 2


def test_a_staff_user_without_a_supervision_role_cannot_read(office):
    fee_clerk = staff_user(Role.FEE_CLERK, center=office.county)
    assert _logged_in(fee_clerk).get(PAGES).status_code == 403
    assert client_for(fee_clerk).get(URGES).status_code == 403


def test_the_case_page_offers_the_officer_an_urge_notice_about_the_case(office):
    case = office.case()

    officer_page = _logged_in(office.county_officer).get(f"/staff/cases/{case.pk}/")
    leader_page = _logged_in(office.staff.approver).get(f"/staff/cases/{case.pk}/")

    assert f'href="{PAGES}new/?case={case.pk}"' in officer_page.content.decode()
    assert f"{PAGES}new/" not in leader_page.content.decode()
