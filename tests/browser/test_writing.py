"""Writing an article in the admin, in a real browser: the body's toolbar, its live preview
rendered by the site's renderer, and the counters for words, headline and standfirst."""

import re

import pytest
from playwright.sync_api import Page, expect

from articles import writing
from articles.models import Article
from tests.browser.admin import sign_in
from tests.factories import make_article

pytestmark = pytest.mark.browser
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a long editor passphrase"
ADD = "/admin/articles/article/add/"


@pytest.fixture
def writing_page(new_page, editor):
    """``writing_page(path)``: the editor, signed in, on an article form, its script run. Any
    Content-Security-Policy refusal on the page is collected in ``page.csp_errors``."""
    editor.set_password(PASSWORD)
    editor.save()

    def open_form(path: str = ADD, *, width: int = 1400) -> Page:
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.csp_errors = []
        page.on(
            "console",
            lambda message: (
                page.csp_errors.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        sign_in(page, editor.username, PASSWORD, then=path)
        expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
        return page

    return open_form


def body(page: Page):
    return page.get_by_role("textbox", name="Body")


def preview(page: Page):
    return page.locator("#body-preview")


def select(area, text: str) -> None:
    """Select the first ``text`` in the textarea, as an editor does with the mouse."""
    area.evaluate(
        "(area, text) => { const i = area.value.indexOf(text); "
        "area.setSelectionRange(i, i + text.length); }",
        text,
    )


@transactional
def test_the_preview_shows_what_the_editor_types_rendered_as_on_the_site(writing_page):
    page = writing_page()

    page.get_by_label("Dateline").fill("Kherson")
    body(page).fill(
        "Water rose overnight.\n\n## What witnesses saw\n\n"
        "Read [the full report](https://example.org/report).\n\n<script>alert(1)</script>"
    )

    panel = preview(page)
    expect(panel.get_by_role("heading", name="What witnesses saw", level=2)).to_be_visible()
    link = panel.get_by_role("link", name="the full report")
    expect(link).to_have_attribute("href", "https://example.org/report")
    expect(panel.get_by_text("Kherson", exact=True)).to_be_visible()
    # What was typed as HTML is shown as text, never run.
    expect(panel.get_by_text("<script>alert(1)</script>")).to_be_visible()
    expect(panel.get_by_role("status")).to_have_text("The preview shows your latest changes.")
    # Styled by the site's own stylesheet: the subheading in its serif, not the admin's font.
    heading_font = panel.get_by_role("heading", name="What witnesses saw").evaluate(
        "h => getComputedStyle(h).fontFamily"
    )
    assert "Charter" in heading_font
    assert page.csp_errors == []


@transactional
def test_the_preview_follows_an_edit_of_a_saved_article(writing_page):
    article = make_article(body="## Old subheading\n\nText.")
    page = writing_page(f"/admin/articles/article/{article.pk}/change/")
    panel = preview(page)
    expect(panel.get_by_role("heading", name="Old subheading")).to_be_visible()

    body(page).press("Control+End")
    body(page).press_sequentially("\n\n## New subheading")

    expect(panel.get_by_role("heading", name="New subheading")).to_be_visible()
    assert Article.objects.get(pk=article.pk).body == "## Old subheading\n\nText."


@transactional
def test_a_body_too_long_to_preview_is_refused_politely_and_kept(writing_page, monkeypatch):
    page = writing_page()
    # The limit the page was given, made small so the test need not type 200,000 characters.
    body(page).evaluate("area => { area.dataset.previewMaxChars = '20'; }")

    body(page).fill("This body is longer than twenty characters.")

    expect(preview(page).get_by_role("status")).to_contain_text("too long to preview")
    expect(body(page)).to_have_value("This body is longer than twenty characters.")


@transactional
def test_toolbar_bold_wraps_the_selection_and_undo_takes_it_back(writing_page):
    page = writing_page()
    area = body(page)
    area.fill("The minister resigned today.")
    select(area, "minister")

    page.get_by_role("button", name="Bold").click()

    expect(area).to_have_value("The **minister** resigned today.")
    assert area.evaluate("a => a.value.slice(a.selectionStart, a.selectionEnd)") == "minister"
    # Bold again takes it off; Ctrl+Z undoes like typing.
    page.get_by_role("button", name="Bold").click()
    expect(area).to_have_value("The minister resigned today.")
    area.press("Control+z")
    expect(area).to_have_value("The **minister** resigned today.")


@transactional
def test_keyboard_shortcuts_format_the_selection(writing_page):
    page = writing_page()
    area = body(page)
    area.fill("Officials confirmed the report.")

    select(area, "Officials")
    area.press("Control+i")
    expect(area).to_have_value("*Officials* confirmed the report.")

    select(area, "report")
    area.press("Control+k")
    expect(area).to_have_value("*Officials* confirmed the [report](https://).")
    # The address is selected: typing replaces it.
    area.press_sequentially("https://example.org/r")
    expect(area).to_have_value("*Officials* confirmed the [report](https://example.org/r).")


@transactional
def test_line_buttons_make_subheadings_quotes_and_lists(writing_page):
    page = writing_page()
    area = body(page)
    area.fill("Timeline\nfirst\nsecond\nA quote")

    area.evaluate("area => area.setSelectionRange(2, 2)")  # in "Timeline"
    page.get_by_role("button", name="Subheading").click()
    select(area, "first\nsecond")
    page.get_by_role("button", name="Numbered list").click()
    expect(area).to_have_value("## Timeline\n1. first\n2. second\nA quote")

    page.get_by_role("button", name="Bulleted list").click()
    expect(area).to_have_value("## Timeline\n- first\n- second\nA quote")
    area.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")
    page.get_by_role("button", name="Quote").click()
    expect(area).to_have_value("## Timeline\n- first\n- second\n> A quote")


@transactional
def test_toolbar_buttons_are_reached_with_the_arrow_keys(writing_page):
    page = writing_page()
    bold = page.get_by_role("button", name="Bold")
    bold.focus()

    page.keyboard.press("ArrowRight")

    expect(page.get_by_role("button", name="Italic")).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("button", name="Numbered list")).to_be_focused()


@transactional
def test_counters_update_and_warn_past_what_search_results_show(writing_page):
    page = writing_page()
    limit = writing.HEADLINE_SHOWN_CHARS
    headline = page.get_by_label("Headline")
    headline_count = page.locator("#id_headline_count")

    headline.fill("x" * limit)
    expect(headline_count).to_have_text(f"{limit} characters: search results show about {limit}.")
    expect(headline_count).not_to_have_class(re.compile(r"\bis-over\b"))

    headline.press_sequentially("y")
    expect(headline_count).to_have_text(
        f"{limit + 1} characters: search results cut a headline off after about {limit}."
    )
    expect(headline_count).to_have_class(re.compile(r"\bis-over\b"))
    announcer = page.locator("[data-announcer]")
    expect(announcer).to_have_text("The headline is now longer than search results show.")
    expect(announcer).to_have_attribute("role", "status")

    standfirst = page.get_by_label("Standfirst")
    standfirst.fill("s" * (writing.DESCRIPTION_SHOWN_CHARS + 5))
    expect(page.locator("#id_standfirst_count")).to_contain_text(
        f"{writing.DESCRIPTION_SHOWN_CHARS + 5} characters: search results cut the description"
    )
    # A warning, not a barrier: the form still saves.
    body(page).fill("One two three four.\n\n## Five\n\n- six [seven](https://example.org/x)")
    expect(page.locator("#id_body_count")).to_have_text("7 words · about 1 minute to read")
    expect(headline).to_have_attribute("aria-describedby", re.compile(r"\bid_headline_count\b"))


@transactional
def test_a_long_body_shows_its_reading_time(writing_page):
    page = writing_page()

    body(page).fill("word " * (writing.WORDS_PER_MINUTE * 3))

    expect(page.locator("#id_body_count")).to_have_text(
        f"{writing.WORDS_PER_MINUTE * 3:,} words · about 3 minutes to read"
    )


@transactional
def test_the_preview_can_be_hidden_and_stays_hidden(writing_page):
    page = writing_page()
    toggle = page.get_by_role("button", name="Preview", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "true")

    toggle.click()

    expect(preview(page)).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.reload()
    expect(preview(page)).to_be_hidden()


@transactional
def test_another_script_can_add_a_toolbar_button_through_the_editors_hook(writing_page):
    # How the image button (another part of issue 11) joins the toolbar.
    page = writing_page()
    area = body(page)
    area.fill("Before after")
    area.evaluate("area => area.setSelectionRange(7, 7)")

    page.evaluate(
        """() => document.getElementById("id_body").bodyEditor.addButton(
            "Image", editor => editor.insert("![A flooded street](/media/street.jpg) "),
            {group: "media"})"""
    )
    toolbar = page.get_by_role("toolbar", name="Formatting")
    toolbar.get_by_role("button", name="Image").click()

    expect(area).to_have_value("Before ![A flooded street](/media/street.jpg) after")


@transactional
def test_without_javascript_the_form_is_plain_and_previews_in_a_new_tab(
    browser, live_server, editor
):
    editor.set_password(PASSWORD)
    editor.save()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, editor.username, PASSWORD, then=ADD)

    expect(page.get_by_role("toolbar")).to_have_count(0)
    page.get_by_label("Headline").fill("Dam breaks")
    body(page).fill("## Evacuation\n\nSee [the map](https://example.org/map).")
    with context.expect_page() as opened:
        page.get_by_role("button", name="Preview in a new tab").first.click()
    preview_tab = opened.value

    expect(preview_tab.get_by_role("heading", name="Dam breaks", level=1)).to_be_visible()
    expect(preview_tab.get_by_role("heading", name="Evacuation", level=2)).to_be_visible()
    expect(preview_tab.get_by_role("link", name="the map")).to_have_attribute(
        "href", "https://example.org/map"
    )
    assert not Article.objects.exists()
    context.close()


@transactional
def test_a_signed_out_editor_is_told_and_keeps_the_text(writing_page):
    page = writing_page()
    body(page).fill("First version.")
    expect(preview(page).get_by_text("First version.")).to_be_visible()

    # The session ran out (or the editor signed out in another tab); the CSRF cookie stays.
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    body(page).fill("Second version, typed after signing out.")

    expect(preview(page).get_by_role("status")).to_have_text(re.compile(r"^You are signed out"))
    expect(body(page)).to_have_value("Second version, typed after signing out.")
