"""Notifications: written with the event, delivered after commit, retried, never lost or doubled."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from kombu.exceptions import OperationalError

from catalog.models import Role
from tests.factories.catalog import UserFactory, staff_user
from tests.factories.workflow import (
    at,
    department_staff,
    item_with_procedure,
    pdf,
    run_to_last_step,
    submitted_case,
)
from workflow import services
from workflow.models import (
    CaseStatus,
    Decision,
    Notification,
    NotificationChannel,
    NotificationStatus,
)
from workflow.sms import SmsError
from workflow.tasks import (
    RETRY_DELAYS,
    notification_deliver,
    notifications_deliver,
    notifications_sweep,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 16)
# The wall clock the delivery task reads; the services get the same moment as ``now``.
NOON = datetime(2026, 11, 16, 12, 0, tzinfo=SHANGHAI)
PHONE = "13800138000"  # the factories' contact phone


class FailingSmsGateway:
    """A gateway that never takes a message."""

    def send(self, phone: str, text: str) -> None:
        raise SmsError("短信网关拒绝：余额不足")


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sms_log(caplog):
    caplog.set_level(logging.INFO, logger="workflow.sms")
    return caplog


def _sms_texts(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "workflow.sms"]


def _submitted(email: str = "zhangsan@example.cn"):
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    applicant = UserFactory(email=email)
    case = submitted_case(version, applicant, now=at(MONDAY))
    return case, staff


def _applicant_rows(case):
    return Notification.objects.filter(case=case, template="accepted")


def test_accepting_writes_the_applicants_sms_and_email_before_anything_is_sent(
    django_capture_on_commit_callbacks, mailoutbox, sms_log
):
    case, staff = _submitted()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))

    # Written with the acceptance, still waiting for the commit.
    rows = {row.channel: row for row in _applicant_rows(case)}
    assert set(rows) == {NotificationChannel.SMS, NotificationChannel.EMAIL}
    assert rows[NotificationChannel.SMS].address == PHONE
    assert rows[NotificationChannel.EMAIL].address == "zhangsan@example.cn"
    assert {row.status for row in rows.values()} == {NotificationStatus.PENDING}
    assert {row.recipient for row in rows.values()} == {case.applicant}
    assert callbacks
    assert mailoutbox == []
    assert _sms_texts(sms_log) == []


def test_after_commit_the_applicant_gets_an_email_and_an_sms_naming_the_case_number(
    django_capture_on_commit_callbacks, mailoutbox, sms_log
):
    case, staff = _submitted()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))

    case.refresh_from_db()
    assert [message.to for message in mailoutbox] == [["zhangsan@example.cn"]]
    assert mailoutbox[0].subject == "Application accepted"
    assert case.number in mailoutbox[0].body
    assert case.query_code in mailoutbox[0].body
    [sms] = _sms_texts(sms_log)
    assert PHONE in sms
    assert case.number in sms
    assert set(_applicant_rows(case).values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert all(row.sent_at is not None for row in _applicant_rows(case))


def test_an_applicant_account_without_email_gets_the_sms_only(
    django_capture_on_commit_callbacks, mailoutbox, sms_log
):
    case, staff = _submitted(email="")

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))

    assert list(_applicant_rows(case).values_list("channel", flat=True)) == [
        NotificationChannel.SMS
    ]
    assert mailoutbox == []
    assert len(_sms_texts(sms_log)) == 1


def test_a_walk_in_applicant_without_an_account_is_told_by_sms(
    django_capture_on_commit_callbacks, sms_log
):
    version = item_with_procedure(materials=(("申请书", False),))
    staff = department_staff(version.department)
    form = version.materials.get()

    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_window_intake(
            version=version,
            by=staff.clerk,
            files={form.pk: [pdf()]},
            applicant={
                "applicant_kind": "natural",
                "applicant_name": "李四",
                "id_number": "11010519491231002X",
                "contact_phone": "13900139000",
            },
            now=at(MONDAY),
        )

    row = _applicant_rows(case).get()
    assert (row.channel, row.address, row.recipient) == (
        NotificationChannel.SMS,
        "13900139000",
        None,
    )
    assert row.status == NotificationStatus.SENT
    assert any(case.number in text and "13900139000" in text for text in _sms_texts(sms_log))


def test_staff_holding_the_first_steps_role_in_the_department_get_a_step_assigned_email(
    django_capture_on_commit_callbacks, mailoutbox
):
    case, staff = _submitted(email="")
    department = case.department
    staff.handler.email = "chengban1@example.cn"
    staff.handler.save()
    second = staff_user(Role.HANDLER, department=department)
    second.email = "chengban2@example.cn"
    second.save()
    staff_user(Role.HANDLER, department=department)  # no e-mail address: nothing to send
    gone = staff_user(Role.HANDLER, department=department)
    gone.email, gone.is_active = "lizhi@example.cn", False
    gone.save()
    staff.reviewer.email = "shenhe@example.cn"  # the second step's role: not yet
    staff.reviewer.save()
    elsewhere = staff_user(Role.HANDLER)  # a handler of another department
    elsewhere.email = "qita@example.cn"
    elsewhere.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))

    case.refresh_from_db()
    assigned = [m for m in mailoutbox if m.subject == "New task in your queue"]
    assert sorted(m.to[0] for m in assigned) == ["chengban1@example.cn", "chengban2@example.cn"]
    assert all(case.number in m.body and "承办" in m.body for m in assigned)
    rows = Notification.objects.filter(case=case, template="step_assigned")
    assert set(rows.values_list("recipient", flat=True)) == {staff.handler.pk, second.pk}


def test_completing_a_step_emails_the_role_of_the_next_step(
    django_capture_on_commit_callbacks, mailoutbox
):
    case, staff = _submitted(email="")
    staff.reviewer.email = "shenhe@example.cn"
    staff.reviewer.save()
    services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))
    step = case.steps.get(status="open")
    services.step_claim(step=step, by=staff.handler, now=at(MONDAY))

    with django_capture_on_commit_callbacks(execute=True):
        services.step_complete(step=step, by=staff.handler, opinion="同意", now=at(MONDAY))

    [message] = mailoutbox
    assert message.to == ["shenhe@example.cn"]
    assert "审核" in message.body


def test_a_failing_sms_gateway_leaves_the_sms_pending_with_the_error_and_books_a_retry(
    settings, frozen, django_capture_on_commit_callbacks, mailoutbox
):
    settings.SMS_GATEWAY = "tests.workflow.test_notifications.FailingSmsGateway"
    case, staff = _submitted()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=NOON)

    # The case is accepted whatever the gateway does, and the e-mail went out.
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert len(mailoutbox) == 1
    sms = _applicant_rows(case).get(channel=NotificationChannel.SMS)
    assert sms.status == NotificationStatus.PENDING
    assert sms.attempts == 1
    assert "余额不足" in sms.last_error
    assert sms.next_attempt_at == NOON + timedelta(seconds=RETRY_DELAYS[0])
    assert sms.sent_at is None


def test_a_notification_is_retried_after_each_delay_and_fails_when_the_retries_are_used_up(
    settings, frozen, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = "tests.workflow.test_notifications.FailingSmsGateway"
    case, staff = _submitted(email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=NOON)
    sms = _applicant_rows(case).get()
    assert sms.attempts == 1

    for retry, delay in enumerate(RETRY_DELAYS, start=1):
        # Not before the booked time: the sweep leaves it alone.
        frozen.shift(timedelta(seconds=delay - 1))
        notifications_sweep()
        sms.refresh_from_db()
        assert sms.attempts == retry
        frozen.shift(timedelta(seconds=1))
        notifications_sweep()
        sms.refresh_from_db()
        assert sms.attempts == retry + 1

    assert sms.status == NotificationStatus.FAILED
    assert "余额不足" in sms.last_error
    # A failed notification is not tried again.
    frozen.shift(timedelta(days=1))
    assert notifications_sweep() == 0
    sms.refresh_from_db()
    assert sms.attempts == 1 + len(RETRY_DELAYS)


def test_a_retry_that_succeeds_sends_the_notification(
    settings, frozen, django_capture_on_commit_callbacks, sms_log
):
    settings.SMS_GATEWAY = "tests.workflow.test_notifications.FailingSmsGateway"
    case, staff = _submitted(email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=NOON)

    settings.SMS_GATEWAY = "workflow.sms.LogSmsGateway"
    frozen.shift(timedelta(seconds=RETRY_DELAYS[0]))
    assert notifications_sweep() == 1

    sms = _applicant_rows(case).get()
    assert (sms.status, sms.attempts, sms.last_error) == (NotificationStatus.SENT, 2, "")
    case.refresh_from_db()
    assert [text for text in _sms_texts(sms_log) if case.number in text]


def test_when_the_broker_is_down_the_case_is_accepted_and_the_sweep_delivers_later(
    monkeypatch, django_capture_on_commit_callbacks, mailoutbox, sms_log
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(notifications_deliver, "apply_async", broker_down)
    case, staff = _submitted()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))

    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.number
    rows = _applicant_rows(case)
    assert rows.count() == 2
    assert set(rows.values_list("status", "attempts")) == {(NotificationStatus.PENDING, 0)}
    assert mailoutbox == []

    assert notifications_sweep() == 2

    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert len(mailoutbox) == 1
    assert case.number in mailoutbox[0].body
    assert any(case.number in text for text in _sms_texts(sms_log))


def test_running_the_delivery_twice_sends_once(
    monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    monkeypatch.setattr(
        notifications_deliver, "apply_async", lambda *a, **k: None
    )  # queued, not run
    case, staff = _submitted()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))
    email = _applicant_rows(case).get(channel=NotificationChannel.EMAIL)

    # The worker runs the queued task, and the sweep (or a redelivered message) runs it again.
    assert notification_deliver(email.pk) == "sent"
    assert notification_deliver(email.pk) == "skipped"
    notifications_sweep()
    notification_deliver(email.pk)

    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (NotificationStatus.SENT, 1)


def test_delivering_a_notification_that_no_longer_exists_does_nothing(mailoutbox):
    assert notification_deliver(987654) == "missing"
    assert mailoutbox == []


def test_a_notification_of_a_transaction_that_rolled_back_is_never_written_or_sent(
    django_capture_on_commit_callbacks, mailoutbox, sms_log
):
    case, staff = _submitted()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))
        raise RuntimeError("the request failed after the acceptance")

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.number is None
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mailoutbox == []
    assert _sms_texts(sms_log) == []


def test_a_refused_action_writes_no_notification(django_capture_on_commit_callbacks):
    case, staff = _submitted()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.InvalidInput):
        services.case_request_supplement(case=case, by=staff.clerk, items=[], now=at(MONDAY))

    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("milestone", "template", "subject"),
    [
        ("supplement", "supplement_needed", "Materials to supplement"),
        ("suspend", "suspended", "Case suspended for a special procedure"),
        ("resume", "resumed", "Case resumed"),
        ("extend", "extended", "Time limit extended"),
        ("reject", "rejected", "Application not accepted"),
        ("decide", "decided", "Decision made"),
    ],
)
def test_the_applicant_is_emailed_at_each_milestone(
    milestone, template, subject, django_capture_on_commit_callbacks, mailoutbox
):
    case, staff = _submitted()
    form = case.item_version.materials.get()
    if milestone not in ("supplement", "reject"):
        services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))
    if milestone == "resume":
        services.case_suspend(
            case=case,
            by=staff.handler,
            procedure="hearing",
            reason="举行听证",
            expected_days=2,
            now=at(MONDAY),
        )
    if milestone == "extend":
        extension = services.extension_request(
            case=case, by=staff.handler, days=5, reason="情况复杂", now=at(MONDAY)
        )
    if milestone == "decide":
        last = run_to_last_step(case, staff, now=at(MONDAY))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        if milestone == "supplement":
            services.case_request_supplement(
                case=case, by=staff.clerk, items=[{"material": form.pk}], now=at(MONDAY)
            )
        elif milestone == "reject":
            services.case_reject(
                case=case, by=staff.clerk, reason="不属于本部门职权", now=at(MONDAY)
            )
        elif milestone == "suspend":
            services.case_suspend(
                case=case,
                by=staff.handler,
                procedure="hearing",
                reason="举行听证",
                expected_days=2,
                now=at(MONDAY),
            )
        elif milestone == "resume":
            services.case_resume(case=case, by=staff.handler, now=at(date(2026, 11, 18)))
        elif milestone == "extend":
            services.extension_decide(
                extension=extension, by=staff.approver, approve=True, now=at(MONDAY)
            )
        elif milestone == "decide":
            services.case_decide(
                case=case,
                by=last.assignee,
                decision=Decision.DENIED,
                reasons="不符合法定条件",
                now=at(MONDAY),
            )

    applicant_mail = [m for m in mailoutbox if m.to == ["zhangsan@example.cn"]]
    assert [m.subject for m in applicant_mail] == [subject]
    assert Notification.objects.filter(case=case, template=template).count() == 2


def test_the_applicant_hears_the_result_is_ready_once_the_last_fee_is_paid(
    django_capture_on_commit_callbacks,
):
    from tests.factories.workflow import decided_case as _decided
    from tests.factories.workflow import department_staff as _staff
    from tests.factories.workflow import item_with_procedure as _item
    from workflow import services as _services
    from workflow.models import Notification as _Notification

    version = _item(fees=(("工本费", "10.00"), ("证书费", "5.00")))
    staff = _staff(version.department)
    case = _decided(version, staff)
    ready = _Notification.objects.filter(case=case, template="ready_for_pickup")
    assert not ready.exists()

    _services.fee_record(
        case=case, by=staff.fee_clerk, fee_name="工本费", amount="10.00", receipt_number="R1"
    )
    assert not ready.exists()
    _services.fee_record(
        case=case, by=staff.fee_clerk, fee_name="证书费", amount="5.00", receipt_number="R2"
    )

    assert ready.filter(channel="sms", address=case.contact_phone).count() == 1
