"""The rating link of the completion message (好差评, 一次一评): a signed, expiring token for one
case, opened without logging in. It names the case only by its id; whoever holds the message
may rate the case once, within the rule set's time to rate.

The token is a ``django.core.signing`` value with a salt of its own, so no other signed value
of the site opens it, and it expires after ``settings.RATING_LINK_MAX_AGE_DAYS`` (30 days by
default, longer than the time to rate of 10 working days with a holiday week in it); the
rating's own guard still ends the time to rate on its working day."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from workflow.models import Case

SALT = "supervision.hall_rating_links.rate"
DEFAULT_MAX_AGE_DAYS = 30


class LinkExpired(Exception):
    """The link was genuine but is older than its maximum age."""


class LinkForged(Exception):
    """The link was not signed by the site (or not for rating)."""


def max_age() -> timedelta:
    return timedelta(days=getattr(settings, "RATING_LINK_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def rating_token(case: Case | int) -> str:
    """The signed token of ``case``'s rating link."""
    return signing.dumps({"case": case.pk if isinstance(case, Case) else case}, salt=SALT)


def case_id_of(token: str) -> int:
    """The case id ``token`` was signed for; ``LinkExpired`` or ``LinkForged`` otherwise."""
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkForged from None
    case_id = value.get("case") if isinstance(value, dict) else None
    if not isinstance(case_id, int) or isinstance(case_id, bool):
        raise LinkForged
    return case_id


def rating_link_for(case: Case) -> str:
    """The absolute address of ``case``'s rating link (``settings.CASE_RATING_LINK``), for the
    completion message; built on ``settings.SITE_URL``."""
    path = reverse("hall-rate-link", kwargs={"token": rating_token(case)})
    return settings.SITE_URL.rstrip("/") + path
