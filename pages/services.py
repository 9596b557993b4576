"""The one writer of pages: each change purges, once it commits, the cached pages showing it.

A page's own address shows its title and text; the sitemap lists its address; the footer of
every page of the site lists the pages chosen for it. So a change to the text purges the
page alone; a new, renamed, moved or deleted page, or a change to the footer, purges the
whole site (``SITE``: every public page carries it).
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import transaction

from newsroom.http_cache import SITE, purge_on_commit
from pages.footer import forget_footer
from pages.models import PAGE_INDEX, FooterLink, page_cache_key

# What the footer and the sitemap show of a page.
LISTED_BY = {"url", "title"}


def save_page(
    page: FlatPage,
    *,
    changed_fields: Iterable[str],
    created: bool,
    footer_position: int | None,
) -> None:
    """Save an editor's page for this site; ``footer_position`` None keeps it out of the
    footer."""
    with transaction.atomic():
        page.save()
        page.sites.set([settings.SITE_ID])
        footer_changed = _place_in_footer(page, footer_position)
        keys = {page_cache_key(page.pk), PAGE_INDEX}
        if created or footer_changed or LISTED_BY & set(changed_fields):
            keys.add(SITE)
            transaction.on_commit(forget_footer)
        purge_on_commit(keys)


def delete_pages(pages: Iterable[FlatPage]) -> None:
    with transaction.atomic():
        for page in pages:
            page.delete()
        transaction.on_commit(forget_footer)
        purge_on_commit({SITE})


def _place_in_footer(page: FlatPage, position: int | None) -> bool:
    """Put the page in the footer at ``position``, or take it out; did the footer change?"""
    link = FooterLink.objects.filter(page=page).first()
    if position is None:
        if link is None:
            return False
        link.delete()
        return True
    if link is not None and link.position == position:
        return False
    FooterLink.objects.update_or_create(page=page, defaults={"position": position})
    return True
