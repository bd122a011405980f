"""The window's rating kiosk (电子评议器) at /kiosk/: the binding form, the kiosk's page (its
idle screen, the case just completed at its window, the comment after a poor level, the thanks)
and the fragment its script polls. No log-in: the device is recognised by its signed cookie
alone, and a device not bound to the window sees a page saying how to bind, never a case."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from approval_center.throttling import KIOSK_BINDING, rate_limited
from catalog.models import ApplicantType
from workflow.calendar import shanghai_today
from workflow.exceptions import InvalidInput, WorkflowError
from workflow.identifiers import public_holder_name

from .kiosks import kiosk_bind, kiosk_current_case, kiosk_of_device, kiosk_offered, kiosk_rate
from .models import Kiosk
from .rules import rules_in_force
from .scales import is_poor, levels_of

COOKIE = "kiosk_device"
COOKIE_SALT = "supervision.kiosk.cookie"
COOKIE_PATH = "/kiosk/"
# Browsers keep a cookie at most about 400 days; every visit of the kiosk's page renews it.
COOKIE_AGE = 400 * 24 * 60 * 60


# --- the device's cookie ----------------------------------------------------------------------


def _device_kiosk(request: HttpRequest) -> Kiosk | None:
    value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    if not value or ":" not in value:
        return None
    kiosk_id, key = value.split(":", 1)
    if not kiosk_id.isdigit():
        return None
    return kiosk_of_device(kiosk_id=int(kiosk_id), key=key)


def _keep_cookie(response: HttpResponse, request: HttpRequest, value: str) -> None:
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def _renew_cookie(request: HttpRequest, response: HttpResponse) -> None:
    value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    if value:
        _keep_cookie(response, request, value)


def _not_bound(request: HttpRequest) -> HttpResponse:
    """The page of a device that is not (or no longer) bound to the window it asks for."""
    return render(request, "supervision/kiosk/not_bound.html", {}, status=403)


# --- binding ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited(KIOSK_BINDING)
def bind(request: HttpRequest) -> HttpResponse:
    """Bind this device to a window's kiosk with the code the administrator issued."""
    bound = _device_kiosk(request)
    error = ""
    code = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            kiosk, key = kiosk_bind(code=code)
        except InvalidInput as refusal:
            error = str(refusal)
        else:
            response = redirect("kiosk-window", window_id=kiosk.window_id)
            _keep_cookie(response, request, f"{kiosk.pk}:{key}")
            return response
    return render(
        request,
        "supervision/kiosk/bind.html",
        {"bound": bound, "error": error, "code": code},
        status=400 if error else 200,
    )


# --- the kiosk's page -------------------------------------------------------------------------


def _case_context(event, rules) -> dict:
    case = event.case
    return {
        "event": event,
        "case": case,
        "holder": public_holder_name(
            case.applicant_name, natural_person=case.applicant_kind == ApplicantType.NATURAL
        ),
        "clerk_name": event.actor.get_full_name() or event.actor.get_username(),
        "levels": levels_of(rules.rating_scale),
    }


def _stage(kiosk: Kiosk) -> dict:
    """What the kiosk shows now: the case to rate, or nothing (the idle screen)."""
    event = kiosk_current_case(window_id=kiosk.window_id)
    if event is None:
        return {"screen": "idle"}
    rules = rules_in_force(shanghai_today(timezone.now()))
    return {"screen": "case", **_case_context(event, rules)}


def _page(request: HttpRequest, kiosk: Kiosk, context: dict, *, status: int = 200) -> HttpResponse:
    window = kiosk.window
    response = render(
        request,
        "supervision/kiosk/window.html",
        {
            "kiosk": kiosk,
            "window": window,
            "center": window.center,
            "current_url": reverse("kiosk-current", kwargs={"window_id": window.pk}),
            "home_url": reverse("kiosk-window", kwargs={"window_id": window.pk}),
            "reset_seconds": settings.KIOSK_RESET_SECONDS,
            "poll_seconds": settings.KIOSK_POLL_SECONDS,
            **context,
        },
        status=status,
    )
    _renew_cookie(request, response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def window(request: HttpRequest, window_id: int) -> HttpResponse:
    """The kiosk of window ``window_id``: the case just completed there and its levels as big
    buttons; a POST rates it (after a poor level, once more with the optional comment)."""
    kiosk = _device_kiosk(request)
    if kiosk is None or kiosk.window_id != window_id:
        return _not_bound(request)
    if request.method == "GET":
        return _page(request, kiosk, _stage(kiosk))
    return _rate(request, kiosk)


def _rate(request: HttpRequest, kiosk: Kiosk) -> HttpResponse:
    now = timezone.now()
    rules = rules_in_force(shanghai_today(now))
    level = request.POST.get("level", "")
    case_id = request.POST.get("case", "")
    levels = {str(option.value): option for option in levels_of(rules.rating_scale)}
    chosen = levels.get(level)
    if chosen is not None and chosen.poor and request.POST.get("step") != "comment":
        # A poor level: ask, once, what went wrong (the comment may stay empty).
        event = kiosk_offered(window_id=kiosk.window_id, case_id=case_id, now=now)
        if event is not None:
            return _page(
                request,
                kiosk,
                {"screen": "comment", "level": chosen, **_case_context(event, rules)},
            )
    try:
        rating = kiosk_rate(
            kiosk=kiosk,
            case_id=case_id,
            level=level,
            comment=request.POST.get("comment", ""),
            now=now,
        )
    except WorkflowError as refusal:
        return _page(
            request,
            kiosk,
            {"screen": "refused", "message": str(refusal)},
            status=refusal.status,
        )
    return _page(
        request,
        kiosk,
        {"screen": "thanks", "poor": is_poor(rating.scale, rating.level)},
    )


@never_cache
@require_GET
def current(request: HttpRequest, window_id: int) -> HttpResponse:
    """The kiosk's stage alone (the idle screen or the case to rate), for its script's poll."""
    kiosk = _device_kiosk(request)
    if kiosk is None or kiosk.window_id != window_id:
        return HttpResponse(status=403)
    context = {
        "kiosk": kiosk,
        "window": kiosk.window,
        "center": kiosk.window.center,
        **_stage(kiosk),
    }
    return render(request, "supervision/kiosk/_stage.html", context)
