"""Flood control and an hourly rate limit, counted in Django's cache.

In production the cache is Redis, so every process sees the same counts. Each threshold is
a setting; 0 turns it off.

Counts are kept per email and per address bucket (``bucket()``): an IPv4 address, an IPv6
/64 network (what one home or phone line gets), or, for a request whose address is unknown,
one bucket shared by all of them, so that they are throttled, not waved through.

The limits are a defence, not a gate: when the cache cannot be reached they are skipped,
with a log line, and the comment is taken as if they had passed.
"""

import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PREFIX = "comments:throttle"
# Readers' reports of comments are counted apart from comments, by the same limits.
REPORTS = "comments:reports"
UNKNOWN = "unknown"
IPV6_PREFIX = 64
# What a cache that cannot be reached raises (Redis; a socket error from any other).
CACHE_DOWN = (RedisError, OSError)


def bucket(ip: str | None) -> str:
    """Whose counts a request from ``ip`` (from ``services.client_ip``) adds to."""
    if ip is None:
        return UNKNOWN
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network((address, IPV6_PREFIX), strict=False))
    return str(address)


def retry_after(ip: str | None, email: str, *, counts: str = PREFIX) -> int | None:
    """Seconds this poster must wait before commenting again, or None if they may now.

    ``counts=REPORTS`` (and ``email=""``: a report has none) for reporting a comment."""
    try:
        return _retry_after(bucket(ip), email, counts)
    except CACHE_DOWN as error:
        logger.warning("Comment limits not checked, the cache is unreachable: %r", error)
        return None


def record(ip: str | None, email: str, *, counts: str = PREFIX) -> None:
    """Count a comment (or, with ``counts=REPORTS``, a report) just posted."""
    try:
        _record(bucket(ip), email, counts)
    except CACHE_DOWN as error:
        logger.warning("Comment not counted for the limits, the cache is unreachable: %r", error)


def _retry_after(where: str, email: str, counts: str) -> int | None:
    now = time.time()
    waits = []
    flood = settings.NEWSROOM_COMMENT_FLOOD_SECONDS
    if flood:
        last = cache.get_many(_flood_keys(where, email, counts)).values()
        waits += [int(posted + flood - now) + 1 for posted in last if posted + flood > now]
    limit = settings.NEWSROOM_COMMENT_RATE_PER_HOUR
    if limit and (cache.get(_hour_key(where, now, counts)) or 0) >= limit:
        waits.append(int(3600 - now % 3600) + 1)
    return max(waits, default=None)


def _record(where: str, email: str, counts: str) -> None:
    now = time.time()
    if settings.NEWSROOM_COMMENT_FLOOD_SECONDS:
        cache.set_many(
            dict.fromkeys(_flood_keys(where, email, counts), now),
            timeout=settings.NEWSROOM_COMMENT_FLOOD_SECONDS,
        )
    if settings.NEWSROOM_COMMENT_RATE_PER_HOUR:
        key = _hour_key(where, now, counts)
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)


def _flood_keys(where: str, email: str, counts: str = PREFIX) -> list[str]:
    keys = [f"{counts}:ip:{where}"]
    if email:
        keys.insert(0, f"{counts}:email:{hashlib.sha256(email.lower().encode()).hexdigest()}")
    return keys


def _hour_key(where: str, now: float, counts: str = PREFIX) -> str:
    return f"{counts}:hour:{where}:{int(now // 3600)}"
