"""The HTTP cache in front of the site: who may keep a page, and telling it what changed.

A view whose page is the same for every reader says so with ``public_page()``, naming what
the page shows as surrogate keys (``article-12``, ``section-3``…). The middleware then
decides, in this one place, who may keep it:

- an anonymous reader's request (no session cookie) gets ``Cache-Control: public,
  max-age=0, s-maxage=…, stale-while-revalidate=…``, the keys in ``Surrogate-Key``, and
  neither ``Set-Cookie`` nor ``Vary: Cookie``: a shared cache (Varnish, a CDN) keeps one copy
  for everyone, browsers ask again each time;
- everyone with a session (a commenter's pending comment or saved details, every editor),
  and every response that sets a cookie, gets ``private, no-store``: nobody keeps it. Every
  response private or ``no-store`` (these, the admin's, a form returned with its errors) also
  gets ``X-Robots-Tag: noindex``: a person's own page is never listed by a search engine.

When something readers see changes, the service that changed it calls
``purge_on_commit(keys)``: once the transaction commits, every cache in
``NEWSROOM_CACHE_PURGE_URLS`` drops exactly the pages carrying those keys (Varnish's xkey,
``deploy/varnish/newsroom.vcl``). A purge that fails is logged; it never fails the change.
"""

import logging
import re
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from functools import partial, wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

SURROGATE_KEY = "Surrogate-Key"
# Every public page carries it: purging it empties the cache.
SITE = "site"
SHAREABLE_METHODS = {"GET", "HEAD"}
# A response with either is one person's page: no cache keeps it, no search engine lists it.
PERSONAL = {"private", "no-store"}
# Between the parts of Cache-Control and Vary (Django 6 no longer exports its own).
COMMA = re.compile(r"\s*,\s*")


def public_page(response: HttpResponse, keys: Iterable[str]) -> HttpResponse:
    """Mark ``response`` as the same for every reader, showing what ``keys`` name."""
    response[SURROGATE_KEY] = " ".join(sorted({SITE, *keys}))
    return response


def public(keys: Iterable[str] | Callable[..., Iterable[str]] = ()):
    """``public_page()`` for a function view (or a feed); ``keys`` may be a function of the
    view's arguments."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            return public_page(response, keys(request, *args, **kwargs) if callable(keys) else keys)

        return wrapped

    return decorator


def has_session_cookie(request: HttpRequest) -> bool:
    """Does this browser carry a session: a commenter's own comments or details, an editor?"""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SharedCacheMiddleware:
    """Gives each response its caching headers; views only say which pages are public."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if SURROGATE_KEY in response and _shareable(request, response):
            seconds = settings.NEWSROOM_CACHE_SECONDS
            # Served stale for the last sixth while one request fetches it again: a popular
            # page never makes its readers wait, and nothing is older than ``seconds``.
            grace = seconds // 6
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=seconds - grace,
                stale_while_revalidate=grace,
            )
            _drop_vary_cookie(response)
        else:
            if SURROGATE_KEY in response:
                del response[SURROGATE_KEY]
            if has_session_cookie(request) or response.cookies:
                patch_cache_control(response, private=True, no_store=True)
            if _cache_control(response) & PERSONAL:
                response.headers.setdefault("X-Robots-Tag", "noindex")
        return response


def _cache_control(response: HttpResponse) -> set[str]:
    """The directives of the response's Cache-Control, without their values."""
    return {
        part.split("=")[0].strip().lower()
        for part in COMMA.split(response.get("Cache-Control", ""))
    }


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method in SHAREABLE_METHODS
        and response.status_code == 200
        and not has_session_cookie(request)
        and not response.cookies
        and not _cache_control(response) & {*PERSONAL, "no-cache"}
    )


def _drop_vary_cookie(response: HttpResponse) -> None:
    # The request had no session cookie and the response sets none: the page is the same
    # whatever other cookies (analytics, say) a browser sends.
    if response.has_header("Vary"):
        kept = [v for v in COMMA.split(response["Vary"]) if v.lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]


def purge_on_commit(keys: Iterable[str]) -> None:
    """Once the current transaction commits, drop the cached pages carrying ``keys``."""
    keys = frozenset(keys)
    if keys:
        transaction.on_commit(partial(purge, keys))


def purge(keys: Iterable[str]) -> None:
    """Ask each cache to drop the pages carrying ``keys`` now. Failures are logged only."""
    header = " ".join(sorted(keys))
    for base in settings.NEWSROOM_CACHE_PURGE_URLS:
        url = urllib.parse.urljoin(base, "/")
        request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": header})  # noqa: S310
        try:
            with urllib.request.urlopen(  # noqa: S310 (the URL is the site's own setting)
                request, timeout=settings.NEWSROOM_CACHE_PURGE_TIMEOUT
            ) as answer:
                answer.read()
        except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
            logger.error("Could not purge %r from the cache at %s: %s", header, url, error)
