"""The moderation desk in a real browser: row buttons acting in place, WordPress's keyboard
shortcuts, the inline reply, and a queue that fits a 1280 px screen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from comments.models import Comment
from tests.admin_pages import CHANGELIST
from tests.browser.admin import sign_in
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.browser
# Every transactional test in this suite needs serialized_rollback: see test_reader_to_editor.py.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a long editor passphrase"
PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


@pytest.fixture
def desk(new_page, editor):
    """``desk(path)``: the editor, signed in, at ``path`` in the admin."""
    editor.set_password(PASSWORD)
    editor.save()

    def open_desk(path: str = CHANGELIST, *, width: int = 1280, height: int = 800) -> Page:
        page = new_page()
        page.set_viewport_size({"width": width, "height": height})
        # Signed in and on the page asked for, with its script run: keys pressed earlier
        # would go nowhere.
        sign_in(page, editor.username, PASSWORD, then=path)
        expect(page.locator("#result_list, #content-main").first).to_be_visible()
        return page

    return open_desk


def queue(n: int) -> list[Comment]:
    """``n`` pending comments, the newest first as the queue lists them."""
    article = make_article(headline="Floods in the valley")
    now = timezone.now()
    return [
        make_comment(
            article,
            status=PENDING,
            text=f"Pending comment {i:02}.",
            submitted_at=now - timedelta(minutes=i),
        )
        for i in range(n)
    ]


def row(page: Page, comment: Comment):
    return page.get_by_role("row").filter(has_text=comment.text)


def count(page: Page, status: str):
    return page.locator(f'.desk-count[data-status="{status}"]')


@transactional
def test_an_editor_clears_a_queue_of_twenty_with_the_keyboard_alone(desk):
    comments = queue(20)
    page = desk(f"{CHANGELIST}?status=pending")
    announcer = page.get_by_role("status")
    expect(count(page, PENDING)).to_have_text("20")

    # The first j selects the newest comment; each decision takes it out of the Pending
    # list and selects the next one, so the editor presses one key per comment.
    page.keyboard.press("j")
    for i, comment in enumerate(comments):
        selected = page.locator("#result_list tr.desk-selected")
        expect(selected).to_contain_text(comment.text)
        expect(selected).to_be_focused()
        expect(selected).to_be_in_viewport()
        key = "s" if i % 5 == 4 else "a"
        page.keyboard.press(key)
        expect(row(page, comment)).to_be_hidden()
        expect(count(page, PENDING)).to_have_text(str(19 - i))
        expect(announcer).to_contain_text(
            "Comment marked as spam." if key == "s" else "Comment approved."
        )

    expect(count(page, APPROVED)).to_have_text("16")
    expect(count(page, SPAM)).to_have_text("4")
    assert [Comment.objects.get(pk=c.pk).status for c in comments] == [
        SPAM if i % 5 == 4 else APPROVED for i in range(20)
    ]
    page.reload()
    expect(page.get_by_text("0 comments")).to_be_visible()


@transactional
def test_j_and_k_move_the_selection_and_keys_do_nothing_while_typing(desk):
    first, second, third = queue(3)
    page = desk()

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("#result_list tr.desk-selected")).to_contain_text(second.text)

    page.get_by_role("textbox", name="Search").fill("a d s u z")
    page.get_by_role("textbox", name="Search").press("a")
    expect(page.get_by_role("status")).to_have_text("")
    assert Comment.objects.filter(status=PENDING).count() == 3

    # "?" shows the list of shortcuts.
    page.locator("#result_list tr.desk-selected").focus()
    page.keyboard.press("?")
    expect(page.get_by_text("next / previous comment")).to_be_visible()


@transactional
def test_row_buttons_act_in_place_and_undo_brings_the_comment_back(desk):
    (comment,) = queue(1)
    page = desk()
    page.evaluate("window.notReloaded = true")
    the_row = row(page, comment)

    the_row.get_by_role("button", name="Approve").click()

    # In the All view the row stays, changed: status, buttons, counts, and a polite message.
    expect(the_row.locator(".field-status")).to_have_text("Approved")
    expect(the_row.get_by_role("button", name="Unapprove")).to_be_visible()
    expect(the_row.get_by_role("link", name="Reply", exact=True)).to_be_visible()
    expect(count(page, PENDING)).to_have_text("0")
    expect(count(page, APPROVED)).to_have_text("1")
    sidebar = page.locator("#changelist-filter")
    expect(sidebar.get_by_role("link", name="Pending (0)")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Approved (1)")).to_be_visible()
    expect(page.locator(".comments-pending")).to_have_text("No comments awaiting moderation")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Comment approved.")
    expect(status).to_have_attribute("aria-live", "polite")
    assert page.evaluate("window.notReloaded") is True
    assert Comment.objects.get(pk=comment.pk).status == APPROVED

    status.get_by_role("button", name="Undo").click()
    expect(the_row.locator(".field-status")).to_have_text("Pending")
    expect(count(page, PENDING)).to_have_text("1")
    expect(page.locator(".comments-pending")).to_have_text("1 comment awaiting moderation")
    assert Comment.objects.get(pk=comment.pk).status == PENDING

    the_row.get_by_role("button", name="Trash").click()
    expect(the_row.get_by_role("button", name="Restore")).to_be_visible()
    the_row.get_by_role("button", name="Delete permanently").click()
    expect(the_row).to_be_hidden()
    expect(count(page, TRASH)).to_have_text("0")
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert page.evaluate("window.notReloaded") is True


@transactional
def test_r_opens_an_inline_reply_and_approve_and_reply_posts_it(desk, editor):
    (question,) = queue(1)
    page = desk()

    page.keyboard.press("j")
    page.keyboard.press("r")
    box = page.get_by_role("textbox", name=re.compile("your reply"))
    expect(box).to_be_focused()
    box.fill("Thanks: we asked the council and will update the story.")
    # Typing "a", "s" and "d" in the box is text, not shortcuts.
    assert Comment.objects.get(pk=question.pk).status == PENDING
    page.locator(".desk-inline-reply").get_by_role("button", name="Approve and reply").click()

    expect(page.get_by_role("status")).to_contain_text("Comment approved and your reply posted.")
    expect(row(page, question).locator(".field-status")).to_have_text("Approved")
    expect(page.locator(".desk-inline-reply")).to_have_count(0)
    reply = Comment.objects.get(parent=question)
    assert (reply.status, reply.user_id) == (APPROVED, editor.pk)
    assert Comment.objects.get(pk=question.pk).status == APPROVED


@transactional
def test_the_queue_fits_a_1280_screen_with_status_date_and_buttons_in_view(desk):
    article = make_article(headline="A long headline about a bridge that reopened after repairs")
    parent = make_comment(article, text="A question about the bridge, at some length. " * 4)
    make_comment(
        article,
        parent=parent,
        status=PENDING,
        author_name="Someone With A Rather Long Name",
        author_email="someone.with.a.rather.long.address@example.org",
        ip_address="2001:db8:85a3::8a2e:370:7334",
        text="A reply of some length that fills the excerpt. " * 4,
    )
    page = desk()

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for cell in page.locator(
        "#result_list td.field-status, #result_list td.field-submitted_at, "
        "#result_list .desk-row-actions button"
    ).all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, cell.inner_text()


@transactional
def test_without_javascript_a_button_posts_and_comes_back_with_undo(browser, live_server, editor):
    (comment,) = queue(1)
    editor.set_password(PASSWORD)
    editor.save()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, editor.username, PASSWORD, then=f"{CHANGELIST}?status=pending")

    row(page, comment).get_by_role("button", name="Approve").click()

    expect(page).to_have_url(re.compile(re.escape(f"{CHANGELIST}?status=pending") + "$"))
    expect(page.get_by_text("Comment approved.")).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).status == APPROVED
    page.get_by_role("button", name="Undo").click()
    expect(row(page, comment)).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).status == PENDING

    # Reply, without a script, is a page of its own.
    row(page, comment).get_by_role("link", name="Approve and reply").click()
    page.get_by_role("textbox", name="Your reply").fill("Thank you.")
    page.get_by_role("button", name="Approve and reply").click()
    expect(page.get_by_text("Comment approved and your reply posted.")).to_be_visible()
    assert Comment.objects.get(parent=comment).status == APPROVED
    context.close()
