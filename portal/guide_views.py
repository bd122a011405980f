"""The item guide pages (办事指南) of the online hall: one per current item and per joint item.

A guide reads the same for everyone, so its body is rendered once and cached until the catalog
is next published (``catalog.versions.guides_version``). For a visitor who is not signed in the
whole page is cached the same way (``approval_center.chrome.signed_out_page``), with only the CSRF
token of the utility bar's forms filled in for each request. For anyone signed in only the body
is cached: the page around it (the header with their name, the forms with their CSRF token) is
drawn for each request.
"""

import contextlib

from django.core.cache import cache
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from approval_center.chrome import signed_out_page
from catalog.models import ItemVersion, JointItem
from catalog.selectors import (
    active_joint_item_detail,
    active_joint_items_of,
    published_version_detail,
    windows_for_department,
)
from catalog.versions import guides_version

from .consultations import faq_for_item

# A bound on how long a guide may show a window or a center's address edited since (those are
# not published): an hour. A publication redraws every guide at once.
GUIDE_CACHE_SECONDS = 60 * 60


def speed_up_percent(*, statutory: int, promised: int) -> int | None:
    """How much shorter the promise is than the law's limit (提速), in whole percent."""
    if not statutory:
        return None
    return round(100 * (1 - promised / statutory))


def _cached_body(kind: str, code: str, build) -> dict:
    key = f"portal:guide:{kind}:{code}:{get_language()}:{guides_version()}"
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage only costs a render
        cached = None
    if cached is not None:
        return cached
    fragment = build()
    with contextlib.suppress(Exception):  # a cache outage only costs the next render
        cache.set(key, fragment, timeout=GUIDE_CACHE_SECONDS)
    return fragment


def _item_fragment(code: str) -> dict:
    try:
        version = published_version_detail(code)
    except ItemVersion.DoesNotExist:
        raise Http404(_("There is no published item with this code.")) from None
    materials = list(version.materials.all())
    windows = list(windows_for_department(version.department))
    context = {
        "version": version,
        "code": version.item.code,
        "materials": materials,
        "has_deferrable": any(material.deferrable for material in materials),
        "steps": list(version.steps.all()),
        "fees": list(version.fees.all()),
        "windows": windows,
        "center": version.department.center,
        "speed_up": speed_up_percent(
            statutory=version.statutory_limit, promised=version.promised_limit
        ),
        "joint_items": list(active_joint_items_of(version.item_id)),
        # Published from consultations; publishing one redraws the guides (guides_changed).
        "faq": faq_for_item(version.item_id),
    }
    return {
        "title": version.name,
        "body": render_to_string("portal/guides/item_body.html", context),
    }


def _joint_fragment(code: str) -> dict:
    try:
        joint, members = active_joint_item_detail(code)
    except JointItem.DoesNotExist:
        raise Http404(_("There is no joint item with this code.")) from None
    context = {"joint": joint, "members": members}
    return {"title": joint.name, "body": render_to_string("portal/guides/joint_body.html", context)}


def _guide_page(request, kind: str, code: str, template_name: str, build):
    def context() -> dict:
        return {"fragment": _cached_body(kind, code, build), "code": code}

    return signed_out_page(
        request,
        template_name,
        context,
        key=f"portal:guide-page:{kind}:{code}:{guides_version()}",
        timeout=GUIDE_CACHE_SECONDS,
    )


def item_guide(request, code: str):
    """The guide of the current version of item ``code``; a 404 page for any other code."""
    return _guide_page(
        request, "item", code, "portal/guides/item.html", lambda: _item_fragment(code)
    )


def joint_item_guide(request, code: str):
    """The guide of the joint item ("一件事") ``code`` with its member items; 404 if closed."""
    return _guide_page(
        request, "joint", code, "portal/guides/joint.html", lambda: _joint_fragment(code)
    )
