"""A change of the holiday schedule moves the open due dates measured on the changed days.

The December case: 2027's schedule is not published when a case is accepted in December 2026,
so its dates in 2027 are counted Monday to Friday; when the schedule is entered they must move.
The 2027 days below are made up for the tests (元旦 on Friday 1 January, 春节 from Monday 8 to
Friday 12 February, a make-up Saturday on 20 February) until the State Council publishes them.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from catalog.models import Role
from tests.factories import staff_user
from tests.factories.calendar import CalendarDayFactory, CalendarYearFactory
from tests.factories.catalog import PASSWORD
from tests.factories.workflow import (
    at,
    decided_case,
    department_staff,
    item_with_procedure,
    joint_case_taken_in,
    joint_item_of_two,
    submitted_case,
)
from workflow import calendar as calendar_store
from workflow import services
from workflow.calendar import calendar_load_from_chinese_calendar, chinese_calendar_exceptions
from workflow.models import (
    Case,
    CaseEvent,
    CaseStatus,
    JointCaseEvent,
    Notification,
    StepStatus,
)
from workflow.services.reprojection import due_dates_reproject

pytestmark = pytest.mark.django_db

DECEMBER_MONDAY = date(2026, 12, 21)
SCHEDULE_2027 = [
    (date(2027, 1, 1), False, "元旦"),
    *[(date(2027, 2, day), False, "春节") for day in (8, 9, 10, 11, 12)],
    (date(2027, 2, 20), True, "春节"),
]


@pytest.fixture(autouse=True)
def _schedules_up_to_2026():
    years = calendar_load_from_chinese_calendar()
    assert 2026 in years
    assert 2027 not in years


def _item(*, promised: int, statutory: int):
    return item_with_procedure(
        promised_limit=promised,
        statutory_limit=statutory,
        steps=(("承办", Role.HANDLER, 2), ("审批", Role.APPROVER, 1)),
        materials=(("申请书", False),),
        extension_allowed=True,
        suspension_allowed=True,
    )


def _accept(version, day: date):
    staff = department_staff(version.department)
    case = submitted_case(version, now=at(day))
    services.case_accept(case=case, by=staff.clerk, now=at(day))
    case.refresh_from_db()
    return case, staff


@pytest.fixture
def december_case():
    # Accepted Monday 21 December 2026, counted Monday to Friday into 2027:
    # promised 30: Dec 22–25 (4), 28–31 (8), Jan 1 (9), Jan 4 – Jan 29 (29), Feb 1 (30);
    # statutory 40: Feb 2–5 (34), 8–12 (39), Feb 15 (40). First step (2): Dec 22, 23.
    case, staff = _accept(_item(promised=30, statutory=40), DECEMBER_MONDAY)
    assert (case.due_on, case.statutory_due_on) == (date(2027, 2, 1), date(2027, 2, 15))
    return case


@pytest.fixture
def december_case_moved_to():
    # With 2027's schedule: Jan 1 off, so Feb 1 is the 29th and Feb 2 the 30th; Feb 3–5 (33),
    # 8–12 off, Feb 15–19 (38), Saturday Feb 20 (39), Feb 22 (40).
    return date(2027, 2, 2), date(2027, 2, 22)


@pytest.fixture
def unaffected_case():
    # Accepted Tuesday 1 December 2026, all its dates in December: promised 5, Dec 8;
    # statutory 10, Dec 15.
    case, _staff = _accept(_item(promised=5, statutory=10), date(2026, 12, 1))
    assert (case.due_on, case.statutory_due_on) == (date(2026, 12, 8), date(2026, 12, 15))
    return case


def _year_form(year, days):
    data = {
        "year": str(year),
        "source": f"国务院办公厅关于{year}年部分节假日安排的通知",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, (day, is_workday, name) in enumerate(days):
        data[f"days-{i}-date"] = day.isoformat()
        data[f"days-{i}-name"] = name
        if is_workday:
            data[f"days-{i}-is_workday"] = "on"
    return data


def _admin(client):
    user = staff_user(Role.CATALOG_ADMINISTRATOR)
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)


def _reproject_events(case):
    return list(CaseEvent.objects.filter(case=case, action="reproject"))


def test_entering_2027_in_the_admin_moves_the_december_case(
    client,
    december_case,
    december_case_moved_to,
    unaffected_case,
    django_capture_on_commit_callbacks,
):
    revision = december_case.revision
    untouched = Case.objects.filter(pk=unaffected_case.pk).values().get()
    _admin(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/workflow/calendaryear/add/", _year_form(2027, SCHEDULE_2027))

    assert response.status_code == 302
    december_case.refresh_from_db()
    assert (december_case.due_on, december_case.statutory_due_on) == december_case_moved_to
    assert december_case.revision == revision + 1
    assert december_case.status == CaseStatus.ACCEPTED
    [event] = _reproject_events(december_case)
    assert event.from_status == event.to_status == CaseStatus.ACCEPTED
    assert event.data == {
        "old": {"due_on": "2027-02-01", "statutory_due_on": "2027-02-15"},
        "new": {"due_on": "2027-02-02", "statutory_due_on": "2027-02-22"},
    }
    assert "2027" in event.reason
    # The first step is due on Wednesday 23 December 2026 either way.
    step = december_case.steps.get(status=StepStatus.OPEN)
    assert step.due_on == date(2026, 12, 23)
    notice = Notification.objects.get(case=december_case, template="due_date_moved")
    assert notice.payload["due_on"] == "2027-02-02"
    assert notice.payload["was"] == "2027-02-01"
    assert notice.recipient == december_case.applicant
    # The December-only case is not even looked at.
    assert Case.objects.filter(pk=unaffected_case.pk).values().get() == untouched
    assert _reproject_events(unaffected_case) == []
    assert not Notification.objects.filter(case=unaffected_case, template="due_date_moved")


def test_a_day_corrected_in_the_admin_moves_the_open_step_and_tells_its_assignee(
    client, django_capture_on_commit_callbacks
):
    # Accepted Monday 21 December 2026 with 2027 already entered: the handler claims the first
    # step (4 days: Dec 22, 23, 24, 25), due Friday 25 December; then 25 December is declared
    # a holiday after all, so it is due Monday 28 December.
    year = CalendarYearFactory(year=2027)
    for day, is_workday, name in SCHEDULE_2027:
        CalendarDayFactory(year=year, date=day, is_workday=is_workday, name=name)
    calendar_store.clear_work_calendar_cache()
    version = item_with_procedure(
        promised_limit=10,
        statutory_limit=20,
        steps=(("承办", Role.HANDLER, 4),),
        materials=(("申请书", False),),
    )
    case, staff = _accept(version, DECEMBER_MONDAY)
    step = case.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=step, by=staff.handler, now=at(DECEMBER_MONDAY))
    staff.handler.email = "handler@example.cn"
    staff.handler.save()
    assert case.steps.get(status=StepStatus.OPEN).due_on == date(2026, 12, 25)
    _admin(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/workflow/calendarday/add/",
            {"year": _year_id(2026), "date": "2026-12-25", "name": "测试", "is_workday": ""},
        )

    assert response.status_code == 302
    assert case.steps.get(status=StepStatus.OPEN).due_on == date(2026, 12, 28)
    [event] = _reproject_events(case)
    assert event.data["old"]["step_due_on"] == "2026-12-25"
    assert event.data["new"]["step_due_on"] == "2026-12-28"
    assert event.step_id == step.pk
    staff_notice = Notification.objects.get(case=case, recipient=staff.handler)
    assert staff_notice.template == "due_date_moved"
    assert staff_notice.payload["due_on"] == "2026-12-28"


def _year_id(year):
    from workflow.models import CalendarYear

    return CalendarYear.objects.get(year=year).pk


def test_the_loader_bringing_2027_moves_the_december_case(
    monkeypatch,
    december_case,
    december_case_moved_to,
    unaffected_case,
    django_capture_on_commit_callbacks,
):
    # A newer chinese_calendar release that knows 2027.
    known = chinese_calendar_exceptions()
    known[2027] = {day: (is_workday, name) for day, is_workday, name in SCHEDULE_2027}
    monkeypatch.setattr(calendar_store, "chinese_calendar_exceptions", lambda: known)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_calendar", stdout=StringIO())

    december_case.refresh_from_db()
    assert (december_case.due_on, december_case.statutory_due_on) == december_case_moved_to
    assert len(_reproject_events(december_case)) == 1
    assert Notification.objects.filter(case=december_case, template="due_date_moved").count() == 1
    assert _reproject_events(unaffected_case) == []


def test_running_it_again_moves_nothing(december_case, december_case_moved_to):
    year = CalendarYearFactory(year=2027)
    for day, is_workday, name in SCHEDULE_2027:
        CalendarDayFactory(year=year, date=day, is_workday=is_workday, name=name)
    calendar_store.clear_work_calendar_cache()
    changed = [day for day, _workday, _name in SCHEDULE_2027]

    assert due_dates_reproject(changed_days=changed, reason="2027") == 1
    assert due_dates_reproject(changed_days=changed, reason="2027") == 0
    december_case.refresh_from_db()
    assert (december_case.due_on, december_case.statutory_due_on) == december_case_moved_to
    assert len(_reproject_events(december_case)) == 1


def test_suspensions_and_extensions_count_as_the_services_count_them(december_case):
    # Suspended on Tue 22 December and resumed on Tue 29 December (Dec 23–25, 28, 29: five
    # working days), then 10 days of extension approved: the dates are derived again from the
    # rows, exactly as case_recompute_due_dates derives them.
    staff = department_staff(december_case.department)
    services.case_suspend(
        case=december_case,
        by=staff.handler,
        procedure="expert_review",
        reason="专家评审",
        expected_days=5,
        now=at(date(2026, 12, 22)),
    )
    services.case_resume(case=december_case, by=staff.handler, now=at(date(2026, 12, 29)))
    extension = services.extension_request(
        case=december_case, by=staff.handler, days=10, reason="情况复杂", now=at(date(2026, 12, 29))
    )
    services.extension_decide(
        extension=extension, by=staff.approver, approve=True, now=at(date(2026, 12, 29))
    )
    year = CalendarYearFactory(year=2027)
    for day, is_workday, name in SCHEDULE_2027:
        CalendarDayFactory(year=year, date=day, is_workday=is_workday, name=name)
    calendar_store.clear_work_calendar_cache()

    assert due_dates_reproject(changed_days=[date(2027, 1, 1), date(2027, 2, 20)], reason="x") == 1

    december_case.refresh_from_db()
    expected = services.case_recompute_due_dates(december_case)
    assert (december_case.due_on, december_case.statutory_due_on) == (
        expected.due_on,
        expected.statutory_due_on,
    )
    # 30 + 5 suspended + 10 extension = 45 working days after Dec 21 on the 2027 schedule:
    # Mar 1; 40 + 15 = 55: Mar 2–5 (49), 8–12 (54), Mar 15.
    assert (december_case.due_on, december_case.statutory_due_on) == (
        date(2027, 3, 1),
        date(2027, 3, 15),
    )


def test_the_query_count_does_not_grow_with_the_cases(django_assert_num_queries):
    # Cases whose dates are already right are read in batches and not written.
    version = _item(promised=30, statutory=40)
    changed = [date(2027, 1, 1)]
    _accept(version, DECEMBER_MONDAY)
    with CaptureQueriesContext(connection) as one:
        assert due_dates_reproject(changed_days=changed, reason="x") == 0
    for _ in range(5):
        _accept(version, DECEMBER_MONDAY)
    with django_assert_num_queries(len(one)):
        assert due_dates_reproject(changed_days=changed, reason="x") == 0


def test_a_decided_case_awaiting_delivery_and_an_application_awaiting_an_answer_move():
    # Decided Thursday 24 December 2026: delivery within 10 working days, Dec 25 … Jan 7
    # Monday to Friday (Dec 25, 28–31, Jan 1, 4–7), Jan 8 once 1 January is a holiday.
    # Received Thursday 31 December: the window answers within 5, Jan 1, 4–7 → Jan 7, then
    # Jan 4–8 → Jan 8.
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    decided = decided_case(version, staff, now=at(date(2026, 12, 24)))
    assert decided.delivery_due_on == date(2027, 1, 7)
    waiting = submitted_case(version, now=at(date(2026, 12, 31)))
    assert waiting.submissions.get().intake_due_on == date(2027, 1, 7)
    CalendarDayFactory(date=date(2027, 1, 1), name="元旦")
    calendar_store.clear_work_calendar_cache()

    assert due_dates_reproject(changed_days=[date(2027, 1, 1)], reason="元旦") == 2

    decided.refresh_from_db()
    assert decided.delivery_due_on == date(2027, 1, 8)
    assert waiting.submissions.get().intake_due_on == date(2027, 1, 8)
    [event] = _reproject_events(waiting)
    assert event.data == {
        "old": {"intake_due_on": "2027-01-07"},
        "new": {"intake_due_on": "2027-01-08"},
    }
    # The answer date is the window's: the applicant was never given it.
    assert not Notification.objects.filter(case=waiting, template="due_date_moved")
    assert Notification.objects.filter(case=decided, template="due_date_moved").exists()


def test_an_open_joint_case_moves_with_its_sub_cases():
    # 45 working days after Monday 21 December 2026: Feb 22 Monday to Friday, Mar 1 on the
    # 2027 schedule (see the December case: the 40th is Feb 22, then Feb 23–26, Mar 1).
    joint_item, lead_item, other_item = joint_item_of_two()
    lead = department_staff(lead_item.department)
    joint = joint_case_taken_in(
        joint_item, lead_item, other_item, by=lead.clerk, now=at(DECEMBER_MONDAY)
    )
    assert joint.due_on == date(2027, 2, 22)
    year = CalendarYearFactory(year=2027)
    for day, is_workday, name in SCHEDULE_2027:
        CalendarDayFactory(year=year, date=day, is_workday=is_workday, name=name)
    calendar_store.clear_work_calendar_cache()

    assert due_dates_reproject(changed_days=None, reason="2027") == 3

    joint.refresh_from_db()
    assert joint.due_on == date(2027, 3, 1)
    assert set(joint.sub_cases.values_list("due_on", flat=True)) == {date(2027, 3, 1)}
    [event] = JointCaseEvent.objects.filter(joint_case=joint, action="reproject")
    assert event.data["old"] == {"due_on": "2027-02-22"}


def test_the_command_recomputes_every_open_date_with_all(december_case, december_case_moved_to):
    # Days written behind the admin's back (a shell session): the command reads them fresh.
    year = CalendarYearFactory(year=2027)
    for day, is_workday, name in SCHEDULE_2027:
        CalendarDayFactory(year=year, date=day, is_workday=is_workday, name=name)
    out = StringIO()

    call_command("recompute_due_dates", "--all", "--reason", "补录2027年安排", stdout=out)

    assert out.getvalue().strip() == "1 case moved."
    december_case.refresh_from_db()
    assert (december_case.due_on, december_case.statutory_due_on) == december_case_moved_to
    [event] = _reproject_events(december_case)
    assert event.reason == "补录2027年安排"


def test_the_command_takes_the_changed_days(december_case):
    CalendarDayFactory(date=date(2027, 1, 1), name="元旦")
    out = StringIO()
    call_command("recompute_due_dates", "2027-01-01", stdout=out)
    assert out.getvalue().strip() == "1 case moved."
    assert _reproject_events(december_case)[0].reason


@pytest.mark.parametrize("args", [(), ("--all", "2027-01-01"), ("2027-13-01",)])
def test_the_command_needs_days_or_all(args):
    with pytest.raises(CommandError):
        call_command("recompute_due_dates", *args, stdout=StringIO())
