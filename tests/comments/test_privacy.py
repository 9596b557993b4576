"""A commenter's email address is never in any public response: pages, errors, headers."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.net"


def assert_email_absent(response):
    assert EMAIL not in response.content.decode()
    for header, value in response.headers.items():
        assert EMAIL not in value, f"email in {header}"
    for cookie in response.cookies.values():
        assert EMAIL not in cookie.OutputString()


@pytest.fixture
def commented(client, article):
    """A reader who commented, saved their details and was approved; and a reply to them."""
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(
            article, email=EMAIL, url="https://private.example", save_details="on"
        ),
    )
    assert_email_absent(response)  # not even in the poster's own cookies
    Comment.objects.update(status=Comment.Status.APPROVED)
    factories.make_comment(article, parent=Comment.objects.get())
    return article


@pytest.mark.parametrize(
    "path",
    [
        lambda article: reverse("articles:list"),
        lambda article: article.get_absolute_url(),
        lambda article: f"{article.get_absolute_url()}?replytocom={Comment.objects.first().pk}",
        lambda article: "/articles/no-such-article/",
        lambda article: reverse("admin:login"),
    ],
    ids=["home", "article", "reply form", "404", "admin login"],
)
def test_other_readers_never_see_the_email(commented, path):
    response = Client().get(path(commented))
    assert response.status_code in {200, 404}
    assert_email_absent(response)


def test_another_readers_failed_post_does_not_show_it(commented):
    response = Client().post(
        reverse("comments:post", kwargs={"article_id": commented.pk}),
        factories.comment_data(commented, email="not-an-email"),
    )
    assert response.status_code == 400
    assert_email_absent(response)


def test_closed_article_refusal_does_not_show_it(commented):
    commented.comment_mode = Article.CommentMode.CLOSED
    commented.save()
    response = Client().post(
        reverse("comments:post", kwargs={"article_id": commented.pk}),
        factories.comment_data(commented),
    )
    assert response.status_code == 403
    assert_email_absent(response)


def test_the_commenters_own_page_shows_it_only_in_their_form(client, commented):
    html = client.get(commented.get_absolute_url()).content.decode()
    comments_part = html[html.index('<ol class="comment-list">') : html.index('id="respond"')]
    assert EMAIL not in comments_part
    assert html.count(EMAIL) == 1  # the prefilled Email field, in their browser only
