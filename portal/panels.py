"""The online hall's panel on the staff start page (settings.STAFF_START_PANELS): the
questions the window clerk's and chief representative's departments have to answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from workflow.calendar import shanghai_today
from workflow.paging import count_up_to
from workflow.permissions import departments_staffed

from .consultations import ANSWERING_ROLES, consultations_open_for_staff


def consultations_to_answer(request: HttpRequest) -> dict[str, Any] | None:
    """The open questions of the user's departments and those past their answer date."""
    if not departments_staffed(request.user, ANSWERING_ROLES):
        return None
    waiting = consultations_open_for_staff(request.user)
    return {
        "template": "portal/panels/consultations.html",
        "open": count_up_to(waiting),
        "overdue": count_up_to(waiting.filter(due_on__lt=shanghai_today())),
    }
