"""The site's own pages from the footer, and an editor undoing a bad edit from the history."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.admin import sign_in

pytestmark = pytest.mark.browser

ARTICLE_PATH = "/articles/the-future-of-north-korean-pows-in-ukraine/"
EDITOR_PASSWORD = "a long editor passphrase"
MISTAKE = "This sentence was pasted into the wrong story."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_finds_about_and_contact_from_the_footer_and_the_privacy_note(new_page):
    call_command("loaddemo", verbosity=0)
    reader = new_page()

    reader.goto("/")
    footer = reader.get_by_role("navigation", name="About us")
    expect(footer.get_by_role("link")).to_have_text(["About us", "Corrections", "Contact us"])
    footer.get_by_role("link", name="About us").click()
    expect(reader).to_have_url(re.compile(r"/about/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("About us")
    expect(footer.get_by_role("link", name="About us")).to_have_attribute("aria-current", "page")

    reader.goto(ARTICLE_PATH)
    reader.locator("#comment-privacy").get_by_role("link", name="Ask us").click()
    expect(reader).to_have_url(re.compile(r"/contact/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Contact us")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_sees_a_bad_edit_in_the_history_and_restores_the_version_before(new_page, editor):
    call_command("loaddemo", verbosity=0)
    editor.set_password(EDITOR_PASSWORD)
    editor.save()
    article = Article.objects.get()
    original = article.body

    desk = new_page()
    sign_in(desk, editor.username, EDITOR_PASSWORD)
    desk.goto(f"/admin/articles/article/{article.pk}/change/")
    body = desk.get_by_label("Body")
    body.fill(f"{original}\n\n{MISTAKE}\n")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_text("was changed successfully")).to_be_visible()

    reader = new_page()
    reader.goto(ARTICLE_PATH)
    expect(reader.get_by_text(MISTAKE)).to_be_visible()

    # The history lists both versions, newest first; the newest shows the added sentence.
    desk.goto(f"/admin/articles/article/{article.pk}/history/")
    versions = desk.locator("#change-history tbody tr")
    # The edit, the demo's picture added, the demo loaded.
    expect(versions).to_have_count(3)
    expect(versions.nth(0)).to_contain_text("Changed Body")
    versions.nth(0).get_by_role("link").click()
    expect(desk.locator("ins", has_text=MISTAKE)).to_be_visible()

    # The version before: restore it, after seeing what restoring takes out.
    desk.go_back()
    desk.locator("#change-history tbody tr").nth(1).get_by_role("link").click()
    expect(desk.locator("del", has_text=MISTAKE)).to_be_visible()
    desk.get_by_role("button", name="Restore this version").click()
    expect(desk.get_by_text("is restored; readers see it now")).to_be_visible()

    reader.goto(ARTICLE_PATH)
    expect(reader.get_by_role("heading", level=1)).to_be_visible()
    expect(reader.get_by_text(MISTAKE)).to_have_count(0)
    article.refresh_from_db()
    assert article.body == original
