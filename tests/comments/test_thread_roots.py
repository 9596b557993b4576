"""One rule for which comments start a thread, however it is read.

The rule is ``Shown``'s general query: a shown comment whose parent is not shown. For a
reader without comments of their own the page reads the roots from ``parent_approved``
instead; whatever happens to a conversation, both must give the same counts and pages.
"""

import importlib
import random
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from comments import privacy, services
from comments.conversation import Shown
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

STATUSES = [Comment.Status.APPROVED] * 5 + [
    Comment.Status.PENDING,
    Comment.Status.SPAM,
    Comment.Status.TRASH,
]
PER_PAGE = 4


def assert_both_readings_agree(article) -> None:
    quick, general = Shown(article, []), Shown(article, [], quick=False)
    counts = quick.counts()
    assert counts == general.counts()
    for start in range(0, counts.threads, PER_PAGE):
        stop = min(start + PER_PAGE, counts.threads)
        page = [c.pk for c in quick.threads(start, stop, counts.threads)]
        assert page == [c.pk for c in general.threads(start, stop, counts.threads)]
        assert page  # every page holds at least its threads' roots
    roots = general.threads(0, counts.threads, counts.threads)
    for root in roots:
        assert quick.threads_before(root.pk) == general.threads_before(root.pk)


def assert_flags_match_parents(article) -> None:
    for comment in article.comments.select_related("parent"):
        expected = comment.parent is not None and comment.parent.is_approved
        assert comment.parent_approved is expected, comment


def add_comments(rng: random.Random, article, n: int) -> None:
    start = timezone.now() - timedelta(days=3)
    for i in range(n):
        existing = list(article.comments.all())
        parent = rng.choice(existing) if existing and rng.random() < 0.6 else None
        factories.make_comment(
            article,
            parent=parent,
            status=rng.choice(STATUSES),
            # Some at the same moment: ties are broken by id, the same way in both.
            submitted_at=start + timedelta(minutes=i // 2),
        )


@pytest.mark.parametrize("seed", range(6))
def test_threads_read_by_flag_are_the_threads_of_the_general_rule(article, seed):
    rng = random.Random(seed)
    add_comments(rng, article, 40)
    assert_both_readings_agree(article)

    for _ in range(6):  # moderation back and forth, as actions and editors' edits do
        comments = list(article.comments.all())
        services.change_status(rng.sample(comments, 8), rng.choice(STATUSES))
        services.restore(comments, Comment.Status.TRASH)
        edited = rng.choice(list(article.comments.all()))
        edited.text += " (edited)"
        services.edit_comment(edited, status=rng.choice(STATUSES))
        assert_flags_match_parents(article)
        assert_both_readings_agree(article)

    # The daily clean-up deletes spam and trash; their replies move up to a survivor.
    privacy.delete_keeping_threads(privacy.purgeable(timezone.now()))
    add_comments(rng, article, 10)
    assert_flags_match_parents(article)
    assert_both_readings_agree(article)


def test_a_reply_moved_up_by_the_clean_up_is_a_thread_or_a_reply_as_its_new_parent_is(article):
    approved = factories.make_comment(article)
    held = factories.make_comment(article, status=Comment.Status.PENDING)
    trashed_under_approved = factories.make_comment(article, parent=approved, status="trash")
    trashed_under_held = factories.make_comment(article, parent=held, status="trash")
    under_approved = factories.make_comment(article, parent=trashed_under_approved)
    under_held = factories.make_comment(article, parent=trashed_under_held)
    assert not under_approved.parent_approved and not under_held.parent_approved

    privacy.delete_keeping_threads(Comment.objects.filter(status="trash"))

    under_approved.refresh_from_db()
    under_held.refresh_from_db()
    assert (under_approved.parent, under_approved.parent_approved) == (approved, True)
    assert (under_held.parent, under_held.parent_approved) == (held, False)
    assert_both_readings_agree(article)


def test_a_reply_whose_parent_is_deleted_otherwise_is_a_thread_again(article):
    parent = factories.make_comment(article)
    reply = factories.make_comment(article, parent=parent)
    assert reply.parent_approved

    parent.delete()  # as the admin's delete does: the foreign key's SET_NULL

    reply.refresh_from_db()
    assert (reply.parent, reply.parent_approved) == (None, False)
    assert_both_readings_agree(article)


def test_a_status_saved_alone_updates_the_replies_under_it(article):
    parent = factories.make_comment(article, status=Comment.Status.PENDING)
    replies = [factories.make_comment(article, parent=parent) for _ in range(3)]
    assert not any(reply.parent_approved for reply in replies)

    services.change_status([parent], Comment.Status.APPROVED)
    assert set(parent.replies.values_list("parent_approved", flat=True)) == {True}

    services.change_status([parent], Comment.Status.SPAM)
    assert set(parent.replies.values_list("parent_approved", flat=True)) == {False}
    assert_both_readings_agree(article)


def test_the_migration_sets_the_flag_of_every_existing_comment(article):
    migration = importlib.import_module("comments.migrations.0010_parent_approved_and_roots_index")
    top = factories.make_comment(article)
    held = factories.make_comment(article, status=Comment.Status.PENDING)
    factories.make_comment(article, parent=top)
    factories.make_comment(article, parent=held)
    Comment.objects.update(parent_approved=False)

    migration.set_parent_approved(apps, schema_editor=None)

    assert_flags_match_parents(article)
