"""Importing the real WordPress export in ../shared/wordpress (its README says what is in it).

The archive is imported once for this module, inside a transaction rolled back at its end;
each test's own changes are rolled back to that point. What the import should have made is
read from the export here with the standard library's parser, not the importer's.
"""

import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.test.utils import override_settings

from articles.models import Article, Author, BodyFormat, Image, Section, Tag
from articles.wordpress.importer import import_export
from articles.wordpress.models import Imported
from comments.models import Comment
from tests.wordpress_export import EXPORT, UPLOADS, article_for, table_counts

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}


def wp(element, name: str) -> str:
    return element.findtext(f"wp:{name}", default="", namespaces=NS)


def gmt(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def export():
    """The export's items, read by the standard library: the test's own account of it."""
    return ET.parse(EXPORT).getroot().findall("channel/item")  # noqa: S314 (our own file)


def import_scope(fixture_name: str, config) -> str:
    """Once for the module; once for each test under mutmut, which runs only the tests that
    reached the code a mutant changes, and sees the import only in the test that made it."""
    return "function" if "MUTANT_UNDER_TEST" in os.environ else "module"


@pytest.fixture(scope=import_scope)
def report(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        report = import_export(EXPORT, uploads_dir=UPLOADS, fetch_media=False)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def imported(report, db):
    return report


def posts(export, status=None):
    return [
        item
        for item in export
        if wp(item, "post_type") == "post" and (status is None or wp(item, "status") == status)
    ]


def test_posts_arrive_in_the_status_wordpress_gave_them(imported, export):
    expected = Counter()
    for item in posts(export):
        status, password = wp(item, "status"), wp(item, "post_password")
        if status == "trash":
            continue
        if status == "publish" and not password:
            expected["published"] += 1
        elif status == "future":
            expected["scheduled"] += 1
        else:  # draft, pending, private, and a published one with a password
            expected["draft"] += 1
    articles = Article.objects.all()
    got = Counter(
        "scheduled" if a.is_scheduled else a.status for a in articles.filter(body_format="html")
    )
    assert got == expected
    assert expected == {"published": 16, "scheduled": 1, "draft": 4}
    assert imported.skipped["post"] == {"in WordPress's trash": 1}


def test_trashed_post_is_not_imported_and_the_report_says_so(imported):
    assert not Imported.objects.filter(kind="post", wp_id=34).exists()
    assert not Article.objects.filter(headline__startswith="Retracted").exists()
    assert "post: 21 imported (4 draft, 16 published, 1 scheduled)" in imported.lines()
    assert "  1 skipped: in WordPress's trash" in imported.lines()


def test_a_post_keeps_its_dates_slug_excerpt_sticky_and_closed_comments(imported, export):
    by_id = {int(wp(item, "post_id")): item for item in posts(export)}
    for wp_id, item in by_id.items():
        if wp(item, "status") in ("publish", "future") and not wp(item, "post_password"):
            article = article_for(wp_id)
            assert article.published_at == gmt(wp(item, "post_date_gmt"))
            assert article.created_at == gmt(wp(item, "post_date_gmt"))
    talks = article_for(9)
    assert talks.slug == "talks-on-prisoner-exchange-stall-for-a-third-day"
    assert (
        talks.standfirst
        == "The talks, which began in the spring, have produced no agreement so far."
    )
    assert talks.featured is True
    assert Article.objects.filter(featured=True).count() == 1
    assert article_for(22).comment_mode == Article.CommentMode.CLOSED
    assert article_for(21).comment_mode == Article.CommentMode.SITE_DEFAULT
    assert article_for(33).slug == "Київ-і-Сеул-що-далі"
    assert article_for(27).published_at is None  # a draft gets its time when published
    scheduled = article_for(31)
    assert scheduled.is_scheduled and scheduled.published_at == datetime(2031, 3, 1, 8, tzinfo=UTC)


def test_password_protected_post_is_a_draft_with_a_note(imported):
    article = article_for(24)
    assert article.status == Article.Status.DRAFT
    assert any("had a password" in note and article.headline in note for note in imported.notes)


def test_authors_become_bylines_and_accounts_without_passwords_or_admin(imported, export):
    names = {a.name for a in Author.objects.all()}
    assert {"Olena Kovalenko", "Ji-woo Park", "Marie-Hélène Dubois", "Tunde Okafor"} <= names
    assert article_for(12).byline.name == "Marie-Hélène Dubois"
    dubois = Author.objects.get(name="Marie-Hélène Dubois")
    assert dubois.user.email == "m.duboisa@newsroom.example"
    assert not dubois.user.has_usable_password()
    assert not dubois.user.is_staff and not dubois.user.is_superuser
    assert Imported.objects.get(kind="author", wp_id=2).old_path == "/author/o-kovalenkoa/"


def test_categories_are_flattened_into_sections_and_tags_keep_their_scripts(imported):
    sections = set(Section.objects.values_list("slug", flat=True))
    assert {"world-a", "europe-a", "asia-pacific-a", "politics-a", "opinion-a"} <= sections
    assert article_for(12).section.slug == "asia-pacific-a"
    assert any("flattened" in note and "Asia-Pacific a" in note for note in imported.notes)
    assert Imported.objects.get(kind="category", wp_id=4).old_path == (
        "/category/world-a/asia-pacific-a/"
    )
    korean = Tag.objects.get(name="북한")
    assert korean.slug == "북한"
    assert set(article_for(12).tags.values_list("name", flat=True)) == {"Prisoners of war", "북한"}
    assert Imported.objects.get(kind="tag", object_id=korean.pk).old_path == "/tag/북한/"


def test_attachments_become_library_images_with_alt_caption_and_credit(imported, export):
    attachments = [item for item in export if wp(item, "post_type") == "attachment"]
    assert Image.objects.count() == len(attachments) == 9
    photo = Image.objects.get(pk=article_for(9).featured_image_id)
    assert photo.alt_text == "A checkpoint with two soldiers and a barrier"
    assert photo.caption == "Soldiers at a checkpoint near the border, 2023."
    assert photo.credit == "Photo: Newsroom archive / Photo 1"
    assert (photo.width, photo.height) == (1600, 1000)
    assert Imported.objects.get(kind="attachment", wp_id=8).old_path == (
        "/wp-content/uploads/2026/11/Photo-1-a.jpg"
    )


def test_pages_keep_their_html_and_drafts_stay_hidden(imported):
    about = FlatPage.objects.get(url="/about-us/")
    assert about.title == "About us" and not about.registration_required
    assert about.format.body_format == BodyFormat.HTML
    privacy = FlatPage.objects.get(title="Privacy Policy")
    assert privacy.registration_required  # a draft: readers never see it
    assert imported.skipped["comment"]["on a page (pages take no comments here)"] == 3


def test_every_comment_arrives_with_its_status(imported, export):
    for item in posts(export):
        if wp(item, "status") == "trash":
            continue
        article = article_for(int(wp(item, "post_id")))
        expected = Counter(
            STATUS.get(wp(c, "comment_approved"), "trash") for c in item.findall("wp:comment", NS)
        )
        assert Counter(article.comments.values_list("status", flat=True)) == expected, (
            article.headline
        )
    assert Comment.objects.count() == 842
    assert Counter(Comment.objects.values_list("status", flat=True)) == {
        "approved": 785,
        "pending": 31,
        "trash": 26,
    }


def test_every_thread_is_as_it_was(imported, export):
    """Each comment's parent is the one WordPress had (a reply to a comment the export left
    out sits at the top level); approved replies under a held parent are kept."""
    checked = 0
    for item in posts(export):
        if wp(item, "status") == "trash":
            continue
        comments = item.findall("wp:comment", NS)
        in_export = {wp(c, "comment_id") for c in comments}
        for c in comments:
            mine = Comment.objects.get(pk=int(wp(c, "comment_id")))
            parent = wp(c, "comment_parent")
            if parent != "0" and parent in in_export:
                assert mine.parent_id == int(parent)
            else:
                assert mine.parent_id is None
            checked += 1
    assert checked == 842
    # Approved replies under a parent that is not public: 554 (approved) under 553 (held).
    reply = Comment.objects.get(pk=554)
    assert reply.status == "approved" and reply.parent.status == "pending"
    assert not reply.parent_approved
    deep = Comment.objects.get(pk=595)  # 595 ← 564 ← 560 ← 557 ← 553: five levels
    depth, node = 0, deep
    while node.parent_id:
        depth, node = depth + 1, node.parent
    assert depth == 4


def test_comments_keep_dates_addresses_and_who_wrote_them(imported, export):
    for item in posts(export):
        if wp(item, "status") == "trash":
            continue
        for c in item.findall("wp:comment", NS):
            mine = Comment.objects.get(pk=int(wp(c, "comment_id")))
            assert mine.submitted_at == gmt(wp(c, "comment_date_gmt"))
            assert mine.ip_address == (wp(c, "comment_author_IP") or None)
            assert mine.author_name == wp(c, "comment_author")
            assert mine.author_email == wp(c, "comment_author_email")
            assert mine.author_url == wp(c, "comment_author_url")
            assert mine.text == wp(c, "comment_content")
            assert mine.by_staff == (wp(c, "comment_user_id") != "0")
    staff = Comment.objects.get(pk=555)
    assert staff.user.author_profile.name == "Marie-Hélène Dubois"
    assert Comment.objects.get(pk=553).ip_address == "2001:db8::d2a2"


def test_trashed_comments_remember_the_status_they_had(imported):
    trashed = Comment.objects.filter(status=Comment.Status.TRASH)
    assert trashed.count() == 26
    assert set(trashed.values_list("previous_status", flat=True)) == {"approved"}
    assert Comment.objects.get(pk=568).status_changed_at == datetime.fromtimestamp(
        1675565512, tz=UTC
    )


def test_pingbacks_and_trackbacks_are_kept_as_mentions_with_their_replies(imported):
    assert Counter(Comment.objects.values_list("kind", flat=True)) == {
        "comment": 830,
        "pingback": 6,
        "trackback": 6,
    }
    assert Comment.objects.get(pk=570).parent.kind == Comment.Kind.PINGBACK


def test_a_readers_true_duplicate_is_kept(imported):
    first, second = Comment.objects.filter(pk__in=[556, 557]).order_by("pk")
    assert (first.author_name, first.text) == (second.author_name, second.text)
    assert first.status == second.status == "approved"
    assert first.content_hash != second.content_hash


def test_comments_keep_their_wordpress_numbers_for_old_anchors(imported):
    assert set(Comment.objects.values_list("pk", flat=True)) == set(
        int(origin.rsplit(":", 1)[1]) for origin in Comment.objects.values_list("origin", flat=True)
    )


def test_a_second_run_changes_nothing(imported):
    before = table_counts()
    again = import_export(EXPORT, uploads_dir=UPLOADS, fetch_media=False)
    assert table_counts() == before
    assert sum(again.imported.values()) == 0
    assert again.already["comment"] == 842 and again.already["post"] == 21


def test_a_later_export_adds_only_its_new_comments(imported, export, tmp_path):
    text = EXPORT.read_text()
    extra = """<wp:comment>
        <wp:comment_id>9001</wp:comment_id><wp:comment_author>New reader</wp:comment_author>
        <wp:comment_author_email>new@example.com</wp:comment_author_email>
        <wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
        <wp:comment_date_gmt>2024-01-01 10:00:00</wp:comment_date_gmt>
        <wp:comment_content>Still relevant.</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
        <wp:comment_parent>553</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>"""
    marker = "<wp:comment_id>553</wp:comment_id>"
    start = text.index(marker)
    at = text.rindex("<wp:comment>", 0, start)
    later = tmp_path / "later.xml"
    later.write_text(text[:at] + extra + text[at:])
    before = Comment.objects.count()
    report = import_export(later, uploads_dir=UPLOADS, fetch_media=False)
    assert Comment.objects.count() == before + 1
    assert report.imported["comment"] == 1
    new = Comment.objects.get(pk=9001)
    assert new.parent_id == 553 and new.article == article_for(10)


def test_every_old_address_of_a_public_post_answers_301_to_its_article(imported, export, client):
    from urllib.parse import urlsplit

    for item in posts(export):
        link = urlsplit(item.findtext("link"))
        wp_id = int(wp(item, "post_id"))
        for old in filter(None, [link.path if not link.query else "", f"/?p={wp_id}"]):
            response = client.get(old)
            if wp(item, "status") == "publish" and not wp(item, "post_password"):
                assert response.status_code == 301, old
                assert response["Location"] == article_for(wp_id).get_absolute_url()
            else:  # a draft, a scheduled post, a trashed one: never revealed
                assert response.status_code == (200 if old.startswith("/?") else 404), old
                assert "Location" not in response  # "/?p=27" is just the home page


def test_old_category_tag_author_page_and_feed_addresses_answer_301(imported, client):
    expected = {
        "/category/world-a/asia-pacific-a/": Section.objects.get(slug="asia-pacific-a"),
        "/category/world-a/": Section.objects.get(slug="world-a"),
        "/tag/%eb%b6%81%ed%95%9c/": Tag.objects.get(name="북한"),
        "/author/o-kovalenkoa/": Author.objects.get(name="Olena Kovalenko"),
        "/about-us/": None,  # a page keeps its address: it answers itself
    }
    for old, target in expected.items():
        response = client.get(old)
        if target is None:
            assert response.status_code == 200
        else:
            assert response.status_code == 301, old
            assert response["Location"] == target.get_absolute_url()
    feed = client.get("/2023/01/03/talks-on-prisoner-exchange-stall-for-a-third-day/feed/")
    assert feed.status_code == 301
    assert feed["Location"].startswith("/comments/feed/")
    assert client.get("/feed/").status_code == 200  # the site's feed lives where it did


def test_the_ukrainian_posts_lower_case_encoded_link_finds_it(imported, client):
    response = client.get(
        "/2023/05/19/%d0%9a%d0%b8%d1%97%d0%b2-%d1%96-%d0%a1%d0%b5%d1%83%d0%bb-"
        "%d1%89%d0%be-%d0%b4%d0%b0%d0%bb%d1%96/"
    )
    assert response.status_code == 301
    assert response["Location"] == article_for(33).get_absolute_url()
    assert response["Location"].isascii()
    assert client.get(response["Location"]).status_code == 200


def test_an_old_picture_address_and_its_resized_copies_lead_to_the_picture(imported, client):
    for old in (
        "/wp-content/uploads/2026/11/Photo-1-a.jpg",
        "/wp-content/uploads/2026/11/Photo-1-a-1024x640.jpg",
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"].startswith(settings.MEDIA_URL)


def test_an_old_comment_anchor_finds_its_comment_on_the_article(imported, client):
    response = client.get("/2023/02/04/winter-deepens-crisis-in-border-towns/", follow=True)
    assert response.redirect_chain[0][1] == 301
    assert 'id="comment-554"' in response.text  # /…/#comment-554 lands on it


def test_the_hostile_post_and_comments_are_inert_on_the_page(imported, client):
    """Post 16 is an editor's pasted <script>, onerror, javascript: link, iframe and inline
    style; comments on post 10 carry <script> and <img onerror>."""
    for wp_id in (16, 10):
        page = client.get(article_for(wp_id).get_absolute_url()).content.decode()
        tags = [  # every tag in the page's main part, but the site's own scripts
            tag
            for tag in re.findall(r"<[a-zA-Z][^>]*>", page[page.index("<main") :])
            if not tag.startswith('<script src="/static/js/')
        ]
        for hostile in ("<script", "<iframe", "onerror", "javascript:", "style="):
            assert not [tag for tag in tags if hostile in tag.lower()], (wp_id, hostile)
    winter = client.get(article_for(10).get_absolute_url()).content.decode()
    # Markup WordPress did not allow commenters is shown as the text it was.
    assert "&lt;script&gt;alert('comment-xss')&lt;/script&gt;Nice try." in winter
    assert "I <em>strongly</em> agree with the <strong>second</strong> point." in winter
