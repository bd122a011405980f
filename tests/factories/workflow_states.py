"""A case in any state of the lifecycle, reached through the services, and the one valid way to
take each action on it.

``case_in_state`` walks a case along the lifecycle to the asked state; ``action_prepare`` makes
an action's own preconditions true (a step claimed, the fees recorded…) where the transition
table allows it; ``action_take`` takes it through the action registry with valid input
(``action_data``), as the workbench and the API do. Tests of the
transition table and of the roles build on these three, and compare ``case_snapshot`` before
and after a refused action to show that nothing changed.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import time_machine

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
from workflow import actions, services
from workflow.models import Case, CaseStatus, Decision, DeliveryMethod, StepRun, StepStatus
from workflow.permissions import COMPLETE_ON_THE_SPOT
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
    agent_staff=None,
) -> Case:
    """An online case of ``version`` brought to ``status`` through the services.

    ``in_progress`` means the first step is done and the second is open and unclaimed;
    ``withdrawn`` is withdrawn from there, so it has steps (cancelled) like a decided case.
    With ``pending_extension``, an extension is requested right after acceptance and left
    undecided (only for states from ``accepted`` on). With ``agent_staff``, the case is an
    agent service (代办) with that staff member as agent.
    """
    if status == CaseStatus.DRAFT:
        return draft_case(version, now=now, agent_staff=agent_staff)
    if status in (CaseStatus.SUBMITTED, CaseStatus.NEEDS_SUPPLEMENT, CaseStatus.REJECTED):
        case = submitted_case(version, now=now, agent_staff=agent_staff)
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
    case = accepted_case(
        version,
        staff,
        now=now,
        deferred_due_on=now.date() + timedelta(days=60),
        agent_staff=agent_staff,
    )
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
    if action in (
        Action.SUBMIT,
        Action.WITHDRAW,
        Action.SUPPLY_DEFERRED,
        Action.CHOOSE_DELIVERY,
    ):
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


def action_data(action: str, case: Case, *, now: datetime) -> dict:
    """Valid input for ``action`` on ``case``, under the API's field names, as a form filled in
    correctly sends it; a step action names the step it acts on (``acting_step``)."""
    version = case.item_version
    materials = list(version.materials.order_by("order"))
    deferrable = [m for m in materials if m.deferrable]
    if action in STEP_ACTIONS:
        step = acting_step(case)
        data = {"step": step.pk if step is not None else None}
        if action == Action.COMPLETE_STEP:
            data["opinion"] = "材料齐全，同意"
        elif action == Action.RETURN_STEP:
            data["reason"] = "需补充现场照片"
        return data
    if action == Action.REQUEST_SUPPLEMENT:
        material = next((m for m in materials if m.name == SUPPLEMENTED_MATERIAL), materials[0])
        return {"items": [{"material": material.pk, "reason": "复印件不清晰"}]}
    if action == Action.ACCEPT:
        return {"deferred_due_on": now.date() + timedelta(days=60) if deferrable else None}
    if action == Action.APPROVE_EXTENSION:
        extension = case.extensions.order_by("-id").first()
        return {"extension": extension.pk if extension else None, "approve": True}
    if action == Action.SUPPLY_DEFERRED:
        return {"material": (deferrable or materials)[0].pk, "file": pdf()}
    if action == Action.RECORD_FEE:
        fee = version.fees.order_by("pk").first()
        return {
            "fee_name": fee.name if fee else FEE_NAME,
            "amount": fee.amount if fee else Decimal(FEE_AMOUNT),
            "receipt_number": "R-0001",
        }
    return {
        Action.SUBMIT: {},
        Action.WITHDRAW: {"reason": "不再需要"},
        Action.REJECT: {"reason": "不属于本部门职权范围"},
        Action.SUSPEND: {"procedure": "testing", "reason": "送检验机构检测", "expected_days": 5},
        Action.RESUME: {},
        Action.REQUEST_EXTENSION: {"days": 5, "reason": "情况复杂，需现场核查"},
        Action.DECIDE: {"decision": Decision.APPROVED, "licence_number": "JY13301000000002"},
        Action.CHOOSE_DELIVERY: {
            "method": DeliveryMethod.POST,
            "recipient": "张三",
            "phone": "13800138000",
            "address": "示范市人民路1号",
        },
        Action.DELIVER: {"method": DeliveryMethod.PICKUP},
        COMPLETE_ON_THE_SPOT: {"licence_number": "JB2026001"},
    }[action]


def action_take(action: str, case: Case, *, by, now: datetime, **extra) -> str:
    """Take ``action`` on ``case`` as ``by`` through the action registry, with valid input,
    at the moment ``now``; the registry's success message.

    ``extra`` joins the input (``expected_revision=…``).
    """
    data = {**action_data(action, case, now=now), **extra}
    with time_machine.travel(now, tick=False):
        return actions.perform(action, case=case, by=by, data=data)


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
