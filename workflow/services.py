"""The one write path for cases: one function per action.

Every service opens a transaction, locks the case row, checks the action against
``transitions.py`` and the user's roles, writes, records one ``CaseEvent`` and queues
notifications to go out after commit. A refused action raises a ``WorkflowError`` and changes
nothing. Services read the clock once (``now``) and the calendar once, and pass both down.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.files import validate_upload
from catalog.models import (
    JOINT_EXTENSION_DAYS,
    ApplicantType,
    ItemVersion,
    JointItem,
    Material,
    ProcessingType,
    Role,
    StaffMembership,
    VersionStatus,
)

from . import identifiers, numbering
from .calendar import load_work_calendar, shanghai_today
from .deadlines import WorkCalendar, add_workdays, case_due_dates, workdays_between
from .exceptions import ActionForbidden, InvalidInput, StaleCase, TransitionNotAllowed
from .models import (
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    Decision,
    DeliveryMethod,
    Extension,
    ExtensionStatus,
    FeeRecord,
    JointCase,
    JointCaseStatus,
    MaterialFile,
    Notice,
    NoticeKind,
    SpecialProcedure,
    StepRun,
    StepStatus,
    Submission,
    Suspension,
)
from .notifications import notify_applicant, notify_role
from .transitions import APPLICANT_ACTIONS, STAFF_ROLES, WINDOW, Action, check_transition

# Art. 32: the window answers an application within 5 working days, or it counts as accepted.
INTAKE_ANSWER_DAYS = 5
# Art. 42: one extension of at most 10 working days; 15 for joint processing.
EXTENSION_MAX_DAYS = 10
JOINT_EXTENSION_MAX_DAYS = JOINT_EXTENSION_DAYS
# A joint case is taken in, and its results handed over, at the lead department's window.
LEAD_WINDOW_ACTIONS = frozenset({Action.SUBMIT, Action.ACCEPT, Action.DELIVER, Action.WITHDRAW})
# Art. 44: the licence is issued or delivered within 10 working days of the decision.
DELIVERY_DAYS = 10
# A suspension is announced with an expected length; a year of working days is the most.
SUSPENSION_MAX_DAYS = 250

# Lazy: rendered in the language active when a notice is issued, not at import.
APPEAL_RIGHTS = gettext_lazy(
    "If you disagree, you may apply for administrative review within 60 days of receiving this "
    "notice, or bring an administrative lawsuit before a people's court within 6 months."
)


@dataclass(frozen=True)
class Clock:
    """What a service needs of time: the instant, the day in Asia/Shanghai and the calendar."""

    now: datetime
    today: date
    calendar: WorkCalendar

    @classmethod
    def read(cls, now: datetime | None = None) -> "Clock":
        now = now or timezone.now()
        return cls(now=now, today=shanghai_today(now), calendar=load_work_calendar())


# --- guards ---------------------------------------------------------------------------------


def _lock(case: Case) -> Case:
    """The case row, locked until the transaction ends, with what the checks need."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("department__center", "item_version", "applicant", "joint_case__joint_item")
        .get(pk=case.pk)
    )


def _check_revision(case: Case, expected_revision: int | None) -> None:
    if expected_revision is not None and expected_revision != case.revision:
        raise StaleCase()


def staff_roles_for_case(user, case: Case) -> set[str]:
    """The roles ``user`` holds for ``case``: in its department, or center-wide in its center."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        StaffMembership.objects.filter(user=user)
        .filter(Q(department_id=case.department_id) | Q(center_id=case.department.center_id))
        .values_list("role", flat=True)
    )


def _authorize(user, case: Case, action: Action, roles: Iterable[str] | None = None) -> str:
    """``"applicant"``, ``"agent"`` or ``"staff"``: in which capacity ``user`` may take ``action``.

    The staff member acting as the applicant's agent (代办) takes the applicant's actions for
    them, whatever their role.
    """
    if action in APPLICANT_ACTIONS and user is not None and user.pk is not None:
        if case.applicant_id is not None and user.pk == case.applicant_id:
            return "applicant"
        if case.agent_service and case.agent_staff_id == user.pk:
            return "agent"
    needed = frozenset(roles) if roles is not None else STAFF_ROLES.get(action, frozenset())
    held = staff_roles_for_case(user, case)
    if action in LEAD_WINDOW_ACTIONS:
        held |= lead_window_roles(user, case)
    if held & needed:
        return "staff"
    raise ActionForbidden()


def lead_window_roles(user, case: Case) -> set[str]:
    """The window roles ``user`` holds in the lead department of ``case``'s joint case."""
    if case.joint_case_id is None:
        return set()
    return _roles_in_department(user, case.joint_case.joint_item.lead_department_id) & WINDOW


def _roles_in_department(user, department_id: int) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return set(
        StaffMembership.objects.filter(user=user, department_id=department_id).values_list(
            "role", flat=True
        )
    )


def _required_text(value: str | None, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message)
    return text


def _record(
    case: Case,
    *,
    action: Action,
    actor,
    clock: Clock,
    from_status: str,
    step: StepRun | None = None,
    reason: str = "",
    data: dict | None = None,
) -> CaseEvent:
    """Save the case (one revision further) and append its event."""
    case.revision += 1
    case.save()
    return CaseEvent.objects.create(
        case=case,
        at=clock.now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=str(action),
        from_status=from_status,
        to_status=case.status,
        step=step,
        reason=reason,
        data=data or {},
    )


def _issue_notice(case: Case, kind: str, *, by, clock: Clock, content: dict) -> Notice:
    base = {
        "department": case.department.name,
        "item": case.item_version.name,
        "item_code": case.item_version.item.code,
        "applicant": case.applicant_name,
        "case_number": case.number or "",
        "date": clock.today.isoformat(),
    }
    return Notice.objects.create(
        case=case,
        kind=kind,
        number=numbering.notice_number(case, kind, clock.today),
        issued_at=clock.now,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        content={**base, **content},
    )


def _payload(case: Case, **extra) -> dict:
    return {"number": case.number or "", "item": case.item_version.name, **extra}


# --- applicants and drafts ------------------------------------------------------------------


def _check_applicant(
    *,
    version: ItemVersion,
    applicant_kind: str,
    applicant_name: str,
    id_number: str,
    credit_code: str,
    agent_name: str,
    agent_id_number: str,
    contact_phone: str,
) -> dict:
    errors: dict[str, list[str]] = {}

    def check(field: str, validator, value: str) -> str:
        try:
            validator(value)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
        return value

    if applicant_kind not in (ApplicantType.NATURAL, ApplicantType.LEGAL):
        errors.setdefault("applicant_kind", []).append(_("Choose a natural or a legal person."))
    elif version.applicant_type not in (ApplicantType.BOTH, applicant_kind):
        errors.setdefault("applicant_kind", []).append(
            _("This item is open to %(who)s only.")
            % {"who": ApplicantType(version.applicant_type).label}
        )
    if not (applicant_name or "").strip():
        errors.setdefault("applicant_name", []).append(_("Give the applicant's name."))
    fields = {"applicant_name": applicant_name.strip(), "id_number": "", "credit_code": ""}
    if applicant_kind == ApplicantType.NATURAL:
        fields["id_number"] = identifiers.normalize_resident_id(id_number or "")
        check("id_number", identifiers.validate_resident_id, fields["id_number"])
    elif applicant_kind == ApplicantType.LEGAL:
        fields["credit_code"] = identifiers.normalize_credit_code(credit_code or "")
        check("credit_code", identifiers.validate_credit_code, fields["credit_code"])
        if not (agent_name or "").strip():
            errors.setdefault("agent_name", []).append(
                _("A legal person applies through an agent: give the agent's name.")
            )
    fields["agent_name"] = (agent_name or "").strip()
    fields["agent_id_number"] = identifiers.normalize_resident_id(agent_id_number or "")
    if fields["agent_name"] or fields["agent_id_number"] or applicant_kind == ApplicantType.LEGAL:
        check("agent_id_number", identifiers.validate_resident_id, fields["agent_id_number"])
    fields["contact_phone"] = (contact_phone or "").replace(" ", "").replace("-", "")
    if not identifiers.PHONE.fullmatch(fields["contact_phone"]):
        errors.setdefault("contact_phone", []).append(
            _("Give a mobile number (11 digits) or a landline with its area code.")
        )
    if errors:
        raise InvalidInput(
            " ".join(message for messages in errors.values() for message in messages)
        ).with_fields(errors)
    return fields


def case_create(
    *,
    version: ItemVersion,
    by,
    channel: str,
    applicant_kind: str,
    applicant_name: str,
    contact_phone: str,
    id_number: str = "",
    credit_code: str = "",
    agent_name: str = "",
    agent_id_number: str = "",
    green_channel: bool = False,
    agent_service: bool = False,
    agent_staff=None,
    joint_case: JointCase | None = None,
    now: datetime | None = None,
) -> Case:
    """A draft application for the published ``version``.

    Online (``channel="online"``), ``by`` is the applicant's own account and the item must
    allow online pre-review. At the window, ``by`` is a window clerk or chief representative
    of the item's department and the case has no applicant account. The applicant's ID number
    or credit code is checked (GB 11643 / GB 32100).
    """
    clock = Clock.read(now)
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput(_("This item is not published; apply for its current version."))
    fields = _check_applicant(
        version=version,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        id_number=id_number,
        credit_code=credit_code,
        agent_name=agent_name,
        agent_id_number=agent_id_number,
        contact_phone=contact_phone,
    )
    if channel == Channel.ONLINE:
        if not version.online_prereview:
            raise InvalidInput(_("This item cannot be applied for online; apply at the window."))
        if by is None or not by.is_authenticated:
            raise ActionForbidden(_("Log in to apply online."))
        applicant = by
    elif channel == Channel.WINDOW:
        # A joint case's sub-cases are all taken in at the lead department's window.
        intake_department = (
            joint_case.joint_item.lead_department_id if joint_case else version.department_id
        )
        if not _roles_in_department(by, intake_department) & WINDOW:
            raise ActionForbidden()
        applicant = None
    else:
        raise InvalidInput(_("Unknown channel."))
    if agent_service and agent_staff is None:
        raise InvalidInput(_("Name the staff member who acts as agent."))
    with transaction.atomic():
        case = Case.objects.create(
            item_version=version,
            department=version.department,
            applicant=applicant,
            applicant_kind=applicant_kind,
            channel=channel,
            green_channel=green_channel,
            agent_service=agent_service,
            agent_staff=agent_staff if agent_service else None,
            query_code=joint_case.query_code if joint_case else numbering.new_query_code(),
            joint_case=joint_case,
            created_by=by,
            **fields,
        )
        Submission.objects.create(case=case, round=1)
        CaseEvent.objects.create(
            case=case,
            at=clock.now,
            actor=by,
            action=str(Action.CREATE),
            from_status="",
            to_status=case.status,
            data={"channel": channel},
        )
    return case


def _open_submission(case: Case) -> Submission | None:
    return case.submissions.filter(submitted_at__isnull=True).order_by("-round").first()


def _requested_material_ids(case: Case) -> set[int]:
    """The materials the latest supplement notice asked for."""
    notice = case.notices.filter(kind=NoticeKind.SUPPLEMENT).order_by("-issued_at", "-id").first()
    if notice is None:
        return set()
    return {entry["id"] for entry in notice.content.get("materials", [])}


def _store_file(*, submission: Submission, material: Material, upload, by) -> MaterialFile:
    try:
        validate_upload(upload, max_bytes=settings.CASE_MAX_UPLOAD_BYTES)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    return MaterialFile.objects.create(
        submission=submission,
        material=material,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )


def case_attach_material(
    *, case: Case, material: Material, upload, by, now: datetime | None = None
) -> MaterialFile:
    """Attach a file for ``material`` to the round being prepared (draft or supplement).

    In answer to a supplement notice only the materials it lists may be attached.
    """
    with transaction.atomic():
        case = _lock(case)
        if case.status not in (CaseStatus.DRAFT, CaseStatus.NEEDS_SUPPLEMENT):
            raise TransitionNotAllowed(
                _("Files can be added only to a draft or in answer to a supplement notice.")
            )
        _authorize(by, case, Action.SUBMIT)
        if material.version_id != case.item_version_id:
            raise InvalidInput(_("This material is not one of this item's materials."))
        if (
            case.status == CaseStatus.NEEDS_SUPPLEMENT
            and material.pk not in _requested_material_ids(case)
        ):
            raise InvalidInput(
                _("The supplement notice does not ask for “%(name)s”.") % {"name": material.name}
            )
        submission = _open_submission(case)
        return _store_file(submission=submission, material=material, upload=upload, by=by)


def _materials_with_files(case: Case) -> set[int]:
    return set(
        MaterialFile.objects.filter(submission__case=case).values_list("material_id", flat=True)
    )


def case_submit(
    *, case: Case, by, now: datetime | None = None, expected_revision: int | None = None
) -> Case:
    """Send the prepared round to the window: the first application or the supplement.

    The first round needs a file for every required material that cannot be supplied later;
    an answer to a supplement notice needs a file for every material the notice lists.
    """
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.SUBMIT, case.status)
        _authorize(by, case, Action.SUBMIT)
        submission = _open_submission(case)
        in_round = set(submission.files.values_list("material_id", flat=True))
        if case.status == CaseStatus.DRAFT:
            needed = case.item_version.materials.filter(required=True, deferrable=False)
            missing = [m.name for m in needed if m.pk not in in_round]
        else:
            requested = _requested_material_ids(case)
            missing = [
                m.name
                for m in case.item_version.materials.filter(pk__in=requested)
                if m.pk not in in_round
            ]
        if missing:
            raise InvalidInput(
                _("Attach these materials before you submit: %(names)s.")
                % {"names": "、".join(missing)}
            )
        submission.submitted_at = clock.now
        submission.received_on = clock.today
        submission.save(update_fields=["submitted_at", "received_on"])
        case.received_on = clock.today
        case.status = target
        _record(
            case,
            action=Action.SUBMIT,
            actor=by,
            clock=clock,
            from_status=from_status,
            data={"round": submission.round},
        )
    return case


def _intake_answer_is_late(case: Case, clock: Clock) -> bool:
    """Whether answering the current submission today breaks the 5-working-day rule (Art. 32)."""
    deadline = add_workdays(case.received_on, INTAKE_ANSWER_DAYS, calendar=clock.calendar)
    return clock.today > deadline


def _note_late_intake(case: Case, clock: Clock) -> bool:
    late = _intake_answer_is_late(case, clock)
    if late:
        case.intake_late = True
        if case.deemed_received_on is None:
            # Art. 32: an application not answered in time counts as accepted on receipt.
            case.deemed_received_on = case.received_on
    return late


def case_request_supplement(
    *,
    case: Case,
    by,
    items: list[dict],
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Notice:
    """Tell the applicant once and completely what to supplement (一次性告知, Art. 32).

    ``items`` lists every missing or defective material as ``{"material": id, "reason": str}``;
    one notice per round, so everything must be in this one.
    """
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.REQUEST_SUPPLEMENT, case.status)
        _authorize(by, case, Action.REQUEST_SUPPLEMENT)
        if not items:
            raise InvalidInput(_("List at least one material to supplement."))
        materials = {m.pk: m for m in case.item_version.materials.all()}
        listed = []
        for entry in items:
            material = materials.get(_as_int(entry.get("material")))
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
        late = _note_late_intake(case, clock)
        current = case.submissions.order_by("-round").first()
        Submission.objects.create(case=case, round=current.round + 1)
        notice = _issue_notice(
            case,
            NoticeKind.SUPPLEMENT,
            by=by,
            clock=clock,
            content={"materials": listed, "received_on": case.received_on.isoformat()},
        )
        case.status = target
        _record(
            case,
            action=Action.REQUEST_SUPPLEMENT,
            actor=by,
            clock=clock,
            from_status=from_status,
            data={
                "materials": [row["id"] for row in listed],
                "late": late,
                "notice": notice.number,
            },
        )
        notify_applicant(
            case=case,
            template="supplement_needed",
            payload=_payload(case, materials="、".join(row["name"] for row in listed)),
        )
    return notice


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def case_reject(
    *,
    case: Case,
    by,
    reason: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Notice:
    """Refuse the application at intake (不予受理), in writing, with reasons and appeal rights."""
    clock = Clock.read(now)
    reason = _required_text(reason, _("Give the reason the application is not accepted."))
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.REJECT, case.status)
        _authorize(by, case, Action.REJECT)
        late = _note_late_intake(case, clock)
        notice = _issue_notice(
            case,
            NoticeKind.REJECTION,
            by=by,
            clock=clock,
            content={"reason": reason, "appeal_rights": str(APPEAL_RIGHTS)},
        )
        case.status = target
        _record(
            case,
            action=Action.REJECT,
            actor=by,
            clock=clock,
            from_status=from_status,
            reason=reason,
            data={"late": late, "notice": notice.number},
        )
        notify_applicant(case=case, template="rejected", payload=_payload(case, reason=reason))
    return notice


def _step_plan(version: ItemVersion) -> list[tuple[str, str, int]]:
    steps = [(s.name, s.role, s.limit_days) for s in version.steps.order_by("order")]
    if not steps:
        # An item without a procedure (an immediate item) is decided at the window.
        steps = [(str(_("Decision at the window")), Role.CHIEF_REPRESENTATIVE, 0)]
    return steps


def _open_step(step: StepRun, clock: Clock) -> None:
    step.status = StepStatus.OPEN
    step.opened_on = clock.today
    step.due_on = add_workdays(clock.today, step.limit_days, calendar=clock.calendar)
    step.save()


def case_accept(
    *,
    case: Case,
    by,
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
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.ACCEPT, case.status)
        _authorize(by, case, Action.ACCEPT)
        version = case.item_version
        supplied = _materials_with_files(case)
        required = list(version.materials.filter(required=True))
        missing_key = [m.name for m in required if m.pk not in supplied and not m.deferrable]
        if missing_key:
            raise InvalidInput(
                _("These required materials have not come: %(names)s. Request a supplement.")
                % {"names": "、".join(missing_key)}
            )
        deferred = [m for m in required if m.pk not in supplied and m.deferrable]
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
        late = _note_late_intake(case, clock)
        case.accepted_on = case.deemed_received_on or clock.today
        case.promised_limit = version.promised_limit
        case.statutory_limit = version.statutory_limit
        if case.joint_case_id is not None:
            # Every sub-case runs on the joint clock (Art. 42: 45 working days by default).
            case.accepted_on = case.joint_case.accepted_on
            case.promised_limit = case.statutory_limit = case.joint_case.joint_item.joint_limit
        case.extension_allowed = version.extension_allowed
        case.suspension_allowed = version.suspension_allowed
        case.is_immediate = version.processing_type == ProcessingType.IMMEDIATE
        due = case_due_dates(
            accepted_on=case.accepted_on,
            promised_limit=case.promised_limit,
            statutory_limit=case.statutory_limit,
            extension_days=0,
            suspended_workdays=0,
            calendar=clock.calendar,
        )
        case.due_on, case.statutory_due_on = due.due_on, due.statutory_due_on
        case.number = numbering.case_number(case, clock.today)
        case.status = target
        steps = [
            StepRun(
                case=case,
                order=order,
                name=name,
                role=role,
                limit_days=limit,
                status=StepStatus.WAITING,
            )
            for order, (name, role, limit) in enumerate(_step_plan(version), start=1)
        ]
        StepRun.objects.bulk_create(steps)
        first = case.steps.order_by("order").first()
        _open_step(first, clock)
        notice = _issue_notice(
            case,
            NoticeKind.ACCEPTANCE,
            by=by,
            clock=clock,
            content={
                "accepted_on": case.accepted_on.isoformat(),
                "due_on": case.due_on.isoformat(),
                "statutory_due_on": case.statutory_due_on.isoformat(),
                "promised_limit": case.promised_limit,
                "statutory_limit": case.statutory_limit,
                "query_code": case.query_code,
                "deferred": [m.name for m in deferred],
                "deferred_due_on": deferred_due_on.isoformat() if deferred else None,
            },
        )
        _record(
            case,
            action=Action.ACCEPT,
            actor=by,
            clock=clock,
            from_status=from_status,
            data={
                "number": case.number,
                "late": late,
                "deferred": [m.pk for m in deferred],
                "notice": notice.number,
            },
        )
        notify_applicant(
            case=case,
            template="accepted",
            payload=_payload(case, query_code=case.query_code, due_on=case.due_on.isoformat()),
        )
        notify_role(
            case=case,
            department=case.department,
            role=first.role,
            template="step_assigned",
            payload=_payload(case, step=first.name),
        )
    return case


def case_supply_deferred(
    *,
    case: Case,
    material: Material,
    upload,
    by,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> MaterialFile:
    """Bring a material that was accepted as pending (容缺) after acceptance."""
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.SUPPLY_DEFERRED, case.status)
        _authorize(by, case, Action.SUPPLY_DEFERRED)
        if material.version_id != case.item_version_id or not material.deferrable:
            raise InvalidInput(_("Only a material accepted as pending can be brought now."))
        last = case.submissions.order_by("-round").first()
        submission = Submission.objects.create(
            case=case, round=last.round + 1, submitted_at=clock.now, received_on=clock.today
        )
        stored = _store_file(submission=submission, material=material, upload=upload, by=by)
        _record(
            case,
            action=Action.SUPPLY_DEFERRED,
            actor=by,
            clock=clock,
            from_status=from_status,
            data={"material": material.pk, "round": submission.round},
        )
    return stored


# --- steps ----------------------------------------------------------------------------------


def _lock_step(step: StepRun) -> tuple[Case, StepRun]:
    case = _lock(step.case)
    return case, StepRun.objects.select_for_update().get(pk=step.pk)


def step_claim(
    *, step: StepRun, by, now: datetime | None = None, expected_revision: int | None = None
) -> StepRun:
    """Take an open step from the department's queue."""
    clock = Clock.read(now)
    with transaction.atomic():
        case, step = _lock_step(step)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.CLAIM_STEP, case.status)
        _authorize(by, case, Action.CLAIM_STEP, roles={step.role})
        if step.status != StepStatus.OPEN:
            raise TransitionNotAllowed(_("This step is not open."))
        if step.assignee_id is not None:
            raise TransitionNotAllowed(
                _("%(name)s has already claimed this step.")
                % {"name": step.assignee.get_full_name() or step.assignee.get_username()}
            )
        step.assignee = by
        step.claimed_at = clock.now
        step.save(update_fields=["assignee", "claimed_at"])
        case.status = target
        _record(
            case,
            action=Action.CLAIM_STEP,
            actor=by,
            clock=clock,
            from_status=from_status,
            step=step,
        )
    return step


def _check_working_on(case: Case, step: StepRun, by) -> None:
    if step.status != StepStatus.OPEN:
        raise TransitionNotAllowed(_("This step is not open."))
    if step.assignee_id != getattr(by, "pk", None):
        raise ActionForbidden(_("Claim this step before you act on it."))
    if case.suspended_since is not None:
        raise TransitionNotAllowed(_("The case is suspended; resume it first."))


def _next_waiting(case: Case) -> StepRun | None:
    return case.steps.filter(status=StepStatus.WAITING).order_by("order", "id").first()


def step_complete(
    *,
    step: StepRun,
    by,
    opinion: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> StepRun:
    """Finish a step with an opinion and open the next one. The last step ends in a decision."""
    clock = Clock.read(now)
    opinion = _required_text(opinion, _("Write your opinion before you complete the step."))
    with transaction.atomic():
        case, step = _lock_step(step)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.COMPLETE_STEP, case.status)
        _authorize(by, case, Action.COMPLETE_STEP, roles={step.role})
        _check_working_on(case, step, by)
        following = _next_waiting(case)
        if following is None:
            raise TransitionNotAllowed(_("This is the last step: it ends with the decision."))
        step.status = StepStatus.DONE
        step.finished_at = clock.now
        step.opinion = opinion
        step.save(update_fields=["status", "finished_at", "opinion"])
        _open_step(following, clock)
        _record(
            case,
            action=Action.COMPLETE_STEP,
            actor=by,
            clock=clock,
            from_status=from_status,
            step=step,
            reason=opinion,
            data={"next": following.pk},
        )
        notify_role(
            case=case,
            department=case.department,
            role=following.role,
            template="step_assigned",
            payload=_payload(case, step=following.name),
        )
    return following


def step_return(
    *,
    step: StepRun,
    by,
    reason: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> StepRun:
    """Send the case back to the previous step, with a reason; that step runs again."""
    clock = Clock.read(now)
    reason = _required_text(reason, _("Say why the step goes back."))
    with transaction.atomic():
        case, step = _lock_step(step)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.RETURN_STEP, case.status)
        _authorize(by, case, Action.RETURN_STEP, roles={step.role})
        _check_working_on(case, step, by)
        if step.order == 1:
            raise TransitionNotAllowed(_("The first step has no previous step to go back to."))
        previous = case.steps.filter(order=step.order - 1).order_by("-id").first()
        step.status = StepStatus.RETURNED
        step.finished_at = clock.now
        step.opinion = reason
        step.save(update_fields=["status", "finished_at", "opinion"])
        again = StepRun(
            case=case,
            order=previous.order,
            name=previous.name,
            role=previous.role,
            limit_days=previous.limit_days,
            status=StepStatus.WAITING,
        )
        repeat = StepRun(
            case=case,
            order=step.order,
            name=step.name,
            role=step.role,
            limit_days=step.limit_days,
            status=StepStatus.WAITING,
        )
        again.save()
        repeat.save()
        _open_step(again, clock)
        _record(
            case,
            action=Action.RETURN_STEP,
            actor=by,
            clock=clock,
            from_status=from_status,
            step=step,
            reason=reason,
            data={"to": again.pk},
        )
        notify_role(
            case=case,
            department=case.department,
            role=again.role,
            template="step_assigned",
            payload=_payload(case, step=again.name),
        )
    return again


# --- the clock ------------------------------------------------------------------------------


def case_suspend(
    *,
    case: Case,
    by,
    procedure: str,
    reason: str,
    expected_days: int,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Suspension:
    """Stop the clock for a special procedure whose time does not count (Art. 45)."""
    clock = Clock.read(now)
    reason = _required_text(reason, _("Give the reason for the suspension."))
    if procedure not in SpecialProcedure.values:
        raise InvalidInput(
            _(
                "Only a special procedure suspends the clock: hearing, tendering, auction, testing, inspection, quarantine, appraisal or expert review."
            )
        )
    if not isinstance(expected_days, int) or not 1 <= expected_days <= SUSPENSION_MAX_DAYS:
        raise InvalidInput(
            _("Give the expected length in working days, from 1 to %(max)s.")
            % {"max": SUSPENSION_MAX_DAYS}
        )
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.SUSPEND, case.status)
        _authorize(by, case, Action.SUSPEND)
        if not case.suspension_allowed:
            raise TransitionNotAllowed(_("This item does not allow suspension."))
        if case.suspended_since is not None:
            raise TransitionNotAllowed(_("The case is already suspended."))
        suspension = Suspension.objects.create(
            case=case,
            procedure=procedure,
            reason=reason,
            expected_days=expected_days,
            started_on=clock.today,
            started_by=by,
        )
        case.suspended_since = clock.today
        notice = _issue_notice(
            case,
            NoticeKind.SUSPENSION,
            by=by,
            clock=clock,
            content={
                "procedure": str(SpecialProcedure(procedure).label),
                "reason": reason,
                "expected_days": expected_days,
            },
        )
        _record(
            case,
            action=Action.SUSPEND,
            actor=by,
            clock=clock,
            from_status=from_status,
            reason=reason,
            data={"procedure": procedure, "expected_days": expected_days, "notice": notice.number},
        )
        notify_applicant(
            case=case,
            template="suspended",
            payload=_payload(case, procedure=str(SpecialProcedure(procedure).label), reason=reason),
        )
    return suspension


def case_resume(
    *, case: Case, by, now: datetime | None = None, expected_revision: int | None = None
) -> Suspension:
    """Restart the clock: every open due date moves by the working days spent suspended."""
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.RESUME, case.status)
        _authorize(by, case, Action.RESUME)
        suspension = case.suspensions.select_for_update().filter(ended_on__isnull=True).first()
        if suspension is None:
            raise TransitionNotAllowed(_("The case is not suspended."))
        # The days in (suspended on, resumed on] did not count (Art. 45).
        shift = workdays_between(suspension.started_on, clock.today, calendar=clock.calendar)
        suspension.ended_on = clock.today
        suspension.workdays = shift
        suspension.ended_by = by
        suspension.save(update_fields=["ended_on", "workdays", "ended_by"])
        _shift_due_dates(case, shift, clock)
        case.suspended_since = None
        _record(
            case,
            action=Action.RESUME,
            actor=by,
            clock=clock,
            from_status=from_status,
            data={"workdays": shift, "due_on": case.due_on.isoformat()},
        )
        notify_applicant(
            case=case, template="resumed", payload=_payload(case, due_on=case.due_on.isoformat())
        )
    return suspension


def _shift_due_dates(case: Case, days: int, clock: Clock) -> None:
    if not days:
        return
    case.due_on = add_workdays(case.due_on, days, calendar=clock.calendar)
    case.statutory_due_on = add_workdays(case.statutory_due_on, days, calendar=clock.calendar)
    for step in case.steps.filter(status=StepStatus.OPEN):
        step.due_on = add_workdays(step.due_on, days, calendar=clock.calendar)
        step.save(update_fields=["due_on"])


def extension_request(
    *,
    case: Case,
    by,
    days: int,
    reason: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Extension:
    """Ask the leader to extend the limit once (Art. 42), with the reason the applicant gets."""
    clock = Clock.read(now)
    reason = _required_text(reason, _("Give the reason for the extension; the applicant is told."))
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.REQUEST_EXTENSION, case.status)
        _authorize(by, case, Action.REQUEST_EXTENSION)
        if not case.extension_allowed:
            raise TransitionNotAllowed(_("This item does not allow an extension."))
        limit = (
            JOINT_EXTENSION_MAX_DAYS
            if case.joint_case_id is not None
            or case.item_version.processing_type == ProcessingType.JOINT
            else EXTENSION_MAX_DAYS
        )
        if not isinstance(days, int) or not 1 <= days <= limit:
            raise InvalidInput(
                _("An extension is from 1 to %(max)s working days.") % {"max": limit}
            )
        if case.extensions.filter(
            status__in=[ExtensionStatus.REQUESTED, ExtensionStatus.APPROVED]
        ).exists():
            raise TransitionNotAllowed(_("The limit can be extended only once."))
        extension = Extension.objects.create(
            case=case, days=days, reason=reason, requested_by=by, requested_at=clock.now
        )
        _record(
            case,
            action=Action.REQUEST_EXTENSION,
            actor=by,
            clock=clock,
            from_status=from_status,
            reason=reason,
            data={"days": days, "extension": extension.pk},
        )
        notify_role(
            case=case,
            department=case.department,
            role=Role.APPROVER,
            template="step_assigned",
            payload=_payload(case, step=str(_("Extension approval"))),
        )
    return extension


def extension_decide(
    *,
    extension: Extension,
    by,
    approve: bool,
    note: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Extension:
    """The leader approves or refuses a requested extension; approval moves the due dates."""
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(extension.case)
        _check_revision(case, expected_revision)
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        from_status = case.status
        check_transition(Action.APPROVE_EXTENSION, case.status)
        _authorize(by, case, Action.APPROVE_EXTENSION)
        if extension.status != ExtensionStatus.REQUESTED:
            raise TransitionNotAllowed(_("This extension has already been decided."))
        if not approve:
            note = _required_text(note, _("Say why the extension is refused."))
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by = by
        extension.decided_at = clock.now
        extension.decided_on = clock.today
        extension.decision_note = note.strip()
        extension.save()
        data = {"extension": extension.pk, "approved": approve, "days": extension.days}
        if approve:
            _shift_due_dates(case, extension.days, clock)
            notice = _issue_notice(
                case,
                NoticeKind.EXTENSION,
                by=by,
                clock=clock,
                content={
                    "days": extension.days,
                    "reason": extension.reason,
                    "due_on": case.due_on.isoformat(),
                },
            )
            data.update(due_on=case.due_on.isoformat(), notice=notice.number)
            notify_applicant(
                case=case,
                template="extended",
                payload=_payload(case, days=extension.days, reason=extension.reason),
            )
        _record(
            case,
            action=Action.APPROVE_EXTENSION,
            actor=by,
            clock=clock,
            from_status=from_status,
            reason=extension.decision_note,
            data=data,
        )
    return extension


# --- decision, fees, delivery ---------------------------------------------------------------


def case_decide(
    *,
    case: Case,
    by,
    decision: str,
    opinion: str = "",
    licence_number: str = "",
    valid_until: date | None = None,
    reasons: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Notice:
    """The last step's approver decides: approve (licence number) or deny (reasons, Art. 38)."""
    clock = Clock.read(now)
    if decision == Decision.APPROVED:
        licence_number = _required_text(
            licence_number, _("Give the licence or document number of the approval.")
        )
        if valid_until is not None and valid_until <= clock.today:
            raise InvalidInput(_("The licence must be valid beyond today."))
    elif decision == Decision.DENIED:
        reasons = _required_text(reasons, _("A denial states its reasons (Art. 38)."))
    else:
        raise InvalidInput(_("Decide to approve or to deny."))
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.DECIDE, case.status)
        step = case.steps.filter(status=StepStatus.OPEN).first()
        if step is None:
            raise TransitionNotAllowed(_("No step is open."))
        _authorize(by, case, Action.DECIDE, roles={step.role})
        _check_working_on(case, step, by)
        if _next_waiting(case) is not None:
            raise TransitionNotAllowed(_("Steps remain after this one; no step can be skipped."))
        supplied = _materials_with_files(case)
        pending = [
            m.name
            for m in case.item_version.materials.filter(required=True, deferrable=True)
            if m.pk not in supplied
        ]
        if pending:
            raise TransitionNotAllowed(
                _("Materials accepted as pending have not come yet: %(names)s.")
                % {"names": "、".join(pending)}
            )
        step.status = StepStatus.DONE
        step.finished_at = clock.now
        step.opinion = (opinion or "").strip() or (
            reasons if decision == Decision.DENIED else str(_("Approved."))
        )
        step.save(update_fields=["status", "finished_at", "opinion"])
        case.decision = decision
        case.decided_on = clock.today
        case.licence_number = licence_number.strip() if decision == Decision.APPROVED else ""
        case.valid_until = valid_until if decision == Decision.APPROVED else None
        case.decision_reasons = reasons.strip()
        case.delivery_due_on = add_workdays(clock.today, DELIVERY_DAYS, calendar=clock.calendar)
        case.status = target
        _lapse_requested_extension(case, clock)
        if decision == Decision.APPROVED:
            content = {
                "licence_number": case.licence_number,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "result_type": str(case.item_version.get_result_type_display()),
            }
            kind = NoticeKind.APPROVAL
        else:
            content = {"reasons": case.decision_reasons, "appeal_rights": str(APPEAL_RIGHTS)}
            kind = NoticeKind.DENIAL
        content["late"] = clock.today > case.due_on
        notice = _issue_notice(case, kind, by=by, clock=clock, content=content)
        _record(
            case,
            action=Action.DECIDE,
            actor=by,
            clock=clock,
            from_status=from_status,
            step=step,
            reason=step.opinion,
            data={"decision": decision, "notice": notice.number, "late": content["late"]},
        )
        notify_applicant(
            case=case,
            template="decided",
            payload=_payload(case, decision=str(Decision(decision).label)),
        )
        if decision == Decision.APPROVED and not case.item_version.fees.exists():
            _tell_ready_for_pickup(case)
        if case.joint_case_id is not None:
            _close_joint_case_when_decided(case.joint_case_id, clock)
    return notice


def _tell_ready_for_pickup(case: Case) -> None:
    notify_applicant(
        case=case,
        template="ready_for_pickup",
        payload=_payload(case, window=case.item_version.window_location or case.department.name),
    )


def _close_joint_case_when_decided(joint_case_id: int, clock: Clock) -> None:
    """A joint case is decided when every one of its sub-cases is decided or withdrawn.

    When every sub-case is withdrawn, the joint case is withdrawn.
    """
    joint = JointCase.objects.select_for_update().get(pk=joint_case_id)
    statuses = set(joint.sub_cases.values_list("status", flat=True))
    ended = {CaseStatus.DECIDED, CaseStatus.COMPLETED, CaseStatus.WITHDRAWN}
    if joint.status != JointCaseStatus.OPEN or not statuses <= ended:
        return
    if statuses == {CaseStatus.WITHDRAWN}:
        joint.status = JointCaseStatus.WITHDRAWN
    else:
        joint.status = JointCaseStatus.DECIDED
        joint.decided_on = clock.today
    joint.save(update_fields=["status", "decided_on"])


def fee_record(
    *,
    case: Case,
    by,
    fee_name: str,
    amount,
    receipt_number: str,
    deviation_reason: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> FeeRecord:
    """The fee clerk records a fee against the item's standard; a different amount needs a reason."""
    clock = Clock.read(now)
    receipt_number = _required_text(receipt_number, _("Give the receipt number."))
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give the amount in yuan, e.g. 10.00.")) from None
    if amount < 0:
        raise InvalidInput(_("The amount cannot be negative."))
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        check_transition(Action.RECORD_FEE, case.status)
        _authorize(by, case, Action.RECORD_FEE)
        if case.decision != Decision.APPROVED:
            raise TransitionNotAllowed(_("Fees are collected only for an approval."))
        fee = case.item_version.fees.filter(name=fee_name).first()
        if fee is None:
            raise InvalidInput(_("This item has no fee of that name."))
        if case.fees.filter(name=fee.name).exists():
            raise TransitionNotAllowed(_("This fee has already been recorded."))
        deviates = fee.amount is not None and amount != fee.amount
        if deviates and not (deviation_reason or "").strip():
            raise InvalidInput(
                _("The standard is %(standard)s yuan; give the reason for collecting %(amount)s.")
                % {"standard": fee.amount, "amount": amount}
            )
        record = FeeRecord.objects.create(
            case=case,
            name=fee.name,
            standard_amount=fee.amount,
            amount=amount,
            receipt_number=receipt_number,
            deviation_reason=(deviation_reason or "").strip(),
            recorded_by=by,
            recorded_at=clock.now,
        )
        _record(
            case,
            action=Action.RECORD_FEE,
            actor=by,
            clock=clock,
            from_status=from_status,
            reason=record.deviation_reason,
            data={
                "fee": fee.name,
                "amount": str(amount),
                "standard": str(fee.amount) if fee.amount is not None else None,
                "deviates": deviates,
            },
        )
        recorded = set(case.fees.values_list("name", flat=True))
        if all(f.name in recorded for f in case.item_version.fees.all()):
            # The last fee is paid: the licence can be collected.
            _tell_ready_for_pickup(case)
    return record


def case_deliver(
    *,
    case: Case,
    by,
    method: str,
    tracking_number: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """Hand over the result (送达, Art. 44): at the window, by post (tracking number) or online."""
    clock = Clock.read(now)
    if method not in DeliveryMethod.values:
        raise InvalidInput(_("Choose pickup, post or electronic delivery."))
    if method == DeliveryMethod.POST:
        tracking_number = _required_text(tracking_number, _("Give the postal tracking number."))
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.DELIVER, case.status)
        _authorize(by, case, Action.DELIVER)
        if case.decision == Decision.APPROVED:
            recorded = set(case.fees.values_list("name", flat=True))
            unpaid = [f.name for f in case.item_version.fees.all() if f.name not in recorded]
            if unpaid:
                raise TransitionNotAllowed(
                    _("Record these fees first: %(names)s.") % {"names": "、".join(unpaid)}
                )
        case.delivery_method = method
        case.tracking_number = (tracking_number or "").strip()
        case.delivered_on = clock.today
        case.status = target
        _record(
            case,
            action=Action.DELIVER,
            actor=by,
            clock=clock,
            from_status=from_status,
            data={"method": method, "late": clock.today > case.delivery_due_on},
        )
        notify_applicant(
            case=case,
            template="delivered",
            payload=_payload(case, method=str(DeliveryMethod(method).label)),
        )
    return case


def case_withdraw(
    *,
    case: Case,
    by,
    reason: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """The applicant withdraws the application while it is not decided."""
    clock = Clock.read(now)
    with transaction.atomic():
        case = _lock(case)
        _check_revision(case, expected_revision)
        from_status = case.status
        target = check_transition(Action.WITHDRAW, case.status)
        capacity = _authorize(by, case, Action.WITHDRAW)
        reason = (reason or "").strip()
        if capacity != "applicant" and not reason:
            # At the window the clerk records the applicant's request; the record says why.
            raise InvalidInput(_("Say why the application is withdrawn (the applicant's request)."))
        case.steps.filter(status__in=[StepStatus.OPEN, StepStatus.WAITING]).update(
            status=StepStatus.CANCELLED, finished_at=clock.now
        )
        case.suspensions.filter(ended_on__isnull=True).update(ended_on=clock.today)
        _lapse_requested_extension(case, clock)
        case.suspended_since = None
        case.status = target
        _record(
            case,
            action=Action.WITHDRAW,
            actor=by,
            clock=clock,
            from_status=from_status,
            reason=reason,
        )
        if case.joint_case_id is not None:
            _close_joint_case_when_decided(case.joint_case_id, clock)
    return case


def _lapse_requested_extension(case: Case, clock: Clock) -> None:
    """A request the leader has not decided on lapses when the case ends before."""
    case.extensions.filter(status=ExtensionStatus.REQUESTED).update(
        status=ExtensionStatus.LAPSED, decided_at=clock.now
    )


# --- one-visit paths ------------------------------------------------------------------------


def case_window_intake(
    *,
    version: ItemVersion,
    by,
    files: dict[int, list],
    applicant: dict,
    deferred_due_on: date | None = None,
    now: datetime | None = None,
) -> Case:
    """A walk-in applicant: the clerk creates, submits and accepts the case in one visit.

    ``files`` maps material ids to uploaded files; ``applicant`` holds ``case_create``'s
    applicant fields. All or nothing: a refusal at any point leaves no case behind.
    """
    with transaction.atomic():
        case = case_create(
            version=version, by=by, channel=Channel.WINDOW, now=now, **_walk_in(applicant, by)
        )
        materials = {m.pk: m for m in version.materials.all()}
        for material_id, uploads in files.items():
            material = materials.get(material_id)
            if material is None:
                raise InvalidInput(_("A file is for a material this item does not have."))
            for upload in uploads:
                case_attach_material(case=case, material=material, upload=upload, by=by, now=now)
        case_submit(case=case, by=by, now=now)
        return case_accept(case=case, by=by, deferred_due_on=deferred_due_on, now=now)


def _walk_in(applicant: dict, clerk) -> dict:
    """A walk-in applicant's fields: with agent service and no agent named, the clerk taking the
    application in acts as the agent (代办)."""
    if applicant.get("agent_service") and applicant.get("agent_staff") is None:
        return {**applicant, "agent_staff": clerk}
    return applicant


def case_complete_on_the_spot(
    *,
    case: Case,
    by,
    licence_number: str,
    valid_until: date | None = None,
    delivery_method: str = DeliveryMethod.PICKUP,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """An immediate item (即办件): decide and hand over in the same visit as acceptance."""
    if not case.is_immediate:
        raise TransitionNotAllowed(_("Only an immediate item is completed on the spot."))
    with transaction.atomic():
        _check_revision(_lock(case), expected_revision)
        for step in case.steps.filter(status=StepStatus.OPEN):
            if step.assignee_id is None:
                step_claim(step=step, by=by, now=now)
        while (open_step := case.steps.filter(status=StepStatus.OPEN).first()) and _next_waiting(
            case
        ):
            step_complete(step=open_step, by=by, opinion=str(_("Handled on the spot.")), now=now)
            following = case.steps.filter(status=StepStatus.OPEN).first()
            step_claim(step=following, by=by, now=now)
        case_decide(
            case=case,
            by=by,
            decision=Decision.APPROVED,
            licence_number=licence_number,
            valid_until=valid_until,
            now=now,
        )
        return case_deliver(case=case, by=by, method=delivery_method, now=now)


def case_recompute_due_dates(case: Case, *, calendar: WorkCalendar | None = None):
    """The case's due dates computed again from its acceptance and its clock rows.

    Equal to the stored ``due_on`` / ``statutory_due_on`` for every case: the services move
    the stored dates only in ways this reproduces.
    """
    calendar = calendar or load_work_calendar()
    extension_days = sum(
        case.extensions.filter(status=ExtensionStatus.APPROVED).values_list("days", flat=True)
    )
    suspended = sum(
        case.suspensions.filter(ended_on__isnull=False).values_list("workdays", flat=True)
    )
    return case_due_dates(
        accepted_on=case.accepted_on,
        promised_limit=case.promised_limit,
        statutory_limit=case.statutory_limit,
        extension_days=extension_days,
        suspended_workdays=suspended,
        calendar=calendar,
    )


def joint_case_intake(
    *,
    joint_item: JointItem,
    by,
    applicant: dict,
    files: dict[int, dict[int, list]],
    deferred_due_on: date | None = None,
    now: datetime | None = None,
) -> JointCase:
    """One intake at the lead window for a joint item (联办件): one sub-case per department.

    ``files`` maps each member item's version id to ``{material id: [uploads]}``. The sub-cases
    are accepted together and run in parallel on the joint clock; the joint case is decided
    when every sub-case is. All or nothing.
    """
    clock = Clock.read(now)
    if not joint_item.active or joint_item.problems():
        raise InvalidInput(_("This joint item is not open for applications."))
    if not _roles_in_department(by, joint_item.lead_department_id) & WINDOW:
        raise ActionForbidden(_("Joint items are taken in at the lead department's window."))
    versions = list(joint_item.member_versions())
    applicant = _walk_in(applicant, by)
    with transaction.atomic():
        center = joint_item.lead_department.center.code
        sequence = numbering.next_in_sequence(f"joint:{center}:{clock.today:%Y%m%d}")
        joint = JointCase.objects.create(
            joint_item=joint_item,
            number=f"{center}-{clock.today:%Y%m%d}-LB-{sequence:04d}",
            query_code=numbering.new_query_code(),
            applicant_name=(applicant.get("applicant_name") or "").strip(),
            accepted_on=clock.today,
            due_on=add_workdays(clock.today, joint_item.joint_limit, calendar=clock.calendar),
            created_by=by,
        )
        for version in versions:
            case = case_create(
                version=version,
                by=by,
                channel=Channel.WINDOW,
                joint_case=joint,
                now=now,
                **applicant,
            )
            materials = {m.pk: m for m in version.materials.all()}
            for material_id, uploads in files.get(version.pk, {}).items():
                material = materials.get(material_id)
                if material is None:
                    raise InvalidInput(_("A file is for a material this item does not have."))
                for upload in uploads:
                    case_attach_material(
                        case=case, material=material, upload=upload, by=by, now=now
                    )
            case_submit(case=case, by=by, now=now)
            case_accept(case=case, by=by, deferred_due_on=deferred_due_on, now=now)
    return joint
