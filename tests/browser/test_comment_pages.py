"""Pages of comments as a reader's browser shows them: one row of links above and below."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from comments.models import DiscussionSettings
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.browser
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def article(transactional_db):
    """Forty threads, two to a page: twenty pages."""
    DiscussionSettings.objects.update(comments_per_page=2)
    article = make_article()
    start = timezone.now() - timedelta(days=2)
    for n in range(1, 41):
        make_comment(article, text=f"Thread {n}.", submitted_at=start + timedelta(minutes=n))
    return article


def tops(page: Page, nav_name: str) -> set[float]:
    """The vertical positions of the items in one pager: one value when they are one row."""
    items = page.get_by_role("navigation", name=nav_name, exact=True).get_by_role("listitem")
    return {round(box["y"]) for box in (item.bounding_box() for item in items.all()) if box}


@transactional
@pytest.mark.parametrize("width", [390, 1280])
def test_page_links_run_in_a_row_above_and_below_the_comments(new_page, article, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{article.get_absolute_url()}?cpage=10")

    for name in ("Pages of comments", "Pages of comments, below them"):
        nav = page.get_by_role("navigation", name=name, exact=True)
        expect(nav.get_by_role("link", name="Older comments")).to_be_visible()
        expect(nav.get_by_role("link", name="Newer comments")).to_be_visible()
        expect(nav.get_by_role("link", name="Comments page 10")).to_have_count(0)
        expect(nav.locator('[aria-current="page"]')).to_have_text("10")
        # Nine items (older, 1, …, 8–12 less this one, …, 20, newer): a row, or two on a phone.
        assert len(tops(page, name)) <= (1 if width >= 1280 else 2)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@transactional
def test_newer_comments_leads_to_the_next_page(new_page, article):
    page = new_page()
    page.goto(f"{article.get_absolute_url()}?cpage=10")

    page.get_by_role("navigation", name="Pages of comments", exact=True).get_by_role(
        "link", name="Newer comments"
    ).click()

    expect(page).to_have_url(f"{article.get_absolute_url()}?cpage=11#comments")
    expect(page.get_by_text("Thread 21.", exact=True)).to_be_visible()
