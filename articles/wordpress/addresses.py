"""A WordPress site's old addresses, sent on to where each imported thing lives now.

An imported site's links live on in search engines, other sites and readers' bookmarks.
Each ``Imported`` row keeps its item's old path; this module answers that path, WordPress's
variants of it (``feed/``, ``comment-page-2/``, ``amp/``, a resized copy of a picture) and
its query addresses (``/?p=27``, ``/?cat=4``…) with the address of what the item became.
The answer is looked up when asked, never stored: a slug changed since the import is
followed, and an article no longer public is not revealed (the old address stays a 404).

Paths are compared decoded, as Django gives ``request.path`` and as the importer stores
``old_path``: an old link percent-encoded in lower case (``/2023/05/19/%d0%ba…/``) finds
its article. Where two imported sites share an address or an id, the newest import wins.
"""

import re
from enum import Enum

from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from articles.models import Article, Author, BodyImage, Image, Section, Tag
from articles.pages.models import public_pages
from articles.wordpress.models import ExportedSite, Imported
from articles.wordpress.uploads import original_name

Kind = Imported.Kind

# WordPress's query variables naming an item by its id, and the kind of item each names.
QUERY_IDS = {
    "p": Kind.POST,
    "page_id": Kind.PAGE,
    "attachment_id": Kind.ATTACHMENT,
    "cat": Kind.CATEGORY,
    "author": Kind.AUTHOR,
}
# ?tag= names a tag by its slug; ?feed= asks for the feed of whatever the others name.
QUERY_VARIABLES = frozenset({*QUERY_IDS, "tag", "feed"})
# The feeds WordPress answers under an item's address or the site's: feed/, feed/atom/…
ITEM_FEED = re.compile(r"feed/(?:(?:rss2|rss|atom|rdf)/)?$")
# The site's feeds at its home, WordPress's old names for them, and its comments feed.
SITE_FEED = re.compile(r"(?:(?:comments/)?feed/(?:(?:rss2|rss|atom|rdf)/)?|(?:rss2?|atom|rdf)/)$")


class Variant(Enum):
    """Which address of an item was asked for."""

    ITEM = "item"  # its own address
    FEED = "feed"  # its feed
    # An address below a post's: comment-page-2/, amp/, a page of it (2/), the page of one
    # of its pictures (photo-1/). All show the article.
    BELOW = "below"
    RESIZED = "resized"  # a resized copy of a picture
    PICTURE_PAGE = "picture page"  # the page WordPress showed a picture on: /?attachment_id=


# What a category and a tag became (a section, a tag), and the name of its feed's address.
TERM_PAGES = {
    Kind.CATEGORY: (Section, "articles:section_feed"),
    Kind.TAG: (Tag, "articles:tag_feed"),
}
# The newest import wins where two sites share an address or an id.
NEWEST = ("-imported_at", "-pk")
# Which addresses each kind of item answers.
ACCEPTED = {
    Kind.POST: {Variant.ITEM, Variant.FEED, Variant.BELOW},
    Kind.PAGE: {Variant.ITEM},
    Kind.ATTACHMENT: {Variant.ITEM, Variant.RESIZED},
    Kind.AUTHOR: {Variant.ITEM, Variant.FEED},
    Kind.CATEGORY: {Variant.ITEM, Variant.FEED},
    Kind.TAG: {Variant.ITEM, Variant.FEED},
}


def asks_by_query(query: QueryDict) -> bool:
    """Does this home-page request name an old item in WordPress's query form (``/?p=27``)?
    Cheap, and false for the home page's own queries (``?page=2``), which stay untouched."""
    return not QUERY_VARIABLES.isdisjoint(query)


def location_for_query(query: QueryDict, home: str) -> str | None:
    """Where ``home?p=27`` (or ``?cat=4&feed=rss2``…) lives now, or None. ``home`` is the
    path the query was asked at: "/", or a sub-folder where the old site was installed."""
    variant = Variant.FEED if "feed" in query else Variant.ITEM
    for name, kind in QUERY_IDS.items():
        wp_id = query.get(name, "")
        if wp_id.isascii() and wp_id.isdigit():
            row = Imported.objects.filter(kind=kind, wp_id=int(wp_id)).order_by(*NEWEST).first()
            if row is None:
                return None
            if kind == Kind.ATTACHMENT and variant is Variant.ITEM:
                return _location(row, Variant.PICTURE_PAGE)
            return _location(row, variant)
    if slug := query.get("tag"):
        return location_for_path(f"{home}tag/{slug}/{'feed/' if 'feed' in query else ''}")
    if "feed" in query:
        return reverse("articles:feed")
    return None


def location_for_path(path: str) -> str | None:
    """Where the old address ``path`` (a decoded request path) lives now, or None."""
    candidates = {path: Variant.ITEM}
    if feed := ITEM_FEED.search(path):
        candidates.setdefault(path[: feed.start()], Variant.FEED)
    elif path.endswith("/") and path.count("/") > 2:
        candidates.setdefault(path[: path.rstrip("/").rindex("/") + 1], Variant.BELOW)
    if original_name(path) != path:
        candidates.setdefault(original_name(path), Variant.RESIZED)
    rows = Imported.objects.filter(old_path__in=candidates).order_by(*NEWEST)
    found = {}
    for row in rows:
        if candidates[row.old_path] in ACCEPTED[row.kind]:
            found.setdefault(candidates[row.old_path], row)
    # The address itself first: a post's picture page never hides a page of its own.
    for variant in Variant:
        if variant in found:
            return _location(found[variant], variant)
    if _is_site_feed(path):
        return reverse("articles:feed")
    return None


def _is_site_feed(path: str) -> bool:
    """``/feed/atom/``, ``/rss/``, ``/comments/feed/``… at the home of an imported site:
    "/" (``/feed/`` itself is our feed's own address), or the sub-folder it was installed in."""
    feed = SITE_FEED.search(path)
    if feed is None:
        return False
    home = path[: feed.start()]
    if home == "/":
        return True
    return home.startswith("/") and any(
        home == _home_of(site) for site in ExportedSite.objects.only("base_url")
    )


def _home_of(site: ExportedSite) -> str:
    """The path of a site's address: "/" for https://example.com, "/blog/" for …/blog."""
    path = site.base_url.split("://", 1)[-1].partition("/")[2].strip("/")
    return f"/{path}/" if path else "/"


def _location(row: Imported, variant: Variant) -> str | None:
    """The address now of what ``row`` became, asked for as ``variant``; None if it is gone
    or not for readers' eyes."""
    match row.kind:
        case Kind.POST:
            article = _public_article(Q(pk=row.object_id))
            if article is None:
                return None
            if variant is Variant.FEED:
                return reverse("comments:feed", kwargs={"slug": article.slug})
            return article.get_absolute_url()
        case Kind.PAGE:
            page = public_pages().filter(pk=row.object_id).first()
            return page.get_absolute_url() if page else None
        case Kind.ATTACHMENT:
            return _picture_location(row.object_id, variant)
        case Kind.AUTHOR:
            if variant is Variant.FEED:  # authors have no feed of their own
                return reverse("articles:feed")
            author = Author.objects.filter(pk=row.object_id).only("slug").first()
            return author.get_absolute_url() if author else None
        case Kind.CATEGORY | Kind.TAG:
            model, feed = TERM_PAGES[row.kind]
            term = model.objects.filter(pk=row.object_id).only("slug").first()
            if term is None:
                return None
            if variant is Variant.FEED:
                return reverse(feed, kwargs={"slug": term.slug})
            return term.get_absolute_url()
    return None


def _public_article(condition: Q) -> Article | None:
    return Article.objects.published().filter(condition).only("slug").first()


def _picture_location(image_id: int, variant: Variant) -> str | None:
    """A picture's file: the original for its original's address, a middle-sized copy for
    one of WordPress's resized copies. Its page (``/?attachment_id=26``), where WordPress
    showed it in its post, is the newest public article showing it, if any."""
    if variant is Variant.PICTURE_PAGE:
        article = _public_article(
            Q(featured_image_id=image_id)
            | Q(pk__in=BodyImage.objects.filter(image_id=image_id).values("article_id"))
        )
        if article is not None:
            return article.get_absolute_url()
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return None
    if variant is Variant.RESIZED:
        return image.picture.fallback_url
    return image.file.url
