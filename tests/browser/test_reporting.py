"""Reporting a comment in a real browser, with JavaScript and without: the Report link, the
reasons by their labels, the thank-you, and a mistake shown again with the choice kept."""

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from comments.models import Report
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.browser
# As in test_conversation.py: every transactional browser test needs serialized_rollback.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:
    """A reader whose browser runs no JavaScript."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@transactional
def test_a_reader_without_javascript_reports_a_comment_and_goes_back_to_it(no_js_page):
    article = make_article()
    comment = make_comment(article, author_name="Mallory", text="Something hateful.")
    reader = no_js_page

    reader.goto(article.get_absolute_url())
    reader.get_by_role("link", name="Report the comment by Mallory").click()

    expect(reader.get_by_role("heading", name="Report a comment")).to_be_visible()
    expect(reader.get_by_text("Something hateful.")).to_be_visible()
    reader.get_by_label("Abuse or harassment").check()
    reader.get_by_label("Note for the editors").fill("It insults another reader.")
    reader.get_by_role("button", name="Send report").click()

    expect(reader.get_by_text("Thank you. An editor will look at it.")).to_be_visible()
    report = Report.objects.get()
    assert (report.comment_id, report.reason, report.note) == (
        comment.pk,
        "abuse",
        "It insults another reader.",
    )
    reader.get_by_role("link", name="Back to the comment").click()
    expect(reader).to_have_url(re.compile(rf"{re.escape(article.get_absolute_url())}#comment-"))


@transactional
def test_other_without_a_note_comes_back_with_the_error_and_the_choice_kept(new_page):
    article = make_article()
    comment = make_comment(article, author_name="Trent")
    reader = new_page()

    reader.goto(reverse("comments:report", args=[comment.pk]))
    reader.get_by_label("Other").check()
    reader.get_by_role("button", name="Send report").click()

    summary = reader.get_by_role("alert")
    expect(summary).to_contain_text("Your report was not sent")
    expect(summary).to_contain_text("Please say in a few words")
    expect(reader.get_by_label("Other")).to_be_checked()
    assert not Report.objects.exists()

    reader.get_by_role("textbox", name="Note for the editors").fill("It gives my address.")
    reader.get_by_role("button", name="Send report").click()
    expect(reader.get_by_text("Thank you. An editor will look at it.")).to_be_visible()
