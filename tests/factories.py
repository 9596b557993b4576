"""The one place tests make objects. Plain functions: every field can be overridden."""

import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage

from articles import services
from articles.models import Article, Author, Image, Section, Tag
from comments.forms import form_timestamp
from comments.models import Comment

_seq = itertools.count(1)


def make_section(**fields) -> Section:
    n = next(_seq)
    return Section.objects.create(**{"name": f"Section {n}", "slug": f"section-{n}", **fields})


def make_author(name: str = "Staff reporter", **fields) -> Author:
    """The author called ``name``, made the first time it is asked for."""
    slug = fields.pop("slug", slugify(name))
    author, _ = Author.objects.get_or_create(slug=slug, defaults={"name": name, **fields})
    return author


def make_tag(**fields) -> Tag:
    n = next(_seq)
    return Tag.objects.create(**{"name": f"Tag {n}", "slug": f"tag-{n}", **fields})


def make_article(**fields) -> Article:
    """An article; ``byline`` may be an author or a name (an author made if needed)."""
    n = next(_seq)
    if not isinstance(fields.get("byline"), Author):
        fields["byline"] = make_author(fields.get("byline", "Staff reporter"))
    defaults = {
        "headline": f"Headline {n}",
        "slug": f"headline-{n}",
        "standfirst": f"Standfirst {n}.",
        "body": f"Body of article {n}.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    if "section" not in fields:
        defaults["section"] = make_section()
    return Article.objects.create(**{**defaults, **fields})


def image_bytes(size=(1000, 600), image_format="JPEG", colour=(180, 40, 30), **save) -> bytes:
    """A picture's file as a camera or an editor's computer would have it."""
    buffer = io.BytesIO()
    mode = "RGBA" if image_format in {"PNG", "WEBP"} else "RGB"
    PillowImage.new(mode, size, colour).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def image_upload(name: str = "picture.jpg", content: bytes | None = None, **picture):
    content = image_bytes(**picture) if content is None else content
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_image(size=(1000, 600), **fields) -> Image:
    """A library image saved as an editor's upload is: cleaned, with its renditions."""
    n = next(_seq)
    image = Image(
        **{
            "file": image_upload(f"picture-{n}.jpg", size=size),
            "alt_text": f"Alt text {n}",
            "caption": f"Caption {n}.",
            "credit": f"Photographer {n}",
            **fields,
        }
    )
    services.save_image(image, changed_fields=["file"])
    return image


def make_comment(article: Article, **fields) -> Comment:
    n = next(_seq)
    defaults = {
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.org",
        "text": f"Comment number {n}.",
        "status": Comment.Status.APPROVED,
        "ip_address": "192.0.2.10",
        "user_agent": "pytest",
    }
    return Comment.objects.create(article=article, **{**defaults, **fields})


def make_user(username: str, password: str = "correct horse battery staple", **fields):
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def comment_data(article: Article | int, **fields) -> dict:
    """What a reader types into the form on ``article``'s page (an article or its id), with
    the form's hidden timestamp, which is good for that article only."""
    return {
        "comment": "I have a thought about this.",
        "author": "Ada Reader",
        "email": "ada@example.org",
        "url": "",
        "timestamp": form_timestamp(getattr(article, "pk", article)),
        **fields,
    }
