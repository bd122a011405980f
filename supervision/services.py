"""The supervision office's writes. Each is one function, keyword-only, in one transaction with
the row locked; a refusal raises one of the workflow's domain errors and changes nothing.
Supervision never changes a case: what it writes is its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed

from .models import Alert
from .scope import leader_departments, officer_centers

ACKNOWLEDGEMENT_MAX_LENGTH = 1000


def may_acknowledge(user: Any, alert: Alert) -> bool:
    """Whether ``user`` may acknowledge ``alert``: an officer of a tree that holds its center,
    or a leader of its department."""
    return alert.center_id in officer_centers(user) or alert.department_id in leader_departments(
        user
    )


def alert_acknowledge(*, alert: Alert, by: Any, note: str, now: datetime | None = None) -> Alert:
    """Acknowledge ``alert`` with a note: the office or the department's leader says it has
    been seen and what is being done. Once only: a second acknowledgement is refused, so the
    first note is never overwritten."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            _("Write a note: what has been seen and what is being done.")
        ).with_fields({"note": [_("Write a note: what has been seen and what is being done.")]})
    if len(note) > ACKNOWLEDGEMENT_MAX_LENGTH:
        message = _("Keep the note within %(limit)d characters.") % {
            "limit": ACKNOWLEDGEMENT_MAX_LENGTH
        }
        raise InvalidInput(message).with_fields({"note": [message]})
    if not may_acknowledge(by, alert):
        raise ActionForbidden(
            _(
                "Only the supervision office of this center or the department's leader may acknowledge this alert."
            )
        )
    now = now or timezone.now()
    with transaction.atomic():
        # Two people acknowledging at once: the second waits for the first and is refused.
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is not None:
            who = locked.acknowledged_by
            name = (who.get_full_name() or who.get_username()) if who else "—"
            raise TransitionNotAllowed(
                _("This alert was already acknowledged by %(name)s on %(at)s.")
                % {
                    "name": name,
                    "at": timezone.localtime(locked.acknowledged_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        locked.acknowledged_at = now
        locked.acknowledged_by = by
        locked.acknowledgement = note
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    return locked
