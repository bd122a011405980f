"""Printable notices: the written documents a case issues to its applicant.

A notice is rendered from the content frozen when it was issued, never from the live case:
what the applicant holds on paper must read the same every time it is opened again. Its PDF is
the document stored at issue (``workflow.services.notice_pdf_store``); a download that comes
before the worker renders and stores it then.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from catalog.downloads import private_file_response

from .models import Case, Notice, NoticeKind
from .notice_documents import SCREEN_LAYOUT, TITLES, PdfUnavailable, notice_context, pdf_filename
from .selectors import case_get_for_applicant, case_get_for_staff
from .services import notice_pdf_store

logger = logging.getLogger(__name__)

# The page and the PDF of a notice, by who reads it.
ROUTES = {
    True: ("workbench-notice", "workbench-notice-pdf"),
    False: ("applicant-notice", "applicant-notice-pdf"),
}


def _notice_of(case: Case, notice_id: int) -> Notice:
    # The case getters prefetch its notices: no further query, and never another case's notice.
    for notice in case.notices.all():
        if notice.pk == notice_id and notice.kind in TITLES:
            return notice
    raise Http404


def _render(request, case: Case, notice_id: int, *, for_staff: bool):
    notice = _notice_of(case, notice_id)
    context = notice_context(notice, layout=SCREEN_LAYOUT)
    context["for_staff"] = for_staff
    context["pdf_url"] = reverse(ROUTES[for_staff][1], args=[case.pk, notice.pk])
    return render(request, f"workflow/notices/{notice.kind}.html", context)


def _pdf(request, case: Case, notice_id: int, *, for_staff: bool):
    notice = _notice_of(case, notice_id)
    try:
        notice = notice_pdf_store(notice=notice)
    except PdfUnavailable as error:
        logger.warning("notice %s: no PDF can be made here: %s", notice.pk, error)
        return render(
            request,
            "workflow/notices/pdf_unavailable.html",
            {
                "notice": notice,
                "title": TITLES[NoticeKind(notice.kind)],
                "screen_url": reverse(ROUTES[for_staff][0], args=[case.pk, notice.pk]),
            },
            status=503,
        )
    return private_file_response(notice.pdf, filename=pdf_filename(notice), as_attachment=True)


@login_required
def staff_notice(request, case_id: int, notice_id: int):
    """A notice of a case of the user's department, to print or reprint."""
    case = case_get_for_staff(user=request.user, pk=case_id)
    return _render(request, case, notice_id, for_staff=True)


@login_required
def staff_notice_pdf(request, case_id: int, notice_id: int):
    """The stored PDF of a notice of a case of the user's department."""
    case = case_get_for_staff(user=request.user, pk=case_id)
    return _pdf(request, case, notice_id, for_staff=True)


@login_required
def applicant_notice(request, case_id: int, notice_id: int):
    """A notice issued to the applicant on one of their own cases."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    return _render(request, case, notice_id, for_staff=False)


@login_required
def applicant_notice_pdf(request, case_id: int, notice_id: int):
    """The stored PDF of a notice issued to the applicant on one of their own cases."""
    case = case_get_for_applicant(user=request.user, pk=case_id)
    return _pdf(request, case, notice_id, for_staff=False)
