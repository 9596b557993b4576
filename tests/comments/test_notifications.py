"""The moderator email: a held comment reaches the editors, who act on it from the admin."""

import email
import re
import smtplib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.mail.backends import locmem
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments import notifications
from comments.models import Comment
from tests import factories
from tests.admin_pages import listed

pytestmark = pytest.mark.django_db

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH
SITE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSROOM_SITE_URL = SITE_URL
    settings.NEWSROOM_SITE_NAME = "Daily Planet"
    settings.NEWSROOM_MODERATOR_EMAILS = []


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def make_editor(username: str, email: str = "", **fields):
    user = factories.make_user(username, email=email, is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def email_links(body: str) -> dict[str, str]:
    """``{"Approve it": "https://…", …}``: each labelled link in the email."""
    return dict(re.findall(r"^([^:\n]+): (https?://\S+)$", body, re.MULTILINE))


def site_path(url: str) -> str:
    assert url.startswith(SITE_URL + "/")
    return url.removeprefix(SITE_URL)


def history(comment: Comment) -> list[str]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk)
        ).values_list("change_message", flat=True)
    )


def moderate_path(comment: Comment, action: str) -> str:
    return reverse("admin:comments_comment_moderate", args=[comment.pk, action])


def messages(response) -> list[str]:
    """What the admin tells the editor on the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


# Who is told, and when


def test_held_comment_emails_the_editors_with_headline_author_text_and_links(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    make_editor("bob", "bob@example.org")
    article = factories.make_article(headline="Floods in the valley")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            post_url(article),
            factories.comment_data(
                article,
                author="Ada Reader",
                email="ada@example.org",
                url="https://ada.example.org",
                comment="The bridge was closed by noon.\nThe school stayed open.",
            ),
            REMOTE_ADDR="203.0.113.7",
        )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == PENDING
    [message] = mailoutbox
    assert message.to == ["ann@example.org", "bob@example.org"]
    assert message.subject == '[Daily Planet] Please moderate: "Floods in the valley"'
    body = message.body
    assert 'A new comment on the article "Floods in the valley" is waiting' in body
    assert "reported" not in body  # held by the rules, not by readers' reports
    assert "In reply to" not in body  # a comment of its own, not a reply
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert f"\n{SITE_URL}/comments/{comment.pk}/\n" in body  # the comment's permalink
    assert "\nAuthor: Ada Reader (IP address: 203.0.113.7)\n" in body
    assert "\nEmail: ada@example.org\n" in body
    assert "\nWebsite: https://ada.example.org\n" in body
    assert "\nComment:\n> The bridge was closed by noon.\n> The school stayed open.\n" in body
    assert email_links(body) == {
        "Website": "https://ada.example.org",
        "Approve it": SITE_URL + moderate_path(comment, "approve"),
        "Spam it": SITE_URL + moderate_path(comment, "spam"),
        "Trash it": SITE_URL + moderate_path(comment, "trash"),
        "See it in the admin": SITE_URL + comment.get_admin_url(),
    }


def test_email_counts_the_comments_waiting_and_links_to_the_pending_queue(
    client, article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    factories.make_comment(article, status=PENDING)
    factories.make_comment(article, status=PENDING)
    factories.make_comment(article, status=APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), factories.comment_data(article))

    [message] = mailoutbox
    changelist = reverse("admin:comments_comment_changelist")
    assert (
        "\nCurrently 3 comments waiting for approval. Please visit the moderation panel:\n"
        f"{SITE_URL}{changelist}?status=pending\n"
    ) in message.body


def test_reply_email_links_to_the_comment_it_answers(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    parent = factories.make_comment(article, status=APPROVED)
    reply = factories.make_comment(article, parent=parent, status=PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.comment_posted(reply)

    [message] = mailoutbox
    assert email_links(message.body)["In reply to"] == SITE_URL + parent.get_admin_url()


def test_comment_text_is_sent_as_plain_text_exactly_as_typed(
    client, article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    text = "<script>alert(\"x\")</script> <b>bold</b> & &amp; 'quoted'"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            post_url(article), factories.comment_data(article, comment=text, author="O'Brien & Co")
        )

    [message] = mailoutbox
    assert message.message().get_content_type() == "text/plain"
    assert not getattr(message, "alternatives", [])
    assert f"\nComment:\n> {text}\n" in message.body
    assert "\nAuthor: O'Brien & Co (" in message.body


def test_recipients_are_the_active_editors_with_an_email_each_address_once(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    make_editor("ann2", "ANN@example.org")  # the same mailbox
    make_editor("bob", "bob@example.org")
    make_editor("no-email")
    make_editor("gone", "gone@example.org", is_active=False)
    factories.make_user("staff", email="staff@example.org", is_staff=True)
    factories.make_user("reader", email="reader@example.org")
    comment = factories.make_comment(article, status=PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.comment_posted(comment)

    [message] = mailoutbox
    assert message.recipients() == ["ann@example.org", "bob@example.org"]


def test_configured_moderator_emails_replace_the_editors(
    settings, article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    settings.NEWSROOM_MODERATOR_EMAILS = [
        "desk@example.org",
        "Desk@Example.org",
        "night@example.org",
    ]
    comment = factories.make_comment(article, status=PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.comment_posted(comment)

    [message] = mailoutbox
    assert message.recipients() == ["desk@example.org", "night@example.org"]


def test_nobody_to_tell_sends_nothing(
    client, article, editor, mailoutbox, django_capture_on_commit_callbacks
):
    # The one editor has no email address, and no list is configured.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(article), factories.comment_data(article))

    assert response.status_code == 302
    assert Comment.objects.get().status == PENDING
    assert not DBTaskResult.objects.exists()
    assert mailoutbox == []


def test_comment_approved_at_once_sends_no_email(
    client, article, discussion, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    discussion.hold_all = False
    discussion.approve_known_commenters = False
    discussion.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), factories.comment_data(article))

    assert Comment.objects.get().status == APPROVED
    assert mailoutbox == []


def test_comment_the_policy_sends_to_spam_sends_no_email(
    client, article, discussion, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    discussion.disallowed_words = "casino"
    discussion.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), factories.comment_data(article, comment="Win at the casino"))

    assert Comment.objects.get().status == SPAM
    assert mailoutbox == []


def test_email_waits_until_the_comment_is_committed(
    client, article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), factories.comment_data(article))
        assert mailoutbox == []  # saved, not yet committed

    assert len(mailoutbox) == 1


def test_no_email_for_a_comment_whose_transaction_rolls_back(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        comment = factories.make_comment(article, status=PENDING)
        notifications.comment_posted(comment)
        raise RuntimeError("something later in the transaction failed")

    assert not Comment.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


# A broken or slow mail server


def test_mail_server_failure_is_logged_the_comment_kept_and_the_email_tried_again(
    client, article, monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")

    def refuse(backend, messages):
        raise smtplib.SMTPException("451 try again later")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(article), factories.comment_data(article))

    comment = Comment.objects.get()
    assert comment.status == PENDING
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#{comment.anchor}"
    [record] = [r for r in caplog.records if r.name == "comments.mailing"]
    assert record.levelname == "WARNING"
    assert record.getMessage() == (
        "An email to 1 recipient was not sent (attempt 1 of 8); trying again in 1 minutes."
    )
    assert "ann@example.org" not in caplog.text
    assert isinstance(record.exc_info[1], smtplib.SMTPException)
    [retry] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.args_kwargs["args"][0]["to"] == ["ann@example.org"]


def test_the_reader_never_waits_for_the_mail_server(
    client, article, monkeypatch, mailoutbox, email_queue, django_capture_on_commit_callbacks
):
    """The request only writes the email to the queue; the worker talks to the mail server.
    Here the server would fail the test if the request reached it."""
    make_editor("ann", "ann@example.org")
    email_queue.paused = True  # the worker is busy elsewhere

    def unreachable(backend, messages):
        raise AssertionError("the request itself talked to the mail server")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(article), factories.comment_data(article))

    assert response.status_code == 302
    assert Comment.objects.get().status == PENDING
    assert mailoutbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "comments.mailing.deliver_email"

    monkeypatch.undo()
    assert email_queue.run_due() == 1
    [message] = mailoutbox
    assert message.to == ["ann@example.org"]
    assert message.subject.startswith("[Daily Planet] Please moderate:")


def test_line_breaks_in_a_name_or_headline_never_add_a_header(
    mailoutbox, django_capture_on_commit_callbacks
):
    make_editor("ann", "ann@example.org")
    # The form refuses these; stored some other way, they still only reach the body.
    article = factories.make_article(headline="Floods\r\nBcc: mallory@example.org")
    comment = factories.make_comment(
        article,
        author_name="Eve\r\nBcc: mallory@example.org",
        author_email="eve@example.org\nCc: mallory@example.org",
        status=PENDING,
    )

    with django_capture_on_commit_callbacks(execute=True):
        notifications.comment_posted(comment)

    [message] = mailoutbox
    assert message.recipients() == ["ann@example.org"]
    headers = email.message_from_bytes(message.message().as_bytes())
    assert "Bcc" not in headers
    assert "Cc" not in headers
    assert [name for name, value in headers.items() if "mallory" in value] == ["Subject"]
    assert headers["Subject"] == '[Daily Planet] Please moderate: "Floods Bcc: mallory@example.org"'
    assert "\nAuthor: Eve Bcc: mallory@example.org (IP address: " in message.body
    assert "\nEmail: eve@example.org Cc: mallory@example.org\n" in message.body


# Acting on the email in the admin


def test_every_link_in_the_email_opens_its_page_for_a_signed_in_editor(
    client, editor, editor_client, article, mailoutbox, django_capture_on_commit_callbacks
):
    editor.email = "editor@example.org"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(post_url(article), factories.comment_data(article, comment="Please look."))
    comment = Comment.objects.get()
    [message] = mailoutbox
    links = email_links(message.body)

    questions = {
        "Approve it": "Approve this comment?",
        "Spam it": "Mark this comment as spam?",
        "Trash it": "Move this comment to the trash?",
    }
    for label, question in questions.items():
        response = editor_client.get(site_path(links[label]))
        assert response.status_code == 200
        assert f"<h1>{question}</h1>" in response.text
        assert response.context["comment"] == comment

    admin_page = resolve(site_path(links["See it in the admin"]))
    assert admin_page.url_name == "comments_comment_change"
    assert admin_page.kwargs == {"object_id": str(comment.pk)}

    queue_url = message.body.strip().splitlines()[-1]
    assert listed(editor_client.get(site_path(queue_url))) == {comment}
    assert refreshed(comment).status == PENDING


def test_confirmation_page_quotes_the_comment_and_changes_nothing(editor_client, article):
    comment = factories.make_comment(
        article,
        author_name="Grace <Hopper>",
        author_email="grace@example.org",
        text="Bugs <em>are</em> moths.",
        status=PENDING,
    )

    response = editor_client.get(moderate_path(comment, "approve"))

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "admin/comments/comment/moderate_confirm.html"
    html = response.text
    assert "<h1>Approve this comment?</h1>" in html
    assert "Grace &lt;Hopper&gt; &lt;grace@example.org&gt;" in html
    assert "Bugs &lt;em&gt;are&lt;/em&gt; moths." in html
    assert f'<a href="{comment.get_absolute_url()}">{article.headline}</a>' in html
    form = re.search(r'<form method="post">(.*?)</form>', html, re.S)[1]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'value="Approve comment"' in form
    assert re.search(rf'<a href="{re.escape(comment.get_admin_url())}"[^>]*>Cancel</a>', form)
    assert refreshed(comment).status == PENDING
    assert history(comment) == []


@pytest.mark.parametrize(
    ("action", "status", "logged", "message"),
    [
        ("approve", APPROVED, "Approved (was Pending).", "The comment was approved."),
        ("spam", SPAM, "Spam (was Pending).", "The comment was marked as spam."),
        ("trash", TRASH, "Trash (was Pending).", "The comment was moved to the trash."),
    ],
)
def test_confirming_changes_the_status_records_it_and_returns_to_the_comment(
    editor_client, article, action, status, logged, message
):
    comment = factories.make_comment(article, status=PENDING)

    response = editor_client.post(moderate_path(comment, action))

    assert response.status_code == 302
    assert response["Location"] == comment.get_admin_url()
    assert refreshed(comment).status == status
    assert history(comment) == [logged]
    assert messages(response) == [message]


def test_spam_from_the_email_can_be_restored_to_pending(editor_client, article):
    comment = factories.make_comment(article, status=PENDING)

    editor_client.post(moderate_path(comment, "spam"))

    assert refreshed(comment).previous_status == PENDING


def test_confirming_what_is_done_already_changes_nothing_and_says_so(editor_client, article):
    comment = factories.make_comment(article, status=APPROVED)

    page = editor_client.get(moderate_path(comment, "approve"))
    response = editor_client.post(moderate_path(comment, "approve"))

    assert "This comment is approved already." in page.text
    assert '<form method="post">' not in page.text
    assert response["Location"] == comment.get_admin_url()
    assert messages(response) == ["This comment is approved already."]
    assert history(comment) == []


def test_confirming_without_the_page_csrf_token_is_refused(editor, article):
    comment = factories.make_comment(article, status=PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(moderate_path(comment, "approve"))

    assert response.status_code == 403
    assert refreshed(comment).status == PENDING


def test_staff_who_may_not_moderate_are_refused(article):
    viewer = factories.make_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(viewer)
    comment = factories.make_comment(article, status=PENDING)

    assert client.get(moderate_path(comment, "approve")).status_code == 403
    assert client.post(moderate_path(comment, "approve")).status_code == 403
    assert refreshed(comment).status == PENDING
    assert history(comment) == []


def test_signed_out_editor_signs_in_and_lands_on_the_confirmation_page(client, article):
    make_editor("ann", "ann@example.org")
    comment = factories.make_comment(article, status=PENDING)
    path = moderate_path(comment, "trash")

    response = client.get(path)

    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("admin:login")
    assert parse_qs(login.query)["next"] == [path]
    signed_in = client.post(
        response["Location"],
        {"username": "ann", "password": "correct horse battery staple", "next": path},
    )
    assert signed_in["Location"] == path
    assert "<h1>Move this comment to the trash?</h1>" in client.get(path).text
    assert refreshed(comment).status == PENDING


def test_signed_out_post_changes_nothing(client, article):
    comment = factories.make_comment(article, status=PENDING)

    response = client.post(moderate_path(comment, "approve"))

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("admin:login")
    assert refreshed(comment).status == PENDING


def test_unknown_comment_or_action_is_not_found(editor_client, article):
    comment = factories.make_comment(article, status=PENDING)

    assert editor_client.get(moderate_path(comment, "delete")).status_code == 404
    assert editor_client.post(moderate_path(comment, "delete")).status_code == 404
    missing = reverse("admin:comments_comment_moderate", args=[comment.pk + 1000, "approve"])
    assert editor_client.get(missing).status_code == 404
    assert refreshed(comment).status == PENDING
