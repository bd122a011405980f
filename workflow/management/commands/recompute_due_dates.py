"""Derive the open due dates again from each case's rows and the calendar as it now stands."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow.calendar import clear_work_calendar_cache
from workflow.services.reprojection import due_dates_reproject


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Re-project the due dates of open cases, undelivered decisions, applications waiting "
        "for an answer and open joint cases after the holiday schedule changed: those that "
        "depend on the given days, or all of them with --all. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("days", nargs="*", type=_day, help="The days that changed.")
        parser.add_argument(
            "--all", action="store_true", help="Every open date, whatever day changed."
        )
        parser.add_argument("--reason", default="", help="Recorded in each case's timeline.")

    def handle(self, *args, days: list[date], all: bool, reason: str, **options):
        if all == bool(days):
            raise CommandError(_("Give the days that changed, or --all."))
        # Read the calendar as it now stands, also a change made behind the admin's back.
        clear_work_calendar_cache()
        reason = reason.strip() or _("Due dates recomputed against the current holiday schedule.")
        moved = due_dates_reproject(changed_days=None if all else days, reason=reason)
        self.stdout.write(
            ngettext("%(count)d case moved.", "%(count)d cases moved.", moved) % {"count": moved}
        )
