"""A reader searches the news from the header of any page and follows a result."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_article

pytestmark = pytest.mark.browser
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
def test_reader_searches_from_the_header_and_follows_a_highlighted_result(new_page):
    story = make_article(
        headline="Bridge reopens after repairs",
        body="Engineers finished the repairs overnight and the ferry will stop on Friday.",
    )
    make_article(headline="Council meets", body="Nothing about boats here.")

    page = new_page()
    page.goto("/")
    search = page.get_by_role("search")
    search.get_by_label("Search the news").fill("ferry")
    search.get_by_label("Search the news").press("Enter")

    expect(page).to_have_url("/search/?q=ferry")
    expect(page.get_by_role("heading", level=1, name="Search")).to_be_visible()
    expect(page.get_by_text("1 article found for “ferry”.")).to_be_visible()
    result = page.get_by_role("listitem").filter(has_text="Bridge reopens after repairs")
    expect(result.locator("mark")).to_have_text("ferry")
    expect(page.get_by_text("Council meets")).to_have_count(0)
    # The search box on the results page holds the words searched for.
    expect(page.get_by_label("Search the news")).to_have_value("ferry")

    result.get_by_role("link", name="Bridge reopens after repairs").click()

    expect(page).to_have_url(story.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge reopens after repairs")


@transactional
def test_the_search_box_works_without_javascript(browser, live_server):
    make_article(headline="Harbour reopens")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Search the news").fill("harbour")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Harbour reopens")).to_be_visible()
    context.close()
