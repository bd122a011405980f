"""The scan's rules for complaints and rectifications: a complaint not accepted or declined in
time, one accepted and not answered in time, a poor rating's rectification open past its
deadline — each a yellow card on ``complaint:<id>`` / ``rectification:<id>`` that resolves
itself when the condition ends; and the scan still sends the same statements."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.complaints import complaint_accept, complaint_answer, complaint_file
from supervision.models import (
    Alert,
    AlertLevel,
    AlertRule,
    ComplaintCategory,
    ComplaintChannel,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
)
from supervision.scan import supervise
from tests.factories.workflow import applicant_user, at
from tests.supervision.office import EVE_OF_NATIONAL_DAY, national_day_2026, supervised_office
from workflow.models import Notification


@pytest.fixture
def office(db):
    national_day_2026()
    return supervised_office()


def scan(day: date):
    with time_machine.travel(at(day, 9), tick=False):
        return supervise()


def open_cards(rule: str) -> list[Alert]:
    return list(Alert.objects.filter(rule=rule, resolved_on__isnull=True))


def filed(office, *, case=None):
    return complaint_file(
        by=case.applicant if case is not None else applicant_user(),
        name="张三",
        phone="13800138000",
        category=ComplaintCategory.TIME,
        content="办理时间过长。",
        case=case,
        department=None if case is not None else office.department,
        channel=ComplaintChannel.ONLINE,
        now=at(EVE_OF_NATIONAL_DAY),
    )


def test_a_complaint_not_accepted_in_time_is_carded_until_it_is_accepted(office):
    case = office.case(now=at(date(2026, 9, 28)))
    complaint = filed(office, case=case)  # to accept by 13 October, answer by 20 October

    scan(date(2026, 10, 13))
    assert open_cards(AlertRule.COMPLAINT_UNACCEPTED) == []

    scan(date(2026, 10, 14))
    [alert] = open_cards(AlertRule.COMPLAINT_UNACCEPTED)
    assert (alert.subject, alert.level, alert.due_on) == (
        f"complaint:{complaint.pk}",
        AlertLevel.YELLOW,
        date(2026, 10, 13),
    )
    assert (alert.department, alert.center, alert.case) == (office.department, office.county, case)
    assert Notification.objects.filter(
        template="alert_raised", recipient=office.department.head
    ).exists()

    complaint_accept(complaint=complaint, by=office.staff.approver, now=at(date(2026, 10, 15)))
    scan(date(2026, 10, 15))
    alert.refresh_from_db()
    assert alert.resolved_on == date(2026, 10, 15)
    assert open_cards(AlertRule.COMPLAINT_LATE) == []


def test_a_complaint_accepted_and_not_answered_in_time_is_carded_until_answered(office):
    complaint = filed(office)
    complaint_accept(complaint=complaint, by=office.staff.approver, now=at(date(2026, 10, 8)))

    scan(date(2026, 10, 20))
    assert open_cards(AlertRule.COMPLAINT_LATE) == []
    scan(date(2026, 10, 21))
    [alert] = open_cards(AlertRule.COMPLAINT_LATE)
    assert (alert.subject, alert.level, alert.due_on) == (
        f"complaint:{complaint.pk}",
        AlertLevel.YELLOW,
        date(2026, 10, 20),
    )
    assert alert.case is None

    complaint_answer(
        complaint=complaint, by=office.staff.approver, answer="已整改。", now=at(date(2026, 10, 22))
    )
    scan(date(2026, 10, 22))
    alert.refresh_from_db()
    assert alert.resolved_on == date(2026, 10, 22)


def test_a_rectification_open_past_its_deadline_is_carded_until_answered(office):
    case = office.case(now=at(date(2026, 9, 28)))
    rating = Rating.objects.create(
        case=case,
        department=office.department,
        center=office.county,
        scale="five",
        level=1,
        poor=True,
        channel=RatingChannel.ONLINE,
        rated_at=at(EVE_OF_NATIONAL_DAY),
        rated_on=EVE_OF_NATIONAL_DAY,
    )
    rectification = Rectification.objects.create(
        rating=rating,
        case=case,
        department=office.department,
        center=office.county,
        opened_on=EVE_OF_NATIONAL_DAY,
        due_on=date(2026, 10, 13),
    )

    scan(date(2026, 10, 13))
    assert open_cards(AlertRule.RECTIFICATION_LATE) == []
    scan(date(2026, 10, 14))
    [alert] = open_cards(AlertRule.RECTIFICATION_LATE)
    assert (alert.subject, alert.level, alert.case) == (
        f"rectification:{rectification.pk}",
        AlertLevel.YELLOW,
        case,
    )

    Rectification.objects.filter(pk=rectification.pk).update(
        status=RectificationStatus.ANSWERED, answered_on=date(2026, 10, 15)
    )
    scan(date(2026, 10, 15))
    alert.refresh_from_db()
    assert alert.resolved_on == date(2026, 10, 15)
    scan(date(2026, 10, 16))
    assert open_cards(AlertRule.RECTIFICATION_LATE) == []


def test_the_new_rules_add_no_statement_per_complaint(office):
    filed(office)
    with CaptureQueriesContext(connection) as one:
        assert scan(date(2026, 10, 14)).raised == 1
    Alert.objects.all().delete()
    for _ in range(19):
        filed(office)
    with CaptureQueriesContext(connection) as many:
        assert scan(date(2026, 10, 14)).raised == 20

    assert len(many) == len(one)
