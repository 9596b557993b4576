"""Article bodies are Markdown, rendered by markdown-it-py with raw HTML switched off.

Editors' HTML is shown as text, never run; links with javascript:/vbscript:/data: schemes are
refused by markdown-it's own link validation. Headings start at <h2>: the headline is the
page's only <h1>.

Rendering was a twelfth of an uncached article page's time, and the same for every reader, so
each worker remembers its latest results, keyed by the text itself: an edit is a new key, and
no way of changing an article (the admin, the ORM, a bulk update) can leave a stale copy.
"""

from functools import lru_cache

from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

_md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


# Texts remembered per worker: more than any page or feed shows at once; a few MB for
# articles of ordinary length.
RECENT_TEXTS = 128


@lru_cache(maxsize=RECENT_TEXTS)
def render_markdown(text: str, *, dateline: str = "") -> SafeString:
    tokens = _md.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
    if dateline:
        _prefix_first_paragraph(tokens, dateline)
    # Safe: markdown-it escapes all text and, with html off, emits no markup of the author's.
    return mark_safe(_md.renderer.render(tokens, _md.options, {}))  # noqa: S308


@lru_cache(maxsize=RECENT_TEXTS)
def plain_text(html: str) -> str:
    """The words of rendered HTML, without its tags, separated by single spaces."""
    return " ".join(strip_tags(html).split())


def _prefix_first_paragraph(tokens: list[Token], dateline: str) -> None:
    for opening, inline in zip(tokens, tokens[1:], strict=False):
        if opening.type == "paragraph_open" and opening.level == 0 and inline.type == "inline":
            prefix = Token("html_inline", "", 0)
            prefix.content = format_html('<span class="dateline">{}</span> – ', dateline)
            inline.children = [prefix, *(inline.children or [])]
            return
