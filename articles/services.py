"""The one writer of articles, authors and sections: each change purges the cached pages
showing it.

Editors change articles, authors and sections in the admin; these functions save the change
and, once it commits, drop from the HTTP cache exactly the pages that showed what changed
(``newsroom/http_cache.py``). What changes with the clock alone (a scheduled article's
publish time coming) needs no purge: it shows within the cache's lifetime.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from articles import notifications
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Author, Section
from newsroom.http_cache import purge_on_commit

# Changing one of these moves an article into, out of or within the lists of articles.
LISTED_BY = {"status", "published_at", "section", "byline"}


def save_article(
    article: Article, *, changed_fields: Iterable[str], created: bool, by=None
) -> None:
    """Save an editor's article. Its own pages and every list showing it are purged; the
    lists themselves when it enters, leaves or moves within them. An article newly in
    review is mailed to the editors, saying who (``by``) submitted it.

    An article published with no publish time gets the moment it is saved: its first
    publication, not the moment its form was opened. A time an editor set is kept (a time
    to come schedules it), and so is the time of an article published before.
    """
    with transaction.atomic():
        if article.status == Article.Status.PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
        article.save()
        keys = {article.cache_key, ARTICLE_INDEX}
        if created or LISTED_BY & set(changed_fields):
            keys.add(ARTICLE_LISTS)
        purge_on_commit(keys)
        if article.status == Article.Status.REVIEW and (created or "status" in changed_fields):
            notifications.submitted_for_review(article, by)


def publish_now(articles: Iterable[Article]) -> int:
    """Publish each article at once: drafts, those in review and scheduled ones. An article
    published before and taken back keeps its first publish time. Returns how many changed."""
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for article in articles:
            if article.is_public:
                continue
            article.status = Article.Status.PUBLISHED
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            save_article(article, changed_fields=["status", "published_at"], created=False)
            changed += 1
    return changed


def unpublish(articles: Iterable[Article]) -> int:
    """Take published and scheduled articles back to draft. Returns how many changed."""
    changed = 0
    with transaction.atomic():
        for article in articles:
            if article.status != Article.Status.PUBLISHED:
                continue
            article.status = Article.Status.DRAFT
            save_article(article, changed_fields=["status"], created=False)
            changed += 1
    return changed


def delete_articles(articles: Iterable[Article]) -> None:
    with transaction.atomic():
        articles = list(articles)
        keys = {article.cache_key for article in articles} | {ARTICLE_LISTS, ARTICLE_INDEX}
        for article in articles:
            article.delete()
        purge_on_commit(keys)


def save_author(author: Author) -> None:
    """An author's name shows on their page, their articles and every list of them (which
    carry the author's key), and in the feed."""
    with transaction.atomic():
        author.save()
        purge_on_commit({author.cache_key, ARTICLE_INDEX})


def save_section(section: Section) -> None:
    """A section's name shows on its articles and every list of them; its address in the
    sitemap."""
    with transaction.atomic():
        section.save()
        purge_on_commit({section.cache_key, ARTICLE_INDEX})


def delete_authors(authors: Iterable[Author]) -> None:
    """Only an author with no articles can go (their articles protect them)."""
    with transaction.atomic():
        authors = list(authors)
        keys = {author.cache_key for author in authors}
        for author in authors:
            author.delete()
        purge_on_commit(keys)
