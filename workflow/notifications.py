"""Writing notifications into the outbox, in the same transaction as the event they announce.

Delivery is ``workflow.tasks.notifications_deliver``, one batch per transaction, queued only
after the transaction commits; a periodic task picks up whatever is still pending (the broker was
down, a worker died), so nothing written here is ever lost. A service collects the messages of
one action in an outbox list and writes them with one statement.
"""

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from catalog.models import Department, StaffContact, StaffMembership

from .models import Case, Notification, NotificationChannel
from .prepared import Prepared

# Template → (subject, body). Rendered at delivery with the payload, in the product language.
TEMPLATES = {
    "supplement_needed": (
        _("Materials to supplement"),
        _(
            "Your application for %(item)s needs more materials: %(materials)s. "
            "Supplement them all at once; the notice lists what is missing."
        ),
    ),
    "rejected": (
        _("Application not accepted"),
        _(
            "Your application for %(item)s was not accepted: %(reason)s. You may apply for "
            "administrative review or bring an administrative lawsuit."
        ),
    ),
    "accepted": (
        _("Application accepted"),
        _(
            "Your application for %(item)s was accepted as case %(number)s (query code "
            "%(query_code)s). It is due by %(due_on)s."
        ),
    ),
    "suspended": (
        _("Case suspended for a special procedure"),
        _(
            "Case %(number)s is suspended for %(procedure)s: %(reason)s. The time it takes "
            "does not count towards the limit."
        ),
    ),
    "resumed": (
        _("Case resumed"),
        _("Case %(number)s is being processed again; it is now due by %(due_on)s."),
    ),
    "extended": (
        _("Time limit extended"),
        _("The limit of case %(number)s was extended by %(days)s working days: %(reason)s."),
    ),
    "decided": (
        _("Decision made"),
        _("A decision was made on case %(number)s: %(decision)s."),
    ),
    "ready_for_pickup": (
        _("Ready for pickup"),
        _("The result of case %(number)s is ready; collect it at %(window)s."),
    ),
    "delivered": (
        _("Result delivered"),
        _("The result of case %(number)s was delivered (%(method)s)."),
    ),
    # The same, when settings.CASE_RATING_LINK gives the case a rating link.
    "delivered_rate": (
        _("Result delivered"),
        _(
            "The result of case %(number)s was delivered (%(method)s). "
            "Rate our service: %(rate_url)s"
        ),
    ),
    "due_date_moved": (
        _("Due date moved"),
        _(
            "The official holiday schedule changed, so case %(number)s (%(item)s) is now due "
            "by %(due_on)s instead of %(was)s."
        ),
    ),
    "step_assigned": (
        _("New task in your queue"),
        _("Case %(number)s waits for the step “%(step)s” in your department."),
    ),
    # The supervision scan's alerts, to the department's head and the step's assignee; a red
    # card goes to the supervision officers of the department's center and above as well.
    "alert_raised": (
        _("Supervision alert"),
        _("%(level)s for %(subject)s: %(rule)s."),
    ),
    "red_card": (
        _("Red card"),
        _("Red card for %(subject)s: %(rule)s. The supervision office has been told."),
    ),
    "consultation_answered": (
        _("Your question was answered"),
        _(
            "%(department)s answered the question you asked on %(asked_on)s about %(item)s. "
            "Read the answer under “My questions” in the online hall."
        ),
    ),
    # Supervision: urge notices (督办单) and corrections (纠错 / 问责).
    "urge_sent": (
        _("Urge notice from the supervision office"),
        _(
            "Urge notice %(number)s to %(department)s about %(cases)s: %(message)s "
            "Answer it in the workbench by %(due_on)s."
        ),
    ),
    "urge_answered": (
        _("Urge notice answered"),
        _("%(department)s answered urge notice %(number)s on %(answered_on)s: %(answer)s"),
    ),
    "correction_recorded": (
        _("Correction recorded by the supervision office"),
        _(
            "The supervision office recorded “%(outcome)s” for %(department)s about %(alert)s; "
            "responsible: %(person)s. %(note)s The department may appeal once in the workbench."
        ),
    ),
    "correction_appealed": (
        _("A correction was appealed"),
        _("%(department)s appealed the correction about %(alert)s: %(reason)s"),
    ),
    # Supervision: ratings (好差评) and their rectifications, complaints.
    "rectification_opened": (
        _("Poor rating: rectify"),
        _(
            "Case %(number)s was rated “%(level)s”. %(comment)s Find out what went wrong, put it "
            "right, call the applicant back and answer in the workbench by %(due_on)s."
        ),
    ),
    "rectification_answered": (
        _("Your poor rating was answered"),
        _(
            "%(department)s answered your rating of case %(number)s on %(answered_on)s: "
            "%(answer)s You may rate the rectification under “My cases” in the online hall."
        ),
    ),
    "rectification_answered_office": (
        _("A rectification was answered"),
        _(
            "%(department)s answered the rectification of the poor rating of case %(number)s "
            "on %(answered_on)s: %(answer)s %(late)s"
        ),
    ),
    "rating_appealed": (
        _("A rating was appealed"),
        _(
            "%(department)s appealed the rating “%(level)s” of case %(number)s: %(reason)s "
            "Review the appeal in the workbench."
        ),
    ),
    "rating_reviewed": (
        _("The appeal of a rating was reviewed"),
        _(
            "The supervision office reviewed the appeal of the rating of case %(number)s: "
            "%(decision)s. %(note)s"
        ),
    ),
    "complaint_filed": (
        _("New complaint"),
        _(
            "Complaint %(number)s to %(department)s (%(category)s). Accept or decline it in the "
            "workbench by %(accept_due_on)s; answer it by %(answer_due_on)s."
        ),
    ),
    "complaint_accepted": (
        _("Your complaint was accepted"),
        _(
            "%(department)s accepted your complaint %(number)s and will answer it by "
            "%(answer_due_on)s."
        ),
    ),
    "complaint_declined": (
        _("Your complaint was not accepted"),
        _("%(department)s did not accept your complaint %(number)s: %(reason)s"),
    ),
    "complaint_answered": (
        _("Your complaint was answered"),
        _(
            "%(department)s answered your complaint %(number)s: %(answer)s Read it and rate the "
            "answer under “My complaints” in the online hall."
        ),
    ),
    "correction_reviewed": (
        _("The appeal of a correction was reviewed"),
        _(
            "The supervision office reviewed the appeal of the correction about %(alert)s: "
            "%(review)s. %(note)s"
        ),
    ),
}


def case_rating_link(case: Case) -> str:
    """The rating link the completion message of ``case`` ends with: what the callable named
    by ``settings.CASE_RATING_LINK`` returns, or "" without one. The workflow knows no rating
    app by name."""
    path = getattr(settings, "CASE_RATING_LINK", "")
    if not path:
        return ""
    return import_string(path)(case) or ""


def queue(notifications: list[Notification]) -> None:
    """Write ``notifications`` in one statement; hand their ids to a worker after commit."""
    if not notifications:
        return
    created = Notification.objects.bulk_create(notifications)
    ids = [notification.pk for notification in created]
    transaction.on_commit(lambda: deliver_later(ids))


def deliver_later(ids: list[int]) -> None:
    """Hand written notifications to a worker; called after their transaction committed.

    When the broker cannot take the message at once, the rows stay pending and the periodic
    sweep (``workflow.tasks.notifications_sweep``) sends them: the request does not wait.
    """
    from .tasks import notifications_deliver, publish

    # A short description for monitoring, instead of the repr of every id.
    publish(notifications_deliver, (ids,), argsrepr=f"[{len(ids)} notifications]")


def _written(rows: list[Notification], outbox: list[Notification] | None) -> None:
    if outbox is None:
        queue(rows)
    else:
        outbox.extend(rows)


def _sms_and_email(
    *,
    user_id: int | None,
    phone: str,
    email: str,
    template: str,
    payload: dict,
    case: Case | None = None,
) -> list[Notification]:
    """An SMS to ``phone`` and an e-mail to ``email``, each only where there is an address."""
    if template not in TEMPLATES:
        raise KeyError(template)
    addresses = ((NotificationChannel.SMS, phone), (NotificationChannel.EMAIL, email))
    return [
        Notification(
            recipient_id=user_id,
            address=address,
            channel=channel,
            template=template,
            payload=payload,
            case=case,
        )
        for channel, address in addresses
        if address
    ]


def notify_applicant(
    *, case: Case, template: str, payload: dict, outbox: list[Notification] | None = None
) -> None:
    """Tell the applicant: an SMS to the contact phone, and an e-mail if the account has one.

    With ``outbox`` the messages are added to it, for the caller to :func:`queue` at once.
    """
    rows = _sms_and_email(
        user_id=case.applicant_id,
        phone=case.contact_phone,
        email=case.applicant.email if case.applicant is not None else "",
        template=template,
        payload=payload,
        case=case,
    )
    _written(rows, outbox)


def notify_person(
    *,
    user: Any,
    phone: str,
    template: str,
    payload: dict,
    outbox: list[Notification] | None = None,
) -> None:
    """Tell someone about something that is not a case (the answer to a question asked in the
    online hall): an SMS to ``phone`` when there is one, and an e-mail if the account has one.
    ``user`` is None for someone without an account (a complaint taken on the phone)."""
    rows = _sms_and_email(
        user_id=user.pk if user is not None else None,
        phone=phone,
        email=user.email if user is not None else "",
        template=template,
        payload=payload,
    )
    _written(rows, outbox)


def _role_addresses(department: int, role: str) -> QuerySet:
    return (
        StaffMembership.objects.filter(department_id=department, role=role, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "user__email")
    )


# Read on every step that opens: compiled once (see workflow.prepared).
ROLE_ADDRESSES = Prepared(_role_addresses, department=int, role=str)


def notify_role(
    *,
    case: Case,
    department: Department,
    role: str,
    template: str,
    payload: dict,
    outbox: list[Notification] | None = None,
) -> None:
    """E-mail the staff holding ``role`` in ``department`` (those with an address)."""
    addresses = ROLE_ADDRESSES.run(department=department.pk, role=role)
    rows = [
        Notification(
            recipient_id=user_id,
            address=email,
            channel=NotificationChannel.EMAIL,
            template=template,
            payload=payload,
            case=case,
        )
        for user_id, email in addresses
    ]
    _written(rows, outbox)


def notify_staff(
    *,
    case: Case | None,
    users: list,
    template: str,
    payload: dict,
    outbox: list[Notification] | None = None,
) -> None:
    """Tell the given staff members, e.g. a step's assignee: an e-mail where the account has an
    address, a text message where a mobile phone is known (one query for the phones). ``case``
    is None for a message about something else (an urge notice of several cases)."""
    if template not in TEMPLATES:
        raise KeyError(template)
    active = [user for user in users if user is not None and user.is_active]
    mobiles = (
        dict(
            StaffContact.objects.filter(user_id__in=[user.pk for user in active]).values_list(
                "user_id", "mobile"
            )
        )
        if active
        else {}
    )
    rows = [
        row
        for user in active
        for row in _sms_and_email(
            user_id=user.pk,
            phone=mobiles.get(user.pk, ""),
            email=user.email,
            template=template,
            payload=payload,
            case=case,
        )
    ]
    _written(rows, outbox)


class StaffMessage(NamedTuple):
    """One message to one staff member: an SMS where a phone is known, an e-mail where an
    address is."""

    user_id: int
    email: str
    phone: str
    template: str
    payload: dict
    case_id: int | None


def notify_staff_many(messages: Iterable[StaffMessage]) -> int:
    """Write the messages of a set-based pass (the supervision scan) in one bulk write, to be
    delivered after commit like every other row; returns the number of rows written.

    The caller reads the addresses of all its recipients in one query beforehand: nothing
    here reads the database."""
    rows = []
    for message in messages:
        if message.template not in TEMPLATES:
            raise KeyError(message.template)
        for channel, address in (
            (NotificationChannel.SMS, message.phone),
            (NotificationChannel.EMAIL, message.email),
        ):
            if address:
                rows.append(
                    Notification(
                        recipient_id=message.user_id,
                        address=address,
                        channel=channel,
                        template=message.template,
                        payload=message.payload,
                        case_id=message.case_id,
                    )
                )
    queue(rows)
    return len(rows)
