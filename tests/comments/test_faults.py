"""The fault drill: when Redis or the database fails, no reader loses their words.

Failures are simulated, never caused: Redis is a cache at a port where nothing listens, and
the database fails through ``connection.execute_wrapper``. The shared servers keep running.
"""

import logging
import socket
import time

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse

from comments.models import Comment
from newsroom import settings as production_settings
from tests import factories
from tests.factories import comment_data
from tests.pages import CommentFormFields

pytestmark = pytest.mark.django_db

TEXT = "My careful thoughts, three paragraphs of them."


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


@pytest.fixture
def redis_down(settings):
    """The cache is Redis, and Redis does not answer (nothing listens on port 1)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 30


def test_a_readers_comment_is_taken_when_redis_is_down(client, article, redis_down, caplog):
    response = client.post(post_url(article), comment_data(article, comment=TEXT))

    assert response.status_code == 302
    assert Comment.objects.get().text == TEXT
    warnings = [r.getMessage() for r in caplog.records if r.name == "comments.throttle"]
    assert any("cache is unreachable" in message for message in warnings), warnings


def test_a_readers_comment_is_taken_when_redis_stops_answering(client, article, settings):
    # Redis accepts the connection (the kernel does, into the backlog) and never answers:
    # without a socket timeout the post would wait for the operating system's, minutes.
    with socket.create_server(("127.0.0.1", 0), backlog=8) as silent:
        port = silent.getsockname()[1]
        settings.CACHES = {
            "default": production_settings.redis_cache(f"redis://127.0.0.1:{port}/0")
        }
        settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
        started = time.monotonic()

        response = client.post(post_url(article), comment_data(article, comment=TEXT))

    assert response.status_code == 302
    assert Comment.objects.get().text == TEXT
    assert time.monotonic() - started < 10


def test_a_moderators_comment_is_stored_and_answered_when_redis_is_down(
    editor_client, article, redis_down
):
    # The moderator is never throttled, but the count was written after the save: a 500
    # for a comment that was stored.
    response = editor_client.post(post_url(article), comment_data(article, comment=TEXT))

    assert response.status_code == 302
    assert Comment.objects.get().text == TEXT


def failing(message: str, error=OperationalError, only: str = ""):
    """A database that raises ``error`` for every query (or those starting with ``only``)."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(only):
            raise error(message)
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


DATABASE_FAULTS = {  # what failing() takes
    "sqlite locked": ("database is locked",),
    "sqlite read-only": ("attempt to write a readonly database", OperationalError, "INSERT"),
    "postgresql unreachable": (
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused',
    ),
    "connection closed": ("connection already closed", InterfaceError),
}


@pytest.mark.parametrize("fault", DATABASE_FAULTS.values(), ids=DATABASE_FAULTS)
def test_when_the_database_fails_the_reader_gets_their_text_back_to_post_again(
    client, article, fault, caplog
):
    data = comment_data(
        article, comment=TEXT, author="Ada Reader", url="https://ada.example", save_details="on"
    )
    with failing(*fault):
        response = client.post(post_url(article), data)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    html = response.content.decode()
    assert "Your comment is not posted yet" in html
    form = CommentFormFields(html)
    assert form.action.startswith(post_url(article))
    for name in ["comment", "author", "email", "url", "save_details", "timestamp"]:
        assert form.values[name] == data[name], name
    assert not Comment.objects.exists()
    assert any(r.levelno == logging.ERROR for r in caplog.records), "the failure was not logged"

    # The database is back: the same form, posted again, is taken.
    again = client.post(form.action, form.values)

    assert again.status_code == 302
    assert Comment.objects.get().text == TEXT


def test_the_failure_page_keeps_a_reply_a_reply(client, article):
    parent = factories.make_comment(article, status=Comment.Status.APPROVED)
    data = comment_data(article, comment=TEXT, parent=str(parent.pk))

    with failing("database is locked"):
        response = client.post(post_url(article), data)

    form = CommentFormFields(response.content.decode())
    assert form.values["parent"] == str(parent.pk)
    assert client.post(form.action, form.values).status_code == 302
    assert Comment.objects.get(text=TEXT).parent == parent


def test_text_that_cannot_be_shown_comes_back_replaced(client, article):
    # A lone surrogate (from a UTF-7 multipart body) cannot be written into the page.
    body = b'--B\r\nContent-Disposition: form-data; name="comment"\r\n\r\nHello +2D0-\r\n--B--\r\n'
    with failing("database is locked"):
        response = client.generic(
            "POST",
            post_url(article),
            body,
            content_type="multipart/form-data; boundary=B; charset=utf-7",
        )

    assert response.status_code == 503
    assert CommentFormFields(response.content.decode()).values["comment"] == "Hello \ufffd"
