"""The action registry: every action on a case in one table — its name, its workbench form, its
API serializer and the service that carries it out.

The workbench's one POST handler, the API's action endpoints (``POST cases/{id}/<name>/``) and
the tests' helpers all read this table, so a new action is one row here. ``perform`` takes the
input under the names the API documents (the forms' ``action_input()`` gives the same), finds
the step or extension it names among the case's own, and calls the one service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import forms, services
from .api import action_inputs as inputs
from .exceptions import InvalidInput, TransitionNotAllowed
from .models import Case, Extension, ExtensionStatus, StepRun, StepStatus
from .permissions import COMPLETE_ON_THE_SPOT
from .transitions import Action

Input = Mapping[str, Any]


@dataclass(frozen=True)
class ActionEntry:
    """One action: how each surface reads its input, and what carrying it out means."""

    name: str
    summary: Promise
    perform: Callable[[Case, Any, Input], str]
    form: type[forms.CaseActionForm] | None = None
    serializer: type[inputs.ActionSerializer] | None = None


def step_of(case: Case, step_id: int | None) -> StepRun:
    """The step ``step_id`` of ``case``, or its open step when no id is given."""
    steps = list(case.steps.all())
    if step_id is None:
        step = next((s for s in steps if s.status == StepStatus.OPEN), None)
        if step is None:
            raise TransitionNotAllowed(_("No step is open."))
        return step
    step = next((s for s in steps if s.pk == step_id), None)
    if step is None:
        message = _("This step is not one of this case's steps.")
        raise InvalidInput(message).with_fields({"step": [message]})
    return step


def extension_of(case: Case, extension_id: int | None) -> Extension:
    """The extension ``extension_id`` of ``case``, or its requested one when no id is given."""
    extensions = list(case.extensions.all())
    if extension_id is None:
        pending = [e for e in extensions if e.status == ExtensionStatus.REQUESTED]
        if not pending:
            raise TransitionNotAllowed(_("No extension is waiting for a decision."))
        return pending[0]
    extension = next((e for e in extensions if e.pk == extension_id), None)
    if extension is None:
        message = _("This extension is not one of this case's extensions.")
        raise InvalidInput(message).with_fields({"extension": [message]})
    return extension


def _revision(data: Input) -> int | None:
    return data.get("expected_revision")


def _submit(case: Case, by: Any, data: Input) -> str:
    services.case_submit(case=case, by=by, expected_revision=_revision(data))
    return _("The application is submitted.")


def _withdraw(case: Case, by: Any, data: Input) -> str:
    services.case_withdraw(
        case=case, by=by, reason=data.get("reason", ""), expected_revision=_revision(data)
    )
    return _("The application is withdrawn.")


def _request_supplement(case: Case, by: Any, data: Input) -> str:
    notice = services.case_request_supplement(
        case=case,
        by=by,
        items=[dict(item) for item in data["items"]],
        expected_revision=_revision(data),
    )
    return _("The supplement notice %(number)s is issued.") % {"number": notice.number}


def _reject(case: Case, by: Any, data: Input) -> str:
    notice = services.case_reject(
        case=case, by=by, reason=data["reason"], expected_revision=_revision(data)
    )
    return _("The application is not accepted; notice %(number)s is issued.") % {
        "number": notice.number
    }


def _accept(case: Case, by: Any, data: Input) -> str:
    accepted = services.case_accept(
        case=case,
        by=by,
        deferred_due_on=data.get("deferred_due_on"),
        expected_revision=_revision(data),
    )
    return _("The application is accepted as case %(number)s.") % {"number": accepted.number}


def _claim_step(case: Case, by: Any, data: Input) -> str:
    step = step_of(case, data.get("step"))
    services.step_claim(step=step, by=by, expected_revision=_revision(data))
    return _("You have claimed the step “%(step)s”.") % {"step": step.name}


def _complete_step(case: Case, by: Any, data: Input) -> str:
    step = step_of(case, data.get("step"))
    following = services.step_complete(
        step=step, by=by, opinion=data["opinion"], expected_revision=_revision(data)
    )
    return _("The step “%(step)s” is complete; “%(next)s” is open.") % {
        "step": step.name,
        "next": following.name,
    }


def _return_step(case: Case, by: Any, data: Input) -> str:
    step = step_of(case, data.get("step"))
    again = services.step_return(
        step=step, by=by, reason=data["reason"], expected_revision=_revision(data)
    )
    return _("The case goes back to the step “%(step)s”.") % {"step": again.name}


def _suspend(case: Case, by: Any, data: Input) -> str:
    services.case_suspend(
        case=case,
        by=by,
        procedure=data["procedure"],
        reason=data["reason"],
        expected_days=data["expected_days"],
        expected_revision=_revision(data),
    )
    return _("The clock is suspended; the applicant is told.")


def _due_now(case: Case) -> str:
    case.refresh_from_db(fields=["due_on"])
    return date_format(case.due_on) if case.due_on is not None else ""


def _resume(case: Case, by: Any, data: Input) -> str:
    services.case_resume(case=case, by=by, expected_revision=_revision(data))
    return _("The clock runs again; the case is now due on %(date)s.") % {"date": _due_now(case)}


def _request_extension(case: Case, by: Any, data: Input) -> str:
    services.extension_request(
        case=case,
        by=by,
        days=data["days"],
        reason=data["reason"],
        expected_revision=_revision(data),
    )
    return _("The extension is requested; the leader decides on it.")


def _approve_extension(case: Case, by: Any, data: Input) -> str:
    services.extension_decide(
        extension=extension_of(case, data.get("extension")),
        by=by,
        approve=data["approve"],
        note=data.get("note", ""),
        expected_revision=_revision(data),
    )
    if not data["approve"]:
        return _("The extension is refused.")
    return _("The extension is approved; the case is now due on %(date)s.") % {
        "date": _due_now(case)
    }


def _decide(case: Case, by: Any, data: Input) -> str:
    notice = services.case_decide(
        case=case,
        by=by,
        decision=data["decision"],
        opinion=data.get("opinion", ""),
        licence_number=data.get("licence_number", ""),
        valid_until=data.get("valid_until"),
        reasons=data.get("reasons", ""),
        expected_revision=_revision(data),
    )
    return _("The decision is recorded; notice %(number)s is issued.") % {"number": notice.number}


def _record_fee(case: Case, by: Any, data: Input) -> str:
    record = services.fee_record(
        case=case,
        by=by,
        fee_name=data["fee_name"],
        amount=data["amount"],
        receipt_number=data["receipt_number"],
        deviation_reason=data.get("deviation_reason", ""),
        expected_revision=_revision(data),
    )
    return _("The fee “%(fee)s” is recorded: %(amount)s yuan.") % {
        "fee": record.name,
        "amount": record.amount,
    }


def _choose_delivery(case: Case, by: Any, data: Input) -> str:
    services.case_choose_delivery(
        case=case,
        by=by,
        method=data["method"],
        recipient=data.get("recipient", ""),
        phone=data.get("phone", ""),
        address=data.get("address", ""),
        expected_revision=_revision(data),
    )
    return _("The way to receive the result is recorded.")


def _deliver(case: Case, by: Any, data: Input) -> str:
    services.case_deliver(
        case=case,
        by=by,
        method=data["method"],
        tracking_number=data.get("tracking_number", ""),
        expected_revision=_revision(data),
    )
    return _("The result is delivered; the case is complete.")


def _supply_deferred(case: Case, by: Any, data: Input) -> str:
    material = next(
        (m for m in case.item_version.materials.all() if m.pk == data["material"]), None
    )
    if material is None:
        raise InvalidInput(_("Only a material accepted as pending can be brought now."))
    services.case_supply_deferred(
        case=case,
        material=material,
        upload=data["file"],
        by=by,
        expected_revision=_revision(data),
    )
    return _("“%(material)s” has come.") % {"material": material.name}


def _complete_on_the_spot(case: Case, by: Any, data: Input) -> str:
    services.case_complete_on_the_spot(
        case=case,
        by=by,
        licence_number=data.get("licence_number", ""),
        valid_until=data.get("valid_until"),
        expected_revision=_revision(data),
    )
    return _("The case is decided and delivered on the spot.")


ACTIONS: dict[str, ActionEntry] = {
    entry.name: entry
    for entry in (
        ActionEntry(
            Action.SUBMIT,
            gettext_lazy("Submit the application or the supplement"),
            _submit,
            serializer=inputs.ActionSerializer,
        ),
        ActionEntry(
            Action.WITHDRAW,
            gettext_lazy("Withdraw the application"),
            _withdraw,
            forms.WithdrawForm,
            inputs.WithdrawSerializer,
        ),
        ActionEntry(
            Action.REQUEST_SUPPLEMENT,
            gettext_lazy("Tell the applicant once and completely what to supplement"),
            _request_supplement,
            forms.SupplementForm,
            inputs.RequestSupplementSerializer,
        ),
        ActionEntry(
            Action.REJECT,
            gettext_lazy("Reject at intake, with reasons"),
            _reject,
            forms.RejectForm,
            inputs.RejectSerializer,
        ),
        ActionEntry(
            Action.ACCEPT,
            gettext_lazy("Accept: number the case, start the clock"),
            _accept,
            forms.AcceptForm,
            inputs.AcceptSerializer,
        ),
        ActionEntry(
            Action.CLAIM_STEP,
            gettext_lazy("Claim a step from the queue"),
            _claim_step,
            forms.ClaimStepForm,
            inputs.StepActionSerializer,
        ),
        ActionEntry(
            Action.COMPLETE_STEP,
            gettext_lazy("Complete a step with an opinion"),
            _complete_step,
            forms.CompleteStepForm,
            inputs.CompleteStepSerializer,
        ),
        ActionEntry(
            Action.RETURN_STEP,
            gettext_lazy("Send a step back to the previous one"),
            _return_step,
            forms.ReturnStepForm,
            inputs.ReturnStepSerializer,
        ),
        ActionEntry(
            Action.SUSPEND,
            gettext_lazy("Suspend the clock for a special procedure (Art. 45)"),
            _suspend,
            forms.SuspendForm,
            inputs.SuspendSerializer,
        ),
        ActionEntry(
            Action.RESUME,
            gettext_lazy("Resume the clock"),
            _resume,
            forms.ResumeForm,
            inputs.ActionSerializer,
        ),
        ActionEntry(
            Action.REQUEST_EXTENSION,
            gettext_lazy("Ask the leader to extend the limit once (Art. 42)"),
            _request_extension,
            forms.ExtensionRequestForm,
            inputs.RequestExtensionSerializer,
        ),
        ActionEntry(
            Action.APPROVE_EXTENSION,
            gettext_lazy("Approve or refuse the requested extension"),
            _approve_extension,
            forms.ExtensionDecideForm,
            inputs.ApproveExtensionSerializer,
        ),
        ActionEntry(
            Action.DECIDE,
            gettext_lazy("Decide: approve with a licence number, or deny with reasons"),
            _decide,
            forms.DecideForm,
            inputs.DecideSerializer,
        ),
        ActionEntry(
            Action.RECORD_FEE,
            gettext_lazy("Record a fee against the item's standard"),
            _record_fee,
            forms.FeeForm,
            inputs.RecordFeeSerializer,
        ),
        ActionEntry(
            Action.CHOOSE_DELIVERY,
            gettext_lazy("Record how the applicant wants to receive the result"),
            _choose_delivery,
            forms.ChooseDeliveryForm,
            inputs.ChooseDeliverySerializer,
        ),
        ActionEntry(
            Action.DELIVER,
            gettext_lazy("Deliver the result (Art. 44)"),
            _deliver,
            forms.DeliverForm,
            inputs.DeliverSerializer,
        ),
        ActionEntry(
            Action.SUPPLY_DEFERRED,
            gettext_lazy("Bring a material accepted as pending"),
            _supply_deferred,
            forms.SupplyDeferredForm,
        ),
        ActionEntry(
            COMPLETE_ON_THE_SPOT,
            gettext_lazy("Decide and hand over an immediate item on the spot"),
            _complete_on_the_spot,
            forms.CompleteOnTheSpotForm,
        ),
    )
}


def perform(name: str, *, case: Case, by: Any, data: Input) -> str:
    """Carry out action ``name`` on ``case`` as ``by``; the success message in the user's
    language. Raises the service's ``WorkflowError`` when refused."""
    return ACTIONS[name].perform(case, by, data)
