"""The article page as readers' devices show it: phones, dark mode, paper."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_article, make_comment

pytestmark = pytest.mark.browser
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def article(transactional_db):
    article = make_article(
        headline="A long headline about a bridge that reopened after months of repairs",
        body="Traffic flowed again.\n\n> “It is a relief,” said a driver.\n\n" + "Words. " * 300,
    )
    parent = make_comment(article, text="A" * 300)  # one long word must not widen the page
    reply = make_comment(article, parent=parent)
    make_comment(article, parent=reply, author_url="https://" + "x" * 150 + ".example")
    return article


def overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@transactional
@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_the_article_fits_the_screen_from_phone_to_desktop(new_page, article, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(article.get_absolute_url())
    assert overflow(page) <= 0


@transactional
def test_dark_mode_follows_the_readers_setting(new_page, article):
    page = new_page()
    page.goto(article.get_absolute_url())
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(background)
    assert light != dark
    # Dark means dark: the background's brightness drops below a quarter.
    red, green, blue = (int(part) for part in dark[dark.index("(") + 1 : -1].split(",")[:3])
    assert (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 < 0.25


@transactional
def test_printing_gives_the_story_without_the_form(new_page, article):
    page = new_page()
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Traffic flowed again.")).to_be_visible()
    expect(page.locator("#respond")).to_be_hidden()
    # On paper there is nothing to click: the Reply links are not printed either.
    reply_links = page.locator("a.comment-reply-link")
    expect(reply_links).to_have_count(3)
    for index in range(3):
        expect(reply_links.nth(index)).to_be_hidden()
