"""What a commenter's own browser remembers, kept server-side in the session.

The session cookie carries only a random key: a reader's email never travels in a cookie.
A session exists only for people who have commented (or signed in), so every other reader's
page stays free of personal data.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from comments import moderation
from comments.models import Comment

logger = logging.getLogger(__name__)

PENDING_KEY = "comments.pending"
DETAILS_KEY = "comments.commenter"
FOLLOW_UP_KEY = "comments.follow_up_asked"
PENDING_REMEMBERED = 50
DETAILS_LIFETIME = timedelta(days=365)


def own_comment_ids(request: HttpRequest) -> list[int]:
    """The comments this browser posted that may still be awaiting moderation."""
    if not _has_session(request):
        return []
    return list(request.session.get(PENDING_KEY, []))


def saved_details(request: HttpRequest) -> dict[str, str]:
    """Name, email and website saved with the reader's consent, for prefilling the form."""
    if not _has_session(request):
        return {}
    return dict(request.session.get(DETAILS_KEY, {}))


def signed_in_editor(request: HttpRequest):
    """The moderator signed in on this browser, if any (``moderation.is_moderator``): their
    comments are theirs, published at once with the Staff badge. A reader without a session
    is not asked, so their page stays free of ``Vary: Cookie``."""
    if not _has_session(request) or not hasattr(request, "user"):
        return None
    user = request.user
    return user if user.is_authenticated and moderation.is_moderator(user) else None


def remember_comment(request: HttpRequest, comment: Comment, *, save_details: bool) -> None:
    ids = [*own_comment_ids(request), comment.pk][-PENDING_REMEMBERED:]
    request.session[PENDING_KEY] = ids
    if save_details:
        request.session[DETAILS_KEY] = {
            "author": comment.author_name,
            "email": comment.author_email,
            "url": comment.author_url,
        }
        request.session.set_expiry(DETAILS_LIFETIME)
    elif DETAILS_KEY in request.session:
        # No consent this time: forget what was saved before.
        del request.session[DETAILS_KEY]
        request.session.set_expiry(None)


def remember_follow_up_asked(request: HttpRequest, email: str) -> None:
    """A confirmation link for follow-up emails went to ``email`` (or, "", none did, with
    this comment): the next page says so."""
    if email:
        request.session[FOLLOW_UP_KEY] = email
    else:
        request.session.pop(FOLLOW_UP_KEY, None)


def follow_up_asked(request: HttpRequest) -> str:
    """The address a confirmation link was just sent to, said once; "" if none."""
    if not _has_session(request):
        return ""
    return request.session.pop(FOLLOW_UP_KEY, "")


def _has_session(request: HttpRequest) -> bool:
    # Reading an empty session would only add "Vary: Cookie" for readers who never commented.
    # A session written in this request (the first comment) has no key yet, but counts.
    return hasattr(request, "session") and (
        bool(request.session.session_key) or request.session.modified
    )


def forget_commenter(email: str, comment_ids: Iterable[int]) -> None:
    """After their data is erased, no browser remembers the commenter: every session that
    saved details with ``email`` (in any case) forgets them, and every session forgets that
    it posted the erased comments.

    The details live only in sessions (no cookie of ours holds them), so this reaches all of
    them, for session engines that keep sessions in the database: ``db`` (the project's) and
    ``cached_db`` (its cached copy is rewritten too). Sessions kept only in a cache or in a
    signed cookie cannot be listed; with those engines this logs a warning and changes nothing.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        logger.warning(
            "Erased commenter's saved details not removed from sessions: the session engine "
            "%s cannot list its sessions.",
            settings.SESSION_ENGINE,
        )
        return
    email, erased = email.strip().casefold(), set(comment_ids)
    sessions = (
        store_class.get_model_class()
        .objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
    )
    decoder = store_class()
    for key, data in sessions.iterator(chunk_size=500):
        decoded = decoder.decode(data)
        details = decoded.get(DETAILS_KEY) or {}
        saved_email = str(details.get("email", "")).strip().casefold() == email
        posted_erased = bool(erased.intersection(decoded.get(PENDING_KEY) or []))
        if not (saved_email or posted_erased):
            continue
        store = store_class(session_key=key)
        if saved_email:
            del store[DETAILS_KEY]
            store.set_expiry(None)  # no longer kept a year for the details' sake
        if posted_erased:
            store[PENDING_KEY] = [pk for pk in store[PENDING_KEY] if pk not in erased]
        store.save()
