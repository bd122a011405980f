"""The demo city's supervision: the scan run on each of the last working days (so the
monitoring room has a trend), an urge notice answered and one left past its limit, and a
correction the department appealed. Played through the supervision services with the clock
set back, after the demo cases."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import Department, Role, StaffMembership
from workflow.calendar import SHANGHAI, load_work_calendar, shanghai_today
from workflow.deadlines import add_workdays

from .corrections import correction_appeal, correction_record
from .models import Alert, AlertLevel, CorrectionOutcome, Urge
from .scan import supervise, workday_before
from .urges import urge_answer, urge_send

TREND_WORKDAYS = 30


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _leader(department: Department):
    membership = (
        StaffMembership.objects.filter(department=department, role=Role.APPROVER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def demo_supervision_load(*, now: datetime | None = None) -> dict[str, int]:
    """Run the demo's supervision once; a second load finds the urges and adds nothing."""
    if Urge.objects.exists():
        return {}
    now = now or timezone.now()
    calendar = load_work_calendar()
    today = shanghai_today(now)
    officer = _user("supervisor")
    days = [workday_before(today, n, calendar=calendar) for n in range(TREND_WORKDAYS, 0, -1)]
    with transaction.atomic():
        for day in days:
            supervise(today=day, now=_moment(day, 8))
        red = list(
            Alert.objects.filter(level=AlertLevel.RED, resolved_on__isnull=True, case__isnull=False)
            .select_related("department", "case")
            .order_by("department__code", "raised_on", "pk")
        )
        by_department: dict[int, list[Alert]] = {}
        for alert in red:
            by_department.setdefault(alert.department_id, []).append(alert)
        departments = [alerts for alerts in by_department.values() if _leader(alerts[0].department)]
        urges = corrections = 0
        if departments:
            # Answered: sent six working days back, answered two days later.
            first = departments[0]
            sent = workday_before(today, 6, calendar=calendar)
            urge = urge_send(
                by=officer,
                department=first[0].department,
                cases=[a.case for a in first[:2]],
                message="以上办件已超期，请说明原因并于期限内办结。",
                respond_within=3,
                now=_moment(sent, 10),
            )
            urge_answer(
                urge=urge,
                by=_leader(first[0].department),
                answer="已督促承办人加快办理，因需补充现场核查，预计三个工作日内办结。",
                now=_moment(add_workdays(sent, 2, calendar=calendar), 15),
            )
            urges += 1
        if len(departments) > 1:
            # Left past its limit: the scan turns the urged cases' cards red.
            second = departments[1]
            sent = workday_before(today, 5, calendar=calendar)
            urge_send(
                by=officer,
                department=second[0].department,
                cases=[second[0].case],
                message="该办件超期未办结，请立即处理并书面答复。",
                respond_within=2,
                now=_moment(sent, 11),
            )
            urges += 1
        target = departments[-1] if departments else []
        if target:
            alert = target[-1]
            correction = correction_record(
                by=officer,
                alert=alert,
                outcome=CorrectionOutcome.RECTIFY,
                responsible_person="承办人",
                note="办件超过承诺时限未作出决定，承办环节未及时处理。",
                rectify_by=add_workdays(today, 5, calendar=calendar),
                now=now - timedelta(hours=3),
            )
            correction_appeal(
                correction=correction,
                by=_leader(alert.department),
                reason="该件因申请人补充检测报告延误，已按规定中止计时，请予复核。",
                now=now - timedelta(hours=1),
            )
            corrections += 1
        supervise(today=today, now=now)
    return {"urges": urges, "corrections": corrections, "alerts": Alert.objects.count()}
