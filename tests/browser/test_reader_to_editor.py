"""From a reader's comment to an editor's approval, in a real browser against a live server."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.admin import sign_in

pytestmark = pytest.mark.browser

HEADLINE = "The Future of North Korean POWs in Ukraine"
ARTICLE_PATH = "/articles/the-future-of-north-korean-pows-in-ukraine/"
# Short enough that the admin's changelist shows it whole (it cuts excerpts at 80 characters).
COMMENT = "Returning prisoners against their will would break the Geneva Conventions."
NAME = "Ada Reader"
EMAIL = "ada.reader@example.org"
WEBSITE = "https://ada.example.org/"
SAVE_DETAILS = "Save my name, email, and website in this browser for the next time I comment."
EDITOR_PASSWORD = "a long editor passphrase"


def form_field(page: Page, label: str):
    """The field whose label starts with ``label``. Not a plain substring match: "Save my name,
    email, and website…" contains every other field's name, and required labels end in '*'.
    Playwright matches a pattern against the label's raw text, which begins with a line break."""
    return page.get_by_label(re.compile(rf"^\s*{label}\b"))


def comment_on_page(page: Page):
    return page.get_by_role("listitem").filter(has_text=COMMENT)


# Every transactional test (the live server needs one) ends by emptying the database, taking with
# it what data migrations made, such as the Editors group (comments/0002). serialized_rollback
# reloads the migrated rows first, so the editor has exactly the permissions a real one has.
# (Django's reload fails on duplicate content types if an ordinary transactional test ran
# earlier in the run: the flush after it recreates them. Transactional tests here use it too.)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_comment_is_published_for_every_reader_once_an_editor_approves_it(new_page, editor):
    call_command("loaddemo", verbosity=0)
    editor.set_password(EDITOR_PASSWORD)
    editor.save()

    # A reader finds the story from the home page and leaves a comment.
    reader = new_page()
    reader.goto("/")
    reader.get_by_role("link", name=HEADLINE).click()
    expect(reader).to_have_url(re.compile(re.escape(ARTICLE_PATH) + "$"))
    expect(reader.get_by_role("heading", name="Leave a Reply")).to_be_visible()

    form_field(reader, "Comment").fill(COMMENT)
    form_field(reader, "Name").fill(NAME)
    form_field(reader, "Email").fill(EMAIL)
    form_field(reader, "Website").fill(WEBSITE)
    reader.get_by_label(SAVE_DETAILS).check()
    reader.get_by_role("button", name="Post Comment").click()

    # Back on the article, at their comment: they see it, marked as waiting for moderation,
    # and the form remembers them as they asked.
    expect(reader).to_have_url(re.compile(re.escape(ARTICLE_PATH) + r"#comment-\d+$"))
    expect(comment_on_page(reader)).to_be_visible()
    expect(comment_on_page(reader)).to_contain_text("Your comment is awaiting moderation.")
    expect(form_field(reader, "Name")).to_have_value(NAME)

    # Anyone else sees the article without it.
    other_reader = new_page()
    other_reader.goto(ARTICLE_PATH)
    expect(other_reader.get_by_role("heading", name="No comments yet", exact=True)).to_be_visible()
    expect(other_reader.get_by_text(COMMENT)).to_have_count(0)
    expect(other_reader.get_by_text("Your comment is awaiting moderation.")).to_have_count(0)

    # An editor signs in to the admin and approves it.
    editor_page = new_page()
    sign_in(editor_page, editor.username, EDITOR_PASSWORD)
    expect(editor_page.get_by_role("link", name="1 comment awaiting moderation")).to_be_visible()
    editor_page.get_by_role("rowheader", name="Comments").get_by_role("link").click()

    row = editor_page.get_by_role("row").filter(has_text=COMMENT)
    # Editors see the email the reader gave; readers must not (checked below).
    expect(row).to_contain_text(EMAIL)
    row.get_by_role("checkbox").check()
    editor_page.get_by_role("combobox", name="Action").select_option(label="Approve")
    # The admin's button reads "Go" up to Django 5.2 and "Run" from 6.1.
    editor_page.get_by_role("button", name=re.compile(r"^(Go|Run)$")).click()
    expect(editor_page.get_by_text("1 comment approved.")).to_be_visible()

    # Now a reader who has never been here sees the comment, and nothing of the poster's email.
    new_reader = new_page()
    new_reader.goto(ARTICLE_PATH)
    expect(new_reader.get_by_role("heading", name="1 comment", exact=True)).to_be_visible()
    expect(comment_on_page(new_reader)).to_be_visible()
    expect(comment_on_page(new_reader)).not_to_contain_text("awaiting moderation")
    expect(
        comment_on_page(new_reader).get_by_role("link", name=NAME, exact=True)
    ).to_have_attribute("href", WEBSITE)
    assert EMAIL not in new_reader.content()
