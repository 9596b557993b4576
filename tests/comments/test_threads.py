"""Approved comments under the article: oldest first, threaded, each safely shown."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.conversation import build_threads
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def element(html: str, comment: Comment) -> str:
    """The comment's whole <li>, nested replies included."""
    start = html.index(f'<li id="comment-{comment.pk}"')
    depth, position = 0, start
    for match in re.finditer(r"<(/?)li[\s>]", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            position = start + match.end()
            break
    return html[start:position]


def test_approved_comments_are_shown_oldest_first(client, article):
    now = timezone.now()
    newer = factories.make_comment(article, text="Second in time.", submitted_at=now)
    older = factories.make_comment(
        article, text="First in time.", submitted_at=now - timedelta(hours=1)
    )

    html = page(client, article)

    assert html.index(older.text) < html.index(newer.text)


def test_heading_counts_approved_comments_only(client, article):
    factories.make_comment(article)
    factories.make_comment(article)
    factories.make_comment(article, status=Comment.Status.PENDING)
    factories.make_comment(article, status=Comment.Status.TRASH)

    assert '<h2 id="comments-title" class="comments-title">2 comments</h2>' in page(client, article)


def test_singular_heading_and_no_comments_yet(client, article):
    assert "No comments yet" in page(client, article)
    factories.make_comment(article)
    assert ">1 comment</h2>" in page(client, article)


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_unapproved_comments_are_not_shown(client, article, status):
    factories.make_comment(article, status=status, text="Not for readers.")
    assert "Not for readers." not in page(client, article)


def test_reply_is_nested_inside_its_parents_element(client, article):
    parent = factories.make_comment(article, text="Parent says.")
    reply = factories.make_comment(article, parent=parent, text="Reply says.")
    sibling = factories.make_comment(article, text="Another top-level comment.")

    html = page(client, article)

    assert reply.text in element(html, parent)
    assert '<ol class="children">' in element(html, parent)
    assert sibling.text not in element(html, parent)
    assert 'class="comment depth-2' in element(html, reply)


def test_each_comment_shows_name_date_link_and_escaped_paragraphs(client, article):
    comment = factories.make_comment(
        article,
        author_name="<b>Bold</b> Name",
        text="First line <script>alert(1)</script>\n\nSecond paragraph.",
    )

    li = element(page(client, article), comment)

    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in li
    assert "<script>" not in li
    assert "<p>First line &lt;script&gt;alert(1)&lt;/script&gt;</p>" in li
    assert "<p>Second paragraph.</p>" in li
    assert f'href="{article.get_absolute_url()}#comment-{comment.pk}"' in li
    assert f'datetime="{comment.submitted_at.strftime("%Y-%m-%dT%H:%M:%S%z")}"' in li


def test_authors_website_is_a_nofollow_ugc_link(client, article):
    comment = factories.make_comment(
        article, author_name="Linked", author_url="https://linked.example"
    )

    li = element(page(client, article), comment)

    assert (
        '<a href="https://linked.example" rel="nofollow ugc" class="url"><bdi>Linked</bdi></a>'
    ) in li


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.example", " JAVASCRIPT:alert(1)"]
)
def test_a_website_that_is_not_http_never_becomes_a_link(client, article, url):
    # Stored by some other way than the form (an import, an old row): still never a link.
    comment = factories.make_comment(article, author_name="Unlinked", author_url=url)

    li = element(page(client, article), comment)

    assert "<a href" not in li.split('class="comment-author"')[1].split("</h3>")[0]


def test_reply_link_works_without_javascript(client, article):
    comment = factories.make_comment(article, author_name="Grace")

    li = element(page(client, article), comment)

    link = re.search(r'<a rel="nofollow" class="comment-reply-link" ([^>]*)>Reply</a>', li)[1]
    assert f'href="{article.get_absolute_url()}?replytocom={comment.pk}#respond"' in link
    assert 'aria-label="Reply to Grace"' in link


def test_deepest_comments_have_no_reply_link_and_replies_to_them_are_refused(
    client, article, discussion
):
    discussion.thread_depth = 3
    discussion.save()
    first = factories.make_comment(article)
    second = factories.make_comment(article, parent=first)
    third = factories.make_comment(article, parent=second)

    html = page(client, article)
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, parent=third.pk),
    )

    assert f"?replytocom={second.pk}#respond" in html
    assert f"?replytocom={third.pk}#respond" not in html
    assert response.status_code == 400
    assert "nested as deeply as it goes" in response.content.decode()
    assert Comment.objects.count() == 3


def test_thread_building_puts_orphans_at_the_top_and_caps_the_depth(article):
    root = factories.make_comment(article)
    child = factories.make_comment(article, parent=root)
    grandchild = factories.make_comment(article, parent=child)
    hidden = factories.make_comment(article, status=Comment.Status.TRASH)
    orphan = factories.make_comment(article, parent=hidden)

    threads, depths = build_threads([root, child, grandchild, orphan], max_depth=2)

    assert [node.comment for node in threads] == [root, orphan]
    assert [node.comment for node in threads[0].children] == [child, grandchild]
    assert depths == {root.pk: 1, child.pk: 2, grandchild.pk: 2, orphan.pk: 1}


def test_article_page_query_count_does_not_grow_with_comments(client, article, discussion):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    parent = factories.make_comment(article)
    count_queries()  # the footer's pages, remembered as on the live site
    with_one = count_queries()
    for n in range(199):
        factories.make_comment(article, parent=parent if n % 3 == 0 else None)
    with_two_hundred = count_queries()

    assert Comment.objects.approved().count() == 200
    # The article and its tags, the discussion settings, the counts, this page's threads and
    # the navigation's sections.
    assert with_two_hundred == with_one <= 6


def test_poster_page_query_count_does_not_grow_with_their_pending_comments(
    client, article, django_assert_max_num_queries
):
    for n in range(5):
        client.post(
            reverse("comments:post", kwargs={"article_id": article.pk}),
            factories.comment_data(article, comment=f"Pending {n}"),
        )
    # session, article and its tags, settings, comments, (user), the navigation's sections;
    # the footer's pages (cached a minute)
    with django_assert_max_num_queries(8):
        html = page(client, article)
    assert html.count("Your comment is awaiting moderation.") == 5
