"""The security headers every response carries, the admin's too, and the cookies' names.

What the servers in front add or strip (gunicorn's ``Server``, Varnish's ``Via``) is tested
through the real stack in ``tests/cache/``; the defaults that depend on the environment (HSTS,
the cookie names under HTTPS) in ``tests/test_settings.py``.
"""

from html.parser import HTMLParser

import django
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from newsroom.middleware import content_security_policy
from tests import factories

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """What a strict policy would refuse on a page: scripts, styles and handlers written into
    the HTML itself. Data blocks (``json_script``, JSON-LD) are not code and are allowed."""

    DATA = {"application/json", "application/ld+json"}

    def __init__(self, html: str):
        super().__init__()
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") not in self.DATA:
            self.found.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{name}= on <{tag}>" for name in attrs if name.startswith("on")]
        if "style" in attrs:
            self.found.append(f'style="{attrs["style"]}" on <{tag}>')


@pytest.fixture
def admin_pages(admin_client, article, admin_user):
    comment = factories.make_comment(article)
    return {
        name: admin_client.get(url)
        for name, url in {
            "index": reverse("admin:index"),
            "comments": reverse("admin:comments_comment_changelist"),
            "comment": reverse("admin:comments_comment_change", args=[comment.pk]),
            "new article": reverse("admin:articles_article_add"),
            "article": reverse("admin:articles_article_change", args=[article.pk]),
            "user": reverse("admin:auth_user_change", args=[admin_user.pk]),
            "new group": reverse("admin:auth_group_add"),
            "password change": reverse("admin:password_change"),
        }.items()
    }


def public_pages(client: Client, article) -> dict:
    return {
        "home": client.get("/"),
        "article": client.get(article.get_absolute_url()),
        "section": client.get(article.section.get_absolute_url()),
        "feed": client.get(reverse("articles:feed")),
        "not found": client.get("/articles/no-such-story/"),
    }


def test_public_and_admin_pages_carry_the_one_strict_policy(client, article, admin_pages):
    policy = content_security_policy(settings.SECURE_CSP)
    sign_in = Client().get(reverse("admin:login"))
    pages = {**public_pages(client, article), **admin_pages, "sign-in": sign_in}

    for name, response in pages.items():
        assert response["Content-Security-Policy"] == policy, name
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy


def test_the_admin_has_no_inline_code_the_policy_would_block(admin_pages):
    # Measured in Chromium too (every admin page, its widgets clicked): no violation.
    sign_in = Client().get(reverse("admin:login"))
    for name, response in {**admin_pages, "sign-in": sign_in}.items():
        assert response.status_code == 200, name
        assert InlineCode(response.content.decode()).found == [], name


def test_djangos_own_csp_middleware_sends_the_policy_where_django_has_one():
    ours = "newsroom.middleware.ContentSecurityPolicyMiddleware"
    djangos = "django.middleware.csp.ContentSecurityPolicyMiddleware"
    if django.VERSION >= (6, 0):
        assert djangos in settings.MIDDLEWARE
        assert ours not in settings.MIDDLEWARE
    else:
        assert ours in settings.MIDDLEWARE


@pytest.mark.skipif(django.VERSION < (6, 0), reason="Django 6 has a CSP of its own")
def test_our_policy_header_is_written_as_djangos_own_writes_it():
    from django.utils.csp import build_policy

    assert content_security_policy(settings.SECURE_CSP) == build_policy(settings.SECURE_CSP)


def test_every_response_denies_the_browser_features_nothing_here_uses(client, article, admin_pages):
    responses = {
        **public_pages(client, article),
        **admin_pages,
        "static file": client.get("/static/favicon.svg"),
        "redirect": client.get("/favicon.ico"),
        "refused post": client.post(
            reverse("comments:post", args=[article.pk]), factories.comment_data(article, email="x")
        ),
    }
    for name, response in responses.items():
        features = dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (name, feature)
        assert features["browsing-topics"] == "()", name


def test_a_readers_own_pages_are_not_for_search_engines(client, article):
    refused = client.post(
        reverse("comments:post", args=[article.pk]), factories.comment_data(article, email="x")
    )
    assert refused.status_code == 400
    assert refused["X-Robots-Tag"] == "noindex"

    posted = client.post(
        reverse("comments:post", args=[article.pk]), factories.comment_data(article)
    )
    own_page = client.get(article.get_absolute_url())

    assert posted["X-Robots-Tag"] == "noindex"
    assert "Your comment is awaiting moderation." in own_page.content.decode()
    assert own_page["X-Robots-Tag"] == "noindex"


def test_the_admin_is_not_for_search_engines(admin_pages):
    sign_in = Client().get(reverse("admin:login"))
    for name, response in {**admin_pages, "sign-in": sign_in}.items():
        assert response["X-Robots-Tag"] == "noindex", name


def test_public_pages_stay_open_to_search_engines(client, article):
    factories.make_comment(article)
    for name, response in public_pages(client, article).items():
        assert "X-Robots-Tag" not in response, name


@pytest.fixture
def https_cookies(settings):
    """The cookie settings of production (DJANGO_SECURE=1): tests/test_settings.py checks
    that they are the defaults there."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    return settings


def assert_host_cookie(cookie) -> None:
    """What browsers require of a ``__Host-`` cookie, or they drop it."""
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_under_https_a_readers_session_lives_in_a_host_only_cookie(https_cookies, article):
    reader = Client()
    posted = reader.post(
        reverse("comments:post", args=[article.pk]),
        factories.comment_data(article, save_details="on"),
        secure=True,
    )
    assert posted.status_code == 302
    assert set(posted.cookies) == {"__Host-sessionid"}
    assert_host_cookie(posted.cookies["__Host-sessionid"])

    own_page = reader.get(article.get_absolute_url(), secure=True)

    assert "Your comment is awaiting moderation." in own_page.content.decode()
    assert 'value="ada@example.org"' in own_page.content.decode()
    assert "private" in own_page["Cache-Control"]  # http_cache reads the new name too
    assert "Surrogate-Key" not in own_page
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_under_https_the_csrf_token_lives_in_a_host_only_cookie(https_cookies, editor):
    editor_browser = Client(enforce_csrf_checks=True)
    sign_in = editor_browser.get(reverse("admin:login"), secure=True)
    assert_host_cookie(sign_in.cookies["__Host-csrftoken"])
    token = sign_in.context["csrf_token"]

    signed_in = editor_browser.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": str(token),
            "next": reverse("admin:index"),
        },
        secure=True,
        headers={"referer": "https://testserver/admin/login/"},
    )

    assert signed_in.status_code == 302, signed_in.content.decode()[:2000]
    assert "__Host-sessionid" in signed_in.cookies
    assert "csrftoken" not in editor_browser.cookies
