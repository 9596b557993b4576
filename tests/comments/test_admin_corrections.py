"""An editor corrects a comment in the admin without touching its words."""

import pytest

from comments.models import Comment
from tests.admin_pages import edit
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [Comment.Status.APPROVED, Comment.Status.PENDING])
def test_an_editor_corrects_only_the_website_and_the_comment_is_saved(
    editor_client, article, status
):
    # Its words are unchanged: it is not a repeat of itself.
    comment = make_comment(article, status=status, author_url="https://typo.example")

    response = edit(editor_client, comment, author_url="https://right.example")

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.author_url) == (status, "https://right.example")
