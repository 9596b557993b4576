"""A reader whose only comment awaits moderation is told so, not that there are no comments."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NOTE = "Your comment is awaiting moderation: only you can see it until an editor approves it."


def post(client, article, text: str):
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, comment=text),
    )
    assert response.status_code == 302
    return response


def section(client, article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return " ".join(html[html.index('id="comments"') : html.index('id="respond"')].split())


def test_a_reader_whose_only_comment_is_held_sees_the_note_not_no_comments_yet(client, article):
    post(client, article, "My first thought.")

    html = section(client, article)

    assert "My first thought." in html
    assert NOTE in html
    assert '<h2 id="comments-title" class="comments-title">Comments</h2>' in html
    assert "No comments yet" not in html
    assert "Be the first" not in html


def test_other_readers_still_see_no_comments_yet(client, article):
    post(client, article, "My first thought.")

    html = section(Client(), article)

    assert "No comments yet" in html and "Be the first" in html
    assert NOTE not in html and "My first thought." not in html


def test_two_held_comments_are_spoken_of_in_the_plural(client, article):
    post(client, article, "My first thought.")
    post(client, article, "My second thought.")

    assert (
        "Your comments are awaiting moderation: only you can see them until an editor "
        "approves them." in section(client, article)
    )


def test_with_approved_comments_the_count_stays_and_the_comment_carries_its_own_note(
    client, article
):
    factories.make_comment(article, text="Someone else's, approved.")
    post(client, article, "My held thought.")

    html = section(client, article)

    assert ">1 comment</h2>" in html
    assert NOTE not in html
    assert "Your comment is awaiting moderation." in html  # beside the comment itself
