"""Load the demo city (江州市) and print its logins and catalog figures."""

import logging
import unicodedata
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog.demo import DEMO_PASSWORD, DemoCity, demo_city_load
from portal.demo_consultations import demo_consultations_load
from portal.demo_home import demo_hall_load
from supervision.demo import demo_supervision_load
from supervision.demo_complaints import demo_complaints_load
from supervision.demo_hallrate import demo_hallrate_load
from supervision.demo_kiosk import demo_kiosk_load, issue_demo_kiosk_code
from supervision.demo_perf import demo_perf_load
from supervision.demo_staffrate import demo_staffrate_load
from supervision.models import Complaint, Rating
from workflow.demo import APPLICANT_USERNAME, demo_cases_load, demo_status_counts
from workflow.models import CaseStatus

from ...demo import HallLogin, demo_accounts_load


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal; padding by len() would skew the table.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)
    ).rstrip()


@contextmanager
def _quiet(logger_name: str):
    # The catalog logs every item it creates and publishes: 734 lines that would bury the logins.
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the working-day calendar and the demo city: service centers, 38 departments, "
        "windows, demo staff and 367 published items, and about 320 demo cases in every state, "
        "dated back from today. Safe to run again. Refused where "
        "DEMO_DATA_ALLOWED is off (production)."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                _(
                    "Demo data are not allowed on this installation (DEMO_DATA_ALLOWED is off, "
                    "as in production). Nothing was written."
                )
            )
        call_command("load_calendar", stdout=self.stdout, stderr=self.stderr)
        with _quiet("catalog.versions"):
            city = demo_city_load(password=DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(_("Demo city loaded: %(center)s") % {"center": city.center})
        )
        # Every demo case sends its applicant messages through the log gateway: keep them out.
        with _quiet("workflow.tasks"), _quiet("workflow.sms"), _quiet("celery"):
            created = demo_cases_load(password=DEMO_PASSWORD)
        hall_logins = demo_accounts_load(password=DEMO_PASSWORD)
        hall_created = demo_hall_load()
        self.stdout.write(
            _("Online hall themes and notices created by this run: %(count)s")
            % {"count": hall_created}
        )
        with _quiet("workflow.tasks"), _quiet("workflow.sms"), _quiet("celery"):
            asked = demo_consultations_load()
        self.stdout.write(
            _("Online hall questions asked by this run: %(count)s") % {"count": asked}
        )
        with _quiet("workflow.tasks"), _quiet("workflow.sms"), _quiet("celery"):
            supervision = demo_supervision_load()
        if supervision:
            self.stdout.write(
                _(
                    "Supervision: %(alerts)s alerts, %(urges)s urge notices and "
                    "%(corrections)s corrections created by this run"
                )
                % supervision
            )
        # Ratings: the kiosk's first (it rates recent hand-overs at its window), then those
        # given in the hall, then what the departments did about the poor ones.
        with (
            _quiet("workflow.tasks"),
            _quiet("workflow.sms"),
            _quiet("celery"),
            _quiet("supervision"),
        ):
            rated = {
                **demo_kiosk_load(),
                **demo_hallrate_load(),
                **demo_staffrate_load(),
            }
            complained = demo_complaints_load()
            # Last: the daily summary of the demo's history, and last month closed.
            performance = demo_perf_load()
        if rated or complained:
            self.stdout.write(
                _(
                    "Ratings: %(ratings)s (%(poor)s poor, each with its rectification); "
                    "complaints: %(complaints)s"
                )
                % {
                    "ratings": Rating.objects.count(),
                    "poor": Rating.objects.filter(poor=True).count(),
                    "complaints": Complaint.objects.count(),
                }
            )
        if performance:
            self.stdout.write(
                _("Performance: %(months)s month(s) closed by this run")
                % {"months": performance.get("months closed", 0)}
            )
        self._write_logins(city)
        self._write_hall_logins(hall_logins)
        self.stdout.write(
            _(
                "Demo applicant (online hall): %(username)s; demo cases created by this run: %(count)s"
            )
            % {"username": APPLICANT_USERNAME, "count": created}
        )
        # Each status by its label and count, under the line above: no sentence to translate.
        self.stdout.write(
            "  "
            + ", ".join(
                f"{CaseStatus(status).label} {count}"
                for status, count in demo_status_counts().items()
            )
        )
        self._write_figures(city)
        self._write_kiosk_code()

    def _write_kiosk_code(self) -> None:
        with _quiet("supervision"):
            issued = issue_demo_kiosk_code()
        if issued is None:
            return
        window_id, code = issued
        self.stdout.write("")
        self.stdout.write(
            _(
                "Rating kiosk of window A01: open /kiosk/ on the device and enter %(code)s "
                "(valid 24 hours; then /kiosk/%(window)s/)."
            )
            % {"code": code, "window": window_id}
        )

    def _write_logins(self, city: DemoCity) -> None:
        header = [_("Username"), _("Name"), _("Role"), _("Department")]
        rows = [[login.username, login.name, login.role, login.place] for login in city.logins]
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(_("Demo logins (staff login page):"))
        self.stdout.write(_row(header, widths))
        self.stdout.write(_row(["-" * width for width in widths], widths))
        for row in rows:
            self.stdout.write(_row(row, widths))
        self.stdout.write(
            _("Password for every demo login: %(password)s") % {"password": DEMO_PASSWORD}
        )

    def _write_hall_logins(self, logins: list[HallLogin]) -> None:
        header = [_("Mobile phone number"), _("Name"), _("Applicant type")]
        rows = [[login.phone, login.name, login.kind] for login in logins]
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(_("Demo applicants (online hall login page, /login/):"))
        self.stdout.write(_row(header, widths))
        self.stdout.write(_row(["-" * width for width in widths], widths))
        for row in rows:
            self.stdout.write(_row(row, widths))
        self.stdout.write(
            _("Password for every demo login: %(password)s") % {"password": DEMO_PASSWORD}
        )

    def _write_figures(self, city: DemoCity) -> None:
        stats = city.stats
        by_category = {row["code"]: row["count"] for row in stats["by_category"]}
        self.stdout.write("")
        self.stdout.write(_("Catalog figures (current published items):"))
        lines = [
            _("Departments: %(count)d") % {"count": city.departments},
            _("Approval items: %(total)d (licensing %(licensing)d, non-licensing %(legacy)d)")
            % {
                "total": stats["total_items"],
                "licensing": by_category.get("XK", 0),
                "legacy": by_category.get("FXK", 0),
            },
            _("Immediate items: %(count)d") % {"count": stats["immediate_count"]},
            _("Average promised limit: %(days)s working days")
            % {"days": stats["average_promised_limit"]},
            _("Must enter the center: %(must)d, entered: %(entered)d, fully authorised: %(full)d")
            % {
                "must": stats["must_enter_count"],
                "entered": stats["entered_count"],
                "full": stats["full_authorisation_count"],
            },
            _("Items created by this run: %(count)d") % {"count": city.created_items},
        ]
        for line in lines:
            self.stdout.write("  " + line)
