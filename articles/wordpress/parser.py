"""Reading a WordPress export (WXR, "Tools › Export › All content") one record at a time.

The file is parsed with defusedxml, so a hostile export can neither expand entities nor
reach for external files, and streamed with ``iterparse``: each author, term, item (a post,
a page, an attachment) and each of an item's comments is read, handed on and dropped: a
1 GB export, or a post with 100,000 comments, is read in little memory. WXR 1.0, 1.1 and
1.2 are read alike (their namespaces differ only in the version).
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

EXPORT_NAMESPACE = "http://wordpress.org/export/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
NO_DATE = "0000-00-00 00:00:00"
# The channel's own elements that say which site it is, by namespace.
SITE_FIELDS = {"": ("title", "link"), EXPORT_NAMESPACE: ("base_site_url", "base_blog_url")}


class NotAnExport(ValueError):
    """The file is not a WordPress export (or not XML at all)."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class Author:
    wp_id: int
    login: str
    email: str
    display_name: str


@dataclass
class Term:
    kind: str  # "category" or "tag"
    wp_id: int
    slug: str  # decoded: "북한", not "%eb%b6%81%ed%95%9c"
    name: str
    parent_slug: str = ""


@dataclass
class Comment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    agent: str
    date_gmt: datetime | None
    content: str
    approved: str
    type: str
    parent_id: int
    user_id: int
    meta: dict = field(default_factory=dict)


@dataclass
class Item:
    wp_id: int
    post_type: str
    status: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    date_gmt: datetime | None
    slug: str
    parent_id: int
    sticky: bool
    password: str
    comment_status: str
    attachment_url: str
    # (domain, decoded slug, name): domain "category" or "post_tag"
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)


@dataclass
class ItemEnd:
    """An item and its comments are all read."""

    wp_id: int


Record = Site | Author | Term | Item | Comment | ItemEnd


class _CountingReader(io.RawIOBase):
    """The file, counting the bytes read: how far the import has come."""

    def __init__(self, file, on_read: Callable[[int], None] | None):
        self.file = file
        self.on_read = on_read
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.file.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        if self.on_read is not None:
            self.on_read(self.bytes_read)
        return len(data)


def read_export(
    file,
    *,
    on_read: Callable[[int], None] | None = None,
    item_types: Callable[[str], bool] | None = None,
) -> Iterator[Record]:
    """The export's records in file order: its ``Site`` first, then authors, terms and
    items. An item's comments follow it one by one, then an ``ItemEnd``: a post with
    100,000 comments is never in memory at once. ``file`` is a binary file;
    ``on_read(bytes_read)`` is called as it is read; ``item_types(post_type)`` says which
    items to read (all without it: the others, and their comments, are passed over).
    Raises ``NotAnExport`` for a file that is not XML or not a WordPress export."""
    reader = _CountingReader(file, on_read)
    site = Site()
    site_sent = False
    # 1: <rss>, 2: <channel>, 3: the channel's children (items, authors, terms…), 4: an
    # item's fields and comments.
    depth = 0
    channel = item_element = item = None
    item_read = False  # the item's fields are read (at its first comment, or its end)
    saw_export_namespace = False
    try:
        for event, element in iterparse(reader, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 2:
                    channel = element
                elif depth == 3:
                    item_element = element if _local(element.tag) == "item" else None
                    item, item_read = None, False
                elif (
                    depth == 4
                    and item_element is not None
                    and not item_read
                    and _local(element.tag) == "comment"
                ):
                    # Its fields all come before its comments: read them now.
                    item, item_read = _item(item_element, item_types), True
                    if item is not None:
                        if not site_sent:
                            yield site
                            site_sent = True
                        yield item
                if not saw_export_namespace and element.tag.startswith("{" + EXPORT_NAMESPACE):
                    saw_export_namespace = True
                continue
            depth -= 1
            if depth == 3 and item_element is not None and _local(element.tag) == "comment":
                if item is not None:
                    yield _comment(element)
                item_element.remove(element)  # done with it
                continue
            if depth != 2 or channel is None:
                continue
            name = _local(element.tag)
            namespace = _namespace(element.tag)
            record = None
            if name == "item":
                if not item_read:
                    item = _item(element, item_types)
                    record = item
            elif namespace.startswith(EXPORT_NAMESPACE) and name == "author":
                record = _author(element)
            elif namespace.startswith(EXPORT_NAMESPACE) and name in ("category", "tag"):
                record = _term(element, name)
            elif name in SITE_FIELDS.get(namespace[: len(EXPORT_NAMESPACE)], ()):
                setattr(site, name, (element.text or "").strip())
            if record is not None:
                if not site_sent:
                    yield site
                    site_sent = True
                yield record
            if name == "item" and item is not None:
                yield ItemEnd(item.wp_id)
            # Done with it: drop it from the tree, so memory stays bounded.
            channel.remove(element)
            item_element = item = None
    except (SyntaxError, DefusedXmlException) as error:  # ParseError; entities, DTDs
        raise NotAnExport(str(error)) from error
    if not saw_export_namespace:
        raise NotAnExport("no WordPress export namespace (http://wordpress.org/export/…)")
    if not site_sent:
        yield site


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element) -> dict[str, object]:
    """The element's children by local name (the last wins), with text."""
    return {_local(child.tag): child for child in element}


def _text(children: dict, name: str) -> str:
    child = children.get(name)
    return (child.text or "") if child is not None else ""


def _int(value: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        return 0


def parse_gmt(value: str) -> datetime | None:
    """A WordPress GMT date ("2023-01-03 06:00:00"), aware; None for "0000-00-00 …"."""
    value = value.strip()
    if not value or value == NO_DATE:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def _author(element) -> Author:
    c = _children(element)
    return Author(
        wp_id=_int(_text(c, "author_id")),
        login=_text(c, "author_login").strip(),
        email=_text(c, "author_email").strip(),
        display_name=_text(c, "author_display_name").strip(),
    )


def _term(element, name: str) -> Term:
    c = _children(element)
    if name == "category":
        return Term(
            kind="category",
            wp_id=_int(_text(c, "term_id")),
            slug=unquote(_text(c, "category_nicename").strip()),
            name=_text(c, "cat_name").strip(),
            parent_slug=unquote(_text(c, "category_parent").strip()),
        )
    return Term(
        kind="tag",
        wp_id=_int(_text(c, "term_id")),
        slug=unquote(_text(c, "tag_slug").strip()),
        name=_text(c, "tag_name").strip(),
    )


def _meta(element, tag: str) -> dict[str, str]:
    meta = {}
    for child in element:
        if _local(child.tag) == tag:
            c = _children(child)
            meta[_text(c, "meta_key")] = _text(c, "meta_value")
    return meta


def _item(element, item_types: Callable[[str], bool] | None) -> Item | None:
    if item_types is not None:
        post_type = next((c.text or "" for c in element if _local(c.tag) == "post_type"), "")
        if not item_types(post_type.strip()):
            return None
    c = {}
    terms = []
    excerpt = ""
    for child in element:
        name = _local(child.tag)
        if name == "category":
            terms.append(
                (child.get("domain", ""), unquote(child.get("nicename", "")), child.text or "")
            )
        elif name == "comment":
            continue  # read one by one (read_export)
        elif name == "encoded" and _namespace(child.tag).endswith("/excerpt/"):
            excerpt = child.text or ""
        elif child.tag == CONTENT:
            c["content"] = child
        elif child.tag == CREATOR:
            c["creator"] = child
        else:
            c[name] = child
    return Item(
        wp_id=_int(_text(c, "post_id")),
        post_type=_text(c, "post_type").strip(),
        status=_text(c, "status").strip(),
        title=_text(c, "title"),
        link=_text(c, "link").strip(),
        creator=_text(c, "creator").strip(),
        content=_text(c, "content"),
        excerpt=excerpt,
        date_gmt=parse_gmt(_text(c, "post_date_gmt")) or parse_gmt(_text(c, "post_date")),
        slug=unquote(_text(c, "post_name").strip()),
        parent_id=_int(_text(c, "post_parent")),
        sticky=_text(c, "is_sticky").strip() == "1",
        password=_text(c, "post_password"),
        comment_status=_text(c, "comment_status").strip(),
        attachment_url=_text(c, "attachment_url").strip(),
        terms=terms,
        meta=_meta(element, "postmeta"),
    )


def _comment(element) -> Comment:
    c = _children(element)
    return Comment(
        wp_id=_int(_text(c, "comment_id")),
        author=_text(c, "comment_author"),
        email=_text(c, "comment_author_email").strip(),
        url=_text(c, "comment_author_url").strip(),
        ip=_text(c, "comment_author_IP").strip(),
        agent=_text(c, "comment_agent").strip(),
        date_gmt=parse_gmt(_text(c, "comment_date_gmt")) or parse_gmt(_text(c, "comment_date")),
        content=_text(c, "comment_content"),
        approved=_text(c, "comment_approved").strip(),
        type=_text(c, "comment_type").strip(),
        parent_id=_int(_text(c, "comment_parent")),
        user_id=_int(_text(c, "comment_user_id")),
        meta=_meta(element, "commentmeta"),
    )
