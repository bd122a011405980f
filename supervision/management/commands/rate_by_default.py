"""Give the completed cases whose time to rate has closed without a rating the rule set's
default level, as of today or of a given day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supervision.rating_defaults import ratings_default


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Rate by default the completed cases whose time to rate closed before today (or the "
        "day given with --on) without a rating, at the default level of the rules in force; "
        "nothing when they configure none. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=_day, default=None, help="Run as of this day (YYYY-MM-DD)."
        )

    def handle(self, *args, on: date | None, **options):
        written = ratings_default(today=on)
        self.stdout.write(
            ngettext(
                "%(count)d case rated by default.", "%(count)d cases rated by default.", written
            )
            % {"count": written}
        )
