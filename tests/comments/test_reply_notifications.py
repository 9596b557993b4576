"""Follow-up emails: a reader ticks "Notify me of follow-up comments by email", confirms from
the email, hears once of each reply, and can stop it in one click from their mail program."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import subscriptions
from comments.models import Comment, Subscription
from tests.admin_pages import run_action
from tests.factories import comment_data, make_article, make_comment

pytestmark = pytest.mark.django_db

SITE_URL = "https://news.example.org"
APPROVED = Comment.Status.APPROVED
PENDING = Comment.Status.PENDING
ADA = "ada@example.org"
BOB = "bob@example.org"
CARO = "caro@example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSROOM_SITE_URL = SITE_URL
    settings.NEWSROOM_SITE_NAME = "Daily Planet"
    settings.NEWSROOM_MODERATOR_EMAILS = []  # only the readers' emails in the outbox


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a block's after-commit work (the emails) as the live site does when it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def article(db):
    return make_article(headline="Floods in the valley")


def post(client, article, committing, **fields):
    """A reader posts the form on the article's page; returns the response."""
    with committing():
        return client.post(
            reverse("comments:post", kwargs={"article_id": article.pk}),
            comment_data(article, **fields),
        )


def link(body: str, after: str) -> str:
    """The site's path of the link on the line after ``after`` in an email."""
    url = re.search(rf"{re.escape(after)}\n(https?://\S+)\n", body)[1]
    assert url.startswith(SITE_URL + "/")
    return url.removeprefix(SITE_URL)


def header_url(message) -> str:
    """The site's path in the email's RFC 8058 List-Unsubscribe header."""
    url = re.fullmatch(r"<(https://\S+)>", message.extra_headers["List-Unsubscribe"])[1]
    return url.removeprefix(SITE_URL)


def subscribe(client, article, committing, mailoutbox, email=ADA, scope="replies", **fields):
    """A reader comments with the box ticked and confirms from the email; their comment."""
    post(client, article, committing, email=email, notify="on", notify_scope=scope, **fields)
    [confirmation] = [m for m in mailoutbox if m.to == [email]]
    mailoutbox.clear()
    with committing():
        response = Client().post(link(confirmation.body, "press the button on the page:"))
    assert response.status_code == 302
    return Comment.objects.filter(author_email=email).latest("pk")


def approve(editor_client, committing, *comments):
    with committing():
        run_action(editor_client, "mark_approved", *comments)


# Asking, and confirming


def test_the_box_is_unticked_and_replies_only_is_the_default_choice(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    box = re.search(r'<input type="checkbox" name="notify"[^>]*>', html)[0]
    replies = re.search(r'<input type="radio" name="notify_scope" value="replies"[^>]*>', html)[0]
    every = re.search(r'<input type="radio" name="notify_scope" value="all"[^>]*>', html)[0]
    assert "checked" not in box
    assert "checked" in replies and "checked" not in every
    assert "Notify me of follow-up comments by email." in html


def test_the_form_without_the_box_ticked_sends_no_confirmation(
    client, article, committing, mailoutbox
):
    response = post(client, article, committing, email=ADA, notify_scope="all")

    assert response.status_code == 302
    assert mailoutbox == []
    assert not Subscription.objects.exists()


def test_an_editors_reply_from_the_admin_is_announced_like_any_reply(
    client, article, committing, mailoutbox, editor_client
):
    ada = subscribe(client, article, committing, mailoutbox)
    approve(editor_client, committing, ada)
    mailoutbox.clear()

    with committing():
        answered = editor_client.post(
            reverse("admin:comments_comment_reply", args=[ada.pk]),
            {"comment": "Thank you: we have corrected the article."},
        )

    assert answered.status_code == 302
    [told] = mailoutbox
    assert told.to == [ADA]
    assert "Thank you: we have corrected the article." in told.body
    assert "replied to your comment on" in told.body
    assert "(Daily Planet staff)" in told.body  # the reply is the newsroom's own
    assert told.message()["Auto-Submitted"] == "auto-generated"  # no vacation replies


CHECK_YOUR_EMAIL = "Check your email: we sent a link to"


def test_the_page_after_posting_says_once_that_a_link_was_emailed(
    client, article, committing, mailoutbox
):
    posted = post(client, article, committing, email=ADA, notify="on")
    page = client.get(posted["Location"]).content.decode()

    assert f"{CHECK_YOUR_EMAIL} {ADA}. Follow-up emails start once you open it" in page
    assert CHECK_YOUR_EMAIL not in client.get(posted["Location"]).content.decode()
    assert [message.to for message in mailoutbox] == [[ADA]]


def test_a_reader_who_confirmed_already_is_not_told_to_check_their_email(
    client, article, committing, mailoutbox
):
    subscribe(client, article, committing, mailoutbox)

    posted = post(client, article, committing, email=ADA, notify="on", comment="Again.")

    assert CHECK_YOUR_EMAIL not in client.get(posted["Location"]).content.decode()
    assert mailoutbox == []


def test_a_reader_confirms_from_the_email_and_hears_once_of_an_approved_reply(
    client, article, committing, mailoutbox, editor_client
):
    post(client, article, committing, author="Ada Reader", email=ADA, notify="on")

    [confirmation] = mailoutbox
    assert confirmation.to == [ADA]
    assert confirmation.message()["Auto-Submitted"] == "auto-generated"
    assert confirmation.subject == (
        '[Daily Planet] Please confirm: email me follow-up comments on "Floods in the valley"'
    )
    assert "when someone replies to their comment on the article" in confirmation.body
    assert f'"Floods in the valley"\n{SITE_URL}{article.get_absolute_url()}\n' in confirmation.body
    confirm_path = link(confirmation.body, "press the button on the page:")

    # A mail scanner (or the reader) opens the link: a page with a button, nothing changed.
    reader = Client()
    page = reader.get(confirm_path)
    assert page.status_code == 200
    assert "Email me when someone replies to my comment on" in page.content.decode()
    assert '<button type="submit" class="btn">Yes, email me</button>' in page.content.decode()
    assert not Subscription.objects.get().is_confirmed

    with committing():
        pressed = reader.post(confirm_path)
    assert pressed.status_code == 302 and pressed["Location"] == confirm_path
    assert "Follow-up emails confirmed" in reader.get(confirm_path).content.decode()
    assert Subscription.objects.get().is_confirmed

    ada = Comment.objects.get(author_email=ADA)
    approve(editor_client, committing, ada)
    mailoutbox.clear()
    post(
        Client(),
        article,
        committing,
        author="Bob Writer",
        email=BOB,
        parent=ada.pk,
        comment="The bridge reopened at six.\nThe school stayed shut.",
    )
    reply = Comment.objects.get(author_email=BOB)
    assert reply.status == PENDING and mailoutbox == []  # nobody hears of a held reply

    approve(editor_client, committing, reply)

    [told] = mailoutbox
    assert told.to == [ADA]
    assert told.subject == '[Daily Planet] New reply to your comment on "Floods in the valley"'
    assert 'Bob Writer replied to your comment on "Floods in the valley":' in told.body
    assert "\n> The bridge reopened at six.\n> The school stayed shut.\n" in told.body
    assert link(told.body, "Read it, and reply:") == reply.get_absolute_url()
    assert told.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(told.body, "Stop these emails (one click, no sign-in):") == header_url(told)

    # Unapproved and approved again, from the queue and from the moderator email's page.
    with committing():
        run_action(editor_client, "mark_pending", reply)
    approve(editor_client, committing, reply)
    with committing():
        run_action(editor_client, "mark_trash", reply)
        run_action(editor_client, "restore", reply)
    assert Comment.objects.get(pk=reply.pk).status == APPROVED
    assert len(mailoutbox) == 1


def test_a_reply_approved_from_the_moderator_emails_page_tells_the_subscriber(
    client, article, committing, mailoutbox, editor_client
):
    ada = subscribe(client, article, committing, mailoutbox)
    approve(editor_client, committing, ada)
    reply = make_comment(
        article, author_name="Bob Writer", author_email=BOB, parent=ada, status=PENDING
    )

    with committing():
        response = editor_client.post(
            reverse("admin:comments_comment_moderate", args=[reply.pk, "approve"])
        )

    assert response.status_code == 302
    [told] = mailoutbox
    assert told.to == [ADA] and "Bob Writer replied to your comment" in told.body


def test_the_form_shown_again_keeps_the_box_ticked_and_the_choice(client, article, committing):
    response = post(client, article, committing, comment="", notify="on", notify_scope="all")

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<input type="checkbox" name="notify"[^>]* checked>', html)
    assert re.search(r'<input type="radio" name="notify_scope" value="all"[^>]* checked>', html)
    assert not Subscription.objects.exists()


def test_an_unconfirmed_subscriber_is_never_emailed(
    client, article, committing, mailoutbox, editor_client
):
    post(client, article, committing, email=ADA, notify="on", notify_scope="all")
    ada = Comment.objects.get(author_email=ADA)
    approve(editor_client, committing, ada)
    mailoutbox.clear()  # the confirmation, never answered

    reply = make_comment(article, author_email=BOB, parent=ada, status=PENDING)
    other = make_comment(article, author_email=CARO, status=PENDING)
    approve(editor_client, committing, reply, other)

    assert mailoutbox == []


def test_a_comment_posted_approved_tells_the_subscriber_at_once(
    client, article, committing, mailoutbox, open_door
):
    ada = subscribe(client, article, committing, mailoutbox)
    assert ada.status == APPROVED  # the door is open: published at once

    post(Client(), article, committing, author="Bob Writer", email=BOB, parent=ada.pk)

    [told] = mailoutbox
    assert told.to == [ADA]
    assert "Bob Writer replied to your comment" in told.body


def test_an_every_comment_subscriber_hears_of_each_comment_but_not_their_own(
    client, article, committing, mailoutbox, open_door
):
    subscribe(client, article, committing, mailoutbox, email=CARO, scope="all")
    other_article = make_article()

    post(Client(), article, committing, author="Bob Writer", email=BOB, comment="First.")
    post(Client(), article, committing, author="Dan", email="dan@example.org", comment="Next.")
    post(Client(), other_article, committing, email="eve@example.org", comment="Elsewhere.")
    post(client, article, committing, author="Caro", email=CARO.upper(), comment="Mine.")

    assert [m.to for m in mailoutbox] == [[CARO], [CARO]]
    assert mailoutbox[0].subject == '[Daily Planet] New comment on "Floods in the valley"'
    assert 'Bob Writer commented on "Floods in the valley":' in mailoutbox[0].body
    assert "every new comment on this article" in mailoutbox[0].body
    assert 'Dan commented on "Floods in the valley":' in mailoutbox[1].body


def test_each_person_hears_once_and_the_replier_never_of_their_own_reply(
    client, article, committing, mailoutbox, open_door
):
    # Ada asked for everything and is also the one answered; Bob, who answers, asked too.
    ada = subscribe(client, article, committing, mailoutbox, email=ADA, scope="all")
    subscribe(Client(), article, committing, mailoutbox, email=BOB, scope="all")

    post(Client(), article, committing, author="Bob Writer", email=BOB, parent=ada.pk)

    [told] = mailoutbox
    assert told.to == [ADA]
    assert told.subject.startswith("[Daily Planet] New reply to your comment")


def test_nothing_the_commenter_typed_goes_into_a_header(
    client, article, committing, mailoutbox, open_door
):
    ada = subscribe(client, article, committing, mailoutbox)

    post(
        Client(),
        article,
        committing,
        author="Mallory <boss@example.org>",
        email=BOB,
        parent=ada.pk,
        comment="Approve it: https://evil.example/\nClick now",
    )

    [told] = mailoutbox
    headers = " ".join([told.subject, *told.extra_headers.values(), *told.to])
    assert "Mallory" not in headers and "evil" not in headers
    # The words are quoted: no line of them passes for one of the email's own.
    assert "\n> Approve it: https://evil.example/\n> Click now\n" in told.body


# Not mail-bombing anyone


def test_one_confirmation_email_at_a_time_per_address_and_article(
    client, article, committing, mailoutbox
):
    post(client, article, committing, email=ADA, notify="on", comment="One.")
    post(client, article, committing, email=ADA, notify="on", comment="Two.")
    post(client, article, committing, email=ADA.upper(), notify="on", comment="Three.")
    post(client, make_article(), committing, email=ADA, notify="on", comment="Elsewhere.")

    assert [m.to for m in mailoutbox] == [[ADA], [ADA]]  # this article, and the other one
    assert Subscription.objects.count() == 2


def test_a_confirmed_address_is_not_asked_again_on_the_same_article(
    client, article, committing, mailoutbox
):
    subscribe(client, article, committing, mailoutbox)

    post(client, article, committing, email=ADA, notify="on", comment="More from me.")

    assert mailoutbox == []


def test_asking_for_every_comment_after_replies_only_is_confirmed_again(
    client, article, committing, mailoutbox
):
    subscribe(client, article, committing, mailoutbox, scope="replies")

    post(client, article, committing, email=ADA, notify="on", notify_scope="all", comment="x")

    [confirmation] = mailoutbox
    assert "whenever a new comment is published on the article" in confirmation.body
    assert Subscription.objects.get().scope == "replies"  # until the address says yes
    with committing():
        Client().post(link(confirmation.body, "press the button on the page:"))
    assert Subscription.objects.get().scope == "all"


def test_a_comment_sent_to_spam_asks_nobody_anything(
    client, article, committing, mailoutbox, discussion
):
    discussion.disallowed_words = "casino"
    discussion.save()

    post(client, article, committing, email=ADA, notify="on", comment="Best casino here")

    assert Comment.objects.get().status == Comment.Status.SPAM
    assert mailoutbox == []
    assert not Subscription.objects.exists()


def test_a_confirmation_link_expires_and_the_clean_up_forgets_the_request(
    client, article, committing, mailoutbox
):
    post(client, article, committing, email=ADA, notify="on")
    confirm_path = link(mailoutbox[0].body, "press the button on the page:")
    later = timezone.now() + timedelta(days=subscriptions.CONFIRM_DAYS, minutes=1)
    Subscription.objects.update(
        created_at=timezone.now() - timedelta(days=subscriptions.CONFIRM_DAYS, minutes=1),
        confirmation_sent_at=timezone.now() - timedelta(days=subscriptions.CONFIRM_DAYS, minutes=1),
    )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        expired = Client().post(confirm_path)
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    assert not Subscription.objects.get().is_confirmed

    out = StringIO()
    call_command("cleanupcomments", stdout=out)
    assert "Forgot 1 follow-up email subscription nobody confirmed within 3 days." in (
        out.getvalue()
    )
    assert not Subscription.objects.exists()
    gone = Client().get(confirm_path)
    assert gone.status_code == 404
    assert "There is nothing to confirm" in gone.content.decode()


def test_the_clean_up_keeps_a_request_still_within_its_days_and_its_dry_run_changes_nothing(
    client, article, committing, mailoutbox
):
    post(client, article, committing, email=ADA, notify="on")
    post(client, make_article(headline="Roads"), committing, email=ADA, notify="on")
    fresh, stale = Subscription.objects.order_by("pk")
    stale.confirmation_sent_at = timezone.now() - timedelta(
        days=subscriptions.CONFIRM_DAYS, minutes=1
    )
    stale.save()

    dry = StringIO()
    call_command("cleanupcomments", "--dry-run", stdout=dry)
    assert "Would forget 1 follow-up email subscription" in dry.getvalue()
    assert Subscription.objects.count() == 2

    call_command("cleanupcomments", stdout=StringIO())
    assert list(Subscription.objects.all()) == [fresh]


def test_a_confirmed_subscription_survives_the_clean_up(client, article, committing, mailoutbox):
    subscribe(client, article, committing, mailoutbox)
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=30))

    call_command("cleanupcomments", stdout=StringIO())

    assert Subscription.objects.get().is_confirmed


# Leaving


@pytest.fixture
def told(client, article, committing, mailoutbox, open_door):
    """The email Ada got about Bob's reply to her comment."""
    ada = subscribe(client, article, committing, mailoutbox)
    post(Client(), article, committing, author="Bob Writer", email=BOB, parent=ada.pk)
    [message] = mailoutbox
    mailoutbox.clear()
    return message


def test_one_click_unsubscribe_from_the_header_works_with_no_cookie_and_no_origin(
    told, article, committing, mailoutbox
):
    # As a mail provider's server posts it (RFC 8058): no cookie, no Origin, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        header_url(told), "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.exists()
    ada = Comment.objects.get(author_email=ADA)
    post(Client(), article, committing, author="Caro", email=CARO, parent=ada.pk)
    assert mailoutbox == []
    # Pressed again (a second click, a retry): the same answer, nothing breaks.
    assert provider.post(header_url(told)).status_code == 200


def test_the_unsubscribe_link_opened_shows_a_button_and_changes_nothing(told):
    reader = Client()
    page = reader.get(header_url(told))

    assert page.status_code == 200
    html = page.content.decode()
    assert "You get an email when someone replies to your comment on" in html
    assert '<button type="submit" class="btn">Unsubscribe</button>' in html
    assert Subscription.objects.exists()
    pressed = reader.post(header_url(told), HTTP_SEC_FETCH_SITE="same-origin")
    assert pressed.status_code == 200 and not Subscription.objects.exists()


def test_the_unsubscribe_page_can_stop_every_follow_up_email_to_the_address(
    told, client, committing, mailoutbox
):
    subscribe(client, make_article(headline="Roads"), committing, mailoutbox, scope="all")
    subscribe(Client(), make_article(), committing, mailoutbox, email=CARO)
    assert Subscription.objects.filter(email=ADA).count() == 2

    response = Client().post(
        header_url(told), {"everywhere": "yes"}, HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert response.status_code == 200
    assert "We will not email you about comments on any article any more." in (
        response.content.decode()
    )
    assert list(Subscription.objects.values_list("email", flat=True)) == [CARO]


def test_a_tampered_link_is_refused_with_a_clear_page(told):
    path = header_url(told)
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]

    response = Client().post(tampered)

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert "nothing was changed" in response.content.decode()
    assert Subscription.objects.exists()


def test_a_link_made_for_one_address_does_not_work_for_another(
    told, client, article, committing, mailoutbox
):
    subscribe(Client(), article, committing, mailoutbox, email=CARO)
    caro = Subscription.objects.get(email=CARO)
    ada_token = header_url(told).rstrip("/").rsplit("/", 1)[1]
    # Ada's signature on Caro's subscription number:
    forged = ada_token.replace(ada_token.split(":")[0], str(caro.pk), 1)

    response = Client().post(reverse("comments:subscription_unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert Subscription.objects.filter(email=CARO).exists()


def test_a_post_from_another_sites_page_changes_nothing(told):
    response = Client().post(header_url(told), HTTP_SEC_FETCH_SITE="cross-site")

    assert response.status_code == 403
    assert Subscription.objects.exists()


def test_pages_with_a_personal_link_are_never_cached_nor_indexed(client, article, committing, told):
    for path in [header_url(told)]:
        response = Client().get(path)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "Surrogate-Key" not in response


def test_the_confirmation_page_is_never_cached_nor_indexed(client, article, committing, mailoutbox):
    post(client, article, committing, email=ADA, notify="on")
    response = Client().get(link(mailoutbox[0].body, "press the button on the page:"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


# The privacy tool


def test_export_includes_the_addresses_subscriptions_and_erase_deletes_them(
    client, article, committing, mailoutbox, editor_client
):
    subscribe(client, article, committing, mailoutbox, scope="all")
    post(client, make_article(headline="Roads"), committing, email=ADA, notify="on")

    exported = editor_client.post(reverse("admin:comments_comment_privacy_export"), {"email": ADA})
    data = json.loads(exported.content)
    assert [
        (s["article"], s["emails_about"], bool(s["confirmed_at"]))
        for s in data["follow_up_subscriptions"]
    ] == [("Floods in the valley", "all", True), ("Roads", "replies", False)]

    looked_up = editor_client.post(reverse("admin:comments_comment_privacy"), {"email": ADA})
    assert "also has 2 follow-up email subscriptions" in looked_up.content.decode()
    asked = editor_client.post(reverse("admin:comments_comment_privacy_erase"), {"email": ADA})
    assert "its 2 follow-up email subscriptions are deleted." in asked.content.decode()
    erased = editor_client.post(
        reverse("admin:comments_comment_privacy_erase"),
        {"email": ADA, "confirm": "yes"},
        follow=True,
    )
    assert "2 follow-up email subscriptions deleted." in erased.content.decode()
    assert not Subscription.objects.exists()
