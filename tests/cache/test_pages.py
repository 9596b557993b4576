"""The site's pages through the real cache: kept for everyone, never anyone's own, and
fresh the moment an editor changes them."""

import http.client
import re
import time
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from django.test import Client

from articles import services as article_services
from articles.models import Article
from comments import services
from comments.models import Comment
from tests import factories
from tests.factories import comment_data, make_comment

pytestmark = pytest.mark.cache

# How soon after an editor's action every anonymous reader sees it.
VISIBLE_WITHIN = 1.0


class Browser:
    """One reader's browser: its own cookies, Sec-Fetch-Site on its own posts."""

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "", headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict, **headers):
        headers.setdefault("Sec-Fetch-Site", "same-origin")
        return self.request("POST", path, urllib.parse.urlencode(data), headers)


def post_url(article: Article) -> str:
    return f"/comments/post/{article.pk}/"


def shows_within(browser: Browser, path: str, expected, seconds: float = VISIBLE_WITHIN):
    """Does ``expected(status, text)`` hold for what the reader gets, within ``seconds``?"""
    deadline = time.monotonic() + seconds
    while True:
        response, text = browser.get(path)
        if expected(response.status, text):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.fixture
def story(cache_stack):
    return factories.make_article(headline="A story going viral")


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(cache_stack, story):
    reader, another = Browser(cache_stack.varnish_url), Browser(cache_stack.varnish_url)

    first, first_text = reader.get(story.get_absolute_url())
    second, second_text = another.get(story.get_absolute_url())

    assert (first.status, first.headers["X-Cache"]) == (200, "MISS")
    assert (second.status, second.headers["X-Cache"]) == (200, "HIT")
    assert first_text == second_text
    assert not reader.cookies and not another.cookies
    for page in ("/", story.section.get_absolute_url(), "/feed/", "/sitemap.xml"):
        reader.get(page)
        assert reader.get(page)[0].headers["X-Cache"] == "HIT", page


def test_a_readers_comment_name_and_email_never_reach_another_reader(cache_stack, story):
    poster, passer_by = Browser(cache_stack.varnish_url), Browser(cache_stack.varnish_url)
    passer_by.get(story.get_absolute_url())  # the page is in the cache

    data = comment_data(
        story,
        comment="My own words, awaiting moderation.",
        author="Grace Poster",
        email="grace@example.org",
        save_details="on",
    )
    posted, _ = poster.post(post_url(story), data)
    assert posted.status == 302
    assert "sessionid" in poster.cookies

    own, own_text = poster.get(story.get_absolute_url())
    assert own.headers["X-Cache"] == "PASS"
    assert "My own words, awaiting moderation." in own_text
    assert 'value="grace@example.org"' in own_text
    assert "private" in own.headers["Cache-Control"]

    for _ in range(2):  # from the cache, and fetched again after a purge
        other, other_text = passer_by.get(story.get_absolute_url())
        assert other.status == 200
        for personal in ("My own words", "Grace Poster", "grace@example.org"):
            assert personal not in other_text
        cache_stack.purge("site")
    assert Comment.objects.get().status == Comment.Status.PENDING


def editor_session(cache_stack) -> Browser:
    editor = factories.make_user("desk", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(editor)
    browser = Browser(cache_stack.varnish_url)
    browser.cookies["sessionid"] = client.cookies["sessionid"].value
    return browser


def test_an_editors_approval_is_on_every_readers_page_within_a_second(cache_stack, story):
    comment = make_comment(story, status=Comment.Status.PENDING, text="Worth approving.")
    reader = Browser(cache_stack.varnish_url)
    reader.get(story.get_absolute_url())
    cached, text = reader.get(story.get_absolute_url())
    assert cached.headers["X-Cache"] == "HIT" and "Worth approving." not in text

    desk = editor_session(cache_stack)
    changelist, page = desk.get("/admin/comments/comment/")
    assert changelist.headers["X-Cache"] == "PASS"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    done, _ = desk.post(
        "/admin/comments/comment/",
        {"action": "mark_approved", "_selected_action": comment.pk, "csrfmiddlewaretoken": token},
        Referer=f"{cache_stack.varnish_url}/admin/comments/comment/",
    )
    assert done.status == 302
    assert Comment.objects.get().status == Comment.Status.APPROVED

    assert shows_within(reader, story.get_absolute_url(), lambda s, t: "Worth approving." in t)


def test_an_unpublished_article_is_gone_for_every_reader_within_a_second(
    cache_stack, story, settings
):
    settings.NEWSROOM_CACHE_PURGE_URLS = [cache_stack.varnish_url]
    reader = Browser(cache_stack.varnish_url)
    for _ in range(2):
        reader.get(story.get_absolute_url())
        reader.get("/")
    assert reader.get("/")[0].headers["X-Cache"] == "HIT"

    story.status = Article.Status.DRAFT
    article_services.save_article(story, changed_fields=["status"], created=False)

    assert shows_within(reader, story.get_absolute_url(), lambda status, _: status == 404)
    assert shows_within(reader, "/", lambda _, text: "A story going viral" not in text)


def test_an_erasure_leaves_no_trace_in_the_cache_within_a_second(cache_stack, story, settings):
    settings.NEWSROOM_CACHE_PURGE_URLS = [cache_stack.varnish_url]
    make_comment(story, author_name="Erase Me Please", author_email="erase@example.org")
    reader = Browser(cache_stack.varnish_url)
    reader.get(story.get_absolute_url())
    cached, text = reader.get(story.get_absolute_url())
    assert cached.headers["X-Cache"] == "HIT" and "Erase Me Please" in text

    services.erase_personal_data("erase@example.org")

    assert shows_within(reader, story.get_absolute_url(), lambda _, t: "Erase Me Please" not in t)


def test_a_cross_site_post_is_refused_and_a_same_site_post_without_cookies_is_taken(
    cache_stack, story
):
    reader = Browser(cache_stack.varnish_url)

    forged, forged_text = reader.post(
        post_url(story),
        comment_data(story, comment="Forged by another site."),
        **{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert forged.status == 403
    assert "Forged by another site." in forged_text  # given back, never stored
    assert not Comment.objects.exists()

    assert not reader.cookies
    taken, _ = reader.post(
        post_url(story),
        comment_data(story),
        **{"Sec-Fetch-Site": "same-origin", "Origin": cache_stack.varnish_url},
    )
    assert taken.status == 302
    comment = Comment.objects.get()
    assert comment.ip_address == "127.0.0.1"  # from Varnish's X-Forwarded-For
