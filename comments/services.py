"""The multi-step writes of comments: taking one from a reader, moderating many."""

import ipaddress

from articles.models import Article
from comments import moderation
from comments.models import USER_AGENT_MAX_LENGTH, Comment


def submit_comment(*, article: Article, data: dict, request_meta: dict) -> Comment:
    """Store a comment from the form's cleaned ``data``; its status comes from the policy."""
    comment = Comment(
        article=article,
        parent=data.get("parent"),
        author_name=data["author"],
        author_email=data["email"],
        author_url=data.get("url", ""),
        text=data["comment"],
        ip_address=client_ip(request_meta),
        user_agent=request_meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
    )
    comment.status = moderation.initial_status(comment)
    comment.save()
    return comment


def client_ip(request_meta: dict) -> str | None:
    """The address the connection came from. Client-supplied headers are not trusted."""
    try:
        return str(ipaddress.ip_address(request_meta.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def change_status(comments, status: str) -> list[tuple[Comment, str]]:
    """Move ``comments`` to ``status``; return each one that changed with its old status.

    Only the status changes: parents and replies stay linked, so a thread comes back whole
    when a comment is restored.
    """
    changed = [(comment, comment.status) for comment in comments if comment.status != status]
    Comment.objects.filter(pk__in=[comment.pk for comment, _ in changed]).update(status=status)
    for comment, _ in changed:
        comment.status = status
    return changed
