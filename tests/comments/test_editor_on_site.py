"""An editor signed in on the site comments as themselves: form filled in, published at once,
marked Staff; and nothing of theirs reaches the shared cache."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests import factories
from tests.comments.test_staff import has_badge
from tests.pages import CommentFormFields
from tests.test_shared_cache import assert_private, assert_shared

pytestmark = pytest.mark.django_db

SIGNED_IN_NOTE = "your comment is published at once, with a Staff badge"


@pytest.fixture
def perry(editor):
    editor.first_name, editor.last_name, editor.email = "Perry", "White", "perry@news.example"
    editor.save()
    return editor


@pytest.fixture
def perry_client(client, perry):
    client.force_login(perry)
    return client


@pytest.fixture
def strict(discussion):
    """Every rule that holds a stranger's comment, on at once."""
    discussion.hold_all = True
    discussion.approve_known_commenters = True
    discussion.moderation_words = "deadline"
    discussion.disallowed_words = "scoop"
    discussion.max_links = 1
    discussion.save()
    return discussion


def post(client, article, **fields):
    return client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, **fields),
    )


def form_fields(response) -> dict:
    return CommentFormFields(response.content.decode()).values


def test_the_form_is_filled_in_from_the_editors_account(perry_client, article):
    response = perry_client.get(article.get_absolute_url())

    fields = form_fields(response)
    assert (fields["author"], fields["email"]) == ("Perry White", "perry@news.example")
    html = " ".join(response.content.decode().split())
    assert f"Signed in as <bdi>Perry White</bdi>: {SIGNED_IN_NOTE}." in html


def test_an_editor_without_a_full_name_is_filled_in_by_user_name(client, editor, article):
    client.force_login(editor)
    assert form_fields(client.get(article.get_absolute_url()))["author"] == "editor"


def test_the_reply_form_is_filled_in_too(perry_client, article):
    comment = factories.make_comment(article, author_name="Jimmy")
    response = perry_client.get(article.get_absolute_url(), {"replytocom": comment.pk})

    fields = form_fields(response)
    assert (fields["author"], fields["parent"]) == ("Perry White", str(comment.pk))


def test_staff_who_may_not_moderate_get_a_readers_form(client, staff_viewer, article):
    client.force_login(staff_viewer)
    response = client.get(article.get_absolute_url())

    assert form_fields(response).get("author", "") == ""
    assert SIGNED_IN_NOTE not in response.content.decode()


def test_an_editors_comment_and_reply_are_published_at_once_with_the_badge(
    perry_client, article, strict
):
    reader = factories.make_comment(article, text="When is the deadline?")

    posted = post(
        perry_client,
        article,
        author="Perry White",
        email="perry@news.example",
        comment="Our scoop on the deadline: https://news.example/a https://news.example/b",
    )
    replied = post(
        perry_client,
        article,
        author="Perry White",
        email="perry@news.example",
        parent=reader.pk,
        comment="Friday, by the deadline.",
    )

    assert (posted.status_code, replied.status_code) == (302, 302)
    comment = Comment.objects.get(text__startswith="Our scoop")
    reply = Comment.objects.get(text="Friday, by the deadline.")
    assert (comment.status, reply.status) == (Comment.Status.APPROVED, Comment.Status.APPROVED)
    assert reply.parent == reader
    html = Client().get(article.get_absolute_url()).content.decode()  # any reader
    assert "Our scoop on the deadline" in html and "Friday, by the deadline." in html
    assert has_badge(html, comment) and has_badge(html, reply)


def test_the_same_rules_hold_a_readers_comment(client, article, strict):
    post(client, article, comment="Friday, by the deadline.")
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"comment": "   "}, "Please type your comment."),
        ({"comment": "x" * 70_000}, "Ensure this value has at most"),
    ],
)
def test_what_is_refused_to_everyone_is_refused_to_an_editor(
    perry_client, article, fields, refusal
):
    response = post(perry_client, article, author="Perry White", **fields)

    assert response.status_code == 400
    assert refusal in response.content.decode()
    assert not Comment.objects.exists()


def test_an_editors_reply_too_deep_is_refused(perry_client, article, discussion):
    discussion.thread_depth = 2
    discussion.save()
    first = factories.make_comment(article)
    second = factories.make_comment(article, parent=first)

    response = post(perry_client, article, author="Perry White", parent=second.pk)

    assert response.status_code == 400
    assert "nested as deeply as it goes" in response.content.decode()


def test_nothing_of_the_editors_form_reaches_the_shared_cache(perry_client, article):
    comment = factories.make_comment(article)
    for query in ({}, {"replytocom": comment.pk}):
        response = perry_client.get(article.get_absolute_url(), query)
        assert "perry@news.example" in response.content.decode()
        assert_private(response)  # newsroom/http_cache.py: only this browser keeps it

    # The page every reader shares is still shared, and has none of it.
    anonymous = Client().get(article.get_absolute_url())
    assert_shared(anonymous)
    html = anonymous.content.decode()
    assert "perry@news.example" not in html and SIGNED_IN_NOTE not in html
