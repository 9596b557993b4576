"""Fixtures of the comment tests."""

from types import SimpleNamespace

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem

from comments import throttle

# 500,000 whole hours after the epoch: a moment the tests can count hours from.
HOUR = 500_000 * 3600.0


class Clock:
    """The clock of the limits and of the cache they count in, set by the test."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(HOUR)
    for module in (throttle, locmem, cache_base):
        monkeypatch.setattr(module, "time", SimpleNamespace(time=clock.time))
    return clock
