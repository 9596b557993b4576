"""The public pages: nothing from elsewhere, nothing inline that runs, strict headers."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


class Resources(HTMLParser):
    """Every address a page makes the browser load: scripts, styles, images, frames."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.inline_scripts: list[str] = []
        self.inline_handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.inline_handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script":
            self._in_script = "src" not in attrs and attrs.get("type") != "application/ld+json"
            if "src" in attrs:
                self.loaded.append(attrs["src"])
        if tag in {"img", "iframe", "audio", "video", "source"} and "src" in attrs:
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("rel") in {"stylesheet", "preload", "icon", "manifest"}:
            self.loaded.append(attrs["href"])

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


@pytest.fixture
def pages(client):
    article = factories.make_article()
    factories.make_comment(article, author_url="https://reader.example")
    return {
        "home": client.get("/"),
        "article": client.get(article.get_absolute_url()),
        "section": client.get(article.section.get_absolute_url()),
        "author": client.get(article.get_author_url()),
        "failed post": client.post(
            reverse("comments:post", args=[article.pk]), factories.comment_data(article, comment="")
        ),
    }


def test_no_request_leaves_the_site(pages):
    for name, response in pages.items():
        found = Resources()
        found.feed(response.content.decode())
        assert found.loaded, name
        for address in found.loaded:
            assert re.match(r"^/(?!/)", address), f"{name} loads {address}"


def test_no_inline_code_runs(pages):
    for name, response in pages.items():
        found = Resources()
        found.feed(response.content.decode())
        assert found.inline_scripts == [], name
        assert found.inline_handlers == [], name


def test_public_pages_forbid_inline_and_foreign_code(pages):
    for name, response in pages.items():
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, name
        assert "'unsafe-inline'" not in policy, name
        assert "object-src 'none'" in policy, name
        assert "frame-ancestors 'none'" in policy, name


def test_pages_are_compressed_for_browsers_that_accept_it(client, article):
    response = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_the_site_has_an_icon_and_old_favicon_requests_find_it(client):
    html = client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def test_machine_readable_times_are_valid_html(client, article):
    factories.make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    times = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(times) == 2
    for value in times:  # no microseconds: the Nu HTML checker allows at most three digits
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", value), value
