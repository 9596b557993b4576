import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from articles.wordpress.importer import import_export
from articles.wordpress.parser import NotAnExport

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools › Export › All content): posts, pages, authors, "
        "categories, tags, media and comments. Running it again imports only what is new; "
        "the old addresses answer with a 301 to the new ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The export file (WXR, .xml).")
        parser.add_argument(
            "--uploads",
            type=Path,
            help=(
                "A copy of the old site's wp-content/uploads folder. Without it, each picture "
                "is fetched from its old address, if that still answers."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and report what would be imported; write nothing.",
        )
        parser.add_argument(
            "--no-fetch",
            action="store_true",
            help="Never fetch pictures from their old addresses (only --uploads).",
        )

    def handle(self, *args, export: Path, uploads: Path | None, dry_run: bool, **options):
        if not export.is_file():
            raise CommandError(f"{export}: no such file.")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"{uploads}: no such folder.")
        bar = ProgressBar(self.stderr) if sys.stderr.isatty() and options["verbosity"] else None
        try:
            report = import_export(
                export,
                uploads_dir=uploads,
                dry_run=dry_run,
                fetch_media=not options["no_fetch"],
                progress=bar.show if bar else None,
            )
        except NotAnExport as error:
            raise CommandError(f"{export} is not a WordPress export: {error}") from None
        finally:
            if bar:
                bar.finish()
        for line in report.lines():
            self.stdout.write(line)


class ProgressBar:
    """How far through the file the import is, redrawn at most ten times a second."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at = 0.0

    def show(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn_at < 0.1 and done < total:
            return
        self.drawn_at = now
        share = done / total if total else 1
        filled = round(BAR_WIDTH * share)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:4.0%} "
            f"of {filesizeformat(total // 2)} read twice · {now - self.started:.0f} s",
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("")
