"""The importer's rules one at a time: what each WordPress value becomes here."""

import http.server
import io
import threading
from datetime import UTC, datetime

import pytest
from django.contrib.flatpages.models import FlatPage
from django.utils.text import slugify
from reversion.models import Version

from articles.management.commands.import_wordpress import ProgressBar
from articles.models import Article, Image, Section, Tag
from articles.wordpress import parser
from articles.wordpress.importer import (
    article_state,
    comment_origin,
    comment_status,
    import_export,
    plain,
    skipped_status_reason,
    trashed_comment_statuses,
    unique_slug,
    unix_time,
    valid_ip,
    valid_slug,
    wordpress_nicename,
)
from articles.wordpress.models import Imported
from articles.wordpress.report import Report
from articles.wordpress.uploads import original_name, upload_path
from comments.models import Comment
from tests import factories

WHEN = datetime(2023, 1, 3, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "password", "expected"),
    [
        ("publish", False, (Article.Status.PUBLISHED, WHEN)),
        ("future", False, (Article.Status.PUBLISHED, WHEN)),
        ("publish", True, (Article.Status.DRAFT, None)),
        ("future", True, (Article.Status.DRAFT, None)),
        ("draft", False, (Article.Status.DRAFT, None)),
        ("pending", False, (Article.Status.DRAFT, None)),
        ("private", False, (Article.Status.DRAFT, None)),
        ("trash", False, None),
        ("auto-draft", False, None),
        ("inherit", False, None),
    ],
)
def test_post_status_mapping(status, password, expected):
    assert article_state(status, WHEN, password) == expected


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("trash", "in WordPress's trash"),
        ("auto-draft", "an empty automatic draft"),
        ("inherit", "status “inherit”"),
    ],
)
def test_the_report_says_why_a_post_was_not_imported(status, reason):
    assert skipped_status_reason(status) == reason


def test_a_published_post_without_a_date_is_published_now():
    status, when = article_state("publish", None, False)
    assert status == Article.Status.PUBLISHED
    assert abs((when - datetime.now(UTC)).total_seconds()) < 5


@pytest.mark.parametrize(
    ("approved", "before", "expected"),
    [
        ("1", "", ("approved", "")),
        ("approve", "", ("approved", "")),
        ("0", "", ("pending", "")),
        ("hold", "", ("pending", "")),
        ("spam", "", ("spam", "")),
        ("trash", "1", ("trash", "approved")),
        ("trash", "0", ("trash", "pending")),
        ("trash", "spam", ("trash", "spam")),
        ("trash", "", ("trash", "")),
        ("post-trashed", "spam", ("trash", "spam")),
        ("post-trashed", "1", ("trash", "approved")),
        ("1", "0", ("approved", "")),
        ("something-a-plugin-made", "", None),
    ],
)
def test_comment_status_mapping(approved, before, expected):
    assert comment_status(approved, before) == expected


def test_a_trashed_posts_comment_statuses_are_read_from_its_php_array():
    assert trashed_comment_statuses('a:2:{i:869;s:4:"spam";i:870;s:1:"1";}') == {
        869: "spam",
        870: "1",
    }
    assert trashed_comment_statuses("") == {}


def test_ip_addresses_are_kept_when_valid():
    assert valid_ip("198.51.100.7") == "198.51.100.7"
    assert valid_ip(" 2001:db8::d2a2 ") == "2001:db8::d2a2"
    assert valid_ip("") is None
    assert valid_ip("not an address") is None


def test_unix_times_and_gmt_dates():
    assert unix_time("1675565512") == datetime(2023, 2, 5, 2, 51, 52, tzinfo=UTC)
    assert unix_time("") is None
    assert unix_time("soon") is None
    assert parser.parse_gmt("2023-01-03 06:00:00") == WHEN
    assert parser.parse_gmt("0000-00-00 00:00:00") is None
    assert parser.parse_gmt("") is None
    assert parser.parse_gmt("yesterday") is None


def test_plain_text_has_no_tags_entities_or_extra_spaces():
    assert plain("<p>Talks &amp; <b>prices</b>\n\n rise</p>") == "Talks & prices rise"
    assert plain("") == ""


def test_slugs_are_kept_in_any_script_or_made_from_the_title():
    assert valid_slug("Київ-і-Сеул", "x") == "Київ-і-Сеул"
    assert valid_slug("북한", "x") == "북한"
    assert valid_slug("has space", "x") == "has-space"
    assert valid_slug("", "Draft: timeline of the talks") == "draft-timeline-of-the-talks"
    assert valid_slug("", "!!!") == "untitled"


@pytest.mark.django_db
def test_a_slug_taken_here_gets_a_number():
    Section.objects.create(name="World", slug="world")
    Section.objects.create(name="World 2", slug="world-2")
    assert unique_slug(Section, "world", 80) == "world-3"
    assert unique_slug(Section, "europe", 80) == "europe"
    long = "w" * 80
    Section.objects.create(name="Long", slug=long)
    assert unique_slug(Section, long, 80) == "w" * 78 + "-2"


def test_author_addresses_are_made_as_wordpress_makes_them():
    assert wordpress_nicename("o.kovalenkoa") == "o-kovalenkoa"
    assert wordpress_nicename("Admin") == "admin"
    assert wordpress_nicename("a..b__c") == "a-b__c"
    assert wordpress_nicename(".x.") == "x"


def test_upload_paths_and_resized_copies():
    url = "http://127.0.0.1:8081/wp-content/uploads/2026/11/Photo-1-a-1024x640.jpg"
    assert upload_path(url) == "2026/11/Photo-1-a-1024x640.jpg"
    assert original_name(upload_path(url)) == "2026/11/Photo-1-a.jpg"
    assert original_name("2026/11/big-scaled.jpeg") == "2026/11/big.jpeg"
    assert original_name("2026/11/1024x640.jpg") == "2026/11/1024x640.jpg"
    assert original_name("/wp-content/uploads/a-300x188.webp") == "/wp-content/uploads/a.webp"
    assert upload_path("https://example.org/other/place.jpg") == ""
    nested = "https://x.example/wp-content/uploads/2024/wp-content/uploads/a.jpg"
    assert upload_path(nested) == "2024/wp-content/uploads/a.jpg"  # from the first
    assert upload_path("https://cdn.example/wp-content/uploads/%C3%A9t%C3%A9.jpg") == "été.jpg"


def test_a_comments_origin_names_the_site_and_its_number():
    assert comment_origin(3, 557) == "wordpress:3:557"


def test_the_report_lists_each_kind_with_what_it_became():
    report = Report(site="https://old.example")
    report.add_imported("post", "published")
    report.add_imported("post", "draft")
    report.add_already("comment")
    report.add_skipped("post", "in WordPress's trash")
    report.add_skipped("comment", "never", 0)
    report.tally("Pictures without alt text")
    report.tally("Pictures without alt text", 2)
    report.tally("Nothing", 0)
    report.note("A note.")
    assert report.lines() == [
        "WordPress site: https://old.example",
        "post: 2 imported (1 draft, 1 published)",
        "  1 skipped: in WordPress's trash",
        "comment: 0 imported, 1 already imported",
        "- Pictures without alt text: 3",
        "- A note.",
    ]
    dry = Report(site="s", dry_run=True)
    dry.add_imported("tag")
    assert dry.lines() == [
        "WordPress site: s",
        "Dry run: nothing was written.",
        "tag: 1 would import",
    ]
    assert dry.as_dict()["kinds"] == [
        {"kind": "tag", "imported": 1, "already": 0, "became": {}, "skipped": {}}
    ]


def test_the_progress_bar_shows_the_share_read():
    stream = io.StringIO()
    from django.core.management.base import OutputWrapper

    bar = ProgressBar(OutputWrapper(stream))
    bar.show(50, 100)
    bar.show(60, 100)  # too soon after: not drawn
    bar.show(100, 100)  # the end is always drawn
    bar.finish()
    out = stream.getvalue()
    assert out.count("\r[") == 2
    assert "[###############...............]  50%" in out
    assert "100%" in out and out.endswith("\n")


def minimal_export(items: str, namespace: str = "http://wordpress.org/export/1.2/") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:excerpt="{namespace}excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:wp="{namespace}">
<channel><title>Old site</title><link>https://old.example/news</link>
<wp:base_site_url>https://old.example/news</wp:base_site_url>
<wp:author><wp:author_id>7</wp:author_id><wp:author_login>ed</wp:author_login>
<wp:author_email>ed@old.example</wp:author_email>
<wp:author_display_name>Ed Itor</wp:author_display_name></wp:author>
{items}
</channel></rss>""".encode()


def test_the_parser_reads_older_export_versions():
    data = minimal_export("", namespace="http://wordpress.org/export/1.1/")
    records = list(parser.read_export(io.BytesIO(data)))
    assert records[0] == parser.Site(
        title="Old site",
        link="https://old.example/news",
        base_site_url="https://old.example/news",
        base_blog_url="",
    )
    assert records[1] == parser.Author(
        wp_id=7, login="ed", email="ed@old.example", display_name="Ed Itor"
    )


def test_the_parser_counts_what_it_reads():
    data = minimal_export("")
    seen = []
    list(parser.read_export(io.BytesIO(data), on_read=seen.append))
    assert seen and seen[-1] == len(data)


def post_item(wp_id: int, comments: str = "", **fields) -> str:
    values = {
        "title": f"Post {wp_id}",
        "link": f"https://old.example/news/{wp_id}/",
        "status": "publish",
        "name": f"post-{wp_id}",
        "meta": "",
        "extra": "",
        **fields,
    }
    return f"""<item><title>{values["title"]}</title><link>{values["link"]}</link>
<dc:creator>ed</dc:creator><content:encoded><![CDATA[<p>Body {wp_id}</p>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{wp_id}</wp:post_id>
<wp:post_date_gmt>2024-01-02 03:04:05</wp:post_date_gmt>
<wp:post_name>{values["name"]}</wp:post_name>
<wp:status>{values["status"]}</wp:status><wp:post_type>{values.get("type", "post")}</wp:post_type>
<wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<wp:comment_status>open</wp:comment_status>{values["meta"]}{values["extra"]}{comments}</item>"""


def comment_xml(wp_id: int, parent: int = 0, **fields) -> str:
    values = {"approved": "1", "type": "comment", "text": "Same words.", "user": "0", **fields}
    return f"""<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>
<wp:comment_author>Reader</wp:comment_author><wp:comment_author_email>r@example.com</wp:comment_author_email>
<wp:comment_author_IP>bogus</wp:comment_author_IP><wp:comment_agent>Browser/1.0</wp:comment_agent>
<wp:comment_date_gmt>2024-01-02 04:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{values["text"]}]]></wp:comment_content>
<wp:comment_approved>{values["approved"]}</wp:comment_approved>
<wp:comment_type>{values["type"]}</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>
<wp:comment_user_id>{values["user"]}</wp:comment_user_id></wp:comment>"""


@pytest.fixture
def write_export(tmp_path):
    def write(items: str):
        path = tmp_path / "export.xml"
        path.write_bytes(minimal_export(items))
        return path

    return write


@pytest.mark.django_db
def test_a_taken_comment_number_gets_a_new_one_and_the_sequence_moves_past(write_export):
    article = factories.make_article()
    taken = factories.make_comment(article=article)
    path = write_export(post_item(1, comment_xml(taken.pk) + comment_xml(taken.pk + 50)))
    report = import_export(path, fetch_media=False)
    assert report.imported["comment"] == 2
    assert report.tallies and next(iter(report.tallies.values())) == 1
    moved = Comment.objects.get(origin__endswith=f":{taken.pk}")
    assert moved.pk != taken.pk
    assert Comment.objects.filter(pk=taken.pk + 50, origin__endswith=f":{taken.pk + 50}").exists()
    # A comment posted now takes a number past every imported one.
    later = factories.make_comment(article=article)
    assert later.pk > taken.pk + 50


@pytest.mark.django_db
def test_comment_details_that_cannot_be_kept_are_dropped_not_fatal(write_export):
    long_url = "https://example.org/" + "x" * 300
    path = write_export(
        post_item(
            1,
            comment_xml(10)
            + comment_xml(11, type="note")
            + comment_xml(12, approved="unknown")
            + comment_xml(13, parent=12)
            + comment_xml(14, parent=10, user="7").replace(
                "<wp:comment_author>Reader</wp:comment_author>",
                f"<wp:comment_author></wp:comment_author><wp:comment_author_url>{long_url}"
                "</wp:comment_author_url>",
            ),
        )
    )
    report = import_export(path, fetch_media=False)
    assert report.skipped["comment"] == {"comment type “note”": 1, "unknown status “unknown”": 1}
    first = Comment.objects.get(pk=10)
    assert first.ip_address is None and first.user_agent == "Browser/1.0"
    assert first.text_format == Comment.TextFormat.HTML
    reply = Comment.objects.get(pk=14)
    assert reply.author_name == "Anonymous" and reply.author_url == ""
    assert reply.parent_id == 10 and reply.parent_approved
    assert reply.user.email == "ed@old.example"  # WordPress user 7 is the author Ed
    orphan = Comment.objects.get(pk=13)  # its parent was not imported
    assert orphan.parent_id is None


@pytest.mark.django_db
def test_a_site_in_a_subfolder_keeps_its_prefix_in_old_addresses(write_export):
    path = write_export(
        post_item(1, link="https://old.example/news/2024/01/02/post-1/")
        + post_item(2, link="https://old.example/news/?p=2")
        + post_item(3, type="page", link="https://old.example/news/about/", name="about")
    )
    import_export(path, fetch_media=False)
    paths = dict(Imported.objects.filter(kind="post").values_list("wp_id", "old_path"))
    assert paths == {1: "/news/2024/01/02/post-1/", 2: ""}
    assert FlatPage.objects.get(title="Post 3").url == "/about/"
    assert Imported.objects.get(kind="page").old_path == "/news/about/"
    assert Imported.objects.get(kind="author").old_path == "/news/author/ed/"


@pytest.mark.django_db
def test_other_post_types_are_reported_and_wordpress_own_ones_ignored(write_export):
    path = write_export(
        post_item(1, type="product") + post_item(2, type="nav_menu_item") + post_item(3)
    )
    report = import_export(path, fetch_media=False)
    assert report.skipped["post"] == {"post type “product”": 1}
    assert report.imported["post"] == 1


@pytest.mark.django_db
def test_an_attachment_never_reads_outside_the_uploads_folder(tmp_path, write_export):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(factories.image_bytes())
    attachment = post_item(
        5,
        type="attachment",
        status="inherit",
        meta="<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        "<wp:meta_value>../secret.jpg</wp:meta_value></wp:postmeta>",
        extra="<wp:attachment_url>file:///etc/passwd</wp:attachment_url>",
    )
    report = import_export(write_export(attachment), uploads_dir=uploads, fetch_media=True)
    assert report.skipped["attachment"] == {"its file is not in the uploads folder": 1}


@pytest.mark.django_db
def test_a_picture_that_is_not_one_is_skipped_with_the_librarys_reason(tmp_path, write_export):
    uploads = tmp_path / "uploads"
    (uploads / "2024").mkdir(parents=True)
    (uploads / "2024" / "report.pdf").write_bytes(b"%PDF-1.4 not a picture")
    attachment = post_item(
        5,
        type="attachment",
        status="inherit",
        meta="<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        "<wp:meta_value>2024/report.pdf</wp:meta_value></wp:postmeta>",
    )
    report = import_export(write_export(attachment), uploads_dir=uploads)
    assert report.skipped["attachment"] == {
        "This file is not a picture: upload a JPEG, PNG or WebP image.": 1
    }


@pytest.mark.django_db
def test_threads_are_rebuilt_whatever_order_the_export_lists_them_in(write_export):
    comments = [
        comment_xml(3, parent=2, text="three"),  # a reply listed before its parent
        comment_xml(2, parent=1, text="two"),
        comment_xml(1, text="one"),
        comment_xml(6, parent=5, text="six"),  # under a reply to a comment never exported
        comment_xml(5, parent=99, text="five"),
        comment_xml(7, parent=8, text="seven"),  # two comments each other's parent
        comment_xml(8, parent=7, text="eight"),
        comment_xml(10, parent=10, text="ten"),  # its own parent
    ]
    report = import_export(write_export(post_item(1, "".join(comments))), fetch_media=False)
    parents = dict(Comment.objects.values_list("pk", "parent_id"))
    assert parents == {1: None, 2: 1, 3: 2, 5: None, 6: 5, 7: None, 8: 7, 10: None}
    assert report.imported["comment"] == 8
    assert list(report.tallies.values()) == [3]  # 5, 7 and 10 moved to the top level


@pytest.mark.django_db
def test_a_post_with_more_comments_than_a_batch_keeps_every_thread(write_export, monkeypatch):
    monkeypatch.setattr("articles.wordpress.importer.COMMENT_BATCH", 3)
    comments = [comment_xml(n, parent=n - 1 if n % 4 else 0, text=f"c{n}") for n in range(1, 11)]
    import_export(write_export(post_item(1, "".join(comments))), fetch_media=False)
    parents = dict(Comment.objects.values_list("pk", "parent_id"))
    assert parents == {n: (n - 1 if n % 4 else None) or None for n in range(1, 11)}
    assert all(c.parent_approved == (c.parent_id is not None) for c in Comment.objects.all())


@pytest.mark.django_db
def test_categories_and_tags_join_sections_and_tags_of_the_same_slug_or_name(write_export):
    world = Section.objects.create(name="World news", slug="world")
    kyiv = factories.make_tag(name="Kyiv", slug="kyiv-city")
    terms = (
        "<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>world"
        "</wp:category_nicename><wp:category_parent></wp:category_parent>"
        "<wp:cat_name>World</wp:cat_name></wp:category>"
        "<wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug>kyiv</wp:tag_slug>"
        "<wp:tag_name>KYIV</wp:tag_name></wp:tag>"
        "<wp:tag><wp:term_id>4</wp:term_id><wp:tag_slug>kyiv-city</wp:tag_slug>"
        "<wp:tag_name>Kyiv City</wp:tag_name></wp:tag>"
    )
    report = import_export(write_export(terms), fetch_media=False)
    assert report.became == {
        ("category", "joined an existing one"): 1,
        ("tag", "joined an existing one"): 2,
    }
    assert dict(Imported.objects.filter(kind="tag").values_list("wp_id", "object_id")) == {
        3: kyiv.pk,  # by its name, in any case
        4: kyiv.pk,  # by its slug
    }
    assert Imported.objects.get(kind="category").object_id == world.pk
    assert Section.objects.count() == 1 and Tag.objects.count() == 1


@pytest.mark.django_db
def test_a_post_keeps_its_first_category_and_the_report_says_so(write_export):
    two = (
        '<category domain="category" nicename="world"><![CDATA[World]]></category>'
        '<category domain="category" nicename="europe"><![CDATA[Europe]]></category>'
        '<category domain="post_tag" nicename="kyiv"><![CDATA[Kyiv]]></category>'
    )
    report = import_export(write_export(post_item(1, extra=two) + post_item(2)), fetch_media=False)
    first = Article.objects.get(headline="Post 1")
    assert first.section.slug == "world"
    assert list(first.tags.values_list("name", flat=True)) == ["Kyiv"]
    assert Article.objects.get(headline="Post 2").section.slug == "uncategorized"
    assert report.tallies == {
        "Posts in more than one category: each is in its first one's section": 1
    }


@pytest.mark.django_db
def test_a_post_by_someone_not_among_the_exports_authors_gets_a_byline_of_their_login(
    write_export,
):
    path = write_export(
        post_item(1).replace("<dc:creator>ed</dc:creator>", "<dc:creator>guest.writer</dc:creator>")
    )
    import_export(path, fetch_media=False)
    assert Article.objects.get().byline.name == "guest.writer"


@pytest.mark.django_db
def test_a_taken_slug_is_numbered_and_a_missing_title_named(write_export):
    factories.make_article(slug="post-1")
    report = import_export(write_export(post_item(1) + post_item(2, title="")), fetch_media=False)
    assert Article.objects.filter(slug="post-1-2", headline="Post 1").exists()
    assert Article.objects.filter(slug="post-2", headline="(no title)").exists()
    assert report.notes == ["“Post 1”: its address post-1 was taken; it is post-1-2 here."]


@pytest.mark.django_db
def test_new_sections_and_tags_keep_whole_names_within_their_limits_and_a_version(
    write_export,
):
    long_name = "Ukraine and the Korean peninsula: prisoners, exchanges and the law of war"
    longer = long_name + " (continued)"  # 86 characters: cut at 80
    terms = (
        "<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename></wp:category_nicename>"
        f"<wp:category_parent></wp:category_parent><wp:cat_name>{longer}</wp:cat_name>"
        "</wp:category>"
        f"<wp:tag><wp:term_id>3</wp:term_id><wp:tag_slug>{'k' * 90}</wp:tag_slug>"
        "<wp:tag_name>Europe</wp:tag_name></wp:tag>"
    )
    report = import_export(write_export(terms), fetch_media=False)
    assert report.became == {("category", "new"): 1, ("tag", "new"): 1}
    section = Section.objects.get()
    assert section.name == longer[:80]
    assert section.slug == slugify(longer)[:80]  # no slug: made from its name
    assert Version.objects.get_for_object(section).count() == 1  # kept as sections are
    assert Tag.objects.get().slug == "k" * 80


@pytest.mark.django_db
def test_a_comment_without_a_date_takes_its_articles(write_export):
    undated = comment_xml(1).replace(
        "<wp:comment_date_gmt>2024-01-02 04:00:00</wp:comment_date_gmt>", ""
    )
    import_export(write_export(post_item(1, undated)), fetch_media=False)
    comment = Comment.objects.get()
    assert comment.submitted_at == comment.article.published_at
    assert comment.status_changed_at == comment.submitted_at


@pytest.mark.django_db
def test_a_long_category_name_joins_the_section_named_with_its_first_80_characters(
    write_export,
):
    name = "Ukraine and the Korean peninsula: prisoners, exchanges and the law of war, again, 2024"
    existing = Section.objects.create(name=name[:80], slug="peninsula")
    term = (
        "<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>law-of-war"
        "</wp:category_nicename><wp:category_parent></wp:category_parent>"
        f"<wp:cat_name>{name}</wp:cat_name></wp:category>"
    )
    import_export(write_export(term), fetch_media=False)
    assert Imported.objects.get(kind="category").object_id == existing.pk


@pytest.mark.django_db
def test_a_commenters_website_is_kept_up_to_the_fields_length(write_export):
    fits = "https://example.org/" + "x" * 180  # 200 characters: the longest kept
    comments = "".join(
        comment_xml(n, text=f"c{n}").replace(
            "<wp:comment_author>Reader</wp:comment_author>",
            f"<wp:comment_author>Reader</wp:comment_author><wp:comment_author_url>{url}"
            "</wp:comment_author_url>",
        )
        for n, url in ((1, fits), (2, fits + "y"))
    )
    import_export(write_export(post_item(1, comments)), fetch_media=False)
    assert len(fits) == 200
    assert Comment.objects.get(pk=1).author_url == fits
    assert Comment.objects.get(pk=2).author_url == ""


@pytest.fixture
def old_site():
    """The old WordPress site still answering: a picture at its uploads address."""
    picture = factories.image_bytes(size=(800, 500))

    class Uploads(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            if self.path != "/wp-content/uploads/2024/01/photo.jpg":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(picture)))
            self.end_headers()
            self.wfile.write(picture)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Uploads)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def attachment_at(wp_id: int, url: str) -> str:
    return post_item(
        wp_id,
        type="attachment",
        status="inherit",
        title="Photo",
        extra=f"<wp:attachment_url>{url}</wp:attachment_url>",
    )


@pytest.mark.django_db
def test_without_uploads_a_picture_is_fetched_from_its_old_address(write_export, old_site):
    export = write_export(
        attachment_at(5, f"{old_site}/wp-content/uploads/2024/01/photo.jpg")
        + attachment_at(6, f"{old_site}/wp-content/uploads/2024/01/gone.jpg")
    )
    report = import_export(export)
    image = Image.objects.get()
    assert (image.width, image.height, image.alt_text) == (800, 500, "Photo")
    assert image.file.storage.exists(image.file.name)
    assert report.skipped["attachment"] == {
        "its file is not in the uploads folder and its address did not answer": 1
    }
    assert not import_export(export, fetch_media=False).imported  # nothing new either way
