"""Uploaded files go out only through views that first check who asks.

Applicants' ID documents and licences, and the catalog's templates and samples of drafts, are
private: no route serves MEDIA_URL, in development or production. A permission-checked view
answers with ``private_file_response``: the file itself, or, when
``PRIVATE_FILES_ACCEL_REDIRECT`` names an nginx ``internal`` location, an empty response whose
``X-Accel-Redirect`` header has nginx send it (the worker is free as soon as the check is done).

Shared by the catalog (material templates and samples) and the case files of ``workflow``.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .files import clean_file_name

# The files a catalog material may carry, by the name their download's address uses.
MATERIAL_FILES = {"template": "template_file", "sample": "sample_file"}
# Shown in the browser; anything else (Word, Excel, OFD) is downloaded.
INLINE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg"})


def private_file_response(
    stored: FieldFile, *, filename: str, as_attachment: bool | None = None
) -> HttpResponse:
    """Answer with ``stored`` under the name ``filename``; 404 if it is not on disk.

    Call only after the permission check. The name is cleaned again: rows stored before names
    were cleaned may still carry a right-to-left override, which would disguise the saved file.
    ``as_attachment`` left out: PDFs and images are shown in the browser, the rest downloaded.
    """
    filename = clean_file_name(filename, default_stem="file")
    suffix = PurePosixPath(filename).suffix.lower()
    if as_attachment is None:
        as_attachment = suffix not in INLINE_SUFFIXES
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = settings.PRIVATE_FILES_ACCEL_REDIRECT
    if prefix:
        if not default_storage.exists(stored.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        # Percent-encoded: a header is Latin-1, stored names may hold CJK letters; nginx
        # decodes the URI before it looks the file up under the internal location.
        response["X-Accel-Redirect"] = prefix + quote(stored.name)
        return response
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
