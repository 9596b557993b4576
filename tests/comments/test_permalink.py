"""A comment's permalink: a comment this reader may not see answers exactly as a missing one.

Editors (who may view or change comments) are sent to any comment. A reader who posted a
comment still awaiting a decision follows its link to it, as the article page shows it to
them; to everyone else it does not exist.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests import factories
from tests.factories import comment_data

pytestmark = pytest.mark.django_db

HIDDEN = [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH]


def permalink(comment_id: int) -> str:
    return reverse("comments:permalink", args=[comment_id])


def assert_as_missing(client: Client, comment: Comment) -> None:
    missing_id = Comment.objects.order_by("-pk").first().pk + 1000
    hidden, missing = client.get(permalink(comment.pk)), client.get(permalink(missing_id))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert sorted(hidden.headers) == sorted(missing.headers)


@pytest.mark.parametrize("status", HIDDEN)
def test_a_hidden_comment_answers_as_a_missing_one(client, article, status):
    assert_as_missing(client, factories.make_comment(article, status=status))


def test_an_approved_comment_on_an_unpublished_article_answers_as_a_missing_one(client):
    draft = factories.make_article(status=Article.Status.DRAFT)
    assert_as_missing(client, factories.make_comment(draft))


def test_an_approved_comment_leads_to_its_place(client, article):
    comment = factories.make_comment(article)
    response = client.get(permalink(comment.pk))
    assert response["Location"] == f"{article.get_absolute_url()}#{comment.anchor}"


@pytest.mark.parametrize("status", HIDDEN)
def test_editors_are_led_to_any_comment(editor_client, article, status):
    comment = factories.make_comment(article, status=status)
    assert editor_client.get(permalink(comment.pk)).status_code == 302


def test_staff_who_may_only_view_comments_are_led_to_them(client, staff_viewer, article):
    client.force_login(staff_viewer)
    comment = factories.make_comment(article, status=Comment.Status.PENDING)
    assert client.get(permalink(comment.pk)).status_code == 302


def test_staff_without_comment_permissions_see_what_readers_see(client, article):
    client.force_login(factories.make_user("intern", is_staff=True))
    assert_as_missing(client, factories.make_comment(article, status=Comment.Status.PENDING))


def posted_by(client: Client, article, **fields) -> Comment:
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    assert client.post(url, comment_data(article, **fields)).status_code == 302
    return Comment.objects.latest("pk")


def test_the_poster_follows_the_link_to_their_own_pending_comment(client, article):
    mine = posted_by(client, article)
    assert mine.status == Comment.Status.PENDING

    response = client.get(permalink(mine.pk))

    assert response["Location"] == f"{article.get_absolute_url()}#{mine.anchor}"
    assert_as_missing(Client(), mine)


def test_a_comment_sent_to_spam_looks_held_to_its_poster(client, article):
    # As the article page shows it: the poster is not told that it was judged spam.
    mine = posted_by(client, article)
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.SPAM)
    assert client.get(permalink(mine.pk)).status_code == 302


def test_a_trashed_comment_is_gone_for_its_poster_too(client, article):
    mine = posted_by(client, article)
    Comment.objects.filter(pk=mine.pk).update(status=Comment.Status.TRASH)
    assert_as_missing(client, mine)
