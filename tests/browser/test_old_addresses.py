"""An old link into a WordPress conversation, followed in a real browser: the 301 keeps the
link's #comment-N, and the comment is found on whichever page of comments holds it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.wordpress.models import ExportedSite, Imported
from comments.models import Comment, DiscussionSettings
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.browser
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OLD_POST = "/2023/02/04/winter-deepens-crisis-in-border-towns/"


@pytest.fixture
def article(transactional_db):
    """An imported post with six threads, two to a page, oldest first: three pages. Each
    comment kept its WordPress id (551 to 556) as its own."""
    DiscussionSettings.objects.update(comments_per_page=2)
    # A long story, so the comments start well below the first screen.
    article = make_article(body="\n\n".join(f"Paragraph {n} of a long story." for n in range(60)))
    site = ExportedSite.objects.create(base_url="http://127.0.0.1:8081")
    Imported.objects.create(
        site=site, kind=Imported.Kind.POST, wp_id=12, object_id=article.pk, old_path=OLD_POST
    )
    start = timezone.now() - timedelta(days=2)
    for n in range(1, 7):
        make_comment(
            article, pk=550 + n, text=f"Thread {n}.", submitted_at=start + timedelta(minutes=n)
        )
    return article


@transactional
def test_an_old_link_to_a_comment_on_the_first_page_finds_it(new_page, article):
    reader = new_page()
    reader.goto(f"{OLD_POST}#comment-552")

    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "#comment-552$"))
    expect(reader.get_by_text("Thread 2.")).to_be_in_viewport()


@transactional
def test_an_old_link_to_a_comment_on_a_later_page_leads_to_that_page(new_page, article):
    reader = new_page()
    reader.goto(f"{OLD_POST}#comment-555")

    expect(reader).to_have_url(
        re.compile(re.escape(article.get_absolute_url()) + r"\?cpage=3#comment-555$")
    )
    expect(reader.get_by_text("Thread 5.")).to_be_in_viewport()
    pages = reader.get_by_role("navigation", name="Pages of comments", exact=True)
    expect(pages.locator('[aria-current="page"]')).to_have_text("3")


@transactional
def test_an_old_link_to_a_comment_no_longer_shown_stays_on_the_article(new_page, article):
    Comment.objects.filter(pk=556).update(status=Comment.Status.SPAM)
    reader = new_page()

    with reader.expect_response(lambda response: "/comments/556/" in response.url) as asked:
        reader.goto(f"{OLD_POST}#comment-556")

    assert asked.value.status == 404
    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "#comment-556$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(article.headline)
