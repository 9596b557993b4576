"""Bringing a WordPress export across: what each thing becomes here.

``import_export(path)`` reads the export twice, streaming (``parser.read_export``):
1. its people, categories, tags and media: authors become author profiles (with an
   account without a password, so their comments carry the staff badge), categories
   sections (flattened: a section has no parent here), tags tags, attachments library
   images, copied from ``uploads_dir`` or fetched from their old address;
2. its posts and pages, each in one transaction with its comments: an interrupted import
   keeps what it finished and a second run picks up where it stopped.

Everything imported is remembered (``Imported``; a comment by its ``origin``), matched by the
export's site and WordPress's ids: a second run of the same export changes nothing, and
one of a later export adds only what is new. A dry run does all the work inside a
transaction it rolls back, and stores no file.
"""

import logging
import os
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.validators import validate_unicode_slug
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles import images, services
from articles.markdown import plain_text
from articles.models import Article, Author, BodyFormat, Image, Section, Tag
from articles.pages.models import PageFormat
from articles.pages.services import save_page
from articles.wordpress import parser
from articles.wordpress.content import convert_post_content
from articles.wordpress.models import ExportedSite, Imported
from articles.wordpress.report import Report
from articles.wordpress.uploads import original_name, upload_path
from comments.models import (
    AUTHOR_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    URL_MAX_LENGTH,
    USER_AGENT_MAX_LENGTH,
    Comment,
)
from newsroom.http_cache import SITE, purge_on_commit

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# WordPress's comment_approved values, and what each is here.
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
TRASHED = {"trash", "post-trashed"}
COMMENT_KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
# Post types WordPress keeps for itself: nothing a reader saw as a page of its own.
WORDPRESS_OWN_TYPES = {
    "nav_menu_item",
    "revision",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "custom_css",
}
# A PHP-serialised array of comment ids and statuses (_wp_trash_meta_comments_status).
PHP_ID_STATUS = re.compile(r'i:(\d+);s:\d+:"([^"]*)";')
FETCH_TIMEOUT = 10
# Comments read before they are written: memory stays small whatever a post's comments.
COMMENT_BATCH = 1000


class Skip(Exception):
    """This thing cannot be imported, for the reason given."""


def import_export(
    path,
    *,
    uploads_dir=None,
    dry_run: bool = False,
    fetch_media: bool = True,
    progress: Progress | None = None,
) -> Report:
    """Import the WordPress export at ``path``; what was done, in a ``Report``.

    Raises ``parser.NotAnExport`` when the file is not a WordPress export.
    """
    importer = _Importer(
        uploads_dir=Path(uploads_dir) if uploads_dir else None,
        dry_run=dry_run,
        fetch_media=fetch_media,
    )
    size = os.path.getsize(path)

    def read(pass_number: int, item_types):
        def on_read(bytes_read: int) -> None:
            if progress is not None:
                progress(pass_number * size + bytes_read, 2 * size)

        with open(path, "rb") as file:
            yield from parser.read_export(file, on_read=on_read, item_types=item_types)

    if dry_run:
        with transaction.atomic():
            importer.run(read)
            transaction.set_rollback(True)
    else:
        importer.run(read)
    return importer.report


@dataclass
class _Importer:
    uploads_dir: Path | None
    dry_run: bool
    fetch_media: bool
    report: Report = field(default_factory=Report)
    site: ExportedSite | None = None
    # WordPress ids (and slugs) → primary keys here, for what pass 2 refers to.
    authors_by_login: dict = field(default_factory=dict)
    users_by_wp_id: dict = field(default_factory=dict)
    sections_by_slug: dict = field(default_factory=dict)
    category_parents: dict = field(default_factory=dict)
    tags_by_slug: dict = field(default_factory=dict)
    images_by_wp_id: dict = field(default_factory=dict)
    images_by_upload: dict = field(default_factory=dict)
    nested_categories: list = field(default_factory=list)

    def __post_init__(self):
        self.report.dry_run = self.dry_run

    # The two passes ---------------------------------------------------------------------

    def run(self, read) -> None:
        for record in read(0, lambda post_type: post_type == "attachment"):
            if isinstance(record, parser.Site):
                self.start(record)
            elif isinstance(record, parser.Author):
                self.author(record)
            elif isinstance(record, parser.Term):
                self.term(record)
            elif isinstance(record, parser.Item):  # only attachments are read in this pass
                self.attachment(record)
        if self.nested_categories:
            self.report.note(
                _(
                    "Categories were flattened: a section has no parent here. Each nested "
                    "category is a section of its own: %(names)s."
                )
                % {"names": ", ".join(self.nested_categories)}
            )
        records = read(1, lambda post_type: post_type != "attachment")
        for record in records:
            if isinstance(record, parser.Item):
                comments = _Counted(comments_of_item(records))
                took_comments = self.item(record, comments)
                for _unread in comments:
                    pass
                if not took_comments:
                    self.report.add_skipped(
                        "comment", self.comments_skipped_because, comments.count
                    )
        purge_on_commit({SITE})

    def start(self, site: parser.Site) -> None:
        base_url = (site.base_site_url or site.link).rstrip("/")
        self.report.site = base_url
        self.site, _created = ExportedSite.objects.get_or_create(
            base_url=base_url, defaults={"title": site.title[:300]}
        )
        self.prefix = urlsplit(base_url).path.rstrip("/")

    def remembered(self, kind: str, wp_id: int) -> int | None:
        return (
            Imported.objects.filter(site=self.site, kind=kind, wp_id=wp_id)
            .values_list("object_id", flat=True)
            .first()
        )

    def remember(self, kind: str, wp_id: int, object_id: int, old_path: str = "") -> None:
        Imported.objects.create(
            site=self.site, kind=kind, wp_id=wp_id, object_id=object_id, old_path=old_path
        )

    # Pass 1: people, terms, media --------------------------------------------------------

    def author(self, record: parser.Author) -> None:
        pk = self.remembered(Imported.Kind.AUTHOR, record.wp_id)
        if pk is not None and Author.objects.filter(pk=pk).exists():
            author = Author.objects.select_related("user").get(pk=pk)
            self.report.add_already("author")
        else:
            with transaction.atomic():
                user = self.account(record)
                author = getattr(user, "author_profile", None)
                if author is None:
                    name = record.display_name or record.login
                    author = Author(
                        name=name[:120],
                        slug=unique_slug(Author, valid_slug("", name or "author"), 120),
                        user=user,
                    )
                    services.save_author(author)
                self.remember(
                    Imported.Kind.AUTHOR,
                    record.wp_id,
                    author.pk,
                    f"{self.prefix}/author/{wordpress_nicename(record.login)}/",
                )
            self.report.add_imported("author")
        self.authors_by_login[record.login] = author.pk
        if author.user_id:
            self.users_by_wp_id[record.wp_id] = author.user_id

    def account(self, record: parser.Author):
        """The account an author's comments are marked as staff by: the site's own with the
        same email, or a new one without a password (it cannot sign in until an
        administrator gives it one, and it has no admin access)."""
        User = get_user_model()
        if record.email:
            user = User.objects.filter(email__iexact=record.email).first()
            if user is not None:
                return user
        login = (record.login or "author")[:140]
        username, n = login, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{login}-{n}"
        user = User(username=username, email=record.email, first_name="", is_staff=False)
        user.set_unusable_password()
        user.save()
        return user

    def term(self, record: parser.Term) -> None:
        """A category becomes a section, a tag a tag: the one here of the same slug or name,
        or a new one."""
        if record.kind == "category":
            kind, model, known = Imported.Kind.CATEGORY, Section, self.sections_by_slug
            self.category_parents[record.slug] = record.parent_slug
            if record.parent_slug:
                self.nested_categories.append(record.name)
        else:
            kind, model, known = Imported.Kind.TAG, Tag, self.tags_by_slug
        pk = self.remembered(kind, record.wp_id)
        if pk is not None and model.objects.filter(pk=pk).exists():
            self.report.add_already(kind)
        else:
            with transaction.atomic():
                pk, created = find_or_make_term(model, record.slug, record.name)
                self.report.add_imported(kind, _("new") if created else _("joined an existing one"))
                old_path = (
                    self.category_path(record.slug)
                    if kind == Imported.Kind.CATEGORY
                    else f"{self.prefix}/tag/{record.slug}/"
                )
                self.remember(kind, record.wp_id, pk, old_path)
        known[record.slug] = pk

    def category_path(self, slug: str) -> str:
        """WordPress's address of a category: its ancestors' slugs, then its own."""
        slugs, seen = [slug], {slug}
        parent = self.category_parents.get(slug, "")
        while parent and parent not in seen:
            slugs.insert(0, parent)
            seen.add(parent)
            parent = self.category_parents.get(parent, "")
        return f"{self.prefix}/category/{'/'.join(slugs)}/"

    def attachment(self, item: parser.Item) -> None:
        relative = item.meta.get("_wp_attached_file", "") or upload_path(item.attachment_url)
        pk = self.remembered(Imported.Kind.ATTACHMENT, item.wp_id)
        if pk is not None and Image.objects.filter(pk=pk).exists():
            self.report.add_already("attachment")
        else:
            try:
                pk = self.new_image(item, relative)
            except Skip as error:
                self.report.add_skipped("attachment", str(error))
                return
            self.report.add_imported("attachment")
        self.images_by_wp_id[item.wp_id] = pk
        for name in (relative, upload_path(item.attachment_url)):
            if name:
                self.images_by_upload[original_name(name)] = pk

    def new_image(self, item: parser.Item, relative: str) -> int:
        """The attachment as a library image (its file checked as an editor's upload is)."""
        with self.media_file(item, relative) as file:  # closed once stored
            try:
                images.check_upload(file)
            except ValidationError as error:
                raise Skip(" ".join(error.messages)) from None
            alt = plain(item.meta.get("_wp_attachment_image_alt", ""))
            if not alt:
                alt = plain(item.title)
                self.report.tally(_("Pictures without alt text: their title is used instead"))
            image = Image(
                alt_text=alt[:300],
                caption=plain(item.excerpt)[:500],
                credit=plain(item.content)[:200],
            )
            with transaction.atomic():
                if self.dry_run:
                    image.file.name = relative  # nothing stored; rolled back with the rest
                    image.save()
                else:
                    image.file = file
                    services.save_image(image, changed_fields={"file"})
                self.remember(
                    Imported.Kind.ATTACHMENT,
                    item.wp_id,
                    image.pk,
                    unquote(urlsplit(item.attachment_url).path),
                )
        return image.pk

    def media_file(self, item: parser.Item, relative: str):
        """The attachment's file: from the uploads folder, or fetched from its address."""
        if self.uploads_dir is not None and relative:
            root = self.uploads_dir.resolve()
            candidate = (root / relative).resolve()
            # Never outside the folder, whatever the export says ("../../etc/passwd").
            if candidate.is_relative_to(root) and candidate.is_file():
                return File(candidate.open("rb"), name=candidate.name)
        url = item.attachment_url
        if not self.fetch_media or not url.lower().startswith(("http://", "https://")):
            raise Skip(_("its file is not in the uploads folder"))
        try:
            # Only http(s) addresses get here (checked above).
            request = urllib.request.Request(url, headers={"User-Agent": "Newsroom"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as answer:  # noqa: S310
                data = answer.read(settings.NEWSROOM_IMAGE_MAX_BYTES + 1)
        except (OSError, ValueError):
            raise Skip(
                _("its file is not in the uploads folder and its address did not answer")
            ) from None
        return ContentFile(data, name=posixpath_name(url))

    # Pass 2: posts and pages with their comments -----------------------------------------

    def item(self, item: parser.Item, comments: Iterator[parser.Comment]) -> bool:
        """Import a post or a page and, in the same transaction, its ``comments`` (read from
        the file as they are taken). Whether its comments were taken; if not, why is in
        ``comments_skipped_because``."""
        kind = item.post_type
        self.comments_skipped_because = _("on a post not imported (%(reason)s)") % {
            "reason": _("post type “%(type)s”") % {"type": kind}
        }
        if kind in WORDPRESS_OWN_TYPES:
            return False
        if kind not in ("post", "page"):
            self.report.add_skipped("post", _("post type “%(type)s”") % {"type": kind})
            return False
        before = self.report.checkpoint()
        try:
            with transaction.atomic():
                if kind == "post":
                    return self.post(item, comments)
                self.page(item)
                return False
        except Exception as error:
            logger.exception("WordPress %s %s could not be imported.", kind, item.wp_id)
            self.report.restore(before)  # nothing of it was imported after all
            self.report.add_skipped(kind, _("failed: %(error)s") % {"error": error})
            self.comments_skipped_because = _("on a post that failed")
            return False

    def post(self, item: parser.Item, comments: Iterator[parser.Comment]) -> bool:
        state = article_state(item.status, item.date_gmt, bool(item.password))
        if state is None:
            reason = skipped_status_reason(item.status)
            self.report.add_skipped("post", reason)
            self.comments_skipped_because = _("on a post not imported (%(reason)s)") % {
                "reason": reason
            }
            return False
        pk = self.remembered(Imported.Kind.POST, item.wp_id)
        article = Article.objects.filter(pk=pk).first() if pk is not None else None
        if article is not None:
            self.report.add_already("post")
        else:
            article = self.new_article(item, state)
        self.comments(item, article, comments)
        return True

    def new_article(self, item: parser.Item, state) -> Article:
        status, published_at = state
        headline = plain(item.title) or _("(no title)")
        categories = [(slug, name) for domain, slug, name in item.terms if domain == "category"]
        section_pk = self.section_for(*categories[0]) if categories else uncategorised_section().pk
        if len(categories) > 1:
            self.report.tally(
                _("Posts in more than one category: each is in its first one's section")
            )
        byline = self.authors_by_login.get(item.creator)
        if byline is None:
            byline = self.placeholder_author(item.creator).pk
        converted = convert_post_content(item.content, self)
        for note in converted.notes:
            self.report.note(f"“{headline}”: {note}")
        if item.password:
            self.report.note(
                _("“%(headline)s” had a password: it is a draft here, for an editor to decide.")
                % {"headline": headline}
            )
        wanted = valid_slug(item.slug, headline)[:200]
        slug = unique_slug(Article, wanted, 200)
        if slug != wanted:
            self.report.note(
                _("“%(headline)s”: its address %(wanted)s was taken; it is %(slug)s here.")
                % {"headline": headline, "wanted": wanted, "slug": slug}
            )
        thumbnail = item.meta.get("_thumbnail_id", "")
        article = Article(
            headline=headline[:200],
            slug=slug,
            standfirst=plain(item.excerpt)[:500],
            body=converted.html,
            body_format=BodyFormat.HTML,
            byline_id=byline,
            section_id=section_pk,
            status=status,
            published_at=published_at,
            featured=item.sticky,
            featured_image_id=self.images_by_wp_id.get(int(thumbnail))
            if thumbnail.isdigit()
            else None,
            comment_mode=Article.CommentMode.CLOSED
            if item.comment_status == "closed"
            else Article.CommentMode.SITE_DEFAULT,
        )
        services.save_article(
            article,
            changed_fields=set(),
            created=True,
            comment=_("Imported from WordPress (post %(id)d).") % {"id": item.wp_id},
        )
        article.tags.set(
            {self.tag_for(slug, name) for domain, slug, name in item.terms if domain == "post_tag"}
        )
        if item.date_gmt is not None:
            Article.objects.filter(pk=article.pk).update(created_at=item.date_gmt)
        link = urlsplit(item.link)
        self.remember(
            Imported.Kind.POST,
            item.wp_id,
            article.pk,
            "" if link.query else unquote(link.path),
        )
        became = _("scheduled") if article.is_scheduled else article.get_status_display()
        self.report.add_imported("post", str(became).lower())
        return article

    def section_for(self, slug: str, name: str) -> int:
        """A post's section: its category's, or one for a category the export's list of
        terms left out."""
        if slug not in self.sections_by_slug:
            self.sections_by_slug[slug], _created = find_or_make_term(Section, slug, name)
        return self.sections_by_slug[slug]

    def tag_for(self, slug: str, name: str) -> int:
        if slug not in self.tags_by_slug:
            self.tags_by_slug[slug], _created = find_or_make_term(Tag, slug, name)
        return self.tags_by_slug[slug]

    def placeholder_author(self, login: str) -> Author:
        name = login or _("Unknown author")
        author = Author.objects.filter(name=name).first()
        if author is None:
            author = Author(name=name[:120], slug=unique_slug(Author, valid_slug("", name), 120))
            services.save_author(author)
        return author

    def page(self, item: parser.Item) -> None:
        title = plain(item.title) or _("(no title)")
        self.comments_skipped_because = _("on a page (pages take no comments here)")
        if item.status in ("trash", "auto-draft", "inherit"):
            self.report.add_skipped("page", skipped_status_reason(item.status))
            return
        pk = self.remembered(Imported.Kind.PAGE, item.wp_id)
        if pk is not None and FlatPage.objects.filter(pk=pk).exists():
            self.report.add_already("page")
            return
        link = urlsplit(item.link)
        if link.query or not link.path.strip("/"):
            url = f"/{valid_slug(item.slug, title)}/"
        else:
            url = unquote(link.path.removeprefix(self.prefix) or "/")
        if FlatPage.objects.filter(url=url).exists():
            self.report.add_skipped(
                "page", _("a page at its address is here already (kept as it is)")
            )
            return
        hidden = item.status != "publish" or bool(item.password)
        converted = convert_post_content(item.content, self)
        for note in converted.notes:
            self.report.note(f"“{title}”: {note}")
        page = FlatPage(url=url, title=title[:200], content=converted.html)
        page.registration_required = hidden
        save_page(
            page,
            footer_position=None,
            comment=_("Imported from WordPress (page %(id)d).") % {"id": item.wp_id},
        )
        PageFormat.objects.create(page=page, body_format=BodyFormat.HTML)
        self.remember(
            Imported.Kind.PAGE, item.wp_id, page.pk, "" if link.query else unquote(link.path)
        )
        if hidden:
            self.report.note(
                _("The page “%(title)s” was not public (%(status)s): it is hidden from readers.")
                % {"title": title, "status": item.status}
            )
        self.report.add_imported("page", _("hidden") if hidden else _("public"))

    # Images for the content converter (content.ImageLookup) ----------------------------

    def by_wp_id(self, wp_id: int) -> int | None:
        return self.images_by_wp_id.get(wp_id)

    def by_url(self, url: str) -> int | None:
        name = upload_path(url)
        return self.images_by_upload.get(original_name(name)) if name else None

    # Comments ----------------------------------------------------------------------------

    def comments(
        self, item: parser.Item, article: Article, records: Iterator[parser.Comment]
    ) -> None:
        """The post's comments, as they are read, a batch at a time. A reply waits until its
        parent is in (WordPress lists parents first; a reply listed before its parent, or
        under one never imported, still finds its place). Each keeps WordPress's number as
        its own when no comment here has it, so that old ``#comment-N`` links find it."""
        thread = _Thread(
            article=article,
            trashed_with_post=trashed_comment_statuses(
                item.meta.get("_wp_trash_meta_comments_status", "")
            ),
        )
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) == COMMENT_BATCH:
                self.comment_batch(thread, batch)
                batch = []
        self.comment_batch(thread, batch)
        # Replies whose parent never came (WordPress leaves spam out of its exports): at the
        # top level, then their own replies.
        while thread.waiting:
            known = {entry.record.wp_id for entry in thread.waiting}
            orphans = [e for e in thread.waiting if e.record.parent_id not in known]
            # In a loop of parents, none is an orphan: the first one read goes to the top.
            for entry in orphans or thread.waiting[:1]:
                entry.parent_missing = True
            self.report.tally(
                _(
                    "Replies to a comment not imported (WordPress leaves spam out of its "
                    "exports), shown at the top level"
                ),
                len(orphans or thread.waiting[:1]),
            )
            self.place(thread, [])

    def comment_batch(self, thread: "_Thread", records: list) -> None:
        if not records:
            return
        origins = [comment_origin(self.site.pk, record.wp_id) for record in records]
        existing = imported_comments(origins)
        new = []
        for record, origin in zip(records, origins, strict=True):
            if origin in existing:
                pk, status = existing[origin]
                thread.pks[record.wp_id], thread.statuses[pk] = pk, status
                self.report.add_already("comment")
                continue
            kind = COMMENT_KINDS.get(record.type)
            if kind is None:
                self.report.add_skipped(
                    "comment", _("comment type “%(type)s”") % {"type": record.type}
                )
                continue
            state = comment_status(
                record.approved,
                record.meta.get("_wp_trash_meta_status")
                or thread.trashed_with_post.get(record.wp_id, ""),
            )
            if state is None:
                self.report.add_skipped(
                    "comment", _("unknown status “%(status)s”") % {"status": record.approved}
                )
                continue
            new.append(_Waiting(record, kind, *state))
        self.place(thread, new)

    def place(self, thread: "_Thread", new: list) -> None:
        """Insert every comment waiting whose parent is in, round after round (each round's
        replies may be the next round's parents); the others wait on."""
        waiting = thread.waiting + new
        while True:
            ready = [
                entry
                for entry in waiting
                if entry.parent_missing
                or not entry.record.parent_id
                or entry.record.parent_id in thread.pks
            ]
            if not ready:
                break
            self.insert(thread, ready)
            placed = {id(entry) for entry in ready}
            waiting = [entry for entry in waiting if id(entry) not in placed]
        thread.waiting = waiting

    def insert(self, thread: "_Thread", entries: list) -> None:
        free = self.free_comment_pks([entry.record.wp_id for entry in entries])
        comments = []
        for entry in entries:
            record = entry.record
            parent_pk = None if entry.parent_missing else thread.pks.get(record.parent_id)
            comment = self.comment(
                record, thread.article, entry.kind, entry.status, entry.previous, parent_pk
            )
            comment.parent_approved = (
                parent_pk is not None and thread.statuses.get(parent_pk) == Comment.Status.APPROVED
            )
            if record.wp_id in free:
                comment.pk = record.wp_id
            comment.content_hash = comment.compute_content_hash()
            comments.append(comment)
        Comment.objects.bulk_create(comments)
        renumbered = 0
        for entry, comment in zip(entries, comments, strict=True):
            thread.pks[entry.record.wp_id] = comment.pk
            thread.statuses[comment.pk] = comment.status
            renumbered += comment.pk != entry.record.wp_id
            self.report.add_imported("comment", comment.status)
            if comment.kind != Comment.Kind.COMMENT:
                self.report.add_imported("mention", comment.kind)
        self.report.tally(
            _(
                "Comments whose WordPress number a comment here has already: they have new "
                "numbers, so an old #comment link lands on the article, not on them"
            ),
            renumbered,
        )

    def comment(self, record, article, kind, status, previous, parent_pk) -> Comment:
        submitted_at = record.date_gmt or article.published_at or timezone.now()
        trashed_at = record.meta.get("_wp_trash_meta_time", "")
        return Comment(
            article=article,
            parent_id=parent_pk,
            author_name=(unescape(record.author).strip() or _("Anonymous"))[:AUTHOR_MAX_LENGTH],
            author_email=record.email[:EMAIL_MAX_LENGTH],
            author_url=record.url if len(record.url) <= URL_MAX_LENGTH else "",
            text=record.content,
            text_format=Comment.TextFormat.HTML,
            kind=kind,
            origin=comment_origin(self.site.pk, record.wp_id),
            user_id=self.users_by_wp_id.get(record.user_id) if record.user_id else None,
            status=status,
            previous_status=previous,
            ip_address=valid_ip(record.ip),
            user_agent=record.agent[:USER_AGENT_MAX_LENGTH],
            submitted_at=submitted_at,
            status_changed_at=unix_time(trashed_at) or submitted_at,
        )

    def free_comment_pks(self, wanted: list[int]) -> set[int]:
        """Which of the WordPress numbers no comment here has. On PostgreSQL the key sequence
        is first moved past them, so that no comment posted meanwhile can take one."""
        if not wanted:
            return set()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = Comment._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST("
                    "COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass),"
                    " 0), %s))",
                    [table, table, max(wanted)],
                )
        taken = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            taken.update(
                Comment.objects.filter(pk__in=chunk).order_by().values_list("pk", flat=True)
            )
        return set(wanted) - taken


@dataclass
class _Waiting:
    """A comment read and mapped, waiting for its parent to be in."""

    record: parser.Comment
    kind: str
    status: str
    previous: str
    parent_missing: bool = False


@dataclass
class _Thread:
    """What one post's comments need of each other while they are imported."""

    article: Article
    trashed_with_post: dict
    pks: dict = field(default_factory=dict)  # WordPress id → primary key here
    statuses: dict = field(default_factory=dict)  # primary key → status
    waiting: list = field(default_factory=list)


class _Counted:
    """An iterator that counts what was taken from it."""

    def __init__(self, iterator: Iterator):
        self.iterator = iterator
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        value = next(self.iterator)
        self.count += 1
        return value


def comments_of_item(records: Iterator) -> Iterator[parser.Comment]:
    """The comments that follow an item in the file, up to its end."""
    for record in records:
        if isinstance(record, parser.ItemEnd):
            return
        yield record


def imported_comments(origins: list[str]) -> dict[str, tuple[int, str]]:
    """Which of these origins a comment here has already: origin → (primary key, status)."""
    found = {}
    for start in range(0, len(origins), 500):
        rows = (
            Comment.objects.filter(origin__in=origins[start : start + 500])
            # Said again so that SQLite uses the partial index of origins (comment_imported_once).
            .exclude(origin="")
            .order_by()
            .values_list("origin", "pk", "status")
        )
        found.update({origin: (pk, status) for origin, pk, status in rows})
    return found


# The rules, one definition each ---------------------------------------------------------


def find_or_make_term(model, slug: str, name: str) -> tuple[int, bool]:
    """The section or tag (``model``) a WordPress term becomes: the one here with its slug
    or its name (in any case), or a new one (with both free, then). Its key, and whether it
    is new."""
    slug = valid_slug(slug, name)[:80]
    found = (
        model.objects.filter(slug=slug).first()
        or model.objects.filter(name__iexact=name[:80]).first()
    )
    if found is not None:
        return found.pk, False
    term = model(name=name[:80], slug=slug)
    (services.save_section if model is Section else services.save_tag)(term)
    return term.pk, True


def comment_origin(site_pk: int, wp_id: int) -> str:
    return f"wordpress:{site_pk}:{wp_id}"


def article_state(status: str, date_gmt: datetime | None, has_password: bool):
    """(status, publish time) of a post WordPress had in ``status``; None: not imported.

    Published stays published at its own time; scheduled stays scheduled; a draft, one
    pending review, a private one and any with a password become drafts (a password-protected
    post was not public: an editor decides).
    """
    if status in ("publish", "future") and not has_password:
        return Article.Status.PUBLISHED, date_gmt or timezone.now()
    if status in ("publish", "future", "draft", "pending", "private"):
        return Article.Status.DRAFT, None
    return None


def skipped_status_reason(status: str) -> str:
    if status == "trash":
        return _("in WordPress's trash")
    if status == "auto-draft":
        return _("an empty automatic draft")
    return _("status “%(status)s”") % {"status": status}


def comment_status(approved: str, status_before_trash: str):
    """(status, status before the trash) of a comment WordPress had as ``approved``; None
    for a status WordPress plugins invented."""
    if approved in COMMENT_STATUSES:
        return COMMENT_STATUSES[approved], ""
    if approved in TRASHED:
        return Comment.Status.TRASH, COMMENT_STATUSES.get(status_before_trash, "")
    return None


def trashed_comment_statuses(serialised: str) -> dict[int, str]:
    """The statuses a trashed post's comments had (``_wp_trash_meta_comments_status``)."""
    return {int(pk): status for pk, status in PHP_ID_STATUS.findall(serialised)}


def valid_ip(value: str) -> str | None:
    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def unix_time(value: str) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value.strip().isdigit() else None


def plain(html: str) -> str:
    """Text without tags or entities, on one line."""
    return " ".join(unescape(plain_text(html)).split())


def valid_slug(slug: str, fallback: str) -> str:
    """WordPress's slug (decoded) if it is one here, else one made from ``fallback``."""
    slug = slug.strip()
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        slug = slugify(slug, allow_unicode=True) or slugify(fallback, allow_unicode=True)
    return slug or "untitled"


def unique_slug(model, wanted: str, max_length: int) -> str:
    wanted = wanted[:max_length] or "untitled"
    slug, n = wanted, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = wanted[: max_length - len(suffix)] + suffix
    return slug


def wordpress_nicename(login: str) -> str:
    """The name in an author's address, as WordPress makes it from the login
    (sanitize_title: "o.kovalenkoa" → "o-kovalenkoa")."""
    name = re.sub(r"[^a-z0-9_-]+", "-", login.lower())
    return re.sub(r"-{2,}", "-", name).strip("-")


def posixpath_name(url: str) -> str:
    return unquote(urlsplit(url).path).rsplit("/", 1)[-1] or "picture"


def uncategorised_section() -> Section:
    section = Section.objects.filter(slug="uncategorized").first()
    if section is None:
        section = Section(name=_("Uncategorized"), slug="uncategorized")
        services.save_section(section)
    return section
