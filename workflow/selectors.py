"""Reads of cases shared by the workbench, the API and the portal.

The permission-checked getters are the only way a view obtains a case: staff reach the cases
of the departments they work in (center-wide roles: every department of their center), an
applicant reaches only their own. Anything else is "not found", never "forbidden", so that
case ids cannot be probed.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from catalog.models import Role, StaffMembership

from .models import Case, CaseEvent, CaseStatus, Channel, JointCase, StepRun, StepStatus
from .permissions import COMPLETE_ON_THE_SPOT, offered_actions
from .transitions import WINDOW

# Center-wide roles that see the cases of their whole center.
CASE_READING_CENTER_ROLES = frozenset({Role.SUPERVISION_OFFICER, Role.FEE_CLERK})


def _staff_scope(user) -> Q | None:
    """The filter of the cases ``user`` may see as staff, or None if they are not staff."""
    if user is None or not user.is_authenticated:
        return None
    memberships = list(
        StaffMembership.objects.filter(user=user).values("role", "department_id", "center_id")
    )
    departments = {m["department_id"] for m in memberships if m["department_id"]}
    centers = {
        m["center_id"]
        for m in memberships
        if m["center_id"] and m["role"] in CASE_READING_CENTER_ROLES
    }
    if not departments and not centers:
        return None
    scope = Q(department_id__in=departments) | Q(department__center_id__in=centers)
    # The lead department's window takes in a joint case and hands over its results: it sees
    # every sub-case of the joint cases it leads.
    leading = {
        m["department_id"] for m in memberships if m["department_id"] and m["role"] in WINDOW
    }
    if leading:
        scope |= Q(joint_case__joint_item__lead_department_id__in=leading)
    # An applicant's online draft is theirs alone until they submit it.
    return scope & ~Q(status=CaseStatus.DRAFT, channel=Channel.ONLINE)


def cases_for_staff(user) -> QuerySet[Case]:
    """The cases ``user`` may see as staff (none for non-staff), ready for list pages."""
    scope = _staff_scope(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope).select_related(
        "item_version__item",
        "department__center",
        "applicant",
        "joint_case__joint_item__lead_department",
    )


def cases_for_applicant(user) -> QuerySet[Case]:
    """The applicant's own cases."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(applicant=user).select_related(
        "item_version__item", "department", "joint_case__joint_item__lead_department"
    )


def _with_detail(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.prefetch_related(
        Prefetch("steps", queryset=StepRun.objects.select_related("assignee").order_by("id")),
        Prefetch(
            "events",
            queryset=CaseEvent.objects.select_related("actor", "step").order_by("at", "id"),
        ),
        "submissions__files__material",
        "notices",
        "suspensions",
        "extensions",
        "fees",
    )


def case_get_for_staff(*, user, pk: int) -> Case:
    """The case with everything its detail page shows, if ``user`` may see it; else Http404."""
    case = _with_detail(cases_for_staff(user)).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def joint_cases_for_staff(user) -> QuerySet[JointCase]:
    """The joint cases with a sub-case ``user`` may see, newest first."""
    return (
        JointCase.objects.filter(
            pk__in=cases_for_staff(user).filter(joint_case__isnull=False).values("joint_case_id")
        )
        .select_related("joint_item__lead_department")
        .order_by("-created_at", "-id")
    )


def joint_case_get_for_staff(*, user, pk: int) -> JointCase:
    """A joint case with all its sub-cases, if ``user`` may see one of them; else Http404."""
    joint = (
        joint_cases_for_staff(user)
        .prefetch_related(
            Prefetch(
                "sub_cases",
                queryset=Case.objects.select_related("department", "item_version").order_by(
                    "department__code", "id"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if joint is None:
        raise Http404
    return joint


def joint_sub_cases_visible_to(user, joint: JointCase) -> set[int]:
    """The ids of ``joint``'s sub-cases that ``user`` may open; the others show progress only."""
    return set(cases_for_staff(user).filter(joint_case=joint).values_list("pk", flat=True))


def case_get_for_applicant(*, user, pk: int) -> Case:
    """The applicant's own case with its detail; Http404 for anyone else's."""
    case = _with_detail(cases_for_applicant(user)).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_get_by_tracking(*, number: str, query_code: str) -> Case | None:
    """The case with this number and query code, for tracking without login."""
    if not number or not query_code:
        return None
    return (
        Case.objects.select_related("item_version__item", "department")
        .prefetch_related(Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id")))
        .filter(number=number.strip(), query_code=query_code.strip().upper())
        .first()
    )


def open_steps_for_staff(user) -> QuerySet[StepRun]:
    """Open steps of the user's departments whose role the user holds (the department queue)."""
    if user is None or not user.is_authenticated:
        return StepRun.objects.none()
    pairs = StaffMembership.objects.filter(user=user, department__isnull=False).values_list(
        "department_id", "role"
    )
    condition = Q()
    for department_id, role in pairs:
        condition |= Q(case__department_id=department_id, role=role)
    if not condition:
        return StepRun.objects.none()
    return (
        StepRun.objects.filter(condition, status=StepStatus.OPEN)
        .select_related("case__item_version__item", "case__department", "assignee")
        # Green-channel cases (绿色通道) come first, then the most urgent.
        .order_by("-case__green_channel", "due_on", "id")
    )


__all__ = ["COMPLETE_ON_THE_SPOT", "offered_actions"]


def deferred_materials_pending(case: Case) -> list:
    """The required materials that may come later (容缺) and have not come yet."""
    supplied = {
        file.material_id for submission in case.submissions.all() for file in submission.files.all()
    }
    return [
        material
        for material in case.item_version.materials.all()
        if material.required and material.deferrable and material.pk not in supplied
    ]


def fees_unrecorded(case: Case) -> list:
    """The item's fees that have no record on the case yet."""
    recorded = {fee.name for fee in case.fees.all()}
    return [fee for fee in case.item_version.fees.all() if fee.name not in recorded]


def steps_claimed_by(user) -> QuerySet[StepRun]:
    """The open steps ``user`` has claimed (my tasks), most urgent first."""
    if user is None or not user.is_authenticated:
        return StepRun.objects.none()
    return (
        StepRun.objects.filter(status=StepStatus.OPEN, assignee=user)
        .select_related("case__item_version__item", "case__department")
        .order_by("due_on", "id")
    )


def extensions_awaiting_decision(user):
    """Requested extensions of the cases of departments where ``user`` is the leader (Art. 42)."""
    from .models import Extension, ExtensionStatus

    if user is None or not user.is_authenticated:
        return Extension.objects.none()
    departments = StaffMembership.objects.filter(
        user=user, role=Role.APPROVER, department__isnull=False
    ).values("department_id")
    return (
        Extension.objects.filter(
            status=ExtensionStatus.REQUESTED,
            case__department_id__in=departments,
            case__status__in=[CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS],
        )
        .select_related("case__item_version__item", "case__department", "requested_by")
        .order_by("requested_at", "id")
    )
