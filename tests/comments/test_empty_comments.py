"""A comment with nothing to read in it is refused as empty, the reader told what to do."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["\x07\x1b", " \x1b \n\x7f "], ids=["controls", "controls among spaces"]
)
def test_a_comment_of_only_control_characters_is_refused_as_empty(client, article, typed):
    url = reverse("comments:post", kwargs={"article_id": article.pk})

    response = client.post(url, factories.comment_data(article, comment=typed))

    assert response.status_code == 400
    form = response.context["comment_section"].form
    assert form.errors["comment"] == ["Please type your comment."]
    assert "Please type your comment." in response.content.decode()
    assert not Comment.objects.exists()
