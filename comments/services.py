"""The multi-step writes of comments: taking one from a reader, moderating many."""

import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from comments import moderation, notifications
from comments.models import USER_AGENT_MAX_LENGTH, Comment, DiscussionSettings

OUT_OF_SIGHT = {Comment.Status.SPAM, Comment.Status.TRASH}


class DuplicateComment(Exception):
    """The same person said the same thing in the same place already."""


def submit_comment(
    *, article: Article, data: dict, request_meta: dict, discussion: DiscussionSettings
) -> Comment:
    """Store a comment from the form's cleaned ``data``; its status comes from the policy.

    Raises DuplicateComment (nothing stored) when it repeats a comment that is not in the
    trash, even when two identical posts arrive at the same moment.
    """
    comment = Comment(
        article=article,
        parent=data.get("parent"),
        author_name=data["author"],
        author_email=data["email"],
        author_url=data.get("url", ""),
        text=data["comment"],
        ip_address=client_ip(request_meta),
        user_agent=printable(request_meta.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX_LENGTH],
    )
    comment.content_hash = comment.compute_content_hash()
    duplicates = Comment.objects.exclude(status=Comment.Status.TRASH)
    if duplicates.filter(content_hash=comment.content_hash).exists():
        raise DuplicateComment
    comment.status = moderation.initial_status(comment, discussion)
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError as error:  # an identical post won the race
        if duplicates.filter(content_hash=comment.content_hash).exists():
            raise DuplicateComment from error
        raise
    notifications.comment_posted(comment)
    return comment


def printable(header: str) -> str:
    """A header value without control characters (a NUL cannot even be stored on PostgreSQL)."""
    return "".join(char for char in header if char.isprintable())


def client_ip(request_meta: dict) -> str | None:
    """The client's address, as the configured proxies report it.

    With NEWSROOM_TRUSTED_PROXIES = 0 (the default) it is the connection's address and a
    client-supplied X-Forwarded-For is ignored. With N proxies of ours in front, it is the
    N-th address from the right of X-Forwarded-For: the one our outermost proxy saw.
    """
    candidate = request_meta.get("REMOTE_ADDR", "")
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request_meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and forwarded:
        candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def change_status(comments, status: str) -> list[tuple[Comment, str]]:
    """Move ``comments`` to ``status``; return each one that changed with its old status.

    Only the status changes: parents and replies stay linked, so a thread comes back whole
    when a comment is restored. Spam and trash remember the status they came from.
    """
    changed = []
    now = timezone.now()
    for comment in comments:
        if comment.status == status:
            continue
        old = comment.status
        if status in OUT_OF_SIGHT and old not in OUT_OF_SIGHT:
            comment.previous_status = old
        comment.status, comment.status_changed_at = status, now
        comment.save(update_fields=["status", "previous_status", "status_changed_at"])
        changed.append((comment, old))
    return changed


def restore(comments, from_status: str) -> list[tuple[Comment, str]]:
    """Bring comments out of spam or the trash, back to the status they had (or pending)."""
    changed = []
    for comment in comments:
        if comment.status != from_status:
            continue
        back_to = comment.previous_status or Comment.Status.PENDING
        changed += change_status([comment], back_to)
    return changed
