"""The moderation desk without JavaScript: each row's buttons, the editor's reply, the bulk
actions each view offers, and the figures on the admin's front page."""

import copy
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, Report
from tests.admin_pages import CHANGELIST, history, listed, messages, run_action, statuses
from tests.factories import make_article, make_comment, make_user
from tests.test_purges import page_of, purged  # noqa: F401 (the fixture, reused)

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


def act_url(comment: Comment, action: str) -> str:
    return reverse("admin:comments_comment_desk", args=[comment.pk, action])


def reply_url(comment: Comment) -> str:
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def row_of(html: str, comment: Comment) -> str:
    """The comment's row in the queue, as HTML."""
    box = f'value="{comment.pk}"'
    return next(row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if box in row)


def buttons(row: str) -> list[str]:
    """The row's buttons and links, as the editor reads them."""
    actions = re.search(r'<div class="desk-row-actions"[^>]*>(.*?)</div>', row, re.S)
    if not actions:
        return []
    return [unescape(label) for label in re.findall(r">([^<>]+)</(?:button|a)>", actions[1])]


def press(client, comment: Comment, action: str, back_to: str = CHANGELIST, **extra):
    """Press a row's button in the queue at ``back_to`` (its filters and page), as an editor
    without JavaScript does: the page's desk-action form, sent to the button's address."""
    return client.post(act_url(comment, action), {"next": back_to}, **extra)


# What each row offers


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (PENDING, ["Approve", "Approve and reply", "Spam", "Trash", "Edit"]),
        (APPROVED, ["Unapprove", "Reply", "Spam", "Trash", "Edit"]),
        (SPAM, ["Not spam", "Delete permanently", "Edit"]),
        (TRASH, ["Restore", "Delete permanently", "Edit"]),
    ],
)
def test_each_row_offers_the_buttons_its_status_calls_for(editor_client, article, status, offered):
    comment = make_comment(article, status=status)

    html = editor_client.get(CHANGELIST).text

    assert buttons(row_of(html, comment)) == offered


def test_buttons_are_posts_to_a_form_outside_the_list_with_a_csrf_token(editor_client, article):
    comment = make_comment(article, status=PENDING)

    html = editor_client.get(CHANGELIST, {"status": "pending", "p": "1"}).text

    approve = re.search(r'<button type="submit" form="desk-action" formaction="([^"]+)"', html)
    assert approve[1] == act_url(comment, "approve")
    form = re.search(r'<form id="desk-action" method="post" hidden[^>]*>(.*?)</form>', html, re.S)[
        1
    ]
    assert 'name="csrfmiddlewaretoken"' in form
    # Back to the same view, same page.
    assert 'name="next" value="/admin/comments/comment/?status=pending&amp;p=1"' in form
    # Not inside the list's own form (forms do not nest).
    list_form = html.index('id="changelist-form"')
    assert html.index('id="desk-action"') > html.index("</form>", list_form)


def test_staff_without_change_permission_get_no_buttons(client, staff_viewer, article):
    comment = make_comment(article, status=PENDING)
    client.force_login(staff_viewer)

    response = client.get(CHANGELIST)

    assert listed(response) == {comment}
    assert "desk-row-actions" not in response.text
    assert act_url(comment, "approve") not in response.text


def test_editor_without_delete_permission_is_not_offered_delete(client, article):
    comment = make_comment(article, status=SPAM)
    moderator = make_user("moderator", is_staff=True)
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client.force_login(moderator)

    assert buttons(row_of(client.get(CHANGELIST).text, comment)) == ["Not spam", "Edit"]
    assert press(client, comment, "delete").status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_row_shows_author_record_article_and_the_comment_answered(editor_client):
    article = make_article(headline="Floods in the valley")
    grace = {"author_name": "Grace Hopper", "author_email": "grace@example.org"}
    question = make_comment(article, text="Where will the water go next?", **grace)
    make_comment(article, status=SPAM, **{**grace, "author_email": "GRACE@example.org"})
    make_comment(article, status=PENDING, **grace)
    reply = make_comment(
        article, parent=question, status=PENDING, text="Down the valley.", ip_address="198.51.100.7"
    )

    html = editor_client.get(CHANGELIST).text

    row = row_of(html, reply)
    assert "In reply to" in row
    assert f'<a href="{question.get_admin_url()}">Grace Hopper</a>' in row
    assert "<q>Where will the water go next?</q>" in row
    assert f'<a href="{article.get_absolute_url()}">Floods in the valley</a>' in row
    assert f'href="?article__id__exact={article.pk}"' in row
    assert ">198.51.100.7<" in row
    # Grace's record counts her comments under any case of her address.
    assert "1 approved, 1 spam" in row_of(html, question)
    assert "In reply to" not in row_of(html, question)


def test_records_and_comments_answered_cost_one_query_each(
    editor_client, article, django_assert_max_num_queries
):
    for n in range(30):
        parent = make_comment(article, author_email=f"reader{n}@example.org")
        make_comment(article, parent=parent, status=PENDING)
    editor_client.get(CHANGELIST)  # warm caches (content types, permissions)

    with django_assert_max_num_queries(15) as queries:
        response = editor_client.get(CHANGELIST)

    assert len(listed(response)) == 50
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if "UPPER" in s and "GROUP BY" in s]) == 1  # the records
    assert len([s for s in sql if "author_name" in s and "text" in s and " IN (" in s]) == 1


def test_staff_badge_marks_an_editors_comment(editor_client, editor, article):
    comment = make_comment(article, user=editor, author_name="Eda Editor")

    row = row_of(editor_client.get(CHANGELIST).text, comment)

    assert '<span class="desk-staff">Staff</span>' in row


# Pressing a button, without JavaScript


@pytest.mark.parametrize(
    ("before", "action", "after", "message"),
    [
        (PENDING, "approve", APPROVED, "Comment approved."),
        (APPROVED, "unapprove", PENDING, "Comment unapproved: it waits in Pending."),
        (PENDING, "spam", SPAM, "Comment marked as spam."),
        (APPROVED, "trash", TRASH, "Comment moved to the trash."),
    ],
)
def test_a_button_changes_the_comment_and_comes_back_to_the_same_list(
    editor_client, article, before, action, after, message
):
    comment = make_comment(article, status=before)
    back_to = f"{CHANGELIST}?status={before}&p=1"

    response = press(editor_client, comment, action, back_to)

    assert response.status_code == 302
    assert response.url == back_to
    assert statuses(comment) == [after]
    page = editor_client.get(response.url)
    shown = messages(page)
    assert len(shown) == 1 and shown[0].startswith(message)
    assert "Undo" in shown[0]
    assert [entry.get_change_message() for entry in history(comment)] == [
        f"{Comment.Status(after).label} (was {Comment.Status(before).label})."
    ]


@pytest.mark.parametrize(
    ("before", "action", "undo"),
    [
        (PENDING, "approve", "unapprove"),
        (APPROVED, "unapprove", "approve"),
        (PENDING, "spam", "not_spam"),
        (APPROVED, "trash", "restore"),
        (TRASH, "restore", "trash"),
        (SPAM, "not_spam", "spam"),
    ],
)
def test_undo_puts_the_comment_back_where_it_was(editor_client, article, before, action, undo):
    # Spam and the trash remember the status a comment came from.
    comment = make_comment(article, status=APPROVED)
    if before != APPROVED:
        comment.status, comment.previous_status = before, APPROVED if before != PENDING else ""
        comment.save()
    press(editor_client, comment, action)
    page = editor_client.get(CHANGELIST)
    undo_button = re.search(r'formaction="([^"]+)" class="desk-undo"', messages(page)[0])

    assert undo_button[1] == act_url(comment, undo)
    editor_client.post(undo_button[1], {"next": CHANGELIST})

    assert statuses(comment) == [before]


def test_approving_from_the_queue_purges_the_article_page(editor_client, article, purged):  # noqa: F811
    comment = make_comment(article, status=PENDING)

    with purged.committing():
        press(editor_client, comment, "approve")

    assert purged.keys() == {page_of(article)}


def test_pressing_approve_twice_says_nothing_changed(editor_client, article):
    comment = make_comment(article, status=PENDING)
    press(editor_client, comment, "approve")
    editor_client.get(CHANGELIST)  # the first message is read

    press(editor_client, comment, "approve")

    assert messages(editor_client.get(CHANGELIST)) == [
        "Nothing changed: the comment was so already."
    ]
    assert len(history(comment)) == 1


def test_delete_permanently_works_only_in_spam_and_the_trash(editor_client, article):
    parent = make_comment(article, status=APPROVED)
    doomed = make_comment(article, parent=parent, status=TRASH)
    reply = make_comment(article, parent=doomed, status=APPROVED)
    kept = make_comment(article, status=APPROVED)

    press(editor_client, kept, "delete")
    press(editor_client, doomed, "delete", f"{CHANGELIST}?status=trash")

    assert statuses(kept) == [APPROVED]
    assert not Comment.objects.filter(pk=doomed.pk).exists()
    # Its reply moved up to its parent: the thread stays whole.
    assert Comment.objects.get(pk=reply.pk).parent_id == parent.pk
    assert "Comment deleted permanently." in messages(editor_client.get(CHANGELIST))


def test_a_button_never_leads_to_another_site(editor_client, article):
    comment = make_comment(article, status=PENDING)

    response = press(editor_client, comment, "approve", "https://evil.example/admin/")

    assert response.url == CHANGELIST


def test_a_button_is_a_post_with_a_csrf_token(editor, article):
    comment = make_comment(article, status=PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.get(act_url(comment, "approve")).status_code == 405
    assert press(client, comment, "approve").status_code == 403
    assert statuses(comment) == [PENDING]


@pytest.mark.parametrize("action", ["approve", "spam", "trash", "delete"])
def test_staff_without_change_permission_get_403_from_a_button(
    client, staff_viewer, article, action
):
    comment = make_comment(article, status=PENDING if action != "delete" else TRASH)
    client.force_login(staff_viewer)

    assert press(client, comment, action).status_code == 403
    assert Comment.objects.filter(pk=comment.pk, status=comment.status).exists()
    assert history(comment) == []


def test_an_unknown_action_is_not_found(editor_client, article):
    comment = make_comment(article, status=PENDING)

    assert press(editor_client, comment, "publish").status_code == 404


def test_the_script_gets_the_new_row_and_counts_as_json(editor_client, article):
    comment = make_comment(article, status=PENDING)
    make_comment(article, status=APPROVED)

    response = press(editor_client, comment, "approve", HTTP_ACCEPT="application/json")

    data = response.json()
    assert data["message"] == "Comment approved."
    assert data["status"] == APPROVED and data["status_label"] == "Approved"
    assert data["undo"] == {"url": act_url(comment, "unapprove"), "label": "Undo"}
    assert data["counts"] == {"": 2, PENDING: 0, APPROVED: 2, SPAM: 0, TRASH: 0}
    assert buttons(data["actions"]) == ["Unapprove", "Reply", "Spam", "Trash", "Edit"]
    # The message is for the page the script changed, not for the next one loaded.
    assert messages(editor_client.get(CHANGELIST)) == []


# Bulk actions


@pytest.mark.parametrize(
    ("view", "offered"),
    [
        ("", {"mark_approved", "mark_pending", "mark_spam", "mark_not_spam", "mark_trash"}),
        (PENDING, {"mark_approved", "mark_spam", "mark_trash"}),
        (APPROVED, {"mark_pending", "mark_spam", "mark_trash"}),
        (SPAM, {"mark_not_spam", "delete_permanently"}),
        (TRASH, {"restore", "mark_spam", "delete_permanently"}),
    ],
)
def test_each_view_offers_its_bulk_actions_and_deletes_only_in_spam_and_trash(
    editor_client, article, view, offered
):
    make_comment(article, status=view or PENDING)

    html = editor_client.get(CHANGELIST, {"status": view} if view else {}).text

    choices = set(re.findall(r'<option value="(\w+)">', html)) - {"pending", "approved"}
    assert offered <= choices
    assert "delete_selected" not in choices
    assert ("delete_permanently" in choices) == (view in (SPAM, TRASH))


def test_bulk_delete_permanently_in_the_trash(editor_client, article):
    doomed = [make_comment(article, status=TRASH) for _ in range(2)]

    response = editor_client.post(
        f"{CHANGELIST}?status=trash",
        {"action": "delete_permanently", "_selected_action": [c.pk for c in doomed]},
        follow=True,
    )

    assert messages(response) == ["2 comments deleted permanently."]
    assert not Comment.objects.exists()


def test_a_bulk_action_that_fails_midway_changes_nothing(editor_client, article, monkeypatch):
    comments = [make_comment(article, status=PENDING) for _ in range(4)]
    saves = []
    real_save = Comment.save

    def save_failing_on_the_third(self, *args, **kwargs):
        saves.append(self.pk)
        if len(saves) == 3:
            raise RuntimeError("the database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Comment, "save", save_failing_on_the_third)

    with pytest.raises(RuntimeError):
        run_action(editor_client, "mark_approved", *comments)

    assert statuses(*comments) == [PENDING] * 4
    assert all(history(comment) == [] for comment in comments)


def test_a_bulk_restore_that_fails_midway_changes_nothing(editor_client, article, monkeypatch):
    comments = [make_comment(article, status=TRASH, previous_status=APPROVED) for _ in range(3)]
    saves = []
    real_save = Comment.save

    def save_failing_on_the_last(self, *args, **kwargs):
        saves.append(self.pk)
        if len(saves) == 3:
            raise RuntimeError("the database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Comment, "save", save_failing_on_the_last)

    with pytest.raises(RuntimeError):
        run_action(editor_client, "restore", *comments)

    assert statuses(*comments) == [TRASH] * 3


# An editor's reply


def test_reply_page_shows_the_comment_its_article_and_a_box(editor_client):
    article = make_article(headline="Floods in the valley")
    comment = make_comment(article, text="Where will the water go next?")

    html = editor_client.get(reply_url(comment), HTTP_REFERER=f"{CHANGELIST}?status=approved").text

    assert "Where will the water go next?" in html
    assert f'<a href="{comment.get_absolute_url()}">Floods in the valley</a>' in html
    assert '<textarea name="comment"' in html
    assert 'value="Reply"' in html
    assert f'name="next" value="{CHANGELIST}?status=approved"' in html


def test_an_editors_reply_is_approved_at_once_under_their_name_with_the_badge(
    editor_client,
    editor,
    article,
    purged,  # noqa: F811
):
    editor.first_name, editor.last_name, editor.email = "Eda", "Ito", "eda@newsroom.example"
    editor.save()
    question = make_comment(article, text="Where will the water go next?")

    with purged.committing():
        response = editor_client.post(
            reply_url(question),
            {"comment": "  Down the valley, by Thursday.  ", "next": f"{CHANGELIST}?p=1"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_USER_AGENT="Newsroom desk browser",
        )

    assert response.status_code == 302 and response.url == f"{CHANGELIST}?p=1"
    reply = Comment.objects.get(parent=question)
    assert reply.status == APPROVED
    assert reply.user == editor and reply.by_staff
    assert (reply.author_name, reply.author_email) == ("Eda Ito", "eda@newsroom.example")
    assert reply.text == "Down the valley, by Thursday."
    assert reply.article == article
    # Recorded as a reader's comment is: where it came from, for the privacy tools.
    assert (reply.ip_address, reply.user_agent) == ("203.0.113.7", "Newsroom desk browser")
    assert purged.keys() == {page_of(article)}
    assert messages(editor_client.get(CHANGELIST))[0].startswith("Your reply was posted.")
    # Readers see it, with the badge.
    page = Client().get(article.get_absolute_url()).text
    assert "Down the valley, by Thursday." in page


def test_an_editor_without_a_full_name_replies_under_their_username(editor_client, editor, article):
    question = make_comment(article)

    editor_client.post(reply_url(question), {"comment": "Thanks."})  # no User-Agent sent

    reply = Comment.objects.get(parent=question)
    assert reply.author_name == editor.username
    assert reply.user_agent == ""  # none recorded, as none was sent


def test_approve_and_reply_approves_the_comment_and_posts_the_reply(editor_client, article):
    question = make_comment(article, status=PENDING)

    html = editor_client.get(f"{reply_url(question)}?approve=1").text
    assert 'value="Approve and reply"' in html
    editor_client.post(reply_url(question), {"comment": "Good question.", "approve": "1"})

    assert statuses(question) == [APPROVED]
    assert Comment.objects.get(parent=question).status == APPROVED
    assert messages(editor_client.get(CHANGELIST))[0].startswith(
        "Comment approved and your reply posted."
    )


def test_approve_and_reply_is_one_transaction(editor_client, article, monkeypatch):
    question = make_comment(article, status=PENDING)
    real_save = Comment.save

    def reply_fails(self, *args, **kwargs):
        if self.pk is None:
            raise RuntimeError("the database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Comment, "save", reply_fails)

    with pytest.raises(RuntimeError):
        editor_client.post(reply_url(question), {"comment": "Good question.", "approve": "1"})

    assert statuses(question) == [PENDING]
    assert Comment.objects.count() == 1


def test_a_pending_comment_gets_a_reply_only_with_its_approval(editor_client, article):
    question = make_comment(article, status=PENDING)

    response = editor_client.post(reply_url(question), {"comment": "Good question."})

    assert response.status_code == 200
    assert "approve it and reply" in response.text
    assert statuses(question) == [PENDING]
    assert not Comment.objects.filter(parent=question).exists()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("   ", "Please type your comment."),
        ("x" * 10_001, "Ensure this value has at most 10000 characters"),
    ],
)
def test_a_reply_follows_the_readers_text_limits_and_keeps_what_was_typed(
    editor_client, article, text, error
):
    question = make_comment(article)

    response = editor_client.post(reply_url(question), {"comment": text})

    assert response.status_code == 200
    assert error in response.text
    assert not Comment.objects.filter(parent=question).exists()
    if text.strip():
        assert text in response.text


def test_a_reply_follows_the_thread_depth_rule(editor_client, article, discussion):
    discussion.thread_depth = 2
    discussion.save()
    top = make_comment(article)
    second = make_comment(article, parent=top)

    refused = editor_client.post(reply_url(second), {"comment": "Deeper."})
    editor_client.post(reply_url(top), {"comment": "Allowed."})

    assert "nested as deeply as it goes" in refused.text
    assert not Comment.objects.filter(parent=second).exists()
    assert Comment.objects.filter(parent=top, text="Allowed.").exists()


def test_a_reply_under_a_hidden_parent_counts_depth_as_the_page_shows_it(
    editor_client, article, discussion
):
    # The page shows a reply to a trashed comment at the top level: a reply to it is depth 2.
    discussion.thread_depth = 2
    discussion.save()
    gone = make_comment(article, status=TRASH)
    shown_on_top = make_comment(article, parent=gone)

    editor_client.post(reply_url(shown_on_top), {"comment": "Allowed."})

    assert Comment.objects.filter(parent=shown_on_top).exists()


@pytest.mark.parametrize("status", [SPAM, TRASH])
def test_no_reply_to_spam_or_trash(editor_client, article, status):
    question = make_comment(article, status=status)

    assert "restore it before replying" in editor_client.get(reply_url(question)).text
    editor_client.post(reply_url(question), {"comment": "Hello."})

    assert not Comment.objects.filter(parent=question).exists()


def test_the_same_reply_twice_is_refused_once_posted(editor_client, article):
    question = make_comment(article)
    editor_client.post(reply_url(question), {"comment": "Thanks."})

    again = editor_client.post(reply_url(question), {"comment": "Thanks."})

    assert "The same person has said the same words" in again.text
    assert Comment.objects.filter(parent=question).count() == 1


def test_the_same_reply_sent_twice_at_once_is_refused_not_a_server_error(
    editor_client, article, monkeypatch
):
    question = make_comment(article)
    check = services.duplicate_of

    def the_other_request_saves_it_meanwhile(reply):
        found = check(reply)  # nothing yet: the other request's reply is not saved
        monkeypatch.setattr(services, "duplicate_of", check)
        twin = copy.copy(reply)
        twin.save()
        return found

    monkeypatch.setattr(services, "duplicate_of", the_other_request_saves_it_meanwhile)

    response = editor_client.post(reply_url(question), {"comment": "Thanks."})

    assert response.status_code == 200
    assert "The same person has said the same words" in response.text
    assert Comment.objects.filter(parent=question).count() == 1


def test_staff_without_change_permission_cannot_reply(client, staff_viewer, article):
    question = make_comment(article)
    client.force_login(staff_viewer)

    assert client.get(reply_url(question)).status_code == 403
    assert client.post(reply_url(question), {"comment": "Hello."}).status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


def test_the_inline_reply_gets_json(editor_client, article):
    question = make_comment(article, status=PENDING)

    done = editor_client.post(
        f"{reply_url(question)}?approve=1", {"comment": "Thanks."}, HTTP_ACCEPT="application/json"
    )
    refused = editor_client.post(
        reply_url(question), {"comment": " "}, HTTP_ACCEPT="application/json"
    )

    assert done.json()["message"] == "Comment approved and your reply posted."
    assert done.json()["status"] == APPROVED
    assert done.json()["counts"][APPROVED] == 2
    assert refused.status_code == 400
    assert refused.json() == {"errors": ["Please type your comment."]}


# The front page


def test_front_page_shows_the_desks_figures(editor_client, article):
    now = timezone.now()
    oldest = make_comment(
        article, status=PENDING, author_name="Old Timer", submitted_at=now - timedelta(days=3)
    )
    make_comment(article, status=PENDING, submitted_at=now - timedelta(minutes=5))
    make_comment(article, status=APPROVED, submitted_at=now - timedelta(minutes=1))
    make_comment(article, status=SPAM, submitted_at=now - timedelta(days=2))
    old = make_comment(article, status=APPROVED, submitted_at=now - timedelta(days=30))
    for reporter in ("a", "b"):
        Report.objects.create(comment=old, reason=Report.Reason.SPAM, reporter=reporter)

    html = editor_client.get(reverse("admin:index")).text

    desk = re.search(r'<section class="module desk-dashboard".*?</section>', html, re.S)[0]
    figures = dict(
        (dt, re.sub(r"<[^>]+>|\s+", " ", dd).strip())
        for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", desk, re.S)
    )
    assert figures["Awaiting moderation"] == "2"
    assert f'href="{CHANGELIST}?status=pending"' in desk
    assert figures["Reported by readers"] == "1"  # one comment, reported twice
    assert f'href="{CHANGELIST}?reported=open"' in desk
    assert figures["Oldest waiting"] == "3 days ago, from Old Timer"
    assert f'href="{oldest.get_admin_url()}"' in desk
    assert figures["Last 7 days"] == "1 approved, 1 spam"
    assert int(figures["Posted today"]) >= 1  # the two of minutes ago, if still today


def test_front_page_figures_cost_a_few_queries(
    editor_client, article, django_assert_max_num_queries
):
    for _ in range(20):
        make_comment(article, status=PENDING)
    editor_client.get(reverse("admin:index"))

    with django_assert_max_num_queries(12):
        assert editor_client.get(reverse("admin:index")).status_code == 200


def test_staff_who_do_not_moderate_see_no_figures(client, article):
    writer = make_user("writer", is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(writer)

    assert "desk-dashboard" not in client.get(reverse("admin:index")).text
