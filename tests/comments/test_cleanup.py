"""`manage.py cleanupcomments`, run daily: old spam and trash go, old IPs and browsers fade."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM
TRASH = Comment.Status.TRASH


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.NEWSROOM_PURGE_DAYS = 30
    settings.NEWSROOM_ANONYMISE_DAYS = 90


def cleanup(*args, verbosity: int = 1) -> str:
    out = StringIO()
    call_command("cleanupcomments", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def binned(article, status=SPAM, days: float = 31, **fields) -> Comment:
    """A comment that went to ``status`` ``days`` ago."""
    comment = make_comment(article, status=status, **fields)
    Comment.objects.filter(pk=comment.pk).update(status_changed_at=ago(days))
    return comment


def submitted(article, days: float, **fields) -> Comment:
    return make_comment(article, submitted_at=ago(days), **fields)


def exists(comment: Comment) -> bool:
    return Comment.objects.filter(pk=comment.pk).exists()


def fresh(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


# Purging spam and trash


def test_old_spam_and_trash_are_deleted(article):
    spam, trash = binned(article, SPAM), binned(article, TRASH)
    cleanup()
    assert not exists(spam) and not exists(trash)


def test_recent_spam_and_trash_are_kept(article):
    spam, trash = binned(article, SPAM, days=29), binned(article, TRASH, days=29)
    cleanup()
    assert exists(spam) and exists(trash)


def test_old_approved_and_pending_comments_are_kept(article):
    kept = [binned(article, APPROVED, days=400), binned(article, PENDING, days=400)]
    cleanup()
    assert all(map(exists, kept))


def test_age_counts_from_going_to_spam_not_from_being_written(article):
    """A comment written long ago and marked as spam yesterday gets its 30 days."""
    comment = binned(article, SPAM, days=1, submitted_at=ago(365))
    cleanup()
    assert exists(comment)


def test_replies_to_a_deleted_comment_move_up_to_its_parent(article):
    top = make_comment(article)
    spam = binned(article, SPAM, parent=top)
    reply = make_comment(article, parent=spam)
    cleanup()
    assert fresh(reply).parent_id == top.pk


def test_replies_to_a_deleted_top_level_comment_become_top_level(article):
    trash = binned(article, TRASH)
    reply = make_comment(article, parent=trash)
    cleanup()
    assert fresh(reply).parent_id is None


def test_replies_move_past_every_deleted_ancestor(article):
    top = make_comment(article)
    spam = binned(article, SPAM, parent=top)
    trash = binned(article, TRASH, parent=spam)
    reply = make_comment(article, parent=trash)
    sibling = make_comment(article, parent=spam)
    cleanup()
    assert not exists(spam) and not exists(trash)
    assert (fresh(reply).parent_id, fresh(sibling).parent_id) == (top.pk, top.pk)


def test_replies_keep_their_status_and_text_when_moved(article):
    spam = binned(article, SPAM)
    reply = fresh(make_comment(article, parent=spam, status=PENDING, text="Still here."))
    cleanup()
    moved = fresh(reply)
    assert (moved.status, moved.text, moved.content_hash) == (
        PENDING,
        "Still here.",
        reply.content_hash,
    )


def test_purge_days_0_never_deletes(settings, article):
    settings.NEWSROOM_PURGE_DAYS = 0
    spam = binned(article, SPAM, days=10_000)
    cleanup()
    assert exists(spam)


# Anonymising IP addresses and browsers


def test_old_comments_lose_their_full_ip_and_user_agent(article):
    v4 = submitted(article, 91, ip_address="192.0.2.77", user_agent="Firefox/140")
    v6 = submitted(article, 91, ip_address="2001:db8:1:2:3:4:5:6")
    cleanup()
    assert (fresh(v4).ip_address, fresh(v4).user_agent) == ("192.0.2.0", "")
    assert fresh(v6).ip_address == "2001:db8:1:2::"


def test_recent_comments_keep_their_ip_and_user_agent(article):
    comment = submitted(article, 89, ip_address="192.0.2.77", user_agent="Firefox/140")
    cleanup()
    assert (fresh(comment).ip_address, fresh(comment).user_agent) == ("192.0.2.77", "Firefox/140")


def test_anonymising_changes_nothing_else(article):
    comment = fresh(submitted(article, 91, status=PENDING))
    cleanup()
    after = fresh(comment)
    for field in ("author_name", "author_email", "author_url", "text", "status", "content_hash"):
        assert getattr(after, field) == getattr(comment, field)
    assert (after.submitted_at, after.status_changed_at) == (
        comment.submitted_at,
        comment.status_changed_at,
    )


@pytest.mark.parametrize(
    ("ip", "user_agent", "expected_ip"),
    [
        (None, "Firefox/140", None),
        ("192.0.2.0", "Firefox/140", "192.0.2.0"),
        ("198.51.100.9", "", "198.51.100.0"),
        ("2001:db8:0:0:1::", "", "2001:db8::"),  # ends in "::" yet its last half is not zero
        ("::ffff:192.0.2.77", "", "::ffff:192.0.2.0"),
    ],
)
def test_whatever_is_left_of_ip_and_user_agent_is_anonymised(article, ip, user_agent, expected_ip):
    comment = submitted(article, 91, ip_address=ip, user_agent=user_agent)
    cleanup()
    assert (fresh(comment).ip_address, fresh(comment).user_agent) == (expected_ip, "")


def test_second_run_finds_nothing_to_do(article):
    binned(article, SPAM)
    submitted(article, 91)
    submitted(article, 91, ip_address="2001:db8:1:2:3:4:5:6")
    assert cleanup() != ""
    snapshot = list(Comment.objects.values())
    assert cleanup() == ""
    assert list(Comment.objects.values()) == snapshot


def test_anonymise_days_0_never_anonymises(settings, article):
    settings.NEWSROOM_ANONYMISE_DAYS = 0
    comment = submitted(article, 10_000)
    cleanup()
    assert (fresh(comment).ip_address, fresh(comment).user_agent) == ("192.0.2.10", "pytest")


def test_many_comments_take_a_few_queries_not_one_each(article, django_assert_max_num_queries):
    top = make_comment(article)
    for _ in range(40):
        spam = binned(article, SPAM, parent=top)
        make_comment(article, parent=spam, submitted_at=ago(91))
        submitted(article, 91)
    # One query per comment would be over 100. (21: the reports of deleted comments go with
    # them, and their follow-up email records (one DELETE each); closed reports are
    # deleted, old ones forget their address, unconfirmed subscriptions are forgotten.)
    with django_assert_max_num_queries(21):
        cleanup()
    assert Comment.objects.count() == 81
    assert not Comment.objects.exclude(user_agent="").filter(submitted_at__lt=ago(90)).exists()


# Trying it out and reading what it did


def test_dry_run_changes_nothing_and_says_what_it_would_do(article):
    spam = binned(article, SPAM)
    reply = make_comment(article, parent=spam)
    old = submitted(article, 91)
    snapshot = list(Comment.objects.values())
    out = cleanup("--dry-run")
    assert list(Comment.objects.values()) == snapshot
    assert f"Would delete comment {spam.pk} (spam since " in out
    assert f"Would delete comment {reply.pk}" not in out
    assert out.splitlines()[-1] == (
        "Would delete 1 comment from spam and trash and anonymise the IP address and user "
        "agent of 1 comment. Nothing was changed."
    )
    assert exists(spam) and fresh(old).ip_address == "192.0.2.10"


def test_dry_run_does_not_count_comments_it_would_delete_as_to_anonymise(article):
    binned(article, TRASH, submitted_at=ago(91))
    out = cleanup("--dry-run")
    assert "Would delete 1 comment from spam and trash and anonymise" in out
    assert "user agent of 0 comments." in out


def test_run_says_in_one_line_what_it_did(article):
    top = make_comment(article)
    spam = binned(article, SPAM, parent=top)
    make_comment(article, parent=spam)
    binned(article, TRASH)
    submitted(article, 91)
    assert cleanup() == (
        "Deleted 2 comments from spam and trash (1 reply moved up); anonymised the IP "
        "address and user agent of 1 comment.\n"
    )


def test_run_with_nothing_to_do_is_silent(article):
    binned(article, SPAM, days=1)
    assert cleanup() == ""


def test_verbosity_0_is_silent_even_when_it_did_something(article):
    spam = binned(article, SPAM)
    assert cleanup(verbosity=0) == ""
    assert not exists(spam)


def test_verbosity_2_lists_each_deleted_comment_and_says_when_nothing_was_done(settings, article):
    spam = binned(article, SPAM)
    out = cleanup(verbosity=2)
    assert f"Deleting comment {spam.pk} (spam since " in out
    assert out.splitlines()[-1] == "Deleted 1 comment from spam and trash."
    assert cleanup(verbosity=2) == "Nothing to delete or anonymise.\n"
    settings.NEWSROOM_PURGE_DAYS = settings.NEWSROOM_ANONYMISE_DAYS = 0
    assert cleanup(verbosity=2).splitlines()[:2] == [
        "Purging spam and trash is off (NEWSROOM_PURGE_DAYS = 0).",
        "Anonymising IPs is off (NEWSROOM_ANONYMISE_DAYS = 0).",
    ]


def test_negative_days_are_refused_before_anything_is_deleted(settings, article):
    settings.NEWSROOM_PURGE_DAYS = -1
    spam = binned(article, SPAM, days=1)
    with pytest.raises(CommandError, match="NEWSROOM_PURGE_DAYS is -1"):
        cleanup()
    assert exists(spam)
