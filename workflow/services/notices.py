"""The stored PDF of a notice: rendered once from the content frozen at issue, then kept.

A notice's PDF is queued for a worker when the notice is issued (after commit, never waiting on
the broker); a download that comes first, or the back-fill command, renders it itself. Whoever
renders, the row names exactly one file and never another afterwards.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..models import Notice
from ..models.cases import notice_pdf_path
from ..notice_documents import notice_pdf_render

logger = logging.getLogger(__name__)

_deferred: ContextVar[bool] = ContextVar("notice_pdfs_deferred", default=False)


def notice_pdf_store(*, notice: Notice | int) -> Notice:
    """``notice`` with its PDF stored: rendered from its frozen content if it has none yet.

    Two renders at once (the task and a first download, two workers) each write their own
    file; one compare-and-set ``UPDATE`` names one of them on the row and the other file is
    deleted, so the document the applicant holds is the one every later download returns.
    Raises ``PdfUnavailable`` when WeasyPrint or its fonts are missing, ``Notice.DoesNotExist``
    for an unknown id.
    """
    if isinstance(notice, int):
        notice = Notice.objects.get(pk=notice)
    if notice.pdf:
        return notice
    data = notice_pdf_render(notice)
    digest = hashlib.sha256(data).hexdigest()
    name = default_storage.save(notice_pdf_path(notice, ""), ContentFile(data))
    claimed = Notice.objects.filter(pk=notice.pk, pdf="").update(pdf=name, pdf_sha256=digest)
    if not claimed:
        # Another render was stored first: that one is the document.
        default_storage.delete(name)
        notice.refresh_from_db(fields=["pdf", "pdf_sha256"])
        return notice
    notice.pdf.name, notice.pdf_sha256 = name, digest
    return notice


BACKFILL_BATCH = 200


def notice_pdfs_backfill(*, batch: int = BACKFILL_BATCH) -> int:
    """Store the PDFs still missing; returns how many notices were given one.

    Walks the notices without a PDF in id order, which a partial index holds exactly, in keyset
    batches rather than one long cursor: each batch is a short query, and a notice a download
    stored meanwhile has left the index. Raises ``PdfUnavailable`` at the first notice when no
    PDF can be made here.
    """
    missing = Notice.objects.filter(pdf="").order_by("pk")
    stored, after = 0, 0
    while notices := list(missing.filter(pk__gt=after)[:batch]):
        for notice in notices:
            notice_pdf_store(notice=notice)
            stored += 1
        after = notices[-1].pk
    return stored


def notice_pdfs_store_later(ids: list[int]) -> None:
    """Hand the rendering of these notices' PDFs to a worker; called after their issue committed.

    One attempt at the broker, bounded: when it cannot take the task the request goes on, and
    the PDF is rendered at its first download or by ``manage.py render_notice_pdfs``.
    """
    from ..tasks import notice_pdfs_store_task, publish

    if ids:
        publish(notice_pdfs_store_task, (ids,), argsrepr=f"[{len(ids)} notices]")


def notice_pdfs_at_issue() -> bool:
    """Whether a notice issued now queues its PDF (see :func:`notice_pdfs_deferred`)."""
    return not _deferred.get()


@contextmanager
def notice_pdfs_deferred() -> Iterator[None]:
    """Issue notices without queueing their PDFs: a bulk load (the demo city) that would
    otherwise render hundreds of documents nobody opens; each is rendered when first asked
    for, or by ``manage.py render_notice_pdfs``."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
