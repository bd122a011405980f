"""Rewrite the performance summary of the open months, or of the days from --from to --to."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from supervision.summary import summarize


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Rewrite the daily performance summary: of every day of the months not yet closed, or "
        "of the days from --from to --to. Days of closed months are left as they are. Safe to "
        "run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=_day, default=None, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=_day, default=None, help="YYYY-MM-DD")

    def handle(self, *args, start: date | None, end: date | None, **options):
        days = None
        if start or end:
            if not (start and end):
                raise CommandError(_("Give both --from and --to, or neither."))
            if end < start:
                raise CommandError(_("--to is before --from."))
            days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        result = summarize(days=days)
        if result.skipped:
            self.stdout.write(_("Another summary run is going on; this one did nothing."))
            return
        self.stdout.write(
            _(
                "Performance summary: %(days)d days rewritten, %(rows)d rows (%(statements)d statements)."
            )
            % {"days": result.days, "rows": result.rows, "statements": result.statements}
        )
