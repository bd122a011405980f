"""Rate limits of every public form, in one place: a named scope per form, its rate from the
environment (``settings.RATE_LIMITS``), counted per client address and, where the form names an
account, per account too.

Per address, one machine cannot guess query codes or passwords at speed. Per account where the
account is the requester's own (a signed-in user) or one a stranger cannot be kept out of by it
(a phone number a verification code is sent to: no SMS flood). The log-in and token forms are
not counted per user name they ask for: a stranger could then keep the clerk out; there
django-axes locks a user name out at one address only. The counters are
DRF's sliding windows in the default cache (Redis in production, so every web process shares
them); the address is the one ``approval_center.client.client_address`` derives.

- API views list a throttle class below in ``throttle_classes`` (DRF answers 429 in JSON).
- Django views are wrapped in ``rate_limited(scope)`` (a 429 page in the user's language).

The online hall's registration and verification-code forms use the scopes defined for them here.
"""

import functools
import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from rest_framework import throttling

from .client import client_address

LOGIN = "login"  # the staff and admin log-in forms
TRACKING = "tracking"  # case tracking by number and query code
TOKEN = "token"  # API tokens for a user name and password
REGISTRATION = "registration"  # an applicant opening an account in the hall
VERIFICATION_CODE = "verification-code"  # a code sent by SMS or e-mail to a phone or an address
CONSULTATION = "consultation"  # an applicant asking a question about an item
KIOSK_BINDING = "kiosk-binding"  # a binding code typed at a window's rating kiosk
COMPLAINT = "complaint"  # an applicant filing a complaint in the hall
SCOPES = (
    LOGIN,
    TRACKING,
    TOKEN,
    REGISTRATION,
    VERIFICATION_CODE,
    CONSULTATION,
    KIOSK_BINDING,
    COMPLAINT,
)


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused: over the limit of its address or of its account, and the
    seconds until the next request would be allowed."""

    per_account: bool
    wait: float


class _Window(throttling.SimpleRateThrottle):
    """DRF's sliding-window counter for one scope and one key."""

    def __init__(self, scope: str, key: str):
        self.scope = scope
        self.rate = settings.RATE_LIMITS[scope]
        self._key = key
        super().__init__()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self._key}


def _account_key(account: str) -> str:
    # Hashed: a user name or phone number may hold characters a cache key must not, and the
    # cache need not hold personal data. Case-folded, so "Clerk" and "clerk" share a counter.
    return "account-" + hashlib.sha256(account.casefold().encode()).hexdigest()


def limit(scope: str, request: HttpRequest, *, account: str | None = None) -> Refusal | None:
    """Count one request of a form against its scope: ``None`` when it is within the limits,
    else the refusal. ``account`` is the user name (or phone number, e-mail address) the request
    is about, when there is one."""
    windows = [(False, _Window(scope, "address-" + client_address(request)))]
    if account:
        windows.append((True, _Window(scope, _account_key(account))))
    for per_account, window in windows:
        if not window.allow_request(request, None):
            return Refusal(per_account=per_account, wait=window.wait() or window.duration)
    return None


def refusal_message(refusal: Refusal) -> str:
    """What a refused visitor is told, in their language."""
    if refusal.per_account:
        reason = gettext("Too many attempts for this account; wait and retry.")
    else:
        reason = gettext("Too many requests from this address; wait and retry.")
    seconds = math.ceil(refusal.wait)
    retry = ngettext(
        "Try again in %(seconds)s second.", "Try again in %(seconds)s seconds.", seconds
    ) % {"seconds": seconds}
    return f"{reason} {retry}"


def too_many_requests(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The 429 page of a refused form."""
    response = render(
        request, "too_many_requests.html", {"message": refusal_message(refusal)}, status=429
    )
    response["Retry-After"] = str(math.ceil(refusal.wait))
    return response


def _named_account(request: HttpRequest, field: str | None) -> str | None:
    """The account a form is about: the one it names, else the one signed in."""
    if field:
        named = request.POST.get(field, "")
        if named.strip():
            return named.strip()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.get_username()
    return None


def rate_limited(scope: str, *, account_field: str | None = None):
    """Wrap a Django view so that its POSTs count against ``scope``; ``account_field`` is the
    form field naming the account (``username`` at the log-in forms)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                refusal = limit(scope, request, account=_named_account(request, account_field))
                if refusal is not None:
                    return too_many_requests(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- DRF throttles --------------------------------------------------------------------------


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's limit on anonymous API callers (``API_ANON_RATE``), by the client's real address."""

    def get_ident(self, request) -> str:
        return client_address(request)


class ScopeThrottle(throttling.BaseThrottle):
    """A DRF throttle for one scope of this policy; ``account`` says who the request is about."""

    scope: str = ""

    def account(self, request) -> str | None:
        user = request.user
        return user.get_username() if user.is_authenticated else None

    def allow_request(self, request, view) -> bool:
        self.refusal = limit(self.scope, request, account=self.account(request))
        return self.refusal is None

    def wait(self) -> float | None:
        return self.refusal.wait if self.refusal else None


class TrackingThrottle(ScopeThrottle):
    scope = TRACKING


class ConsultationThrottle(ScopeThrottle):
    """Questions asked through the API: per address and per signed-in applicant."""

    scope = CONSULTATION


class ComplaintThrottle(ScopeThrottle):
    """Complaints filed through the API: per address and per signed-in applicant."""

    scope = COMPLAINT


class TokenRequestThrottle(ScopeThrottle):
    """Counts per address only, like the log-in forms: counted per user name asked for, a
    stranger could keep the account's owner from getting a token."""

    scope = TOKEN

    def account(self, request) -> str | None:
        return None
