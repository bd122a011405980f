"""Staff acting at once, on PostgreSQL: one wins, the others get a clear conflict, and nothing
is numbered, recorded or sent twice.

Each test starts its threads together behind a barrier, each on its own database connection,
so the row locks of the services are what keeps them apart. SQLite serialises whole
transactions instead, which proves nothing about row locks: these tests run on PostgreSQL only.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from catalog.models import Role
from tests.factories.catalog import staff_user
from tests.factories.workflow import (
    accepted_case,
    at,
    department_staff,
    item_with_procedure,
    submitted_case,
)
from workflow import services
from workflow.exceptions import TransitionNotAllowed
from workflow.models import (
    Case,
    CaseEvent,
    Notice,
    NoticeKind,
    Notification,
    NotificationChannel,
    NotificationStatus,
    NumberSequence,
    StepRun,
    StepStatus,
)
from workflow.tasks import notification_deliver, notifications_sweep

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under real concurrency need PostgreSQL (set DATABASE_URL to one)",
    ),
    # Threads only see committed rows. The serialized rollback puts back the rows the
    # migrations seed (categories, role groups), which a transactional test flushes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MONDAY = date(2026, 11, 16)
THREADS = 20


def at_once(function, arguments: list) -> list:
    """Run ``function(argument)`` for every argument in its own thread, all released together.

    Returns, in order, what each call returned or the exception it raised.
    """
    barrier = threading.Barrier(len(arguments), timeout=30)

    def run(argument):
        try:
            connection.ensure_connection()
            barrier.wait()
            return function(argument)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        futures = [pool.submit(run, argument) for argument in arguments]
        return [future.exception() or future.result() for future in futures]


def test_twenty_clerks_accepting_the_same_submission_make_one_acceptance_with_one_number():
    version = item_with_procedure(materials=(("申请书", False), ("营业执照", False)))
    staff = department_staff(version.department)
    clerks = [staff.clerk] + [
        staff_user(Role.WINDOW_CLERK, department=version.department) for _ in range(THREADS - 1)
    ]
    case = submitted_case(version, now=at(MONDAY))

    def accept(clerk):
        return services.case_accept(case=Case.objects.get(pk=case.pk), by=clerk, now=at(MONDAY))

    outcomes = at_once(accept, clerks)

    accepted = [o for o in outcomes if isinstance(o, Case)]
    refused = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert len(accepted) == 1
    assert len(refused) == THREADS - 1, [o for o in outcomes if isinstance(o, Exception)]
    assert {error.status for error in refused} == {409}
    assert str(refused[0].message).startswith("“accept” is not possible while the case is")
    case.refresh_from_db()
    assert case.number == accepted[0].number
    assert case.number.endswith("-0001")
    assert list(Case.objects.exclude(number=None).values_list("pk", flat=True)) == [case.pk]
    assert case.events.filter(action="accept").count() == 1
    assert case.notices.filter(kind=NoticeKind.ACCEPTANCE).count() == 1
    assert case.notifications.filter(template="accepted").count() == 1
    assert case.steps.count() == version.steps.count()
    # No number was drawn and thrown away by the refused acceptances.
    key = f"case:{version.department.center.code}:20261116:{version.department.code}"
    assert NumberSequence.objects.get(key=key).last == 1


def test_twenty_acceptances_at_once_in_one_department_number_the_cases_without_gap_or_repeat():
    version = item_with_procedure(materials=(("申请书", False), ("营业执照", False)))
    staff = department_staff(version.department)
    cases = [submitted_case(version, now=at(MONDAY)) for _ in range(THREADS)]

    def accept(case):
        return services.case_accept(case=case, by=staff.clerk, now=at(MONDAY))

    outcomes = at_once(accept, cases)

    assert all(isinstance(o, Case) for o in outcomes), outcomes
    numbers = sorted(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("number", flat=True)
    )
    prefix = f"{version.department.center.code}-20261116-{version.department.code}-"
    assert numbers == [f"{prefix}{sequence:04d}" for sequence in range(1, THREADS + 1)]
    receipts = Notice.objects.filter(case__in=cases, kind=NoticeKind.ACCEPTANCE)
    assert receipts.values("number").distinct().count() == THREADS
    assert CaseEvent.objects.filter(case__in=cases, action="accept").count() == THREADS


def test_two_handlers_claiming_the_same_step_one_wins_and_the_other_is_told_who_has_it():
    version = item_with_procedure()
    staff = department_staff(version.department)
    staff.handler.first_name = "王五"
    staff.handler.save()
    other = staff_user(Role.HANDLER, department=version.department)
    other.first_name = "赵六"
    other.save()
    case = accepted_case(version, staff, now=at(MONDAY))
    step = case.steps.get(status=StepStatus.OPEN)

    def claim(handler):
        return services.step_claim(step=StepRun.objects.get(pk=step.pk), by=handler, now=at(MONDAY))

    outcomes = at_once(claim, [staff.handler, other])

    claimed = [o for o in outcomes if isinstance(o, StepRun)]
    refused = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
    assert len(claimed) == 1 and len(refused) == 1, outcomes
    step.refresh_from_db()
    winner = step.assignee
    assert winner in (staff.handler, other)
    assert str(refused[0].message) == f"{winner.first_name} has already claimed this step."
    assert case.events.filter(action="claim-step").count() == 1


def _pending_mail(address: str) -> Notification:
    return Notification.objects.create(
        address=address,
        channel=NotificationChannel.EMAIL,
        template="decided",
        payload={"number": "330100-20261116-SCJ-0001", "item": "食品经营许可", "decision": "准予"},
    )


def test_two_workers_delivering_the_same_notification_send_it_once(mailoutbox):
    notification = _pending_mail("zhangsan@example.cn")

    outcomes = at_once(notification_deliver, [notification.pk, notification.pk])

    assert sorted(outcomes) == ["sent", "skipped"]
    assert [message.to for message in mailoutbox] == [["zhangsan@example.cn"]]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1


def test_sweeps_running_at_once_send_every_pending_notification_exactly_once(mailoutbox):
    addresses = [f"applicant{n}@example.cn" for n in range(THREADS)]
    for address in addresses:
        _pending_mail(address)

    outcomes = at_once(lambda _: notifications_sweep(), range(8))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(message.to[0] for message in mailoutbox) == sorted(addresses)
    assert set(Notification.objects.values_list("status", "attempts")) == {
        (NotificationStatus.SENT, 1)
    }
