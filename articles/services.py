"""The one writer of articles and sections: each change purges the cached pages showing it.

Editors change articles and sections in the admin; these functions save the change and,
once it commits, drop from the HTTP cache exactly the pages that showed what changed
(``newsroom/http_cache.py``). What changes with the clock alone (a scheduled article's
publish time coming) needs no purge: it shows within the cache's lifetime.
"""

from collections.abc import Iterable

from django.db import transaction

from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Section, Tag
from newsroom.http_cache import SITE, purge_on_commit

# Changing one of these moves an article into, out of or within the lists of articles (the
# home, section, author and tag pages). Search results carry ARTICLE_INDEX: any change.
LISTED_BY = {"status", "published_at", "section", "byline", "tags"}


def save_article(article: Article, *, changed_fields: Iterable[str], created: bool) -> None:
    """Save an editor's article. Its own pages and every list showing it are purged; the
    lists themselves when it enters, leaves or moves within them."""
    with transaction.atomic():
        article.save()
        keys = {article.cache_key, ARTICLE_INDEX}
        if created or LISTED_BY & set(changed_fields):
            keys.add(ARTICLE_LISTS)
        purge_on_commit(keys)


def delete_articles(articles: Iterable[Article]) -> None:
    with transaction.atomic():
        articles = list(articles)
        keys = {article.cache_key for article in articles} | {ARTICLE_LISTS, ARTICLE_INDEX}
        for article in articles:
            article.delete()
        purge_on_commit(keys)


def save_section(section: Section) -> None:
    """A section's name shows on its articles and every list of them, its address in the
    sitemap, and both in the navigation of every page: every page is purged."""
    with transaction.atomic():
        section.save()
        purge_on_commit({SITE})


def delete_sections(sections: Iterable[Section]) -> None:
    """Sections still holding articles are protected (the database refuses); an empty one
    leaves the navigation of every page."""
    with transaction.atomic():
        for section in list(sections):
            section.delete()
        purge_on_commit({SITE})


def save_tag(tag: Tag) -> None:
    """A tag's name shows on its page, its feed and its articles' pages (each carries the
    tag's key); its address is in the sitemap."""
    with transaction.atomic():
        tag.save()
        purge_on_commit({tag.cache_key, ARTICLE_INDEX})


def delete_tags(tags: Iterable[Tag]) -> None:
    """Deleting a tag takes it off its articles: their pages, its own page and the sitemap."""
    with transaction.atomic():
        tags = list(tags)
        keys = {tag.cache_key for tag in tags} | {ARTICLE_INDEX}
        for tag in tags:
            tag.delete()
        purge_on_commit(keys)
