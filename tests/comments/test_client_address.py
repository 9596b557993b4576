"""Whose comment counts towards which limit: the client's address, as our proxies report it.

An address that cannot be known is not waved through: every such request shares one bucket
(and the misconfiguration is logged), while the comment is stored without an address.
IPv6 limits apply per /64, what one home or phone line is given.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from comments import services, throttle
from comments.models import Comment
from tests.factories import comment_data

pytestmark = pytest.mark.django_db


def post(article, *, email: str, **meta):
    data = comment_data(article, comment=f"From {email}.", email=email)
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    return Client().post(url, data, **meta)


@pytest.fixture
def flood(settings):
    settings.NEWSROOM_COMMENT_FLOOD_SECONDS = 60


@pytest.fixture(autouse=True)
def _warn_again(monkeypatch):
    monkeypatch.setattr(services, "_unknown_address_logged", False)


UNKNOWN = {
    "empty REMOTE_ADDR (a unix socket)": (0, {"REMOTE_ADDR": ""}),
    "X-Forwarded-For is no address": (1, {"HTTP_X_FORWARDED_FOR": "not-an-ip"}),
    "no X-Forwarded-For behind a proxy": (1, {"REMOTE_ADDR": "10.0.0.1"}),
    "fewer entries than proxies": (2, {"HTTP_X_FORWARDED_FOR": "6.6.6.6"}),
}


@pytest.mark.parametrize(("proxies", "meta"), UNKNOWN.values(), ids=UNKNOWN)
def test_unknown_addresses_share_one_bucket_and_are_stored_as_none(
    article, settings, flood, proxies, meta
):
    settings.NEWSROOM_TRUSTED_PROXIES = proxies

    first = post(article, email="one@example.org", **meta)
    second = post(article, email="two@example.org", **meta)

    assert first.status_code == 302
    assert second.status_code == 429
    assert Comment.objects.get().ip_address is None


def test_the_hourly_limit_applies_to_unknown_addresses(article, settings, clock):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 2
    statuses = [post(article, email=f"r{n}@example.org", REMOTE_ADDR="").status_code for n in "123"]
    assert statuses == [302, 302, 429]


def test_an_unknown_address_is_logged_once_per_process(article, caplog):
    with caplog.at_level(logging.WARNING, logger="comments.services"):
        for n in range(3):
            post(article, email=f"r{n}@example.org", REMOTE_ADDR="")

    warnings = [r for r in caplog.records if r.name == "comments.services"]
    assert len(warnings) == 1
    assert "NEWSROOM_TRUSTED_PROXIES" in warnings[0].getMessage()


def test_a_known_address_is_not_limited_with_the_unknown_ones(article, flood):
    assert post(article, email="one@example.org", REMOTE_ADDR="").status_code == 302
    assert post(article, email="two@example.org", REMOTE_ADDR="192.0.2.1").status_code == 302


def test_behind_proxies_requests_short_of_forwarded_entries_share_the_hourly_limit(
    article, settings
):
    # (Which entry is the client's when there are enough: test_antispam.py.)
    settings.NEWSROOM_TRUSTED_PROXIES = 2
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 2
    # Each reached our inner proxy (10.0.0.1) without passing the outer one as configured.
    arrivals = [{}, {"HTTP_X_FORWARDED_FOR": "6.6.6.6"}, {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}]

    statuses = [
        post(article, email=f"r{n}@example.org", REMOTE_ADDR="10.0.0.1", **meta).status_code
        for n, meta in enumerate(arrivals)
    ]

    assert statuses == [302, 302, 429]
    assert list(Comment.objects.values_list("ip_address", flat=True)) == [None, None]


# IPv6


def test_ipv6_limits_apply_per_64(article, flood):
    assert post(article, email="one@example.org", REMOTE_ADDR="2001:db8:1:2::1").status_code == 302

    same_line = post(article, email="two@example.org", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    next_line = post(article, email="three@example.org", REMOTE_ADDR="2001:db8:1:3::1")

    assert same_line.status_code == 429
    assert next_line.status_code == 302


def test_the_hourly_limit_counts_a_whole_ipv6_64(article, settings, clock):
    settings.NEWSROOM_COMMENT_RATE_PER_HOUR = 2
    statuses = [
        post(article, email=f"r{n}@example.org", REMOTE_ADDR=f"2001:db8::{n}").status_code
        for n in range(1, 4)
    ]
    assert statuses == [302, 302, 429]


def test_ipv6_comments_keep_their_whole_address(article):
    post(article, email="one@example.org", REMOTE_ADDR="2001:db8:1:2::1")
    assert Comment.objects.get().ip_address == "2001:db8:1:2::1"


def test_an_ipv4_client_on_a_dual_stack_socket_is_its_ipv4_address(article, flood):
    assert post(article, email="one@example.org", REMOTE_ADDR="::ffff:192.0.2.7").status_code == 302
    assert Comment.objects.get().ip_address == "192.0.2.7"
    # Not lumped with every other IPv4 client (all of ::ffff:0:0/96 is one /64)...
    assert post(article, email="two@example.org", REMOTE_ADDR="::ffff:192.0.2.8").status_code == 302
    # ...but limited with its own address, however it arrives.
    assert post(article, email="three@example.org", REMOTE_ADDR="192.0.2.7").status_code == 429


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        (None, throttle.UNKNOWN),
    ],
)
def test_throttle_buckets(ip, expected):
    assert throttle.bucket(ip) == expected
