"""Emails about comments (being written)."""

from comments.models import Comment


def comment_posted(comment: Comment) -> None:
    """Called by ``submit_comment`` after the comment is saved."""
