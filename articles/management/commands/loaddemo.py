"""Load the demo article Newsroom ships with (the seed story), once."""

import re
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, Section, Tag

SEED = Path(__file__).resolve().parents[2] / "demo" / "north-korean-pows-in-ukraine.txt"
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
        if created:
            article.tags.set(
                Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
                for name in TAGS
            )
        verbosity = options["verbosity"]
        if (created and verbosity >= 1) or verbosity >= 2:
            verb = "Loaded" if created else "Already there:"
            self.stdout.write(f"{verb} {article.headline} ({article.get_absolute_url()})")
