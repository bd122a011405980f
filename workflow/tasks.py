"""Periodic work of the workflow app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from catalog.models import Role

from .calendar import missing_schedule_warning, shanghai_today

logger = logging.getLogger(__name__)


def publish(
    task, args: tuple = (), kwargs: dict | None = None, *, argsrepr: str | None = None
) -> bool:
    """Send ``task`` to the broker once, without retrying: True when the broker took it.

    Called after a request's transaction has committed: a broker that is down or slow must not
    hold the request (``CELERY_BROKER_CONNECTION_TIMEOUT`` bounds the attempt). The caller
    keeps what the task would do recoverable — pending rows a periodic sweep picks up, or work
    done in the process instead.
    """
    options: dict[str, Any] = {"retry": False}
    if argsrepr is not None:
        options["argsrepr"] = argsrepr
    try:
        task.apply_async(args, kwargs, **options)
    except Exception as error:  # noqa: BLE001 - any broker failure is the same to the caller
        logger.warning("the broker did not take %s: %s", task.name, error)
        return False
    return True


def catalog_administrator_emails() -> list[str]:
    """The e-mail addresses of active users holding the catalog administrator role."""
    users = (
        get_user_model()
        .objects.filter(memberships__role=Role.CATALOG_ADMINISTRATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )
    return list(users)


@shared_task
def calendar_coverage_check() -> str | None:
    """Warn when a year's official holiday schedule is missing; returns the warning or None.

    Logs the warning and e-mails the catalog administrators. Running it again on the same day
    sends no second e-mail (a day-long cache key; with a shared cache in production this holds
    across workers too).
    """
    today = shanghai_today()
    message = missing_schedule_warning(today)
    if message is None:
        return None
    logger.warning("%s", message)
    # Claim today's e-mail before sending, so two runs at once cannot both send it.
    key = f"workflow:calendar-coverage-mailed:{today.isoformat()}"
    if not cache.add(key, True, 24 * 60 * 60):
        return message
    recipients = catalog_administrator_emails()
    if recipients:
        try:
            send_mail(
                subject=_("Working-day calendar: a holiday schedule is missing"),
                message=message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        except Exception:
            # Give the claim back so the retry (or tomorrow's run) sends it.
            cache.delete(key)
            raise
    return message


@shared_task(ignore_result=True)
def due_dates_reproject_task(changed_days: list[str] | None = None, reason: str = "") -> int:
    """Re-project the due dates that depend on ``changed_days`` (ISO dates; None: all open).

    Queued by ``workflow.calendar.calendar_changed`` once the calendar change has committed.
    Safe to run twice: dates already right are not written again.
    """
    from datetime import date

    from .services.reprojection import due_dates_reproject

    days = None if changed_days is None else [date.fromisoformat(day) for day in changed_days]
    return due_dates_reproject(changed_days=days, reason=reason)


# --- notifications ----------------------------------------------------------------------------

# Seconds to wait before each new attempt; after the last one a notification is marked failed.
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
SWEEP_BATCH = 500


def _render(notification) -> tuple[str, str]:
    from django.utils import translation

    from .notifications import TEMPLATES

    subject, body = TEMPLATES[notification.template]
    with translation.override(settings.LANGUAGE_CODE):
        return str(subject), str(body) % notification.payload


@shared_task(ignore_result=True)
def notification_deliver(notification_id: int) -> str:
    """Send one notification; safe to run twice and from several workers at once.

    The pending row is claimed with a compare-and-set update that also books the next
    attempt, so a second worker (or the sweep) finds nothing to do until that time has come.
    """
    from datetime import timedelta

    from django.db.models import F, Q
    from django.utils import timezone

    from .models import Notification, NotificationChannel, NotificationStatus
    from .sms import sms_gateway

    now = timezone.now()
    row = Notification.objects.filter(pk=notification_id).values("attempts").first()
    if row is None:
        return "missing"
    delay = RETRY_DELAYS[min(row["attempts"], len(RETRY_DELAYS) - 1)]
    claimed = (
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=delay))
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        subject, body = _render(notification)
        if notification.channel == NotificationChannel.EMAIL:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.address])
        else:
            sms_gateway().send(notification.address, f"【{subject}】{body}")
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        # The first attempt plus one retry after each delay.
        final = notification.attempts > len(RETRY_DELAYS)
        Notification.objects.filter(pk=notification_id).update(
            last_error=str(error)[:2000],
            status=NotificationStatus.FAILED if final else NotificationStatus.PENDING,
        )
        logger.warning(
            "notification %s failed (attempt %s): %s", notification_id, notification.attempts, error
        )
        return "failed" if final else "retry"
    Notification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


@shared_task(ignore_result=True)
def notifications_deliver(notification_ids: list[int]) -> dict[str, int]:
    """Send a batch of notifications (those one action wrote); safe to run twice."""
    outcomes: dict[str, int] = {}
    for pk in notification_ids:
        outcome = notification_deliver(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(ignore_result=True)
def notifications_sweep() -> int:
    """Deliver what is still pending and due: the broker was down, or a worker died mid-way."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import Notification, NotificationStatus

    now = timezone.now()
    due = (
        Notification.objects.filter(status=NotificationStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    count = 0
    for pk in due:
        notification_deliver(pk)
        count += 1
    return count


# --- staged uploads ---------------------------------------------------------------------------


@shared_task(ignore_result=True)
def staged_uploads_sweep_task() -> int:
    """Delete the staged intake files older than ``STAGED_UPLOAD_HOURS``; safe to run twice."""
    from django.utils import timezone

    from .staging import staged_uploads_sweep

    return staged_uploads_sweep(now=timezone.now())


# --- notice PDFs ------------------------------------------------------------------------------


@shared_task(ignore_result=True)
def notice_pdfs_store_task(notice_ids: list[int]) -> dict[str, int]:
    """Render and store the PDFs of these notices; safe to run twice: a stored PDF is kept.

    Where WeasyPrint or its fonts are missing nothing is stored and nothing is retried: the
    first download renders it once they are installed.
    """
    from .models import Notice
    from .notice_documents import PdfUnavailable
    from .services.notices import notice_pdf_store

    outcomes: dict[str, int] = {}
    for notice in Notice.objects.filter(pk__in=notice_ids).order_by("pk"):
        if notice.pdf:
            outcome = "kept"
        else:
            try:
                notice_pdf_store(notice=notice)
                outcome = "stored"
            except PdfUnavailable as error:
                logger.warning("notice %s: no PDF can be made here: %s", notice.pk, error)
                outcome = "unavailable"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
