"""The one writer of articles, authors, sections and images: each change purges the cached
pages showing it.

Editors change articles, authors, sections and images in the admin; these functions save the change
and, once it commits, drop from the HTTP cache exactly the pages that showed what changed
(``newsroom/http_cache.py``). What changes with the clock alone (a scheduled article's
publish time coming) needs no purge: it shows within the cache's lifetime.

Every save of an article or a section is also kept as a version (django-reversion), with
who saved it and why, so an editor can compare versions and restore one
(``restore_article``) in the admin.
"""

from collections.abc import Iterable
from functools import partial

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from reversion.models import Version

from articles import images, notifications
from articles.history import RESTORED_FIELDS, kept_at
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Author, Image, Section, Tag
from newsroom.http_cache import SITE, purge_on_commit

# Changing one of these moves an article into, out of or within the lists of articles (the
# home, section, author and tag pages). Search results carry ARTICLE_INDEX: any change.
LISTED_BY = {"status", "published_at", "section", "byline", "tags", "featured"}


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
    or moves within them. An article newly in review is mailed to the editors, saying who
    (``user``) submitted it.

    An article published with no publish time gets the moment it is saved: its first
    publication, not the moment its form was opened. A time an editor set is kept (a time
    to come schedules it), and so is the time of an article published before.
    """
    changed_fields = set(changed_fields)
    with transaction.atomic(), reversion.create_revision():
        if article.status == Article.Status.PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
        article.save()
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment or _describe(changed_fields, created))
        # The pictures its body shows cannot be deleted while it does.
        article.body_images.set(
            Image.objects.filter(pk__in=article.referenced_image_ids).values_list("pk", flat=True)
        )
        keys = {article.cache_key, ARTICLE_INDEX}
        if created or LISTED_BY & changed_fields:
            keys.add(ARTICLE_LISTS)
        purge_on_commit(keys)
        if article.status == Article.Status.REVIEW and (created or "status" in changed_fields):
            notifications.submitted_for_review(article, user)


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


# What only those who may publish change (articles.publish_article): whether and when
# readers see an article.
PUBLICATION_FIELDS = {"status", "published_at", "featured"}


def restore_article(
    version: Version, *, user: AbstractBaseUser, may_publish: bool = True
) -> Article:
    """Bring back what an article said in ``version`` (an article deleted since comes back
    too): saved as a new version, the pages showing it purged. Without ``may_publish`` (a
    contributor) its status and publish time stay as they are. Raises ValidationError, and
    changes nothing, when it cannot be: its address is another article's now, or its section
    is gone."""
    saved = version.field_dict
    article = Article.objects.filter(pk=version.object_id).first()
    created = article is None
    if created:
        article = Article(pk=saved["id"])
    restored = (
        RESTORED_FIELDS
        if may_publish
        else [name for name in RESTORED_FIELDS if name not in PUBLICATION_FIELDS]
    )
    changed = []
    for name in restored:
        attname = Article._meta.get_field(name).attname
        if attname in saved and getattr(article, attname) != saved[attname]:
            setattr(article, attname, saved[attname])
            changed.append(name)
    article.full_clean(exclude=["created_at"])
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


def save_author(author: Author) -> None:
    """An author's name shows on their page, their articles and every list of them (which
    carry the author's key), and in the feed."""
    with transaction.atomic():
        author.save()
        purge_on_commit({author.cache_key, ARTICLE_INDEX})


def save_section(section: Section) -> None:
    """A section's name shows on its articles and every list of them, its address in the
    sitemap, and both in the navigation of every page: every page is purged."""
    with transaction.atomic(), reversion.create_revision():
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


def delete_authors(authors: Iterable[Author]) -> None:
    """Only an author with no articles can go (their articles protect them)."""
    with transaction.atomic():
        authors = list(authors)
        keys = {author.cache_key for author in authors}
        for author in authors:
            author.delete()
        purge_on_commit(keys)


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


def save_image(image: Image, *, changed_fields: Iterable[str], uploaded_by=None) -> None:
    """Save a library image an editor uploaded or described (its file already checked by
    ``images.check_upload``). A new file is stored without its EXIF data, with its
    renditions; the old one's files go once the change commits. Every page showing the
    image is purged (the feed too: bodies show their pictures)."""
    created = image.pk is None
    new_file = created or "file" in set(changed_fields)
    with transaction.atomic():
        if new_file:
            old = None if created else Image.objects.get(pk=image.pk)
            image.file = images.clean_original(image.file)
            if created:
                image.uploaded_by = uploaded_by
        image.save()
        if new_file:
            images.make_renditions(image.file.name)
            if old is not None and old.file.name != image.file.name:
                transaction.on_commit(partial(images.delete_files, old.file.name, old.width))
        purge_on_commit({image.cache_key, ARTICLE_INDEX})


def delete_images(to_delete: Iterable[Image]) -> None:
    """Delete library images and, once that commits, their files. An image an article shows
    (featured or in its body) is protected: ``ProtectedError``, and nothing is deleted."""
    with transaction.atomic():
        to_delete = list(to_delete)
        keys = {image.cache_key for image in to_delete} | {ARTICLE_INDEX}
        for image in to_delete:
            image.delete()
            transaction.on_commit(partial(images.delete_files, image.file.name, image.width))
        purge_on_commit(keys)
