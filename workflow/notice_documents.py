"""A notice as a document: the context its templates read, and its PDF.

The screen page and the PDF come from the same templates (``workflow/notices/<kind>.html``) and
the same content, frozen when the notice was issued. The page extends the site's layout; the
PDF is laid out by WeasyPrint on A4 in a print layout of its own, with the Noto CJK fonts.
WeasyPrint needs Pango and the fonts from the system: where they are missing the PDF is
unavailable (``PdfUnavailable``) and the screen page still works.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext_lazy

from .models import Notice, NoticeKind

logger = logging.getLogger(__name__)

SCREEN_LAYOUT = "workflow/notices/screen.html"
PRINT_LAYOUT = "workflow/notices/print.html"
# The print layout's stylesheets: the notice's own (its @media print rules give the page) and
# the fonts the PDF is set in.
PDF_STYLESHEETS = ("css/notice.css", "css/notice-pdf.css")
# The families the PDF is set in; one of them must be installed (fonts-noto-cjk on Debian).
CJK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei")

# The document titles, as printed at the head of each notice.
TITLES = {
    NoticeKind.ACCEPTANCE: pgettext_lazy("notice title", "Acceptance receipt"),
    NoticeKind.SUPPLEMENT: pgettext_lazy("notice title", "Supplement notice"),
    NoticeKind.REJECTION: pgettext_lazy("notice title", "Notice of rejection at intake"),
    NoticeKind.EXTENSION: pgettext_lazy("notice title", "Extension notice"),
    NoticeKind.SUSPENSION: pgettext_lazy("notice title", "Suspension notice"),
    NoticeKind.APPROVAL: pgettext_lazy("notice title", "Decision to grant the licence"),
    NoticeKind.DENIAL: pgettext_lazy("notice title", "Decision to deny the licence"),
}

# Content keys that hold a day, stored as ISO text in the JSON.
DATE_KEYS = (
    "date",
    "received_on",
    "accepted_on",
    "due_on",
    "statutory_due_on",
    "deferred_due_on",
    "valid_until",
)


class PdfUnavailable(Exception):
    """WeasyPrint, the system libraries it loads (Pango) or the CJK fonts are missing."""


def readable(content: dict) -> dict:
    """The frozen content with its ISO days turned into dates the templates can format."""
    result = dict(content)
    for key in DATE_KEYS:
        value = result.get(key)
        if isinstance(value, str) and value:
            # An unreadable day must not fail the document that shows the rest.
            with suppress(ValueError):
                result[key] = date.fromisoformat(value)
    return result


def notice_context(notice: Notice, *, layout: str) -> dict[str, Any]:
    """What the notice's templates read, in ``layout`` (the screen page or the PDF)."""
    return {
        "notice": notice,
        "title": TITLES[NoticeKind(notice.kind)],
        "content": readable(notice.content),
        "layout": layout,
    }


def pdf_filename(notice: Notice) -> str:
    """The name the PDF is downloaded under: the notice number, which is also in its text."""
    return f"{notice.number}.pdf"


def notice_pdf_render(notice: Notice) -> bytes:
    """The PDF of ``notice``, from its frozen content, in the product's language.

    The document is the one the department issues, so it is written in the product's language
    whoever asks for it first. Raises ``PdfUnavailable`` when it cannot be made here.
    """
    HTML, CSS, URLFetcher = _weasyprint()
    if not cjk_font_installed():
        raise PdfUnavailable(f"none of the fonts {', '.join(CJK_FAMILIES)} is installed")
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            f"workflow/notices/{notice.kind}.html", notice_context(notice, layout=PRINT_LAYOUT)
        )
    # Everything the document needs is in it: it fetches nothing, neither a file of this
    # machine nor an address of the network, whatever the frozen content says.
    fetcher = URLFetcher(allowed_protocols=())
    try:
        return HTML(string=html, url_fetcher=fetcher).write_pdf(
            stylesheets=[
                CSS(string=_stylesheet(name), url_fetcher=fetcher) for name in PDF_STYLESHEETS
            ]
        )
    except OSError as error:  # a library that fails to load while the document is laid out
        raise PdfUnavailable(str(error)) from error


def _weasyprint():
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:
        # OSError: the package is there but Pango or its companions are not.
        raise PdfUnavailable(str(error)) from error
    return HTML, CSS, URLFetcher


@cache
def _stylesheet(name: str) -> str:
    found = finders.find(name)
    if not found:
        raise PdfUnavailable(f"the stylesheet {name} is missing")
    return Path(str(found)).read_text(encoding="utf-8")


@cache
def cjk_font_installed() -> bool:
    """Whether fontconfig knows one of ``CJK_FAMILIES``; True when it cannot be asked.

    Without one of them WeasyPrint still makes a PDF, with empty boxes for every Chinese
    character: better no document than that one. Asked once per process.
    """
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except (ImportError, OSError):
        return False
    try:
        return any(_family_installed(ffi, fontconfig, family) for family in CJK_FAMILIES)
    except Exception as error:  # noqa: BLE001 - an internal API that may change: do not guess no
        logger.warning("could not ask fontconfig for the CJK fonts: %s", error)
        return True


def _family_installed(ffi, fontconfig, family: str) -> bool:
    # Fontconfig always answers with its best match, another family when the one asked for is
    # missing: the match must carry the family among its names (a collection has several).
    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcConfigSubstitute(ffi.NULL, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(ffi.NULL, pattern, result)
        if match == ffi.NULL:
            return False
        try:
            value = ffi.new("FcChar8 **")
            index = 0
            while fontconfig.FcPatternGetString(match, b"family", index, value) == 0:
                if ffi.string(value[0]).decode("utf-8", "replace") == family:
                    return True
                index += 1
            return False
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
