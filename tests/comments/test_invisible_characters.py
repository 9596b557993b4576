"""Characters a reader cannot see never reach the stored comment; tabs and line breaks do."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "invisible",
    ["\x07", "\x1b", "\x08", "\x7f", "\x85", "\x9b"],
    ids=["bell", "escape", "backspace", "delete", "C1 next line", "C1 escape"],
)
def test_control_characters_are_taken_out_of_a_comment_and_its_line_breaks_kept(
    client, article, invisible
):
    typed = f"First{invisible} line,\twith a tab.\nSecond{invisible}{invisible} line."
    url = reverse("comments:post", kwargs={"article_id": article.pk})

    response = client.post(url, factories.comment_data(article, comment=typed))

    assert response.status_code == 302
    assert Comment.objects.get().text == "First line,\twith a tab.\nSecond line."
