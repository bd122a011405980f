"""The applicant's rating of a rectification (整改): once the department has answered the
rectification a poor rating opened, the case's applicant rates it once, on the scale of the
rating it follows, with an optional comment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError

from .inputs import LONG_TEXT, text_input
from .models import Rectification, RectificationStatus
from .scales import levels_of


def rectification_rate_refusal(rectification: Rectification, *, user: Any) -> WorkflowError | None:
    """Why ``user`` may not rate ``rectification`` now, or None. The page offers the form
    exactly when this says None."""
    case = rectification.case
    if user is None or not user.is_authenticated or case.applicant_id != user.pk:
        return ActionForbidden(_("Only the applicant rates the rectification of their case."))
    if rectification.applicant_rated_at is not None:
        return TransitionNotAllowed(_("You have rated this rectification already."))
    if rectification.status != RectificationStatus.ANSWERED:
        return TransitionNotAllowed(
            _("The rectification is rated once the department has answered it.")
        )
    return None


def rectification_rate(
    *,
    rectification: Rectification | int,
    level: Any,
    comment: str = "",
    by: Any,
    now: datetime | None = None,
) -> Rectification:
    """Record the applicant's rating of an answered rectification, on the scale of the rating
    it follows. Raises ``ActionForbidden`` (not the applicant), ``TransitionNotAllowed`` (not
    answered yet, rated already) and ``InvalidInput`` (a level the scale has not, a comment
    too long), as :func:`rectification_rate_refusal` says."""
    now = now or timezone.now()
    text = text_input(comment, field="comment", required=None, limit=LONG_TEXT)
    pk = rectification.pk if isinstance(rectification, Rectification) else rectification
    with transaction.atomic():
        locked = (
            Rectification.objects.select_for_update(of=("self",))
            .select_related("case", "rating")
            .get(pk=pk)
        )
        refusal = rectification_rate_refusal(locked, user=by)
        if refusal is not None:
            raise refusal
        values = [option.value for option in levels_of(locked.rating.scale)]
        if isinstance(level, str) and level.strip().isdigit():
            level = int(level)
        if isinstance(level, bool) or level not in values:
            message = _("Choose one of the levels offered.")
            raise InvalidInput(message).with_fields({"level": [message]})
        locked.applicant_level = int(level)
        locked.applicant_comment = text
        locked.applicant_rated_at = now
        locked.save(update_fields=["applicant_level", "applicant_comment", "applicant_rated_at"])
    return locked
