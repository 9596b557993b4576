"""Article bodies are Markdown, rendered by markdown-it-py with raw HTML switched off (those
imported from WordPress are HTML: ``articles/bodies.py`` chooses, ``articles/html_body.py``
shows them).

Editors' HTML is shown as text, never run; links with javascript:/vbscript:/data: schemes are
refused by markdown-it's own link validation. Headings start at <h2>: the headline is the
page's only <h1>.

Rendering was a twelfth of an uncached article page's time, and the same for every reader, so
each worker remembers its latest results, keyed by the text itself: an edit is a new key, and
no way of changing an article (the admin, the ORM, a bulk update) can leave a stale copy.

Pictures: ``![description](image:42)`` shows picture 42 of the media library, with its sizes
for every screen (``articles/_picture.html``); on a line of its own, as a figure with its
caption and credit. The description, when given, replaces the library's alt text. The
pictures come in with the text (``pictures``), so a changed caption is a new key too. A
reference to a picture not in the library shows nothing. Any other picture address would be
blocked by the site's Content-Security-Policy and show broken, so it becomes a link to it.
"""

import re
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from articles.images import Picture

_md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
# A library picture's address in a body: image:42. The one definition of the syntax.
LIBRARY_IMAGE = re.compile(r"image:(\d{1,18})")
LIBRARY_IMAGE_IN_TEXT = re.compile(r"\]\(\s*<?image:(\d{1,18})")
# How wide a picture in the body is shown: the text's measure (40rem) or the screen.
BODY_SIZES = "(min-width: 42rem) 40rem, 100vw"


# Texts remembered per worker: more than any page or feed shows at once; a few MB for
# articles of ordinary length.
RECENT_TEXTS = 128


def referenced_image_ids(text: str) -> set[int]:
    """The library pictures ``text`` refers to (``![…](image:42)``), without parsing it."""
    return {int(pk) for pk in LIBRARY_IMAGE_IN_TEXT.findall(text)}


@lru_cache(maxsize=RECENT_TEXTS)
def render_markdown(
    text: str, *, dateline: str = "", pictures: tuple[Picture, ...] = ()
) -> SafeString:
    tokens = _md.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
    tokens = _show_pictures(tokens, {picture.pk: picture for picture in pictures})
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


def _show_pictures(tokens: list[Token], pictures: dict[int, Picture]) -> list[Token]:
    """Library pictures in place of their references; other pictures as links."""
    shown: list[Token] = []
    closing = None  # the paragraph_close of a paragraph that became a figure
    for index, token in enumerate(tokens):
        if token is closing:
            continue
        if token.type == "inline" and token.children:
            alone = _alone_in_paragraph(tokens, index)
            if alone is not None and LIBRARY_IMAGE.fullmatch(alone.attrGet("src") or ""):
                # The paragraph becomes the figure, or goes when the picture is missing.
                figure = _figure(alone, pictures)
                if figure is None:
                    shown.pop()
                else:
                    shown[-1] = figure
                closing = tokens[index + 1]
                continue
            token.children = [_shown(child, pictures) for child in token.children]
        shown.append(token)
    return shown


def _alone_in_paragraph(tokens: list[Token], index: int) -> Token | None:
    """The picture that is all of the paragraph around ``tokens[index]``, if one is."""
    children = [
        c for c in tokens[index].children if not (c.type == "text" and not c.content.strip())
    ]
    if (
        len(children) == 1
        and children[0].type == "image"
        and index > 0
        and tokens[index - 1].type == "paragraph_open"
        and index + 1 < len(tokens)
        and tokens[index + 1].type == "paragraph_close"
    ):
        return children[0]
    return None


def _figure(image: Token, pictures: dict[int, Picture]) -> Token | None:
    picture = _library_picture(image, pictures)
    if picture is None:
        return None
    block = Token("html_block", "", 0)
    block.content = render_to_string(
        "articles/_figure.html",
        {"picture": picture, "alt": _alt(image) or picture.alt_text, "sizes": BODY_SIZES},
    )
    return block


def _shown(token: Token, pictures: dict[int, Picture]) -> Token:
    if token.type != "image":
        return token
    shown = Token("html_inline", "", 0)
    src = token.attrGet("src") or ""
    alt = _alt(token)
    if LIBRARY_IMAGE.fullmatch(src):
        picture = _library_picture(token, pictures)
        shown.content = (
            render_to_string(
                "articles/_picture.html",
                {"picture": picture, "alt": alt or picture.alt_text, "sizes": BODY_SIZES},
            )
            if picture is not None
            else ""
        )
    elif src.startswith(("https://", "http://")):
        shown.content = format_html('<a href="{}">{}</a>', src, alt or src)
    else:
        shown.content = format_html("{}", alt)
    return shown


def _library_picture(image: Token, pictures: dict[int, Picture]) -> Picture | None:
    match = LIBRARY_IMAGE.fullmatch(image.attrGet("src") or "")
    return pictures.get(int(match[1])) if match else None


def _alt(image: Token) -> str:
    return _md.renderer.renderInlineAsText(image.children or [], _md.options, {}).strip()
