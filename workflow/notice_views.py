"""Printable notices: the written documents a case issues to its applicant.

A notice is rendered from the content frozen when it was issued, never from the live case:
what the applicant holds on paper must read the same every time it is opened again.
"""

from contextlib import suppress
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import pgettext_lazy

from .models import Case, Notice, NoticeKind
from .selectors import case_get_for_applicant, case_get_for_staff

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


def _readable(content: dict) -> dict:
    """The frozen content with its ISO days turned into dates the templates can format."""
    readable = dict(content)
    for key in DATE_KEYS:
        value = readable.get(key)
        if isinstance(value, str) and value:
            # An unreadable day must not fail the page that shows the rest.
            with suppress(ValueError):
                readable[key] = date.fromisoformat(value)
    return readable


def _notice_of(case: Case, notice_id: int) -> Notice:
    # The case getters prefetch its notices: no further query, and never another case's notice.
    for notice in case.notices.all():
        if notice.pk == notice_id:
            return notice
    raise Http404


def _render(request, case: Case, notice_id: int, *, for_staff: bool):
    notice = _notice_of(case, notice_id)
    if notice.kind not in TITLES:
        raise Http404
    return render(
        request,
        f"workflow/notices/{notice.kind}.html",
        {
            "notice": notice,
            "title": TITLES[NoticeKind(notice.kind)],
            "content": _readable(notice.content),
            "for_staff": for_staff,
        },
    )


@login_required
def staff_notice(request, case_id: int, notice_id: int):
    """A notice of a case of the user's department, to print or reprint."""
    case = case_get_for_staff(user=request.user, pk=case_id)
    return _render(request, case, notice_id, for_staff=True)


@login_required
def applicant_notice(request, case_id: int, notice_id: int):
    """A notice issued to the applicant on one of their own cases."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    return _render(request, case, notice_id, for_staff=False)
