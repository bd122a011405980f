"""The demo city's ratings from the hall (好差评): completed demo cases rated online in "my
cases" and by the link of the completion message — the older ones on the speeches' four
levels, under a rule set in force from half a year back, the recent ones on the national five
levels, under a rule set from the first of last month (each rating keeps its own scale) — with
a few poor ones whose rectifications are left open for the departments. 张三's (13800138000)
completed cases are left unrated, to show the rating page.

Played through ``rating_submit`` with the clock set back to a day or two after each
hand-over; run after the demo cases (and after the supervision demo)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from workflow.calendar import SHANGHAI, shanghai_today
from workflow.demo.cases import APPLICANT_USERNAME
from workflow.exceptions import WorkflowError
from workflow.models import Case, CaseStatus

from .models import RatingChannel, RuleSet
from .ratings import rating_submit
from .scales import Scale

FOUR_NOTE = "演示：好 / 较好 / 一般 / 差 四级评价"
FIVE_NOTE = "演示：好差评 五级评价（国办发〔2019〕51号）"
# Levels in turn, best first on each scale; the poor ones are placed by hand below.
FOUR_LEVELS = (4, 4, 3, 4, 2, 4, 3, 4)
FIVE_LEVELS = (5, 5, 4, 5, 3, 5, 4, 5, 5, 4)
COMMENTS = {
    5: "窗口人员耐心细致，一次就办好了。",
    4: "办理顺利，等候时间稍长。",
    3: "材料要求在指南里写得不够清楚。",
}
POOR_COMMENTS = (
    "窗口说材料不全，但指南里没有写这项材料，白跑了一趟。",
    "电话一直无人接听，办理进度也查不到。",
    "工作人员态度生硬，解释不耐烦。",
)


def _first_of_month(day: date, months_back: int) -> date:
    year, month = day.year, day.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def demo_hallrate_load(*, now: datetime | None = None) -> dict[str, int]:
    """Rate the demo's completed cases once; a second load finds the rule sets and adds
    nothing."""
    if RuleSet.objects.filter(note=FOUR_NOTE).exists():
        return {}
    now = now or timezone.now()
    today = shanghai_today(now)
    four_from, five_from = _first_of_month(today, 6), _first_of_month(today, 1)
    counts = {"four": 0, "five": 0, "poor": 0, "online": 0, "link": 0}
    with transaction.atomic():
        for day, scale, note in (
            (four_from, Scale.FOUR, FOUR_NOTE),
            (five_from, Scale.FIVE, FIVE_NOTE),
        ):
            if not RuleSet.objects.filter(effective_from=day).exists():
                RuleSet.objects.create(effective_from=day, rating_scale=scale, note=note)
        cases = list(
            Case.objects.filter(
                status=CaseStatus.COMPLETED, delivered_on__lt=today, rating__isnull=True
            )
            .exclude(applicant__username=APPLICANT_USERNAME)
            .select_related("applicant")
            .order_by("delivered_on", "pk")
        )
        older = [c for c in cases if c.delivered_on + timedelta(days=2) < five_from]
        recent = [c for c in cases if c.delivered_on >= five_from]
        # Poor ones: the last old case of the four levels, two recent ones on the five levels.
        poor = {}
        if older:
            poor[older[-1].pk] = 1
        if len(recent) >= 6:
            poor[recent[-3].pk], poor[recent[-6].pk] = 2, 1
        for index, case in enumerate(older + recent):
            if index % 5 == 4 and case.pk not in poor:
                continue  # a few stay unrated, to be rated by default or not at all
            old = case.delivered_on < five_from
            turn = FOUR_LEVELS if old else FIVE_LEVELS
            level = poor.get(case.pk, turn[index % len(turn)])
            rated_at = min(
                datetime.combine(
                    case.delivered_on + timedelta(days=1 + index % 2), time(19), SHANGHAI
                ),
                now - timedelta(hours=1),
            )
            channel = (
                RatingChannel.ONLINE
                if case.applicant is not None and index % 2 == 0
                else RatingChannel.LINK
            )
            if case.pk in poor:
                comment = POOR_COMMENTS[counts["poor"] % len(POOR_COMMENTS)]
            else:
                comment = COMMENTS.get(level + (1 if old else 0), "") if index % 3 == 0 else ""
            try:
                rating = rating_submit(
                    case=case,
                    level=level,
                    channel=channel,
                    by=case.applicant if channel == RatingChannel.ONLINE else None,
                    comment=comment,
                    now=rated_at,
                )
            except WorkflowError:
                continue  # rated meanwhile (the kiosk's demo), or the time to rate had ended
            counts["four" if rating.scale == Scale.FOUR else "five"] += 1
            counts["poor"] += int(rating.poor)
            counts[channel] += 1
    return counts
