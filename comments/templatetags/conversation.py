"""The comment list: each comment's HTML is written once for what it shows, then reused.

A comment's HTML depends only on what the page shows of it (name, staff badge, website, text, date,
whether it awaits moderation, its depth, its links on this page) and of its replies, and on
whether the conversation is open and how deep it goes. ``{% comment_thread node %}``
renders ``comments/_comment.html`` for a node the first time this worker sees exactly that,
and reuses it afterwards: a popular page with fifty comments renders them once, not on every
view that misses the cache. Anything that changes what is shown is part of the key, so
nothing is ever reused stale.
"""

from django import template
from django.template.loader import get_template
from django.utils import translation

register = template.Library()

# The HTML of this many threads at most is kept per worker; then it starts again.
REMEMBERED = 5_000
_written: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def comment_thread(context, node) -> str:
    """``comments/_comment.html`` for ``node`` and its replies."""
    section = context["section"]
    key = (_shown(node), section.open, section.max_depth, translation.get_language())
    html = _written.get(key)
    if html is None:
        if len(_written) >= REMEMBERED:
            _written.clear()
        html = get_template("comments/_comment.html").render(
            {"node": node, "comment": node.comment, "section": section}
        )
        _written[key] = html
    return html


def _shown(node) -> tuple:
    """Everything ``comments/_comment.html`` shows of ``node`` and its replies."""
    comment = node.comment
    return (
        comment.pk,
        comment.author_name,
        comment.by_staff,
        comment.safe_author_url,
        comment.text,
        comment.is_approved,
        node.depth,
        node.permalink,
        node.reply_url,
        node.datetime,
        node.date,
        tuple(_shown(child) for child in node.children),
    )
