"""How deep readers may reply: counted as the page shows the thread, the deepest level taken."""

import pytest
from django.urls import reverse

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
