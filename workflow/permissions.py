"""Who may take which action on a case now — the one guard, asked twice.

The services call :func:`require` before they write; the workbench, the API's ``actions`` list
and the online hall call :func:`offered_actions`. Both run the same rule of each action, so a
button is shown exactly when pressing it would be accepted (a test walks every action, state
and role to prove it). A rule checks, in this order, that the action applies in the case's
status (``transitions.py``), that the user may take it (their standing: applicant, agent or the
staff role it needs), and the case's own facts (an open step, a pending material, a fee left to
record…). It raises the refusal the user is shown; input (a reason, a date, a file) is the
service's to check.

A rule reads the case through its relations (``case.steps.all()``…), so on a page whose getter
prefetched them it makes no query; in a service, each fact is read once, on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from catalog.models import FeeItem, Material, StaffMembership

from .exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError
from .models import (
    Case,
    CaseStatus,
    Channel,
    Decision,
    Extension,
    ExtensionStatus,
    FeeRecord,
    MaterialFile,
    StepRun,
    StepStatus,
    Submission,
)
from .prepared import Prepared
from .transitions import (
    APPLICANT_ACTIONS,
    STAFF_ROLES,
    TRANSITIONS,
    WINDOW,
    Action,
    check_transition,
)
from .versions import item_version

# The workbench's one-visit action for immediate items (即办件): not a transition of its own but
# claim → decide → deliver in one go, so it has no entry in the transition table.
COMPLETE_ON_THE_SPOT = "complete-on-the-spot"

# A joint case is taken in, and its results handed over, at the lead department's window.
LEAD_WINDOW_ACTIONS = frozenset(
    {Action.SUBMIT, Action.ACCEPT, Action.CHOOSE_DELIVERY, Action.DELIVER, Action.WITHDRAW}
)


class Capacity(StrEnum):
    """In which capacity a user takes an action."""

    APPLICANT = "applicant"
    AGENT = "agent"
    STAFF = "staff"


Membership = tuple[str, int | None, int | None]  # (role, department id, center id)


def memberships_of(user: Any) -> list[Membership]:
    """Every role ``user`` holds, as (role, department id, center id); one query.

    Kept on the user object, as ``catalog.roles.user_roles`` keeps its roles: a request (or a
    one-visit intake running several services) asks the database once. ``membership_grant``
    and ``membership_revoke`` forget it.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, MEMBERSHIPS_ATTRIBUTE, None)
    if cached is None:
        cached = list(
            StaffMembership.objects.filter(user=user).values_list(
                "role", "department_id", "center_id"
            )
        )
        setattr(user, MEMBERSHIPS_ATTRIBUTE, cached)
    return cached


# Where memberships_of keeps a user's roles; catalog.roles drops it when they change.
MEMBERSHIPS_ATTRIBUTE = "_approval_memberships"


def departments_staffed(user: Any, roles: frozenset[str] = WINDOW) -> frozenset[int]:
    """The departments where ``user`` holds one of ``roles`` (by default a window role: the
    window clerks and chief representatives who answer the public). Read from
    :func:`memberships_of`, so it adds no query to a request that already asked."""
    return frozenset(
        department_id
        for role, department_id, _center in memberships_of(user)
        if department_id is not None and role in roles
    )


@dataclass(frozen=True)
class Standing:
    """Who a user is on one case."""

    user_id: int | None
    # Staff roles in the case's department, or center-wide in its center.
    roles: frozenset[str]
    # Whether the user works in the case's own department.
    in_department: bool
    # Whether the user holds a window role in the lead department of the case's joint case.
    lead_window: bool
    applicant: bool
    agent: bool


def standing_on(user: Any, case: Case) -> Standing:
    """The user's standing on ``case``: their roles there, and whether they are its applicant or
    its agent (代办)."""
    memberships = memberships_of(user)
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    center_id = case.department.center_id
    roles = frozenset(
        role
        for role, department_id, member_center_id in memberships
        if department_id == case.department_id or (center_id and member_center_id == center_id)
    )
    in_department = any(d == case.department_id for _, d, _c in memberships)
    lead_window = False
    if case.joint_case is not None and memberships:
        lead = case.joint_case.joint_item.lead_department_id
        lead_window = any(d == lead and role in WINDOW for role, d, _c in memberships)
    return Standing(
        user_id=user_id,
        roles=roles,
        in_department=in_department,
        lead_window=lead_window,
        applicant=user_id is not None and case.applicant_id == user_id,
        agent=user_id is not None and case.agent_service and case.agent_staff_id == user_id,
    )


def _case_steps(case: int) -> QuerySet[StepRun]:
    return StepRun.objects.filter(case_id=case).order_by("id")


def _case_files(case: int) -> QuerySet[MaterialFile, tuple[int, Any]]:
    """The case's files: which material each is for and when its round was sent in."""
    return MaterialFile.objects.filter(submission__case_id=case).values_list(
        "material_id", "submission__submitted_at"
    )


def _case_fee_records(case: int) -> QuerySet[FeeRecord, str]:
    return FeeRecord.objects.filter(case_id=case).values_list("name", flat=True)


def _case_open_rounds(case: int) -> QuerySet[Submission]:
    return Submission.objects.filter(case_id=case, submitted_at__isnull=True)


# Read on every action: compiled once (see workflow.prepared).
CASE_STEPS = Prepared(_case_steps, case=int)
CASE_FILES = Prepared(_case_files, case=int)
CASE_FEE_RECORDS = Prepared(_case_fee_records, case=int)
CASE_OPEN_ROUNDS = Prepared(_case_open_rounds, case=int)


class Situation:
    """A case as the rules see it, for one user: their standing and the case's facts.

    Each fact is read from the case's relations the first time a rule asks for it.
    ``step`` and ``extension`` name what a step or extension action acts on; without them the
    rule looks at the open step and the requested extension, as a page offering actions does.
    """

    def __init__(
        self,
        case: Case,
        user: Any,
        *,
        step: StepRun | None = None,
        extension: Extension | None = None,
        standing: Standing | None = None,
    ) -> None:
        self.case = case
        self.user = user
        self.target_step = step
        self.target_extension = extension
        self.standing = standing or standing_on(user, case)

    @cached_property
    def steps(self) -> list[StepRun]:
        if "steps" in getattr(self.case, "_prefetched_objects_cache", {}):
            return list(self.case.steps.all())
        steps = CASE_STEPS.run(case=self.case.pk)
        for step in steps:
            step.case = self.case
        return steps

    @cached_property
    def open_step(self) -> StepRun | None:
        return next((s for s in self.steps if s.status == StepStatus.OPEN), None)

    @cached_property
    def next_waiting(self) -> StepRun | None:
        waiting = [s for s in self.steps if s.status == StepStatus.WAITING]
        return min(waiting, key=lambda s: (s.order, s.pk), default=None)

    @cached_property
    def materials(self) -> list[Material]:
        """The item's materials, each knowing whether a file has come for it (``supplied``)
        and whether one is in the round being prepared (``in_open_round``): from the case's
        rounds when a page's getter prefetched them, else from one query."""
        if "submissions" in getattr(self.case, "_prefetched_objects_cache", {}):
            files = [
                (f.material_id, s.submitted_at)
                for s in self.case.submissions.all()
                for f in s.files.all()
            ]
        else:
            files = CASE_FILES.run(case=self.case.pk)
        came = {material for material, _sent in files}
        in_round = {material for material, sent in files if sent is None}
        # Copies: the version's own rows are shared by every case applied for it.
        materials = [copy(m) for m in item_version(self.case.item_version_id).materials.all()]
        for material in materials:
            material.supplied = material.pk in came  # type: ignore[attr-defined]
            material.in_open_round = material.pk in in_round  # type: ignore[attr-defined]
        return materials

    @cached_property
    def supplied(self) -> set[int]:
        """The materials a file has come for, in any round."""
        return {m.pk for m in self.materials if m.supplied}  # type: ignore[attr-defined]

    @cached_property
    def open_round(self) -> Submission | None:
        """The round of materials being prepared (a draft or a supplement), if any."""
        if "submissions" in getattr(self.case, "_prefetched_objects_cache", {}):
            rounds = [s for s in self.case.submissions.all() if s.submitted_at is None]
        else:
            rounds = CASE_OPEN_ROUNDS.run(case=self.case.pk)
            for round_ in rounds:
                round_.case = self.case
        return max(rounds, key=lambda s: s.round, default=None)

    @cached_property
    def missing_key(self) -> list[Material]:
        """Required materials that have not come and cannot come later."""
        return [
            m
            for m in self.materials
            if m.required and not m.deferrable and m.pk not in self.supplied
        ]

    @cached_property
    def pending_deferred(self) -> list[Material]:
        """Required materials accepted as pending (容缺) that have not come yet."""
        return [
            m for m in self.materials if m.required and m.deferrable and m.pk not in self.supplied
        ]

    @cached_property
    def extensions(self) -> list[Extension]:
        return list(self.case.extensions.all())

    @cached_property
    def requested_extension(self) -> Extension | None:
        return next((e for e in self.extensions if e.status == ExtensionStatus.REQUESTED), None)

    @cached_property
    def fees(self) -> list[FeeItem]:
        """The item's fees, each knowing whether the case has a record of it (``recorded``):
        from the case's fee records when a page's getter prefetched them, else one query."""
        if "fees" in getattr(self.case, "_prefetched_objects_cache", {}):
            recorded = {fee.name for fee in self.case.fees.all()}
        else:
            recorded = set(CASE_FEE_RECORDS.run(case=self.case.pk))
        fees = [copy(fee) for fee in item_version(self.case.item_version_id).fees.all()]
        for fee in fees:
            fee.recorded = fee.name in recorded  # type: ignore[attr-defined]
        return fees

    @cached_property
    def unrecorded_fees(self) -> list[FeeItem]:
        return [fee for fee in self.fees if not fee.recorded]  # type: ignore[attr-defined]

    @property
    def suspended(self) -> bool:
        return self.case.suspended_since is not None

    def step(self) -> StepRun | None:
        """The step a step action acts on: the one named, else the open one."""
        return self.target_step if self.target_step is not None else self.open_step


# --- the parts every rule is made of ----------------------------------------------------------


def _applies(action: Action, situation: Situation) -> None:
    check_transition(action, situation.case.status)


def _as_staff(situation: Situation, needed: frozenset[str], *, lead: bool = False) -> Capacity:
    """STAFF when the user holds one of ``needed`` for the case; else ``ActionForbidden``."""
    held = situation.standing.roles
    if lead and situation.standing.lead_window:
        held = held | WINDOW
    if held & needed:
        return Capacity.STAFF
    raise ActionForbidden()


def _as_applicant_or_staff(situation: Situation, action: Action) -> Capacity:
    """The applicant and their agent (代办) take the applicant's actions; window staff too."""
    if action in APPLICANT_ACTIONS:
        if situation.standing.applicant:
            return Capacity.APPLICANT
        # An online draft is the applicant's alone until they submit it: no staff list shows it.
        if situation.case.status == CaseStatus.DRAFT and situation.case.channel == Channel.ONLINE:
            raise ActionForbidden()
        if situation.standing.agent:
            return Capacity.AGENT
    return _as_staff(situation, STAFF_ROLES[action], lead=action in LEAD_WINDOW_ACTIONS)


def _staff_for(action: Action) -> Callable[[Situation], Capacity]:
    return lambda situation: _as_staff(
        situation, STAFF_ROLES[action], lead=action in LEAD_WINDOW_ACTIONS
    )


def _holds_step_role(situation: Situation, step: StepRun) -> Capacity:
    """Step actions need the role the step names, in the case's department."""
    return _as_staff(situation, frozenset({step.role}))


def _working_on(situation: Situation, step: StepRun) -> None:
    if step.status != StepStatus.OPEN:
        raise TransitionNotAllowed(_("This step is not open."))
    if step.assignee_id != situation.standing.user_id:
        raise ActionForbidden(_("Claim this step before you act on it."))
    if situation.suspended:
        raise TransitionNotAllowed(_("The case is suspended; resume it first."))


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _names(materials: list) -> str:
    return "、".join(m.name for m in materials)


# --- one rule per action -----------------------------------------------------------------------


def _submit(situation: Situation) -> Capacity:
    _applies(Action.SUBMIT, situation)
    capacity = _as_applicant_or_staff(situation, Action.SUBMIT)
    missing = submission_missing(situation)
    if missing:
        raise InvalidInput(
            _("Attach these materials before you submit: %(names)s.") % {"names": _names(missing)}
        )
    return capacity


def submission_missing(situation: Situation) -> list[Material]:
    """What the round being prepared still lacks: every required material that cannot come
    later (first round), or every material the supplement notice asked for (a later one)."""
    case = situation.case
    in_round = {m.pk for m in situation.materials if m.in_open_round}  # type: ignore[attr-defined]
    if case.status == CaseStatus.DRAFT:
        needed = [m for m in situation.materials if m.required and not m.deferrable]
    else:
        requested = requested_material_ids(case)
        needed = [m for m in situation.materials if m.pk in requested]
    return [m for m in needed if m.pk not in in_round]


def requested_material_ids(case: Case) -> set[int]:
    """The materials the latest supplement notice asked for."""
    from .models import NoticeKind

    notices = [n for n in case.notices.all() if n.kind == NoticeKind.SUPPLEMENT]
    if not notices:
        return set()
    latest = max(notices, key=lambda n: (n.issued_at, n.pk))
    return {entry["id"] for entry in latest.content.get("materials", [])}


def _withdraw(situation: Situation) -> Capacity:
    _applies(Action.WITHDRAW, situation)
    return _as_applicant_or_staff(situation, Action.WITHDRAW)


def _request_supplement(situation: Situation) -> Capacity:
    _applies(Action.REQUEST_SUPPLEMENT, situation)
    return _staff_for(Action.REQUEST_SUPPLEMENT)(situation)


def _reject(situation: Situation) -> Capacity:
    _applies(Action.REJECT, situation)
    return _staff_for(Action.REJECT)(situation)


def _accept(situation: Situation) -> Capacity:
    _applies(Action.ACCEPT, situation)
    capacity = _staff_for(Action.ACCEPT)(situation)
    if situation.missing_key:
        raise InvalidInput(
            _("These required materials have not come: %(names)s. Request a supplement.")
            % {"names": _names(situation.missing_key)}
        )
    return capacity


def _claim_step(situation: Situation) -> Capacity:
    _applies(Action.CLAIM_STEP, situation)
    step = situation.step()
    if step is None:
        raise TransitionNotAllowed(_("This step is not open."))
    capacity = _holds_step_role(situation, step)
    if step.status != StepStatus.OPEN:
        raise TransitionNotAllowed(_("This step is not open."))
    if step.assignee_id is not None:
        raise TransitionNotAllowed(
            _("%(name)s has already claimed this step.") % {"name": _person(step.assignee)}
        )
    return capacity


def _complete_step(situation: Situation) -> Capacity:
    _applies(Action.COMPLETE_STEP, situation)
    step = situation.step()
    if step is None:
        raise TransitionNotAllowed(_("No step is open."))
    capacity = _holds_step_role(situation, step)
    _working_on(situation, step)
    if situation.next_waiting is None:
        raise TransitionNotAllowed(_("This is the last step: it ends with the decision."))
    return capacity


def _return_step(situation: Situation) -> Capacity:
    _applies(Action.RETURN_STEP, situation)
    step = situation.step()
    if step is None:
        raise TransitionNotAllowed(_("No step is open."))
    capacity = _holds_step_role(situation, step)
    _working_on(situation, step)
    if step.order == 1:
        raise TransitionNotAllowed(_("The first step has no previous step to go back to."))
    return capacity


def _decide(situation: Situation) -> Capacity:
    _applies(Action.DECIDE, situation)
    step = situation.open_step
    if step is None:
        raise TransitionNotAllowed(_("No step is open."))
    capacity = _holds_step_role(situation, step)
    _working_on(situation, step)
    if situation.next_waiting is not None:
        raise TransitionNotAllowed(_("Steps remain after this one; no step can be skipped."))
    if situation.pending_deferred:
        due = situation.case.deferred_due_on
        if due is not None:
            raise TransitionNotAllowed(
                _(
                    "The decision waits for the materials accepted as pending (容缺): %(names)s, "
                    "due by %(date)s."
                )
                % {"names": _names(situation.pending_deferred), "date": due.isoformat()}
            )
        raise TransitionNotAllowed(
            _("Materials accepted as pending have not come yet: %(names)s.")
            % {"names": _names(situation.pending_deferred)}
        )
    return capacity


def _suspend(situation: Situation) -> Capacity:
    _applies(Action.SUSPEND, situation)
    capacity = _staff_for(Action.SUSPEND)(situation)
    if not situation.case.suspension_allowed:
        raise TransitionNotAllowed(_("This item does not allow suspension."))
    if situation.suspended:
        raise TransitionNotAllowed(_("The case is already suspended."))
    return capacity


def _resume(situation: Situation) -> Capacity:
    _applies(Action.RESUME, situation)
    capacity = _staff_for(Action.RESUME)(situation)
    if not situation.suspended:
        raise TransitionNotAllowed(_("The case is not suspended."))
    return capacity


def _request_extension(situation: Situation) -> Capacity:
    _applies(Action.REQUEST_EXTENSION, situation)
    capacity = _staff_for(Action.REQUEST_EXTENSION)(situation)
    if not situation.case.extension_allowed:
        raise TransitionNotAllowed(_("This item does not allow an extension."))
    if any(
        e.status in (ExtensionStatus.REQUESTED, ExtensionStatus.APPROVED)
        for e in situation.extensions
    ):
        raise TransitionNotAllowed(_("The limit can be extended only once."))
    return capacity


def _approve_extension(situation: Situation) -> Capacity:
    _applies(Action.APPROVE_EXTENSION, situation)
    capacity = _staff_for(Action.APPROVE_EXTENSION)(situation)
    extension = situation.target_extension or situation.requested_extension
    if extension is None:
        raise TransitionNotAllowed(_("No extension is waiting for a decision."))
    if extension.status != ExtensionStatus.REQUESTED:
        raise TransitionNotAllowed(_("This extension has already been decided."))
    return capacity


def _supply_deferred(situation: Situation) -> Capacity:
    _applies(Action.SUPPLY_DEFERRED, situation)
    capacity = _as_applicant_or_staff(situation, Action.SUPPLY_DEFERRED)
    if not situation.pending_deferred:
        raise TransitionNotAllowed(_("No material accepted as pending is outstanding."))
    return capacity


def _record_fee(situation: Situation) -> Capacity:
    _applies(Action.RECORD_FEE, situation)
    capacity = _as_staff(situation, STAFF_ROLES[Action.RECORD_FEE])
    if situation.case.decision != Decision.APPROVED:
        raise TransitionNotAllowed(_("Fees are collected only for an approval."))
    if not situation.unrecorded_fees:
        raise TransitionNotAllowed(_("Every fee of this item has been recorded."))
    return capacity


def _choose_delivery(situation: Situation) -> Capacity:
    # Until the window hands the result over, the applicant may change their mind.
    _applies(Action.CHOOSE_DELIVERY, situation)
    return _as_applicant_or_staff(situation, Action.CHOOSE_DELIVERY)


def _deliver(situation: Situation) -> Capacity:
    _applies(Action.DELIVER, situation)
    capacity = _staff_for(Action.DELIVER)(situation)
    if situation.case.decision == Decision.APPROVED and situation.unrecorded_fees:
        raise TransitionNotAllowed(
            _("Record these fees first: %(names)s.") % {"names": _names(situation.unrecorded_fees)}
        )
    return capacity


def _complete_on_the_spot(situation: Situation) -> Capacity:
    case = situation.case
    if not case.is_immediate:
        raise TransitionNotAllowed(_("Only an immediate item is completed on the spot."))
    _applies(Action.CLAIM_STEP, situation)
    step = situation.open_step
    if step is None:
        raise TransitionNotAllowed(_("No step is open."))
    capacity = _holds_step_role(situation, step)
    _as_staff(situation, WINDOW)
    if step.assignee_id not in (None, situation.standing.user_id):
        raise TransitionNotAllowed(
            _("%(name)s has already claimed this step.") % {"name": _person(step.assignee)}
        )
    if situation.suspended:
        raise TransitionNotAllowed(_("The case is suspended; resume it first."))
    if situation.pending_deferred:
        raise TransitionNotAllowed(
            _("Materials accepted as pending have not come yet: %(names)s.")
            % {"names": _names(situation.pending_deferred)}
        )
    # Fees are recorded after the decision and before the hand-over, so one visit cannot do both.
    if situation.fees:
        raise TransitionNotAllowed(
            _("This item has fees (%(names)s): decide, record the fees, then deliver the result.")
            % {"names": _names(situation.fees)}
        )
    return capacity


RULES: dict[str, Callable[[Situation], Capacity]] = {
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.ACCEPT: _accept,
    Action.REJECT: _reject,
    Action.CLAIM_STEP: _claim_step,
    Action.COMPLETE_STEP: _complete_step,
    Action.RETURN_STEP: _return_step,
    Action.DECIDE: _decide,
    COMPLETE_ON_THE_SPOT: _complete_on_the_spot,
    Action.SUSPEND: _suspend,
    Action.RESUME: _resume,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.APPROVE_EXTENSION: _approve_extension,
    Action.SUPPLY_DEFERRED: _supply_deferred,
    Action.RECORD_FEE: _record_fee,
    Action.CHOOSE_DELIVERY: _choose_delivery,
    Action.DELIVER: _deliver,
    Action.SUBMIT: _submit,
    Action.WITHDRAW: _withdraw,
}
"""Every action's rule, in the order a page offers them."""


def require(action: str, situation: Situation) -> Capacity:
    """The capacity in which the user may take ``action`` now; raises the refusal otherwise."""
    return RULES[action](situation)


def offered_actions(case: Case, user: Any, *, standing: Standing | None = None) -> list[str]:
    """The actions ``user`` may take on ``case`` right now, in the order a page offers them.

    Exactly those :func:`require` accepts: pages, the API's ``actions`` list and the online
    hall all show these. Works on the prefetched relations of the selectors' getters.
    """
    return actions_overview(case, user, standing=standing)[0]


# When these hold there is nothing the action could act on: it is not "withheld", it just does
# not arise (no suspension to end, no pending material to bring, no request to decide, no step
# before the first).
_NOTHING_TO_ACT_ON: dict[str, Callable[[Situation], bool]] = {
    Action.RESUME: lambda s: not s.suspended,
    Action.SUPPLY_DEFERRED: lambda s: not s.pending_deferred,
    Action.APPROVE_EXTENSION: lambda s: s.requested_extension is None,
    Action.RETURN_STEP: lambda s: (step := s.step()) is None or step.order <= 1,
    Action.DECIDE: lambda s: s.next_waiting is not None,  # the decision is the last step's
}


def actions_overview(
    case: Case, user: Any, *, standing: Standing | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The actions offered to ``user`` on ``case`` (see :func:`offered_actions`), and those
    withheld from them with the one-line reason: the actions the case's status admits and
    ``user`` holds the role for, but that cannot be taken yet (a step still open before the
    decision, a pending material, a suspension already running…). A page says why.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return [], []
    situation = Situation(case, user, standing=standing)
    standing = situation.standing
    if not (standing.roles or standing.lead_window or standing.applicant or standing.agent):
        return [], []
    offered: list[str] = []
    withheld: list[tuple[str, str]] = []
    for action in RULES:
        try:
            require(action, situation)
        except ActionForbidden:
            continue  # not this user's to take
        except WorkflowError as refusal:
            table = TRANSITIONS.get(action)  # type: ignore[call-overload]
            nothing = _NOTHING_TO_ACT_ON.get(action)
            applies = table is not None and case.status in table[0]
            if applies and (nothing is None or not nothing(situation)):
                withheld.append((action, str(refusal)))
            continue
        offered.append(action)
    return offered, withheld


def applicant_actions(case: Case, user: Any) -> list[str]:
    """The applicant's own actions on their case (submit, withdraw, bring a pending material)."""
    return [a for a in offered_actions(case, user) if a in APPLICANT_ACTIONS]


def require_round_open(situation: Situation) -> Capacity:
    """Whether the user may add files to the round being prepared: a draft, or the answer to a
    supplement notice; the applicant, their agent or window staff."""
    if situation.case.status not in (CaseStatus.DRAFT, CaseStatus.NEEDS_SUPPLEMENT):
        raise TransitionNotAllowed(
            _("Files can be added only to a draft or in answer to a supplement notice.")
        )
    return _as_applicant_or_staff(situation, Action.SUBMIT)
