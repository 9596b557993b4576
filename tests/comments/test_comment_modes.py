"""Each article's own comment setting: what a reader's comment gets under it."""

import pytest
from django.urls import reverse

from articles.models import Article
from comments import moderation
from comments.models import Comment
from tests import factories
from tests.factories import comment_data

pytestmark = pytest.mark.django_db

Mode = Article.CommentMode
PENDING, APPROVED = Comment.Status.PENDING, Comment.Status.APPROVED


def post(client, article: Article, **fields):
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    return client.post(url, comment_data(article, **fields))


def known_commenter(name="Ada Reader", email="ada@example.org"):
    """A reader whose comment was approved before, on another article."""
    factories.make_comment(factories.make_article(), author_name=name, author_email=email)


def test_site_default_follows_the_discussion_settings(client, open_door):
    article = factories.make_article(comment_mode=Mode.SITE_DEFAULT)

    post(client, article)

    assert Comment.objects.get(article=article).status == APPROVED


def test_pre_moderated_article_holds_every_comment_even_where_the_site_would_not(client, open_door):
    known_commenter()
    article = factories.make_article(comment_mode=Mode.HOLD_ALL)

    response = post(client, article)

    assert response.status_code == 302
    comment = Comment.objects.get(article=article)
    assert comment.status == PENDING
    assert "awaiting moderation" in client.get(article.get_absolute_url()).text


def test_trusted_commenters_appear_at_once_though_the_site_holds_all(client, discussion):
    discussion.hold_all = True
    discussion.save()
    known_commenter()
    article = factories.make_article(comment_mode=Mode.TRUSTED)

    post(client, article)

    assert Comment.objects.get(article=article).status == APPROVED


def test_trusted_mode_holds_a_first_time_commenter(client, discussion):
    discussion.hold_all = False
    discussion.approve_known_commenters = False
    discussion.save()
    article = factories.make_article(comment_mode=Mode.TRUSTED)

    post(client, article, author="New Reader", email="new@example.org")

    assert Comment.objects.get(article=article).status == PENDING


def test_closed_article_shows_no_form_and_refuses_a_comment(client, open_door):
    article = factories.make_article(comment_mode=Mode.CLOSED)

    page = client.get(article.get_absolute_url()).text
    response = post(client, article)

    assert "Comments are closed." in page
    assert 'id="comment-form"' not in page and "Leave a Reply" not in page
    assert response.status_code == 403
    assert not Comment.objects.filter(article=article).exists()


@pytest.mark.parametrize(
    ("mode", "hold_all", "known_only"),
    [
        (Mode.SITE_DEFAULT, "site", "site"),
        (Mode.HOLD_ALL, True, False),
        (Mode.TRUSTED, False, True),
    ],
)
@pytest.mark.parametrize(("site_hold_all", "site_known_only"), [(True, False), (False, True)])
def test_the_one_policy_decides_each_mode(
    discussion, mode, hold_all, known_only, site_hold_all, site_known_only
):
    discussion.hold_all, discussion.approve_known_commenters = site_hold_all, site_known_only
    article = Article(comment_mode=mode)

    rules = moderation.holding_rules(article, discussion)

    expected = (
        site_hold_all if hold_all == "site" else hold_all,
        site_known_only if known_only == "site" else known_only,
    )
    assert rules == expected


def test_the_comment_setting_is_in_the_article_form(editor_client, article):
    form = (
        editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        .context["adminform"]
        .form
    )

    assert [value for value, _ in form.fields["comment_mode"].choices] == [
        "default",
        "hold_all",
        "trusted",
        "closed",
    ]
    assert "comments_close_after_days" in form.fields
