"""How long a reader held back by the limits is told to wait, and when the wait is over."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from comments import throttle
from tests import factories
from tests.comments.conftest import HOUR
from tests.comments.test_limits import HourCountExpiringAtOnce

pytestmark = pytest.mark.django_db


def post(client, article, n: int):
    """A reader's ``n``-th comment, each with its own words."""
    data = factories.comment_data(article, comment=f"Comment {n}.")
    return client.post(reverse("comments:post", kwargs={"article_id": article.pk}), data)


def test_a_reader_posting_too_quickly_is_told_the_seconds_left_rounded_up(
    client, article, settings, clock
):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 60
    assert post(client, article, 1).status_code == 302

    clock.now += 5.5  # 54.5 seconds of the minute left
    response = post(client, article, 2)

    assert response.status_code == 429
    assert response["Retry-After"] == "55"


def test_a_reader_may_post_again_the_moment_the_flood_window_ends(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 60
    assert post(client, article, 1).status_code == 302

    clock.now += 60

    assert post(client, article, 2).status_code == 302


def test_a_reader_over_the_hourly_limit_is_told_to_come_back_at_the_top_of_the_hour(
    client, article, settings, clock
):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1
    clock.now = HOUR + 600.5
    assert post(client, article, 1).status_code == 302

    response = post(client, article, 2)

    assert response.status_code == 429
    assert response["Retry-After"] == "3000"  # 2999.5 seconds to the hour, rounded up


def test_the_hourly_limit_starts_afresh_on_the_hour(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1
    clock.now = HOUR + 3599  # the last second of an hour
    assert post(client, article, 1).status_code == 302
    assert post(client, article, 2).status_code == 429

    clock.now = HOUR + 3601  # just after the next hour began

    assert post(client, article, 3).status_code == 302


def test_a_long_flood_window_holds_a_reader_back_to_its_end(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 600
    assert post(client, article, 1).status_code == 302

    clock.now += 599
    held_back = post(client, article, 2)
    clock.now += 1

    assert held_back.status_code == 429
    assert post(client, article, 3).status_code == 302


def kept_about(when: float) -> dict:
    """What the limits keep in the cache about the test client's comments posted at ``when``."""
    where = throttle.bucket("127.0.0.1")
    keys = [*throttle._flood_keys(where, "ada@example.org"), throttle._hour_key(where, when)]
    return cache.get_many(keys)


def test_the_limits_forget_a_reader_once_their_time_is_up(client, article, settings, clock):
    # What they keep (a hash of the email, the address) is kept no longer than it is needed.
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 60
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 5
    posted_at = clock.now = HOUR + 10
    assert post(client, article, 1).status_code == 302
    assert len(kept_about(posted_at)) == 3

    clock.now += 60
    assert len(kept_about(posted_at)) == 1  # the hour's count
    clock.now += 3540.5

    assert kept_about(posted_at) == {}


def test_an_hours_count_started_again_lasts_the_hour_and_no_longer(
    client, article, settings, clock, monkeypatch
):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1
    posted_at = clock.now = HOUR + 10
    with monkeypatch.context() as patched:
        patched.setattr(throttle, "cache", HourCountExpiringAtOnce(cache))
        assert post(client, article, 1).status_code == 302

    clock.now += 3000
    assert post(client, article, 2).status_code == 429
    clock.now += 600.5

    assert kept_about(posted_at) == {}
