"""Each comment's HTML is written once for what it shows, and never reused once that changes."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from comments.templatetags import conversation
from tests.factories import comment_data, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_remembered():
    conversation._written.clear()
    yield
    conversation._written.clear()


def page(client, article, query: str = "") -> str:
    html = client.get(article.get_absolute_url() + query).content.decode()
    return re.sub(r'name="timestamp" value="[^"]*"', 'name="timestamp"', html)  # per view


def test_a_second_view_reuses_the_comments_html_and_is_the_same_page(client, article, monkeypatch):
    parent = make_comment(article, text="First thoughts.")
    make_comment(article, parent=parent, text="A reply.")
    first = page(client, article)
    written = []
    monkeypatch.setattr(
        conversation, "get_template", lambda name: written.append(name) or None
    )  # a second view that wrote anything would fail here

    assert page(client, article) == first
    assert written == []


@pytest.mark.parametrize(
    ("change", "gone", "shown"),
    [
        ({"text": "Changed words."}, "Old words.", "Changed words."),
        ({"author_name": "New Name"}, "Old Name", "New Name"),
        ({"author_url": "https://new.example"}, "https://old.example", "https://new.example"),
    ],
)
def test_what_a_comment_shows_changing_is_written_again(client, article, change, gone, shown):
    comment = make_comment(
        article, text="Old words.", author_name="Old Name", author_url="https://old.example"
    )
    assert gone in page(client, article)

    Comment.objects.filter(pk=comment.pk).update(**change)  # even behind the model's back

    html = page(client, article)
    assert shown in html and gone not in html


def test_a_reply_changing_rewrites_its_thread(client, article):
    parent = make_comment(article)
    reply = make_comment(article, parent=parent, text="Reply before.")
    page(client, article)
    Comment.objects.filter(pk=reply.pk).update(text="Reply after.")
    assert "Reply after." in page(client, article)


def test_closing_comments_and_a_shallower_thread_remove_reply_links(client, article, discussion):
    parent = make_comment(article)
    make_comment(article, parent=parent)
    assert page(client, article).count('class="comment-reply-link"') == 2

    discussion.thread_depth = 2
    discussion.save()
    assert page(client, article).count('class="comment-reply-link"') == 1

    article.comment_mode = Article.CommentMode.CLOSED
    article.save()
    assert 'class="comment-reply-link"' not in page(client, article)


def test_a_comment_on_another_page_of_comments_links_to_that_page(client, article, discussion):
    discussion.comments_per_page = 1
    discussion.save()
    make_comment(article)
    second = make_comment(article)
    assert f'?cpage=2#comment-{second.pk}"' in page(client, article, "?cpage=2")


def test_a_posters_own_pending_comment_says_so_and_others_never_see_that(client, article):

    client.post(reverse("comments:post", args=[article.pk]), comment_data(article, comment="Mine."))
    assert "Your comment is awaiting moderation." in page(client, article)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
    html = page(client, article)
    assert "Mine." in html and "Your comment is awaiting moderation." not in html
