"""Files of a refused window intake, kept so the clerk does not choose them all again.

A browser cannot put a chosen file back into a file input, so when the intake form is refused
the files that passed the upload rules are staged: stored privately for the user who sent them,
listed on the form again and named by id in a hidden field. The next submit hands them to the
intake service like fresh uploads (its file rules apply again) and deletes them once the case
holds its own copies. What is never sent again is swept after ``STAGED_UPLOAD_HOURS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Material

from .exceptions import InvalidInput
from .models import StagedUpload
from .services.drafts import check_upload


def staged_max_age() -> timedelta:
    """How long a staged upload is kept (``settings.STAGED_UPLOAD_HOURS``)."""
    return timedelta(hours=settings.STAGED_UPLOAD_HOURS)


def upload_stage(
    *, user: Any, material: Material, upload: Any, now: datetime | None = None
) -> StagedUpload:
    """Keep ``upload`` for ``user``'s next try at an intake with ``material``.

    The upload rules are the case files' (:func:`~workflow.services.drafts.check_upload`): a
    file they refuse is not staged and ``InvalidInput`` says why.
    """
    upload = check_upload(upload, material=material)
    # Wrapped: the intake service may already have moved a large upload's temporary file into
    # storage (then rolled back); the storage must copy from the open file, not move it again.
    content = File(upload, name=upload.name)
    return StagedUpload.objects.create(
        user=user,
        material=material,
        file=content,
        original_name=upload.name[:255],
        size=upload.size,
        created_at=now or timezone.now(),
    )


def staged_as_upload(staged: StagedUpload) -> File:
    """A staged upload as a file the intake service takes, under the name it was uploaded as.

    A plain ``File``, not the stored ``FieldFile``: the case gets its own copy, so deleting the
    staged one later leaves the case's file alone.
    """
    return File(staged.file, name=staged.original_name)


def staged_uploads_claim(*, user: Any, ids: Iterable[int]) -> None:
    """Lock ``user``'s staged uploads ``ids`` for the intake that uses them (in its transaction).

    Raises ``InvalidInput`` when one has gone in the meantime (swept, or used by another
    submit of the same form), before the service would miss its file.
    """
    wanted = set(ids)
    if not wanted:
        return
    found = set(
        StagedUpload.objects.select_for_update()
        .filter(user=user, pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if found != wanted:
        raise InvalidInput(_("An attached file is no longer available: choose it again."))


def _delete_stored(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _delete(rows) -> int:
    """Delete ``rows`` in one query and their files once the deletion has committed."""
    with transaction.atomic():
        names = list(rows.values_list("file", flat=True))
        deleted, _ = rows.delete()
        # After commit: a rolled-back deletion keeps its rows, which must keep their files.
        transaction.on_commit(lambda: _delete_stored(names))
    return deleted


def staged_uploads_discard(*, user: Any, ids: Iterable[int]) -> int:
    """Delete ``user``'s staged uploads ``ids`` (used, replaced or removed) and their files."""
    wanted = list(ids)
    if not wanted:
        return 0
    return _delete(StagedUpload.objects.filter(user=user, pk__in=wanted))


def staged_uploads_sweep(*, now: datetime, max_age: timedelta | None = None) -> int:
    """Delete the staged uploads older than ``max_age`` (default ``STAGED_UPLOAD_HOURS``) and
    their files; returns how many rows went. One query over the expired rows; safe to run
    twice (the second run finds nothing, and deleting a file already gone is no error)."""
    cutoff = now - (staged_max_age() if max_age is None else max_age)
    return _delete(StagedUpload.objects.filter(created_at__lt=cutoff))
