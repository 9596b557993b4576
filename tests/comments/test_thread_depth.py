"""How deep readers may reply: counted as the page shows the thread, the deepest level taken."""

import re

import pytest
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

TOO_DEEP = "nested as deeply as it goes"


def reply_to(client, article, parent: Comment, text: str):
    return client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, parent=parent.pk, comment=text),
    )


@pytest.fixture
def three_levels(discussion):
    discussion.thread_depth = 3
    discussion.save()
    return discussion


def test_a_reply_at_the_deepest_level_is_taken_and_one_below_it_refused(
    client, article, three_levels
):
    first = factories.make_comment(article)
    second = factories.make_comment(article, parent=first)
    third = factories.make_comment(article, parent=second)

    deepest = reply_to(client, article, second, "A reply at the third level.")
    deeper = reply_to(client, article, third, "A reply at the fourth level.")

    assert deepest.status_code == 302
    assert Comment.objects.get(text="A reply at the third level.").parent == second
    assert deeper.status_code == 400
    assert TOO_DEEP in deeper.content.decode()
    assert not Comment.objects.filter(text="A reply at the fourth level.").exists()


def test_a_comment_whose_parent_was_removed_takes_replies_as_the_top_of_its_thread(
    client, article, discussion
):
    discussion.thread_depth = 2
    discussion.save()
    removed = factories.make_comment(article, status=Comment.Status.TRASH)
    shown_at_the_top = factories.make_comment(article, parent=removed)
    its_reply = factories.make_comment(article, parent=shown_at_the_top)

    html = client.get(article.get_absolute_url()).content.decode()
    taken = reply_to(client, article, shown_at_the_top, "Replying at the second level.")
    refused = reply_to(client, article, its_reply, "Replying at the third level.")

    # The page offers a reply to the comment it shows at the top, and the form takes it.
    assert f"?replytocom={shown_at_the_top.pk}#respond" in html
    assert f"?replytocom={its_reply.pk}#respond" not in html
    assert taken.status_code == 302
    assert refused.status_code == 400
    assert TOO_DEEP in refused.content.decode()


# One rule, comments/moderation.py's takes_replies: a Reply link shown is a reply taken.


def reply_links(html: str) -> set[int]:
    """The comments the page offers a Reply link under."""
    return {int(pk) for pk in re.findall(r"replytocom=(\d+)#respond", html)}


@pytest.fixture
def hidden_in_the_chain(article, three_levels):
    """A thread whose second comment went back to the queue after it was answered:
    first (approved) › held (pending) › answer (approved) › answer's reply (approved)."""
    first = factories.make_comment(article, text="The first comment.")
    held = factories.make_comment(article, parent=first, status=Comment.Status.PENDING)
    answer = factories.make_comment(article, parent=held, text="An answer.")
    below = factories.make_comment(article, parent=answer, text="Below the answer.")
    return first, held, answer, below


def test_with_a_hidden_parent_every_reply_link_shown_leads_to_a_reply_taken(
    client, article, hidden_in_the_chain
):
    first, held, answer, below = hidden_in_the_chain

    html = client.get(article.get_absolute_url()).content.decode()

    # Readers see the answer start a thread of its own: two levels, so both take replies
    # (counted over the database's parents, "below" would be at the fourth level).
    assert reply_links(html) == {first.pk, answer.pk, below.pk}
    response = client.get(f"{article.get_absolute_url()}?replytocom={below.pk}")
    assert "Leave a Reply to" in response.content.decode()
    assert (
        reply_to(client, article, below, "At the third level as readers see it.").status_code == 302
    )
    taken = Comment.objects.get(text="At the third level as readers see it.")
    assert taken.parent == below

    # At the third level, no link, and the form refuses it the same way.
    taken.status = Comment.Status.APPROVED
    taken.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert taken.pk not in reply_links(html)
    refused = reply_to(client, article, taken, "One level too deep.")
    assert refused.status_code == 400
    assert TOO_DEEP in refused.content.decode()


def test_the_reader_whose_held_comment_is_in_the_chain_is_offered_the_same_replies(
    client, article, three_levels
):
    first = factories.make_comment(article, text="The first comment.")
    client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        factories.comment_data(article, parent=first.pk, comment="My held reply."),
    )
    held = Comment.objects.get(text="My held reply.")
    assert held.status == Comment.Status.PENDING
    answer = factories.make_comment(article, parent=held, text="An answer to it.")
    below = factories.make_comment(article, parent=answer, text="Below the answer.")

    html = client.get(article.get_absolute_url()).content.decode()

    # This reader sees their held reply in the thread, the others do not: the links follow
    # what every reader sees, and each is taken.
    assert "My held reply." in html
    assert reply_links(html) == {first.pk, answer.pk, below.pk}
    response = reply_to(client, article, below, "Replying below the answer.")
    assert response.status_code == 302


def test_takes_replies_is_one_rule_for_the_page_the_form_and_the_admin(article, three_levels):
    first = factories.make_comment(article)
    second = factories.make_comment(article, parent=first)
    third = factories.make_comment(article, parent=second)
    held = factories.make_comment(article, parent=first, status=Comment.Status.PENDING)
    under_held = factories.make_comment(article, parent=held)

    assert [moderation.takes_replies(c, three_levels) for c in (first, second, third)] == [
        True,
        True,
        False,
    ]
    assert not moderation.takes_replies(held, three_levels)  # not approved
    assert moderation.takes_replies(under_held, three_levels)  # at the top, as readers see it
    on_the_page = {c.pk: c for c in (first, second, third, held, under_held)}
    assert moderation.thread_depth(third, on_the_page, 3) == 3
    assert moderation.thread_depth(under_held, on_the_page, 3) == 1
    assert moderation.thread_depth(third, on_the_page, 2) == 2  # never deeper than the setting


def test_parents_that_loop_are_counted_once_each(article):
    # No form can make a loop, but a bad import or a hand edit in the database could.
    first = factories.make_comment(article, status=Comment.Status.APPROVED)
    second = factories.make_comment(article, parent=first, status=Comment.Status.APPROVED)
    Comment.objects.filter(pk=first.pk).update(parent=second)
    first.refresh_from_db()
    reply = factories.make_comment(article, parent=first)
    parents = {first.pk: first, second.pk: second}

    # The reply, the first, the second; the first again is not counted twice.
    assert moderation.thread_depth(reply, parents, max_depth=10) == 3
