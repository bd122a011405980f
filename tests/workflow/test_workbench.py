"""The staff workbench in the browser: lists, the case page, its actions and window intake."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ProcessingType, Role
from tests.factories import UserFactory, staff_user
from tests.factories.workflow import (
    CREDIT_CODE,
    ID_NUMBER,
    accepted_case,
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    pdf,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.models import (
    Case,
    CaseStatus,
    Decision,
    DeliveryMethod,
    ExtensionStatus,
    NoticeKind,
    SpecialProcedure,
    StepStatus,
)
from workflow.permissions import offered_actions
from workflow.selectors import case_get_for_staff

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)
# Materials with none that may come later: acceptance needs no pending-materials date.
PLAIN_MATERIALS = (("申请书", False), ("营业执照", False))
PAGES = [
    "/staff/",
    "/staff/tasks/",
    "/staff/queue/",
    "/staff/prereview/",
    "/staff/cases/",
    "/staff/extensions/",
    "/staff/intake/",
]


@pytest.fixture(autouse=True)
def _on_monday():
    with time_machine.travel(at(MONDAY), tick=False):
        yield


@pytest.fixture
def version():
    return item_with_procedure(materials=PLAIN_MATERIALS, fees=(("工本费", "10.00"),))


@pytest.fixture
def staff(version):
    return department_staff(version.department)


@pytest.fixture
def elsewhere():
    """Another department (in another center) with a case at every stage its staff handle."""
    version = item_with_procedure(materials=PLAIN_MATERIALS)
    staff = department_staff(version.department)
    return {
        "version": version,
        "staff": staff,
        "submitted": submitted_case(version),
        "accepted": accepted_case(version, staff),
    }


def post_action(client, case, action, *, confirm=True, revision=None, **data):
    case.refresh_from_db()
    payload = {"expected_revision": case.revision if revision is None else revision, **data}
    if confirm:
        payload["confirm"] = "on"
    return client.post(f"/staff/cases/{case.pk}/{action}/", payload)


def page(response) -> str:
    return response.content.decode()


def open_step(case):
    return case.steps.get(status=StepStatus.OPEN)


# --- who may see what ------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/staff/login/")


@pytest.mark.parametrize("url", PAGES)
def test_users_without_a_staff_role_are_refused(client, url):
    client.force_login(UserFactory())

    assert client.get(url).status_code == 403


def test_an_applicant_cannot_open_a_case_page_even_their_own(client, version):
    case = submitted_case(version)
    client.force_login(case.applicant)

    assert client.get(f"/staff/cases/{case.pk}/").status_code == 403
    assert post_action(client, case, "accept").status_code == 403


def test_another_departments_case_page_file_and_actions_are_not_found(client, staff, elsewhere):
    case = elsewhere["submitted"]
    stored = case.submissions.get().files.first()
    client.force_login(staff.clerk)

    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert client.get(f"/staff/cases/{case.pk}/files/{stored.pk}/").status_code == 404
    assert post_action(client, case, "accept").status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_lists_never_show_another_departments_cases(client, version, staff, elsewhere):
    mine = accepted_case(version, staff)
    submitted_case(version)
    client.force_login(staff.clerk)

    cases = page(client.get("/staff/cases/"))
    prereview = page(client.get("/staff/prereview/"))

    assert mine.number in cases
    assert elsewhere["accepted"].number not in cases
    assert f"/staff/cases/{elsewhere['submitted'].pk}/" not in prereview
    assert f"/staff/cases/{elsewhere['accepted'].pk}/" not in cases


def test_a_file_of_the_case_opens_for_its_department(client, version, staff):
    case = submitted_case(version)
    stored = case.submissions.get().files.first()
    client.force_login(staff.clerk)

    response = client.get(f"/staff/cases/{case.pk}/files/{stored.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_file_id_of_another_case_is_not_found_on_this_case(client, version, staff):
    case = submitted_case(version)
    other = submitted_case(version)
    stored = other.submissions.get().files.first()
    client.force_login(staff.clerk)

    assert client.get(f"/staff/cases/{case.pk}/files/{stored.pk}/").status_code == 404


# --- dashboard and work lists ----------------------------------------------------------------


def test_each_role_lands_on_a_start_page_with_the_counts_of_its_own_work(client, version, staff):
    submitted_case(version)
    overdue = accepted_case(version, staff, now=at(date(2026, 11, 2)))  # due 9 November
    accepted_case(version, staff, now=at(date(2026, 11, 10)))  # due 17 November: soon
    services.step_claim(step=open_step(overdue), by=staff.handler)

    client.force_login(staff.handler)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert response.context["panels"] == {"steps"}
    assert response.context["counts"] == {"tasks": "1", "queue": "1"}
    assert 'id="count-tasks">1<' in page(response)
    assert 'id="panel-window"' not in page(response)

    client.force_login(staff.approver)
    response = client.get("/staff/")
    assert response.context["panels"] == {"steps", "leader"}
    counts = response.context["counts"]
    assert (counts["overdue"], counts["due_soon"], counts["extensions"]) == (1, 1, "0")
    assert 'id="count-overdue">1<' in page(response)

    client.force_login(staff.clerk)
    response = client.get("/staff/")
    assert response.context["panels"] == {"window"}
    assert response.context["counts"]["prereview"] == 1
    assert 'id="count-prereview">1<' in page(response)


def test_my_tasks_lists_the_steps_i_have_claimed_with_their_due_dates(client, version, staff):
    mine = accepted_case(version, staff, now=at(date(2026, 11, 12)))
    unclaimed = accepted_case(version, staff)
    services.step_claim(step=open_step(mine), by=staff.handler)
    client.force_login(staff.handler)

    response = client.get("/staff/tasks/")

    content = page(response)
    assert mine.number in content and unclaimed.number not in content
    assert "承办" in content and "张三" in content
    assert "2026-11-16" in content  # the step's due date: two working days after Thursday
    assert "2026-11-19" in content  # the case's due date
    [step] = response.context["page"].object_list
    assert (step.due_class, step.case.workdays_left) == ("soon", 3)


def test_the_queue_shows_unclaimed_steps_for_my_roles_only(client, version, staff, elsewhere):
    waiting = accepted_case(version, staff)
    claimed = accepted_case(version, staff)
    services.step_claim(step=open_step(claimed), by=staff.handler)

    client.force_login(staff.handler)
    for_handler = page(client.get("/staff/queue/"))
    client.force_login(staff.reviewer)
    for_reviewer = page(client.get("/staff/queue/"))

    assert waiting.number in for_handler
    assert claimed.number not in for_handler
    assert elsewhere["accepted"].number not in for_handler
    assert waiting.number not in for_reviewer  # the first step is the handler's


def test_claiming_from_the_queue_assigns_the_step_and_returns_to_the_queue(client, version, staff):
    case = accepted_case(version, staff)
    step = open_step(case)
    client.force_login(staff.handler)

    response = post_action(
        client, case, "claim-step", confirm=False, step=step.pk, next="/staff/queue/"
    )

    assert response.status_code == 302 and response.url == "/staff/queue/"
    step.refresh_from_db()
    case.refresh_from_db()
    assert step.assignee == staff.handler
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.number not in page(client.get("/staff/queue/"))


def test_the_queue_never_redirects_to_another_site_after_a_claim(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(staff.handler)

    response = post_action(
        client, case, "claim-step", step=open_step(case).pk, next="https://evil.example/"
    )

    assert response.status_code == 302 and response.url == f"/staff/cases/{case.pk}/"


def test_prereview_lists_the_oldest_first_and_flags_those_past_five_working_days(
    client, version, staff
):
    newest = submitted_case(version, now=at(MONDAY))
    oldest = submitted_case(version, now=at(date(2026, 11, 6)))  # Friday: 6 working days ago
    middle = submitted_case(version, now=at(date(2026, 11, 10)))  # Tuesday: 4 working days ago
    accepted_case(version, staff)
    client.force_login(staff.clerk)

    response = client.get("/staff/prereview/")

    rows = list(response.context["page"].object_list)
    assert [case.pk for case in rows] == [oldest.pk, middle.pk, newest.pk]
    assert [(case.age, case.late) for case in rows] == [(6, True), (4, False), (0, False)]
    content = page(response)
    assert content.count('class="late') == 1
    assert 'class="due overdue"' in content


# --- the case list and its filters -----------------------------------------------------------


def _numbers(response) -> set[str]:
    return {case.number for case in response.context["page"].object_list}


def test_case_list_colours_due_dates_by_how_close_they_are(client, version, staff):
    late = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    soon = accepted_case(version, staff, now=at(date(2026, 11, 10)))
    fine = accepted_case(version, staff)
    paused = accepted_case(version, staff)
    services.case_suspend(
        case=paused,
        by=staff.handler,
        procedure=SpecialProcedure.TESTING,
        reason="送检",
        expected_days=5,
    )
    client.force_login(staff.clerk)

    response = client.get("/staff/cases/")

    classes = {case.number: case.due_class for case in response.context["page"].object_list}
    assert classes == {
        late.number: "overdue",
        soon.number: "soon",
        fine.number: "ok",
        paused.number: "suspended",
    }
    content = page(response)
    for css in ("due overdue", "due soon", "due ok", "due suspended"):
        assert f'class="{css}"' in content


def test_case_list_filters_by_status_and_by_due_state(client, version, staff):
    late = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    soon = accepted_case(version, staff, now=at(date(2026, 11, 10)))
    fresh = accepted_case(version, staff)
    waiting = submitted_case(version)
    client.force_login(staff.clerk)

    submitted = client.get("/staff/cases/", {"status": "submitted"})
    accepted = client.get("/staff/cases/", {"status": "accepted"})
    overdue = client.get("/staff/cases/", {"due": "overdue"})
    due_soon = client.get("/staff/cases/", {"due": "soon"})

    assert [c.pk for c in submitted.context["page"].object_list] == [waiting.pk]
    assert _numbers(accepted) == {late.number, soon.number, fresh.number}
    assert _numbers(overdue) == {late.number}
    assert _numbers(due_soon) == {soon.number}


def test_a_suspended_case_is_neither_overdue_nor_due_soon(client, version, staff):
    late = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    services.case_suspend(
        case=late,
        by=staff.handler,
        procedure=SpecialProcedure.HEARING,
        reason="听证",
        expected_days=3,
        now=at(date(2026, 11, 3)),
    )
    client.force_login(staff.clerk)

    assert _numbers(client.get("/staff/cases/", {"due": "overdue"})) == set()


def test_case_list_finds_an_applicant_by_exact_identifier_or_by_name(client, version, staff):
    person = accepted_case(version, staff)
    company = services.case_window_intake(
        version=version,
        by=staff.clerk,
        files={m.pk: [pdf()] for m in version.materials.all()},
        applicant={
            "applicant_kind": "legal",
            "applicant_name": "杭州某某餐饮有限公司",
            "credit_code": CREDIT_CODE,
            "agent_name": "李四",
            "agent_id_number": ID_NUMBER,
            "contact_phone": "13800138000",
        },
    )
    client.force_login(staff.clerk)

    by_id = client.get("/staff/cases/", {"applicant": ID_NUMBER.lower()})
    by_code = client.get("/staff/cases/", {"applicant": CREDIT_CODE})
    by_part_of_id = client.get("/staff/cases/", {"applicant": ID_NUMBER[:10]})
    by_name = client.get("/staff/cases/", {"applicant": "餐饮"})

    assert _numbers(by_id) == {person.number}
    assert _numbers(by_code) == {company.number}
    assert _numbers(by_part_of_id) == set()
    assert _numbers(by_name) == {company.number}


def test_case_list_filters_by_received_and_accepted_dates_item_and_number(client, version, staff):
    early = accepted_case(version, staff, now=at(date(2026, 11, 2)))
    later = accepted_case(version, staff, now=at(date(2026, 11, 10)))
    other_item = accepted_case(
        item_with_procedure(department=version.department, materials=PLAIN_MATERIALS, name="其他"),
        staff,
    )
    client.force_login(staff.clerk)

    received = client.get(
        "/staff/cases/", {"received_after": "2026-11-01", "received_before": "2026-11-05"}
    )
    accepted = client.get("/staff/cases/", {"accepted_after": "2026-11-09"})
    by_code = client.get("/staff/cases/", {"item": version.item.code})
    by_name = client.get("/staff/cases/", {"item": "其他"})
    by_number = client.get("/staff/cases/", {"number": "-20261110-"})

    assert _numbers(received) == {early.number}
    assert _numbers(accepted) == {later.number, other_item.number}
    assert _numbers(by_code) == {early.number, later.number}
    assert _numbers(by_name) == {other_item.number}
    assert _numbers(by_number) == {later.number}


def test_case_list_refuses_a_bad_filter_with_a_message(client, staff):
    client.force_login(staff.clerk)

    response = client.get("/staff/cases/", {"status": "lost", "received_after": "soon"})

    assert response.status_code == 400
    assert "Select a valid choice" in page(response)
    assert "Enter a valid date" in page(response)


def test_case_list_pages_by_25(client, version, staff):
    for _ in range(26):
        submitted_case(version)
    client.force_login(staff.clerk)

    first = client.get("/staff/cases/")
    second = client.get("/staff/cases/", {"after": first.context["page"].next_cursor})
    back = client.get("/staff/cases/", {"before": second.context["page"].previous_cursor})

    assert len(first.context["page"].object_list) == 25
    assert "26 cases" in page(first)
    assert f"after={first.context['page'].next_cursor}" in page(first)
    assert len(second.context["page"].object_list) == 1
    assert not second.context["page"].has_next()
    assert back.context["page"].object_list == first.context["page"].object_list
    assert not back.context["page"].has_previous()


def test_case_list_pages_keep_the_filter_and_the_order(client, version, staff):
    cases = [submitted_case(version) for _ in range(27)]
    accepted_case(version, staff)
    client.force_login(staff.clerk)

    first = client.get("/staff/cases/", {"status": "submitted"})
    second = client.get(
        "/staff/cases/", {"status": "submitted", "after": first.context["page"].next_cursor}
    )

    shown = [c.pk for c in first.context["page"]] + [c.pk for c in second.context["page"]]
    assert shown == [case.pk for case in reversed(cases)]
    assert "status=submitted&amp;after=" in page(first)


def test_case_list_says_more_than_a_thousand_without_counting_them_all(
    client, version, staff, monkeypatch
):
    monkeypatch.setattr("workflow.paging.COUNT_LIMIT", 3)
    for _ in range(4):
        submitted_case(version)
    client.force_login(staff.clerk)

    assert "More than 3 cases" in page(client.get("/staff/cases/"))


# --- the case page ---------------------------------------------------------------------------


def test_case_page_shows_the_applicant_materials_steps_clock_and_timeline(client, version, staff):
    case = accepted_case(version, staff, now=at(date(2026, 11, 12)))
    services.step_claim(step=open_step(case), by=staff.handler)
    client.force_login(staff.handler)

    response = client.get(f"/staff/cases/{case.pk}/")

    assert response.status_code == 200
    content = page(response)
    assert case.number in content
    assert "110105********002X" in content  # masked in the header
    assert ID_NUMBER in content  # in full in the applicant details, for the department
    assert "申请书" in content and "scan.pdf" in content
    assert "承办" in content and "审核" in content and "审批" in content
    assert response.context["workdays_left"] == 3
    assert 'id="workdays-left">3<' in content
    assert "2026-11-19" in content and "running" in content
    for label in ("submit", "accept", "claim step"):
        assert f"<strong>{label}</strong>" in content
    acceptance = case.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert acceptance.number in content
    assert f"/staff/cases/{case.pk}/notices/{acceptance.pk}/" in content


def test_staff_outside_the_department_see_the_id_number_masked_only(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(staff.fee_clerk)  # center-wide: sees the case, not of its department

    content = page(client.get(f"/staff/cases/{case.pk}/"))

    assert "110105********002X" in content
    assert ID_NUMBER not in content


def test_case_page_offers_only_the_actions_this_user_may_take(client, version, staff):
    case = submitted_case(version)

    client.force_login(staff.clerk)
    for_clerk = page(client.get(f"/staff/cases/{case.pk}/"))
    client.force_login(staff.handler)
    for_handler = page(client.get(f"/staff/cases/{case.pk}/"))

    for action in ("request-supplement", "accept", "reject"):
        assert f"/staff/cases/{case.pk}/{action}/" in for_clerk
        assert f"/staff/cases/{case.pk}/{action}/" not in for_handler
    assert "Nothing for you to do on this case right now." in for_handler


# --- available actions per role and state ----------------------------------------------------


def _actions(case, user):
    return offered_actions(case_get_for_staff(user=user, pk=case.pk), user)


def test_available_actions_at_intake(version, staff, elsewhere):
    case = submitted_case(version)

    # The window may also record the applicant's withdrawal.
    assert _actions(case, staff.clerk) == ["request-supplement", "accept", "reject", "withdraw"]
    assert _actions(case, staff.chief) == ["request-supplement", "accept", "reject", "withdraw"]
    assert _actions(case, staff.handler) == []
    assert _actions(case, staff.fee_clerk) == []
    assert offered_actions(case, elsewhere["staff"].clerk) == []


def test_available_actions_while_the_steps_run(version, staff):
    case = accepted_case(version, staff)

    assert _actions(case, staff.handler) == ["claim-step", "suspend", "request-extension"]
    assert _actions(case, staff.reviewer) == ["suspend"]
    assert _actions(case, staff.clerk) == ["withdraw"]

    services.step_claim(step=open_step(case), by=staff.handler)
    assert _actions(case, staff.handler) == ["complete-step", "suspend", "request-extension"]
    assert _actions(case, staff.reviewer) == ["suspend"]

    services.step_complete(step=open_step(case), by=staff.handler, opinion="同意")
    assert _actions(case, staff.reviewer) == ["claim-step", "suspend"]
    services.step_claim(step=open_step(case), by=staff.reviewer)
    assert _actions(case, staff.reviewer) == ["complete-step", "return-step", "suspend"]


def test_available_actions_for_the_last_step_extensions_and_suspension(version, staff):
    case = accepted_case(version, staff)
    last = run_to_last_step(case, staff)

    assert _actions(case, last.assignee) == ["return-step", "decide", "suspend"]

    services.extension_request(case=case, by=staff.handler, days=5, reason="需现场核查")
    assert _actions(case, staff.approver) == [
        "return-step",
        "decide",
        "suspend",
        "approve-extension",
    ]
    assert "request-extension" not in _actions(case, staff.handler)

    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure=SpecialProcedure.EXPERT_REVIEW,
        reason="专家评审",
        expected_days=5,
    )
    assert _actions(case, staff.approver) == ["resume", "approve-extension"]


def test_available_actions_after_the_decision(version, staff):
    case = decided_case(version, staff)

    assert _actions(case, staff.fee_clerk) == ["record-fee"]
    # The result is handed over once the fee is paid: no delivery button before; the window
    # may record how the applicant wants it meanwhile.
    assert _actions(case, staff.clerk) == ["choose-delivery"]
    assert _actions(case, staff.approver) == []

    services.fee_record(
        case=case, by=staff.fee_clerk, fee_name="工本费", amount="10.00", receipt_number="R1"
    )
    assert _actions(case, staff.fee_clerk) == []
    assert _actions(case, staff.clerk) == ["choose-delivery", "deliver"]


def test_available_actions_wait_for_pending_materials_before_the_decision(staff):
    version = item_with_procedure(
        department=staff.clerk.memberships.get().department,
        steps=(("审批", Role.APPROVER, 2),),
        materials=(("申请书", False), ("场所证明", True)),
    )
    case = accepted_case(version, staff, deferred_due_on=MONDAY + timedelta(days=10))
    services.step_claim(step=open_step(case), by=staff.approver)

    assert _actions(case, staff.clerk) == ["supply-deferred", "withdraw"]
    assert "decide" not in _actions(case, staff.approver)


def test_available_actions_for_an_immediate_item(staff):
    version = item_with_procedure(
        department=staff.clerk.memberships.get().department,
        steps=(),
        materials=PLAIN_MATERIALS,
        processing_type=ProcessingType.IMMEDIATE,
        promised_limit=0,
        statutory_limit=0,
    )
    case = accepted_case(version, staff)

    assert "complete-on-the-spot" in _actions(case, staff.chief)
    assert "complete-on-the-spot" not in _actions(case, staff.clerk)


# --- actions through the browser forms -------------------------------------------------------


def test_accept_through_the_form_numbers_the_case_and_starts_the_clock(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    response = post_action(client, case, "accept")

    assert response.status_code == 302 and response.url == f"/staff/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.number
    assert case.due_on == date(2026, 11, 23)
    follow = page(client.get(response.url))
    assert f"The application is accepted as case {case.number}." in follow


def test_accept_without_the_pending_date_when_optional_materials_are_missing(client, staff):
    version = item_with_procedure(
        department=staff.clerk.memberships.get().department,
        materials=(("申请书", False), ("场所证明", True)),
    )
    case = submitted_case(version)
    client.force_login(staff.clerk)

    refused = post_action(client, case, "accept")
    accepted = post_action(client, case, "accept", deferred_due_on="2026-11-30")

    assert refused.status_code == 400
    assert "场所证明 may come later" in page(refused)
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.deferred_due_on == date(2026, 11, 30)


def test_a_supplement_notice_lists_every_ticked_material_with_its_reason(client, version, staff):
    case = submitted_case(version)
    first, second = version.materials.order_by("order")
    client.force_login(staff.clerk)

    response = post_action(
        client,
        case,
        "request-supplement",
        **{
            f"material_{first.pk}": "on",
            f"reason_{first.pk}": "未签字",
            f"material_{second.pk}": "on",
            f"reason_{second.pk}": "已过期",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_SUPPLEMENT
    notice = case.notices.get(kind=NoticeKind.SUPPLEMENT)
    assert [(row["name"], row["reason"]) for row in notice.content["materials"]] == [
        ("申请书", "未签字"),
        ("营业执照", "已过期"),
    ]


def test_a_supplement_notice_with_nothing_ticked_is_refused(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    response = post_action(client, case, "request-supplement")

    assert response.status_code == 400
    assert "List at least one material to supplement." in page(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and not case.notices.exists()


def test_reject_needs_a_reason_and_then_issues_the_notice(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    without = post_action(client, case, "reject", reason="  ")
    case.refresh_from_db()
    status_after_refusal = case.status
    rejected = post_action(client, case, "reject", reason="不属于本机关职权范围")

    assert without.status_code == 400
    assert "Give the reason the application is not accepted." in page(without)
    assert status_after_refusal == CaseStatus.SUBMITTED
    assert rejected.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert case.notices.filter(kind=NoticeKind.REJECTION).exists()


def test_an_action_without_the_confirmation_changes_nothing(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    response = post_action(client, case, "accept", confirm=False)

    assert response.status_code == 400
    assert "Tick “I confirm” to go ahead." in page(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_an_action_the_role_does_not_allow_is_forbidden_and_changes_nothing(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.handler)

    response = post_action(client, case, "accept")

    assert response.status_code == 403
    assert "You do not have the role this action needs for this case." in page(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.number is None


def test_an_action_the_state_does_not_allow_is_a_conflict(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(staff.clerk)

    response = post_action(client, case, "reject", reason="重复")

    assert response.status_code == 409
    assert "is not possible while the case is accepted" in page(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_a_stale_form_is_refused_with_a_conflict_and_changes_nothing(client, version, staff):
    case = submitted_case(version)
    stale_revision = case.revision
    client.force_login(staff.clerk)
    page_before = client.get(f"/staff/cases/{case.pk}/")
    assert f'name="expected_revision" value="{stale_revision}"' in page(page_before)
    # Meanwhile a colleague asks for a supplement and the applicant answers it.
    material = version.materials.first()
    services.case_request_supplement(case=case, by=staff.chief, items=[{"material": material.pk}])
    services.case_attach_material(case=case, material=material, upload=pdf(), by=case.applicant)
    services.case_submit(case=case, by=case.applicant)

    response = post_action(client, case, "accept", revision=stale_revision)

    assert response.status_code == 409
    assert "The case has changed since you opened this page" in page(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.number is None


def test_unknown_action_is_not_found(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    assert post_action(client, case, "approve-everything").status_code == 404


def test_actions_accept_only_post(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    assert client.get(f"/staff/cases/{case.pk}/accept/").status_code == 405


def test_the_steps_are_claimed_completed_and_sent_back_through_the_forms(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(staff.handler)

    claim = post_action(client, case, "claim-step", confirm=False, step=open_step(case).pk)
    first = open_step(case)
    empty = post_action(client, case, "complete-step", step=first.pk, opinion="")
    complete = post_action(client, case, "complete-step", step=first.pk, opinion="材料齐全")
    client.force_login(staff.reviewer)
    post_action(client, case, "claim-step", confirm=False, step=open_step(case).pk)
    back = post_action(client, case, "return-step", step=open_step(case).pk, reason="缺现场照片")

    assert claim.status_code == 302
    assert empty.status_code == 400
    assert "Write your opinion before you complete the step." in page(empty)
    assert complete.status_code == 302
    first.refresh_from_db()
    assert first.status == StepStatus.DONE and first.opinion == "材料齐全"
    assert back.status_code == 302
    again = open_step(case)
    assert (again.name, again.assignee) == ("承办", None)
    assert case.steps.filter(status=StepStatus.RETURNED, opinion="缺现场照片").exists()


def test_completing_a_step_claimed_by_someone_else_is_forbidden(client, version, staff):
    case = accepted_case(version, staff)
    colleague = staff_user(Role.HANDLER, department=version.department)
    services.step_claim(step=open_step(case), by=colleague)
    client.force_login(staff.handler)

    response = post_action(client, case, "complete-step", step=open_step(case).pk, opinion="同意")

    assert response.status_code == 403
    assert "Claim this step before you act on it." in page(response)
    assert open_step(case).status == StepStatus.OPEN


def test_a_step_of_another_case_is_refused(client, version, staff):
    case = accepted_case(version, staff)
    other = accepted_case(version, staff)
    client.force_login(staff.handler)

    response = post_action(client, case, "claim-step", step=open_step(other).pk)

    assert response.status_code == 400
    assert open_step(other).assignee is None and open_step(case).assignee is None


def test_suspend_and_resume_through_the_forms_move_the_due_date(client, version, staff):
    case = accepted_case(version, staff)  # due 23 November
    client.force_login(staff.handler)

    bad_days = post_action(
        client, case, "suspend", procedure="testing", reason="送检", expected_days="many"
    )
    not_special = post_action(
        client, case, "suspend", procedure="holiday", reason="休假", expected_days="3"
    )
    suspended = post_action(
        client, case, "suspend", procedure="testing", reason="送检", expected_days="3"
    )
    with time_machine.travel(at(date(2026, 11, 19)), tick=False):
        # Three days on, Monday's session has ended (a working day of inactivity).
        client.force_login(staff.handler)
        resumed = post_action(client, case, "resume")

    assert bad_days.status_code == 400 and not_special.status_code == 400
    assert suspended.status_code == 302 and resumed.status_code == 302
    case.refresh_from_db()
    assert case.clock == "running"
    assert case.due_on == date(2026, 11, 26)  # three working days later
    assert case.suspensions.get().workdays == 3


def test_an_extension_is_requested_on_the_case_and_approved_by_the_leader(client, version, staff):
    case = accepted_case(version, staff)
    client.force_login(staff.handler)
    requested = post_action(client, case, "request-extension", days="5", reason="需补充现场核查")

    client.force_login(staff.approver)
    listing = client.get("/staff/extensions/")
    extension = case.extensions.get()
    approved = post_action(
        client,
        case,
        "approve-extension",
        extension=extension.pk,
        decision="approve",
        next="/staff/extensions/",
    )

    assert requested.status_code == 302
    assert case.number in page(listing) and "需补充现场核查" in page(listing)
    assert approved.status_code == 302 and approved.url == "/staff/extensions/"
    extension.refresh_from_db()
    case.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert case.due_on == date(2026, 11, 30)
    assert case.number not in page(client.get("/staff/extensions/"))


def test_refusing_an_extension_needs_a_note(client, version, staff):
    case = accepted_case(version, staff)
    extension = services.extension_request(case=case, by=staff.handler, days=5, reason="复杂")
    client.force_login(staff.approver)

    without = post_action(
        client, case, "approve-extension", extension=extension.pk, decision="refuse"
    )
    refused = post_action(
        client, case, "approve-extension", extension=extension.pk, decision="refuse", note="不必"
    )

    assert without.status_code == 400
    assert "Say why the extension is refused." in page(without)
    assert refused.status_code == 302
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED


def test_only_the_leader_sees_extension_requests(client, version, staff):
    case = accepted_case(version, staff)
    services.extension_request(case=case, by=staff.handler, days=5, reason="复杂")

    client.force_login(staff.handler)
    assert case.number not in page(client.get("/staff/extensions/"))
    client.force_login(staff.approver)
    assert case.number in page(client.get("/staff/extensions/"))


def test_decide_record_the_fee_and_deliver_through_the_forms(client, version, staff):
    case = accepted_case(version, staff)
    last = run_to_last_step(case, staff)
    client.force_login(last.assignee)

    no_number = post_action(client, case, "decide", decision="approved")
    decided = post_action(
        client,
        case,
        "decide",
        decision="approved",
        licence_number="JY13301000000001",
        valid_until="2031-11-15",
    )
    client.force_login(staff.fee_clerk)
    detail = page(client.get(f"/staff/cases/{case.pk}/"))
    no_reason = post_action(
        client, case, "record-fee", fee_name="工本费", amount="8.00", receipt_number="R1"
    )
    fee = post_action(
        client, case, "record-fee", fee_name="工本费", amount="10.00", receipt_number="R1"
    )
    client.force_login(staff.clerk)
    no_tracking = post_action(client, case, "deliver", method="post")
    delivered = post_action(client, case, "deliver", method="post", tracking_number="SF123")

    assert no_number.status_code == 400
    assert decided.status_code == 302
    assert 'value="10.00"' in detail  # the amount comes prefilled with the standard
    assert no_reason.status_code == 400
    assert "The standard is 10.00 yuan" in page(no_reason)
    assert fee.status_code == 302
    assert no_tracking.status_code == 400
    assert "Give the postal tracking number." in page(no_tracking)
    assert delivered.status_code == 302
    case.refresh_from_db()
    assert case.decision == Decision.APPROVED and case.licence_number == "JY13301000000001"
    assert case.fees.get().receipt_number == "R1"
    assert case.status == CaseStatus.COMPLETED
    assert (case.delivery_method, case.tracking_number) == (DeliveryMethod.POST, "SF123")


def test_a_denial_through_the_form_needs_reasons(client, version, staff):
    case = accepted_case(version, staff)
    last = run_to_last_step(case, staff)
    client.force_login(last.assignee)

    without = post_action(client, case, "decide", decision="denied")
    denied = post_action(client, case, "decide", decision="denied", reasons="不符合法定条件")

    assert without.status_code == 400
    assert "A denial states its reasons (Art. 38)." in page(without)
    assert denied.status_code == 302
    case.refresh_from_db()
    assert case.decision == Decision.DENIED
    assert case.notices.filter(kind=NoticeKind.DENIAL).exists()


def test_a_pending_material_is_brought_through_the_form(client, staff):
    version = item_with_procedure(
        department=staff.clerk.memberships.get().department,
        materials=(("申请书", False), ("场所证明", True)),
    )
    case = accepted_case(version, staff, deferred_due_on=date(2026, 11, 30))
    material = version.materials.get(deferrable=True)
    client.force_login(staff.clerk)
    case.refresh_from_db()

    response = client.post(
        f"/staff/cases/{case.pk}/supply-deferred/",
        {
            "expected_revision": case.revision,
            "confirm": "on",
            "material": material.pk,
            "file": pdf("场所证明.pdf"),
        },
    )

    assert response.status_code == 302
    assert case.submissions.filter(files__material=material).exists()


def test_with_htmx_an_action_answers_with_the_case_panel(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)
    case.refresh_from_db()
    url = f"/staff/cases/{case.pk}/accept/"

    refused = client.post(url, {"expected_revision": case.revision}, headers={"HX-Request": "true"})
    accepted = client.post(
        url,
        {"expected_revision": case.revision, "confirm": "on"},
        headers={"HX-Request": "true"},
    )

    assert refused.status_code == 400
    assert page(refused).lstrip().startswith('<div id="case-detail">')
    assert "Tick “I confirm” to go ahead." in page(refused)
    assert accepted.status_code == 200
    assert page(accepted).lstrip().startswith('<div id="case-detail">')
    case.refresh_from_db()
    assert f"The application is accepted as case {case.number}." in page(accepted)


def test_without_javascript_the_case_page_still_posts_plain_forms(client, version, staff):
    case = submitted_case(version)
    client.force_login(staff.clerk)

    content = page(client.get(f"/staff/cases/{case.pk}/"))

    assert f'<form method="post" action="/staff/cases/{case.pk}/accept/"' in content
    assert "htmx.min.js" in content


# --- window intake ---------------------------------------------------------------------------


def _intake_data(version, **overrides):
    data = {
        "item": version.pk,
        "applicant_kind": "natural",
        "applicant_name": "王五",
        "id_number": ID_NUMBER,
        "contact_phone": "13900139000",
    }
    for material in version.materials.all():
        data[f"material_{material.pk}"] = pdf(f"{material.name}.pdf")
    data.update(overrides)
    return data


def test_intake_offers_the_items_of_my_window_departments(client, version, staff, elsewhere):
    client.force_login(staff.clerk)

    chooser = page(client.get("/staff/intake/"))
    form = page(client.get("/staff/intake/", {"item": version.pk}))

    assert version.name in chooser and elsewhere["version"].name not in chooser
    for material in version.materials.all():
        assert f'name="material_{material.pk}"' in form
    assert client.get("/staff/intake/", {"item": elsewhere["version"].pk}).status_code == 400


def test_walk_in_intake_creates_an_accepted_case_with_a_number(client, version, staff):
    client.force_login(staff.clerk)

    response = client.post("/staff/intake/", _intake_data(version))

    case = Case.objects.get(applicant_name="王五")
    assert response.status_code == 302 and response.url == f"/staff/cases/{case.pk}/"
    assert case.status == CaseStatus.ACCEPTED and case.number
    assert case.channel == "window" and case.created_by == staff.clerk
    assert case.submissions.get().files.count() == 2
    assert case.number in page(client.get(response.url))


def test_walk_in_intake_with_a_bad_id_number_shows_it_and_creates_nothing(client, version, staff):
    client.force_login(staff.clerk)

    response = client.post("/staff/intake/", _intake_data(version, id_number="110105194912310021"))

    assert response.status_code == 400
    assert response.context["form"].errors["id_number"]
    assert not Case.objects.filter(applicant_name="王五").exists()


def test_walk_in_intake_missing_a_material_is_refused(client, version, staff):
    client.force_login(staff.clerk)
    data = _intake_data(version)
    data.pop(f"material_{version.materials.first().pk}")

    response = client.post("/staff/intake/", data)

    assert response.status_code == 400
    assert "Attach these materials before you submit: 申请书." in page(response)
    assert not Case.objects.filter(applicant_name="王五").exists()


def test_an_immediate_item_is_taken_in_and_completed_on_the_spot(client, staff):
    version = item_with_procedure(
        department=staff.clerk.memberships.get().department,
        steps=(),
        materials=PLAIN_MATERIALS,
        processing_type=ProcessingType.IMMEDIATE,
        promised_limit=0,
        statutory_limit=0,
    )
    client.force_login(staff.chief)
    client.post("/staff/intake/", _intake_data(version))
    case = Case.objects.get(applicant_name="王五")

    response = post_action(client, case, "complete-on-the-spot", licence_number="JB2026001")

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.licence_number == "JB2026001"


# --- queries do not grow with the number of cases --------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    rows = len(response.context["page"].object_list) if "page" in response.context else None
    return len(queries), rows


def _busy_department(version, staff, n):
    """``n`` cases in every list: submitted, accepted (half of them claimed), extended, late."""
    for i in range(n):
        submitted_case(version)
        case = accepted_case(version, staff, now=at(date(2026, 11, 2 + i % 5)))
        if i % 2:
            services.step_claim(step=open_step(case), by=staff.handler)
        services.extension_request(case=case, by=staff.handler, days=2, reason="复杂")


LIST_PAGES = {
    "handler": ["/staff/", "/staff/tasks/", "/staff/queue/", "/staff/prereview/", "/staff/cases/"],
    "approver": ["/staff/extensions/"],
}


def test_list_pages_cost_the_same_queries_for_2_and_for_20_cases(client):
    queries, rows = {}, {}
    for n in (2, 20):
        version = item_with_procedure()
        staff = department_staff(version.department)
        _busy_department(version, staff, n)
        for role, urls in LIST_PAGES.items():
            client.force_login(getattr(staff, role))
            for url in urls:
                count, shown = _count_queries(client, url)
                queries.setdefault(url, []).append(count)
                rows.setdefault(url, []).append(shown)

    assert {url: pair[0] for url, pair in queries.items()} == {
        url: pair[1] for url, pair in queries.items()
    }
    # The lists did grow (the case list holds 4 and 40 cases, 25 to a page).
    assert rows == {
        "/staff/": [None, None],
        "/staff/tasks/": [1, 10],
        "/staff/queue/": [1, 10],
        "/staff/prereview/": [2, 20],
        "/staff/cases/": [4, 25],
        "/staff/extensions/": [2, 20],
    }


def test_the_case_page_costs_the_same_queries_however_long_its_history(client):
    counts = []
    for rounds in (1, 6):
        version = item_with_procedure(materials=PLAIN_MATERIALS)
        staff = department_staff(version.department)
        for _ in range(rounds * 3):
            submitted_case(version)  # more cases in the department
        case = accepted_case(version, staff)
        for _ in range(rounds):  # more steps, events and notices on this case
            last = run_to_last_step(case, staff)
            services.step_return(step=last, by=last.assignee, reason="退回重审")
        client.force_login(staff.handler)
        counts.append(_count_queries(client, f"/staff/cases/{case.pk}/")[0])

    assert counts[0] == counts[1]


def test_the_accept_form_asks_for_a_date_only_when_optional_materials_are_missing(
    client, version, staff
):
    complete = submitted_case(version)
    pending = submitted_case(
        item_with_procedure(
            department=version.department, materials=(("申请书", False), ("场所证明", True))
        )
    )
    client.force_login(staff.clerk)

    without_date = page(client.get(f"/staff/cases/{complete.pk}/"))
    with_date = page(client.get(f"/staff/cases/{pending.pk}/"))

    assert 'name="deferred_due_on"' not in without_date
    assert 'name="deferred_due_on"' in with_date and "场所证明" in with_date
