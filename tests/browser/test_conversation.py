"""Taking part in a conversation under an article, in a real browser: replying in place (and
without JavaScript), cancelling, the keyboard alone, permalinks into pages of comments, saved
details and a refused comment."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from comments.models import Comment, DiscussionSettings
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.browser

NAME = "Ada Reader"
EMAIL = "ada.reader@example.org"
WEBSITE = "https://ada.example.org/"
SAVE_DETAILS = "Save my name, email, and website in this browser for the next time I comment."
AWAITING = "Your comment is awaiting moderation."
MARKUP_NAME = '<img src=x onerror="document.title=`pwned`">Mallory'
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def form_field(page: Page, label: str) -> Locator:
    """The field whose label starts with ``label`` (see test_reader_to_editor.py)."""
    return page.get_by_label(re.compile(rf"^\s*{label}\b"))


def reply_heading(page: Page) -> Locator:
    return page.get_by_role("heading", name=re.compile(r"^Leave a Reply"))


def replying_to(name: str) -> re.Pattern:
    """The form heading's accessible name while replying: the cancel link is part of it."""
    return re.compile(rf"^Leave a Reply to {re.escape(name)}\s+Cancel reply$")


def fill_details(page: Page, comment: str) -> None:
    form_field(page, "Comment").fill(comment)
    form_field(page, "Name").fill(NAME)
    form_field(page, "Email").fill(EMAIL)


def is_comment_post(response) -> bool:
    return response.request.method == "POST" and "/comments/post/" in response.url


def post(page: Page, press: str | None = None) -> int:
    """Post the form (by clicking Post Comment, or pressing ``press``); wait for the answer."""
    with page.expect_response(is_comment_post, timeout=5_000) as answer:
        if press:
            page.keyboard.press(press)
        else:
            page.get_by_role("button", name="Post Comment").click()
    return answer.value.status


def page_top(locator: Locator) -> float:
    """Where an element starts, measured from the top of the page (not of the window)."""
    return locator.evaluate("element => element.getBoundingClientRect().top + window.scrollY")


def press_until_focused(page: Page, key: str, target: Locator, limit: int = 40) -> None:
    """Press ``key`` (Tab or Shift+Tab) until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{key} never reached {target}")


def posted(text: str) -> Comment:
    return Comment.objects.get(text=text)


@pytest.fixture
def article(transactional_db):
    """A story with one published comment, by Grace Hopper."""
    article = make_article()
    make_comment(article, author_name="Grace Hopper", text="The most damaging phrase is habit.")
    return article


@pytest.fixture
def grace(article) -> Comment:
    return article.comments.get(author_name="Grace Hopper")


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:
    """A reader whose browser runs no JavaScript."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@transactional
def test_reply_moves_the_form_under_the_comment_and_posts_a_nested_reply(new_page, article, grace):
    make_comment(article, author_name=MARKUP_NAME, text="Names are not markup.")
    reader = new_page()
    script_errors = []
    reader.on("pageerror", lambda error: script_errors.append(error))
    reader.goto(article.get_absolute_url())
    expect(reply_heading(reader)).to_have_accessible_name("Leave a Reply")
    expect(reader.get_by_role("link", name="Cancel reply")).to_be_hidden()

    # A name is shown as the reader typed it, never run as markup.
    reader.get_by_role("link", name=f"Reply to {MARKUP_NAME}").click()
    expect(reply_heading(reader)).to_have_accessible_name(replying_to(MARKUP_NAME))
    expect(reply_heading(reader).locator("img")).to_have_count(0)

    # Then Grace, instead.
    reader.get_by_role("link", name="Reply to Grace Hopper").click()

    # No page load: the form moved into Grace's comment, set up for a reply to her.
    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    thread = reader.locator(f"li#{grace.anchor}")
    expect(thread.get_by_role("button", name="Post Comment")).to_be_visible()
    expect(
        thread.get_by_role("heading", name=re.compile("^Leave a Reply"))
    ).to_have_accessible_name(replying_to("Grace Hopper"))
    expect(reply_heading(reader).get_by_role("link", name="Grace Hopper")).to_have_attribute(
        "href", f"#{grace.anchor}"
    )
    expect(reader.get_by_role("link", name="Cancel reply")).to_be_visible()
    expect(form_field(reader, "Comment")).to_be_focused()

    fill_details(reader, "Habits can be broken, though.")
    assert post(reader) == 302

    reply = posted("Habits can be broken, though.")
    assert reply.parent == grace
    expect(reader).to_have_url(re.compile(rf"#{reply.anchor}$"))
    shown = reader.locator(f"li#{grace.anchor} > ol.children > li#{reply.anchor}")
    expect(shown).to_contain_text("Habits can be broken, though.")
    expect(shown).to_contain_text(AWAITING)
    # The script ran under the page's Content-Security-Policy, without errors.
    assert script_errors == []
    assert reader.title() != "pwned"


@transactional
def test_cancel_reply_puts_the_form_back_and_returns_focus_to_the_reply_link(
    new_page, article, grace
):
    reader = new_page()
    reader.goto(article.get_absolute_url())
    reply_link = reader.get_by_role("link", name="Reply to Grace Hopper")
    reply_link.click()
    expect(form_field(reader, "Comment")).to_be_focused()

    reader.get_by_role("link", name="Cancel reply").click()

    expect(reader.locator(f"li#{grace.anchor}").get_by_role("button")).to_have_count(0)
    expect(reader.locator("#comments > #respond")).to_have_count(1)  # back at the bottom
    expect(reply_heading(reader)).to_have_accessible_name("Leave a Reply")
    expect(reader.get_by_role("link", name="Cancel reply")).to_be_hidden()
    expect(reader.locator("#commentform input[name=parent]")).to_have_value("")
    expect(reply_link).to_be_focused()
    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))

    fill_details(reader, "A thought of my own, not a reply.")
    assert post(reader) == 302

    comment = posted("A thought of my own, not a reply.")
    assert comment.parent is None
    expect(reader.locator(f"ol.comment-list > li#{comment.anchor}")).to_contain_text(AWAITING)


@transactional
def test_cancel_of_a_reply_the_server_set_up_loads_the_plain_form(new_page, article, grace):
    reader = new_page()
    reader.goto(f"{article.get_absolute_url()}?replytocom={grace.pk}#respond")
    expect(reply_heading(reader)).to_have_accessible_name(replying_to("Grace Hopper"))

    reader.get_by_role("link", name="Cancel reply").click()

    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "#respond$"))
    expect(reply_heading(reader)).to_have_accessible_name("Leave a Reply")
    expect(reader.locator("#commentform input[name=parent]")).to_have_value("")


@transactional
def test_a_reader_comments_and_replies_with_the_keyboard_alone(new_page, article, grace):
    reader = new_page()
    reader.goto(article.get_absolute_url())
    keyboard = reader.keyboard
    comment, name, email, website = (
        form_field(reader, label) for label in ("Comment", "Name", "Email", "Website")
    )
    save_details = reader.get_by_label(SAVE_DETAILS)
    post_button = reader.get_by_role("button", name="Post Comment")
    honeypot = reader.locator("input[name=honeypot]")

    press_until_focused(reader, "Tab", comment)
    keyboard.type("Typed without a mouse.")
    # Each Tab goes to the next field down the page, past the hidden anti-spam field.
    tops = [page_top(comment)]
    for field, text in ((name, NAME), (email, EMAIL), (website, WEBSITE)):
        keyboard.press("Tab")
        expect(field).to_be_focused()
        keyboard.type(text)
        tops.append(page_top(field))
    keyboard.press("Tab")
    expect(save_details).to_be_focused()
    keyboard.press("Space")
    expect(save_details).to_be_checked()
    tops.append(page_top(save_details))
    # The follow-up email box (left unticked), then its group of choices: one Tab stop.
    notify = reader.get_by_label("Notify me of follow-up comments by email.")
    replies_only = reader.get_by_label("Replies to my comment only")
    for field in (notify, replies_only):
        keyboard.press("Tab")
        expect(field).to_be_focused()
        tops.append(page_top(field))
    expect(notify).not_to_be_checked()
    keyboard.press("Tab")
    expect(honeypot).not_to_be_focused()
    expect(post_button).to_be_focused()
    tops.append(page_top(post_button))
    assert tops == sorted(tops)
    expect(honeypot).to_have_attribute("tabindex", "-1")
    keyboard.press("Shift+Tab")
    expect(replies_only).to_be_focused()
    keyboard.press("Tab")
    assert post(reader, press="Enter") == 302

    first = posted("Typed without a mouse.")
    expect(reader).to_have_url(re.compile(rf"#{first.anchor}$"))
    expect(reader.locator(f"li#{first.anchor}")).to_contain_text(AWAITING)

    # Back up the page to Grace's Reply link; the form comes to the keyboard.
    press_until_focused(
        reader, "Shift+Tab", reader.get_by_role("link", name="Reply to Grace Hopper")
    )
    keyboard.press("Enter")
    expect(comment).to_be_focused()
    expect(reply_heading(reader)).to_have_accessible_name(replying_to("Grace Hopper"))
    keyboard.type("And a reply, also by keyboard.")
    expect(name).to_have_value(NAME)  # saved, as asked
    assert post(reader, press="Control+Enter") == 302  # as in WordPress

    reply = posted("And a reply, also by keyboard.")
    assert reply.parent == grace
    assert honeypot.input_value() == ""
    expect(reader.locator(f"li#{grace.anchor} li#{reply.anchor}")).to_contain_text(AWAITING)


@transactional
def test_a_comment_permalink_opens_the_page_of_comments_holding_it(new_page):
    discussion = DiscussionSettings.load()
    discussion.comments_per_page = 2
    discussion.save()
    # A long story, so the comments start well below the first screen.
    article = make_article(body="\n\n".join(f"Paragraph {n} of a long story." for n in range(60)))
    threads = [make_comment(article, text=f"Thread {n} begins here.") for n in range(1, 6)]
    target = make_comment(article, parent=threads[3], text="A reply on the second page.")

    reader = new_page()
    reader.goto(target.get_absolute_url())

    expect(reader).to_have_url(
        re.compile(re.escape(article.get_absolute_url()) + rf"\?cpage=2#{target.anchor}$")
    )
    expect(reader.locator(f"li#{target.anchor}")).to_be_in_viewport()
    expect(reader.get_by_role("heading", level=1)).not_to_be_in_viewport()
    # This page is marked in the page links, and is not a link to itself.
    pages = reader.get_by_role("navigation", name="Pages of comments", exact=True)
    expect(pages.locator('[aria-current="page"]')).to_have_text("2")
    expect(pages.get_by_role("link", name="Comments page 2")).to_have_count(0)
    expect(reader.get_by_text("Thread 4 begins here.")).to_be_visible()
    expect(reader.get_by_text("Thread 1 begins here.")).to_have_count(0)
    expect(reader.get_by_text("Thread 5 begins here.")).to_have_count(0)


@transactional
def test_saved_details_prefill_the_form_only_while_the_reader_consents(new_page, article):
    other_article = make_article()
    reader = new_page()
    reader.goto(article.get_absolute_url())
    fill_details(reader, "Remember me, please.")
    form_field(reader, "Website").fill(WEBSITE)
    reader.get_by_label(SAVE_DETAILS).check()
    assert post(reader) == 302
    expect(reader.get_by_text("Remember me, please.")).to_be_visible()

    reader.goto(other_article.get_absolute_url())
    expect(form_field(reader, "Name")).to_have_value(NAME)
    expect(form_field(reader, "Email")).to_have_value(EMAIL)
    expect(form_field(reader, "Website")).to_have_value(WEBSITE)
    expect(reader.get_by_label(SAVE_DETAILS)).to_be_checked()

    form_field(reader, "Comment").fill("Now forget me.")
    reader.get_by_label(SAVE_DETAILS).uncheck()
    assert post(reader) == 302
    expect(reader.get_by_text("Now forget me.")).to_be_visible()

    reader.goto(article.get_absolute_url())
    for label in ("Name", "Email", "Website"):
        expect(form_field(reader, label)).to_have_value("")
    expect(reader.get_by_label(SAVE_DETAILS)).not_to_be_checked()


@transactional
def test_without_javascript_reply_links_load_the_form_set_up_for_the_reply(
    no_js_page, article, grace
):
    reader = no_js_page
    reader.goto(article.get_absolute_url())
    reader.get_by_role("link", name="Reply to Grace Hopper").click()

    expect(reader).to_have_url(re.compile(rf"\?replytocom={grace.pk}#respond$"))
    expect(reply_heading(reader)).to_have_accessible_name(replying_to("Grace Hopper"))
    expect(reader.locator("#commentform input[name=parent]")).to_have_value(str(grace.pk))

    # Cancel loads the plain form; Reply again, and post.
    reader.get_by_role("link", name="Cancel reply").click()
    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "#respond$"))
    expect(reply_heading(reader)).to_have_accessible_name("Leave a Reply")
    reader.get_by_role("link", name="Reply to Grace Hopper").click()
    fill_details(reader, "Replying the old-fashioned way.")
    assert post(reader) == 302

    reply = posted("Replying the old-fashioned way.")
    assert reply.parent == grace
    expect(reader).to_have_url(re.compile(rf"#{reply.anchor}$"))
    expect(reader.locator(f"li#{grace.anchor} li#{reply.anchor}")).to_contain_text(AWAITING)

    fill_details(reader, "And a comment of my own.")
    assert post(reader) == 302
    comment = posted("And a comment of my own.")
    assert comment.parent is None
    expect(reader.locator(f"ol.comment-list > li#{comment.anchor}")).to_contain_text(AWAITING)


@transactional
def test_a_refused_comment_focuses_the_error_summary_and_keeps_what_was_typed(new_page, article):
    reader = new_page()
    reader.goto(article.get_absolute_url())
    form_field(reader, "Name").fill(NAME)
    form_field(reader, "Email").fill(EMAIL)
    form_field(reader, "Website").fill(WEBSITE)
    reader.get_by_label(SAVE_DETAILS).check()
    # The browser itself would refuse an empty required field; the server must too.
    form_field(reader, "Comment").evaluate("box => box.removeAttribute('required')")
    assert post(reader) == 400

    summary = reader.get_by_role("alert")
    expect(summary).to_contain_text("Your comment was not posted")
    expect(summary.get_by_role("link", name="Comment: Please type your comment.")).to_be_visible()
    expect(summary).to_be_focused()
    assert reader.evaluate("document.activeElement.id") == "error-summary"

    comment = form_field(reader, "Comment")
    expect(comment).to_have_attribute("aria-invalid", "true")
    described_by = comment.get_attribute("aria-describedby")
    assert described_by
    expect(reader.locator(f"#{described_by}")).to_have_text("Please type your comment.")
    expect(comment).to_have_accessible_description("Please type your comment.")
    expect(form_field(reader, "Name")).to_have_value(NAME)
    expect(form_field(reader, "Email")).to_have_value(EMAIL)
    expect(form_field(reader, "Website")).to_have_value(WEBSITE)
    expect(reader.get_by_label(SAVE_DETAILS)).to_be_checked()
    assert Comment.objects.count() == 1  # only Grace's
