"""A case in any state of the lifecycle, reached through the services, and the one valid way to
take each action on it.

``case_in_state`` walks a case along the lifecycle to the asked state; ``action_prepare`` makes
an action's own preconditions true (a step claimed, the fees recorded…) where the transition
table allows it; ``action_take`` calls the action's service with valid arguments. Tests of the
transition table and of the roles build on these three, and compare ``case_snapshot`` before
and after a refused action to show that nothing changed.
"""

from datetime import datetime, timedelta

from catalog.models import ItemVersion
from tests.factories.workflow import (
    Staff,
    accepted_case,
    draft_case,
    item_with_procedure,
    pdf,
    run_to_last_step,
    submitted_case,
    user_for_role,
)
from workflow import services
from workflow.models import Case, CaseStatus, Decision, DeliveryMethod, StepRun, StepStatus
from workflow.transitions import Action

FEE_NAME = "工本费"
FEE_AMOUNT = "10.00"
# The materials of ``procedure_item``: two key materials and one that may come later (容缺).
SUPPLEMENTED_MATERIAL = "营业执照"
DEFERRED_MATERIAL = "场所证明"

# Actions addressed to a step or to an extension rather than to the case itself: before
# acceptance a case has neither, so there is nothing these actions could be taken on.
STEP_ACTIONS = frozenset({Action.CLAIM_STEP, Action.COMPLETE_STEP, Action.RETURN_STEP})
EXTENSION_ACTIONS = frozenset({Action.APPROVE_EXTENSION})
BEFORE_ACCEPTANCE = frozenset(
    {CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.NEEDS_SUPPLEMENT, CaseStatus.REJECTED}
)


def procedure_item(**fields) -> ItemVersion:
    """承办 (handler) → 审核 (reviewer) → 审批 (approver), a 10-yuan fee, one 容缺 material."""
    fields.setdefault("fees", ((FEE_NAME, FEE_AMOUNT),))
    return item_with_procedure(**fields)


def open_step(case: Case) -> StepRun | None:
    return case.steps.filter(status=StepStatus.OPEN).first()


def case_in_state(
    status: str,
    version: ItemVersion,
    staff: Staff,
    *,
    now: datetime,
    pending_extension: bool = False,
) -> Case:
    """An online case of ``version`` brought to ``status`` through the services.

    ``in_progress`` means the first step is done and the second is open and unclaimed;
    ``withdrawn`` is withdrawn from there, so it has steps (cancelled) like a decided case.
    With ``pending_extension``, an extension is requested right after acceptance and left
    undecided (only for states from ``accepted`` on).
    """
    if status == CaseStatus.DRAFT:
        return draft_case(version, now=now)
    if status in (CaseStatus.SUBMITTED, CaseStatus.NEEDS_SUPPLEMENT, CaseStatus.REJECTED):
        case = submitted_case(version, now=now)
        if status == CaseStatus.NEEDS_SUPPLEMENT:
            material = version.materials.get(name=SUPPLEMENTED_MATERIAL)
            services.case_request_supplement(
                case=case,
                by=staff.clerk,
                items=[{"material": material.pk, "reason": "已过有效期"}],
                now=now,
            )
        elif status == CaseStatus.REJECTED:
            services.case_reject(case=case, by=staff.clerk, reason="不属于本部门职权范围", now=now)
        case.refresh_from_db()
        return case
    if status not in CaseStatus.values:
        raise ValueError(status)
    case = accepted_case(version, staff, now=now, deferred_due_on=now.date() + timedelta(days=60))
    if pending_extension:
        services.extension_request(
            case=case, by=staff.handler, days=5, reason="需现场核查", now=now
        )
    if status != CaseStatus.ACCEPTED:
        first = open_step(case)
        services.step_claim(step=first, by=user_for_role(staff, first.role), now=now)
        services.step_complete(
            step=first, by=user_for_role(staff, first.role), opinion="同意", now=now
        )
    if status == CaseStatus.WITHDRAWN:
        services.case_withdraw(case=case, by=case.applicant, reason="不再需要", now=now)
    elif status in (CaseStatus.DECIDED, CaseStatus.COMPLETED):
        _supply_deferred(case, now=now)
        last = run_to_last_step(case, staff, now=now)
        services.case_decide(
            case=case,
            by=last.assignee,
            decision=Decision.APPROVED,
            licence_number="JY13301000000001",
            now=now,
        )
        if status == CaseStatus.COMPLETED:
            _record_fees(case, staff, now=now)
            services.case_deliver(case=case, by=staff.clerk, method=DeliveryMethod.PICKUP, now=now)
    case.refresh_from_db()
    return case


def _supply_deferred(case: Case, *, now: datetime) -> None:
    material = case.item_version.materials.get(name=DEFERRED_MATERIAL)
    services.case_supply_deferred(
        case=case, material=material, upload=pdf(), by=case.applicant, now=now
    )


def _record_fees(case: Case, staff: Staff, *, now: datetime) -> None:
    for fee in case.item_version.fees.all():
        services.fee_record(
            case=case,
            by=staff.fee_clerk,
            fee_name=fee.name,
            amount=fee.amount,
            receipt_number=f"R-{case.pk}-{fee.pk}",
            now=now,
        )


def action_prepare(action: Action, case: Case, staff: Staff, *, now: datetime) -> None:
    """Make the preconditions of ``action`` true on ``case``, which is in a state it applies in.

    Afterwards one call of ``action_take`` by the right user succeeds.
    """
    if action == Action.SUBMIT and case.status == CaseStatus.NEEDS_SUPPLEMENT:
        material = case.item_version.materials.get(name=SUPPLEMENTED_MATERIAL)
        services.case_attach_material(
            case=case, material=material, upload=pdf(), by=case.applicant, now=now
        )
    elif action in (Action.COMPLETE_STEP, Action.RETURN_STEP):
        step = open_step(case)
        services.step_claim(step=step, by=user_for_role(staff, step.role), now=now)
    elif action == Action.RESUME:
        services.case_suspend(
            case=case,
            by=staff.handler,
            procedure="expert_review",
            reason="组织专家评审",
            expected_days=5,
            now=now,
        )
    elif action == Action.APPROVE_EXTENSION and not case.extensions.exists():
        services.extension_request(
            case=case, by=staff.handler, days=5, reason="需现场核查", now=now
        )
    elif action == Action.DECIDE:
        _supply_deferred(case, now=now)
        run_to_last_step(case, staff, now=now)
    elif action == Action.DELIVER:
        _record_fees(case, staff, now=now)
    case.refresh_from_db()


def acting_step(case: Case) -> StepRun | None:
    """The step a step action addresses: the open one, else the case's latest step."""
    return open_step(case) or case.steps.order_by("-id").first()


def rightful_user(action: Action, case: Case, staff: Staff):
    """The user who may take ``action`` on ``case`` (the applicant for the applicant's actions)."""
    if action in (Action.SUBMIT, Action.WITHDRAW, Action.SUPPLY_DEFERRED):
        return case.applicant
    step = acting_step(case)
    if action in STEP_ACTIONS or (action == Action.DECIDE and step is not None):
        return step.assignee or user_for_role(staff, step.role)
    return {
        Action.REQUEST_SUPPLEMENT: staff.clerk,
        Action.REJECT: staff.clerk,
        Action.ACCEPT: staff.clerk,
        Action.SUSPEND: staff.handler,
        Action.RESUME: staff.handler,
        Action.REQUEST_EXTENSION: staff.handler,
        Action.APPROVE_EXTENSION: staff.approver,
        Action.RECORD_FEE: staff.fee_clerk,
        Action.DELIVER: staff.clerk,
        # Before acceptance no step exists; the approver of the last step decides.
        Action.DECIDE: staff.approver,
    }[action]


def action_take(action: Action, case: Case, *, by, now: datetime, **extra):
    """Call the service of ``action`` on ``case`` as ``by``, with valid arguments.

    ``extra`` goes to the service (``expected_revision=…``).
    """
    if action == Action.SUBMIT:
        return services.case_submit(case=case, by=by, now=now, **extra)
    if action == Action.WITHDRAW:
        return services.case_withdraw(case=case, by=by, reason="不再需要", now=now, **extra)
    if action == Action.REQUEST_SUPPLEMENT:
        material = case.item_version.materials.get(name=SUPPLEMENTED_MATERIAL)
        return services.case_request_supplement(
            case=case,
            by=by,
            items=[{"material": material.pk, "reason": "复印件不清晰"}],
            now=now,
            **extra,
        )
    if action == Action.REJECT:
        return services.case_reject(
            case=case, by=by, reason="不属于本部门职权范围", now=now, **extra
        )
    if action == Action.ACCEPT:
        return services.case_accept(
            case=case, by=by, deferred_due_on=now.date() + timedelta(days=60), now=now, **extra
        )
    if action == Action.CLAIM_STEP:
        return services.step_claim(step=acting_step(case), by=by, now=now, **extra)
    if action == Action.COMPLETE_STEP:
        return services.step_complete(
            step=acting_step(case), by=by, opinion="材料齐全，同意", now=now, **extra
        )
    if action == Action.RETURN_STEP:
        return services.step_return(
            step=acting_step(case), by=by, reason="需补充现场照片", now=now, **extra
        )
    if action == Action.SUSPEND:
        return services.case_suspend(
            case=case,
            by=by,
            procedure="testing",
            reason="送检验机构检测",
            expected_days=5,
            now=now,
            **extra,
        )
    if action == Action.RESUME:
        return services.case_resume(case=case, by=by, now=now, **extra)
    if action == Action.REQUEST_EXTENSION:
        return services.extension_request(
            case=case, by=by, days=5, reason="情况复杂，需现场核查", now=now, **extra
        )
    if action == Action.APPROVE_EXTENSION:
        extension = case.extensions.order_by("-id").first()
        return services.extension_decide(extension=extension, by=by, approve=True, now=now, **extra)
    if action == Action.SUPPLY_DEFERRED:
        material = case.item_version.materials.get(name=DEFERRED_MATERIAL)
        return services.case_supply_deferred(
            case=case, material=material, upload=pdf(), by=by, now=now, **extra
        )
    if action == Action.DECIDE:
        return services.case_decide(
            case=case,
            by=by,
            decision=Decision.APPROVED,
            licence_number="JY13301000000002",
            now=now,
            **extra,
        )
    if action == Action.RECORD_FEE:
        return services.fee_record(
            case=case,
            by=by,
            fee_name=FEE_NAME,
            amount=FEE_AMOUNT,
            receipt_number="R-0001",
            now=now,
            **extra,
        )
    if action == Action.DELIVER:
        return services.case_deliver(
            case=case, by=by, method=DeliveryMethod.PICKUP, now=now, **extra
        )
    raise ValueError(action)


def case_snapshot(case: Case) -> dict:
    """Everything an action could change about ``case``, read fresh from the database."""
    stored = Case.objects.get(pk=case.pk)
    return {
        "status": stored.status,
        "revision": stored.revision,
        "due_on": (stored.due_on, stored.statutory_due_on, stored.delivery_due_on),
        "suspended_since": stored.suspended_since,
        "number": stored.number,
        "decision": stored.decision,
        "events": stored.events.count(),
        "steps": list(
            stored.steps.order_by("id").values_list("id", "status", "assignee_id", "due_on")
        ),
        "notices": list(stored.notices.order_by("id").values_list("id", flat=True)),
        "submissions": list(
            stored.submissions.order_by("id").values_list("id", "submitted_at", "received_on")
        ),
        "files": list(stored.submissions.values_list("files__id", flat=True).order_by("files__id")),
        "suspensions": list(stored.suspensions.order_by("id").values_list("id", "ended_on")),
        "extensions": list(stored.extensions.order_by("id").values_list("id", "status")),
        "fees": list(stored.fees.order_by("id").values_list("id", flat=True)),
        "notifications": stored.notifications.count(),
    }
