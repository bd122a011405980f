"""Run the supervision scan now, or as of a given day (back-filling, reproducing a day's cards)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from supervision.scan import supervise


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Raise, escalate and resolve the supervision alerts and count the monitoring room's "
        "figures, as of today or as of the day given with --on (the day the scan sees as "
        "today). Safe to run again: a second scan raises nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=_day, default=None, help="Scan as of this day (YYYY-MM-DD)."
        )

    def handle(self, *args, on: date | None, **options):
        result = supervise(today=on)
        if result.skipped:
            self.stdout.write(_("Another scan is running; this one did nothing."))
            return
        counts = [
            ngettext("%(count)d alert raised", "%(count)d alerts raised", result.raised)
            % {"count": result.raised},
            ngettext("%(count)d resolved", "%(count)d resolved", result.resolved)
            % {"count": result.resolved},
            ngettext("%(count)d re-opened", "%(count)d re-opened", result.reopened)
            % {"count": result.reopened},
            ngettext("%(count)d message queued", "%(count)d messages queued", result.notified)
            % {"count": result.notified},
        ]
        self.stdout.write(
            _("Supervision scan of %(day)s: %(counts)s (%(statements)d statements).")
            % {
                "day": result.today.isoformat(),
                "counts": pgettext("list separator", ", ").join(counts),
                "statements": result.statements,
            }
        )
