"""Intake (Art. 32): the window asks once for what is missing, refuses in writing, or accepts and
starts the clock; a material accepted as pending (容缺) is brought later."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import ItemVersion, Material, ProcessingType, Role

from .. import numbering
from ..clock import Clock, case_due_dates, intake_due_on, step_due_on
from ..exceptions import InvalidInput
from ..models import Case, MaterialFile, Notice, NoticeKind, StepRun, StepStatus, Submission
from ..transitions import Action
from .drafts import store_file
from .transition import Transition, as_int, case_transition, iso, required_text

# Lazy: rendered in the language active when a notice is issued, not at import.
APPEAL_RIGHTS = gettext_lazy(
    "If you disagree, you may apply for administrative review within 60 days of receiving this "
    "notice, or bring an administrative lawsuit before a people's court within 6 months."
)


def note_late_intake(case: Case, clock: Clock) -> bool:
    """Whether answering the current round today breaks the 5-working-day rule (Art. 32).

    A late answer marks the case, and acceptance then counts from the day of receipt.
    """
    if case.received_on is None:
        return False
    late = clock.today > intake_due_on(case.received_on, calendar=clock.calendar)
    if late:
        case.intake_late = True
        if case.deemed_received_on is None:
            case.deemed_received_on = case.received_on
    return late


def case_request_supplement(
    *,
    case: Case,
    by: Any,
    items: list[dict],
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Notice:
    """Tell the applicant once and completely what to supplement (一次性告知, Art. 32).

    ``items`` lists every missing or defective material as ``{"material": id, "reason": str}``;
    one notice per round, so everything must be in this one.
    """
    with case_transition(
        Action.REQUEST_SUPPLEMENT, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        if not items:
            raise InvalidInput(_("List at least one material to supplement."))
        materials = {m.pk: m for m in run.situation.materials}
        listed: list[dict] = []
        for entry in items:
            material_id = as_int(entry.get("material"))
            material = materials.get(material_id) if material_id is not None else None
            if material is None:
                raise InvalidInput(_("A listed material is not one of this item's materials."))
            if any(row["id"] == material.pk for row in listed):
                raise InvalidInput(_("“%(name)s” is listed twice.") % {"name": material.name})
            listed.append(
                {
                    "id": material.pk,
                    "name": material.name,
                    "reason": (entry.get("reason") or "").strip(),
                }
            )
        late = note_late_intake(case, run.clock)
        current = max(s.round for s in case.submissions.all())
        Submission.objects.create(case=case, round=current + 1)
        notice = run.notice(
            NoticeKind.SUPPLEMENT,
            {"materials": listed, "received_on": iso(case.received_on)},
        )
        run.data = {
            "materials": [row["id"] for row in listed],
            "late": late,
            "notice": notice.number,
        }
        run.tell_applicant("supplement_needed", materials="、".join(row["name"] for row in listed))
    return notice


def case_reject(
    *,
    case: Case,
    by: Any,
    reason: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Notice:
    """Refuse the application at intake (不予受理), in writing, with reasons and appeal rights."""
    reason = required_text(reason, _("Give the reason the application is not accepted."))
    with case_transition(
        Action.REJECT, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        late = note_late_intake(run.case, run.clock)
        notice = run.notice(
            NoticeKind.REJECTION, {"reason": reason, "appeal_rights": str(APPEAL_RIGHTS)}
        )
        run.reason = reason
        run.data = {"late": late, "notice": notice.number}
        run.tell_applicant("rejected", reason=reason)
    return notice


def step_plan(version: ItemVersion) -> list[tuple[str, str, int]]:
    """The item's steps as (name, role, limit); an item without any is decided at the window."""
    steps = [(s.name, s.role, s.limit_days) for s in version.steps.all()]
    if not steps:
        steps = [(str(_("Decision at the window")), Role.CHIEF_REPRESENTATIVE, 0)]
    return steps


def open_step(step: StepRun, clock: Clock, *, run: Transition | None = None) -> None:
    """Open ``step`` today: its own limit runs from today. Under ``run`` the step is written
    with the case."""
    step.status = StepStatus.OPEN
    step.opened_on = clock.today
    step.due_on = step_due_on(
        opened_on=clock.today, limit_days=step.limit_days, calendar=clock.calendar
    )
    if run is None:
        step.save(update_fields=["status", "opened_on", "due_on"])
    else:
        run.save(step, "status", "opened_on", "due_on")


def case_accept(
    *,
    case: Case,
    by: Any,
    deferred_due_on: date | None = None,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """Accept the application (受理): number it, copy the item's rules, start the clock.

    Every required material must have come, except those the item lets come later (容缺):
    those are listed on the receipt with ``deferred_due_on``, and the case cannot be decided
    before they have come. When intake was answered late, acceptance counts from the day of
    receipt (Art. 32).
    """
    with case_transition(
        Action.ACCEPT, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case, clock = run.case, run.clock
        version = case.item_version
        deferred = run.situation.pending_deferred
        if deferred:
            if deferred_due_on is None or deferred_due_on <= clock.today:
                raise InvalidInput(
                    _(
                        "%(names)s may come later: give a future date by which the applicant "
                        "must bring them."
                    )
                    % {"names": "、".join(m.name for m in deferred)}
                )
            case.deferred_due_on = deferred_due_on
        late = note_late_intake(case, clock)
        case.accepted_on = case.deemed_received_on or clock.today
        case.promised_limit = version.promised_limit
        case.statutory_limit = version.statutory_limit
        if case.joint_case is not None:
            # Every sub-case runs on the joint clock (Art. 42: 45 working days by default).
            case.accepted_on = case.joint_case.accepted_on
            case.promised_limit = case.statutory_limit = case.joint_case.joint_item.joint_limit
        case.extension_allowed = version.extension_allowed
        case.suspension_allowed = version.suspension_allowed
        case.is_immediate = version.processing_type == ProcessingType.IMMEDIATE
        assert case.promised_limit is not None and case.statutory_limit is not None
        due = case_due_dates(
            accepted_on=case.accepted_on,
            promised_limit=case.promised_limit,
            statutory_limit=case.statutory_limit,
            calendar=clock.calendar,
        )
        case.due_on, case.statutory_due_on = due.due_on, due.statutory_due_on
        case.number = numbering.case_number(case, clock.today)
        plan = step_plan(version)
        # The first step opens today; the others wait their turn.
        first_limit = plan[0][2]
        for step in (
            StepRun(
                case=case,
                order=order,
                name=name,
                role=role,
                limit_days=limit,
                status=StepStatus.OPEN if order == 1 else StepStatus.WAITING,
                opened_on=clock.today if order == 1 else None,
                due_on=step_due_on(
                    opened_on=clock.today, limit_days=first_limit, calendar=clock.calendar
                )
                if order == 1
                else None,
            )
            for order, (name, role, limit) in enumerate(plan, start=1)
        ):
            run.add(step)
        first_name, first_role = plan[0][0], plan[0][1]
        notice = run.notice(
            NoticeKind.ACCEPTANCE,
            {
                "accepted_on": iso(case.accepted_on),
                "due_on": iso(case.due_on),
                "statutory_due_on": iso(case.statutory_due_on),
                "promised_limit": case.promised_limit,
                "statutory_limit": case.statutory_limit,
                "query_code": case.query_code,
                "deferred": [m.name for m in deferred],
                "deferred_due_on": iso(deferred_due_on) if deferred else None,
            },
        )
        run.data = {
            "number": case.number,
            "late": late,
            "deferred": [m.pk for m in deferred],
            "notice": notice.number,
        }
        run.tell_applicant("accepted", query_code=case.query_code, due_on=iso(case.due_on))
        run.tell_role(first_role, "step_assigned", step=first_name)
    return case


def case_supply_deferred(
    *,
    case: Case,
    material: Material,
    upload: Any,
    by: Any,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> MaterialFile:
    """Bring a material that was accepted as pending (容缺) after acceptance."""
    with case_transition(
        Action.SUPPLY_DEFERRED, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        if material.version_id != case.item_version_id or not material.deferrable:
            raise InvalidInput(_("Only a material accepted as pending can be brought now."))
        last = max(s.round for s in case.submissions.all())
        submission = Submission.objects.create(
            case=case, round=last + 1, submitted_at=run.clock.now, received_on=run.clock.today
        )
        stored = store_file(submission=submission, material=material, upload=upload, by=by)
        run.data = {"material": material.pk, "round": submission.round}
    return stored
