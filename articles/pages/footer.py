"""The footer's list of pages: on every page of the site, so read from Django's cache, not
the database, and forgotten the moment an editor changes it (``articles/pages/services.py``)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import Error

from articles.pages.models import FooterLink

logger = logging.getLogger(__name__)

CACHE_KEY = "pages:footer"


def footer_pages() -> list[dict[str, str]]:
    """Title and address of each page in the footer, in the editors' order."""
    links = cache.get(CACHE_KEY)
    if links is None:
        try:
            links = [
                {"title": link.page.title, "url": link.page.get_absolute_url()}
                for link in FooterLink.objects.select_related("page").filter(
                    page__sites=settings.SITE_ID, page__registration_required=False
                )
            ]
        except Error:  # any failure: InterfaceError (connection closed) is no DatabaseError
            # The page saying the database failed (a comment kept for later) still shows.
            logger.exception("The footer's pages could not be read.")
            return []
        # A process that missed the change (memory caches are per process; Redis is shared)
        # catches up within the HTTP cache's own lifetime.
        cache.set(CACHE_KEY, links, settings.NEWSROOM_CACHE_SECONDS)
    return links


def forget_footer() -> None:
    cache.delete(CACHE_KEY)
