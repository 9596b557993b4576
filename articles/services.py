"""The one writer of articles and sections: each change purges the cached pages showing it.

Editors change articles and sections in the admin; these functions save the change and,
once it commits, drop from the HTTP cache exactly the pages that showed what changed
(``newsroom/http_cache.py``). What changes with the clock alone (a scheduled article's
publish time coming) needs no purge: it shows within the cache's lifetime.

Every save of an article or a section is also kept as a version (django-reversion), with
who saved it and why, so an editor can compare versions and restore one
(``restore_article``) in the admin.
"""

from collections.abc import Iterable

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext
from reversion.models import Version

from articles.history import RESTORED_FIELDS, kept_at
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Section
from newsroom.http_cache import purge_on_commit

# Changing one of these moves an article into, out of or within the lists of articles.
LISTED_BY = {"status", "published_at", "section", "byline"}


def save_article(
    article: Article,
    *,
    changed_fields: Iterable[str],
    created: bool,
    user: AbstractBaseUser | None = None,
    comment: str = "",
) -> None:
    """Save an editor's article, kept as a new version by ``user`` with ``comment``. Its own
    pages and every list showing it are purged; the lists themselves when it enters, leaves
    or moves within them."""
    changed_fields = set(changed_fields)
    with transaction.atomic(), reversion.create_revision():
        article.save()
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment or _describe(changed_fields, created))
        keys = {article.cache_key, ARTICLE_INDEX}
        if created or LISTED_BY & changed_fields:
            keys.add(ARTICLE_LISTS)
        purge_on_commit(keys)


def restore_article(version: Version, *, user: AbstractBaseUser) -> Article:
    """Bring back what an article said in ``version`` (an article deleted since comes back
    too): saved as a new version, the pages showing it purged. Raises ValidationError, and
    changes nothing, when it cannot be: its address is another article's now, or its section
    is gone."""
    saved = version.field_dict
    article = Article.objects.filter(pk=version.object_id).first()
    created = article is None
    if created:
        article = Article(pk=saved["id"])
    changed = []
    for name in RESTORED_FIELDS:
        attname = Article._meta.get_field(name).attname
        if attname in saved and getattr(article, attname) != saved[attname]:
            setattr(article, attname, saved[attname])
            changed.append(name)
    article.full_clean(exclude=["byline_slug", "created_at"])
    comment = gettext("Restored the version of %(when)s.") % {"when": kept_at(version)}
    save_article(article, changed_fields=changed, created=created, user=user, comment=comment)
    return article


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
    with transaction.atomic(), reversion.create_revision():
        section.save()
        purge_on_commit({section.cache_key, ARTICLE_INDEX})


def _describe(changed_fields: set[str], created: bool) -> str:
    """The version's comment when its writer gave none: what changed, in the form's words."""
    if created:
        return gettext("Created.")
    if not changed_fields:
        return gettext("Saved without changes.")
    labels = [
        str(field.verbose_name)
        for field in Article._meta.get_fields()
        if field.name in changed_fields and hasattr(field, "verbose_name")
    ]
    return gettext("Changed %(fields)s.") % {"fields": ", ".join(labels)}
