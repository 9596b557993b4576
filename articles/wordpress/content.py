"""A WordPress post's content, converted once, at import, into the HTML an imported body
holds (``articles/html_body.py``).

WordPress stores a post as the editor left it and does the rest each time it shows it: block
comments (``<!-- wp:paragraph -->``) are markers for its editor; a classic post's bare line
breaks become paragraphs (``wpautop``); shortcodes (``[caption]``, ``[gallery]``) and URLs
alone on a line (auto-embeds) become markup. Newsroom shows a body as it is stored, so the
import does all of this once:

- block comments go; a post without blocks gets WordPress's paragraphs (``autop.py``);
- ``[caption]`` becomes a ``<figure>`` with its ``<figcaption>``, ``[gallery]`` our gallery
  (``<div class="gallery">``), pictures of the export's media library ``image:N`` addresses
  (N: the picture's pk in our library, through an ``ImageLookup``);
- an embed (``[embed]``, a URL alone in its paragraph, a block editor's embed figure)
  becomes a plain link: no other site's player (and its scripts) runs on our pages;
- other shortcodes go, or become a link to their file, and the allowlist does the rest.

Whatever is dropped is said in ``ConvertedBody.notes``, for the editors' import report.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol

from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.html_body import (
    ALLOWED_TAGS,
    DROPPED_WITH_CONTENT,
    referenced_image_ids_in_html,
    sanitize_body_html,
)
from articles.wordpress.autop import wpautop
from articles.wordpress.uploads import UPLOADS, original_name


class ImageLookup(Protocol):
    """Our library's picture for a WordPress attachment: by its id, or by its file's address
    (``…/wp-content/uploads/2026/11/Photo-1-a.jpg``). ``convert_post_content`` asks for the
    address of a resized copy (``Photo-1-a-1024x640.jpg``) as written, then for its
    original's, so a lookup need only know the originals."""

    def by_wp_id(self, wp_id: int) -> int | None: ...

    def by_url(self, url: str) -> int | None: ...


@dataclass
class ConvertedBody:
    html: str
    image_ids: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


# The block editor's markers: <!-- wp:paragraph -->, <!-- wp:image {"id":8} -->,
# <!-- /wp:paragraph -->, <!-- wp:spacer /-->.
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
# WordPress's copies of an upload at another size: Photo-1-a-1024x640.jpg.
# A shortcode: [name attributes] or [name attributes]content[/name], as WordPress's
# get_shortcode_regex() reads them ([[name]] is an escaped one, shown as text).
SHORTCODE = re.compile(
    r"\[(?P<escape_open>\[?)(?P<name>[\w-]+)(?![\w-])(?P<attributes>[^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(?P<self_closing>/)\]|\](?:(?P<content>[^\[]*(?:\[(?!/(?P=name)\])[^\[]*)*)"
    r"\[/(?P=name)\])?)(?P<escape_close>\]?)"
)
SHORTCODE_ATTRIBUTE = re.compile(
    r"([\w-]+)\s*=\s*\"([^\"]*)\"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'\"]+)"
)
# WordPress's own shortcodes; any other name is converted only when it is plainly a
# shortcode (attributes or a closing tag), so that "[sic]" or "[1]" stay text.
CORE_SHORTCODES = {"caption", "wp_caption", "gallery", "embed", "video", "audio", "playlist"}
# What WordPress's auto-embed takes: a URL alone on its line.
EMBED_LINE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.MULTILINE)
EMBED_FIGURE = re.compile(
    r"<figure\b[^>]*\bwp-block-embed\b[^>]*>\s*<div\b[^>]*>\s*(?P<url>https?://[^\s<>\"]+)\s*"
    r"</div>(?:\s*<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>)?\s*</figure>",
    re.DOTALL | re.IGNORECASE,
)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d{1,18})\b")
# What WordPress's img_caption_shortcode reads in a caption without a caption="…": the
# picture (perhaps in its link), then the caption's text.
CAPTION_CONTENT = re.compile(
    r"((?:<a\s[^>]+>\s*)?<img\s[^>]+>(?:\s*</a>)?)(.*)", re.DOTALL | re.IGNORECASE
)


def convert_post_content(raw: str, images: ImageLookup) -> ConvertedBody:
    """``raw`` (a post's ``content:encoded``) as an imported body: see the module's notes."""
    notes: list[str] = []
    has_blocks = BLOCK_COMMENT.search(raw) is not None
    html = BLOCK_COMMENT.sub("", raw)
    html = EMBED_FIGURE.sub(lambda match: _link(match["url"]), html)
    html = SHORTCODE.sub(lambda match: _shortcode(match, images, notes), html)
    html = EMBED_LINE.sub(lambda match: match[1] + _link(match[2]) + match[3], html)
    html = IMG_TAG.sub(lambda match: _library_image(match[0], images, notes), html)
    if not has_blocks:
        html = wpautop(html)
    elif "<pre" not in html:
        # What the markers leave: blank lines between blocks, which a page does not show.
        html = re.sub(r"\n(?:[ \t]*\n)+", "\n", html)
    notes.extend(_removals(html))
    # Paragraphs wpautop made around what the allowlist removes (a <script> on its line).
    html = EMPTY_PARAGRAPH.sub("", sanitize_body_html(html)).strip()
    return ConvertedBody(
        html=html,
        image_ids=referenced_image_ids_in_html(html),
        notes=list(dict.fromkeys(notes)),  # each once, in the order found
    )


def _link(url: str) -> str:
    return format_html('<p><a href="{}">{}</a></p>', url, url)


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for match in SHORTCODE_ATTRIBUTE.finditer(text):
        name = match[1] or match[3] or match[5]
        found[name.lower()] = match[2] if match[1] else match[4] if match[3] else match[6]
    return found


def _shortcode(match: re.Match, images: ImageLookup, notes: list[str]) -> str:
    if match["escape_open"] and match["escape_close"]:  # [[gallery]]: the text "[gallery]"
        return match[0][1:-1]
    name = match["name"].lower()
    attributes = _attributes(match["attributes"] or "")
    content = match["content"] or ""
    if name not in CORE_SHORTCODES and not (attributes or match["content"] is not None):
        return match[0]  # not a shortcode: "[sic]", "[1]", "[…]"
    if name in {"caption", "wp_caption"}:
        converted = _caption(attributes, content, images, notes)
    elif name == "gallery":
        converted = _gallery(attributes, images, notes)
    elif name == "embed":
        url = content.strip()
        converted = _link(url) if re.fullmatch(r"https?://\S+", url) else ""
    elif name in {"video", "audio"}:
        url = next(
            (
                value
                for value in [content.strip(), *attributes.values()]
                if re.fullmatch(r"https?://\S+", value)
            ),
            "",
        )
        notes.append(
            _("a [%(name)s] player was replaced by a link to its file") % {"name": name}
            if url
            else _("a [%(name)s] player was removed") % {"name": name}
        )
        converted = _link(url) if url else ""
    else:
        notes.append(_("a [%(name)s] shortcode was removed") % {"name": name})
        converted = ""
    # One bracket more on either side is kept, as WordPress keeps it.
    return match["escape_open"] + converted + match["escape_close"]


def _caption(
    attributes: dict[str, str], content: str, images: ImageLookup, notes: list[str]
) -> str:
    caption = attributes.get("caption", "")
    picture = content
    if not caption:
        found = CAPTION_CONTENT.match(content.strip())
        if found:
            picture, caption = found[1], found[2].strip()
    image = IMG_TAG.search(picture)
    if image is None:
        return content
    attachment = re.fullmatch(r"attachment_(\d{1,18})", attributes.get("id", ""))
    tag = _library_image(image[0], images, notes, wp_id=int(attachment[1]) if attachment else None)
    if not caption:
        return f"<figure>{tag}</figure>"
    return f"<figure>{tag}<figcaption>{caption}</figcaption></figure>"


def _gallery(attributes: dict[str, str], images: ImageLookup, notes: list[str]) -> str:
    ids = attributes.get("ids") or attributes.get("include") or ""
    if not ids:
        notes.append(_("a [gallery] of the post's attached pictures was removed: it names none"))
        return ""
    shown = []
    for wp_id in re.findall(r"\d{1,18}", ids):
        pk = images.by_wp_id(int(wp_id))
        if pk is None:
            notes.append(
                _("[gallery] picture %(id)s is not in the export: left out") % {"id": wp_id}
            )
        else:
            shown.append(format_html('<img src="image:{}" alt="">', pk))
    if not shown:
        notes.append(_("a [gallery] with none of its pictures in the export was removed"))
        return ""
    return '<div class="gallery">' + "".join(shown) + "</div>"


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        self.attributes = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _tag_attributes(tag: str) -> dict[str, str]:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attributes


def _library_image(
    tag: str, images: ImageLookup, notes: list[str], wp_id: int | None = None
) -> str:
    """A picture of the export's media library as ours (``image:N``); any other as it is."""
    attributes = _tag_attributes(tag)
    src = attributes.get("src", "")
    pk = None
    if wp_id is None:
        found = WP_IMAGE_CLASS.search(attributes.get("class", ""))
        wp_id = int(found[1]) if found else None
    if wp_id is not None:
        pk = images.by_wp_id(wp_id)
    if pk is None and UPLOADS in src:
        pk = images.by_url(src)
        if pk is None and original_name(src) != src:
            pk = images.by_url(original_name(src))
    if pk is None:
        if wp_id is not None or UPLOADS in src:
            notes.append(_("picture %(src)s is not in the export: left as a link") % {"src": src})
        return tag
    return format_html('<img src="image:{}" alt="{}">', pk, attributes.get("alt", ""))


class _Removals(HTMLParser):
    """What the allowlist is about to remove, said for an editor."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag in DROPPED_WITH_CONTENT:
            source = attributes.get("src") or attributes.get("data") or attributes.get("action")
            if source:
                self.note(_("<%(tag)s> removed (%(source)s)") % {"tag": tag, "source": source})
            else:
                self.note(_("<%(tag)s> removed") % {"tag": tag})
            return
        if tag not in ALLOWED_TAGS:
            self.note(_("<%(tag)s> tags removed, their text kept") % {"tag": tag})
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.note(_("%(name)s handler removed") % {"name": name})
            elif name == "style":
                self.note(_("inline styles removed"))
            elif name in {"href", "src", "cite"} and re.match(
                r"(?i)\s*(javascript|vbscript|data):", value
            ):
                self.note(_("%(scheme)s: link removed") % {"scheme": value.split(":")[0].lower()})

    handle_startendtag = handle_starttag


def _removals(html: str) -> list[str]:
    """Only what a reader would have seen or run is worth a note: not WordPress's classes,
    ids or sizes, which every post has."""
    parser = _Removals()
    parser.feed(html)
    parser.close()
    return parser.notes
