"""Building blocks for workflow tests: an item with its procedure, a department's staff, cases
in every state (each reached through the services, never by writing the status directly)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import (
    ApplicantType,
    Department,
    ItemVersion,
    ProcessingType,
    Role,
)
from tests.factories.catalog import (
    DepartmentFactory,
    FeeItemFactory,
    ItemVersionFactory,
    MaterialFactory,
    StepTemplateFactory,
    UserFactory,
    staff_user,
)
from workflow import services
from workflow.models import Case, Channel, Decision, StepStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A valid resident ID number (GB 11643 example) and unified social credit code.
ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A walk-in applicant as the window takes them in (no account of their own).
WALK_IN_APPLICANT = {
    "applicant_kind": ApplicantType.NATURAL,
    "applicant_name": "李四",
    "id_number": ID_NUMBER,
    "contact_phone": "13800138000",
}


def at(day: date, hour: int = 10) -> datetime:
    """A moment on ``day`` in Asia/Shanghai, for the services' ``now``."""
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def item_with_procedure(
    *,
    department: Department | None = None,
    steps=(("承办", Role.HANDLER, 2), ("审核", Role.REVIEWER, 1), ("审批", Role.APPROVER, 2)),
    promised_limit: int = 5,
    statutory_limit: int = 20,
    materials=(("申请书", False), ("营业执照", False), ("场所证明", True)),
    fees=(),
    processing_type: str = ProcessingType.PROMISED,
    **fields,
) -> ItemVersion:
    """A published item with the given steps, materials (name, may come later) and fees."""
    department = department or DepartmentFactory()
    version = ItemVersionFactory(
        department=department,
        promised_limit=promised_limit,
        statutory_limit=statutory_limit,
        processing_type=processing_type,
        **fields,
    )
    for order, (name, role, limit) in enumerate(steps, start=1):
        StepTemplateFactory(version=version, order=order, name=name, role=role, limit_days=limit)
    for order, (name, deferrable) in enumerate(materials, start=1):
        MaterialFactory(version=version, order=order, name=name, deferrable=deferrable)
    for name, amount in fees:
        FeeItemFactory(version=version, name=name, amount=amount)
    return version


@dataclass
class Staff:
    clerk: object
    handler: object
    reviewer: object
    approver: object
    chief: object
    fee_clerk: object


def department_staff(department: Department) -> Staff:
    """One user per role in ``department``; the fee clerk in its center."""
    return Staff(
        clerk=staff_user(Role.WINDOW_CLERK, department=department),
        handler=staff_user(Role.HANDLER, department=department),
        reviewer=staff_user(Role.REVIEWER, department=department),
        approver=staff_user(Role.APPROVER, department=department),
        chief=staff_user(Role.CHIEF_REPRESENTATIVE, department=department),
        fee_clerk=staff_user(Role.FEE_CLERK, center=department.center),
    )


def applicant_user(**kwargs):
    return UserFactory(**kwargs)


def draft_case(
    version: ItemVersion, applicant=None, *, now: datetime | None = None, agent_staff=None
) -> Case:
    """An online draft by ``applicant`` (a new account if none) with every material attached,
    except those that may come later; with ``agent_staff``, that staff member acts as agent."""
    applicant = applicant or applicant_user()
    case = services.case_create(
        version=version,
        by=applicant,
        channel=Channel.ONLINE,
        applicant_kind=ApplicantType.NATURAL,
        applicant_name="张三",
        id_number=ID_NUMBER,
        contact_phone="13800138000",
        agent_service=agent_staff is not None,
        agent_staff=agent_staff,
        now=now,
    )
    for material in version.materials.filter(deferrable=False):
        services.case_attach_material(
            case=case, material=material, upload=pdf(), by=applicant, now=now
        )
    return case


def submitted_case(
    version: ItemVersion, applicant=None, *, now: datetime | None = None, agent_staff=None
) -> Case:
    case = draft_case(version, applicant, now=now, agent_staff=agent_staff)
    services.case_submit(case=case, by=case.applicant, now=now)
    case.refresh_from_db()
    return case


def accepted_case(
    version: ItemVersion,
    staff: Staff,
    *,
    now: datetime | None = None,
    deferred_due_on=None,
    agent_staff=None,
) -> Case:
    case = submitted_case(version, now=now, agent_staff=agent_staff)
    if deferred_due_on is None and version.materials.filter(deferrable=True).exists():
        deferred_due_on = date(2100, 1, 1)
    services.case_accept(case=case, by=staff.clerk, now=now, deferred_due_on=deferred_due_on)
    case.refresh_from_db()
    return case


def user_for_role(staff: Staff, role: str):
    return {
        Role.HANDLER: staff.handler,
        Role.REVIEWER: staff.reviewer,
        Role.APPROVER: staff.approver,
        Role.CHIEF_REPRESENTATIVE: staff.chief,
        Role.WINDOW_CLERK: staff.clerk,
    }[role]


def run_to_last_step(case: Case, staff: Staff, *, now: datetime | None = None):
    """Claim and complete every step but the last; returns the last step, claimed."""
    while True:
        step = case.steps.get(status=StepStatus.OPEN)
        user = user_for_role(staff, step.role)
        services.step_claim(step=step, by=user, now=now)
        if not case.steps.filter(status=StepStatus.WAITING).exists():
            step.refresh_from_db()
            return step
        services.step_complete(step=step, by=user, opinion="同意", now=now)


def decided_case(version: ItemVersion, staff: Staff, *, now=None, decision=Decision.APPROVED):
    case = accepted_case(version, staff, now=now)
    for material in version.materials.filter(deferrable=True):
        services.case_supply_deferred(
            case=case, material=material, upload=pdf(), by=case.applicant, now=now
        )
    last = run_to_last_step(case, staff, now=now)
    services.case_decide(
        case=case,
        by=last.assignee,
        decision=decision,
        licence_number="JY13301000000001" if decision == Decision.APPROVED else "",
        reasons="" if decision == Decision.APPROVED else "不符合法定条件",
        now=now,
    )
    case.refresh_from_db()
    return case


def joint_item_of_two(code: str = "LB-0001"):
    """A joint item (联办件) of two departments' items, each with one key material; returns the
    joint item and the two versions, the lead department's first."""
    from catalog.models import JointItem

    lead_item = item_with_procedure(materials=(("申请书", False),))
    other_item = item_with_procedure(materials=(("图纸", False),))
    joint_item = JointItem.objects.create(
        code=code, name="开办餐馆一件事", lead_department=lead_item.department
    )
    joint_item.items.add(lead_item.item, other_item.item)
    return joint_item, lead_item, other_item


def joint_case_taken_in(joint_item, *versions: ItemVersion, by, now: datetime):
    """The joint item taken in at the lead window by ``by``, a file for every material."""
    return services.joint_case_intake(
        joint_item=joint_item,
        by=by,
        applicant=WALK_IN_APPLICANT,
        files={v.pk: {m.pk: [pdf()] for m in v.materials.all()} for v in versions},
        now=now,
    )
