"""Flood control and an hourly rate limit, counted in Django's cache.

In production the cache is Redis, so every process sees the same counts. Each threshold is
a setting; 0 turns it off.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

PREFIX = "comments:throttle"


def retry_after(ip: str | None, email: str) -> int | None:
    """Seconds this poster must wait before commenting again, or None if they may now."""
    now = time.time()
    waits = []
    flood = settings.NEWSROOM_COMMENT_FLOOD_SECONDS
    if flood:
        last = cache.get_many(_flood_keys(ip, email)).values()
        waits += [int(posted + flood - now) + 1 for posted in last if posted + flood > now]
    limit = settings.NEWSROOM_COMMENT_RATE_PER_HOUR
    if limit and ip and (cache.get(_hour_key(ip, now)) or 0) >= limit:
        waits.append(int(3600 - now % 3600) + 1)
    return max(waits, default=None)


def record(ip: str | None, email: str) -> None:
    """Count a comment just posted."""
    now = time.time()
    if settings.NEWSROOM_COMMENT_FLOOD_SECONDS:
        cache.set_many(
            dict.fromkeys(_flood_keys(ip, email), now),
            timeout=settings.NEWSROOM_COMMENT_FLOOD_SECONDS,
        )
    if settings.NEWSROOM_COMMENT_RATE_PER_HOUR and ip:
        key = _hour_key(ip, now)
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)


def _flood_keys(ip: str | None, email: str) -> list[str]:
    keys = [f"{PREFIX}:email:{hashlib.sha256(email.lower().encode()).hexdigest()}"]
    if ip:
        keys.append(f"{PREFIX}:ip:{ip}")
    return keys


def _hour_key(ip: str, now: float) -> str:
    return f"{PREFIX}:hour:{ip}:{int(now // 3600)}"
