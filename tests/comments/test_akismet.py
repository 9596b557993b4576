"""Optional Akismet: asked only with a key; spam goes to spam; a failed check holds the comment.

Akismet is played by a real HTTP server on 127.0.0.1 (NEWSROOM_AKISMET_API_URL points the
client at it), so the akismet package and httpx run exactly as in production.
"""

import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from comments import spam
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

KEY = "test-akismet-key"
SITE_URL = "https://news.example.org"
AWAITING = "Your comment is awaiting moderation."


class FakeAkismet(ThreadingHTTPServer):
    """Answers every POST as the test says (``body``, ``status``, ``headers``, ``delay``)
    and records each request's path and form fields in ``requests``."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _AkismetHandler)
        self.requests: list[dict] = []
        self.body, self.status, self.headers, self.delay = "false", 200, {}, 0.0
        self.released = threading.Event()  # ends a delay early when the test is over

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, body="false", status=200, headers=None, delay=0.0) -> None:
        self.body, self.status, self.headers, self.delay = body, status, headers or {}, delay

    def handle_error(self, request, client_address):
        # The client gave up on a slow answer and closed the connection: expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _AkismetHandler(BaseHTTPRequestHandler):
    server: FakeAkismet

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        fields = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
        self.server.requests.append(
            {"path": self.path, "fields": {name: values[-1] for name, values in fields.items()}}
        )
        self.server.released.wait(self.server.delay)
        body = self.server.body.encode()
        self.send_response(self.server.status)
        for name, value in self.server.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def fake_akismet(settings):
    """A stand-in Akismet, with the site configured to ask it."""
    server = FakeAkismet()
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    settings.NEWSROOM_AKISMET_KEY = KEY
    settings.NEWSROOM_AKISMET_API_URL = server.url
    settings.NEWSROOM_SITE_URL = SITE_URL
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def closed_port(settings):
    """An address where nothing listens: the socket is bound but never accepts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()
        settings.NEWSROOM_AKISMET_KEY = KEY
        settings.NEWSROOM_AKISMET_API_URL = f"http://{host}:{port}"
        yield


def unsaved_comment(article, **fields) -> Comment:
    """A comment as the policy sees it: filled in from the form, not yet saved."""
    defaults = {
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "https://ada.example.org",
        "text": "I have a thought about this.",
        "ip_address": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (Test)",
    }
    return Comment(article=article, **{**defaults, **fields})


# The check on its own.


def test_without_a_key_nothing_is_asked(fake_akismet, settings, article):
    settings.NEWSROOM_AKISMET_KEY = ""

    assert spam.check(unsaved_comment(article)) is spam.Verdict.NOT_CHECKED
    assert fake_akismet.requests == []


def test_spam_answer_is_spam(fake_akismet, article):
    fake_akismet.answer("true")
    assert spam.check(unsaved_comment(article)) is spam.Verdict.SPAM


def test_blatant_spam_answer_with_discard_tip_is_spam(fake_akismet, article):
    fake_akismet.answer("true", headers={"X-akismet-pro-tip": "discard"})
    assert spam.check(unsaved_comment(article)) is spam.Verdict.SPAM


def test_not_spam_answer_is_ham(fake_akismet, article):
    fake_akismet.answer("false")
    assert spam.check(unsaved_comment(article)) is spam.Verdict.HAM


def test_comment_check_carries_the_comments_fields_and_nothing_else(fake_akismet, article):
    comment = unsaved_comment(article)

    spam.check(comment)

    assert comment.pk is None
    assert fake_akismet.requests == [
        {
            "path": "/1.1/comment-check",
            "fields": {
                "api_key": KEY,
                "blog": SITE_URL,
                "user_ip": "203.0.113.7",
                "user_agent": "Mozilla/5.0 (Test)",
                "comment_type": "comment",
                "comment_author": "Ada Reader",
                "comment_author_email": "ada@example.org",
                "comment_author_url": "https://ada.example.org",
                "comment_content": "I have a thought about this.",
                "permalink": SITE_URL + article.get_absolute_url(),
                "blog_lang": "en",
            },
        }
    ]


def test_key_is_not_verified_again_for_every_comment(fake_akismet, article):
    spam.check(unsaved_comment(article, text="First."))
    spam.check(unsaved_comment(article, text="Second."))

    assert [request["path"] for request in fake_akismet.requests] == ["/1.1/comment-check"] * 2
    assert [request["fields"]["comment_content"] for request in fake_akismet.requests] == [
        "First.",
        "Second.",
    ]


def test_api_url_may_carry_a_path_prefix(fake_akismet, settings, article):
    settings.NEWSROOM_AKISMET_API_URL = fake_akismet.url + "/akismet/"

    assert spam.check(unsaved_comment(article)) is spam.Verdict.HAM
    assert [request["path"] for request in fake_akismet.requests] == ["/akismet/1.1/comment-check"]


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"body": "Internal error", "status": 500}, id="server-error"),
        pytest.param({"body": "invalid"}, id="invalid-key"),
        pytest.param({"body": "maybe"}, id="unexpected-answer"),
        pytest.param({"body": ""}, id="empty-answer"),
    ],
)
def test_a_failed_check_is_unknown_and_logged(fake_akismet, article, caplog, answer):
    fake_akismet.answer(**answer)

    with caplog.at_level(logging.WARNING, logger="comments.spam"):
        verdict = spam.check(unsaved_comment(article))

    assert verdict is spam.Verdict.UNKNOWN
    assert len(fake_akismet.requests) == 1
    assert [(r.name, r.levelno) for r in caplog.records] == [("comments.spam", logging.WARNING)]
    assert KEY not in caplog.text


def test_a_slow_answer_times_out_as_unknown_and_logged(fake_akismet, settings, article, caplog):
    settings.NEWSROOM_AKISMET_TIMEOUT = 0.2
    fake_akismet.answer("false", delay=5.0)

    with caplog.at_level(logging.WARNING, logger="comments.spam"):
        started = time.monotonic()
        verdict = spam.check(unsaved_comment(article))
        elapsed = time.monotonic() - started

    assert verdict is spam.Verdict.UNKNOWN
    assert elapsed < 2.0
    assert len(fake_akismet.requests) == 1
    assert [(r.name, r.levelno) for r in caplog.records] == [("comments.spam", logging.WARNING)]


def test_an_unreachable_service_is_unknown_and_logged(closed_port, article, caplog):
    with caplog.at_level(logging.WARNING, logger="comments.spam"):
        verdict = spam.check(unsaved_comment(article))

    assert verdict is spam.Verdict.UNKNOWN
    assert [(r.name, r.levelno) for r in caplog.records] == [("comments.spam", logging.WARNING)]
    assert KEY not in caplog.text


# Through the reader's form.


@pytest.fixture
def nothing_held(discussion):
    """Rules under which the spam check alone decides: nothing else holds a comment."""
    discussion.hold_all = False
    discussion.approve_known_commenters = False
    discussion.save()
    return discussion


def post(client, article, **fields):
    return client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, **fields),
        follow=True,
        REMOTE_ADDR="203.0.113.7",
    )


def test_comment_akismet_calls_ham_is_approved(client, fake_akismet, nothing_held, article):
    fake_akismet.answer("false")

    response = post(client, article, comment="A fair point, well made.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#{comment.anchor}", 302)]
    assert "A fair point, well made." in response.content.decode()
    assert AWAITING not in response.content.decode()
    [request] = fake_akismet.requests
    assert request["fields"]["comment_content"] == "A fair point, well made."
    assert request["fields"]["user_ip"] == "203.0.113.7"


def test_comment_akismet_calls_spam_is_stored_as_spam_and_looks_held_to_its_poster(
    client, fake_akismet, nothing_held, article
):
    fake_akismet.answer("true")

    response = post(client, article, comment="Cheap watches here.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#{comment.anchor}", 302)]
    assert "Cheap watches here." in response.content.decode()
    assert AWAITING in response.content.decode()


def test_comment_is_held_not_lost_when_akismet_is_unreachable(
    client, closed_port, nothing_held, article, caplog
):
    with caplog.at_level(logging.WARNING, logger="comments.spam"):
        response = post(client, article, comment="Posted while Akismet was down.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response.redirect_chain == [(f"{article.get_absolute_url()}#{comment.anchor}", 302)]
    assert "Posted while Akismet was down." in response.content.decode()
    assert AWAITING in response.content.decode()
    assert any(r.name == "comments.spam" for r in caplog.records)


def test_without_a_key_the_rules_alone_decide(
    client, fake_akismet, settings, nothing_held, article
):
    settings.NEWSROOM_AKISMET_KEY = ""

    post(client, article)

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert fake_akismet.requests == []
