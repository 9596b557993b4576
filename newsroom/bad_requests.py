"""Request bodies a stranger sends: too large ones answer 413, unreadable ones 400.

Both from our own pages, with every header the site sends, before any view or other
middleware reads the body, and never a 500.

Django reads a POST body where it is first asked for. When it cannot (a form-urlencoded body
that declares a charset other than UTF-8, a multipart body without a valid boundary, too
many fields), it raises ``BadRequest``. Its own error views are wrapped in
``requires_csrf_token``, whose CSRF check asks for the body again: the 400 page fails the
same way, then the 500 page, and the server answers with its bare page and a long traceback
(issue 8). So this middleware, first in ``MIDDLEWARE``, reads the body before anything else
may, and when it cannot be read (or is too large to read) leaves the request with empty form
data, which nothing can fail on. The page that refuses it is returned from ``process_view``,
as a view's answer would be, so every other middleware adds its headers.

A comment is the largest thing a stranger sends: 10,000 characters of four-byte emoji,
percent-encoded as browsers send forms, are 120,000 bytes; the other fields add 9,000. Public
pages take twice that and refuse more with 413, without reading it. The admin takes up to
``NEWSROOM_ADMIN_MAX_BODY_SIZE``.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse

logger = logging.getLogger(__name__)

PUBLIC_MAX_BODY_SIZE = 256 * 1024
# What Django raises for a body it cannot parse: the client's mistake, never ours.
# (UnreadablePostError: the client went away before sending all it announced.)
UNREADABLE = (BadRequest, SuspiciousOperation, MultiPartParserError, UnreadablePostError)
TEMPLATES = {400: "400.html", 413: "413.html"}
URLENCODED = "application/x-www-form-urlencoded"


class RequestBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.refused_body = self._refusal(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.refused_body:
            status = request.refused_body
            return render(request, TEMPLATES[status], status=status)
        return None

    def _refusal(self, request: HttpRequest) -> int | None:
        """The status that refuses this request's body, or None when it is fine (and read)."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(request, 400, "Content-Length is not a number")
        if length > max_body_size(request):
            return self._refuse(request, 413, f"a body of {length} bytes")
        charset = request.content_params.get("charset", "utf-8")
        if (
            request.method == "POST"
            and request.content_type == URLENCODED
            and charset.lower() != "utf-8"
        ):
            # Django refuses the charsets it knows and reads the others as UTF-8; a form
            # in a charset we cannot name is no more readable.
            return self._refuse(request, 400, f"a form in charset {charset!r}")
        try:
            request.GET  # noqa: B018 (parsed now, where a failure is caught)
            request.POST  # noqa: B018 (and request.FILES with it)
        except RequestDataTooBig as error:
            return self._refuse(request, 413, error)
        except UNREADABLE as error:
            return self._refuse(request, 400, error)
        return None

    def _refuse(self, request: HttpRequest, status: int, reason) -> int:
        logger.info("Refused %s %s with %d: %s", request.method, request.path, status, reason)
        # Nothing after this reads the body, the error pages' own CSRF check included: its
        # form data is empty, as Django leaves it after a multipart body it could not parse.
        request.GET = QueryDict()
        request._mark_post_parse_error()
        return status


def max_body_size(request: HttpRequest) -> int:
    """The largest body, in bytes, that this request's address accepts."""
    if request.path.startswith(reverse("admin:index")):
        return settings.NEWSROOM_ADMIN_MAX_BODY_SIZE
    return PUBLIC_MAX_BODY_SIZE
