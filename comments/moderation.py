"""Newsroom's one moderation policy.

Every rule about whether a comment may be posted, and which status it starts in, lives here
(the shape of django-contrib-comments' ``CommentModerator``): views, forms and templates ask
this module and never decide on their own. The rules themselves are the editors'
``DiscussionSettings``, read fresh for every request.
"""

import re
from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache

from django.utils import timezone

from articles.models import Article
from comments import spam
from comments.models import Comment, DiscussionSettings

# Web addresses in a comment's text, linked or bare.
LINK = re.compile(r"https?://|\bwww\.|<a\s", re.IGNORECASE)


def rules() -> DiscussionSettings:
    return DiscussionSettings.load()


def comments_open(article: Article, discussion: DiscussionSettings) -> bool:
    """May readers comment on this article right now?"""
    if article.comment_mode == Article.CommentMode.CLOSED or not article.is_public:
        return False
    days = article.comments_close_after_days
    if days is None:
        days = discussion.close_after_days if discussion.close_old_articles else 0
    return not days or timezone.now() < article.published_at + timedelta(days=days)


def is_moderator(user) -> bool:
    """Moderators are never throttled (as in WordPress)."""
    return user.is_active and user.has_perm("comments.change_comment")


def initial_status(comment: Comment, discussion: DiscussionSettings) -> str:
    """The status a newly posted comment starts in.

    An editor's own comment (``Comment.user``, set only for a moderator signed in) is
    published at once: the words and spam rules are there to hold strangers' comments for
    an editor, who would only be asked to approve their own.
    """
    if comment.by_staff:
        return Comment.Status.APPROVED
    fields = [
        comment.author_name,
        comment.author_email,
        comment.author_url,
        comment.text,
        comment.ip_address or "",
        comment.user_agent,
    ]
    if contains_any(discussion.disallowed_words, fields):
        return Comment.Status.SPAM
    if discussion.max_links and count_links(comment.text) >= discussion.max_links:
        return Comment.Status.PENDING
    if contains_any(discussion.moderation_words, fields):
        return Comment.Status.PENDING

    verdict = spam.check(comment)
    if verdict is spam.Verdict.SPAM:
        return Comment.Status.SPAM
    hold_all, known_commenters_only = holding_rules(comment.article, discussion)
    if hold_all or verdict is spam.Verdict.UNKNOWN:
        # A spam check that could not answer never lets a comment through unseen.
        return Comment.Status.PENDING
    if known_commenters_only and not _approved_before(comment):
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def holding_rules(article: Article, discussion: DiscussionSettings) -> tuple[bool, bool]:
    """Whether every comment on ``article`` is held, and whether only commenters approved
    before appear at once: the article's own comment setting, or else the site's."""
    match article.comment_mode:
        case Article.CommentMode.HOLD_ALL:
            return True, False
        case Article.CommentMode.TRUSTED:
            return False, True
    return discussion.hold_all, discussion.approve_known_commenters


def thread_depth(comment: Comment, parents: Mapping[int, Comment], max_depth: int) -> int:
    """How deep ``comment`` sits in its thread as every reader sees it; the one rule for depth.

    1 at the top level, one more for each approved comment above it, counted up to the first
    parent that is not approved (held, spam, trash or deleted: readers see the thread start
    below it), ``max_depth`` at most. ``parents`` holds the comments above it by id, as far
    as they are known; a parent not in it counts as not shown.
    """
    depth, seen = 1, {comment.pk}
    parent = parents.get(comment.parent_id)
    while depth < max_depth and parent is not None and parent.is_approved:
        if parent.pk in seen:  # a loop no form could make
            break
        depth += 1
        seen.add(parent.pk)
        parent = parents.get(parent.parent_id)
    return depth


def takes_replies(
    comment: Comment,
    discussion: DiscussionSettings,
    parents: Mapping[int, Comment] | None = None,
    *,
    approving: bool = False,
) -> bool:
    """May a reply be posted under ``comment``? The one answer for the page's Reply links,
    the form and the admin (``approving``: an editor approves it as they reply).

    Only under an approved comment that sits above the deepest level (``thread_depth``), as
    every reader sees the thread. Whether the article still takes comments is
    ``comments_open``'s to say. ``parents`` are the comments above it by id, when the caller
    has them (the page does); without them they are read, in one query.
    """
    if not (comment.is_approved or approving):
        return False
    if parents is None:
        parents = _approved_parents(comment)
    max_depth = discussion.thread_depth
    return thread_depth(comment, parents, max_depth) < max_depth


def _approved_parents(comment: Comment) -> dict[int, Comment]:
    # The conversation's query of a thread, as a reader without comments of their own sees
    # it (imported here: the conversation imports this module).
    from comments.conversation import Shown

    return {parent.pk: parent for parent in Shown(comment.article, []).lineage(comment.pk)}


def count_links(text: str) -> int:
    return len(LINK.findall(text))


def contains_any(words: str, values: list[str]) -> bool:
    """Does any value contain one of ``words`` (one per line) as a whole word or phrase?

    Case-insensitive with Unicode case folding; "ass" does not match "class".
    """
    pattern = _word_pattern(words)
    return pattern is not None and any(pattern.search(value.casefold()) for value in values)


@lru_cache(maxsize=32)
def _word_pattern(words: str) -> re.Pattern | None:
    phrases = [line.casefold().split() for line in words.splitlines()]
    alternatives = [r"\s+".join(map(re.escape, phrase)) for phrase in phrases if phrase]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _approved_before(comment: Comment) -> bool:
    return (
        Comment.objects.approved()
        .filter(author_name=comment.author_name, author_email__iexact=comment.author_email)
        .exists()
    )
