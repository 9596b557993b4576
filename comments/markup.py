"""Comments imported from WordPress (``Comment.TextFormat.HTML``), shown as WordPress showed
them to readers, but safely.

WordPress let commenters use a few tags (its ``$allowedtags``: links, emphasis, quotes,
code) and stripped the rest when a comment was saved; an archive still holds whatever got
past that (a comment saved by a plugin, by an editor, or before a filter was added). Here
the allowed tags are kept, with only their harmless attributes, and ANY other markup is
shown as the text it is: ``<script>alert(1)</script>Nice try.`` reads exactly as typed, so
a reader sees what the commenter wrote instead of a silent gap. Entities stay entities
(``&lt;b&gt;`` in a ``<code>`` still shows ``<b>``), and a web address in the text is a
link, as WordPress made it one (``make_clickable``). Line breaks become paragraphs and
``<br>`` as WordPress shows comments (``wpautop``), and a ``<br>`` or ``<p>`` the commenter
typed is that same line structure, not markup to show.

A small tokenizer decides what is a tag and what is text; the result then goes through nh3
with the same allowlist, so what a reader gets never depends on the tokenizer alone.
"""

import re
from functools import lru_cache
from html import escape
from html.entities import html5
from html.parser import HTMLParser

import nh3
from django.utils.safestring import SafeString, mark_safe

from articles.html_body import URL_SCHEMES, allowed_address
from articles.wordpress.autop import wpautop

# WordPress's $allowedtags (wp-includes/kses.php), each with the attributes kept.
COMMENTER_TAGS = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "acronym": {"title"},
    "b": set(),
    "blockquote": {"cite"},
    "cite": set(),
    "code": set(),
    "del": {"datetime"},
    "em": set(),
    "i": set(),
    "q": {"cite"},
    "s": set(),
    "strike": set(),
    "strong": set(),
}
# The line structure wpautop makes of the text; also what a commenter's own <p>/<br> mean.
LINE_TAGS = {"p": set(), "br": set()}
URL_ATTRIBUTES = {"href", "cite"}
# A web address in a comment's text (WordPress's make_clickable links them); the split keeps it.
BARE_URL = re.compile(r"(https?://[^\s<>\"'\x00-\x1f]+)", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
# A reader's link: not endorsed by the site (nofollow), written by a reader (ugc).
LINK_REL = "nofollow ugc noopener"
# Comments remembered per worker: a page of a long conversation, and then some.
RECENT_COMMENTS = 1024


@lru_cache(maxsize=RECENT_COMMENTS)
def commenter_html(text: str) -> SafeString:
    """A WordPress comment's text as readers see it: allowed tags kept, the rest as text."""
    tokenizer = _Tokenizer()
    tokenizer.feed(text)
    tokenizer.close()
    kept = nh3.clean(
        wpautop("".join(tokenizer.out)),
        tags=set(COMMENTER_TAGS) | set(LINE_TAGS),
        clean_content_tags=set(),
        attributes={tag: set(names) for tag, names in (COMMENTER_TAGS | LINE_TAGS).items()},
        attribute_filter=_checked_address,  # nh3 checks no quotation's source (cite)
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # Safe: nh3's output holds only the allowlisted tags and attributes.
    return mark_safe(kept)  # noqa: S308


def _without_trailing_punctuation(url: str) -> tuple[str, str]:
    """``https://example.org/a).`` is the address ``https://example.org/a`` and ``).``: the
    sentence's punctuation, unless the address opened the bracket it closes."""
    trailing = ""
    while url and url[-1] in TRAILING_PUNCTUATION:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url, trailing = url[:-1], url[-1] + trailing
    return url, trailing


def _checked_address(tag: str, attribute: str, value: str) -> str | None:
    return None if attribute in URL_ATTRIBUTES and not allowed_address(value) else value


class _Tokenizer(HTMLParser):
    """Writes allowed tags back, cleaned; everything else as escaped, visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.links_open = 0  # inside a link the commenter made: no link in a link

    def _as_text(self, raw: str) -> None:
        self.out.append(escape(raw, quote=False))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        allowed = COMMENTER_TAGS.get(tag, LINE_TAGS.get(tag))
        if allowed is None:
            return None
        kept = []
        for name, value in attrs:
            if name not in allowed or value is None:
                continue
            if name in URL_ATTRIBUTES and not allowed_address(value):
                continue
            kept.append(f' {name}="{escape(value)}"')
        return f"<{tag}{''.join(kept)}>"

    def handle_starttag(self, tag, attrs) -> None:
        written = self._tag(tag, attrs)
        if written is None:
            self._as_text(self.get_starttag_text() or "")
        else:
            self.links_open += tag == "a"
            self.out.append(written)

    def handle_startendtag(self, tag, attrs) -> None:
        if tag == "br":
            self.out.append("<br>")
        else:
            self._as_text(self.get_starttag_text() or "")

    def handle_endtag(self, tag) -> None:
        if tag in COMMENTER_TAGS or tag in LINE_TAGS:
            if tag == "a":
                self.links_open = max(0, self.links_open - 1)
            self.out.append(f"</{tag}>")
        else:
            self._as_text(f"</{tag}>")

    def handle_data(self, data) -> None:
        if self.links_open:
            self._as_text(data)
            return
        # As WordPress's make_clickable: a web address in the text is a link to it.
        for index, part in enumerate(BARE_URL.split(data)):
            if index % 2:
                url, trailing = _without_trailing_punctuation(part)
                self.out.append(f'<a href="{escape(url)}">{escape(url, quote=False)}</a>')
                self._as_text(trailing)
            else:
                self._as_text(part)

    def handle_entityref(self, name) -> None:
        # A known entity stays one; "AT&T" is the text it is.
        self.out.append(f"&{name};" if f"{name};" in html5 else escape(f"&{name}"))

    def handle_charref(self, name) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data) -> None:
        self._as_text(f"<!--{data}-->")

    def handle_decl(self, decl) -> None:
        self._as_text(f"<!{decl}>")

    def unknown_decl(self, data) -> None:
        self._as_text(f"<![{data}]>")

    def handle_pi(self, data) -> None:
        self._as_text(f"<?{data}>")
