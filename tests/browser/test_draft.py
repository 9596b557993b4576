"""With JavaScript, the comment being written is kept in the tab until it is posted: a post
that gets no answer at all does not cost the reader their words (static/js/comment-draft.js)."""

import re

import pytest
from playwright.sync_api import Page, expect

from comments.models import Comment
from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "A long answer I would hate to type twice."


def comment_box(page: Page):
    return page.get_by_label(re.compile(r"^\s*Comment\b"))


def fill_and_post(page: Page) -> None:
    comment_box(page).fill(TEXT)
    page.get_by_label(re.compile(r"^\s*Name\b")).fill("Ada Reader")
    page.get_by_label(re.compile(r"^\s*Email\b")).fill("ada@example.org")
    page.get_by_role("button", name="Post Comment").click()


def test_a_post_that_gets_no_answer_leaves_the_text_in_the_box(new_page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = make_article()
    page = new_page()
    page.goto(article.get_absolute_url())
    page.route("**/comments/post/**", lambda route: route.abort("connectionreset"))

    fill_and_post(page)
    page.wait_for_load_state()
    page.unroute("**/comments/post/**")
    page.goto(article.get_absolute_url())  # the reader comes back to the article

    expect(comment_box(page)).to_have_value(TEXT)
    assert not Comment.objects.exists()


def test_the_draft_is_forgotten_once_the_comment_is_posted(new_page, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    article = make_article()
    page = new_page()
    page.goto(article.get_absolute_url())

    fill_and_post(page)
    expect(page.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    page.goto(article.get_absolute_url())

    expect(comment_box(page)).to_have_value("")
    assert Comment.objects.get().text == TEXT
