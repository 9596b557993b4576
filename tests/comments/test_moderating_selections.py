"""An editor moderates several comments at once: each one selected gets its step, whatever
the others are, and nothing else about a comment changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from tests.admin_pages import messages, run_action, said_again, statuses
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
TRASH = Comment.Status.TRASH


def posted(article, hours_ago: int, **fields) -> Comment:
    return make_comment(article, submitted_at=timezone.now() - timedelta(hours=hours_ago), **fields)


def test_approving_a_selection_whose_newest_comment_is_approved_already_approves_the_rest(
    editor_client, article
):
    # The queue lists the newest first: the approved one is met before the others.
    older, old = posted(article, 3, status=PENDING), posted(article, 2, status=PENDING)
    newest = posted(article, 1, status=APPROVED)

    response = run_action(editor_client, "mark_approved", older, old, newest)

    assert statuses(older, old, newest) == [APPROVED, APPROVED, APPROVED]
    assert messages(response) == ["2 comments approved."]


def test_approving_from_the_trash_skips_a_repeat_and_approves_the_others(editor_client, article):
    older = posted(article, 3, status=TRASH, previous_status=PENDING)
    repeated = posted(article, 2, status=TRASH, previous_status=PENDING)
    said_again(repeated)

    response = run_action(editor_client, "mark_approved", older, repeated)

    assert statuses(older, repeated) == [APPROVED, TRASH]
    assert messages(response)[0] == "1 comment approved."
    assert messages(response)[1].startswith("1 comment stayed in the trash")


def test_restoring_two_repeats_says_both_stayed_in_the_trash(editor_client, article):
    first = posted(article, 3, status=TRASH, previous_status=APPROVED)
    second = posted(article, 2, status=TRASH, previous_status=APPROVED)
    said_again(first), said_again(second)

    response = run_action(editor_client, "restore", first, second)

    assert statuses(first, second) == [TRASH, TRASH]
    assert messages(response)[0] == "0 comments restored from the trash."
    assert messages(response)[1].startswith("2 comments stayed in the trash")


def test_the_moderation_step_names_the_comments_it_left_in_the_trash(article):
    kept_back = posted(article, 2, status=TRASH, previous_status=PENDING)
    said_again(kept_back)

    changes = services.change_status([kept_back], APPROVED)

    assert changes.duplicates == [kept_back]
    assert changes.changed == []


def test_moderating_a_comment_keeps_a_correction_made_since_the_queue_was_opened(
    editor_client, article
):
    # One editor opens the queue; another corrects the comment; the first then approves it.
    comment = posted(article, 1, status=PENDING, text="Teh words.")
    as_listed = Comment.objects.get(pk=comment.pk)
    Comment.objects.filter(pk=comment.pk).update(text="The words.")

    services.change_status([as_listed], APPROVED)

    comment.refresh_from_db()
    assert (comment.status, comment.text) == (APPROVED, "The words.")
