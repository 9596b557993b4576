"""The one writer of articles, sections and images: each change purges the cached pages
showing it.

Editors change articles and sections in the admin; these functions save the change and,
once it commits, drop from the HTTP cache exactly the pages that showed what changed
(``newsroom/http_cache.py``). What changes with the clock alone (a scheduled article's
publish time coming) needs no purge: it shows within the cache's lifetime.
"""

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from articles import images
from articles.markdown import referenced_image_ids
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article, Image, Section
from newsroom.http_cache import purge_on_commit

# Changing one of these moves an article into, out of or within the lists of articles.
LISTED_BY = {"status", "published_at", "section", "byline"}


def save_article(article: Article, *, changed_fields: Iterable[str], created: bool) -> None:
    """Save an editor's article. Its own pages and every list showing it are purged; the
    lists themselves when it enters, leaves or moves within them."""
    with transaction.atomic():
        article.save()
        # The pictures its body shows cannot be deleted while it does.
        article.body_images.set(
            Image.objects.filter(pk__in=referenced_image_ids(article.body)).values_list(
                "pk", flat=True
            )
        )
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
