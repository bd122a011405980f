"""The item's steps in order (承办 → 审核 → 审批): claimed, completed, or sent back with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from ..exceptions import TransitionNotAllowed
from ..models import StepRun, StepStatus
from ..transitions import Action
from .intake import open_step
from .transition import case_transition, required_text, save_now


def step_claim(
    *, step: StepRun, by: Any, now: datetime | None = None, expected_revision: int | None = None
) -> StepRun:
    """Take an open step from the department's queue."""
    with case_transition(
        Action.CLAIM_STEP,
        case=step.case_id,
        by=by,
        now=now,
        expected_revision=expected_revision,
        step=step,
    ) as run:
        assert run.step is not None  # locked by the transition
        step = run.step
        step.assignee = by
        step.claimed_at = run.clock.now
        run.save(step, "assignee", "claimed_at")
    return step


def step_complete(
    *,
    step: StepRun,
    by: Any,
    opinion: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> StepRun:
    """Finish a step with an opinion and open the next one. The last step ends in a decision."""
    opinion = required_text(opinion, _("Write your opinion before you complete the step."))
    with case_transition(
        Action.COMPLETE_STEP,
        case=step.case_id,
        by=by,
        now=now,
        expected_revision=expected_revision,
        step=step,
    ) as run:
        assert run.step is not None  # locked by the transition
        step = run.step
        following = run.situation.next_waiting
        if following is None:  # the rule has checked; a concurrent change cannot get here
            raise TransitionNotAllowed(_("This is the last step: it ends with the decision."))
        step.status = StepStatus.DONE
        step.finished_at = run.clock.now
        step.opinion = opinion
        save_now(step, "status", "finished_at", "opinion")
        open_step(following, run.clock, run=run)
        run.reason = opinion
        run.data = {"next": following.pk}
        run.tell_role(following.role, "step_assigned", step=following.name)
    return following


def step_return(
    *,
    step: StepRun,
    by: Any,
    reason: str,
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> StepRun:
    """Send the case back to the previous step, with a reason; that step runs again."""
    reason = required_text(reason, _("Say why the step goes back."))
    with case_transition(
        Action.RETURN_STEP,
        case=step.case_id,
        by=by,
        now=now,
        expected_revision=expected_revision,
        step=step,
    ) as run:
        assert run.step is not None  # locked by the transition
        step, case = run.step, run.case
        previous = max(
            (s for s in run.situation.steps if s.order == step.order - 1), key=lambda s: s.pk
        )
        step.status = StepStatus.RETURNED
        step.finished_at = run.clock.now
        step.opinion = reason
        step.save(update_fields=["status", "finished_at", "opinion"])
        again, _repeat = StepRun.objects.bulk_create(
            [
                StepRun(
                    case=case,
                    order=source.order,
                    name=source.name,
                    role=source.role,
                    limit_days=source.limit_days,
                    status=StepStatus.WAITING,
                )
                for source in (previous, step)
            ]
        )
        open_step(again, run.clock)
        run.reason = reason
        run.data = {"to": again.pk}
        run.tell_role(again.role, "step_assigned", step=again.name)
    return again
