"""The decision (准予许可 / 不予许可, Art. 38), the fees against the catalog's standard, and the
hand-over of the result (送达, Art. 44)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..clock import delivery_due_on
from ..exceptions import InvalidInput, TransitionNotAllowed
from ..identifiers import PHONE
from ..models import (
    Case,
    Decision,
    DeliveryMethod,
    ExtensionStatus,
    FeeRecord,
    Notice,
    NoticeKind,
    StepStatus,
)
from ..notifications import case_rating_link
from ..transitions import Action
from .intake import APPEAL_RIGHTS
from .joint import joint_case_close_if_done
from .transition import Transition, case_transition, required_text


def lapse_requested_extension(case: Case, now: datetime) -> None:
    """A request the leader has not decided on lapses when the case ends before."""
    case.extensions.filter(status=ExtensionStatus.REQUESTED).update(
        status=ExtensionStatus.LAPSED, decided_at=now
    )


def case_decide(
    *,
    case: Case,
    by: Any,
    decision: str,
    opinion: str = "",
    licence_number: str = "",
    valid_until: date | None = None,
    reasons: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Notice:
    """The last step's approver decides: approve (licence number) or deny (reasons, Art. 38)."""
    from ..clock import Clock

    clock = Clock.read(now)
    if decision == Decision.APPROVED:
        licence_number = required_text(
            licence_number, _("Give the licence or document number of the approval.")
        )
        if valid_until is not None and valid_until <= clock.today:
            raise InvalidInput(_("The licence must be valid beyond today."))
    elif decision == Decision.DENIED:
        reasons = required_text(reasons, _("A denial states its reasons (Art. 38)."))
    else:
        raise InvalidInput(_("Decide to approve or to deny."))
    with case_transition(
        Action.DECIDE, case=case, by=by, clock=clock, expected_revision=expected_revision
    ) as run:
        case = run.case
        step = run.situation.open_step
        assert step is not None  # the rule has found it
        run.step = step
        step.status = StepStatus.DONE
        step.finished_at = clock.now
        step.opinion = (opinion or "").strip() or (
            reasons if decision == Decision.DENIED else str(_("Approved."))
        )
        run.save(step, "status", "finished_at", "opinion")
        case.decision = decision
        case.decided_on = clock.today
        approved = decision == Decision.APPROVED
        case.licence_number = licence_number.strip() if approved else ""
        case.valid_until = valid_until if approved else None
        case.decision_reasons = reasons.strip()
        case.delivery_due_on = delivery_due_on(clock.today, calendar=clock.calendar)
        if case.extension_allowed:
            lapse_requested_extension(case, clock.now)
        if approved:
            content: dict[str, Any] = {
                "licence_number": case.licence_number,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "result_type": str(case.item_version.get_result_type_display()),
            }
            kind = NoticeKind.APPROVAL
        else:
            content = {"reasons": case.decision_reasons, "appeal_rights": str(APPEAL_RIGHTS)}
            kind = NoticeKind.DENIAL
        content["late"] = case.due_on is not None and clock.today > case.due_on
        notice = run.notice(kind, content)
        run.reason = step.opinion
        run.data = {"decision": decision, "notice": notice.number, "late": content["late"]}
        run.tell_applicant("decided", decision=str(Decision(decision).label))
        if approved and not run.situation.fees:
            _tell_ready_for_pickup(run)
        if case.joint_case_id is not None:
            joint = case.joint_case_id
            run.then(lambda: joint_case_close_if_done(joint, now=clock.now, by=by))
    return notice


def _tell_ready_for_pickup(run: Transition) -> None:
    case = run.case
    run.tell_applicant(
        "ready_for_pickup", window=case.item_version.window_location or case.department.name
    )


def fee_record(
    *,
    case: Case,
    by: Any,
    fee_name: str,
    amount: Any,
    receipt_number: str,
    deviation_reason: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> FeeRecord:
    """The fee clerk records a fee against the item's standard; a different amount needs a reason."""
    receipt_number = required_text(receipt_number, _("Give the receipt number."))
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give the amount in yuan, e.g. 10.00.")) from None
    if amount < 0:
        raise InvalidInput(_("The amount cannot be negative."))
    with case_transition(
        Action.RECORD_FEE, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        fee = next((f for f in run.situation.fees if f.name == fee_name), None)
        if fee is None:
            raise InvalidInput(_("This item has no fee of that name."))
        if fee not in run.situation.unrecorded_fees:
            raise TransitionNotAllowed(_("This fee has already been recorded."))
        deviates = fee.amount is not None and amount != fee.amount
        if deviates and not (deviation_reason or "").strip():
            raise InvalidInput(
                _("The standard is %(standard)s yuan; give the reason for collecting %(amount)s.")
                % {"standard": fee.amount, "amount": amount}
            )
        record = FeeRecord(
            case=case,
            name=fee.name,
            standard_amount=fee.amount,
            amount=amount,
            receipt_number=receipt_number,
            deviation_reason=(deviation_reason or "").strip(),
            recorded_by=by,
            recorded_at=run.clock.now,
        )
        run.add(record)
        run.reason = record.deviation_reason
        run.data = {
            "fee": fee.name,
            "amount": str(amount),
            "standard": str(fee.amount) if fee.amount is not None else None,
            "deviates": deviates,
        }
        if run.situation.unrecorded_fees == [fee]:
            # The last fee is paid: the licence can be collected.
            _tell_ready_for_pickup(run)
    return record


def case_choose_delivery(
    *,
    case: Case,
    by: Any,
    method: str,
    recipient: str = "",
    phone: str = "",
    address: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """The applicant says how they want the result (Art. 44): at the window, by post to an
    address, or electronically; they may change it until the window hands it over."""
    if method not in DeliveryMethod.values:
        raise InvalidInput(_("Choose pickup, post or electronic delivery."))
    recipient, phone, address = (
        (recipient or "").strip(),
        (phone or "").strip(),
        (address or "").strip(),
    )
    if method == DeliveryMethod.POST:
        errors = {}
        if not recipient:
            errors["recipient"] = [_("Give the name of the person who receives the post.")]
        if not PHONE.fullmatch(phone):
            errors["phone"] = [_("Give the recipient's phone number, e.g. 13800138000.")]
        if len(address) < 6:
            errors["address"] = [_("Give the full postal address.")]
        if errors:
            first = next(iter(errors.values()))[0]
            raise InvalidInput(first).with_fields(errors)
    else:
        recipient = phone = address = ""
    with case_transition(
        Action.CHOOSE_DELIVERY, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        case.delivery_requested = method
        case.delivery_recipient = recipient[:100]
        case.delivery_phone = phone[:20]
        case.delivery_address = address[:300]
        run.data = {"method": method}
    return case


def case_deliver(
    *,
    case: Case,
    by: Any,
    method: str,
    tracking_number: str = "",
    now: datetime | None = None,
    expected_revision: int | None = None,
) -> Case:
    """Hand over the result (送达, Art. 44): at the window, by post (tracking number) or online."""
    if method not in DeliveryMethod.values:
        raise InvalidInput(_("Choose pickup, post or electronic delivery."))
    if method == DeliveryMethod.POST:
        tracking_number = required_text(tracking_number, _("Give the postal tracking number."))
    with case_transition(
        Action.DELIVER, case=case, by=by, now=now, expected_revision=expected_revision
    ) as run:
        case = run.case
        case.delivery_method = method
        case.tracking_number = (tracking_number or "").strip()
        case.delivered_on = run.clock.today
        late = case.delivery_due_on is not None and run.clock.today > case.delivery_due_on
        run.data = {"method": method, "late": late}
        method_label = str(DeliveryMethod(method).label)
        rate_url = case_rating_link(case)
        if rate_url:
            run.tell_applicant("delivered_rate", method=method_label, rate_url=rate_url)
        else:
            run.tell_applicant("delivered", method=method_label)
    return case
