"""Erasing a commenter's data also makes every browser that saved their details forget them."""

import pytest
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests import factories
from tests.pages import CommentFormFields

pytestmark = pytest.mark.django_db

ERASE = reverse("admin:comments_comment_privacy_erase")
EMAIL = "ada@example.org"


def post(client, article, **fields):
    return client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, **fields),
    )


def form_on(client, article) -> dict:
    """The comment form's fields as this browser is shown them."""
    return CommentFormFields(client.get(article.get_absolute_url()).content.decode()).values


@pytest.fixture(params=["django.contrib.sessions.backends.db", "cached_db"])
def session_engine(request, settings):
    """The project's engine (db) and the cached copy of it."""
    if request.param == "cached_db":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return settings.SESSION_ENGINE


def test_after_an_erase_the_readers_next_visit_shows_an_empty_form(
    session_engine, article, editor_client
):
    reader = Client()
    post(reader, article, author="Ada Reader", email=EMAIL, save_details="on")
    assert form_on(reader, article)["email"] == EMAIL  # saved, with her consent

    editor_client.post(ERASE, {"email": EMAIL.upper(), "confirm": "yes"})

    fields = form_on(reader, article)
    assert fields.get("author", "") == ""
    assert fields.get("email", "") == ""
    assert "save_details" not in fields  # the box is no longer ticked


def test_an_erase_forgets_saved_details_even_when_their_comments_are_gone_already(
    session_engine, article, editor_client
):
    reader = Client()
    post(reader, article, comment="Deleted by an editor.", email=EMAIL, save_details="on")
    Comment.objects.filter(text="Deleted by an editor.").delete()  # nothing left to erase

    editor_client.post(ERASE, {"email": EMAIL, "confirm": "yes"})

    assert form_on(reader, article).get("email", "") == ""


def test_an_erase_forgets_the_readers_held_comment_as_theirs(
    session_engine, article, editor_client
):
    reader = Client()
    post(reader, article, comment="Held for an editor.", email=EMAIL, save_details="on")
    assert Comment.objects.get(text="Held for an editor.").status == Comment.Status.PENDING
    assert "Held for an editor." in reader.get(article.get_absolute_url()).content.decode()

    editor_client.post(ERASE, {"email": EMAIL, "confirm": "yes"})

    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Held for an editor." not in html
    assert "Anonymous" not in html


def test_an_erase_leaves_other_readers_saved_details_alone(session_engine, article, editor_client):
    ada, bob = Client(), Client()
    post(ada, article, comment="From Ada.", email=EMAIL, save_details="on")
    post(
        bob, article, comment="From Bob.", author="Bob", email="bob@example.org", save_details="on"
    )

    editor_client.post(ERASE, {"email": EMAIL, "confirm": "yes"})

    assert form_on(bob, article)["email"] == "bob@example.org"
    assert "From Bob." in bob.get(article.get_absolute_url()).content.decode()


def test_with_sessions_only_in_a_cache_the_erase_still_works_and_says_what_it_could_not_do(
    settings, article, caplog
):
    # The cache engine cannot list its sessions: the comments are erased all the same, and
    # the log says the saved details could not be reached (README, "Privacy requests").
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    factories.make_comment(article, author_email=EMAIL, text="Erase me.")

    services.erase_personal_data(EMAIL)

    assert Comment.objects.get(text="Erase me.").author_email == ""
    assert "cannot list its sessions" in caplog.text
