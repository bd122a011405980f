"""Load the official holiday schedules that the chinese_calendar package knows."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow.calendar import calendar_load_from_chinese_calendar, chinese_calendar_exceptions


def year_ranges(years: list[int]) -> str:
    """``[2004, 2005, 2006, 2009]`` → ``"2004–2006, 2009"``."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


class Command(BaseCommand):
    help = (
        "Load every year's holidays and make-up working days known to the chinese_calendar "
        "package. Safe to run again; years entered by an administrator are kept."
    )

    def handle(self, *args, **options):
        loaded = calendar_load_from_chinese_calendar()
        kept = sorted(set(chinese_calendar_exceptions()) - set(loaded))
        self.stdout.write(
            ngettext(
                "Loaded %(count)d year: %(years)s", "Loaded %(count)d years: %(years)s", len(loaded)
            )
            % {"count": len(loaded), "years": year_ranges(loaded) or "-"}
        )
        if kept:
            self.stdout.write(
                _("Kept as entered by an administrator: %(years)s") % {"years": year_ranges(kept)}
            )
