"""Delete the files of refused window intakes that were never sent again."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from workflow.staging import staged_uploads_sweep


class Command(BaseCommand):
    help = (
        "Delete staged intake files (rows and stored files) older than STAGED_UPLOAD_HOURS, "
        "or than --hours. The hourly beat task does the same; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=None, help="Age in hours instead of STAGED_UPLOAD_HOURS."
        )

    def handle(self, *args, hours: int | None, **options):
        max_age = None if hours is None else timedelta(hours=max(hours, 0))
        deleted = staged_uploads_sweep(now=timezone.now(), max_age=max_age)
        self.stdout.write(
            ngettext("%(count)d staged file deleted.", "%(count)d staged files deleted.", deleted)
            % {"count": deleted}
        )
