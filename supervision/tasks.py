"""Supervision's Celery tasks: they take ids, are safe to run twice and call a service."""

from celery import shared_task
from django.utils import timezone

from workflow.tasks import publish

from .scan import supervise


@shared_task(ignore_result=True)
def export_run(job_id: int) -> str:
    """Write the file of one export job; safe to run twice (see ``export_job_run``)."""
    from .exports import export_job_run

    return export_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def exports_sweep() -> int:
    """Send again the export jobs no worker took: the broker was down when they were asked
    for, or the worker running one died. A job already taken is not written twice."""
    from .exports import export_jobs_waiting

    sent = 0
    for job_id in export_jobs_waiting(timezone.now()):
        publish(export_run, (job_id,))
        sent += 1
    return sent


@shared_task(ignore_result=True)
def supervise_task() -> dict[str, object]:
    """The supervision scan, as of now (scheduled in settings.CELERY_BEAT_SCHEDULE).

    Safe to run twice and at once: a scan that finds another running does nothing."""
    result = supervise()
    return {
        "today": result.today.isoformat(),
        "skipped": result.skipped,
        "raised": result.raised,
        "resolved": result.resolved,
        "reopened": result.reopened,
        "notified": result.notified,
    }


@shared_task(ignore_result=True)
def ratings_default_task() -> int:
    """Give the cases whose time to rate closed unrated the rule set's default level
    (scheduled once a day in settings.CELERY_BEAT_SCHEDULE); safe to run twice."""
    from .rating_defaults import ratings_default

    return ratings_default()


@shared_task(ignore_result=True)
def summarize_task() -> dict[str, object]:
    """The scan's sibling: rewrite the daily summary of the open months, then close last
    month once its closing day has come (scheduled in settings.CELERY_BEAT_SCHEDULE).

    Safe to run twice and at once: a run that finds another running does nothing."""
    from .performance import close_due_months
    from .summary import summarize

    result = summarize()
    closed = [] if result.skipped else close_due_months()
    return {
        "skipped": result.skipped,
        "days": result.days,
        "rows": result.rows,
        "closed": [month.isoformat() for month in closed],
    }
