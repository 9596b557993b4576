"""Every change readers can see purges, once it commits, exactly the cached pages showing it."""

import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services as article_services
from articles.models import ARTICLE_INDEX, ARTICLE_LISTS, Article
from comments import services
from comments.models import Comment
from newsroom.http_cache import SITE, purge
from tests.factories import (
    comment_data,
    make_article,
    make_author,
    make_comment,
    make_section,
    make_tag,
)

pytestmark = pytest.mark.django_db

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in for Varnish: answers PURGE as deploy/varnish/newsroom.vcl does."""

    received: list[tuple[str, str, set[str]]]

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        keys = set(self.headers.get("xkey-purge", "").split())
        self.server.received.append((self.command, self.path, keys))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    """The keys each purge named, in order; callbacks run when the block's changes commit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.NEWSROOM_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}"]

    class Purges(list):
        def committing(self):
            return django_capture_on_commit_callbacks(execute=True)

        def keys(self) -> set[str]:
            return set().union(*(keys for _, _, keys in server.received))

        @property
        def requests(self):
            return server.received

    yield Purges()
    server.shutdown()
    server.server_close()


def page_of(article: Article) -> str:
    return f"article-{article.pk}"


def test_an_approval_purges_its_article_by_a_purge_request(purged, article):
    comment = make_comment(article, status=PENDING)
    with purged.committing():
        services.change_status([comment], APPROVED)
    assert purged.requests == [("PURGE", "/", {page_of(article)})]


def test_nothing_is_purged_before_the_change_commits(purged, article):
    comment = make_comment(article, status=PENDING)
    with purged.committing() as callbacks:
        services.change_status([comment], APPROVED)
        assert purged.requests == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("before", "after", "purges"),
    [
        (PENDING, APPROVED, True),
        (APPROVED, PENDING, True),
        (APPROVED, SPAM, True),
        (APPROVED, TRASH, True),
        (PENDING, SPAM, False),
        (PENDING, TRASH, False),
        (SPAM, TRASH, False),
    ],
)
def test_a_status_change_purges_only_when_readers_saw_or_will_see_it(
    purged, article, before, after, purges
):
    comment = make_comment(article, status=before)
    with purged.committing():
        services.change_status([comment], after)
    assert purged.keys() == ({page_of(article)} if purges else set())


def test_restoring_from_the_trash_to_approved_purges(purged, article):
    comment = make_comment(article, status=APPROVED)
    services.change_status([comment], TRASH)
    with purged.committing():
        services.restore([comment], TRASH)
    assert Comment.objects.get().status == APPROVED
    assert purged.keys() == {page_of(article)}


def test_a_bulk_action_on_many_comments_sends_one_purge(purged, editor_client):
    first, second = make_article(), make_article()
    comments = [make_comment(a, status=PENDING) for a in (first, first, second)]
    with purged.committing():
        editor_client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "mark_approved", "_selected_action": [c.pk for c in comments]},
        )
    assert purged.requests == [("PURGE", "/", {page_of(first), page_of(second)})]


def test_the_emails_confirm_page_purges(purged, editor_client, article):
    comment = make_comment(article, status=PENDING)
    url = reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"])
    with purged.committing():
        editor_client.post(url)
    assert purged.keys() == {page_of(article)}


def test_an_editors_edit_of_an_approved_comment_purges(purged, editor_client, article):
    comment = make_comment(article, status=APPROVED)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = {
        "status": APPROVED,
        "author_name": "Corrected Name",
        "author_email": comment.author_email,
        "author_url": "",
        "text": "Corrected text.",
    }
    with purged.committing():
        response = editor_client.post(url, data)
    assert response.status_code == 302
    assert Comment.objects.get().text == "Corrected text."
    assert purged.keys() == {page_of(article)}


def test_a_reader_comment_approved_at_once_purges(purged, client, article, discussion):
    discussion.hold_all = False
    discussion.save()
    make_comment(article, author_name="Ada Reader", author_email="ada@example.org")
    with purged.committing():
        client.post(reverse("comments:post", args=[article.pk]), comment_data(article))
    assert Comment.objects.latest("pk").status == APPROVED
    assert purged.keys() == {page_of(article)}


def test_a_held_comment_purges_nothing(purged, client, article):
    with purged.committing():
        client.post(reverse("comments:post", args=[article.pk]), comment_data(article))
    assert Comment.objects.get().status == PENDING
    assert purged.requests == []


def test_erasing_personal_data_purges_the_articles_showing_it(purged, article):
    other = make_article()
    make_comment(article, author_email="ada@example.org", status=APPROVED)
    make_comment(other, author_email="ada@example.org", status=SPAM)
    with purged.committing():
        services.erase_personal_data("ada@example.org")
    assert purged.keys() == {page_of(article)}


def test_the_daily_clean_up_purges_threads_whose_replies_moved(purged, article):
    old = timezone.now() - timedelta(days=60)
    spam = make_comment(article, status=SPAM, status_changed_at=old)
    make_comment(article, parent=spam, status=APPROVED)
    with purged.committing():
        call_command("cleanupcomments", verbosity=0)
    assert purged.keys() == {page_of(article)}


def test_publishing_an_article_purges_the_lists_and_its_page(purged, editor_client):
    section = make_section()
    data = {
        "headline": "Fresh news",
        "slug": "fresh-news",
        "standfirst": "",
        "byline": make_author("Staff").pk,
        "section": section.pk,
        "dateline": "",
        "body": "Text.",
        "status": Article.Status.PUBLISHED,
        "published_at_0": timezone.now().strftime("%Y-%m-%d"),
        "published_at_1": "00:00:00",
        "comment_mode": Article.CommentMode.SITE_DEFAULT,
    }
    with purged.committing():
        response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert purged.keys() == {page_of(article), ARTICLE_LISTS, ARTICLE_INDEX}


def test_editing_an_articles_words_purges_its_pages_not_every_list(purged, article):
    article.body = "A corrected body."
    with purged.committing():
        article_services.save_article(article, changed_fields=["body"], created=False)
    assert purged.keys() == {page_of(article), ARTICLE_INDEX}


def test_unpublishing_purges_the_lists(purged, article):
    article.status = Article.Status.DRAFT
    with purged.committing():
        article_services.save_article(article, changed_fields=["status"], created=False)
    assert purged.keys() == {page_of(article), ARTICLE_LISTS, ARTICLE_INDEX}


def test_deleting_articles_in_the_admin_purges(purged, editor, client, article):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    with purged.committing():
        client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.exists()
    assert purged.keys() == {page_of(article), ARTICLE_LISTS, ARTICLE_INDEX}


def test_renaming_a_section_purges_every_page_as_every_page_shows_it_in_the_navigation(
    purged, editor_client, article
):
    section = article.section
    url = reverse("admin:articles_section_change", args=[section.pk])
    with purged.committing():
        editor_client.post(url, {"name": "World news", "slug": section.slug})
    assert purged.keys() == {SITE}


def test_deleting_an_empty_section_purges_every_page(purged, editor_client):
    section = make_section()
    url = reverse("admin:articles_section_delete", args=[section.pk])
    with purged.committing():
        editor_client.post(url, {"post": "yes"})
    assert not type(section).objects.filter(pk=section.pk).exists()
    assert purged.keys() == {SITE}


def test_renaming_a_tag_purges_its_page_its_articles_and_the_sitemap(purged, editor_client):
    tag = make_tag(name="Kyiv", slug="kyiv")
    url = reverse("admin:articles_tag_change", args=[tag.pk])
    with purged.committing():
        response = editor_client.post(url, {"name": "Kyiv city", "slug": "kyiv"})
    assert response.status_code == 302
    assert purged.keys() == {f"tag-{tag.pk}", ARTICLE_INDEX}


def test_deleting_a_tag_purges_its_page_its_articles_and_the_sitemap(purged, editor_client):
    tag = make_tag()
    with purged.committing():
        editor_client.post(reverse("admin:articles_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert purged.keys() == {f"tag-{tag.pk}", ARTICLE_INDEX}


def test_tagging_an_article_purges_the_lists_its_tag_pages_show(purged, article):
    article.tags.add(make_tag())
    with purged.committing():
        article_services.save_article(article, changed_fields=["tags"], created=False)
    assert purged.keys() == {page_of(article), ARTICLE_LISTS, ARTICLE_INDEX}


def test_saving_the_discussion_settings_purges_every_conversation(purged, editor_client):
    url = reverse("admin:comments_discussionsettings_change", args=[1])
    data = {
        "hold_all": "on",
        "approve_known_commenters": "on",
        "max_links": 2,
        "moderation_words": "",
        "disallowed_words": "",
        "close_after_days": 14,
        "thread_depth": 3,
        "comments_per_page": 20,
        "first_page": "oldest",
        "order": "asc",
        "report_threshold": 3,
    }
    with purged.committing():
        response = editor_client.post(url, data)
    assert response.status_code == 302
    assert purged.keys() == {"discussion"}


def test_a_failed_purge_is_logged_and_the_editors_change_stands(
    settings, caplog, editor_client, article, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_CACHE_PURGE_URLS = ["http://127.0.0.1:9"]  # nothing listens there
    comment = make_comment(article, status=PENDING)
    url = reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"])
    with (
        caplog.at_level(logging.ERROR, logger="newsroom.http_cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = editor_client.post(url)
    assert response.status_code == 302
    assert Comment.objects.get().status == APPROVED
    assert f"Could not purge 'article-{article.pk}'" in caplog.text


def test_the_purge_names_the_cache_and_why_it_failed(settings, caplog):
    settings.NEWSROOM_CACHE_PURGE_URLS = ["http://127.0.0.1:9"]  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="newsroom.http_cache"):
        purge(["article-1", "site"])
    [record] = caplog.records
    assert record.getMessage().startswith(
        "Could not purge 'article-1 site' from the cache at http://127.0.0.1:9/: "
    )
    assert "refused" in record.getMessage().lower()


def test_a_purge_goes_to_the_caches_root_whatever_path_its_address_has(purged, settings):
    [base] = settings.NEWSROOM_CACHE_PURGE_URLS
    settings.NEWSROOM_CACHE_PURGE_URLS = [f"{base}/some/path?x=1"]
    purge(["article-7"])
    assert purged.requests == [("PURGE", "/", {"article-7"})]


class Silent(BaseHTTPRequestHandler):
    """A cache that takes the request and never answers."""

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.server.stop.wait(10)

    def log_message(self, *args):
        pass


def test_a_cache_that_never_answers_is_given_up_on_after_the_timeout(settings, caplog):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    server.stop = threading.Event()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings.NEWSROOM_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}"]
    settings.NEWSROOM_CACHE_PURGE_TIMEOUT = 0.2
    purging = threading.Thread(target=purge, args=(["article-1"],), daemon=True)
    try:
        with caplog.at_level(logging.ERROR, logger="newsroom.http_cache"):
            purging.start()
            purging.join(5)  # without the timeout it would wait for the silent cache
            assert not purging.is_alive()
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
    assert "timed out" in caplog.text


# Roles and schedules: publishing in bulk, an article's comment setting, an author's profile


def test_publishing_in_bulk_purges_each_article_and_the_lists(purged, editor_client):
    drafts = [make_article(status=Article.Status.DRAFT, published_at=None) for _ in range(2)]

    with purged.committing():
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [a.pk for a in drafts]},
        )

    assert all(Article.objects.get(pk=a.pk).is_public for a in drafts)
    assert purged.keys() == {page_of(drafts[0]), page_of(drafts[1]), ARTICLE_LISTS, ARTICLE_INDEX}


def test_unpublishing_in_bulk_purges_the_article_and_the_lists(purged, editor_client, article):
    with purged.committing():
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [article.pk]},
        )

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert purged.keys() == {page_of(article), ARTICLE_LISTS, ARTICLE_INDEX}


def test_closing_an_articles_comments_purges_its_page(purged, editor_client, article):
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": "",
        "byline": article.byline_id,
        "section": article.section_id,
        "dateline": "",
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "comment_mode": Article.CommentMode.CLOSED,
        "comments_close_after_days": "",
    }
    with purged.committing():
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[article.pk]), data
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert purged.keys() == {page_of(article), ARTICLE_INDEX}


def test_editing_an_author_purges_their_page_and_every_page_with_their_byline(purged, article):
    author = article.byline
    author.bio = "A new bio."

    with purged.committing():
        article_services.save_author(author)

    assert purged.keys() == {f"author-{author.pk}", ARTICLE_INDEX}
    assert f"author-{author.pk}" in article.cache_keys
