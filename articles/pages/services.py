"""The one writer of pages: each change purges, once it commits, the cached pages showing it.

A page shows on its own address, in the sitemap, and (when chosen for it) in the footer of
every page of the site. Pages change seldom, so any change purges the whole site (``SITE``:
every public page carries it) and the footer is read again: no edit, restore (django-
reversion's own page writes the old row before the form saves it) or deletion can leave a
stale footer behind.

Every save is kept as a version (django-reversion), with who saved it and why.
"""

from collections.abc import Iterable

import reversion
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.flatpages.models import FlatPage
from django.db import transaction

from articles.pages.footer import forget_footer
from articles.pages.models import PAGE_INDEX, FooterLink, page_cache_key
from newsroom.http_cache import SITE, purge_on_commit


def save_page(
    page: FlatPage,
    *,
    footer_position: int | None,
    user: AbstractBaseUser | None = None,
    comment: str = "",
) -> None:
    """Save an editor's page for this site, kept as a version by ``user`` with ``comment``;
    ``footer_position`` None keeps it out of the footer."""
    with transaction.atomic(), reversion.create_revision():
        page.save()
        page.sites.set([settings.SITE_ID])
        _place_in_footer(page, footer_position)
        if user is not None:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        transaction.on_commit(forget_footer)
        purge_on_commit({SITE, page_cache_key(page.pk), PAGE_INDEX})


def delete_pages(pages: Iterable[FlatPage]) -> None:
    with transaction.atomic():
        for page in pages:
            page.delete()
        transaction.on_commit(forget_footer)
        purge_on_commit({SITE})


def _place_in_footer(page: FlatPage, position: int | None) -> None:
    """Put the page in the footer at ``position``, or take it out."""
    if position is None:
        FooterLink.objects.filter(page=page).delete()
    else:
        FooterLink.objects.update_or_create(page=page, defaults={"position": position})
