"""The stack of ``make serve`` itself: what Varnish in front of gunicorn promises.

What the app's pages do through it (kept, personal, purged) is in the other files here.
"""

import contextlib
import http.client
import json
import os
import socket
import threading
import time
import urllib.parse

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.images import rendition_name
from deploy import serve
from tests.factories import make_image

pytestmark = pytest.mark.cache

SLOW_CLIENTS = 4  # more than gunicorn's 2 sync workers
# A reader's page must come within this, however many slow uploads go on. Generous: it
# is the difference between answering and not answering, not a measure of speed.
ANSWER_WITHIN = 5


def get(base_url: str, path: str, timeout: float = ANSWER_WITHIN, headers=None):
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def post(base_url: str, path: str, body: bytes, headers: dict[str, str]):
    """(response, body) of one POST."""
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=ANSWER_WITHIN)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read().decode()
    finally:
        connection.close()


class SlowUploads:
    """Clients posting a comment one byte a second, as a slowloris attack does.

    ``path`` is a published article's comment form: the view reads the whole body (the
    form) before it answers. The CSRF cookie would make Django's CSRF check read it too.
    """

    BODY_LENGTH = 1_000

    def __init__(self, base_url: str, path: str, count: int = SLOW_CLIENTS):
        parts = urllib.parse.urlsplit(base_url)
        head = (
            f"POST {path} HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {self.BODY_LENGTH}\r\n"
            f"Cookie: csrftoken={'a' * 32}\r\n"
            "\r\n"
        ).encode()
        self.sockets = []
        for _ in range(count):
            sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
            sock.sendall(head)
            self.sockets.append(sock)
        self.errors: list[OSError] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        while not self.stop.wait(1):
            for sock in self.sockets:
                try:
                    sock.send(b"x")
                except OSError as error:
                    self.errors.append(error)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


@contextlib.contextmanager
def slow_uploads(base_url: str, path: str):
    uploads = SlowUploads(base_url, path)
    try:
        time.sleep(1.5)  # the server has taken them all in and is reading their bodies
        yield uploads
    finally:
        uploads.close()


def wait_until_answering(base_url: str, within: float = 15) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            get(base_url, "/static/favicon.svg", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise


def static_path(name: str) -> str:
    """The address collectstatic gave ``name`` (hashed), as the pages link it."""
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][name]


def test_static_file_is_served_from_the_cache_the_second_time(cache_stack):
    path = static_path("css/newsroom.css")

    first = get(cache_stack.varnish_url, path)
    second = get(cache_stack.varnish_url, path)

    assert (first.status, first.headers["X-Cache"]) == (200, "MISS")
    assert (second.status, second.headers["X-Cache"]) == (200, "HIT")
    assert "immutable" in second.headers["Cache-Control"]


def test_a_library_picture_is_served_from_the_cache_the_second_time(cache_stack, settings):
    settings.MEDIA_ROOT = str(cache_stack.media_root)
    image = make_image()
    path = default_storage.url(rendition_name(image.file.name, 480, "webp"))

    first = get(cache_stack.varnish_url, path)
    second = get(cache_stack.varnish_url, path)

    assert (first.status, first.headers["X-Cache"]) == (200, "MISS")
    assert (second.status, second.headers["X-Cache"]) == (200, "HIT")
    assert second.headers["Content-Type"] == "image/webp"
    assert "immutable" in second.headers["Cache-Control"]


def test_a_20_mb_picture_reaches_the_admin_and_larger_bodies_are_refused(cache_stack):
    def post_to_admin(megabytes: int):
        """A form with a file of ``megabytes``, as the browser sends an upload."""
        boundary = "picture-boundary"
        body = b"".join(
            [
                f"--{boundary}\r\n".encode(),
                b'Content-Disposition: form-data; name="file"; filename="big.jpg"\r\n',
                b"Content-Type: image/jpeg\r\n\r\n",
                b"x" * (megabytes * 1024 * 1024),
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return post(cache_stack.varnish_url, reverse("admin:login"), body, headers)

    # Through Varnish to Django, which answers (no CSRF token here) with its own 403.
    response, _ = post_to_admin(20)
    assert response.status == 403
    # Over the admin's limit: Varnish refuses it without passing it on.
    response, page = post_to_admin(22)
    assert response.status == 413
    assert page == "Request body too large\n"


def test_slow_uploads_do_not_keep_readers_from_the_site(cache_stack, article):
    form = reverse("comments:post", args=[article.pk])
    # Through Varnish: it reads the bodies itself, and the page (not cached yet) is fetched
    # from gunicorn, whose workers are free.
    with slow_uploads(cache_stack.varnish_url, form) as uploads:
        page = get(cache_stack.varnish_url, "/")
        assert not uploads.errors, "Varnish dropped the slow uploads before the reader came"
    assert (page.status, page.headers["X-Cache"]) == (200, "MISS")

    # The same against gunicorn alone: its two sync workers wait for the bodies and the
    # reader gets nothing. This is why the site is never served without the proxy.
    try:
        with slow_uploads(cache_stack.gunicorn_url, form), pytest.raises(TimeoutError):
            get(cache_stack.gunicorn_url, "/")
    finally:
        wait_until_answering(cache_stack.gunicorn_url)


def test_purge_from_this_machine_is_accepted_even_for_an_unknown_key(cache_stack):
    assert cache_stack.purge("no-page-carries-this-key") == 200


def test_purge_from_another_address_is_refused(cache_stack):
    get(cache_stack.varnish_url, "/")
    assert get(cache_stack.varnish_url, "/").headers["X-Cache"] == "HIT"
    parts = urllib.parse.urlsplit(cache_stack.varnish_url)
    # Another address of this machine: all of 127.0.0.0/8 is loopback on Linux, and
    # 127.0.0.2 is not in the VCL's purgers ACL.
    try:
        sock = socket.create_connection(
            (parts.hostname, parts.port), timeout=5, source_address=("127.0.0.2", 0)
        )
    except OSError as error:
        if os.environ.get("NEWSROOM_REQUIRE_CACHE") == "1":
            raise  # CI must show the ACL refusing a stranger, not skip it
        pytest.skip(f"cannot connect from 127.0.0.2 on this machine: {error}")
    with sock:
        sock.sendall(
            f"PURGE / HTTP/1.1\r\nHost: {parts.netloc}\r\nxkey-purge: site\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        answer = sock.makefile("rb").readline()

    assert answer.split()[1] == b"403"
    assert get(cache_stack.varnish_url, "/").headers["X-Cache"] == "HIT"


SOFTWARE_HEADERS = ("Server", "Via", "X-Varnish", "X-Powered-By")


def test_no_answer_says_which_software_gave_it(cache_stack):
    answers = {
        f"{name} {path}": get(base, path)
        for name, base in (
            ("varnish", cache_stack.varnish_url),
            ("gunicorn", cache_stack.gunicorn_url),
        )
        for path in ("/", "/", "/static/favicon.svg", "/no-such-page/")
    }
    # Varnish's own answer to a method it refuses.
    status, headers, body = serve.request(cache_stack.varnish_url, "BAN", "/")
    assert status == 405

    for name, answer in answers.items():
        for header in SOFTWARE_HEADERS:
            assert header not in answer.headers, name
    for header in SOFTWARE_HEADERS:
        assert header not in headers
    assert b"Varnish" not in body


def test_a_cached_page_keeps_its_security_headers(cache_stack):
    get(cache_stack.varnish_url, "/")
    page = get(cache_stack.varnish_url, "/")

    assert page.headers["X-Cache"] == "HIT"
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "camera=()" in page.headers["Permissions-Policy"]
    assert "X-Robots-Tag" not in page.headers


def test_a_form_in_another_charset_answers_our_own_400_through_the_stack(cache_stack, article):
    # Found by the outside probe: gunicorn's bare 500 and a traceback, on any URL.
    form = b"comment=caf\xe9&author=Z\xe9&email=z%40example.org"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=latin-1",
        "Cookie": f"csrftoken={'a' * 32}",
    }
    paths = [reverse("comments:post", kwargs={"article_id": article.pk}), reverse("admin:login")]
    for base in (cache_stack.varnish_url, cache_stack.gunicorn_url):
        for path in paths:
            answer, body = post(base, path, form, headers)

            assert answer.status == 400, (base, path)
            assert "The request could not be understood" in body
            assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
