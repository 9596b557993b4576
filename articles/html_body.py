"""Article and page bodies in HTML (imported from WordPress): the one definition of what such
a body may hold, and how it is shown.

An editor may change an imported body in the admin, so the allowlist is applied every time a
body is shown (``render_html_body``), not only when it is imported: whatever was typed, no
script, event handler, ``javascript:`` link, frame, form or inline style reaches a reader,
and the content of scripts, styles and frames is dropped with them, not shown as text.

Pictures: ``<img src="image:42" alt="…">`` is picture 42 of the media library, shown as
``articles/markdown.py`` shows it in a Markdown body: with its sizes for every screen
(``articles/_picture.html``), and as a figure with its caption and credit when it is the
picture of a ``<figure>`` (``articles/_figure.html``). A ``<figcaption>`` the body gives
that figure is kept in place of the library's caption: it is what the article said about the
picture (WordPress's own caption is per post too); the library's credit is added to it. A
``<div class="gallery">`` of such pictures is shown as a grid (``articles/_gallery.html``).
A picture not in the library shows nothing; any other picture address would be blocked by the
site's Content-Security-Policy, so it becomes a link to it, as in Markdown.

Rendering is remembered per worker, keyed by the text and the pictures, as Markdown's is.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as escape_text
from html.parser import HTMLParser

import nh3
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.images import Picture
from articles.markdown import BODY_SIZES, LIBRARY_IMAGE, RECENT_TEXTS

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark",
        "abbr", "cite", "q", "code", "pre", "kbd", "samp", "var", "blockquote",
        "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr", "div", "span",
    }
)  # fmt: skip
# Dropped with everything inside them: their content is code or another page, never text.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "object", "embed", "form", "noscript", "template",
        "svg", "math", "frame", "frameset", "applet", "video", "audio", "canvas",
        "select", "textarea", "button", "title", "head",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Only a picture's address may name the library; nothing else uses that scheme.
LIBRARY_SCHEME = "image"
# The one class a body keeps: a gallery, which the renderer shows as ours.
GALLERY_CLASS = "gallery"
# Links in a body lead to other sites the newsroom does not vouch for.
LINK_REL = "noopener noreferrer nofollow"
# A URL's scheme, as a browser reads it (leading spaces and control characters ignored).
_SCHEME = re.compile(r"[\x00-\x20]*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?\s*" + LIBRARY_IMAGE.pattern, re.IGNORECASE)


def allowed_address(value: str) -> bool:
    """Whether a link or a quotation's source may lead to ``value``: a web or mail address,
    or one on this site (no scheme). Also the rule for comments (comments/markup.py)."""
    # Browsers ignore tabs and line breaks anywhere in an address ("java\tscript:").
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", value))
    return scheme is None or scheme[1].lower() in URL_SCHEMES


def _allow_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Addresses with the library's scheme only as a picture's address, and only as one. A
    quotation's source (``cite``), which nh3 does not check, takes the links' schemes."""
    if attribute in {"href", "cite"}:
        return value if allowed_address(value) else None
    if tag == "img" and attribute == "src" and value.lower().startswith(LIBRARY_SCHEME + ":"):
        return value if LIBRARY_IMAGE.fullmatch(value) else None
    return value


def sanitize_body_html(html: str) -> str:
    """``html`` with only the allowlisted tags and attributes; nothing in it can run."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_allow_attribute,
        url_schemes=set(URL_SCHEMES | {LIBRARY_SCHEME}),
        allowed_classes={"div": {GALLERY_CLASS}},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def referenced_image_ids_in_html(html: str) -> set[int]:
    """The library pictures ``html`` shows (``<img src="image:42">``), without parsing it."""
    return {int(pk) for pk in _IMG_SRC.findall(html)}


@lru_cache(maxsize=RECENT_TEXTS)
def render_html_body(
    html: str, *, dateline: str = "", pictures: tuple[Picture, ...] = ()
) -> SafeString:
    tree = _parse(sanitize_body_html(html))
    renderer = _Renderer({picture.pk: picture for picture in pictures}, dateline)
    # Safe: the tree is the sanitiser's output; every piece is written back escaped, or is a
    # template's.
    return mark_safe("".join(renderer.children(tree)))  # noqa: S308


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list["_Element | str"] = field(default_factory=list)


VOID = frozenset({"br", "img", "hr"})


class _TreeBuilder(HTMLParser):
    """The sanitiser's output as a tree: its markup is well formed, every element closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = _Element("", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs) -> None:
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs) -> None:
        self.open[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data) -> None:
        self.open[-1].children.append(escape_text(data, quote=False))

    def handle_entityref(self, name) -> None:
        self.open[-1].children.append(f"&{name};")

    def handle_charref(self, name) -> None:
        self.open[-1].children.append(f"&#{name};")


def _parse(html: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


class _Renderer:
    def __init__(self, pictures: dict[int, Picture], dateline: str) -> None:
        self.pictures = pictures
        self.dateline = dateline

    def children(self, element: _Element, depth: int = 0):
        for child in element.children:
            yield child if isinstance(child, str) else self.element(child, depth)

    def element(self, element: _Element, depth: int) -> str:
        tag = element.tag
        if tag == "img":
            return self.image(element)
        if tag == "figure":
            figure = self.figure(element)
            if figure is not None:
                return figure
        if tag == "div" and element.attrs.get("class") == GALLERY_CLASS:
            return self.gallery(element)
        if tag == "h1":
            tag = "h2"
        if tag in VOID:
            return format_html("<{}>", tag)
        inner = "".join(self.children(element, depth + 1))
        if tag == "p" and depth == 0 and self.dateline:
            inner = format_html('<span class="dateline">{}</span> – ', self.dateline) + inner
            self.dateline = ""
        attributes = "".join(
            format_html(' {}="{}"', name, value)
            for name, value in element.attrs.items()
            if value or name != "class"  # the sanitiser leaves a class it emptied
        )
        return f"<{tag}{attributes}>{inner}</{tag}>"

    def library_picture(self, image: _Element) -> tuple[bool, Picture | None]:
        """Whether ``image`` names a library picture, and that picture if the library has it."""
        match = LIBRARY_IMAGE.fullmatch(image.attrs.get("src", ""))
        if match is None:
            return False, None
        return True, self.pictures.get(int(match[1]))

    def image(self, image: _Element) -> str:
        src = image.attrs.get("src", "")
        alt = image.attrs.get("alt", "").strip()
        named, picture = self.library_picture(image)
        if named:
            if picture is None:
                return ""
            return render_to_string(
                "articles/_picture.html",
                {"picture": picture, "alt": alt or picture.alt_text, "sizes": BODY_SIZES},
            )
        if src.startswith(("https://", "http://")):
            return format_html('<a href="{}">{}</a>', src, alt or src)
        return escape(alt)

    def figure(self, figure: _Element) -> str | None:
        """A figure of one library picture as ours (nothing when the library lacks it); None
        for any other figure, shown as it is."""
        images, captions, other = [], [], False
        for child in figure.children:
            if isinstance(child, str):
                other = other or bool(child.strip())
            elif child.tag == "img":
                images.append(child)
            elif child.tag == "figcaption":
                captions.append(child)
            else:
                other = True
        if other or len(images) != 1 or len(captions) > 1:
            return None
        named, picture = self.library_picture(images[0])
        if not named:
            return None
        if picture is None:
            return ""
        # Safe: the sanitised caption, written back as the other elements are.
        caption = mark_safe("".join(self.children(captions[0], 1)).strip()) if captions else ""  # noqa: S308
        return render_to_string(
            "articles/_figure.html",
            {
                "picture": picture,
                "alt": images[0].attrs.get("alt", "").strip() or picture.alt_text,
                "sizes": BODY_SIZES,
                "caption": caption,
            },
        )

    def gallery(self, gallery: _Element) -> str:
        """The gallery's library pictures in a grid; the rest of it (text, other pictures)
        is not part of a gallery and goes."""
        shown = []
        for image in _images_in(gallery):
            named, picture = self.library_picture(image)
            if picture is not None:
                alt = image.attrs.get("alt", "").strip() or picture.alt_text
                shown.append({"picture": picture, "alt": alt})
        if not shown:
            return ""
        return render_to_string("articles/_gallery.html", {"pictures": shown})


def _images_in(element: _Element):
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag == "img":
                yield child
            else:
                yield from _images_in(child)
