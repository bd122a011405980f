"""The supervision scan: what it raises, escalates, resolves and re-opens, day by day across the
2026 National Day holiday (1–7 October off, Saturday 10 October a make-up working day)."""

import io
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import CenterLevel, Role
from supervision import scan as scan_module
from supervision.models import (
    Alert,
    AlertLevel,
    AlertRule,
    DepartmentFigures,
    RuleSet,
    RuleThreshold,
    Urge,
    UrgeCase,
    UrgeStatus,
)
from supervision.scan import FACT_DAYS, _scan, supervise, workday_before
from tests.factories.catalog import (
    DepartmentFactory,
    ServiceCenterFactory,
    UserFactory,
    WindowFactory,
    staff_user,
)
from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.calendar import calendar_load_from_chinese_calendar, load_work_calendar
from workflow.models import (
    Case,
    Decision,
    DeliveryMethod,
    FeeRecord,
    Notification,
    StepRun,
    StepStatus,
)
from workflow.notifications import TEMPLATES

pytestmark = pytest.mark.django_db

# A case accepted on Wednesday 30 September 2026: its promised 5 working days are 8, 9, 10
# (the make-up Saturday), 12 and 13 October; its first step's 2 are 8 and 9 October.
ACCEPTED = date(2026, 9, 30)
CASE_DUE = date(2026, 10, 13)
STEP_DUE = date(2026, 10, 9)


@pytest.fixture(autouse=True)
def _official_calendar():
    assert 2026 in calendar_load_from_chinese_calendar()


@pytest.fixture
def version():
    return item_with_procedure(
        materials=(("申请书", False),), extension_allowed=True, suspension_allowed=True
    )


@pytest.fixture
def staff(version):
    return department_staff(version.department)


def scan(day: date, hour: int = 9):
    """The scan as it runs from the beat schedule, the clock frozen on ``day``."""
    with time_machine.travel(at(day, hour), tick=False):
        return supervise()


def standing(case: Case | None = None) -> dict[str, str]:
    """{rule: level} of the open alerts (of ``case``)."""
    alerts = Alert.objects.filter(resolved_on__isnull=True)
    if case is not None:
        alerts = alerts.filter(case=case)
    found: dict[str, str] = {}
    for rule, level in alerts.values_list("rule", "level"):
        assert rule not in found, f"two open {rule} alerts"
        found[rule] = level
    return found


def open_step(case: Case) -> StepRun:
    return case.steps.get(status=StepStatus.OPEN)


def test_the_thresholds_are_working_days():
    calendar = load_work_calendar()
    # Three working days before Wednesday 14 October: 13, 12 and the make-up Saturday 10.
    assert workday_before(date(2026, 10, 14), 3, calendar=calendar) == date(2026, 10, 10)
    # Before Thursday 8 October the holiday week is skipped back to 30 September.
    assert workday_before(date(2026, 10, 8), 1, calendar=calendar) == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("day", "case_level", "step_level"),
    [
        # Accepted today; the next working day is 8 October, after the holiday.
        (date(2026, 9, 30), None, None),
        (date(2026, 10, 3), None, None),
        # The first working day after National Day: the step is due the next one.
        (date(2026, 10, 8), None, AlertLevel.REMINDER),
        (STEP_DUE, None, AlertLevel.REMINDER),
        # The make-up Saturday is a working day: the step is overdue on it.
        (date(2026, 10, 10), None, AlertLevel.YELLOW),
        (date(2026, 10, 11), None, AlertLevel.YELLOW),
        # The case is due the next working day; the step is 2 working days over.
        (date(2026, 10, 12), AlertLevel.REMINDER, AlertLevel.YELLOW),
        # Due today; the step is 3 working days over, not more.
        (CASE_DUE, AlertLevel.REMINDER, AlertLevel.YELLOW),
        (date(2026, 10, 14), AlertLevel.YELLOW, AlertLevel.RED),
        # The case 4 working days over (14, 15, 16, 19).
        (date(2026, 10, 19), AlertLevel.RED, AlertLevel.RED),
    ],
)
def test_reminders_and_cards_follow_the_working_days(version, staff, day, case_level, step_level):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    assert (case.due_on, open_step(case).due_on) == (CASE_DUE, STEP_DUE)

    scan(day)

    expected = {}
    if case_level:
        expected[AlertRule.CASE_DUE] = case_level
    if step_level:
        expected[AlertRule.STEP_DUE] = step_level
    assert standing(case) == expected


def test_a_step_overdue_while_its_case_is_not_gets_its_own_card(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))

    result = scan(date(2026, 10, 12))

    step = open_step(case)
    card = Alert.objects.get(rule=AlertRule.STEP_DUE)
    assert (card.subject, card.level, card.step, card.case) == (
        f"step:{step.pk}",
        AlertLevel.YELLOW,
        step,
        case,
    )
    assert (card.department, card.center, card.due_on, card.raised_on) == (
        case.department,
        case.department.center,
        STEP_DUE,
        date(2026, 10, 12),
    )
    # The case itself is on time: only its reminder.
    assert standing(case)[AlertRule.CASE_DUE] == AlertLevel.REMINDER
    assert (result.raised, result.resolved, result.reopened) == (2, 0, 0)


def test_a_suspension_stops_the_reminder_and_a_resumption_reopens_what_still_holds(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    quiet = accepted_case(version, staff, now=at(ACCEPTED))
    services.case_suspend(
        case=quiet,
        by=staff.handler,
        procedure="testing",
        reason="送检验机构检测",
        expected_days=20,
        now=at(date(2026, 10, 9)),
    )
    scan(date(2026, 10, 12))
    assert standing(case) == {
        AlertRule.CASE_DUE: AlertLevel.REMINDER,
        AlertRule.STEP_DUE: AlertLevel.YELLOW,
    }
    # Suspended before its reminder was due: it raises nothing.
    assert standing(quiet) == {}

    services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="testing",
        reason="送检验机构检测",
        expected_days=5,
        now=at(date(2026, 10, 12), 15),
    )
    result = scan(date(2026, 10, 12), hour=16)

    # The clock stopped (Art. 45): neither due soon nor overdue.
    assert standing(case) == {}
    assert result.resolved == 2
    assert set(case.alerts.values_list("resolved_on", flat=True)) == {date(2026, 10, 12)}

    # Resumed on the 14th: the 2 working days lost move the case to the 15th (a reminder
    # again) and the step to the 12th (still overdue); both alerts are re-opened.
    services.case_resume(case=case, by=staff.handler, now=at(date(2026, 10, 14)))
    result = scan(date(2026, 10, 14))

    case.refresh_from_db()
    assert case.due_on == date(2026, 10, 15)
    assert standing(case) == {
        AlertRule.CASE_DUE: AlertLevel.REMINDER,
        AlertRule.STEP_DUE: AlertLevel.YELLOW,
    }
    assert (result.raised, result.reopened) == (0, 2)
    step_card = case.alerts.get(rule=AlertRule.STEP_DUE)
    assert step_card.due_on == date(2026, 10, 12)


def test_an_extension_cancels_the_yellow_card(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    scan(date(2026, 10, 14))
    yellow = case.alerts.get(rule=AlertRule.CASE_DUE)
    assert yellow.level == AlertLevel.YELLOW

    extension = services.extension_request(
        case=case, by=staff.handler, days=10, reason="需现场核查", now=at(date(2026, 10, 14))
    )
    services.extension_decide(
        extension=extension, by=staff.approver, approve=True, now=at(date(2026, 10, 14), 11)
    )
    result = scan(date(2026, 10, 14), hour=12)

    yellow.refresh_from_db()
    assert yellow.resolved_on == date(2026, 10, 14)
    # Due on 27 October now, the step on 23 October: nothing stands.
    assert standing(case) == {}
    assert (result.raised, result.resolved) == (0, 2)


def _urge(case: Case, *, sent_on: date, due_on: date) -> Urge:
    officer = staff_user(Role.SUPERVISION_OFFICER, center=case.department.center)
    urge = Urge.objects.create(
        number=f"DB-{case.pk}",
        department=case.department,
        center=case.department.center,
        message="请说明超期原因",
        respond_within=3,
        sent_by=officer,
        sent_at=at(sent_on),
        sent_on=sent_on,
        due_on=due_on,
    )
    UrgeCase.objects.create(urge=urge, case=case)
    return urge


def test_an_urge_unanswered_past_its_limit_turns_red_until_answered(version, staff):
    case = accepted_case(version, staff, now=at(date(2026, 10, 8)))
    # Sent on 8 October, 3 working days to answer: 9, 10 and 12 October.
    urge = _urge(case, sent_on=date(2026, 10, 8), due_on=date(2026, 10, 12))

    scan(date(2026, 10, 12))
    assert AlertRule.URGE_UNANSWERED not in standing(case)

    scan(date(2026, 10, 13))
    red = case.alerts.get(rule=AlertRule.URGE_UNANSWERED)
    assert (red.subject, red.level, red.due_on) == (
        f"urge:{urge.pk}:case:{case.pk}",
        AlertLevel.RED,
        date(2026, 10, 12),
    )

    Urge.objects.filter(pk=urge.pk).update(
        status=UrgeStatus.ANSWERED, answer="已加快办理", answered_on=date(2026, 10, 14)
    )
    scan(date(2026, 10, 14))
    red.refresh_from_db()
    assert red.resolved_on == date(2026, 10, 14)


def test_a_revoked_card_is_never_reopened_nor_counted(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    scan(date(2026, 10, 14))
    yellow = case.alerts.get(rule=AlertRule.CASE_DUE, level=AlertLevel.YELLOW)
    # The office's review of an appeal revoked it.
    Alert.objects.filter(pk=yellow.pk).update(revoked_on=date(2026, 10, 14))

    scan(date(2026, 10, 14), hour=10)
    figures = DepartmentFigures.objects.get(department=case.department)
    assert (figures.yellow, figures.red) == (0, 1)

    # An extension ends it; when the case is overdue again the revoked card stays closed.
    extension = services.extension_request(
        case=case, by=staff.handler, days=2, reason="需补充核查", now=at(date(2026, 10, 14))
    )
    services.extension_decide(
        extension=extension, by=staff.approver, approve=True, now=at(date(2026, 10, 14), 11)
    )
    scan(date(2026, 10, 14), hour=12)
    case.refresh_from_db()
    assert case.due_on == date(2026, 10, 15)
    result = scan(date(2026, 10, 16))

    yellow.refresh_from_db()
    assert yellow.resolved_on == date(2026, 10, 14) and yellow.revoked_on is not None
    # Not raised a second time either: the revoked card keeps the key.
    assert Alert.objects.filter(subject=yellow.subject, level=AlertLevel.YELLOW).count() == 1
    assert AlertRule.CASE_DUE not in standing(case)
    # What re-opened is the step's red card (its due date moved by 2 days too, still past).
    assert result.reopened == 1 and standing(case)[AlertRule.STEP_DUE] == AlertLevel.RED
    assert DepartmentFigures.objects.get(department=case.department).yellow == 0


@pytest.mark.parametrize(
    ("day", "county", "town"),
    [
        # The rule set's 3 working days: 9, 10 and 12 October are within reach of the 13th
        # only from the 9th; the town's 2 only from the 12th.
        (date(2026, 10, 8), None, None),
        (STEP_DUE, AlertLevel.REMINDER, None),
        (date(2026, 10, 12), AlertLevel.REMINDER, AlertLevel.REMINDER),
        # Red after 5 working days over in the county, after 1 in the town.
        (date(2026, 10, 15), AlertLevel.YELLOW, AlertLevel.RED),
    ],
)
def test_the_rule_set_in_force_and_its_level_override_set_the_thresholds(day, county, town):
    rules = RuleSet.objects.create(
        effective_from=date(2026, 9, 1), reminder_workdays=3, red_after_workdays=5
    )
    RuleThreshold.objects.create(
        rule_set=rules, level=CenterLevel.TOWN, reminder_workdays=2, red_after_workdays=1
    )
    # A later rule set is not in force in October.
    RuleSet.objects.create(effective_from=date(2026, 11, 1), reminder_workdays=10)
    cases = {}
    for level in (CenterLevel.COUNTY, CenterLevel.TOWN):
        center = ServiceCenterFactory(level=level)
        version = item_with_procedure(department=DepartmentFactory(center=center))
        cases[level] = accepted_case(
            version, department_staff(version.department), now=at(ACCEPTED)
        )

    scan(day)

    for level, expected in ((CenterLevel.COUNTY, county), (CenterLevel.TOWN, town)):
        assert standing(cases[level]).get(AlertRule.CASE_DUE) == expected, level


def _snapshot() -> list[tuple]:
    return sorted(
        Alert.objects.values_list(
            "subject", "rule", "level", "due_on", "raised_on", "resolved_on", "department_id"
        )
    )


def test_a_second_scan_raises_nothing(version, staff):
    for day in (ACCEPTED, date(2026, 10, 8), date(2026, 10, 9)):
        accepted_case(version, staff, now=at(day))
    first = scan(date(2026, 10, 14))
    before = _snapshot()

    again = scan(date(2026, 10, 14), hour=10)

    assert first.raised > 0
    assert (again.raised, again.resolved, again.reopened, again.notified) == (0, 0, 0, 0)
    assert _snapshot() == before


def test_an_escalation_closes_the_lower_card_and_a_finished_step_its_own(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    scan(date(2026, 10, 13))
    step = open_step(case)

    scan(date(2026, 10, 14))
    yellow = Alert.objects.get(subject=f"step:{step.pk}", level=AlertLevel.YELLOW)
    red = Alert.objects.get(subject=f"step:{step.pk}", level=AlertLevel.RED)
    assert (yellow.resolved_on, red.resolved_on) == (date(2026, 10, 14), None)

    services.step_claim(step=step, by=staff.handler, now=at(date(2026, 10, 14), 10))
    services.step_complete(
        step=step, by=staff.handler, opinion="同意", now=at(date(2026, 10, 14), 11)
    )
    scan(date(2026, 10, 14), hour=12)

    red.refresh_from_db()
    assert red.resolved_on == date(2026, 10, 14)
    # The review step opened today has 1 working day: a reminder for the 15th.
    review = open_step(case)
    assert Alert.objects.get(subject=f"step:{review.pk}").level == AlertLevel.REMINDER


def test_the_monitoring_rooms_figures(version, staff):
    day = date(2026, 10, 14)
    submitted_case(version, now=at(day))
    late = accepted_case(version, staff, now=at(ACCEPTED))  # case yellow, step red
    due = accepted_case(version, staff, now=at(date(2026, 10, 8)))  # due today, step yellow
    paused = accepted_case(version, staff, now=at(ACCEPTED))
    services.case_suspend(
        case=paused,
        by=staff.handler,
        procedure="expert_review",
        reason="专家评审",
        expected_days=20,
        now=at(date(2026, 10, 9)),
    )
    assert (late.due_on, due.due_on) == (CASE_DUE, day)

    scan(day)

    figures = DepartmentFigures.objects.get(department=version.department)
    assert figures.center_id == version.department.center_id
    assert (
        figures.received_today,
        figures.prereview,
        figures.in_progress,
        figures.suspended,
        figures.due_within_day,
        figures.yellow,
        figures.red,
    ) == (1, 1, 3, 1, 1, 2, 1)
    assert figures.taken_at == at(day, 9)


def test_the_people_concerned_are_told_through_the_outbox(version, staff):
    county = version.department.center
    city = ServiceCenterFactory(level=CenterLevel.CITY)
    county.parent, county.level = city, CenterLevel.COUNTY
    county.save()
    other_county = ServiceCenterFactory(level=CenterLevel.COUNTY, parent=city)
    head = UserFactory(email="head@example.cn")
    version.department.head = head
    version.department.save()
    staff.handler.email = "handler@example.cn"
    staff.handler.save()
    officers = {
        "county": staff_user(Role.SUPERVISION_OFFICER, center=county),
        "city": staff_user(Role.SUPERVISION_OFFICER, center=city),
        "other": staff_user(Role.SUPERVISION_OFFICER, center=other_county),
    }
    for name, officer in officers.items():
        officer.email = f"{name}@example.cn"
        officer.save()
    case = accepted_case(version, staff, now=at(ACCEPTED))
    services.step_claim(step=open_step(case), by=staff.handler, now=at(ACCEPTED))

    scan(date(2026, 10, 12))
    ours = Notification.objects.filter(template__in=["alert_raised", "red_card"])
    sent = {(n.template, n.address, n.payload["level"]) for n in ours}
    # The case's reminder goes to the assignee only; the step's yellow card to the head too.
    assert sent == {
        ("alert_raised", "handler@example.cn", "Reminder"),
        ("alert_raised", "handler@example.cn", "Yellow card"),
        ("alert_raised", "head@example.cn", "Yellow card"),
    }
    ours.delete()

    scan(date(2026, 10, 14))
    red = {n.address for n in Notification.objects.filter(template="red_card")}
    assert red == {"handler@example.cn", "head@example.cn", "county@example.cn", "city@example.cn"}
    yellow = {n.address for n in Notification.objects.filter(template="alert_raised")}
    assert yellow == {"handler@example.cn", "head@example.cn"}
    message = Notification.objects.filter(template="red_card").first()
    assert message.case == case and message.channel == "email"
    body = str(TEMPLATES["red_card"][1]) % message.payload
    assert case.number in body and "Step due date" in body


def test_supervise_on_a_day_reproduces_that_days_cards(version, staff):
    for day in (ACCEPTED, date(2026, 10, 8), date(2026, 10, 12)):
        accepted_case(version, staff, now=at(day))
    scan(date(2026, 10, 14))
    cards = _snapshot()
    Alert.objects.all().delete()
    DepartmentFigures.objects.all().delete()

    out = io.StringIO()
    call_command("supervise", "--on", "2026-10-14", stdout=out)

    assert _snapshot() == cards
    assert out.getvalue().startswith(
        f"Supervision scan of 2026-10-14: {len(cards)} alerts raised, 0 resolved, 0 re-opened"
    )


def test_supervise_refuses_a_date_it_cannot_read():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("supervise", "--on", "14/10/2026")


# --- the other rules ------------------------------------------------------------------------


def test_a_pre_review_answer_late_turns_yellow_then_red_until_answered(version, staff):
    case = submitted_case(version, now=at(ACCEPTED))
    # Received 30 September: 5 working days are 8, 9, 10 (make-up), 12 and 13 October.
    round_ = case.submissions.get()
    assert round_.intake_due_on == CASE_DUE

    scan(CASE_DUE)
    assert standing(case) == {}
    scan(date(2026, 10, 16))
    assert standing(case) == {AlertRule.PREREVIEW_LATE: AlertLevel.YELLOW}
    scan(date(2026, 10, 19))
    assert standing(case) == {AlertRule.PREREVIEW_LATE: AlertLevel.RED}
    assert case.alerts.get(level=AlertLevel.RED).subject == f"submission:{round_.pk}"

    services.case_accept(case=case, by=staff.clerk, now=at(date(2026, 10, 19), 11))
    scan(date(2026, 10, 19), hour=12)
    assert AlertRule.PREREVIEW_LATE not in standing(case)


def _decide(case: Case, staff, day: date) -> Case:
    last = run_to_last_step(case, staff, now=at(day))
    services.case_decide(
        case=case,
        by=last.assignee,
        decision=Decision.APPROVED,
        licence_number="JY13301000000001",
        now=at(day),
    )
    case.refresh_from_db()
    return case


def test_a_late_decision_and_a_late_delivery_are_carded(version, staff):
    case = _decide(accepted_case(version, staff, now=at(ACCEPTED)), staff, date(2026, 10, 14))
    # Decided the day after its due date; to deliver within 10 working days, by 28 October.
    assert case.delivery_due_on == date(2026, 10, 28)

    scan(date(2026, 10, 14))
    assert standing(case) == {AlertRule.COMPLETED_LATE: AlertLevel.YELLOW}
    scan(date(2026, 10, 29))
    assert standing(case)[AlertRule.DELIVERY_LATE] == AlertLevel.YELLOW
    scan(date(2026, 11, 4))
    assert standing(case)[AlertRule.DELIVERY_LATE] == AlertLevel.RED

    services.case_deliver(
        case=case, by=staff.clerk, method=DeliveryMethod.PICKUP, now=at(date(2026, 11, 4), 11)
    )
    scan(date(2026, 11, 4), hour=12)
    # Delivered late: the red card closes, the yellow one stands for the record.
    assert standing(case)[AlertRule.DELIVERY_LATE] == AlertLevel.YELLOW

    # A past fact stays on the open lists for FACT_DAYS, then closes.
    scan(date(2026, 11, 4) + timedelta(days=FACT_DAYS + 1))
    assert standing(case) == {}
    assert case.alerts.count() == 3


def test_a_fee_off_the_standard_is_carded(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    fee = FeeRecord.objects.create(
        case=case,
        name="工本费",
        standard_amount=Decimal("100.00"),
        amount=Decimal("80.00"),
        receipt_number="SK-1",
        recorded_by=staff.fee_clerk,
        recorded_at=at(date(2026, 10, 8)),
    )
    FeeRecord.objects.create(
        case=case,
        name="登记费",
        standard_amount=Decimal("50.00"),
        amount=Decimal("50.00"),
        receipt_number="SK-2",
        recorded_by=staff.fee_clerk,
        recorded_at=at(date(2026, 10, 8)),
    )

    scan(date(2026, 10, 8))

    card = case.alerts.get(rule=AlertRule.FEE_DEVIATION)
    assert (card.subject, card.level, card.due_on) == (f"fee:{fee.pk}", AlertLevel.YELLOW, None)


def test_a_suspension_past_its_expected_end_is_carded_until_resumed(version, staff):
    case = accepted_case(version, staff, now=at(ACCEPTED))
    suspension = services.case_suspend(
        case=case,
        by=staff.handler,
        procedure="testing",
        reason="送检验机构检测",
        expected_days=2,
        now=at(date(2026, 10, 8)),
    )
    # Expected to end on the make-up Saturday, 10 October.
    scan(date(2026, 10, 10))
    assert standing(case) == {}
    scan(date(2026, 10, 12))
    card = case.alerts.get(rule=AlertRule.SUSPENSION_OVERRUN)
    assert (card.subject, card.due_on) == (f"suspension:{suspension.pk}", date(2026, 10, 10))

    services.case_resume(case=case, by=staff.handler, now=at(date(2026, 10, 13)))
    scan(date(2026, 10, 13))
    card.refresh_from_db()
    assert card.resolved_on == date(2026, 10, 13)


def test_a_window_whose_departments_took_in_nothing_last_month_is_carded(version, staff):
    busy = version.department
    idle_a = DepartmentFactory(center=busy.center, code="Z02")
    idle_b = DepartmentFactory(center=busy.center, code="Z01")
    quiet_window = WindowFactory(center=busy.center)
    quiet_window.departments.set([idle_a, idle_b])
    busy_window = WindowFactory(center=busy.center)
    busy_window.departments.set([busy, idle_a])
    accepted_case(version, staff, now=at(date(2026, 9, 14)))

    scan(date(2026, 10, 8))

    card = Alert.objects.get(rule=AlertRule.ZERO_INTAKE)
    assert (card.subject, card.department, card.center, card.due_on) == (
        f"window:{quiet_window.pk}:2026-09",
        idle_b,
        busy.center,
        None,
    )
    # Next month the September card closes, and October's empty month is carded.
    scan(date(2026, 11, 2))
    card.refresh_from_db()
    assert card.resolved_on == date(2026, 11, 2)
    assert set(
        Alert.objects.filter(rule=AlertRule.ZERO_INTAKE, resolved_on__isnull=True).values_list(
            "subject", flat=True
        )
    ) == {f"window:{quiet_window.pk}:2026-10", f"window:{busy_window.pk}:2026-10"}


def test_a_question_answered_late_is_carded(version):
    from portal.models import Consultation

    asker = UserFactory()
    question = Consultation.objects.create(
        applicant=asker,
        item=version.item,
        item_version=version,
        department=version.department,
        question="需要哪些材料？",
        asked_at=at(date(2026, 9, 29)),
        due_on=date(2026, 10, 9),
    )

    scan(date(2026, 10, 9))
    assert not Alert.objects.exists()
    scan(date(2026, 10, 10))
    card = Alert.objects.get()
    assert (card.rule, card.subject, card.case) == (
        AlertRule.CONSULTATION_LATE,
        f"consultation:{question.pk}",
        None,
    )

    Consultation.objects.filter(pk=question.pk).update(
        status="answered",
        answer="见办事指南",
        answered_at=at(date(2026, 10, 12)),
        answered_on=date(2026, 10, 12),
    )
    scan(date(2026, 10, 12))
    card.refresh_from_db()
    assert card.resolved_on is None


# --- at scale: the statements do not grow with the cases ---------------------------------


def _copies(case: Case, n: int) -> None:
    """``n`` more cases like ``case`` (accepted the same day, the same steps), written in
    bulk: the scan reads rows, it does not care how they came."""
    steps = list(case.steps.all())
    copies = []
    for index in range(n):
        copy = Case.objects.get(pk=case.pk)
        copy.pk = None
        copy.number = f"{case.number}-{index}"
        copies.append(copy)
    Case.objects.bulk_create(copies)
    runs = []
    for copy in copies:
        for step in steps:
            step.pk = None
            step.case = copy
            runs.append(
                StepRun(
                    **{f.attname: getattr(step, f.attname) for f in StepRun._meta.concrete_fields}
                )
            )
    StepRun.objects.bulk_create(runs)


def test_the_scans_statements_do_not_grow_with_the_cases(version, staff):
    # The head has no address: SQLite splits a bulk insert of messages by its 999 parameters
    # (PostgreSQL writes them in one statement); the scan's own statements are counted here.
    version.department.head = staff.approver
    version.department.save()
    load_work_calendar()
    counted = []
    for size, day in ((10, ACCEPTED), (200, date(2026, 10, 8))):
        case = accepted_case(version, staff, now=at(day))
        _copies(case, size - 1)
        with CaptureQueriesContext(connection) as first:
            raised = scan(date(2026, 10, 14))
        with CaptureQueriesContext(connection) as again:
            scan(date(2026, 10, 14), hour=10)
        assert raised.raised == 2 * size
        # What the scan counts is what it sent, the test's savepoint aside.
        sent = [q for q in first.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert raised.statements == len(sent)
        counted.append((len(first), len(again)))

    assert counted[0] == counted[1]


# --- on PostgreSQL, at once ------------------------------------------------------------------

on_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="scans and transitions at once need PostgreSQL's locks (set DATABASE_URL to one)",
    ),
    # Threads see only committed rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _apply(marks):
    def decorate(test):
        for mark in reversed(marks):
            test = mark(test)
        return test

    return decorate


def _in_thread(function, started: threading.Event | None = None):
    outcome: dict = {}

    def run():
        try:
            connection.ensure_connection()
            outcome["result"] = function()
        except Exception as error:  # noqa: BLE001 - the test reads it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@_apply(on_postgres)
def test_scans_and_a_transition_at_once_never_raise_an_alert_twice(version, staff):
    cases = [accepted_case(version, staff, now=at(ACCEPTED)) for _ in range(4)]
    moving = cases[0]
    day = date(2026, 10, 14)
    barrier = threading.Barrier(3, timeout=30)

    def unlocked_scan():
        # The advisory lock is what keeps scans apart; here two run side by side without
        # it, so that only the alerts' unique key stands between them.
        with transaction.atomic(), connection.cursor() as cursor:
            barrier.wait()
            return _scan(cursor, today=day, now=at(day, 9), postgres=True)

    def transition():
        step = open_step(Case.objects.get(pk=moving.pk))
        barrier.wait()
        services.step_claim(step=step, by=staff.handler, now=at(day, 9))
        services.step_complete(step=step, by=staff.handler, opinion="同意", now=at(day, 9))

    running = [_in_thread(unlocked_scan), _in_thread(unlocked_scan), _in_thread(transition)]
    for thread, _outcome in running:
        thread.join(timeout=60)
    assert [outcome.get("error") for _thread, outcome in running] == [None, None, None]
    # Each subject once at each level, whichever scan saw the transition.
    raised = [outcome["result"]["raised"] for _thread, outcome in running[:2]]
    assert sum(raised) == Alert.objects.count()
    for case in cases[1:]:
        assert standing(case) == {
            AlertRule.CASE_DUE: AlertLevel.YELLOW,
            AlertRule.STEP_DUE: AlertLevel.RED,
        }

    # The next scan settles what the transition changed.
    supervise(today=day, now=at(day, 10))
    assert standing(Case.objects.get(pk=moving.pk)) == {
        AlertRule.CASE_DUE: AlertLevel.YELLOW,
        AlertRule.STEP_DUE: AlertLevel.REMINDER,
    }


@_apply(on_postgres)
def test_of_two_scans_at_once_one_runs_and_the_other_is_skipped(version, staff, monkeypatch):
    accepted_case(version, staff, now=at(ACCEPTED))
    inside, release = threading.Event(), threading.Event()
    announce = scan_module._announce

    def slow_announce(*args, **kwargs):
        if not inside.is_set():
            inside.set()
            assert release.wait(timeout=30)
        return announce(*args, **kwargs)

    monkeypatch.setattr(scan_module, "_announce", slow_announce)
    day = date(2026, 10, 14)
    thread, outcome = _in_thread(lambda: supervise(today=day, now=at(day, 9)))
    assert inside.wait(timeout=30)

    second = supervise(today=day, now=at(day, 9))
    release.set()
    thread.join(timeout=60)

    assert second.skipped and second.raised == 0
    first = outcome["result"]
    assert not first.skipped and first.raised == 2
    assert Alert.objects.count() == 2


def test_a_staff_member_with_a_mobile_phone_gets_the_card_by_text_message_too(version, staff):
    from catalog.models import StaffContact

    head = UserFactory(email="")
    StaffContact.objects.create(user=head, mobile="13912345678")
    version.department.head = head
    version.department.save()
    staff.handler.email = "handler@example.cn"
    staff.handler.save()
    StaffContact.objects.create(user=staff.handler, mobile="13712345678")
    case = accepted_case(version, staff, now=at(ACCEPTED))
    services.step_claim(step=open_step(case), by=staff.handler, now=at(ACCEPTED))

    scan(date(2026, 10, 12))

    sent = {
        (n.channel, n.address)
        for n in Notification.objects.filter(template="alert_raised", payload__level="Yellow card")
    }
    # The head has no e-mail address: the text message alone; the handler both.
    assert sent == {
        ("sms", "13912345678"),
        ("sms", "13712345678"),
        ("email", "handler@example.cn"),
    }
