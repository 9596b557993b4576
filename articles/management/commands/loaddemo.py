"""Load the demo article Newsroom ships with (the seed story) with a featured image, and the
site's About, Corrections and Contact pages, once.

The picture is drawn here with Pillow (a plain winter landscape, an illustration, credited
as such) rather than shipped: the repository stays small and no one's photograph is used
without a licence.
"""

import io
import re
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter

from articles import services
from articles.models import Article, Author, Image, Section, Tag
from articles.pages import services as page_services

DEMO = Path(__file__).resolve().parents[2] / "demo"
SEED = DEMO / "north-korean-pows-in-ukraine.txt"
# The site's own pages, in the footer in this order: address, then the file with its text
# (the first line is the title).
PAGES = [("/about/", "about.md"), ("/corrections/", "corrections.md"), ("/contact/", "contact.md")]
# The seed page ends with the comment form's own lines; they are not part of the story.
FORM_START = "Leave a Reply"
BYLINE = "Newsroom staff"
SECTION = "World"
TAGS = ["North Korea", "Prisoners of war", "Ukraine"]
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


def page_text(name: str) -> tuple[str, str]:
    """A demo page's title and Markdown text, with the site's name and email address."""
    text = (DEMO / "pages" / name).read_text(encoding="utf-8")
    text = text.replace("{site_name}", settings.NEWSROOM_SITE_NAME)
    text = text.replace("{email}", settings.DEFAULT_FROM_EMAIL)
    title, content = text.split("\n", 1)
    return title.strip(), content.strip() + "\n"


PICTURE = {
    "alt_text": "Illustration: a pale winter sky over a flat, snow-covered field and a line "
    "of dark trees",
    "caption": "Winter in the borderlands.",
    "credit": "Newsroom illustration",
}
PICTURE_SIZE = (1600, 900)
PICTURE_ADDED = "The demo's featured image added."


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
    help = (
        "Load the demo article (the seed story) and the About, Corrections and Contact "
        "pages, each if it is not there yet. Safe to run twice: nothing an editor changed is "
        "overwritten."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        self.load_article()
        for position, (url, name) in enumerate(PAGES):
            self.load_page(url, name, position)

    def load_article(self) -> None:
        fields = parse_seed(SEED.read_text(encoding="utf-8"))
        # Its first version is kept, as an editor's first save would be.
        with reversion.create_revision():
            reversion.set_comment("Loaded from the demo story.")
            section, _ = Section.objects.get_or_create(name=SECTION, defaults={"slug": "world"})
            byline, _ = Author.objects.get_or_create(
                slug=slugify(BYLINE), defaults={"name": BYLINE}
            )
            article, created = Article.objects.get_or_create(
                slug=slugify(fields["headline"]),
                defaults={
                    **fields,
                    "byline": byline,
                    "section": section,
                    "status": Article.Status.PUBLISHED,
                    "published_at": timezone.now(),
                },
            )
        if created:
            article.tags.set(
                Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
                for name in TAGS
            )
        # Once: an editor who takes the picture away later is not overruled.
        picture_added = Image.objects.filter(alt_text=PICTURE["alt_text"]).exists()
        if article.featured_image_id is None and not picture_added:
            image = Image(file=demo_picture(), **PICTURE)
            services.save_image(image, changed_fields=["file"])
            article.featured_image = image
            services.save_article(
                article, changed_fields=["featured_image"], created=False, comment=PICTURE_ADDED
            )
        self.report(created, article.headline, article.get_absolute_url())

    def load_page(self, url: str, name: str, position: int) -> None:
        page = FlatPage.objects.filter(url=url, sites=settings.SITE_ID).first()
        created = page is None
        if created:
            title, content = page_text(name)
            page = FlatPage(url=url, title=title, content=content)
            page_services.save_page(
                page, footer_position=position, comment="Loaded from the demo pages."
            )
        self.report(created, page.title, url)

    def report(self, created: bool, title: str, url: str) -> None:
        if (created and self.verbosity >= 1) or self.verbosity >= 2:
            verb = "Loaded" if created else "Already there:"
            self.stdout.write(f"{verb} {title} ({url})")
