"""Readers report comments: the Report link, the report page, one report per reader, the
limits, and the threshold that holds a reported comment until an editor decides."""

import re
import threading
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import reports
from comments.forms import REPORT_TIMESTAMP_SALT, form_timestamp
from comments.models import REPORT_NOTE_MAX_LENGTH, Comment, DiscussionSettings, Report
from tests.admin_pages import CHANGELIST, edit, filter_link, listed, run_action
from tests.factories import comment_data, make_article, make_comment, make_user
from tests.test_purges import purged  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH
THANKS = "Thank you. An editor will look at it."
ALREADY = "We had received your report of this comment already"


def reader(n: int) -> Client:
    """A reader of their own, at an address of their own (no session, as a first visit)."""
    return Client(REMOTE_ADDR=f"198.51.100.{n}")


def report_url(comment: Comment) -> str:
    return reverse("comments:report", args=[comment.pk])


def report_data(comment: Comment, **fields) -> dict:
    """What a reader sends from the comment's report page, with its hidden timestamp."""
    return {
        "reason": Report.Reason.ABUSE,
        "note": "",
        "honeypot": "",
        "timestamp": form_timestamp(comment.pk, REPORT_TIMESTAMP_SALT),
        **fields,
    }


def send_report(client: Client, comment: Comment, **fields):
    return client.post(report_url(comment), report_data(comment, **fields))


def report_links(html: str) -> set[str]:
    return {
        unescape(href) for href in re.findall(r'class="comment-report-link" href="([^"]+)"', html)
    }


def page_text(client: Client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def open_reports(comment: Comment) -> int:
    return Report.objects.open().filter(comment=comment).count()


def status(comment: Comment) -> str:
    return Comment.objects.get(pk=comment.pk).status


# The Report link and the report page


def test_each_approved_comment_has_a_report_link_but_a_readers_own_pending_one_has_none(
    client, article
):
    approved = make_comment(article, text="Published words.")
    make_comment(article, status=PENDING, text="Someone else's held words.")
    client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        comment_data(article, comment="My words, awaiting moderation."),
    )
    mine = Comment.objects.get(text="My words, awaiting moderation.")

    html = page_text(client, article)

    assert "My words, awaiting moderation." in html  # shown to its poster...
    assert report_links(html) == {report_url(approved)}  # ...without a Report link
    assert report_url(mine) not in html


def test_a_reader_follows_the_report_link_and_sees_the_comment_quoted_with_the_reasons(article):
    comment = make_comment(article, author_name="Bea", text="Something rude.")
    link = report_links(page_text(reader(1), article)).pop()

    html = reader(1).get(link).content.decode()

    assert "Report a comment" in html
    assert "Something rude." in html and "Bea" in html and article.headline in html
    for label in ["Spam", "Abuse or harassment", "Off-topic", "Other"]:
        assert f">{label}</label>" in html
    assert f'href="{comment.get_absolute_url()}"' in html


def test_the_report_page_is_the_same_for_everyone_and_cached_with_its_article(article):
    comment = make_comment(article)

    response = reader(1).get(report_url(comment))

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert set(article.cache_keys) <= set(response["Surrogate-Key"].split())
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    "hidden",
    [
        pytest.param({"status": PENDING}, id="pending"),
        pytest.param({"status": SPAM}, id="spam"),
        pytest.param({"status": TRASH}, id="trash"),
        pytest.param({"article": "draft"}, id="on a draft"),
    ],
)
def test_a_comment_readers_cannot_see_cannot_be_reported(hidden):
    article = make_article(status="draft") if hidden.get("article") else make_article()
    comment = make_comment(article, status=hidden.get("status", APPROVED))

    assert reader(1).get(report_url(comment)).status_code == 404
    assert send_report(reader(1), comment).status_code == 404
    assert not Report.objects.exists()


def test_a_missing_comment_is_not_found():
    assert reader(1).get(reverse("comments:report", args=[987654])).status_code == 404


# Sending a report


def test_a_reader_reports_a_comment_and_is_thanked_privately(article):
    comment = make_comment(article)

    response = send_report(reader(1), comment, reason="off_topic", note="About football.")

    assert response.status_code == 200
    html = response.content.decode()
    assert THANKS in html
    assert f'href="{comment.get_absolute_url()}"' in html  # back to the comment
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    report = Report.objects.get()
    assert (report.comment, report.reason, report.note) == (comment, "off_topic", "About football.")
    assert report.ip_address == "198.51.100.1"
    assert status(comment) == APPROVED  # one report holds nothing


def test_a_report_keeps_no_email_address(article):
    comment = make_comment(article)
    user = make_user("signed-in", email="reader@example.org")
    client = reader(1)
    client.force_login(user)

    send_report(client, comment)

    assert not any(isinstance(f, models.EmailField) for f in Report._meta.get_fields())
    assert "reader@example.org" not in str(list(Report.objects.values()))


def test_the_same_reader_reporting_again_is_told_kindly_and_nothing_more_is_stored(article):
    comment = make_comment(article)
    assert THANKS in send_report(reader(1), comment).content.decode()

    again = send_report(reader(1), comment, reason="spam")

    assert again.status_code == 200
    assert ALREADY in again.content.decode()
    assert [r.reason for r in Report.objects.all()] == ["abuse"]


def test_a_signed_in_reader_is_one_reader_from_any_address(article):
    comment = make_comment(article)
    user = make_user("commuter")
    at_home, on_the_train = reader(1), reader(2)
    at_home.force_login(user)
    on_the_train.force_login(user)

    send_report(at_home, comment)
    second = send_report(on_the_train, comment)

    assert ALREADY in second.content.decode()
    assert Report.objects.count() == 1


def test_one_ipv6_network_is_one_reader_as_the_comment_limits_count_it(article):
    comment = make_comment(article)
    send_report(Client(REMOTE_ADDR="2001:db8:1:2::10"), comment)

    same_line = send_report(Client(REMOTE_ADDR="2001:db8:1:2:ffff::1"), comment)
    other_line = send_report(Client(REMOTE_ADDR="2001:db8:1:3::10"), comment)

    assert ALREADY in same_line.content.decode()
    assert THANKS in other_line.content.decode()
    assert Report.objects.count() == 2


def test_a_report_sent_twice_at_once_is_stored_once(article, discussion, rf):
    comment = make_comment(article)
    request = rf.post(report_url(comment), REMOTE_ADDR="198.51.100.7")
    request.user = AnonymousUser()
    report = {"comment": comment, "reader": reports.Reader.of(request), "discussion": discussion}

    reports.report_comment(**report, reason="spam", note="")
    # The second arrives after the view's check found none: the database refuses it.
    with pytest.raises(reports.AlreadyReported):
        reports.report_comment(**report, reason="abuse", note="")

    assert [r.reason for r in Report.objects.all()] == ["spam"]


# Bad input: the form again, nothing lost, nothing stored


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param({"reason": ""}, "Please choose what is wrong with this comment.", id="none"),
        pytest.param(
            {"reason": "boring"}, "Please choose one of the reasons listed.", id="unknown"
        ),
        pytest.param(
            {"reason": "other", "note": "  "},
            "Please say in a few words what is wrong with this comment.",
            id="other without a note",
        ),
        pytest.param(
            {"note": "x" * (REPORT_NOTE_MAX_LENGTH + 1)},
            "Ensure this value has at most 1000 characters",
            id="note too long",
        ),
    ],
)
def test_a_report_with_a_mistake_comes_back_with_the_error_and_the_note_kept(
    article, fields, error
):
    comment = make_comment(article)
    fields = {"note": "It insults <b>me</b> & my family.", **fields}

    response = send_report(reader(1), comment, **fields)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your report was not sent" in html
    assert error in html
    if fields["note"].strip():
        assert unescape(fields["note"]) in unescape(html)  # kept, escaped, never run
    assert "<b>me</b>" not in html
    assert "no-store" in response["Cache-Control"]
    assert not Report.objects.exists()


def test_other_with_a_note_is_taken(article):
    comment = make_comment(article)
    response = send_report(reader(1), comment, reason="other", note="It gives my address.")
    assert THANKS in response.content.decode()
    assert Report.objects.get().note == "It gives my address."


def test_other_without_a_note_is_an_error_of_the_note_field(article):
    comment = make_comment(article)

    response = send_report(reader(1), comment, reason=Report.Reason.OTHER, note="")

    # Beside the box to type it in (and linked to it for screen readers), not above the form.
    (error,) = response.context["form"].errors.as_data()["note"]
    assert error.code == "note_required"
    assert not response.context["form"].non_field_errors()


def test_the_report_form_as_shown_and_as_shown_again_can_be_sent(article, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    comment = make_comment(article)

    def shown_timestamp(html: str) -> str:
        return re.search(r'name="timestamp" value="([^"]+)"', html)[1]

    first = reader(1)
    shown = shown_timestamp(first.get(report_url(comment)).content.decode())
    sent_first = first.post(report_url(comment), report_data(comment, timestamp=shown))
    second = reader(2)
    shown = shown_timestamp(second.get(report_url(comment)).content.decode())
    refused = second.post(
        report_url(comment), report_data(comment, reason="other", note="", timestamp=shown)
    )
    again = shown_timestamp(refused.content.decode())
    sent_again = second.post(
        report_url(comment),
        report_data(comment, reason="other", note="Spam link.", timestamp=again),
    )

    assert THANKS in sent_first.content.decode()
    assert refused.status_code == 400
    assert THANKS in sent_again.content.decode()
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param(
            {"honeypot": "http://spam.example"}, "a field meant to stay empty", id="honeypot"
        ),
        pytest.param({"timestamp": "forged"}, "damaged or altered", id="forged timestamp"),
    ],
)
def test_a_report_that_looks_automatic_is_refused(article, fields, error):
    comment = make_comment(article)
    response = send_report(reader(1), comment, **fields)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_form_from_another_comments_page_is_refused(article):
    comment, other = make_comment(article), make_comment(article)
    stolen = form_timestamp(other.pk, REPORT_TIMESTAMP_SALT)
    response = send_report(reader(1), comment, timestamp=stolen)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_report_sent_faster_than_a_person_can_is_refused(article, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 3
    comment = make_comment(article)
    response = send_report(reader(1), comment)
    assert response.status_code == 400
    assert "quicker than anyone can choose" in response.content.decode()


def test_a_report_posted_from_another_sites_page_is_refused_and_the_note_kept(article):
    comment = make_comment(article)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.1")

    response = client.post(
        report_url(comment),
        report_data(comment, note="Kept for you."),
        HTTP_SEC_FETCH_SITE="cross-site",
    )

    assert response.status_code == 403
    assert "it came from a page on another site" in response.content.decode()
    assert "Kept for you." in response.content.decode()
    assert not Report.objects.exists()


def test_a_report_from_the_sites_own_page_needs_no_csrf_token(article):
    comment = make_comment(article)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.1")
    response = client.post(
        report_url(comment), report_data(comment), HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert THANKS in response.content.decode()


# Limits, as for posting comments


def test_a_reader_reporting_too_quickly_waits_and_is_told_how_long_in_words(article, settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
    first, second = make_comment(article), make_comment(article)
    assert THANKS in send_report(reader(1), first).content.decode()

    response = send_report(reader(1), second, note="Also this one.")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 16
    html = response.content.decode()
    assert "You are sending reports too quickly" in html
    assert re.search(r"send it again in \d+ seconds?\.", html)
    assert "Also this one." in html
    assert Report.objects.count() == 1
    assert THANKS in send_report(reader(2), second).content.decode()  # others are not held


def test_the_hourly_limit_holds_reports_back_until_the_hour_ends(article, settings, clock):
    # The limits' clock at the start of an hour: the wall clock's could end it mid-test.
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 2
    comments = [make_comment(article) for _ in range(3)]
    for comment in comments[:2]:
        assert THANKS in send_report(reader(1), comment).content.decode()

    response = send_report(reader(1), comments[2])

    assert response.status_code == 429
    assert re.search(r"send it again in about (\d+ minutes?|an hour)\.", response.content.decode())
    assert Report.objects.count() == 2


def test_reports_and_comments_are_counted_apart(article, settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 60
    comment = make_comment(article)
    client = reader(1)
    posted = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}), comment_data(article)
    )
    assert posted.status_code == 302

    assert THANKS in send_report(client, comment).content.decode()


def test_a_reader_held_back_by_the_limit_is_still_told_their_report_arrived(article, settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 60
    comment, other = make_comment(article), make_comment(article)
    client = reader(1)
    assert THANKS in send_report(client, comment).content.decode()

    again = send_report(client, comment)

    assert again.status_code == 200  # not "too quickly": nothing new was asked
    assert ALREADY in again.content.decode()
    assert send_report(reader(2), comment).status_code == 200  # another reader's counts
    assert send_report(client, other).status_code == 429
    assert Report.objects.count() == 2


def test_moderators_are_not_limited(article, settings, editor):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1
    client = reader(1)
    client.force_login(editor)
    for comment in [make_comment(article) for _ in range(3)]:
        assert THANKS in send_report(client, comment).content.decode()


# The threshold: enough readers hold a comment until an editor decides


def test_three_readers_hold_a_comment_it_leaves_the_cached_page_and_the_editors_are_told(
    article,
    purged,  # noqa: F811 (the fixture, from tests/test_purges.py)
    mailoutbox,
    settings,
):
    settings.NEWSROOM_MODERATOR_EMAILS = ["desk@example.org"]
    comment = make_comment(article, text="Words three readers object to.")
    assert "Words three readers object to." in page_text(reader(9), article)

    with purged.committing():
        send_report(reader(1), comment)
        send_report(reader(2), comment, reason="spam")
    assert status(comment) == APPROVED
    assert purged.requests == []  # nothing readers see has changed yet

    with purged.committing():
        send_report(reader(3), comment, reason="other", note="Doxxing.")

    assert status(comment) == PENDING
    assert purged.keys() == {f"article-{article.pk}"}
    html = page_text(reader(9), article)
    assert "Words three readers object to." not in html
    assert reader(9).get(report_url(comment)).status_code == 404
    [email] = mailoutbox
    assert email.to == ["desk@example.org"]
    assert "reported by readers 3 times" in email.body
    assert "Words three readers object to." in email.body


def test_with_the_threshold_at_0_reports_never_hold_a_comment(article, discussion):
    discussion.report_threshold = 0
    discussion.save()
    comment = make_comment(article)

    for n in range(1, 6):
        send_report(reader(n), comment)

    assert status(comment) == APPROVED
    assert open_reports(comment) == 5


def test_the_threshold_is_the_editors_to_set(article, discussion):
    discussion.report_threshold = 1
    discussion.save()
    comment = make_comment(article)
    send_report(reader(1), comment)
    assert status(comment) == PENDING


def test_an_editors_own_comment_can_be_reported_but_is_never_held(article, editor):
    comment = make_comment(article, user=editor, author_name="The Editor")
    for n in range(1, 5):
        assert THANKS in send_report(reader(n), comment).content.decode()
    assert status(comment) == APPROVED
    assert open_reports(comment) == 4


def test_a_comment_approved_after_reports_needs_fresh_reports_to_be_held_again(
    article, editor_client
):
    comment = make_comment(article)
    for n in (1, 2, 3):
        send_report(reader(n), comment)
    assert status(comment) == PENDING

    run_action(editor_client, "mark_approved", comment)

    assert status(comment) == APPROVED
    assert open_reports(comment) == 0
    assert ALREADY in send_report(reader(1), comment).content.decode()  # still once each
    send_report(reader(4), comment)
    send_report(reader(5), comment)
    assert status(comment) == APPROVED  # two fresh reports: below the threshold
    send_report(reader(6), comment)
    assert status(comment) == PENDING


def test_approving_an_approved_reported_comment_dismisses_its_reports(article, editor_client):
    comment = make_comment(article)
    send_report(reader(1), comment)

    run_action(editor_client, "mark_approved", comment)

    assert open_reports(comment) == 0
    assert Report.objects.get().resolved_at is not None


@pytest.mark.parametrize("action", ["mark_spam", "mark_trash"])
def test_spamming_or_trashing_a_reported_comment_resolves_its_reports(
    article, editor_client, action
):
    comment = make_comment(article)
    send_report(reader(1), comment)
    run_action(editor_client, action, comment)
    assert open_reports(comment) == 0


def test_unapproving_keeps_the_reports_open_for_the_decision(article, editor_client):
    comment = make_comment(article)
    send_report(reader(1), comment)
    run_action(editor_client, "mark_pending", comment)
    assert open_reports(comment) == 1


# In the admin


def test_the_queue_shows_reported_comments_with_their_count_and_a_filter(editor_client, article):
    twice = make_comment(article, text="Reported twice.")
    once = make_comment(article, text="Reported once.")
    make_comment(article, text="Never reported.")
    dismissed = make_comment(article, text="Reported, then approved again.")
    for n, comment in [(1, twice), (2, twice), (1, once), (1, dismissed)]:
        send_report(reader(n), comment, reason="spam" if n == 1 else "abuse")
    run_action(editor_client, "mark_approved", dismissed)

    html = editor_client.get(CHANGELIST).content.decode()

    assert '<a href="?reported=open">Reported (2)</a>' in html
    response = editor_client.get(
        filter_link(CHANGELIST, html, "reports from readers", "Reported (2)")
    )
    assert listed(response) == {twice, once}
    page = response.content.decode()
    assert "<strong>Reported (2)</strong>" in page
    assert "<strong>All" not in page
    assert "Spam, Abuse or harassment" in page or "Abuse or harassment, Spam" in page
    assert listed(editor_client.get(CHANGELIST, {"reported": "open", "status": PENDING})) == set()


def test_nothing_reported_adds_nothing_above_the_queue(editor_client, article):
    make_comment(article)
    assert (
        "Reported ("
        not in editor_client.get(CHANGELIST)
        .content.decode()
        .split('class="comment-status-views"')[1]
        .split("</p>")[0]
    )


def test_the_reported_view_costs_the_same_queries_for_many_rows_as_for_few(
    editor_client, article, django_assert_max_num_queries
):
    def reported_comments(n: int) -> None:
        for _ in range(n):
            comment = make_comment(article)
            Report.objects.create(comment=comment, reason="spam", reporter=f"r{comment.pk}")
            Report.objects.create(comment=comment, reason="abuse", reporter=f"s{comment.pk}")

    reported_comments(2)
    editor_client.get(CHANGELIST, {"reported": "open"})  # warm caches
    with django_assert_max_num_queries(14) as few:
        assert len(listed(editor_client.get(CHANGELIST, {"reported": "open"}))) == 2
    reported_comments(20)
    with django_assert_max_num_queries(14) as many:
        assert len(listed(editor_client.get(CHANGELIST, {"reported": "open"}))) == 22
    assert len(many) == len(few)


def test_a_comments_page_lists_its_reports_and_only_superusers_see_who(
    client, editor_client, article
):
    comment = make_comment(article)
    send_report(reader(1), comment, reason="other", note="Names my <i>neighbour</i>.")
    change = reverse("admin:comments_comment_change", args=[comment.pk])

    html = editor_client.get(change).content.decode()
    assert "Reports from readers" in html or "reports from readers" in html.lower()
    assert "Other" in html and "Names my &lt;i&gt;neighbour&lt;/i&gt;." in html
    assert "198.51.100.1" not in html

    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert "198.51.100.1" in client.get(change).content.decode()


def test_a_signed_in_readers_report_is_theirs_by_account(client, article):
    comment = make_comment(article)
    account = make_user("ada.reader")
    signed_in = reader(1)
    signed_in.force_login(account)
    assert THANKS in send_report(signed_in, comment).content.decode()
    elsewhere = reader(2)
    elsewhere.force_login(account)  # the same account from another address
    assert ALREADY in send_report(elsewhere, comment).content.decode()

    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "<td>ada.reader</td>" in page.content.decode()
    assert Report.objects.get().user == account


def test_an_editor_still_saves_a_reported_comments_page(editor_client, article):
    comment = make_comment(article)
    send_report(reader(1), comment)
    response = edit(editor_client, comment, text="Edited by the desk.")
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).text == "Edited by the desk."


def test_the_threshold_is_in_the_discussion_settings_page(editor_client, discussion):
    url = reverse("admin:comments_discussionsettings_change", args=[discussion.pk])
    html = editor_client.get(url).content.decode()
    assert "Reports from readers" in html
    assert 'name="report_threshold" value="3"' in html


# Privacy: how long reports are kept


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_cleanup_deletes_resolved_reports_after_the_purge_days_and_forgets_old_addresses(
    article, settings
):
    settings.NEWSROOM_PURGE_DAYS, settings.NEWSROOM_ANONYMISE_DAYS = 30, 90
    comment = make_comment(article)

    def report(key: str, **fields) -> Report:
        return Report.objects.create(
            comment=comment, reason="spam", reporter=key, ip_address="198.51.100.1", **fields
        )

    long_resolved = report("a", reported_at=ago(40), resolved_at=ago(31))
    recently_resolved = report("b", reported_at=ago(40), resolved_at=ago(29))
    old_open = report("c", reported_at=ago(91))
    fresh_open = report("d")

    call_command("cleanupcomments", verbosity=0)

    assert not Report.objects.filter(pk=long_resolved.pk).exists()
    assert Report.objects.get(pk=recently_resolved.pk).ip_address == "198.51.100.1"
    assert Report.objects.get(pk=old_open.pk).ip_address is None
    assert Report.objects.get(pk=fresh_open.pk).ip_address == "198.51.100.1"


def test_the_cleanups_dry_run_says_what_it_would_do_to_reports_and_does_nothing(article, settings):
    settings.NEWSROOM_PURGE_DAYS, settings.NEWSROOM_ANONYMISE_DAYS = 30, 90
    comment = make_comment(article)

    def report(key: str, ip="198.51.100.1", **fields) -> Report:
        return Report.objects.create(
            comment=comment, reason="spam", reporter=key, ip_address=ip, **fields
        )

    report("gone", reported_at=ago(100), resolved_at=ago(31))  # deleted: not also forgotten
    report("kept", reported_at=ago(100), resolved_at=ago(29))  # kept, its address forgotten
    report("open", reported_at=ago(91))  # open and old: its address forgotten
    report("forgotten", ip=None, reported_at=ago(120))  # nothing left to forget
    report("new")

    def cleanup(*args) -> str:
        out = StringIO()
        call_command("cleanupcomments", *args, stdout=out)
        return out.getvalue()

    assert (
        "Would delete 1 report editors acted on and forget the address of 2 reports. "
        "Nothing was changed."
    ) in cleanup("--dry-run")
    assert Report.objects.count() == 5
    assert Report.objects.filter(ip_address__isnull=False).count() == 4

    assert "Deleted 1 report editors acted on and forgot the address of 2 reports." in cleanup()
    assert sorted(Report.objects.values_list("reporter", flat=True)) == [
        "forgotten",
        "kept",
        "new",
        "open",
    ]
    assert list(Report.objects.exclude(ip_address=None).values_list("reporter", flat=True)) == [
        "new"
    ]


def test_with_purging_off_resolved_reports_stay_and_only_addresses_are_forgotten(article, settings):
    settings.NEWSROOM_PURGE_DAYS, settings.NEWSROOM_ANONYMISE_DAYS = 0, 90
    comment = make_comment(article)
    Report.objects.create(
        comment=comment,
        reason="spam",
        reporter="a",
        ip_address="198.51.100.1",
        reported_at=ago(100),
        resolved_at=ago(99),
    )
    out = StringIO()
    call_command("cleanupcomments", stdout=out)
    assert (
        "Deleted 0 reports editors acted on and forgot the address of 1 report." in out.getvalue()
    )
    assert Report.objects.get().ip_address is None


def test_the_reports_of_a_deleted_comment_go_with_it(article):
    comment = make_comment(article, status=SPAM, status_changed_at=ago(31))
    Report.objects.create(comment=comment, reason="spam", reporter="a")
    call_command("cleanupcomments", verbosity=0)
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert not Report.objects.exists()


# Transactional tests here reload the migrated rows (the Editors group) like the others do;
# see tests/browser/conftest.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reports_that_reach_the_threshold_at_the_same_moment_hold_the_comment():
    discussion = DiscussionSettings.load()
    discussion.report_threshold = 2
    discussion.save()
    comment = make_comment(make_article())
    start = threading.Barrier(2)
    answers = []

    def report(n: int) -> None:
        client = reader(n)
        start.wait()
        answers.append(send_report(client, comment).status_code)
        connection.close()

    threads = [threading.Thread(target=report, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers == [200, 200]
    assert Report.objects.count() == 2
    assert status(comment) == PENDING


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_report_sent_twice_at_the_same_moment_is_stored_once():
    comment = make_comment(make_article())
    start = threading.Barrier(2)
    pages = []

    def report() -> None:
        client = reader(1)
        start.wait()
        pages.append(send_report(client, comment).content.decode())
        connection.close()

    threads = [threading.Thread(target=report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(THANKS in page for page in pages) == [False, True]
    assert sum(ALREADY in page for page in pages) == 1
    assert Report.objects.count() == 1
