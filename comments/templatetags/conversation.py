"""The comment list: each comment's HTML is written once for what it shows, then reused.

A comment's HTML depends only on what the page shows of it (name, staff badge, website, text, date,
whether it awaits moderation, its depth, its links on this page) and of its replies, and on
whether the conversation is open and how deep it goes. ``{% comment_thread node %}``
renders ``comments/_comment.html`` for a node the first time this worker sees exactly that,
and reuses it afterwards: a popular page with fifty comments renders them once, not on every
view that misses the cache. Anything that changes what is shown is part of the key, so
nothing is ever reused stale.

``{% comment_form form %}`` does the same for the comment form a reader with nothing of
their own sees (nothing saved, no reply chosen, nothing typed): the same for everyone on
an article but for its signed timestamp, and about half of an uncached article's template
time. It is kept for ``FORM_SECONDS`` in Django's cache, less than the least typing time a
reader needs (``NEWSROOM_COMMENT_MIN_SECONDS``), so a bot posting the form it just fetched
is still too fast.
"""

from crispy_forms.utils import render_crispy_form
from django import template
from django.core.cache import cache
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


FORM_SECONDS = 1


@register.simple_tag(takes_context=True)
def comment_form(context, form) -> str:
    """The comment form's HTML (crispy's layout), shared between readers who see it blank:
    not sent back with errors, nothing filled in (saved details, an editor's name, a reply's
    parent, the text of a post that failed)."""
    if form.is_bound or any(form.initial.values()):
        return render_crispy_form(form, context=context.flatten())
    key = f"comments:form:{form.article.pk}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form, context=context.flatten())
        cache.set(key, html, FORM_SECONDS)
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
        comment.text_format,
        comment.kind,
        comment.is_approved,
        node.depth,
        node.permalink,
        node.reply_url,
        node.datetime,
        node.date,
        tuple(_shown(child) for child in node.children),
    )
