"""The comment section under an article: its threads, its form and who it is shown to."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
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
    # Set for the page it is shown on.
    permalink: str = ""
    reply_url: str = ""


@dataclass
class PageLink:
    number: int
    url: str
    current: bool


@dataclass
class CommentSection:
    article: Article
    open: bool
    threads: list[Node]  # the top-level comments of this page, with their replies
    approved_count: int
    form: CommentForm
    reply_to: Comment | None
    max_depth: int
    personal: bool
    page_url: str  # this page of comments: its comments' permalinks and Reply links use it
    pages: list[PageLink]
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
    comments = _visible_comments(request, article)
    max_depth = discussion.thread_depth
    threads, depths = build_threads(comments, max_depth)
    paging = CommentPages(article, threads, discussion)
    number = paging.number(request.GET.get("cpage"))
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
        threads=paging.threads(number),
        approved_count=sum(comment.is_approved for comment in comments),
        form=form,
        reply_to=reply_to,
        max_depth=max_depth,
        personal=form.is_bound
        or bool(details)
        or any(not comment.is_approved for comment in comments),
        page_url=paging.url(number),
        pages=[
            PageLink(n, paging.url(n), n == number) for n in paging.numbers() if paging.count > 1
        ],
    )


def comment_location(
    request: HttpRequest, comment: Comment, discussion: DiscussionSettings | None = None
) -> str:
    """Where a comment is: its article, on the page of comments that holds it.

    A comment this reader may not see leads to the article alone.
    """
    article = comment.article
    comments = _visible_comments(request, article)
    discussion = discussion or moderation.rules()
    threads, _ = build_threads(comments, discussion.thread_depth)
    paging = CommentPages(article, threads, discussion)
    number = paging.number_holding(comment.pk)
    if number is None:
        return article.get_absolute_url()
    return f"{paging.url(number)}#{comment.anchor}"


class CommentPages:
    """Top-level comments in pages (replies stay with their parent), as WordPress pages them.

    Page 1 holds the oldest threads. Without ``?cpage=`` a reader sees the page the editors
    chose (oldest or newest); within a page, threads run in the chosen order.
    """

    def __init__(self, article: Article, threads: list[Node], discussion: DiscussionSettings):
        self.article = article
        self.discussion = discussion
        self.paginator = Paginator(threads, discussion.comments_per_page)
        self.count = self.paginator.num_pages

    @property
    def default(self) -> int:
        newest = self.discussion.first_page == DiscussionSettings.FirstPage.NEWEST
        return self.count if newest else 1

    def number(self, requested: str | None) -> int:
        if requested and requested.isascii() and requested.isdigit():
            return min(max(int(requested), 1), self.count)
        return self.default

    def numbers(self) -> range:
        return self.paginator.page_range

    def threads(self, number: int) -> list[Node]:
        threads = list(self.paginator.page(number).object_list)
        if self.discussion.order == DiscussionSettings.Order.NEWEST_FIRST:
            threads.reverse()
        url = self.url(number)
        joiner = "&" if "?" in url else "?"
        for node in _walk(threads):
            node.permalink = f"{url}#{node.comment.anchor}"
            node.reply_url = f"{url}{joiner}replytocom={node.comment.pk}#respond"
        return threads

    def url(self, number: int) -> str:
        url = self.article.get_absolute_url()
        return url if number == self.default else f"{url}?cpage={number}"

    def number_holding(self, comment_id: int) -> int | None:
        for index, root in enumerate(self.paginator.object_list):
            if _holds(root, comment_id):
                return index // self.paginator.per_page + 1
        return None


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _holds(node: Node, comment_id: int) -> bool:
    return any(each.comment.pk == comment_id for each in _walk([node]))


def _visible_comments(request: HttpRequest, article: Article) -> list[Comment]:
    return list(article.comments.visible_to_poster(session.own_comment_ids(request)))


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
