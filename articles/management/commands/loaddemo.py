"""Load the demo article Newsroom ships with (the seed story), once, with a featured image.

The picture is drawn here with Pillow (a plain winter landscape, an illustration, credited
as such) rather than shipped: the repository stays small and no one's photograph is used
without a licence.
"""

import io
import re
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter

from articles import services
from articles.models import Article, Image, Section

SEED = Path(__file__).resolve().parents[2] / "demo" / "north-korean-pows-in-ukraine.txt"
# The seed page ends with the comment form's own lines; they are not part of the story.
FORM_START = "Leave a Reply"
BYLINE = "Newsroom staff"
SECTION = "World"
DATELINE = re.compile(r"^(?P<place>[^\W\d][\w .’'-]{0,40}) – (?P<rest>.+)$")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def parse_seed(text: str) -> dict[str, str]:
    """Headline, dateline and a Markdown body from the plain-text seed.

    Every line of the seed is a paragraph; a short line without a full stop is a subheading;
    a line that is a quotation and nothing else is a block quote. The text is kept exactly.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if FORM_START in lines:
        lines = lines[: lines.index(FORM_START)]
    headline, *story = lines
    dateline = ""
    match = DATELINE.match(story[0])
    if match:
        dateline, story[0] = match["place"], match["rest"]
    blocks = []
    for line in story:
        escaped = _escape(line)
        if _is_subheading(line):
            blocks.append(f"## {escaped}")
        elif line.startswith("“") and line.endswith("”"):
            blocks.append(f"> {escaped}")
        else:
            blocks.append(escaped)
    return {"headline": headline, "dateline": dateline, "body": "\n\n".join(blocks) + "\n"}


def _is_subheading(line: str) -> bool:
    return len(line) <= 60 and not line.endswith((".", "”", "?", "!", ":", ","))


def _escape(line: str) -> str:
    """Keep the seed's characters literal in Markdown."""
    line = MARKDOWN_SPECIAL.sub(r"\\\1", line)
    # A line starting "1." or "-" would otherwise become a list.
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", line).replace("\n", " ")


PICTURE = {
    "alt_text": "Illustration: a pale winter sky over a flat, snow-covered field and a line "
    "of dark trees",
    "caption": "Winter in the borderlands.",
    "credit": "Newsroom illustration",
}
PICTURE_SIZE = (1600, 900)


def demo_picture() -> ContentFile:
    """A winter landscape, 1600 × 900: sky, a line of trees, snow (the same every time)."""
    width, height = PICTURE_SIZE
    horizon = int(height * 0.62)
    image = PillowImage.new("RGB", PICTURE_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        if y < horizon:  # sky: grey-blue at the top, pale near the horizon
            t = y / horizon
            colour = (int(118 + 112 * t), int(138 + 98 * t), int(160 + 78 * t))
        else:  # snow, a little darker towards the viewer
            t = (y - horizon) / (height - horizon)
            colour = (int(236 - 30 * t), int(238 - 28 * t), int(242 - 24 * t))
        draw.line([(0, y), (width, y)], fill=colour)
    for x in range(0, width, 9):  # a ragged tree line along the horizon
        top = horizon - 18 - (x * 7919 % 47)
        draw.rectangle([x, top, x + 7, horizon + 4], fill=(52, 58, 56))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return ContentFile(buffer.getvalue(), name="demo-winter-landscape.jpg")


class Command(BaseCommand):
    help = "Load the demo article (the seed story) if it is not there yet. Safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options):
        fields = parse_seed(SEED.read_text(encoding="utf-8"))
        section, _ = Section.objects.get_or_create(name=SECTION, defaults={"slug": "world"})
        article, created = Article.objects.get_or_create(
            slug=slugify(fields["headline"]),
            defaults={
                **fields,
                "byline": BYLINE,
                "section": section,
                "status": Article.Status.PUBLISHED,
            },
        )
        if article.featured_image_id is None:
            image = Image(file=demo_picture(), **PICTURE)
            services.save_image(image, changed_fields=["file"])
            article.featured_image = image
            services.save_article(article, changed_fields=["featured_image"], created=False)
        verbosity = options["verbosity"]
        if (created and verbosity >= 1) or verbosity >= 2:
            verb = "Loaded" if created else "Already there:"
            self.stdout.write(f"{verb} {article.headline} ({article.get_absolute_url()})")
