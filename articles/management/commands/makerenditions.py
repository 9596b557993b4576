"""Make the renditions a library picture is missing: after the widths change, after files
were copied to new storage (S3), or after a failure while uploading."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from articles import images
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make every library picture's missing renditions (WebP and JPEG at each width). "
        "Quiet unless -v 2; --dry-run lists the pictures without making anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what is missing")

    def handle(self, *args, dry_run: bool, verbosity: int, **options):
        made = 0
        for image in Image.objects.order_by("pk").iterator():
            missing = [
                name
                for width in images.rendition_widths(image.width)
                for extension in ("webp", "jpg")
                if not default_storage.exists(
                    name := images.rendition_name(image.file.name, width, extension)
                )
            ]
            if not missing:
                continue
            if not default_storage.exists(image.file.name):
                self.stderr.write(f"Image {image.pk}: its file {image.file.name} is missing.")
                continue
            made += 1
            if verbosity >= 2:
                self.stdout.write(f"Image {image.pk}: {len(missing)} renditions missing.")
            if not dry_run:
                images.make_renditions(image.file.name)
        if made and verbosity >= 1:
            verb = "Would make" if dry_run else "Made"
            self.stdout.write(f"{verb} renditions for {made} picture{'' if made == 1 else 's'}.")
