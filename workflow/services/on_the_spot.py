"""One-visit paths: a walk-in applicant taken in at the window, and an immediate item (即办件)
decided and handed over in the same visit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import ItemVersion

from ..exceptions import InvalidInput
from ..models import Case, Channel, Decision, DeliveryMethod, StepStatus
from ..permissions import COMPLETE_ON_THE_SPOT, Situation, require
from .applicants import walk_in
from .decision import case_decide, case_deliver
from .drafts import case_attach_material, case_create, case_submit
from .intake import case_accept
from .steps import step_claim, step_complete
from .transition import lock_case


def case_window_intake(
    *,
    version: ItemVersion,
    by: Any,
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
            version=version, by=by, channel=Channel.WINDOW, now=now, **walk_in(applicant, by)
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


def case_complete_on_the_spot(
    *,
    case: Case,
    by: Any,
    licence_number: str,
    valid_until: date | None = None,
    delivery_method: str = DeliveryMethod.PICKUP,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """An immediate item (即办件): decide and hand over in the same visit as acceptance."""
    with transaction.atomic():
        locked = lock_case(case.pk)
        if expected_revision is not None and expected_revision != locked.revision:
            from ..exceptions import StaleCase

            raise StaleCase()
        require(COMPLETE_ON_THE_SPOT, Situation(locked, by))
        for step in locked.steps.filter(status=StepStatus.OPEN, assignee__isnull=True):
            step_claim(step=step, by=by, now=now)
        while True:
            steps = list(locked.steps.filter(status__in=[StepStatus.OPEN, StepStatus.WAITING]))
            current = next((s for s in steps if s.status == StepStatus.OPEN), None)
            if current is None or not any(s.status == StepStatus.WAITING for s in steps):
                break
            following = step_complete(
                step=current, by=by, opinion=str(_("Handled on the spot.")), now=now
            )
            step_claim(step=following, by=by, now=now)
        case_decide(
            case=locked,
            by=by,
            decision=Decision.APPROVED,
            licence_number=licence_number,
            valid_until=valid_until,
            now=now,
        )
        return case_deliver(case=locked, by=by, method=delivery_method, now=now)
