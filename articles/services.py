"""The one writer of articles and sections: each change purges the cached pages showing it.

Editors change articles and sections in the admin; these functions save the change and,
once it commits, drop from the HTTP cache exactly the pages that showed what changed
(``newsroom/http_cache.py``). What changes with the clock alone (a scheduled article's
publish time coming) needs no purge: it shows within the cache's lifetime.
"""

from collections.abc import Iterable

from django.db import transaction

from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Section
from newsroom.http_cache import purge_on_commit

# Changing one of these moves an article into, out of or within the lists of articles.
LISTED_BY = {"status", "published_at", "section", "byline"}


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
    """A section's name shows on its articles and every list of them; its address in the
    sitemap."""
    with transaction.atomic():
        section.save()
        purge_on_commit({section.cache_key, ARTICLE_INDEX})
