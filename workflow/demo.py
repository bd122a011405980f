"""Demo cases for the demo city: one of each situation the workbench shows, built through the
services with back-dated clocks so that queues, warnings and timelines look lived in.

Run by ``manage.py load_demo`` after the catalog demo. Cases are dated relative to today, so
the queues stay current; a second run adds nothing.
"""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile

from catalog.models import (
    ApplicantType,
    Department,
    ItemVersion,
    JointItem,
    Role,
    StaffMembership,
)

from . import services
from .calendar import load_work_calendar, shanghai_today
from .deadlines import WorkCalendar, add_workdays
from .identifiers import credit_code_check_char, resident_id_check_char
from .models import Case, Channel, Decision, DeliveryMethod, StepStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLICANT_USERNAME = "zhangsan"
# Valid check digits (GB 11643 / GB 32100), invented people.
APPLICANT: dict[str, Any] = {
    "applicant_kind": ApplicantType.NATURAL,
    "applicant_name": "张三",
    "id_number": "11010519491231002X",
    "contact_phone": "13800138000",
}
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _back(calendar: WorkCalendar, today: date, workdays: int) -> date:
    """The working day ``workdays`` working days before ``today``."""
    day = today
    for _ in range(workdays):
        day = date.fromordinal(day.toordinal() - 1)
        while not calendar.is_workday(day):
            day = date.fromordinal(day.toordinal() - 1)
    return day


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _staff(department: Department) -> dict[str, object]:
    return {
        m.role: m.user
        for m in StaffMembership.objects.filter(department=department).select_related("user")
    }


def _draft(version: ItemVersion, applicant, now: datetime) -> Case:
    case = services.case_create(
        version=version, by=applicant, channel=Channel.ONLINE, now=now, **APPLICANT
    )
    for material in version.materials.filter(deferrable=False):
        upload = ContentFile(DEMO_PDF, name=f"{material.name}.pdf")
        services.case_attach_material(
            case=case, material=material, upload=upload, by=applicant, now=now
        )
    return case


def demo_cases_load(*, password: str) -> int:
    """Create the demo applicant and the demo cases; returns how many cases were created."""
    applicant, created = get_user_model().objects.get_or_create(
        username=APPLICANT_USERNAME, defaults={"first_name": "张三"}
    )
    applicant.password = make_password(password)
    applicant.save(update_fields=["password"])
    if Case.objects.filter(applicant=applicant).exists():
        return 0
    joint_cases = _demo_joint_case()
    calendar = load_work_calendar()
    today = shanghai_today()
    for department in Department.objects.filter(memberships__role=Role.WINDOW_CLERK).distinct():
        staff = _staff(department)
        versions = list(
            ItemVersion.objects.filter(
                department=department,
                status="published",
                online_prereview=True,
                extension_allowed=True,
                suspension_allowed=True,
                promised_limit__gte=3,
                applicant_type__in=[ApplicantType.NATURAL, ApplicantType.BOTH],
            )
            .exclude(steps=None)
            .order_by("item__code")[:8]
        )
        if not versions or Role.APPROVER not in staff:
            continue
        # Items repeat when a department has fewer than eight that fit.
        versions = [versions[i % len(versions)] for i in range(8)]
        _department_cases(versions, staff, applicant, calendar, today)
    return Case.objects.filter(applicant=applicant).count() + joint_cases


# A building company with a valid credit code (GB 32100), invented.
JOINT_APPLICANT = {
    "applicant_kind": ApplicantType.LEGAL,
    "applicant_name": "江州宏远置业有限公司",
    "credit_code": "91330100MA2H00001" + credit_code_check_char("91330100MA2H00001"),
    "agent_name": "李四",
    "agent_id_number": "11010519491231003" + resident_id_check_char("11010519491231003"),
    "contact_phone": "057188880000",
}


def _demo_joint_case() -> int:
    """One joint case of each demo joint item, taken in 3 working days ago at the lead window."""
    calendar = load_work_calendar()
    created = 0
    for joint_item in JointItem.objects.filter(active=True, cases=None).select_related(
        "lead_department"
    ):
        clerk = _staff(joint_item.lead_department).get(Role.WINDOW_CLERK)
        if clerk is None or joint_item.problems():
            continue
        files = {
            version.pk: {
                material.pk: [ContentFile(DEMO_PDF, name=f"{material.name}.pdf")]
                for material in version.materials.filter(required=True)
            }
            for version in joint_item.member_versions()
        }
        joint = services.joint_case_intake(
            joint_item=joint_item,
            by=clerk,
            applicant=JOINT_APPLICANT,
            files=files,
            now=_at(_back(calendar, shanghai_today(), 3)),
        )
        created += joint.sub_cases.count()
    return created


def _department_cases(versions, staff, applicant, calendar, today) -> None:
    clerk = staff[Role.WINDOW_CLERK]

    def day(workdays_ago: int) -> datetime:
        return _at(_back(calendar, today, workdays_ago))

    def accepted(version, workdays_ago: int) -> Case:
        case = _draft(version, applicant, day(workdays_ago))
        services.case_submit(case=case, by=applicant, now=day(workdays_ago))
        services.case_accept(
            case=case,
            by=clerk,
            now=day(workdays_ago),
            deferred_due_on=add_workdays(today, 10, calendar=calendar),
        )
        return case

    def work_to_last_step(case: Case, now: datetime) -> None:
        for material in case.item_version.materials.filter(deferrable=True):
            upload = ContentFile(DEMO_PDF, name=f"{material.name}.pdf")
            services.case_supply_deferred(
                case=case, material=material, upload=upload, by=applicant, now=now
            )
        while True:
            step = case.steps.get(status=StepStatus.OPEN)
            user = staff.get(step.role) or staff[Role.CHIEF_REPRESENTATIVE]
            services.step_claim(step=step, by=user, now=now)
            if not case.steps.filter(status=StepStatus.WAITING).exists():
                return
            services.step_complete(
                step=step, by=user, opinion="材料齐全，符合条件，同意。", now=now
            )

    # Waiting for pre-review: one fresh, one past the 5 working days of Art. 32.
    for version, ago in ((versions[0], 1), (versions[1], 7)):
        case = _draft(version, applicant, day(ago))
        services.case_submit(case=case, by=applicant, now=day(ago))
    # Told to supplement.
    case = _draft(versions[2], applicant, day(3))
    services.case_submit(case=case, by=applicant, now=day(3))
    material = versions[2].materials.first()
    services.case_request_supplement(
        case=case,
        by=clerk,
        items=[{"material": material.pk, "reason": "复印件不清晰，请重新提交"}],
        now=day(2),
    )
    # Accepted, first step waiting in the department queue.
    accepted(versions[3], 0)
    # In progress with the handler; and one overdue (accepted long ago, still at step 1).
    case = accepted(versions[4], 2)
    first = case.steps.get(status=StepStatus.OPEN)
    services.step_claim(step=first, by=staff.get(first.role, clerk), now=day(1))
    accepted(versions[5], 12)
    # Suspended for expert review, with an extension waiting for the leader.
    case = accepted(versions[6], 4)
    services.case_suspend(
        case=case,
        by=staff[Role.HANDLER],
        procedure="expert_review",
        reason="需组织专家对技术方案进行评审",
        expected_days=5,
        now=day(3),
    )
    services.case_resume(case=case, by=staff[Role.HANDLER], now=day(1))
    services.extension_request(
        case=case, by=staff[Role.HANDLER], days=5, reason="现场核查需补充检测", now=day(0)
    )
    # Decided and delivered.
    case = accepted(versions[7], 6)
    work_to_last_step(case, day(4))
    last = case.steps.get(status=StepStatus.OPEN)
    services.case_decide(
        case=case,
        by=last.assignee,
        decision=Decision.APPROVED,
        licence_number=f"{case.department.code}{today:%Y}{case.pk:05d}",
        now=day(3),
    )
    if not case.item_version.fees.exists():
        services.case_deliver(case=case, by=clerk, method=DeliveryMethod.PICKUP, now=day(2))
