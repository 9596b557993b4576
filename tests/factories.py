"""The one place tests make objects. Plain functions: every field can be overridden."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Section
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
