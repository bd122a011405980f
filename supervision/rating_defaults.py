"""The default rating (好差评 默认评价): a completed case whose time to rate has closed without a
rating gets the rule set's default level, channel "default" — or nothing when the rule set
configures none. Set-based: the cut-off hand-over day is worked out once from the calendar,
then the cases are read in keyset batches (one select each, with the hand-over's clerk and
window as subqueries) and written with one bulk insert per batch.

A default level is by definition not a complaint: the rule set refuses a poor default level
(``RuleSet.clean``), and this pass writes none should one be there, so a default never opens
a rectification."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from workflow.calendar import load_work_calendar, shanghai_today
from workflow.deadlines import add_workdays
from workflow.models import Case, CaseStatus

from .models import Rating, RatingChannel
from .ratings import with_handover
from .rules import rules_in_force
from .scales import is_poor, levels_of

logger = logging.getLogger(__name__)

BATCH = 2000


def last_delivery_closed(today: date, workdays: int) -> date:
    """The latest hand-over day whose time to rate (``workdays`` working days after it) ended
    before ``today``. ``add_workdays`` never goes back as its start moves on, so the days
    before this one have closed as well."""
    calendar = load_work_calendar()
    day = today - timedelta(days=1)
    while add_workdays(day, workdays, calendar=calendar) >= today:
        day -= timedelta(days=1)
    return day


def ratings_default(*, today: date | None = None, now: datetime | None = None) -> int:
    """Give every completed, unrated case whose time to rate closed before ``today`` the
    default level of the rules in force ``today``; the number of ratings written. Safe to run
    twice and beside a live rating: the case's unique rating keeps one."""
    now = now or timezone.now()
    today = today or shanghai_today(now)
    rules = rules_in_force(today)
    level = rules.rating_default_level
    if level is None:
        return 0
    if level not in [option.value for option in levels_of(rules.rating_scale)] or is_poor(
        rules.rating_scale, level
    ):
        logger.warning("default rating level %s refused on the %s scale", level, rules.rating_scale)
        return 0
    cutoff = last_delivery_closed(today, rules.rating_workdays)
    waiting = with_handover(
        Case.objects.filter(
            status=CaseStatus.COMPLETED, delivered_on__lte=cutoff, rating__isnull=True
        )
    ).order_by("pk")
    after = 0
    while True:
        batch = list(
            waiting.filter(pk__gt=after).values_list(
                "pk",
                "department_id",
                "department__center_id",
                "handover_staff_id",
                "handover_window_id",
            )[:BATCH]
        )
        if not batch:
            break
        after = batch[-1][0]
        rows = [
            Rating(
                case_id=case_id,
                department_id=department_id,
                center_id=center_id,
                window_id=window_id,
                staff_id=staff_id,
                scale=rules.rating_scale,
                level=level,
                poor=False,
                channel=RatingChannel.DEFAULT,
                rated_at=now,
                rated_on=today,
            )
            for case_id, department_id, center_id, staff_id, window_id in batch
        ]
        with transaction.atomic():
            Rating.objects.bulk_create(rows, ignore_conflicts=True)
    # A case rated meanwhile kept its own rating (the conflict was ignored): count what is ours.
    written = Rating.objects.filter(
        rated_on=today, channel=RatingChannel.DEFAULT, rated_at=now
    ).count()
    logger.info("default ratings of %s: %s written", today.isoformat(), written)
    return written
