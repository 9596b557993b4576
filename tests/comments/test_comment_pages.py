"""Long conversations in pages; a comment's permalink always finds the page that holds it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, DiscussionSettings
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(article, discussion):
    """Five threads, two per page; the second thread has a reply and a reply to that."""
    discussion.comments_per_page = 2
    discussion.save()
    start = timezone.now() - timedelta(days=1)
    threads = [
        factories.make_comment(
            article, text=f"Thread {n}.", submitted_at=start + timedelta(hours=n)
        )
        for n in range(1, 6)
    ]
    reply = factories.make_comment(
        article, parent=threads[2], text="A reply.", submitted_at=start + timedelta(hours=9)
    )
    factories.make_comment(
        article,
        parent=reply,
        text="A reply to the reply.",
        submitted_at=start + timedelta(hours=10),
    )
    return threads


def shown(client, article, **query) -> str:
    html = client.get(article.get_absolute_url(), query).content.decode()
    return html[html.index('id="comments"') : html.index('id="respond"')]


def test_first_page_holds_the_oldest_threads_with_links_to_the_others(
    client, article, conversation
):
    html = shown(client, article)

    assert "Thread 1." in html and "Thread 2." in html
    assert "Thread 3." not in html
    assert '<nav class="comment-pages" aria-label="Pages of comments">' in html
    for number in (2, 3):
        assert f'href="{article.get_absolute_url()}?cpage={number}#comments"' in html
    # This page is marked, and is not a link to itself.
    assert '<span class="comment-pages-current" aria-current="page">1</span>' in html
    assert 'aria-label="Comments page 1"' not in html


def test_replies_stay_on_their_threads_page(client, article, conversation):
    html = shown(client, article, cpage=2)

    assert "Thread 3." in html and "Thread 4." in html
    assert "A reply." in html and "A reply to the reply." in html
    assert "Thread 1." not in html and "Thread 5." not in html


def test_heading_counts_every_approved_comment_not_just_this_page(client, article, conversation):
    assert ">7 comments</h2>" in shown(client, article, cpage=3)


def test_permalinks_and_reply_links_on_a_page_keep_the_page(client, article, conversation):
    html = shown(client, article, cpage=2)
    third = conversation[2]
    url = article.get_absolute_url()

    assert f'href="{url}?cpage=2#comment-{third.pk}"' in html
    assert f'href="{url}?cpage=2&amp;replytocom={third.pk}#respond"' in html


def test_replying_from_page_two_shows_page_two_and_the_reply_heading(client, article, conversation):
    third = conversation[2]
    response = client.get(article.get_absolute_url(), {"cpage": 2, "replytocom": third.pk})
    html = response.content.decode()
    assert "Thread 3." in html
    assert f'Leave a Reply to <a href="#comment-{third.pk}">' in html


@pytest.mark.parametrize("cpage", ["0", "99", "abc", "-1", "²"])
def test_odd_page_numbers_show_the_nearest_page(client, article, conversation, cpage):
    response = client.get(article.get_absolute_url(), {"cpage": cpage})
    assert response.status_code == 200


def test_newest_first_page_setting_opens_on_the_last_page(client, article, conversation):
    DiscussionSettings.objects.update(first_page=DiscussionSettings.FirstPage.NEWEST)

    default = shown(client, article)
    first = shown(client, article, cpage=1)

    assert "Thread 5." in default and "Thread 1." not in default
    assert "Thread 1." in first
    assert f'href="{article.get_absolute_url()}#comments"' in first  # the last page, plainly


def test_permalink_of_a_comment_lands_on_its_page(client, article, conversation):
    deep_reply = Comment.objects.get(text="A reply to the reply.")
    first = conversation[0]

    response = client.get(deep_reply.get_absolute_url())
    on_first_page = client.get(first.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{deep_reply.pk}"
    assert on_first_page["Location"] == f"{article.get_absolute_url()}#comment-{first.pk}"


def test_permalink_follows_the_comment_when_older_threads_are_removed(
    client, article, conversation
):
    fifth = conversation[4]
    assert client.get(fifth.get_absolute_url())["Location"].endswith(f"?cpage=3#comment-{fifth.pk}")
    Comment.objects.filter(pk__in=[c.pk for c in conversation[:2]]).update(status="trash")
    assert client.get(fifth.get_absolute_url())["Location"].endswith(f"?cpage=2#comment-{fifth.pk}")


def test_poster_is_sent_to_the_page_with_their_pending_comment(client, article, conversation):
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, comment="The newest thought."),
    )
    mine = Comment.objects.get(text="The newest thought.")

    assert response["Location"] == f"{article.get_absolute_url()}?cpage=3#comment-{mine.pk}"
    assert "The newest thought." in shown(client, article, cpage=3)


def test_permalink_of_a_comment_others_may_not_see_is_not_found(article):
    # As a comment that does not exist (tests/comments/test_permalink.py).
    pending = factories.make_comment(article, status="pending")
    assert Client().get(pending.get_absolute_url()).status_code == 404


def test_permalink_on_an_unpublished_article_is_not_found(client):
    draft = factories.make_article(status=Article.Status.DRAFT)
    comment = factories.make_comment(draft)
    assert client.get(comment.get_absolute_url()).status_code == 404
    assert client.get(reverse("comments:permalink", args=[987654])).status_code == 404


def test_admin_view_on_site_link_lands_on_the_comments_page(editor_client, article, conversation):
    deep_reply = Comment.objects.get(text="A reply to the reply.")

    view_on_site = editor_client.get(
        reverse("admin:view_on_site", args=[comment_type(), deep_reply.pk])
    )
    landing = editor_client.get(view_on_site["Location"])

    assert view_on_site["Location"].endswith(deep_reply.get_absolute_url())
    assert landing["Location"].endswith(f"?cpage=2#comment-{deep_reply.pk}")


def comment_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Comment).pk


def test_one_page_needs_no_page_links(client, article):
    factories.make_comment(article)
    assert 'class="comment-pages"' not in shown(client, article)


def test_page_query_count_does_not_grow_with_pages(
    client, article, discussion, django_assert_max_num_queries
):
    discussion.comments_per_page = 5
    discussion.save()
    for n in range(60):
        factories.make_comment(article, text=f"Comment {n}")
    # The article and its tags, the discussion settings, the counts, this page's threads and
    # the navigation's sections; and the footer's pages, which the cache forgets within a
    # minute (articles/pages/footer.py).
    with django_assert_max_num_queries(7):
        client.get(article.get_absolute_url(), {"cpage": 4})


# The count and the invitation


def test_article_header_links_its_comment_count_to_the_comments(client, article):
    factories.make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    header = html[
        html.index('<header class="article-header">') : html.index(
            "</header>", html.index('<header class="article-header">')
        )
    ]
    assert '<a href="#comments">1 comment</a>' in header


def test_no_comments_yet_invites_the_first_reply(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "No comments yet" in html
    assert 'Be the first to <a href="#respond">leave a reply</a>.' in html


def test_closed_article_without_comments_invites_nobody(client):
    article = factories.make_article(comment_mode=Article.CommentMode.CLOSED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Be the first" not in html


# The links between pages: above and below the comments, older / numbers / newer


def pagers(html: str) -> list[str]:
    """Each <nav> of comment pages on the page, in order."""
    navs, start = [], 0
    while (start := html.find('<nav class="comment-pages"', start)) != -1:
        end = html.index("</nav>", start)
        navs.append(html[start:end])
        start = end
    return navs


def test_page_links_are_above_and_below_the_comments_each_named(client, article, conversation):
    html = shown(client, article, cpage=2)
    top, bottom = pagers(html)

    assert html.index(top) < html.index("Thread 3.") < html.index(bottom)
    assert 'aria-label="Pages of comments"' in top
    assert 'aria-label="Pages of comments, below them"' in bottom  # two landmarks, two names
    assert top.split(">", 1)[1] == bottom.split(">", 1)[1]  # the same links in both


def test_the_middle_page_links_to_the_older_and_newer_pages(client, article, conversation):
    url = article.get_absolute_url()
    top = pagers(shown(client, article, cpage=2))[0]

    assert f'<a href="{url}#comments" rel="prev" aria-label="Older comments">' in top
    assert f'<a href="{url}?cpage=3#comments" rel="next" aria-label="Newer comments">' in top
    assert '<span class="comment-pages-current" aria-current="page">2</span>' in top
    assert f'href="{url}?cpage=2#comments"' not in top  # this page is not a link to itself


def test_the_first_and_last_pages_link_only_onwards(client, article, conversation):
    first = pagers(shown(client, article))[0]
    last = pagers(shown(client, article, cpage=3))[0]

    assert "Older comments" not in first and "Newer comments" in first
    assert "Older comments" in last and "Newer comments" not in last
