"""Consultations (网上咨询): the one write path for asking, answering and publishing, and the
permission-checked reads the pages and the API share.

A question is routed to the department of the item's current version and is due a number of
working days after the day it was asked (``CONSULTATION_ANSWER_WORKDAYS``, Art. 82's counting:
the day itself is not counted), on the workflow's calendar. The department's window staff
answer it (a window role, as ``workflow.permissions`` decides who works where); the applicant is
told through the workflow's outbox. A question answered may be published to the item's FAQ in
wording the staff member edits; the guide shows it at once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.selectors import published_versions
from catalog.versions import guides_changed
from workflow.calendar import load_work_calendar, shanghai_today
from workflow.deadlines import WorkCalendar, add_workdays
from workflow.exceptions import ActionForbidden, InvalidInput, TransitionNotAllowed
from workflow.notifications import notify_person
from workflow.permissions import departments_staffed
from workflow.transitions import WINDOW

from .access import applicant_profile
from .models import Consultation, ConsultationStatus
from .models.consultations import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH

logger = logging.getLogger(__name__)

# Who answers the public's questions: the department's window (clerks, chief representative).
ANSWERING_ROLES = WINDOW
# The guide lists this many of an item's published questions, latest first.
FAQ_ON_GUIDE = 20


# --- reads ---------------------------------------------------------------------------------


def consultations_for_applicant(user: Any) -> QuerySet[Consultation]:
    """The applicant's own questions, newest first (index ``consultation_mine``)."""
    return (
        Consultation.objects.filter(applicant_id=user.pk or 0)
        .select_related("item", "item_version", "department")
        .order_by("-asked_at", "-id")
    )


def consultation_get_for_applicant(*, user: Any, pk: int) -> Consultation:
    """One of the applicant's own questions; 404 for anyone else's."""
    try:
        return consultations_for_applicant(user).get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


def consultations_for_staff(user: Any) -> QuerySet[Consultation]:
    """The questions of the departments where ``user`` answers the public (none elsewhere)."""
    return Consultation.objects.filter(
        department_id__in=departments_staffed(user, ANSWERING_ROLES)
    ).select_related("item", "item_version", "department", "answered_by")


def consultations_open_for_staff(user: Any) -> QuerySet[Consultation]:
    """The open questions of the user's departments, the earliest due first (overdue ones lead);
    served by the index ``consultation_queue``."""
    return (
        consultations_for_staff(user)
        .filter(status=ConsultationStatus.OPEN)
        .order_by("due_on", "id")
    )


def consultation_get_for_staff(*, user: Any, pk: int) -> Consultation:
    """A question of one of the user's departments; 404 for another department's."""
    try:
        return (
            consultations_for_staff(user).select_related("applicant__applicant_profile").get(pk=pk)
        )
    except Consultation.DoesNotExist:
        raise Http404 from None


def faq_for_item(item_id: int) -> list[Consultation]:
    """The item's published questions and answers for its guide, latest published first
    (index ``consultation_faq``); only the published wording is meant to be shown."""
    return list(
        Consultation.objects.filter(item_id=item_id, published=True)
        .only("id", "item_id", "faq_question", "faq_answer", "published_at")
        .order_by("-published_at", "-id")[:FAQ_ON_GUIDE]
    )


# --- writes --------------------------------------------------------------------------------


def _text(value: str, *, field: str, required: str, limit: int) -> str:
    """``value`` stripped; ``InvalidInput`` naming ``field`` when empty or too long."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(required).with_fields({field: [required]})
    if len(text) > limit:
        message = _("Keep it to %(limit)s characters; it has %(length)s.") % {
            "limit": limit,
            "length": len(text),
        }
        raise InvalidInput(message).with_fields({field: [message]})
    return text


def consultation_due_on(asked_on: date, *, calendar: WorkCalendar | None = None) -> date:
    """The day an answer to a question asked on ``asked_on`` is due: the configured number of
    working days later, the day itself not counted."""
    return add_workdays(
        asked_on,
        settings.CONSULTATION_ANSWER_WORKDAYS,
        calendar=calendar or load_work_calendar(),
    )


def consultation_ask(
    *, applicant: Any, item_code: str, question: str, now: datetime | None = None
) -> Consultation:
    """Ask a question about the item ``item_code``, for its department to answer.

    The applicant must hold an online-hall account; the item must have a current version,
    whose department gets the question. Raises ``InvalidInput`` for an unknown item or a
    question that is empty or too long, ``ActionForbidden`` for an account that is not an
    applicant's; nothing is written then.
    """
    now = now or timezone.now()
    if applicant_profile(applicant) is None:
        raise ActionForbidden(
            _("Only an applicant's account of the online hall can ask a question.")
        )
    text = _text(
        question,
        field="question",
        required=_("Write your question."),
        limit=QUESTION_MAX_LENGTH,
    )
    version = published_versions().filter(item__code=(item_code or "").strip()).first()
    if version is None:
        message = _("No published item has this code.")
        raise InvalidInput(message).with_fields({"item_code": [message]})
    consultation = Consultation.objects.create(
        applicant=applicant,
        item_id=version.item_id,
        item_version=version,
        department_id=version.department_id,
        question=text,
        asked_at=now,
        due_on=consultation_due_on(shanghai_today(now)),
    )
    logger.info("consultation %s asked about %s", consultation.pk, version.item.code)
    return consultation


def _locked(consultation: Consultation | int) -> Consultation:
    pk = consultation if isinstance(consultation, int) else consultation.pk
    return (
        Consultation.objects.select_for_update()
        .select_related("item_version", "department", "applicant")
        .get(pk=pk)
    )


def _require_answerer(user: Any, consultation: Consultation) -> None:
    if consultation.department_id not in departments_staffed(user, ANSWERING_ROLES):
        raise ActionForbidden(
            _("Only the window staff of %(department)s answer this question.")
            % {"department": consultation.department.name}
        )


def consultation_answer(
    *,
    consultation: Consultation | int,
    by: Any,
    answer: str,
    now: datetime | None = None,
) -> Consultation:
    """Answer an open question of ``by``'s department and tell the applicant.

    ``consultation`` is the row or its id. Raises ``ActionForbidden`` when ``by`` is not window
    staff of the question's department, ``TransitionNotAllowed`` when it was answered already
    (by someone else in the meantime, too: the row is locked), ``InvalidInput`` for an empty or
    too long answer. An answer after the due date is kept as late (``answered_late``).
    """
    now = now or timezone.now()
    text = _text(answer, field="answer", required=_("Write the answer."), limit=ANSWER_MAX_LENGTH)
    with transaction.atomic():
        locked = _locked(consultation)
        _require_answerer(by, locked)
        if locked.status != ConsultationStatus.OPEN:
            raise TransitionNotAllowed(_("This question has already been answered."))
        locked.status = ConsultationStatus.ANSWERED
        locked.answer = text
        locked.answered_by = by
        locked.answered_at = now
        locked.answered_on = shanghai_today(now)
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at", "answered_on"])
        profile = applicant_profile(locked.applicant)
        notify_person(
            user=locked.applicant,
            phone=profile.phone if profile is not None else "",
            template="consultation_answered",
            payload={
                "department": locked.department.name,
                "item": locked.item_version.name,
                "asked_on": shanghai_today(locked.asked_at).isoformat(),
            },
        )
    logger.info("consultation %s answered by %s", locked.pk, by)
    return locked


def consultation_publish(
    *,
    consultation: Consultation | int,
    by: Any,
    question: str,
    answer: str,
    now: datetime | None = None,
) -> Consultation:
    """Publish an answered question to the item's FAQ, in the wording given (edited to leave out
    the applicant's personal data); publishing again replaces the wording. The guide shows it
    at once.

    Raises ``ActionForbidden`` for anyone but window staff of the question's department,
    ``TransitionNotAllowed`` for a question not yet answered, ``InvalidInput`` for empty or too
    long texts.
    """
    now = now or timezone.now()
    faq_question = _text(
        question,
        field="question",
        required=_("Write the question as it will be published."),
        limit=QUESTION_MAX_LENGTH,
    )
    faq_answer = _text(
        answer,
        field="answer",
        required=_("Write the answer as it will be published."),
        limit=ANSWER_MAX_LENGTH,
    )
    with transaction.atomic():
        locked = _locked(consultation)
        _require_answerer(by, locked)
        if locked.status != ConsultationStatus.ANSWERED:
            raise TransitionNotAllowed(_("Answer the question before you publish it."))
        if not locked.published:
            locked.published_at = now
        locked.published = True
        locked.faq_question = faq_question
        locked.faq_answer = faq_answer
        locked.published_by = by
        locked.save(
            update_fields=[
                "published",
                "faq_question",
                "faq_answer",
                "published_at",
                "published_by",
            ]
        )
        # The guides are cached until the catalog changes: this entry is part of one.
        transaction.on_commit(guides_changed)
    logger.info("consultation %s published by %s", locked.pk, by)
    return locked


def consultation_unpublish(*, consultation: Consultation | int, by: Any) -> Consultation:
    """Take a question off the item's FAQ; the guide stops showing it at once. The published
    wording is kept, for publishing it again."""
    with transaction.atomic():
        locked = _locked(consultation)
        _require_answerer(by, locked)
        if not locked.published:
            raise TransitionNotAllowed(_("This question is not in the item's FAQ."))
        locked.published = False
        locked.published_at = None
        locked.published_by = by
        locked.save(update_fields=["published", "published_at", "published_by"])
        transaction.on_commit(guides_changed)
    logger.info("consultation %s unpublished by %s", locked.pk, by)
    return locked


def faq_draft(consultation: Consultation) -> tuple[str, str]:
    """The wording a staff member starts from when publishing: the published one if any, else
    the question and answer as they were."""
    return (
        consultation.faq_question or consultation.question,
        consultation.faq_answer or consultation.answer,
    )


__all__ = [
    "ANSWERING_ROLES",
    "consultation_answer",
    "consultation_ask",
    "consultation_due_on",
    "consultation_get_for_applicant",
    "consultation_get_for_staff",
    "consultation_publish",
    "consultation_unpublish",
    "consultations_for_applicant",
    "consultations_for_staff",
    "consultations_open_for_staff",
    "faq_draft",
    "faq_for_item",
]
