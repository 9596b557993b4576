"""What the one writer of comments stores when code, not the form, hands it a comment."""

import pytest

from comments import services
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_a_comment_handed_over_without_a_website_is_stored_without_one(article, discussion):
    # The form always sends the field; an importer or a script may leave it out.
    data = {"author": "Ada Reader", "email": "ada@example.org", "comment": "Well put."}

    comment = services.submit_comment(
        article=article, data=data, request_meta={"REMOTE_ADDR": "192.0.2.1"}, discussion=discussion
    )

    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.author_name, stored.author_url, stored.text) == ("Ada Reader", "", "Well put.")
