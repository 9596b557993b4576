"""Waits in words a person uses: "post it again in about 20 minutes", never "in 1159 seconds".

The ``Retry-After`` header beside the words stays exact, in seconds, for programs.
"""

from datetime import timedelta

import pytest

from newsroom.waits import wait_in_words
from tests.comments.conftest import HOUR
from tests.comments.test_faults import failing, post_url
from tests.comments.test_waiting_times import post
from tests.factories import comment_data
from tests.test_signin import PASSWORD, fail, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0.2, "in 5 seconds"),
        (4, "in 5 seconds"),
        (26, "in 30 seconds"),
        (30, "in 30 seconds"),
        (50, "in 50 seconds"),
        (50.5, "in about a minute"),
        (60, "in about a minute"),
        (89, "in about a minute"),
        (90, "in about 2 minutes"),
        (61 * 5, "in about 6 minutes"),  # up to the next minute below ten
        (599, "in about 10 minutes"),
        (1159, "in about 20 minutes"),  # to the nearest five above ten
        (900, "in about 15 minutes"),
        (3000, "in about 50 minutes"),
        (3300, "in about an hour"),
        (3600, "in about an hour"),
        (5400, "in about 2 hours"),
        (86_400, "in about 24 hours"),
    ],
)
def test_waits_are_worded_as_a_person_would(seconds, words):
    assert wait_in_words(seconds) == words


def test_a_reader_posting_too_quickly_is_told_the_wait_in_words(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 1200
    assert post(client, article, 1).status_code == 302
    clock.now += 42  # 1158 seconds of the twenty minutes left, 1159 rounded up

    response = post(client, article, 2)

    assert response.status_code == 429
    assert response["Retry-After"] == "1159"
    html = " ".join(response.content.decode().split())
    assert "post it again in about 20 minutes." in html
    assert "seconds" not in html[html.index('id="error-summary"') :][:600]


def test_a_reader_over_the_hourly_limit_is_told_about_an_hour(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1
    clock.now = HOUR + 10
    assert post(client, article, 1).status_code == 302

    response = post(client, article, 2)

    assert response["Retry-After"] == "3591"
    assert "post it again in about an hour." in " ".join(response.content.decode().split())


def test_a_comment_the_database_could_not_store_says_when_to_try_again(client, article):
    with failing("database is locked"):
        response = client.post(post_url(article), comment_data(article))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "post it again in 30 seconds." in " ".join(response.content.decode().split())


def test_the_sign_in_lockout_says_the_wait_in_words(client, editor, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    fail(client, "editor", 5)

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert "Try again in about 30 minutes." in " ".join(response.text.split())
