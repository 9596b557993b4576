"""The flood and hourly limits: who they hold back, from which comment, and when they count."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from comments import throttle
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def post(client, article, n: int):
    """A reader's ``n``-th comment, each under its own email (the address's limits apply)."""
    data = factories.comment_data(article, comment=f"Comment {n}.", email=f"r{n}@example.org")
    return client.post(reverse("comments:post", kwargs={"article_id": article.pk}), data)


def test_with_a_limit_of_one_comment_an_hour_the_first_is_taken_and_the_next_refused(
    client, article, settings, clock
):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1

    first, second = post(client, article, 1), post(client, article, 2)

    assert first.status_code == 302
    assert second.status_code == 429
    assert [comment.text for comment in Comment.objects.all()] == ["Comment 1."]


LIMITS = {
    "flood": {"NEWSROOM_COMMENT_FLOOD_SECONDS": 60},
    "hourly": {"NEWSROOM_COMMENT_RATE_PER_HOUR": 1},
}


@pytest.mark.parametrize("limit", LIMITS.values(), ids=LIMITS)
def test_a_signed_in_reader_who_may_not_moderate_is_limited_like_any_reader(
    client, article, settings, limit
):
    for name, value in limit.items():
        setattr(settings, name, value)
    client.force_login(factories.make_user("reader"))

    first, second = post(client, article, 1), post(client, article, 2)

    assert first.status_code == 302
    assert second.status_code == 429
    assert "You are posting comments too quickly" in second.content.decode()


class HourCountExpiringAtOnce:
    """The cache, as it is when the hour's count expires just after a comment starts it."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def add(self, key, value, timeout):
        added = self.real.add(key, value, timeout)
        self.real.delete(key)  # expired between add and incr
        return added


def test_a_comment_posted_as_the_hours_count_expires_is_still_counted(
    article, settings, monkeypatch
):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 2
    reader = Client()
    with monkeypatch.context() as patched:
        patched.setattr(throttle, "cache", HourCountExpiringAtOnce(cache))
        first = post(reader, article, 1)

    statuses = [first.status_code, post(reader, article, 2).status_code]
    statuses.append(post(reader, article, 3).status_code)

    assert statuses == [302, 302, 429]
    assert Comment.objects.count() == 2
