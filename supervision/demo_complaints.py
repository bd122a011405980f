"""The demo city's complaints (网上投诉): filed in the hall by 张三 (13800138000) and the demo
company (13900139000), with and without one of their cases, and one taken on the phone by the
市场监督管理局's window clerk; one accepted, answered and rated, one declined with reasons, one
accepted and being handled, and two past their limits so that the scan cards them. Played
through the complaint services with the clock set back, after the demo cases and the hall's
accounts.

Safe to run again: once a demo complaint exists, nothing is added.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from catalog.models import Department, StaffMembership
from workflow.calendar import SHANGHAI, load_work_calendar, shanghai_today
from workflow.models import Case, CaseStatus

from .complaints import (
    complaint_accept,
    complaint_answer,
    complaint_decline,
    complaint_file,
    complaint_rate,
)
from .models import Complaint, ComplaintCategory, ComplaintChannel
from .rules import rules_in_force
from .scales import levels_of
from .scan import supervise, workday_before
from .scope import LEADER_ROLES

ZHANG_SAN_PHONE = "13800138000"
COMPANY_PHONE = "13900139000"


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


# The demo departments with staff: a complaint about one of their cases has a leader to answer.
STAFFED = ("SCJ", "ZJJ", "ZGJ")


def _own_case(user, before: datetime) -> Case | None:
    """The applicant's newest case (accepted or later) of a department with staff, received
    before ``before`` (a complaint is about a case that exists)."""
    return (
        Case.objects.filter(
            applicant=user, department__code__in=STAFFED, received_on__lt=before.date()
        )
        .exclude(number="")
        .exclude(status__in=[CaseStatus.DRAFT, CaseStatus.SUBMITTED])
        .select_related("department")
        .order_by("-received_on", "-id")
        .first()
    )


def _leader_of(department_id: int):
    """The department's approver (else its chief representative)."""
    membership = (
        StaffMembership.objects.filter(department_id=department_id, role__in=sorted(LEADER_ROLES))
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else None


def _applicant(phone: str):
    users = get_user_model().objects
    return users.filter(applicant_profile__phone=phone).select_related("applicant_profile").first()


def demo_complaints_load(*, now: datetime | None = None) -> dict[str, int]:
    """File and handle the demo complaints; a second load finds them and adds nothing. Needs
    the demo city (its departments SCJ, ZJJ, ZGJ and their staff), the demo cases and the
    hall's accounts."""
    if Complaint.objects.exists():
        return {}
    now = now or timezone.now()
    today = shanghai_today(now)
    calendar = load_work_calendar()
    users = get_user_model().objects

    def ago(workdays: int, hour: int = 10) -> datetime:
        return _moment(workday_before(today, workdays, calendar=calendar), hour)

    zhang_san, company = _applicant(ZHANG_SAN_PHONE), _applicant(COMPANY_PHONE)
    scj, zjj, zgj = (Department.objects.get(code=code) for code in ("SCJ", "ZJJ", "ZGJ"))
    scj_approver = users.get(username="scj_approver")
    zjj_approver = users.get(username="zjj_approver")
    scj_chief = users.get(username="scj_chief")
    scj_clerk = users.get(username="scj_clerk")
    best = levels_of(rules_in_force(today).rating_scale)[0].value

    def online(user, *, case=None, department=None, category, content, at):
        profile = user.applicant_profile
        return complaint_file(
            by=user,
            name=profile.name,
            phone=profile.phone,
            category=category,
            content=content,
            case=case,
            department=None if case is not None else department,
            channel=ComplaintChannel.ONLINE,
            now=at,
        )

    counts = {"complaints": 0, "answered": 0, "declined": 0, "overdue": 0}
    with transaction.atomic():
        # 张三 about one of his cases: accepted, answered within the limit, rated.
        case = _own_case(zhang_san, ago(12))
        rated = online(
            zhang_san,
            case=case,
            department=scj,
            category=ComplaintCategory.TIME,
            content=(
                "我的申请已超过窗口告知的承诺时限两天仍未办结，电话询问时工作人员说还在审核，"
                "没有说明原因。请核实办理进度并说明延误的原因。"
            ),
            at=ago(12),
        )
        leader = _leader_of(rated.department_id)
        complaint_accept(complaint=rated, by=leader, now=ago(11, 9))
        complaint_answer(
            complaint=rated,
            by=leader,
            answer=(
                "经核实，该件因现场核查排期冲突延误一个工作日，承办人未按规定主动告知，已对其"
                "批评教育。您的申请已于次日办结，今后我局将在核查排期变动时第一时间电话告知"
                "申请人。感谢您的监督。"
            ),
            now=ago(8, 15),
        )
        complaint_rate(
            complaint=rated, by=zhang_san, level=best, comment="答复及时，说明清楚。", now=ago(7)
        )
        counts["answered"] += 1

        # The company, without a case, about another department: declined with reasons.
        declined = online(
            company,
            department=zjj,
            category=ComplaintCategory.FEES,
            content="办理施工许可时被要求另行缴纳“资料审核费”300元，没有收费依据，请予以查处。",
            at=ago(9),
        )
        complaint_decline(
            complaint=declined,
            by=zjj_approver,
            reason=(
                "经查，该费用系第三方图审机构的技术服务费，不属于本局行政收费，本局窗口未收取"
                "任何费用。如对第三方服务收费有异议，可向市场监督管理局价格监督部门反映。"
            ),
            now=ago(8),
        )
        counts["declined"] += 1

        # On the phone, recorded by the window clerk: waiting to be accepted, within its limit.
        complaint_file(
            by=None,
            name="王先生",
            phone="13712345678",
            category=ComplaintCategory.WINDOW_CONDUCT,
            content="来电反映：上午在A02窗口办理变更登记时，工作人员中途离岗约二十分钟，未放置"
            "暂停服务提示牌，排队群众等候时间过长。",
            department=scj,
            channel=ComplaintChannel.PHONE,
            recorded_by=scj_clerk,
            now=ago(1, 11),
        )

        # The company about one of its cases: accepted, being handled.
        company_case = _own_case(company, ago(3))
        handled = online(
            company,
            case=company_case,
            department=scj,
            category=ComplaintCategory.ATTITUDE,
            content="代办人在窗口咨询补正材料时，工作人员态度不耐烦，没有一次性说清需要补什么。",
            at=ago(3),
        )
        complaint_accept(
            complaint=handled,
            by=_leader_of(handled.department_id),
            now=ago(2),
        )

        # 张三, without a case: never accepted nor declined — past its limit, the scan cards it.
        online(
            zhang_san,
            department=zgj,
            category=ComplaintCategory.OTHER,
            content="规划局网站公布的办事指南与窗口要求的材料不一致，白跑了一趟。",
            at=ago(8),
        )
        counts["overdue"] += 1

        # On the phone to the 市场监督管理局: accepted long ago, never answered — carded too.
        late = complaint_file(
            by=None,
            name="李女士",
            phone="13698765432",
            category=ComplaintCategory.TIME,
            content="来电反映：食品经营许可现场核查约定后两次改期，至今未来核查。",
            department=scj,
            channel=ComplaintChannel.PHONE,
            recorded_by=scj_chief,
            now=ago(16),
        )
        complaint_accept(complaint=late, by=scj_approver, now=ago(15))
        counts["overdue"] += 1
        # The scan of today, so that the overdue complaints are carded at once.
        supervise(now=now)
    counts["complaints"] = Complaint.objects.count()
    return counts
