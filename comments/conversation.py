"""The conversation under an article: its threads in pages, its form and who it is shown to.

Only the page being shown is read: its top-level comments are paged in SQL and their replies
fetched with one recursive query, so a page costs the same whether the article has fifty
comments or a hundred thousand.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.dates import MONTHS
from django.utils.timezone import get_current_timezone

from articles.models import Article
from comments import moderation, session
from comments.forms import MAX_ID, CommentForm
from comments.models import Comment, DiscussionSettings

TABLE = connection.ops.quote_name(Comment._meta.db_table)


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list["Node"] = field(default_factory=list)
    # Set for the page it is shown on.
    permalink: str = ""
    reply_url: str = ""  # empty where a reply would not be taken (moderation.takes_replies)
    # When it was posted, in the reader's time zone: for <time datetime> and for reading.
    datetime: str = ""
    date: str = ""


@dataclass
class PageLink:
    number: int
    url: str
    current: bool


@dataclass
class Conversation:
    article: Article
    open: bool
    threads: list[Node]  # the top-level comments of this page, with their replies
    approved_count: int
    held_count: int  # this reader's own comments awaiting a decision, shown only to them
    form: CommentForm
    reply_to: Comment | None
    max_depth: int
    editor: AbstractBaseUser | None  # a moderator signed in: their comments are published
    personal: bool
    page_url: str  # this page of comments: its comments' permalinks and Reply links use it
    pages: list[PageLink | None]  # none if there is one page; None where pages are left out
    older: PageLink | None = None  # the page before this one (page 1 holds the oldest)
    newer: PageLink | None = None
    follow_up_asked: str = ""  # the address just sent a link to confirm follow-up emails
    # For the privacy note beside the form.
    anonymise_days: int = field(default_factory=lambda: settings.NEWSROOM_ANONYMISE_DAYS)
    purge_days: int = field(default_factory=lambda: settings.NEWSROOM_PURGE_DAYS)


def comment_section(
    request: HttpRequest,
    article: Article,
    form: CommentForm | None = None,
    discussion: DiscussionSettings | None = None,
) -> Conversation:
    """Everything the article page shows below the story.

    Two queries, however many comments the article has: the counts, then this page's threads
    (and one more for the comment named by ``?replytocom=``).
    """
    discussion = discussion or moderation.rules()
    shown = Shown(article, session.own_comment_ids(request))
    counts = shown.counts()
    paging = CommentPages(article, counts.threads, discussion)
    number = paging.number(request.GET.get("cpage"))
    details = session.saved_details(request)
    editor = session.signed_in_editor(request)
    follow_up_asked = session.follow_up_asked(request)

    if form is None:
        reply_to = _reply_target(request, shown, discussion)
        form = CommentForm(
            article,
            discussion,
            initial={
                **details,
                **(_account_details(editor) if editor else {}),
                "save_details": bool(details),
                "parent": reply_to.pk if reply_to else None,
            },
        )
    else:
        reply_to = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None

    return Conversation(
        article=article,
        open=moderation.comments_open(article, discussion),
        threads=paging.threads(number, shown),
        approved_count=counts.approved,
        held_count=counts.held,
        form=form,
        reply_to=reply_to,
        max_depth=discussion.thread_depth,
        editor=editor,
        personal=form.is_bound
        or bool(details)
        or counts.held > 0
        or editor is not None
        or bool(follow_up_asked),
        page_url=paging.url(number),
        pages=paging.links(number),
        older=paging.link(number - 1),
        newer=paging.link(number + 1),
        follow_up_asked=follow_up_asked,
    )


def _account_details(editor: AbstractBaseUser) -> dict[str, str]:
    """An editor's name and email as their account has them, for the form."""
    details = {"author": editor.get_full_name().strip() or editor.get_username()}
    if editor.email:
        details["email"] = editor.email
    return details


def comment_location(
    request: HttpRequest, comment: Comment, discussion: DiscussionSettings | None = None
) -> str:
    """Where a comment is: its article, on the page of comments that holds it.

    A comment this reader may not see leads to the article alone.
    """
    article = comment.article
    shown = Shown(article, session.own_comment_ids(request))
    lineage = shown.lineage(comment.pk)
    if not lineage:
        return article.get_absolute_url()
    threads, before = shown.threads_before(lineage[-1].pk)
    paging = CommentPages(article, threads, discussion or moderation.rules())
    return f"{paging.url(before // paging.per_page + 1)}#{comment.anchor}"


@dataclass
class Counts:
    approved: int  # approved comments: the article's count
    held: int  # this reader's own comments awaiting a decision
    threads: int  # comments shown at the top level


class Shown:
    """The comments of one article that one reader sees, queried in SQL, never all loaded.

    Which comments those are is ``Comment.objects.visible_to_poster``'s rule, compiled once
    and used as a subquery: approved comments, and the reader's own held ones. A comment is
    shown at the top level (a root) when its parent is not shown: none, held or removed.

    That is the rule. For a reader with no comments of their own (every anonymous reader:
    the page that is cached and the one that must be quick) the shown comments are the
    approved ones, and their roots are those whose ``parent_approved`` is False: counted and
    paged from comment_roots_idx alone, however many comments the article has.
    tests/comments/test_thread_roots.py holds the two to the same answers.
    """

    def __init__(self, article: Article, own_ids: list[int], *, quick: bool = True):
        visible = article.comments.visible_to_poster(own_ids).order_by()
        shown, params = visible.values(
            "id", "parent_id", "submitted_at", "status"
        ).query.sql_with_params()
        self.shown, self.params = f"({shown}) AS shown", params
        self.approved = None
        if quick and not own_ids:
            self.approved = article.comments.approved().order_by()
            approved, approved_params = self.approved.values(
                "id", "submitted_at", "parent_approved"
            ).query.sql_with_params()
            # "= %s", not the ORM's "NOT parent_approved": SQLite uses an index only for the
            # former.
            self.roots = f"""
                SELECT shown.id, shown.submitted_at FROM ({approved}) AS shown
                WHERE shown.parent_approved = %s
            """  # noqa: S608 (Django's own parameterised SQL)
            self.roots_params = (*approved_params, False)
        else:
            self.roots = f"""
                SELECT shown.id, shown.submitted_at FROM {self.shown} WHERE NOT EXISTS
                    (SELECT 1 FROM ({shown}) AS parent WHERE parent.id = shown.parent_id)
            """  # noqa: S608 (Django's own parameterised SQL)
            self.roots_params = (*params, *params)

    def counts(self) -> Counts:
        if self.approved is not None:
            # One pass over the article's approved comments in comment_roots_idx; the
            # replies (fewer than the roots) are counted, the roots are the rest.
            counts = self.approved.aggregate(
                approved=Count("*"),
                replies=Count("parent_approved", filter=Q(parent_approved=True)),
            )
            return Counts(counts["approved"], 0, counts["approved"] - counts["replies"])
        approved = Comment.Status.APPROVED.value
        sql = f"""
            SELECT
                COUNT(CASE WHEN shown.status = %s THEN 1 END),
                COUNT(CASE WHEN shown.status <> %s THEN 1 END),
                (SELECT COUNT(*) FROM ({self.roots}) AS roots)
            FROM {self.shown}
        """  # noqa: S608 (Django's own parameterised SQL)
        with connection.cursor() as cursor:
            cursor.execute(sql, (approved, approved, *self.roots_params, *self.params))
            return Counts(*cursor.fetchone())

    def threads(self, start: int, stop: int, total: int) -> list[Comment]:
        """Roots ``start`` to ``stop`` of ``total`` (oldest first) and every reply shown below
        them. Roots near the end are counted from the end, so the newest page is quick too."""
        if start > total - stop:
            order, skip = "DESC", total - stop
        else:
            order, skip = "ASC", start
        sql = f"""
            WITH RECURSIVE thread(id) AS (
                SELECT page.id FROM (
                    {self.roots}
                    ORDER BY shown.submitted_at {order}, shown.id {order} LIMIT %s OFFSET %s
                ) AS page
                UNION ALL
                SELECT reply.id FROM thread JOIN {TABLE} AS reply ON reply.parent_id = thread.id
                WHERE EXISTS (SELECT 1 FROM {self.shown} WHERE shown.id = reply.id)
            )
            SELECT * FROM {TABLE} WHERE id IN (SELECT id FROM thread) ORDER BY submitted_at, id
        """  # noqa: S608 (Django's own parameterised SQL)
        params = (*self.roots_params, stop - start, skip, *self.params)
        return list(Comment.objects.raw(sql, params))

    def lineage(self, comment_id: int) -> list[Comment]:
        """The comment and the shown parents above it, up to its thread's root.

        Empty if the comment is not shown (or, in data no form could make, sits in a loop).
        """
        sql = f"""
            WITH RECURSIVE lineage(id, parent_id) AS (
                SELECT shown.id, shown.parent_id FROM {self.shown} WHERE shown.id = %s
                UNION
                SELECT shown.id, shown.parent_id
                FROM {self.shown} JOIN lineage ON shown.id = lineage.parent_id
            )
            SELECT * FROM {TABLE} WHERE id IN (SELECT id FROM lineage)
        """  # noqa: S608 (Django's own parameterised SQL)
        params = (*self.params, comment_id, *self.params)
        by_id = {comment.pk: comment for comment in Comment.objects.raw(sql, params)}
        lineage, comment = [], by_id.get(comment_id)
        while comment is not None and comment not in lineage:
            lineage.append(comment)
            comment = by_id.get(comment.parent_id)
        return lineage if comment is None else []

    def threads_before(self, root_id: int) -> tuple[int, int]:
        """How many roots there are, and how many come before this one."""
        sql = f"""
            SELECT COUNT(*), COUNT(CASE WHEN roots.submitted_at < root.submitted_at
                OR (roots.submitted_at = root.submitted_at AND roots.id < root.id) THEN 1 END)
            FROM ({self.roots}) AS roots, {TABLE} AS root WHERE root.id = %s
        """  # noqa: S608 (Django's own parameterised SQL)
        with connection.cursor() as cursor:
            cursor.execute(sql, (*self.roots_params, root_id))
            return cursor.fetchone()


class CommentPages:
    """Top-level comments in pages (replies stay with their parent), as WordPress pages them.

    Page 1 holds the oldest threads. Without ``?cpage=`` a reader sees the page the editors
    chose (oldest or newest); within a page, threads run in the chosen order.
    """

    NEAR = 2  # pages linked either side of the current one

    def __init__(self, article: Article, threads: int, discussion: DiscussionSettings):
        self.article_url = article.get_absolute_url()
        self.discussion = discussion
        self.per_page = discussion.comments_per_page
        self.threads_count = threads
        self.count = max(1, -(-threads // self.per_page))  # pages, rounded up; one if none

    @property
    def default(self) -> int:
        newest = self.discussion.first_page == DiscussionSettings.FirstPage.NEWEST
        return self.count if newest else 1

    def number(self, requested: str | None) -> int:
        if requested and requested.isascii() and requested.isdigit():
            return min(max(int(requested), 1), self.count)
        return self.default

    def links(self, current: int) -> list[PageLink | None]:
        """Links to the pages, none if there is only one: the first, the last and those
        near ``current`` (as WordPress's ``paginate_links()``); ``None`` where pages are left
        out, so that a conversation of a thousand pages does not list them all."""
        if self.count == 1:
            return []
        near = range(max(current - self.NEAR, 1), min(current + self.NEAR, self.count) + 1)
        links: list[PageLink | None] = []
        last = 0
        for n in sorted({1, *near, self.count}):
            if n == last + 2:  # one page left out: its link takes no more room than "…"
                links.append(PageLink(last + 1, self.url(last + 1), False))
            elif n > last + 2:
                links.append(None)
            links.append(PageLink(n, self.url(n), n == current))
            last = n
        return links

    def link(self, number: int) -> PageLink | None:
        """The link to page ``number``, if there is such a page."""
        if 1 <= number <= self.count:
            return PageLink(number, self.url(number), False)
        return None

    def threads(self, number: int, shown: Shown) -> list[Node]:
        """Page ``number``'s threads: its top-level comments with their replies."""
        start = (number - 1) * self.per_page
        stop = min(start + self.per_page, self.threads_count)
        comments = shown.threads(start, stop, self.threads_count)
        threads, _ = build_threads(comments, self.discussion.thread_depth)
        # Every approved comment above a comment shown is on its page (replies stay with
        # their thread), so whether it takes replies needs no more queries.
        on_page = {comment.pk: comment for comment in comments}
        if self.discussion.order == DiscussionSettings.Order.NEWEST_FIRST:
            threads.reverse()
        url = self.url(number)
        joiner = "&" if "?" in url else "?"
        zone, months = get_current_timezone(), {n: str(name) for n, name in MONTHS.items()}
        for node in _walk(threads):
            node.permalink = f"{url}#{node.comment.anchor}"
            if moderation.takes_replies(node.comment, self.discussion, on_page):
                node.reply_url = f"{url}{joiner}replytocom={node.comment.pk}#respond"
            # As the date filter's "Y-m-d\TH:i:sO" and "j F Y \a\t H:i" would write them, at
            # a fifth of the cost: the filter was a third of the time spent on the threads.
            when = node.comment.submitted_at.astimezone(zone)
            node.datetime = f"{when:%Y-%m-%dT%H:%M:%S%z}"
            node.date = f"{when.day} {months[when.month]} {when.year} at {when:%H:%M}"
        return threads

    def url(self, number: int) -> str:
        if number == self.default:
            return self.article_url
        return f"{self.article_url}?cpage={number}"


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


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
    request: HttpRequest, shown: Shown, discussion: DiscussionSettings
) -> Comment | None:
    """The approved comment named by ``?replytocom=`` on this article, if it takes replies."""
    raw = request.GET.get("replytocom", "")
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_ID:
        return None
    lineage = shown.lineage(int(raw))
    parents = {comment.pk: comment for comment in lineage}
    if not lineage or not moderation.takes_replies(lineage[0], discussion, parents):
        return None
    return lineage[0]
