"""Correction and accountability (纠错 / 问责): the one write path for recording what the office
decides about a card, the department's appeal (申诉) and the office's review of it, the guard
that says who may do which, and the permission-checked reads the pages and the API share.

The office records one correction per yellow or red card (a reminder is not a card): the
outcome (提醒 / 通报 / 限期整改 / 责任追究), the person responsible and the findings; a
rectification has its date. The department's leader may appeal once. The office reviews the
appeal: upheld (维持) keeps everything as it is; revoked (撤销) revokes the card, which then
leaves the statistics, and resolves it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.calendar import shanghai_today
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed, WorkflowError
from workflow.notifications import notify_staff

from .inputs import LONG_TEXT, SHORT_TEXT, text_input
from .models import Alert, AlertLevel, AppealReview, Correction, CorrectionOutcome
from .recipients import department_leaders, tree_officers
from .scope import corrections_for
from .standing import Reach, reach_of

logger = logging.getLogger(__name__)

APPEAL = "appeal"
REVIEW = "review"
ACTIONS = (APPEAL, REVIEW)

# Where a correction stands, for the lists and their filter.
RECORDED, APPEALED, UPHELD, REVOKED = "recorded", "appealed", "upheld", "revoked"
# The levels a correction may follow: the cards, not the reminders.
CARD_LEVELS = frozenset({AlertLevel.YELLOW, AlertLevel.RED})


# --- reads ----------------------------------------------------------------------------------


def corrections_visible_to(user: Any) -> QuerySet[Correction]:
    """The corrections ``user`` may read (an officer their tree's, a leader their
    department's), newest first, with the card and the case each is about."""
    return corrections_for(user).select_related(
        "alert__case",
        "alert__step",
        "department__center",
        "recorded_by",
        "appealed_by",
        "reviewed_by",
    )


def correction_get_for(*, user: Any, pk: int) -> Correction:
    """One correction ``user`` may read; Http404 for any other."""
    correction = corrections_visible_to(user).filter(pk=pk).first()
    if correction is None:
        raise Http404
    return correction


def correction_stage(correction: Correction) -> str:
    """Where the correction stands: recorded, appealed (waiting for the review), upheld or
    revoked."""
    if correction.review:
        return str(correction.review)
    if correction.appealed_at is not None:
        return APPEALED
    return RECORDED


def corrections_in_stage(corrections: QuerySet[Correction], stage: str) -> QuerySet[Correction]:
    """Those of ``corrections`` that stand at ``stage`` (see :func:`correction_stage`)."""
    if stage == RECORDED:
        return corrections.filter(appealed_at__isnull=True)
    if stage == APPEALED:
        return corrections.filter(appealed_at__isnull=False, review="")
    if stage in (UPHELD, REVOKED):
        return corrections.filter(review=stage)
    raise ValueError(f"unknown stage {stage!r}")


def alert_label(alert: Alert) -> str:
    """The card in one line for messages: level, rule and what it is about."""
    about = alert.case.number if alert.case is not None and alert.case.number else alert.subject
    return f"{alert.get_level_display()} · {alert.get_rule_display()} · {about}"


# --- who may do what ------------------------------------------------------------------------


def correction_record_refusal(
    alert: Alert, user: Any, *, reach: Reach | None = None, recorded: bool | None = None
) -> WorkflowError | None:
    """Why ``user`` may not record a correction about ``alert``, or None if they may.

    ``recorded`` says whether the card has a correction already (asked of the database when
    not given).
    """
    reach = reach or reach_of(user)
    if alert.center_id not in reach.centers:
        return ActionForbidden(
            _(
                "Only a supervision officer of the card's center, or of a center above it, "
                "records a correction."
            )
        )
    if alert.level not in CARD_LEVELS:
        return TransitionNotAllowed(
            _("A reminder is not a card: a correction follows a yellow or a red card.")
        )
    if alert.revoked_on is not None:
        return TransitionNotAllowed(_("This card was revoked; it takes no correction."))
    if recorded is None:
        recorded = Correction.objects.filter(alert_id=alert.pk).exists()
    if recorded:
        return TransitionNotAllowed(_("A correction has been recorded for this card already."))
    return None


def correction_refusal(
    action: str, correction: Correction, user: Any, *, reach: Reach | None = None
) -> WorkflowError | None:
    """Why ``user`` may not take ``action`` (appeal, review) on ``correction`` now, or None.

    The services raise what this returns; the pages and the API offer what it allows.
    """
    reach = reach or reach_of(user)
    if action == APPEAL:
        if correction.department_id not in reach.departments:
            return ActionForbidden(
                _(
                    "Only a leader of the department concerned (an approver or the chief "
                    "representative) appeals a correction."
                )
            )
        if correction.appealed_at is not None:
            return TransitionNotAllowed(
                _("The department has appealed this correction once; it cannot appeal again.")
            )
        return None
    if action == REVIEW:
        if correction.center_id not in reach.centers:
            return ActionForbidden(
                _(
                    "Only a supervision officer of the department's center, or of a center "
                    "above it, reviews an appeal."
                )
            )
        if correction.appealed_at is None:
            return TransitionNotAllowed(
                _("Only an appealed correction is reviewed; the department has not appealed.")
            )
        if correction.review:
            return TransitionNotAllowed(_("The appeal has been reviewed already."))
        return None
    raise ValueError(f"unknown correction action {action!r}")


def correction_actions(
    correction: Correction, user: Any, *, reach: Reach | None = None
) -> list[str]:
    """The actions ``user`` may take on ``correction`` now, in the order the pages show them."""
    reach = reach or reach_of(user)
    return [
        action
        for action in ACTIONS
        if correction_refusal(action, correction, user, reach=reach) is None
    ]


# --- writes ---------------------------------------------------------------------------------


def _rectify_by(outcome: str, rectify_by: date | None, today: date) -> date | None:
    if outcome != CorrectionOutcome.RECTIFY:
        # Only a rectification has a date; another outcome keeps none.
        return None
    if rectify_by is None:
        message = _("Give the date by which the department must rectify.")
        raise InvalidInput(message).with_fields({"rectify_by": [message]})
    if rectify_by <= today:
        message = _("The date to rectify by must be after today.")
        raise InvalidInput(message).with_fields({"rectify_by": [message]})
    return rectify_by


def correction_record(
    *,
    by: Any,
    alert: Alert | int,
    outcome: str,
    responsible_person: str,
    note: str,
    rectify_by: date | None = None,
    now: datetime | None = None,
) -> Correction:
    """Record what the office decides about a yellow or red card and tell the department's
    leaders.

    Raises ``ActionForbidden`` unless ``by`` supervises the card's center,
    ``TransitionNotAllowed`` for a reminder, a revoked card or a card with a correction
    already (the card's row is locked, so two officers at once record one), ``InvalidInput``
    for an unknown outcome, a missing person or findings, or a rectification without a date
    after today.
    """
    now = now or timezone.now()
    today = shanghai_today(now)
    pk = alert.pk if isinstance(alert, Alert) else alert
    with transaction.atomic():
        locked = (
            Alert.objects.select_for_update(of=("self",))
            .select_related("case", "department")
            .get(pk=pk)
        )
        refusal = correction_record_refusal(locked, by)
        if refusal is not None:
            raise refusal
        if outcome not in CorrectionOutcome.values:
            message = _("Choose the outcome.")
            raise InvalidInput(message).with_fields({"outcome": [message]})
        person = text_input(
            responsible_person,
            field="responsible_person",
            required=_("Name the person responsible."),
            limit=SHORT_TEXT,
        )
        findings = text_input(
            note, field="note", required=_("Write the office's findings."), limit=LONG_TEXT
        )
        correction = Correction.objects.create(
            alert=locked,
            department_id=locked.department_id,
            center_id=locked.center_id,
            outcome=outcome,
            responsible_person=person,
            note=findings,
            rectify_by=_rectify_by(outcome, rectify_by, today),
            recorded_by=by,
            recorded_at=now,
        )
        rectify = (
            _("Rectify by %(day)s.") % {"day": correction.rectify_by.isoformat()}
            if correction.rectify_by
            else ""
        )
        notify_staff(
            case=locked.case,
            users=department_leaders(locked.department_id),
            template="correction_recorded",
            payload={
                "outcome": str(CorrectionOutcome(outcome).label),
                "department": locked.department.name,
                "alert": alert_label(locked),
                "person": person,
                "note": rectify,
            },
        )
    logger.info("correction %s recorded for alert %s by %s", correction.pk, locked.pk, by)
    return correction


def _locked(correction: Correction | int) -> Correction:
    pk = correction.pk if isinstance(correction, Correction) else correction
    return (
        Correction.objects.select_for_update(of=("self",))
        .select_related("alert__case", "department")
        .get(pk=pk)
    )


def correction_appeal(
    *, correction: Correction | int, by: Any, reason: str, now: datetime | None = None
) -> Correction:
    """The department's one appeal (申诉) of a correction; the officers of its tree are told.

    Raises ``ActionForbidden`` unless ``by`` leads the department, ``TransitionNotAllowed``
    for a second appeal, ``InvalidInput`` for an empty reason.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(correction)
        refusal = correction_refusal(APPEAL, locked, by)
        if refusal is not None:
            raise refusal
        text = text_input(
            reason,
            field="reason",
            required=_("Say why the department appeals."),
            limit=LONG_TEXT,
        )
        locked.appeal_reason = text
        locked.appealed_by = by
        locked.appealed_at = now
        locked.save(update_fields=["appeal_reason", "appealed_by", "appealed_at"])
        notify_staff(
            case=locked.alert.case,
            users=tree_officers(locked.center_id),
            template="correction_appealed",
            payload={
                "department": locked.department.name,
                "alert": alert_label(locked.alert),
                "reason": text,
            },
        )
    logger.info("correction %s appealed by %s", locked.pk, by)
    return locked


def correction_review(
    *,
    correction: Correction | int,
    by: Any,
    review: str,
    note: str,
    now: datetime | None = None,
) -> Correction:
    """The office's review of the department's appeal: upheld (维持) keeps the correction and
    the card; revoked (撤销) revokes the card from today, so it leaves the statistics, and
    resolves it. The department's leaders are told.

    Raises ``ActionForbidden`` unless ``by`` supervises the department's center,
    ``TransitionNotAllowed`` before an appeal or after a review, ``InvalidInput`` for an
    unknown review or an empty note.
    """
    now = now or timezone.now()
    today = shanghai_today(now)
    with transaction.atomic():
        locked = _locked(correction)
        refusal = correction_refusal(REVIEW, locked, by)
        if refusal is not None:
            raise refusal
        if review not in AppealReview.values:
            message = _("Choose whether the correction is upheld or revoked.")
            raise InvalidInput(message).with_fields({"review": [message]})
        text = text_input(
            note,
            field="note",
            required=_("Give the reasons of the review."),
            limit=LONG_TEXT,
        )
        locked.review = review
        locked.review_note = text
        locked.reviewed_by = by
        locked.reviewed_at = now
        locked.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
        alert = Alert.objects.select_for_update(of=("self",)).get(pk=locked.alert_id)
        if review == AppealReview.REVOKED:
            alert.revoked_on = today
            alert.resolved_on = alert.resolved_on or today
            alert.save(update_fields=["revoked_on", "resolved_on"])
        locked.alert = alert
        notify_staff(
            case=locked.alert.case,
            users=department_leaders(locked.department_id),
            template="correction_reviewed",
            payload={
                "alert": alert_label(alert),
                "review": str(AppealReview(review).label),
                "note": text,
            },
        )
    logger.info("correction %s reviewed (%s) by %s", locked.pk, review, by)
    return locked
