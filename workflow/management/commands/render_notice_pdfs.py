"""Store the PDF of every notice issued without one: issued before PDFs were stored, while the
broker was down, or during a bulk load."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow.notice_documents import PdfUnavailable
from workflow.services.notices import BACKFILL_BATCH, notice_pdfs_backfill


class Command(BaseCommand):
    help = (
        "Render and store the PDF of every notice that has none yet, from the content frozen at "
        "issue, in batches. A stored PDF is never rendered again: safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            type=int,
            default=BACKFILL_BATCH,
            help=f"Notices read at a time (default {BACKFILL_BATCH}).",
        )

    def handle(self, *args, batch: int, **options):
        try:
            stored = notice_pdfs_backfill(batch=max(batch, 1))
        except PdfUnavailable as error:
            raise CommandError(
                _(
                    "No PDF can be made on this machine (%(error)s). Install WeasyPrint's system "
                    "libraries and the Noto CJK fonts as the README says, then run this command "
                    "again."
                )
                % {"error": error}
            ) from error
        self.stdout.write(
            ngettext(
                "Stored the PDF of %(count)d notice.",
                "Stored the PDFs of %(count)d notices.",
                stored,
            )
            % {"count": stored}
        )
