"""The comment section under an article: its threads, its form and who it is shown to."""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest

from articles.models import Article
from comments import moderation, session
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list["Node"] = field(default_factory=list)


@dataclass
class CommentSection:
    article: Article
    open: bool
    threads: list[Node]
    approved_count: int
    form: CommentForm
    reply_to: Comment | None
    max_depth: int
    personal: bool
    # For the privacy note beside the form.
    anonymise_days: int = field(default_factory=lambda: settings.NEWSROOM_ANONYMISE_DAYS)
    purge_days: int = field(default_factory=lambda: settings.NEWSROOM_PURGE_DAYS)


def comment_section(
    request: HttpRequest,
    article: Article,
    form: CommentForm | None = None,
    discussion: DiscussionSettings | None = None,
) -> CommentSection:
    """Everything the article page shows below the story, in three queries at most."""
    discussion = discussion or moderation.rules()
    own_ids = session.own_comment_ids(request)
    comments = list(article.comments.visible_to_poster(own_ids))
    max_depth = discussion.thread_depth
    threads, depths = build_threads(comments, max_depth)
    if discussion.order == DiscussionSettings.Order.NEWEST_FIRST:
        threads.reverse()
    details = session.saved_details(request)

    if form is None:
        reply_to = _reply_target(request, comments, depths, max_depth)
        form = CommentForm(
            article,
            discussion,
            initial={
                **details,
                "save_details": bool(details),
                "parent": reply_to.pk if reply_to else None,
            },
        )
    else:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None

    return CommentSection(
        article=article,
        open=moderation.comments_open(article, discussion),
        threads=threads,
        approved_count=sum(comment.is_approved for comment in comments),
        form=form,
        reply_to=reply_to,
        max_depth=max_depth,
        personal=form.is_bound
        or bool(details)
        or any(not comment.is_approved for comment in comments),
    )


def build_threads(comments: list[Comment], max_depth: int) -> tuple[list[Node], dict[int, int]]:
    """Nest comments (already oldest first) under their parents.

    A reply whose parent is not shown (not approved, or removed) is shown at the top level;
    a reply below a comment at ``max_depth`` (possible when an editor lowers the depth) is shown
    beside its parent, at the deepest level, as WordPress does.
    """
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in comments:
        parent = nodes.get(comment.parent_id)
        while parent is not None and parent.depth >= max_depth:
            parent = nodes.get(parent.comment.parent_id)
        node = Node(comment, depth=parent.depth + 1 if parent else 1)
        nodes[comment.pk] = node
        (parent.children if parent else roots).append(node)
    return roots, {pk: node.depth for pk, node in nodes.items()}


def _reply_target(
    request: HttpRequest, comments: list[Comment], depths: dict[int, int], max_depth: int
) -> Comment | None:
    """The approved comment named by ``?replytocom=`` on this article, if it takes replies."""
    raw = request.GET.get("replytocom", "")
    if not raw.isascii() or not raw.isdigit():
        return None
    target = next((c for c in comments if c.pk == int(raw) and c.is_approved), None)
    if target is None or depths[target.pk] >= max_depth:
        return None
    return target
