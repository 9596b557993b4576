"""Comments on an old article close at the very moment it reaches the editors' closing age."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def test_comments_are_open_until_the_closing_moment_and_closed_from_it(
    client, discussion, monkeypatch
):
    discussion.close_old_articles = True
    discussion.close_after_days = 14
    discussion.save()
    closing = timezone.now()
    article = factories.make_article(published_at=closing - timedelta(days=14))
    url = reverse("comments:post", kwargs={"article_id": article.pk})

    def at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        page = client.get(article.get_absolute_url()).content.decode()
        data = factories.comment_data(article, comment=f"Posted at {moment.isoformat()}.")
        return page, client.post(url, data)

    page_before, post_before = at(closing - timedelta(microseconds=1))
    page_then, post_then = at(closing)

    assert "Leave a Reply" in page_before
    assert post_before.status_code == 302
    assert "Comments are closed." in page_then
    assert "Leave a Reply" not in page_then
    assert post_then.status_code == 403
    assert Comment.objects.count() == 1
