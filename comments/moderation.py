"""Newsroom's one moderation policy.

Every rule about whether a comment may be posted, and which status it starts in, lives here
(the shape of django-contrib-comments' ``CommentModerator``): views, forms and templates ask
this module and never decide on their own.
"""

from django.conf import settings

from articles.models import Article
from comments.models import Comment


def comments_open(article: Article) -> bool:
    """May readers comment on this article right now?"""
    return article.comments_open and article.is_public


def max_thread_depth() -> int:
    """How deep replies nest; a comment at this depth gets no Reply link."""
    return settings.NEWSROOM_COMMENT_THREAD_DEPTH


def initial_status(comment: Comment) -> str:
    """The status a newly posted comment starts in: it waits until an editor approves it."""
    return Comment.Status.PENDING
