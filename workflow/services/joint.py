"""Joint items (联办件 / 并联审批): one intake at the lead window, one sub-case per department in
parallel on one joint clock (Art. 42: 45 working days), the joint case closed when they are."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import JointItem

from .. import numbering
from ..clock import Clock, joint_due_on
from ..exceptions import ActionForbidden, InvalidInput
from ..models import CaseStatus, Channel, JointCase, JointCaseEvent, JointCaseStatus
from ..transitions import JointAction, check_joint_transition
from .applicants import walk_in
from .drafts import case_attach_material, case_create, case_submit, works_at_window
from .intake import case_accept


def _joint_event(
    joint: JointCase, action: JointAction, *, from_status: str, by: Any, now: datetime, **data: Any
) -> JointCaseEvent:
    return JointCaseEvent.objects.create(
        joint_case=joint,
        at=now,
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=str(action),
        from_status=from_status,
        to_status=joint.status,
        data=data,
    )


def joint_case_intake(
    *,
    joint_item: JointItem,
    by: Any,
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
    if not works_at_window(by, joint_item.lead_department_id):
        raise ActionForbidden(_("Joint items are taken in at the lead department's window."))
    versions = list(joint_item.member_versions())
    applicant = walk_in(applicant, by)
    with transaction.atomic():
        center = joint_item.lead_department.center.code
        sequence = numbering.next_in_sequence(f"joint:{center}:{clock.today:%Y%m%d}")
        joint = JointCase.objects.create(
            joint_item=joint_item,
            number=f"{center}-{clock.today:%Y%m%d}-LB-{sequence:04d}",
            query_code=numbering.new_query_code(),
            applicant_name=(applicant.get("applicant_name") or "").strip(),
            accepted_on=clock.today,
            due_on=joint_due_on(clock.today, joint_item.joint_limit, calendar=clock.calendar),
            created_by=by,
        )
        _joint_event(joint, JointAction.OPEN, from_status="", by=by, now=clock.now)
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


def joint_case_close_if_done(joint_case_id: int, *, now: datetime, by: Any) -> JointCase:
    """A joint case is decided when every one of its sub-cases is decided or withdrawn, and
    withdrawn when all of them are. Called in the transaction that ended a sub-case."""
    from ..calendar import shanghai_today

    joint = JointCase.objects.select_for_update().get(pk=joint_case_id)
    statuses = set(joint.sub_cases.values_list("status", flat=True))
    ended = {CaseStatus.DECIDED, CaseStatus.COMPLETED, CaseStatus.WITHDRAWN}
    if joint.status != JointCaseStatus.OPEN or not statuses <= ended:
        return joint
    action = JointAction.WITHDRAW if statuses == {CaseStatus.WITHDRAWN} else JointAction.DECIDE
    from_status = joint.status
    joint.status = check_joint_transition(action, joint.status)
    if action == JointAction.DECIDE:
        joint.decided_on = shanghai_today(now)
    joint.save(update_fields=["status", "decided_on"])
    _joint_event(joint, action, from_status=from_status, by=by, now=now)
    return joint
