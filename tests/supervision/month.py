"""A hand-built month for the performance tests: November 2026 (no holiday in it) of the
office's county department, with every figure the report counts known in advance.

Five cases, all received and accepted through the workbench (so the clerk's intake events are
real), then moved on by writing their dates, as the services would have left them:

======  ===========  ==========  ==========  =========  ==========================
case    accepted     due         decided     delivered  note
======  ===========  ==========  ==========  =========  ==========================
A       Mon 2 Nov    Mon 16 Nov  Fri 6 Nov   Mon 9 Nov  on time, 4 working days
B       Mon 2 Nov    Mon 16 Nov  Fri 20 Nov  Fri 20 Nov late, 14 working days
C       Mon 2 Nov    Wed 18 Nov  Fri 13 Nov  –          suspended 2 working days:
                                                        9 − 2 = 7 used, on time
D       Tue 3 Nov    Tue 3 Nov   Tue 3 Nov   Tue 3 Nov  immediate item, 0 used
E       Wed 4 Nov    –           –           –          still in progress
======  ===========  ==========  ==========  =========  ==========================

Every case: promised 10, statutory 20 working days.

Ratings: A 5 (at the window), B 1 (poor), D 4, C 1 poor but excluded on appeal.
Rectifications: B's opened 20 Nov, due 27 Nov, answered 25 Nov (on time); C's cancelled.
Complaints: two filed 5 Nov, due 19 Nov: one answered 10 Nov (on time), one 30 Nov (late).
Cards: a yellow (17 Nov) and a red (19 Nov) on B; a yellow on A revoked.
Urges: one sent 17 Nov due 20 Nov, answered 19 Nov; one sent 18 Nov, still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from catalog.models import Window
from supervision.models import Alert, AlertLevel, Rating, Rectification, UrgeStatus
from supervision.models.complaints import Complaint
from supervision.models.ratings import RectificationStatus
from tests.factories.supervision import alert_on, urge_about
from tests.factories.workflow import accepted_case, at
from workflow.models import Case, Suspension

from .office import Office

NOVEMBER = date(2026, 11, 1)


def d(day: int) -> date:
    return date(2026, 11, day)


@dataclass
class Month:
    office: Office
    window: Window
    cases: dict[str, Case]
    ratings: dict[str, Rating]


def _move(case: Case, **fields) -> Case:
    Case.objects.filter(pk=case.pk).update(promised_limit=10, statutory_limit=20, **fields)
    case.refresh_from_db()
    return case


def rating(case: Case, level: int, *, poor: bool = False, day: date, **fields) -> Rating:
    return Rating.objects.create(
        case=case,
        department=case.department,
        center=case.department.center,
        scale="five",
        level=level,
        poor=poor,
        channel="online",
        rated_at=at(day),
        rated_on=day,
        **fields,
    )


_complaints = iter(range(1, 1000))


def complaint(office: Office, *, filed: date, due: date, answered: date | None) -> Complaint:
    return Complaint.objects.create(
        number=f"TS-2026-{next(_complaints):05d}",
        name="张三",
        phone="13800138000",
        department=office.department,
        center=office.department.center,
        category="time",
        channel="online",
        filed_at=at(filed),
        filed_on=filed,
        accept_due_on=filed,
        answer_due_on=due,
        status="answered" if answered else "accepted",
        answered_on=answered,
        answered_at=at(answered) if answered else None,
    )


def november(office: Office) -> Month:
    """Build the month of the module's table; returns its cases and ratings."""
    staff = office.staff
    window = Window.objects.create(center=office.county, number="A01", kind="department")
    window.departments.add(office.department)
    window.clerks.add(staff.clerk)

    def new(day: date) -> Case:
        return accepted_case(office.version, staff, now=at(day))

    a = _move(new(d(2)), due_on=d(16), decided_on=d(6), delivered_on=d(9), status="completed")
    b = _move(new(d(2)), due_on=d(16), decided_on=d(20), delivered_on=d(20), status="completed")
    c = _move(new(d(2)), due_on=d(18), decided_on=d(13), status="decided")
    Suspension.objects.create(
        case=c,
        procedure="hearing",
        reason="听证",
        expected_days=2,
        started_on=d(4),
        ended_on=d(6),
        workdays=2,
        started_by=staff.handler,
        ended_by=staff.handler,
    )
    dd = _move(
        new(d(3)),
        due_on=d(3),
        decided_on=d(3),
        delivered_on=d(3),
        status="completed",
        is_immediate=True,
    )
    e = _move(new(d(4)), status="in_progress")

    ratings = {
        "A": rating(a, 5, day=d(10), window=window),
        "B": rating(b, 1, poor=True, day=d(20)),
        "D": rating(dd, 4, day=d(4)),
        "C": rating(c, 1, poor=True, day=d(16), excluded=True),
    }
    Rectification.objects.create(
        rating=ratings["B"],
        case=b,
        department=office.department,
        center=office.county,
        status=RectificationStatus.ANSWERED,
        opened_on=d(20),
        due_on=d(27),
        answered_on=d(25),
        answered_at=at(d(25)),
    )
    Rectification.objects.create(
        rating=ratings["C"],
        case=c,
        department=office.department,
        center=office.county,
        status=RectificationStatus.CANCELLED,
        opened_on=d(16),
        due_on=d(23),
    )
    complaint(office, filed=d(5), due=d(19), answered=d(10))
    complaint(office, filed=d(5), due=d(19), answered=d(30))
    alert_on(b, level=AlertLevel.YELLOW, raised_on=d(17))
    alert_on(b, level=AlertLevel.RED, raised_on=d(19))
    alert_on(a, level=AlertLevel.YELLOW, raised_on=d(12), revoked_on=d(13))
    answered = urge_about(b, by=office.city_officer, sent_at=at(d(17)))
    answered.status = UrgeStatus.ANSWERED
    answered.answered_on = d(19)
    answered.answered_at = at(d(19))
    answered.save()
    urge_about(c, by=office.city_officer, sent_at=at(d(18)))
    return Month(
        office=office,
        window=window,
        cases={"A": a, "B": b, "C": c, "D": dd, "E": e},
        ratings=ratings,
    )


# What the department's line of November must show (see the module's table).
NOVEMBER_FIGURES = {
    "received": 5,  # A–E
    "accepted": 5,  # A–E
    "completed": 3,  # A, B, D delivered
    "decided": 4,  # A, B, C, D
    "decided_on_time": 3,  # A, C, D (B decided 20 Nov, due 16 Nov)
    "immediate": 1,  # D
    "workdays_used": 25,  # A 4 + B 14 + C (9 − 2 suspended) 7 + D 0
    "promised_days": 40,  # 4 decided × 10
    "statutory_days": 80,  # 4 decided × 20
    "ratings": 3,  # A, B, D (C excluded)
    "ratings_poor": 1,  # B
    "rectifications_opened": 1,  # B's (C's cancelled)
    "rectifications_answered": 1,
    "rectifications_on_time": 1,  # answered 25 Nov, due 27 Nov
    "complaints": 2,
    "complaints_answered": 2,
    "complaints_on_time": 1,  # 10 Nov ≤ 19 Nov; 30 Nov is late
    "yellow_cards": 1,  # the revoked one left out
    "red_cards": 1,
    "urges": 2,
    "urges_answered_on_time": 1,  # answered 19 Nov, due 20 Nov
}

__all__ = ["NOVEMBER", "NOVEMBER_FIGURES", "Month", "november", "rating", "complaint", "d", "Alert"]
