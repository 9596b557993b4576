"""The blank comment form is made once a second per article and shared by the readers who
see it blank (comments/templatetags/conversation.py): never a form with anything of a
reader's in it, and never old enough to let a bot post at once."""

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.test import Client
from django.urls import reverse

from comments import forms
from comments.templatetags import conversation
from tests import factories
from tests.pages import CommentFormFields

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


@pytest.fixture
def clock(monkeypatch):
    """The form's clock and the cache's, set by the test."""
    clock = type("Clock", (), {"now": 1_800_000_000.0, "time": lambda self: self.now})()
    for module in (forms, locmem, cache_base):
        monkeypatch.setattr(module, "time", clock)
    return clock


@pytest.fixture
def renders(monkeypatch):
    """How many times the form's layout is rendered."""
    calls = []
    real = conversation.render_crispy_form

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(conversation, "render_crispy_form", counted)
    return calls


def form_on(client, url: str) -> dict:
    return CommentFormFields(client.get(url).content.decode()).values


def test_readers_within_the_same_second_share_one_blank_form(article, renders, clock):
    first = form_on(Client(), article.get_absolute_url())
    clock.now += 0.5
    second = form_on(Client(), article.get_absolute_url())

    assert first == second  # the timestamp too
    assert len(renders) == 1


def test_after_a_second_the_form_is_made_again_with_a_new_timestamp(article, renders, clock):
    first = form_on(Client(), article.get_absolute_url())
    clock.now += conversation.FORM_SECONDS

    second = form_on(Client(), article.get_absolute_url())

    assert first["timestamp"] != second["timestamp"]
    assert len(renders) == 2


def test_each_article_has_its_own_form(article, clock):
    other = factories.make_article()

    mine = form_on(Client(), article.get_absolute_url())
    theirs = CommentFormFields(Client().get(other.get_absolute_url()).content.decode())

    assert theirs.action.startswith(reverse("comments:post", kwargs={"article_id": other.pk}))
    assert mine["timestamp"] != theirs.values["timestamp"]


def test_a_reader_with_saved_details_never_gets_the_shared_blank_form(article, clock):
    reader = Client()
    reader.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, email=EMAIL, save_details="on"),
    )
    form_on(Client(), article.get_absolute_url())  # a blank one, shared from now on

    assert form_on(reader, article.get_absolute_url())["email"] == EMAIL


def test_a_reply_link_gets_a_form_for_that_reply(article, clock):
    comment = factories.make_comment(article)
    form_on(Client(), article.get_absolute_url())

    reply = form_on(Client(), f"{article.get_absolute_url()}?replytocom={comment.pk}")

    assert reply["parent"] == str(comment.pk)


def test_a_bot_posting_the_shared_form_at_once_is_still_too_fast(article, settings, clock):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 3
    form_on(Client(), article.get_absolute_url())  # a reader made the form a moment ago
    clock.now += conversation.FORM_SECONDS - 0.1  # as old as a shared form can be
    bot = Client()
    data = {**form_on(bot, article.get_absolute_url()), "comment": "Buy now."}

    response = bot.post(reverse("comments:post", kwargs={"article_id": article.pk}), data)

    assert response.status_code == 400
    assert "quicker than anyone can type" in response.content.decode()
