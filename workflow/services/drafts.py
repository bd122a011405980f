"""Drafts and submission: an application is created, its files attached, and it is sent in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.files import clean_file_name, validate_upload
from catalog.models import ItemVersion, Material, StaffMembership, VersionStatus

from .. import numbering, permissions
from ..clock import Clock, intake_due_on
from ..exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from ..models import Case, CaseEvent, CaseStatus, Channel, JointCase, MaterialFile, Submission
from ..transitions import WINDOW, Action
from .applicants import Applicant
from .transition import case_transition, lock_case, save_changed


def works_at_window(user: Any, department_id: int) -> bool:
    """Whether ``user`` holds a window role in the department (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return StaffMembership.objects.filter(
        user=user, department_id=department_id, role__in=WINDOW
    ).exists()


def case_create(
    *,
    version: ItemVersion,
    by: Any,
    channel: str,
    applicant_kind: str = "",
    applicant_name: str = "",
    contact_phone: str = "",
    id_number: str = "",
    credit_code: str = "",
    agent_name: str = "",
    agent_id_number: str = "",
    applicant: Applicant | None = None,
    green_channel: bool = False,
    agent_service: bool = False,
    agent_staff: Any = None,
    joint_case: JointCase | None = None,
    now: datetime | None = None,
) -> Case:
    """A draft application for the published ``version``.

    Online (``channel="online"``), ``by`` is the applicant's own account and the item must
    allow online pre-review. At the window, ``by`` is a window clerk or chief representative
    of the item's department and the case has no applicant account. The applicant's ID number
    or credit code is checked (GB 11643 / GB 32100); ``applicant`` may carry the particulars
    already checked, instead of the separate fields.
    """
    clock = Clock.read(now)
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput(_("This item is not published; apply for its current version."))
    if applicant is None:
        applicant = Applicant.checked(
            {
                "applicant_kind": applicant_kind,
                "applicant_name": applicant_name,
                "contact_phone": contact_phone,
                "id_number": id_number,
                "credit_code": credit_code,
                "agent_name": agent_name,
                "agent_id_number": agent_id_number,
            },
            version=version,
        )
    if channel == Channel.ONLINE:
        if not version.online_prereview:
            raise InvalidInput(_("This item cannot be applied for online; apply at the window."))
        if by is None or not by.is_authenticated:
            raise ActionForbidden(_("Log in to apply online."))
        account = by
    elif channel == Channel.WINDOW:
        # A joint case's sub-cases are all taken in at the lead department's window.
        intake_department = (
            joint_case.joint_item.lead_department_id if joint_case else version.department_id
        )
        if not works_at_window(by, intake_department):
            raise ActionForbidden()
        account = None
    else:
        raise InvalidInput(_("Unknown channel."))
    if agent_service and agent_staff is None:
        raise InvalidInput(_("Name the staff member who acts as agent."))
    with transaction.atomic():
        case = Case.objects.create(
            item_version=version,
            department=version.department,
            applicant=account,
            channel=channel,
            green_channel=green_channel,
            agent_service=agent_service,
            agent_staff=agent_staff if agent_service else None,
            query_code=joint_case.query_code if joint_case else numbering.new_query_code(),
            joint_case=joint_case,
            created_by=by,
            **applicant.case_fields(),
        )
        Submission.objects.create(case=case, round=1)
        CaseEvent.objects.create(
            case=case,
            at=clock.now,
            actor=by,
            action=str(Action.CREATE),
            from_status="",
            to_status=case.status,
            data={"channel": channel},
        )
    return case


def case_particulars_change(*, case: Case, by: Any, **particulars: str) -> Case:
    """Change who applies on an online draft, as its applicant, before it is submitted.

    ``particulars`` are the applicant fields (``APPLICANT_FIELDS``); they are checked as
    :func:`case_create` checks them (the kinds the item admits, the check digits, the phone)
    and replace the draft's. A draft is the applicant's alone until it is submitted (no staff
    list shows it), so the change records no event: the submission's event is the first the
    window reads, with the particulars as they are then.
    """
    with transaction.atomic():
        locked = lock_case(case.pk)
        if locked.status != CaseStatus.DRAFT:
            raise TransitionNotAllowed(
                _("Who applies can be changed only while the application is a draft.")
            )
        if not permissions.standing_on(by, locked).applicant:
            raise ActionForbidden()
        applicant = Applicant.checked(particulars, version=locked.item_version)
        for name, value in applicant.case_fields().items():
            setattr(locked, name, value)
        locked.revision += 1
        save_changed(locked)
    return locked


def _open_submission(case: Case) -> Submission | None:
    return case.submissions.filter(submitted_at__isnull=True).order_by("-round").first()


def check_upload(upload: Any, *, material: Material) -> Any:
    """``upload`` checked (type, size, content) and its name cleaned, as a file for ``material``.

    The applicant's file name is kept without control and format characters (a right-to-left
    override makes "invoice\u202egnp.pdf" look like "invoicefdp.png" on the staff's page); a
    name with nothing left is the material's name with the file's extension. Raises
    ``InvalidInput`` naming the file.
    """
    upload.name = clean_file_name(upload.name or "", default_stem=material.name)
    try:
        validate_upload(upload, max_bytes=settings.CASE_MAX_UPLOAD_BYTES)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    return upload


def store_file(*, submission: Submission, material: Material, upload: Any, by: Any) -> MaterialFile:
    """Check an uploaded file (:func:`check_upload`) and keep it for ``material`` in ``submission``."""
    upload = check_upload(upload, material=material)
    return MaterialFile.objects.create(
        submission=submission,
        material=material,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )


def case_attach_material(
    *, case: Case, material: Material, upload: Any, by: Any, now: datetime | None = None
) -> MaterialFile:
    """Attach a file for ``material`` to the round being prepared (draft or supplement).

    In answer to a supplement notice only the materials it lists may be attached.
    """
    with transaction.atomic():
        locked = lock_case(case.pk)
        permissions.require_round_open(permissions.Situation(locked, by))
        if material.version_id != locked.item_version_id:
            raise InvalidInput(_("This material is not one of this item's materials."))
        if locked.status != "draft" and material.pk not in permissions.requested_material_ids(
            locked
        ):
            raise InvalidInput(
                _("The supplement notice does not ask for “%(name)s”.") % {"name": material.name}
            )
        submission = _open_submission(locked)
        if submission is None:
            raise InvalidInput(_("No round of materials is being prepared."))
        return store_file(submission=submission, material=material, upload=upload, by=by)


def case_detach_material(*, case: Case, file_id: int, by: Any) -> MaterialFile:
    """Take a wrong file off the round being prepared (a draft, or the answer to a supplement
    notice) before it is sent; a file already sent stays on the record."""
    with transaction.atomic():
        locked = lock_case(case.pk)
        permissions.require_round_open(permissions.Situation(locked, by))
        submission = _open_submission(locked)
        stored = (
            MaterialFile.objects.filter(submission=submission, pk=file_id).first()
            if submission is not None
            else None
        )
        if stored is None:
            raise InvalidInput(_("This file is not among the files you may still remove."))
        name, storage = stored.file.name, stored.file.storage
        stored.delete()
        if name:
            # The bytes go once the row is gone for good, not if the transaction rolls back.
            transaction.on_commit(lambda: storage.delete(name))
    return stored


def case_submit(
    *, case: Case, by: Any, now: datetime | None = None, expected_revision: int | None = None
) -> Case:
    """Send the prepared round to the window: the first application or the supplement.

    The first round needs a file for every required material that cannot be supplied later;
    an answer to a supplement notice needs a file for every material the notice lists. The
    window must answer within 5 working days (Art. 32): the round's ``intake_due_on``.
    """
    with case_transition(
        Action.SUBMIT, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        submission = run.situation.open_round
        if submission is None:
            raise InvalidInput(_("No round of materials is being prepared."))
        clock = run.clock
        submission.submitted_at = clock.now
        submission.received_on = clock.today
        submission.intake_due_on = intake_due_on(clock.today, calendar=clock.calendar)
        run.save(submission, "submitted_at", "received_on", "intake_due_on")
        run.case.received_on = clock.today
        run.data = {"round": submission.round}
    return run.case
