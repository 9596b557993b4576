"""The badge's word is the newsroom's own: its editors may sign with it, readers may not."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def post(client, article, author: str):
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    return client.post(url, factories.comment_data(article, author=author))


def test_an_editor_may_sign_a_comment_as_staff(client, article, editor):
    client.force_login(editor)

    response = post(client, article, "The news desk (Staff)")

    assert response.status_code == 302
    assert Comment.objects.get().author_name == "The news desk (Staff)"


def test_a_signed_in_reader_may_not_sign_as_staff(client, article):
    client.force_login(factories.make_user("reader"))

    response = post(client, article, "The news desk (Staff)")

    assert response.status_code == 400
    assert response.context["comment_section"].form.has_error("author", "staff_badge")
    assert not Comment.objects.exists()
