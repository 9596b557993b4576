"""schema.org NewsArticle data for search engines, as a JSON-LD block."""

import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.markdown import plain_text
from articles.models import Article, Author

# As json_script does: nothing in the data can close the <script> element.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def news_article(article: Article, request: HttpRequest, comment_count: int) -> dict:
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "dateModified": article.updated_at.isoformat(),
        "author": [person(article.byline, request)],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": request.build_absolute_uri(reverse("articles:list")),
        },
        "articleSection": article.section.name,
        "commentCount": comment_count,
        "inLanguage": "en",
        "isAccessibleForFree": True,
    }
    if article.published_at is not None:  # a draft's preview has none yet
        data["datePublished"] = article.published_at.isoformat()
    if article.dateline:
        data["dateline"] = article.dateline
    image = share_image(article, request)
    if image:
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": image["url"],
                "width": image["width"],
                "height": image["height"],
                "caption": image["caption"] or image["alt"],
                "creditText": image["credit"],
            }
        ]
    if keywords := [tag.name for tag in article.tags.all()]:
        data["keywords"] = keywords
    return data


def person(author: Author, request: HttpRequest) -> dict:
    return {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
    }


def profile_page(author: Author, request: HttpRequest) -> dict:
    """An author page: schema.org's ProfilePage about a Person."""
    about = person(author, request)
    if author.bio:
        about["description"] = plain_text(author.bio_html)
    if author.photo is not None:
        about["image"] = request.build_absolute_uri(author.photo.picture.share_url)
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": about["url"],
        "mainEntity": about,
        "inLanguage": "en",
    }


def share_image(article: Article, request: HttpRequest) -> dict | None:
    """The featured image as shared (og:image, twitter:image, JSON-LD): an absolute URL to
    its JPEG 1200 pixels wide (or its largest), with its size and words."""
    if article.featured_image is None:
        return None
    picture = article.featured_image.picture
    return {
        "url": request.build_absolute_uri(picture.share_url),
        "width": picture.share_width,
        "height": picture.share_height,
        "alt": picture.alt_text,
        "caption": picture.caption,
        "credit": picture.credit,
    }


def json_ld(data: dict) -> SafeString:
    payload = mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308
    return format_html('<script type="application/ld+json">{}</script>', payload)
