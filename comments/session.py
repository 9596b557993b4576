"""What a commenter's own browser remembers, kept server-side in the session.

The session cookie carries only a random key: a reader's email never travels in a cookie.
A session exists only for people who have commented (or signed in), so every other reader's
page stays free of personal data.
"""

from datetime import timedelta

from django.http import HttpRequest

from comments.models import Comment

PENDING_KEY = "comments.pending"
DETAILS_KEY = "comments.commenter"
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


def _has_session(request: HttpRequest) -> bool:
    # Reading an empty session would only add "Vary: Cookie" for readers who never commented.
    # A session written in this request (the first comment) has no key yet, but counts.
    return hasattr(request, "session") and (
        bool(request.session.session_key) or request.session.modified
    )
