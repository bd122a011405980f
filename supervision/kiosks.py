"""The window's rating kiosk (电子评议器): issuing a binding code, binding a device with it,
revoking, recognising a bound device, the case just completed at its window, and rating that
case from the kiosk.

The administrator issues a one-time code for a kiosk of a window; it is shown once, kept only as
a keyed digest (HMAC-SHA256 with the SECRET_KEY) and works for ``CODE_HOURS``. At the device,
the code binds it: a fresh random device key, kept as a digest, goes into a signed cookie, and
the code is cleared. Revoking stops the device at once (its key is forgotten). The kiosk shows
only the case its window's clerks handed over within the last ``KIOSK_CASE_MINUTES`` that has
no rating yet; a rating from the kiosk is re-checked against that and written through
:func:`supervision.ratings.rating_submit` with the kiosk's channel and window.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from catalog.models import Window
from workflow.exceptions import InvalidInput, TransitionNotAllowed
from workflow.models import CaseEvent, CaseStatus
from workflow.transitions import Action

from .models import Kiosk, Rating, RatingChannel
from .ratings import rating_submit

logger = logging.getLogger(__name__)

# Eight characters without the ones people confuse (0/O, 1/I/L): 31⁸ ≈ 8.5·10¹¹ codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_HOURS = 24
# A bound device's last visit is written at most this often (the page polls every few seconds).
SEEN_EVERY = timedelta(minutes=1)

_CODE_SALT = "supervision.kiosk.code"
_DEVICE_SALT = "supervision.kiosk.device"


@dataclass(frozen=True)
class IssuedCode:
    """A kiosk and its binding code, in clear this once only."""

    kiosk: Kiosk
    code: str
    expires_at: datetime

    @property
    def shown(self) -> str:
        """The code as the administrator reads it out: two groups of four."""
        return f"{self.code[:4]}-{self.code[4:]}"


def _digest(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()


def code_normalised(value: str) -> str:
    """What was typed, as the code is kept: upper case, without spaces or dashes."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# --- the administrator: issue, re-issue, revoke ------------------------------------------------


def kiosk_issue(
    *, window: Window, by: Any, label: str = "", now: datetime | None = None
) -> IssuedCode:
    """A new kiosk for ``window`` with a binding code valid for ``CODE_HOURS``."""
    now = now or timezone.now()
    code = _new_code()
    kiosk = Kiosk.objects.create(
        window=window,
        label=label.strip(),
        code_digest=_digest(_CODE_SALT, code),
        code_expires_at=now + timedelta(hours=CODE_HOURS),
        issued_by=by,
        issued_at=now,
    )
    logger.info("kiosk %s issued for window %s by %s", kiosk.pk, window.pk, by.pk)
    return IssuedCode(kiosk=kiosk, code=code, expires_at=kiosk.code_expires_at)


def kiosk_reissue(*, kiosk: Kiosk, by: Any, now: datetime | None = None) -> IssuedCode:
    """A fresh binding code for ``kiosk`` (the earlier one stops working). A device bound
    already keeps working until the new code binds another one."""
    now = now or timezone.now()
    code = _new_code()
    with transaction.atomic():
        locked = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
        locked.code_digest = _digest(_CODE_SALT, code)
        locked.code_expires_at = now + timedelta(hours=CODE_HOURS)
        locked.issued_by = by
        locked.issued_at = now
        locked.save(update_fields=["code_digest", "code_expires_at", "issued_by", "issued_at"])
    logger.info("kiosk %s re-issued by %s", kiosk.pk, by.pk)
    return IssuedCode(kiosk=locked, code=code, expires_at=locked.code_expires_at)


def kiosk_revoke(*, kiosk: Kiosk, by: Any, now: datetime | None = None) -> Kiosk:
    """Stop ``kiosk`` at once: its device key and any code waiting are forgotten. A new code
    binds it again."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
        locked.revoked_at = now
        locked.device_digest = ""
        locked.code_digest = ""
        locked.code_expires_at = None
        locked.save(update_fields=["revoked_at", "device_digest", "code_digest", "code_expires_at"])
    logger.info("kiosk %s revoked by %s", kiosk.pk, by.pk)
    return locked


# --- the device: bind, and be recognised ------------------------------------------------------


def kiosk_bind(*, code: str, now: datetime | None = None) -> tuple[Kiosk, str]:
    """Bind the device that typed ``code``: (the kiosk, the device key for its cookie).

    ``InvalidInput`` on the ``code`` field for a code that is wrong, used or expired; then
    nothing changes."""
    now = now or timezone.now()
    typed = code_normalised(code)
    refused = _(
        "This code does not bind a kiosk: it is wrong, used or expired. Ask the administrator for a new one."
    )
    if len(typed) != CODE_LENGTH:
        raise InvalidInput(refused).with_fields({"code": [refused]})
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        kiosk = (
            Kiosk.objects.select_for_update()
            .select_related("window__center")
            .filter(code_digest=_digest(_CODE_SALT, typed), code_expires_at__gt=now)
            .first()
        )
        if kiosk is None:
            raise InvalidInput(refused).with_fields({"code": [refused]})
        kiosk.device_digest = _digest(_DEVICE_SALT, key)
        kiosk.code_digest = ""
        kiosk.code_expires_at = None
        kiosk.bound_at = now
        kiosk.last_seen_at = now
        kiosk.revoked_at = None
        kiosk.save(
            update_fields=[
                "device_digest",
                "code_digest",
                "code_expires_at",
                "bound_at",
                "last_seen_at",
                "revoked_at",
            ]
        )
    logger.info("kiosk %s bound to a device", kiosk.pk)
    return kiosk, key


def kiosk_of_device(*, kiosk_id: int, key: str, now: datetime | None = None) -> Kiosk | None:
    """The kiosk whose device holds ``key``, unless it was revoked or bound again since; its
    last visit noted (at most once a minute)."""
    now = now or timezone.now()
    kiosk = (
        Kiosk.objects.select_related("window__center")
        .filter(pk=kiosk_id, revoked_at__isnull=True)
        .exclude(device_digest="")
        .first()
    )
    if kiosk is None or not constant_time_compare(kiosk.device_digest, _digest(_DEVICE_SALT, key)):
        return None
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at >= SEEN_EVERY:
        Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
        kiosk.last_seen_at = now
    return kiosk


# --- the case just completed at the window ----------------------------------------------------


def _handovers_at(window_id: int, *, now: datetime) -> QuerySet[CaseEvent]:
    """The hand-overs (deliver events) of the last ``KIOSK_CASE_MINUTES`` by a clerk of the
    window, of a case of a department the window serves, completed and not rated yet."""
    since = now - timedelta(minutes=settings.KIOSK_CASE_MINUTES)
    return CaseEvent.objects.filter(
        action=Action.DELIVER,
        at__gte=since,
        at__lte=now,
        actor_id__in=Window.clerks.through.objects.filter(window_id=window_id).values("user_id"),
        case__department_id__in=Window.departments.through.objects.filter(
            window_id=window_id
        ).values("department_id"),
        case__status=CaseStatus.COMPLETED,
        case__rating__isnull=True,
    )


def kiosk_current_case(*, window_id: int, now: datetime | None = None) -> CaseEvent | None:
    """The newest hand-over the kiosk of ``window_id`` offers for rating, with its case, item
    and clerk (one query), or None."""
    now = now or timezone.now()
    return (
        _handovers_at(window_id, now=now)
        .select_related("case__item_version", "actor")
        .order_by("-at", "-id")
        .first()
    )


def kiosk_offered(*, window_id: int, case_id: Any, now: datetime | None = None) -> CaseEvent | None:
    """The hand-over of ``case_id`` if the kiosk of ``window_id`` offers it for rating now (its
    clerks handed it over there lately and it has no rating), else None; ``case_id`` is what a
    form sent, so anything not a number is None too."""
    now = now or timezone.now()
    try:
        case_pk = int(case_id)
    except (TypeError, ValueError):
        return None
    return (
        _handovers_at(window_id, now=now)
        .filter(case_id=case_pk)
        .select_related("case__item_version", "actor")
        .order_by("-at", "-id")
        .first()
    )


def kiosk_rate(
    *,
    kiosk: Kiosk,
    case_id: Any,
    level: Any,
    comment: str = "",
    now: datetime | None = None,
) -> Rating:
    """Rate, from ``kiosk``, the case ``case_id`` its window just handed over.

    ``TransitionNotAllowed`` when that case is not one the kiosk offers (another window's, too
    old, rated already) — nothing is written; otherwise as :func:`rating_submit`."""
    now = now or timezone.now()
    offered = kiosk_offered(window_id=kiosk.window_id, case_id=case_id, now=now)
    if offered is None:
        raise TransitionNotAllowed(
            _("This case is not one just completed at this window; nothing was recorded.")
        )
    return rating_submit(
        case=offered.case_id,
        level=level,
        channel=RatingChannel.KIOSK,
        window=kiosk.window_id,
        comment=comment,
        now=now,
    )
