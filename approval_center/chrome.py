"""Pages and page chrome drawn once for visitors who are not signed in.

**The chrome** of every page (``templates/base.html``): the stylesheets and scripts, the utility
bar, the header and the role navigation, each drawn by ``{% site_chrome "components/…" %}``. For a
signed-out visitor a fragment of the chrome is the same on every page but for two values: the
address the utility bar's forms send the visitor back to, and the CSRF token of those forms, which
belongs to the visitor's session. Drawing it costs more than most page bodies (a dozen
translations, URL reversals and static file names), so it is drawn once per process, language and
elderly mode with placeholders for those two values, which are filled in for each request. The
chrome of a signed-in person (their name, their role navigation, the log-out forms) is drawn for
each request, as is everything around the fragments (the title, messages, the content). A
fragment drawn through this tag may therefore read nothing of the request but what ``_key`` names,
``user`` (signed out), ``chrome_next`` (the page's address, escaped) and ``{% csrf_token %}``.
Nothing in it is read from the database, so nothing but a new deployment changes it.

**Whole pages** that read the same for every signed-out visitor (the item guides) go through
``signed_out_page``: the page at its plain address (no query string), with no message waiting for
the visitor, is drawn once per cache key, language and elderly mode with a placeholder for the
CSRF token and kept in the shared cache; the caller's key says when it is stale (the guides carry
the catalog's publication version). Everyone else gets the page drawn for them.

A drawing that asks for the CSP nonce is not kept, since a nonce belongs to one response. With
template debugging on (development) everything is drawn afresh, so edits show at once.
"""

import contextlib
import re
from collections.abc import Callable

from django import template
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .navigation import elderly_mode_on

register = template.Library()

# Placeholders that pass HTML escaping unchanged and appear nowhere else in a page.
_NEXT = "chrome-slot-next-4f1e9c7a"
_TOKEN = "chrome-slot-csrf-4f1e9c7a"
_SLOTS = re.compile(f"({_NEXT}|{_TOKEN})")

# (fragment, language, elderly mode, script prefix) -> the drawn fragment split at its
# placeholders: literal text at even places, a placeholder at odd ones.
_drawn: dict[tuple[str, str, bool, str], tuple[str, ...]] = {}


@receiver(setting_changed)
def _forget_drawn(**kwargs) -> None:
    # Languages, URLs and static file names come from the settings.
    _drawn.clear()


def _signed_out(context) -> bool:
    user = context.get("user")
    return (
        user is not None
        and not user.is_authenticated
        and not context.get("is_staff_member")
        and not context.get("nav_entries")
    )


def _key(name: str, context) -> tuple[str, str, bool, str]:
    return (name, get_language(), bool(context.get("elderly_mode")), get_script_prefix())


@register.simple_tag(takes_context=True)
def site_chrome(context, name: str) -> SafeString:
    """The chrome fragment ``name``, from the process's copy for a signed-out visitor."""
    request = context.get("request")
    engine = context.template.engine
    token = context.get("csrf_token")
    if request is None or token is None or engine.debug or not _signed_out(context):
        with context.push(chrome_next=request.get_full_path() if request is not None else ""):
            return engine.get_template(name).render(context)
    key = _key(name, context)
    parts = _drawn.get(key)
    if parts is None:
        fragment = engine.get_template(name)
        nonce_before = getattr(request, "_csp_nonce", None)
        with context.push(chrome_next=_NEXT, csrf_token=_TOKEN):
            parts = tuple(_SLOTS.split(fragment.render(context)))
        if getattr(request, "_csp_nonce", None) == nonce_before:
            _drawn[key] = parts
    slots = set(parts[1::2])
    values = {}
    if _TOKEN in slots:
        values[_TOKEN] = escape(str(token))
        if values[_TOKEN] == "NOTPROVIDED":
            # No CSRF middleware: {% csrf_token %} draws nothing, which a placeholder can't say.
            with context.push(chrome_next=request.get_full_path()):
                return engine.get_template(name).render(context)
    if _NEXT in slots:
        values[_NEXT] = escape(request.get_full_path())
    return mark_safe(  # noqa: S308 - the literal parts were drawn escaped, the values are escaped
        "".join(values[part] if place % 2 else part for place, part in enumerate(parts))
    )


def _same_for_every_signed_out_visitor(request: HttpRequest) -> bool:
    # A query string could put anything into the page's address, which the page repeats (the
    # utility bar's "next"); without one the address is part of the key. Messages are the
    # visitor's own.
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and not request.user.is_authenticated
        and not engines["django"].engine.debug  # type: ignore[attr-defined]
        and not get_messages(request)
    )


def signed_out_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    key: str,
    timeout: int,
) -> HttpResponse:
    """``render(request, template_name, context())``, kept in the cache under ``key`` (with the
    language, the elderly mode and the script prefix) for visitors who are not signed in.

    ``key`` must name everything the page shows but the visitor's language, elderly mode and
    CSRF token: a new key is a new page. ``context`` is called only when the page is drawn, so an
    error it raises (a 404) is raised then.
    """
    if not _same_for_every_signed_out_visitor(request):
        return render(request, template_name, context())
    full_key = f"{key}:{get_language()}:{int(elderly_mode_on(request))}:{get_script_prefix()}"
    try:
        parts = cache.get(full_key)
    except Exception:  # noqa: BLE001 - a cache outage only costs a render
        parts = None
    if parts is None:
        nonce_before = getattr(request, "_csp_nonce", None)
        page = render_to_string(template_name, {**context(), "csrf_token": _TOKEN}, request)
        parts = tuple(page.split(_TOKEN))
        if getattr(request, "_csp_nonce", None) == nonce_before:
            with contextlib.suppress(Exception):  # a cache outage only costs the next render
                cache.set(full_key, parts, timeout=timeout)
    # One token for the whole page, as the csrf context processor gives; asked for only when
    # the page has a form, so that a page without one sets no CSRF cookie.
    token = escape(get_token(request)) if len(parts) > 1 else ""
    return HttpResponse(token.join(parts))
