"""The article page reads only the page of comments it shows, in a fixed number of queries,
and builds its form without rebuilding the same layout for every view."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def add_threads(article, count: int, replies: int = 0, start=None) -> list[Comment]:
    """``count`` top-level comments a minute apart, each with a chain of ``replies``."""
    start = start or timezone.now() - timedelta(days=2)
    roots = []
    for n in range(count):
        at = start + timedelta(minutes=n)
        parent = factories.make_comment(article, text=f"Thread {n}.", submitted_at=at)
        roots.append(parent)
        for depth in range(replies):
            parent = factories.make_comment(
                article,
                parent=parent,
                text=f"Reply {depth} in thread {n}.",
                submitted_at=at + timedelta(seconds=depth + 1),
            )
    return roots


class CommentsBuilt:
    """How many Comment objects were made from database rows while it was open."""

    def __enter__(self):
        self.count = 0
        post_init.connect(self.counted, sender=Comment)
        return self

    def __exit__(self, *exc):
        post_init.disconnect(self.counted, sender=Comment)

    def counted(self, **kwargs):
        self.count += 1


def queries_for(client, url: str, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_5_and_300_comments_and_on_another_page(
    client, article, discussion
):
    discussion.comments_per_page = 20
    discussion.save()
    url = article.get_absolute_url()
    add_threads(article, 5)
    queries_for(client, url)  # the footer's pages, remembered as on the live site
    with_five = queries_for(client, url)

    add_threads(article, 59, replies=4, start=timezone.now() - timedelta(days=1))
    assert article.comments.count() == 300

    assert queries_for(client, url) == with_five
    assert queries_for(client, url, cpage=2) == with_five
    assert queries_for(client, url, cpage=4) == with_five
    # The article and its tags, the discussion settings, the counts, this page's threads and
    # the navigation's sections.
    assert with_five <= 6


def test_a_page_reads_only_the_comments_it_shows(client, article, discussion):
    discussion.comments_per_page = 5
    discussion.save()
    roots = add_threads(article, 60, replies=4)  # 300 comments, 12 pages of 5 threads

    with CommentsBuilt() as built:
        html = client.get(article.get_absolute_url(), {"cpage": 7}).content.decode()

    assert built.count == 25  # five threads of five comments: nothing from other pages
    for root in roots[30:35]:
        assert f'id="comment-{root.pk}"' in html
    assert f'id="comment-{roots[29].pk}"' not in html
    assert f'id="comment-{roots[35].pk}"' not in html
    assert "Reply 3 in thread 34." in html


def test_a_permalink_reads_only_the_comment_and_the_comments_above_it(client, article, discussion):
    discussion.comments_per_page = 5
    discussion.save()
    add_threads(article, 60, replies=4)
    deepest = Comment.objects.get(text="Reply 3 in thread 42.")

    with CommentsBuilt() as built:
        response = client.get(deepest.get_absolute_url())

    assert response["Location"] == f"{article.get_absolute_url()}?cpage=9#comment-{deepest.pk}"
    assert built.count == 1 + 5  # the comment looked up by the view, then its thread's line


def test_a_reply_whose_parent_is_hidden_starts_its_own_thread_in_page_order(
    client, article, discussion
):
    discussion.comments_per_page = 1
    discussion.save()
    start = timezone.now() - timedelta(hours=3)
    factories.make_comment(article, text="The first thread.", submitted_at=start)
    removed = factories.make_comment(
        article, text="Removed.", status="trash", submitted_at=start + timedelta(hours=1)
    )
    orphan = factories.make_comment(
        article, parent=removed, text="An answer to it.", submitted_at=start + timedelta(hours=2)
    )

    second_page = client.get(article.get_absolute_url(), {"cpage": 2}).content.decode()

    assert "An answer to it." in second_page and "The first thread." not in second_page
    assert 'class="comment depth-1' in second_page
    assert client.get(orphan.get_absolute_url())["Location"].endswith(
        f"?cpage=2#comment-{orphan.pk}"
    )


def test_form_counts_depth_as_the_page_shows_it_when_a_parent_is_hidden(
    client, article, discussion
):
    # With two levels, a comment whose parent was removed is shown at the top level and
    # offers a Reply link; the form must take that reply rather than call it too deep.
    discussion.thread_depth = 2
    discussion.save()
    removed = factories.make_comment(article, status="trash")
    shown_at_top = factories.make_comment(article, parent=removed, text="Now at the top.")

    html = client.get(article.get_absolute_url()).content.decode()
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, parent=shown_at_top.pk, comment="A reply at level two."),
    )

    assert f"replytocom={shown_at_top.pk}#respond" in html
    assert response.status_code == 302
    reply = Comment.objects.get(text="A reply at level two.")
    assert reply.parent == shown_at_top


def test_form_refuses_a_reply_below_the_deepest_level_shown(client, article, discussion):
    discussion.thread_depth = 2
    discussion.save()
    removed = factories.make_comment(article, status="trash")
    top = factories.make_comment(article, parent=removed)
    second = factories.make_comment(article, parent=top)

    html = client.get(article.get_absolute_url()).content.decode()
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, parent=second.pk),
    )

    assert f"replytocom={second.pk}#respond" not in html
    assert response.status_code == 400
    assert "nested as deeply as it goes" in response.content.decode()


def test_long_conversations_link_the_first_last_and_nearby_pages(client, article, discussion):
    discussion.comments_per_page = 1
    discussion.save()
    add_threads(article, 20)
    url = article.get_absolute_url()

    html = client.get(url, {"cpage": 10}).content.decode()
    start = html.index('class="comment-pages"')
    nav = html[start : html.index("</nav>", start)]

    linked = [n for n in range(1, 21) if f'aria-label="Comments page {n}"' in nav]
    assert linked == [1, 8, 9, 11, 12, 20]
    assert nav.count('<li class="comment-pages-gap" aria-hidden="true">…</li>') == 2
    assert '<span class="comment-pages-current" aria-current="page">10</span>' in nav


@pytest.mark.parametrize("replytocom", ["99999999999999999999999", "0", "12abc"])
def test_odd_reply_targets_show_the_page_without_a_reply_heading(client, article, replytocom):
    factories.make_comment(article)
    response = client.get(article.get_absolute_url(), {"replytocom": replytocom})
    assert response.status_code == 200
    assert "Leave a Reply to" not in response.content.decode()


def test_each_article_page_posts_its_form_to_its_own_article(client, article):
    # The form's layout is built once for all articles; only its action differs.
    other = factories.make_article()
    for each in (article, other, article):
        html = client.get(each.get_absolute_url()).content.decode()
        action = reverse("comments:post", kwargs={"article_id": each.pk})
        assert f'action="{action}#error-summary"' in html
        assert html.count('id="commentform"') == 1
