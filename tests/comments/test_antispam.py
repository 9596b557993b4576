"""Bots are stopped without outside services: honeypot, timestamp, flood, rate, duplicates."""

import threading
import time

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments import services
from comments.forms import TIMESTAMP_SALT
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


def url(article) -> str:
    return reverse("comments:post", kwargs={"article_id": article.pk})


def assert_refused_with_text_kept(response, status: int, message: str):
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert "I have a thought about this." in html  # the reader's text, kept
    assert not Comment.objects.exists()


def token_from(response) -> str:
    return response.context["comment_section"].form["timestamp"].value()


# Honeypot and timestamp


def test_filled_honeypot_is_refused(client, article):
    response = client.post(
        url(article), factories.comment_data(article, honeypot="http://spam.example")
    )
    assert_refused_with_text_kept(response, 400, "a field meant to stay empty was filled in")


def test_honeypot_is_hidden_from_people_and_screen_readers(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    wrapper = html[html.index('class="comment-form-hp"') - 30 : html.index('name="honeypot"')]
    assert 'aria-hidden="true"' in wrapper
    assert 'tabindex="-1"' in html[html.index('name="honeypot"') - 200 :][:400]


@pytest.mark.parametrize(
    "timestamp",
    ["", "garbage", signing.dumps(time.time(), salt="another.salt"), None],
    ids=["empty", "garbage", "other salt", "missing"],
)
def test_tampered_or_missing_timestamp_is_refused(client, article, timestamp):
    data = factories.comment_data(article, timestamp=timestamp)
    if timestamp is None:
        del data["timestamp"]
    response = client.post(url(article), data)
    assert_refused_with_text_kept(response, 400, "the form was damaged or altered")


def test_altered_timestamp_signature_is_refused(client, article):
    token = factories.comment_data(article)["timestamp"]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(url(article), factories.comment_data(article, timestamp=forged))
    assert_refused_with_text_kept(response, 400, "the form was damaged or altered")


def test_expired_form_is_refused_and_shown_again_with_a_fresh_timestamp(
    client, article, settings, monkeypatch
):
    settings.NEWSROOM_COMMENT_FORM_MAX_AGE = 3600
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 7200)
    old = signing.dumps([article.pk, real_time() - 7200], salt=TIMESTAMP_SALT)
    monkeypatch.undo()

    response = client.post(url(article), factories.comment_data(article, timestamp=old))

    assert_refused_with_text_kept(response, 400, "open too long")
    fresh = token_from(response)
    assert fresh != old
    assert (
        client.post(url(article), factories.comment_data(article, timestamp=fresh)).status_code
        == 302
    )


def test_a_post_faster_than_a_human_types_is_refused(client, article, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 3
    response = client.post(url(article), factories.comment_data(article))
    assert_refused_with_text_kept(response, 400, "quicker than anyone can type")


def test_a_form_open_long_enough_is_accepted(client, article, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 3
    shown = signing.dumps([article.pk, time.time() - 4], salt=TIMESTAMP_SALT)
    assert (
        client.post(url(article), factories.comment_data(article, timestamp=shown)).status_code
        == 302
    )


def test_zero_turns_the_minimum_time_off(client, article, settings):
    settings.NEWSROOM_COMMENT_MIN_SECONDS = 0
    assert client.post(url(article), factories.comment_data(article)).status_code == 302


# Flood and rate limits


def test_second_comment_within_the_flood_window_gets_429_with_retry_after(
    client, article, settings
):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
    assert (
        client.post(url(article), factories.comment_data(article, comment="First.")).status_code
        == 302
    )

    response = client.post(url(article), factories.comment_data(article))

    html = response.content.decode()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 16
    assert "You are posting comments too quickly" in html
    assert "I have a thought about this." in html
    assert Comment.objects.count() == 1


def test_flood_is_per_email_too_whatever_the_address(client, article, settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
    client.post(
        url(article), factories.comment_data(article, comment="One."), REMOTE_ADDR="192.0.2.1"
    )
    response = client.post(
        url(article),
        factories.comment_data(article, comment="Two.", email="ADA@example.org"),
        REMOTE_ADDR="192.0.2.2",
    )
    assert response.status_code == 429


def test_another_reader_is_not_slowed_by_someone_elses_flood(article, settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
    Client().post(url(article), factories.comment_data(article), REMOTE_ADDR="192.0.2.1")
    response = Client().post(
        url(article),
        factories.comment_data(article, author="Bea", email="bea@example.org"),
        REMOTE_ADDR="192.0.2.2",
    )
    assert response.status_code == 302


def test_hourly_limit_per_ip(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 2
    for n in range(2):
        data = factories.comment_data(article, comment=f"Comment {n}", email=f"r{n}@example.org")
        assert client.post(url(article), data).status_code == 302

    response = client.post(url(article), factories.comment_data(article, email="r9@example.org"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 3601
    assert Comment.objects.count() == 2


def test_moderators_are_never_throttled(editor_client, article, settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 15
    for n in range(3):
        data = factories.comment_data(article, comment=f"Editor note {n}")
        assert editor_client.post(url(article), data).status_code == 302


def test_forged_forwarded_for_header_does_not_dodge_the_limit(client, article, settings, clock):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 1
    client.post(url(article), factories.comment_data(article), HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = client.post(
        url(article),
        factories.comment_data(article, comment="Again.", email="other@example.org"),
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1", "10.0.0.1"),
        (1, "198.51.100.1", "10.0.0.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.1", "198.51.100.1"),  # client forged the first
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "10.0.0.1", "198.51.100.1"),
        (1, "", "10.0.0.1", None),  # not through our proxy (tests/comments/test_client_address.py)
        (1, "not-an-ip", "10.0.0.1", None),
    ],
)
def test_client_ip_follows_the_configured_proxies(settings, proxies, forwarded, remote, expected):
    settings.NEWSROOM_TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    assert services.client_ip(meta) == expected


# Duplicates


def test_the_same_comment_twice_is_stored_once_with_a_clear_409(client, article):
    assert client.post(url(article), factories.comment_data(article)).status_code == 302

    response = client.post(url(article), factories.comment_data(article))

    assert response.status_code == 409
    assert "You have already posted this comment here" in response.content.decode()
    assert Comment.objects.count() == 1


def test_same_text_elsewhere_or_by_someone_else_is_not_a_duplicate(client, article):
    other = factories.make_article()
    parent = factories.make_comment(article)
    assert client.post(url(article), factories.comment_data(article)).status_code == 302
    assert client.post(url(other), factories.comment_data(other)).status_code == 302
    assert (
        client.post(url(article), factories.comment_data(article, parent=parent.pk)).status_code
        == 302
    )
    assert (
        client.post(url(article), factories.comment_data(article, author="Bea")).status_code == 302
    )


def test_a_trashed_comment_can_be_posted_again(client, article):
    client.post(url(article), factories.comment_data(article))
    Comment.objects.update(status=Comment.Status.TRASH)
    assert client.post(url(article), factories.comment_data(article)).status_code == 302


def test_a_duplicate_saved_between_check_and_save_is_stopped_by_the_database(
    article, discussion, monkeypatch
):
    data = {**factories.comment_data(article), "parent": None}
    decide = services.moderation.initial_status

    def twin_arrives_meanwhile(comment, rules):
        # Another request stores the same comment after this one's look-up, before its save.
        factories.make_comment(
            article, author_name=data["author"], author_email=data["email"], text=data["comment"]
        )
        return decide(comment, rules)

    monkeypatch.setattr(services.moderation, "initial_status", twin_arrives_meanwhile)

    with pytest.raises(services.DuplicateComment):
        services.submit_comment(article=article, data=data, request_meta={}, discussion=discussion)
    assert Comment.objects.count() == 1


# Transactional tests here reload the migrated rows (the Editors group) like the others do;
# see tests/browser/conftest.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_identical_posts_at_the_same_moment_make_one_row():
    article = factories.make_article()
    data = factories.comment_data(article)
    start = threading.Barrier(2)
    statuses = []

    def post():
        client = Client()
        start.wait()
        statuses.append(client.post(url(article), data).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [302, 409]
    assert Comment.objects.count() == 1
