"""schema.org NewsArticle data for search engines, as a JSON-LD block."""

import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

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
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": article.byline,
                "url": request.build_absolute_uri(article.get_author_url()),
            }
        ],
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
    if article.dateline:
        data["dateline"] = article.dateline
    if keywords := [tag.name for tag in article.tags.all()]:
        data["keywords"] = keywords
    return data


def json_ld(data: dict) -> SafeString:
    payload = mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308
    return format_html('<script type="application/ld+json">{}</script>', payload)
