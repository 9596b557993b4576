"""Nothing a stranger sends answers 5xx: unreadable bodies get 400, oversized ones 413, from
our own pages with the site's headers (newsroom/bad_requests.py).

Requests are sent as a browser sends them: CSRF checked, with a ``csrftoken`` cookie. The
test client otherwise skips the CSRF check, and with it the failure issue 8 found: Django's
error pages run that check, which read the unreadable body again, and the server answered
with its bare 500 page.
"""

import logging
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from newsroom.bad_requests import PUBLIC_MAX_BODY_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

# Headers every page carries, that a refusal must carry too.
SITE_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
]
MULTIPART_FIELD = b'--B\r\nContent-Disposition: form-data; name="comment"\r\n\r\nHello\r\n--B--\r\n'


@pytest.fixture
def browser_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    return client


PUBLIC_PAGES = ["comment post", "article page", "permalink", "home"]


def page_url(name: str, article) -> str:
    comment = factories.make_comment(article)
    return {
        "comment post": reverse("comments:post", kwargs={"article_id": article.pk}),
        "article page": article.get_absolute_url(),
        "admin sign-in": reverse("admin:login"),
        "permalink": comment.get_absolute_url(),
        "home": reverse("articles:list"),
    }[name]


@pytest.fixture(params=[*PUBLIC_PAGES, "admin sign-in"])
def url(request, article) -> str:
    return page_url(request.param, article)


@pytest.fixture(params=PUBLIC_PAGES)
def public_url(request, article) -> str:
    """The admin has a cap of its own (test_the_admin_takes_bodies_up_to_its_setting)."""
    return page_url(request.param, article)


def site_headers(response) -> dict[str, str]:
    return {name: response[name] for name in SITE_HEADERS if name in response}


@pytest.fixture
def page_headers(client, article) -> dict[str, str]:
    """The headers an ordinary page carries."""
    headers = site_headers(client.get(article.get_absolute_url()))
    assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} <= set(headers)
    return headers


def assert_refused(response, status: int, page_headers: dict, caplog) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    title = {400: "Bad request", 413: "Too much sent"}[status]
    assert f'<h1 class="page-title">{title}</h1>' in response.content.decode()
    assert site_headers(response) == page_headers
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an error was logged"


UNREADABLE = {
    "latin-1 form": ("application/x-www-form-urlencoded; charset=latin-1", b"comment=caf%E9"),
    "utf-7 form": ("application/x-www-form-urlencoded; charset=utf-7", b"comment=%2BADw-"),
    "utf-16 form": ("application/x-www-form-urlencoded; charset=utf-16", b"comment=hi"),
    "unknown charset form": ("application/x-www-form-urlencoded; charset=nonsense", b"a=b"),
    "quoted latin-1 form": ('application/x-www-form-urlencoded; charset="ISO-8859-1"', b"a=b"),
    "multipart without boundary": ("multipart/form-data", MULTIPART_FIELD),
    "multipart with empty boundary": ("multipart/form-data; boundary=", MULTIPART_FIELD),
    "multipart with bad boundary": ("multipart/form-data; boundary=\x7f\x01", MULTIPART_FIELD),
    "too many fields": (
        "application/x-www-form-urlencoded",
        "&".join(f"f{n}=x" for n in range(1001)).encode(),
    ),
}


@pytest.mark.parametrize(("content_type", "body"), UNREADABLE.values(), ids=UNREADABLE)
def test_an_unreadable_body_answers_400_from_our_page_on_any_url(
    browser_client, url, content_type, body, page_headers, caplog
):
    response = browser_client.generic("POST", url, body, content_type=content_type)

    assert_refused(response, 400, page_headers, caplog)


def test_a_form_in_utf_8_with_a_charset_is_read(client, article):
    data = "&".join(f"{k}={v}" for k, v in factories.comment_data(article).items())
    response = client.generic(
        "POST",
        reverse("comments:post", kwargs={"article_id": article.pk}),
        data.replace("@", "%40").encode(),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 302


def test_a_bad_content_length_answers_400(browser_client, article, page_headers, caplog):
    response = browser_client.generic(
        "POST", article.get_absolute_url(), b"a=b", CONTENT_LENGTH="many"
    )
    assert_refused(response, 400, page_headers, caplog)


def test_too_many_query_fields_answer_400(client, article, page_headers, caplog):
    query = "&".join(f"f{n}=x" for n in range(1001))
    response = client.get(f"{article.get_absolute_url()}?{query}")
    assert_refused(response, 400, page_headers, caplog)


def test_a_charset_on_a_get_without_a_body_is_no_reason_to_refuse(client, article):
    # Some HTTP libraries send a form's Content-Type on every request.
    response = client.get(
        article.get_absolute_url(),
        CONTENT_TYPE="application/x-www-form-urlencoded; charset=ISO-8859-1",
    )
    assert response.status_code == 200


# Sizes


def test_a_public_body_over_the_cap_answers_413_without_being_read(
    browser_client, public_url, page_headers, caplog
):
    # Announced as 30 MB, sent as 3 bytes: reading it would fail on the missing bytes.
    response = browser_client.generic(
        "POST",
        public_url,
        b"a=b",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(30 * 1024 * 1024),
    )
    assert_refused(response, 413, page_headers, caplog)


def test_a_body_just_over_the_public_cap_answers_413(client, article, page_headers, caplog):
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    body = b"comment=" + b"x" * (PUBLIC_MAX_BODY_SIZE - 7)

    response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")

    assert_refused(response, 413, page_headers, caplog)


def test_the_longest_comment_a_browser_sends_fits_under_the_public_cap(client, article):
    # 10,000 four-byte characters, percent-encoded as a browser sends a form, and every
    # other field at its longest.
    data = factories.comment_data(
        article,
        comment="😀" * 10_000,
        author="😀" * 245,
        url="https://example.org/" + "x" * 180,
    )
    body = urlencode(data).encode()
    assert len(body) > 120_000

    response = client.generic(
        "POST",
        reverse("comments:post", kwargs={"article_id": article.pk}),
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302


def test_the_admin_takes_bodies_up_to_its_setting(admin_client, settings, caplog):
    settings.NEWSROOM_ADMIN_MAX_BODY_SIZE = 1_000_000
    url = reverse("admin:comments_comment_changelist")
    admin_headers = site_headers(admin_client.get(url))
    body = b"q=" + b"x" * (PUBLIC_MAX_BODY_SIZE * 2)

    allowed = admin_client.generic("POST", url, body, content_type="text/plain")
    too_large = admin_client.generic(
        "POST", url, b"q=x", content_type="text/plain", CONTENT_LENGTH="1000001"
    )

    assert allowed.status_code != 413
    assert_refused(too_large, 413, admin_headers, caplog)
