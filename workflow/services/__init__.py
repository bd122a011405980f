"""The one write path for cases: one function per action, split by phase of the lifecycle.

Every service runs through :func:`~workflow.services.transition.case_transition`: lock the case
row, check the form's revision, check the action against ``transitions.py`` and the user's
standing in ``permissions.py``, write, record one ``CaseEvent`` and queue notifications to go
out after commit. A refused action raises a ``WorkflowError`` and changes nothing.

| module | what it changes |
|---|---|
| ``drafts`` | a draft, its files, its submission |
| ``intake`` | supplement notice, rejection, acceptance, a pending material brought later |
| ``steps`` | claiming, completing and sending back a step |
| ``suspensions`` | suspension and resumption (Art. 45), the extension (Art. 42) |
| ``decision`` | the decision, the fees, the delivery |
| ``withdrawal`` | the applicant's withdrawal |
| ``on_the_spot`` | walk-in intake and immediate items in one visit |
| ``joint`` | joint items: one intake, one joint case, closed with its sub-cases |
| ``reprojection`` | due dates measured again after the calendar changed |
| ``notices`` | a notice's PDF, stored once from its frozen content |
"""

from ..clock import (
    DELIVERY_DAYS,
    EXTENSION_MAX_DAYS,
    INTAKE_ANSWER_DAYS,
    JOINT_EXTENSION_MAX_DAYS,
    SUSPENSION_MAX_DAYS,
    Clock,
)
from ..exceptions import ActionForbidden, InvalidInput, StaleCase, TransitionNotAllowed
from .applicants import APPLICANT_FIELDS, Applicant
from .decision import case_choose_delivery, case_decide, case_deliver, fee_record
from .drafts import (
    case_attach_material,
    case_create,
    case_detach_material,
    case_particulars_change,
    case_submit,
)
from .intake import (
    APPEAL_RIGHTS,
    case_accept,
    case_reject,
    case_request_supplement,
    case_supply_deferred,
)
from .joint import joint_case_close_if_done, joint_case_intake
from .notices import notice_pdf_store
from .on_the_spot import case_complete_on_the_spot, case_window_intake
from .reprojection import due_dates_reproject
from .steps import step_claim, step_complete, step_return
from .suspensions import (
    case_recompute_due_dates,
    case_resume,
    case_suspend,
    extension_decide,
    extension_request,
)
from .withdrawal import case_withdraw

__all__ = [
    "APPEAL_RIGHTS",
    "APPLICANT_FIELDS",
    "DELIVERY_DAYS",
    "EXTENSION_MAX_DAYS",
    "INTAKE_ANSWER_DAYS",
    "JOINT_EXTENSION_MAX_DAYS",
    "SUSPENSION_MAX_DAYS",
    "case_choose_delivery",
    "ActionForbidden",
    "Applicant",
    "Clock",
    "InvalidInput",
    "StaleCase",
    "TransitionNotAllowed",
    "case_accept",
    "case_attach_material",
    "case_complete_on_the_spot",
    "case_create",
    "case_decide",
    "case_detach_material",
    "case_deliver",
    "case_particulars_change",
    "case_recompute_due_dates",
    "case_reject",
    "case_request_supplement",
    "case_resume",
    "case_submit",
    "case_supply_deferred",
    "case_suspend",
    "case_window_intake",
    "case_withdraw",
    "due_dates_reproject",
    "extension_decide",
    "extension_request",
    "fee_record",
    "joint_case_close_if_done",
    "joint_case_intake",
    "notice_pdf_store",
    "step_claim",
    "step_complete",
    "step_return",
]
