"""Complaints (网上投诉), the services: filed in the hall with or without one of the applicant's
cases or recorded by staff from a phone call; accepted or declined with reasons within the
acceptance limit and answered within the answer limit (working days across a holiday); the
complainant rates the answer once; only the department's leaders handle it."""

from datetime import date

import pytest

from catalog.models import Role
from supervision.complaints import (
    ACCEPT,
    ANSWER,
    DECLINE,
    complaint_accept,
    complaint_actions,
    complaint_answer,
    complaint_decline,
    complaint_file,
    complaint_rate,
    complaints_visible_to,
)
from supervision.models import ComplaintCategory, ComplaintChannel, ComplaintStatus, RuleSet
from tests.factories.catalog import staff_user
from tests.factories.workflow import applicant_user, at
from tests.supervision.office import (
    EVE_OF_NATIONAL_DAY,
    MONDAY,
    national_day_2026,
    supervised_office,
    with_email,
)
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.models import Notification


@pytest.fixture
def office(db):
    return supervised_office()


def file_online(office, *, case=None, by=None, day=MONDAY, **kwargs):
    if by is None:
        by = case.applicant if case is not None else applicant_user()
    kwargs.setdefault("department", None if case is not None else office.department)
    return complaint_file(
        by=by,
        name=kwargs.pop("name", "张三"),
        phone=kwargs.pop("phone", "13800138000"),
        category=kwargs.pop("category", ComplaintCategory.ATTITUDE),
        content=kwargs.pop("content", "窗口工作人员态度生硬，未一次性告知所需材料。"),
        case=case,
        channel=ComplaintChannel.ONLINE,
        now=at(day),
        **kwargs,
    )


# --- filing ---------------------------------------------------------------------------------


def test_a_complaint_filed_on_the_eve_of_national_day_counts_its_limits_in_working_days(office):
    national_day_2026()
    case = office.case(now=at(date(2026, 9, 28)))

    complaint = file_online(office, case=case, day=EVE_OF_NATIONAL_DAY)

    # Filed Wednesday 30 September; the day of filing does not count. 1 – 7 October are off;
    # Thursday 8 (1), Friday 9 (2), Saturday 10, a make-up working day (3), Monday 12 (4),
    # Tuesday 13 (5): accepted or declined by 13 October. Then Wednesday 14 (6), Thursday 15
    # (7), Friday 16 (8), Monday 19 (9), Tuesday 20 (10): answered by 20 October.
    assert complaint.accept_due_on == date(2026, 10, 13)
    assert complaint.answer_due_on == date(2026, 10, 20)
    assert complaint.filed_on == EVE_OF_NATIONAL_DAY
    assert complaint.number == "TS202609300001"
    assert complaint.status == ComplaintStatus.FILED
    assert complaint.department == office.department
    assert complaint.center == office.county
    assert complaint.complainant == case.applicant


def test_the_rule_set_in_force_sets_the_limits(office):
    national_day_2026()
    RuleSet.objects.create(
        effective_from=date(2026, 1, 1), complaint_accept_workdays=2, complaint_answer_workdays=4
    )

    complaint = file_online(office, day=EVE_OF_NATIONAL_DAY)

    assert complaint.accept_due_on == date(2026, 10, 9)
    assert complaint.answer_due_on == date(2026, 10, 12)


def test_numbers_count_per_day(office):
    first = file_online(office)
    second = file_online(office)
    next_day = file_online(office, day=date(2026, 11, 17))

    assert [first.number, second.number, next_day.number] == [
        "TS202611160001",
        "TS202611160002",
        "TS202611170001",
    ]


def test_without_a_case_the_complainant_chooses_the_department_and_its_leaders_are_told(office):
    applicant = office.case().applicant
    Notification.objects.all().delete()

    complaint = file_online(office, by=applicant, department=office.other_department)

    assert complaint.case is None
    assert complaint.department == office.other_department
    assert complaint.center == office.other_county
    told = set(
        Notification.objects.filter(template="complaint_filed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {office.other_approver.pk}


def test_with_a_case_the_department_is_the_cases(office):
    case = office.case()

    complaint = file_online(office, case=case, department=office.other_department)

    assert complaint.case == case
    assert complaint.department == office.department
    leaders = {office.staff.approver.pk, office.staff.chief.pk, office.department.head_id}
    told = set(
        Notification.objects.filter(template="complaint_filed").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == leaders


def test_another_applicants_case_is_refused(office):
    mine, theirs = office.case(), office.case()

    with pytest.raises(InvalidInput) as refused:
        file_online(office, case=theirs, by=mine.applicant)

    assert "case" in refused.value.fields


@pytest.mark.parametrize(
    ("field", "value"),
    [("content", "  "), ("name", ""), ("phone", ""), ("phone", "call me"), ("category", "x")],
)
def test_what_is_missing_is_refused_on_its_field(office, field, value):
    with pytest.raises(InvalidInput) as refused:
        file_online(office, by=office.case().applicant, **{field: value})

    assert field in refused.value.fields


def test_without_a_case_or_a_department_it_is_refused(office):
    with pytest.raises(InvalidInput) as refused:
        file_online(office, by=office.case().applicant, department=None)

    assert "department" in refused.value.fields


def test_staff_of_the_center_and_officers_record_a_phone_complaint(office):
    case = office.case()
    town_clerk = staff_user(Role.WINDOW_CLERK, department=office.department)

    for recorder in (town_clerk, office.staff.chief, office.city_officer):
        complaint = complaint_file(
            by=None,
            name="李四",
            phone="0571-87654321",
            category=ComplaintCategory.FEES,
            content="来电反映收费与公示标准不一致。",
            case=case.pk,
            channel=ComplaintChannel.PHONE,
            recorded_by=recorder,
            now=at(MONDAY),
        )
        assert complaint.channel == ComplaintChannel.PHONE
        assert complaint.complainant is None
        assert complaint.recorded_by == recorder
        assert complaint.department == office.department


def test_a_phone_complaint_is_not_recorded_by_staff_of_another_center_or_a_handler(office):
    for recorder in (office.other_approver, office.staff.handler, office.other_officer):
        with pytest.raises(ActionForbidden):
            complaint_file(
                by=None,
                name="李四",
                phone="13912345678",
                category=ComplaintCategory.OTHER,
                content="来电反映。",
                department=office.department,
                channel=ComplaintChannel.PHONE,
                recorded_by=recorder,
                now=at(MONDAY),
            )


# --- handling -------------------------------------------------------------------------------


def test_the_leader_accepts_then_answers_and_the_complainant_is_told(office):
    case = office.case()
    complaint = file_online(office, case=case)
    approver = office.staff.approver
    assert complaint_actions(complaint, approver) == [ACCEPT, DECLINE]

    with pytest.raises(TransitionNotAllowed):
        complaint_answer(complaint=complaint, by=approver, answer="已处理。", now=at(MONDAY))

    accepted = complaint_accept(complaint=complaint, by=approver, now=at(MONDAY))
    assert accepted.status == ComplaintStatus.ACCEPTED
    assert accepted.decided_on == MONDAY
    assert complaint_actions(accepted, approver) == [ANSWER]
    answered = complaint_answer(
        complaint=complaint,
        by=office.staff.chief,
        answer="经核实，已对相关工作人员批评教育并致歉。",
        now=at(date(2026, 11, 18)),
    )

    assert answered.status == ComplaintStatus.ANSWERED
    assert answered.answered_on == date(2026, 11, 18)
    assert complaint_actions(answered, approver) == []
    told = list(
        Notification.objects.filter(recipient=case.applicant)
        .order_by("id")
        .values_list("template", "address")
    )
    assert ("complaint_accepted", "13800138000") in told
    assert ("complaint_answered", "13800138000") in told


def test_decline_needs_reasons_and_ends_it(office):
    complaint = file_online(office)
    approver = office.staff.approver

    with pytest.raises(InvalidInput) as refused:
        complaint_decline(complaint=complaint, by=approver, reason="  ", now=at(MONDAY))
    assert "reason" in refused.value.fields

    declined = complaint_decline(
        complaint=complaint, by=approver, reason="不属于本部门职责范围。", now=at(MONDAY)
    )
    assert declined.status == ComplaintStatus.DECLINED
    assert declined.decline_reason == "不属于本部门职责范围。"
    with pytest.raises(TransitionNotAllowed):
        complaint_answer(complaint=complaint, by=approver, answer="x", now=at(MONDAY))
    with pytest.raises(TransitionNotAllowed):
        complaint_accept(complaint=complaint, by=approver, now=at(MONDAY))
    assert Notification.objects.filter(
        template="complaint_declined", payload__reason="不属于本部门职责范围。"
    ).exists()


def test_a_phone_complainant_without_an_account_is_told_by_text_message(office):
    complaint = complaint_file(
        by=None,
        name="李四",
        phone="13912345678",
        category=ComplaintCategory.TIME,
        content="来电反映办理时间过长。",
        department=office.department,
        channel=ComplaintChannel.PHONE,
        recorded_by=office.staff.clerk,
        now=at(MONDAY),
    )

    complaint_accept(complaint=complaint, by=office.staff.approver, now=at(MONDAY))

    assert Notification.objects.filter(
        template="complaint_accepted", address="13912345678", recipient__isnull=True
    ).exists()


def test_only_the_departments_leaders_handle_it(office):
    complaint = file_online(office)

    for outsider in (
        office.staff.handler,
        office.staff.clerk,
        office.county_officer,
        office.other_approver,
    ):
        assert complaint_actions(complaint, outsider) == []
        with pytest.raises(ActionForbidden):
            complaint_accept(complaint=complaint, by=outsider, now=at(MONDAY))


def test_officers_read_their_tree_and_leaders_their_department(office):
    complaint = file_online(office)
    elsewhere = file_online(office, department=office.other_department)

    assert set(complaints_visible_to(office.city_officer)) == {complaint, elsewhere}
    assert set(complaints_visible_to(office.county_officer)) == {complaint}
    assert set(complaints_visible_to(office.staff.approver)) == {complaint}
    assert set(complaints_visible_to(office.other_approver)) == {elsewhere}
    assert set(complaints_visible_to(office.staff.handler)) == set()


# --- the complainant's rating ---------------------------------------------------------------


def answered(office, case=None):
    case = case or office.case()
    complaint = file_online(office, case=case)
    complaint_accept(complaint=complaint, by=office.staff.approver, now=at(MONDAY))
    return complaint_answer(
        complaint=complaint, by=office.staff.approver, answer="已致歉。", now=at(MONDAY)
    )


def test_the_complainant_rates_the_answer_once(office):
    complaint = answered(office)
    applicant = complaint.complainant

    rated = complaint_rate(
        complaint=complaint, by=applicant, level=4, comment="处理及时。", now=at(MONDAY)
    )

    assert rated.complainant_level == 4
    assert rated.complainant_comment == "处理及时。"
    with pytest.raises(TransitionNotAllowed):
        complaint_rate(complaint=complaint, by=applicant, level=5, now=at(MONDAY))


def test_only_the_complainant_rates_and_only_after_the_answer(office):
    complaint = answered(office)
    stranger = with_email(office.case().applicant)

    for someone in (stranger, office.staff.approver):
        with pytest.raises(ActionForbidden):
            complaint_rate(complaint=complaint, by=someone, level=5, now=at(MONDAY))

    waiting = file_online(office, case=office.case())
    with pytest.raises(TransitionNotAllowed):
        complaint_rate(complaint=waiting, by=waiting.complainant, level=5, now=at(MONDAY))


def test_a_level_the_scale_in_force_does_not_have_is_refused(office):
    RuleSet.objects.create(effective_from=date(2026, 1, 1), rating_scale="four")
    complaint = answered(office)

    with pytest.raises(InvalidInput):
        complaint_rate(complaint=complaint, by=complaint.complainant, level=5, now=at(MONDAY))
    rated = complaint_rate(complaint=complaint, by=complaint.complainant, level=4, now=at(MONDAY))
    assert rated.complainant_level == 4
