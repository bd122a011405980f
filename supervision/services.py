"""The writes of supervision: one service per action, keyword-only, in a transaction, with the
row locked where two people could act at once. Supervision never changes a case here; it
writes only its own rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed

from .models import Alert
from .scope import leader_departments, officer_centers

ACKNOWLEDGEMENT_MAX_LENGTH = 2000


def may_acknowledge(user: Any, alert: Alert) -> bool:
    """Whether ``user`` may acknowledge ``alert``: an officer of its center's tree, or a leader
    of its department."""
    return alert.center_id in officer_centers(user) or (
        alert.department_id in leader_departments(user)
    )


def alert_acknowledge(*, alert: Alert, by: Any, note: str, now: datetime | None = None) -> Alert:
    """Record that ``by`` has seen ``alert`` and what is being done about it (``note``).

    An officer of the alert's center tree or a leader of its department may; an alert is
    acknowledged once (a second acknowledgement is refused with 409, the first one kept).
    """
    note = note.strip()
    if not note:
        message = _("Write what is being done about the alert.")
        raise InvalidInput(message).with_fields({"note": [message]})
    if len(note) > ACKNOWLEDGEMENT_MAX_LENGTH:
        message = _("Keep the note under %(limit)s characters.") % {
            "limit": ACKNOWLEDGEMENT_MAX_LENGTH
        }
        raise InvalidInput(message).with_fields({"note": [message]})
    now = now or timezone.now()
    with transaction.atomic():
        # Two people acknowledging at once: the second waits for the first and is refused.
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if not may_acknowledge(by, locked):
            raise ActionForbidden(
                _(
                    "Only a supervision officer of the alert's center or a leader of its "
                    "department may acknowledge it."
                )
            )
        if locked.acknowledged_at is not None:
            raise TransitionNotAllowed(
                _("This alert was already acknowledged on %(day)s.")
                % {"day": date_format(timezone.localtime(locked.acknowledged_at), "DATE_FORMAT")}
            )
        locked.acknowledged_at = now
        locked.acknowledged_by = by
        locked.acknowledgement = note
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    return locked
