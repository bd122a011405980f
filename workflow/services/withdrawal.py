"""Withdrawal: the applicant takes the application back while it is not decided."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from ..exceptions import InvalidInput
from ..models import Case, StepStatus
from ..permissions import Capacity
from ..transitions import Action
from .decision import lapse_requested_extension
from .joint import joint_case_close_if_done
from .transition import case_transition


def case_withdraw(
    *,
    case: Case,
    by: Any,
    reason: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """The applicant withdraws the application while it is not decided.

    At the window the clerk (or the agent) records the applicant's request, and why.
    """
    with case_transition(
        Action.WITHDRAW, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case, clock = run.case, run.clock
        reason = (reason or "").strip()
        if run.capacity != Capacity.APPLICANT and not reason:
            raise InvalidInput(_("Say why the application is withdrawn (the applicant's request)."))
        case.steps.filter(status__in=[StepStatus.OPEN, StepStatus.WAITING]).update(
            status=StepStatus.CANCELLED, finished_at=clock.now
        )
        case.suspensions.filter(ended_on__isnull=True).update(ended_on=clock.today)
        if case.extension_allowed:  # no extension was ever asked for otherwise
            lapse_requested_extension(case, clock.now)
        case.suspended_since = None
        run.reason = reason
        if case.joint_case_id is not None:
            joint = case.joint_case_id
            run.then(lambda: joint_case_close_if_done(joint, now=clock.now, by=by))
    return case
