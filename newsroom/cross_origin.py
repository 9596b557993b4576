"""Refusing cross-site form posts without a per-reader token in the page.

A page that carries a CSRF token differs for every reader and so cannot be kept by a shared
cache. The reader's comment form therefore carries none; instead, as Go 1.25's
``CrossOriginProtection`` does, a POST is refused when the browser says it comes from
another site:

- ``Sec-Fetch-Site`` (every current browser sends it): only ``same-origin`` or ``none``
  (typed or bookmarked) may post;
- otherwise ``Origin`` (older browsers): its host must be this site's, or the origin one of
  ``CSRF_TRUSTED_ORIGINS``;
- a request with neither comes from no browser, so no other site can have forged it.

``same-site`` is refused too: a page on another subdomain is not this site. Everything that
acts for a signed-in person (the admin) keeps Django's CSRF tokens.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

ALLOWED_FETCH_SITES = {"same-origin", "none"}


def is_cross_origin(request: HttpRequest) -> bool:
    """Did a page on another site make the browser send this request?"""
    origin = request.headers.get("Origin")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.lower() not in ALLOWED_FETCH_SITES
    if origin is None:
        return False
    # "null" (a sandboxed frame, a data: page) has no host and never matches.
    return urlsplit(origin).netloc.lower() != request.get_host().lower()
