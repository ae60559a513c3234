"""An account's sliding log in Redis, counted on the Redis server's clock: `shared_quota`'s bucket.

CAMS counts requests per account and action in any one second, and every process of the
account must count the same way, so the log is one sorted set per account and action: a permit
is an entry stamped with the server's time, and a window holds at most ``limit`` of them.

Why a script of our own: the libraries that keep such a log in Redis count at a time the
client read and passed in (pyrate-limiter's RedisBucket, whose own code lists a Redis time
source as still to do; limits' moving window), which goes stale before the script runs: a
permit written by another process meanwhile lies after it and is missed, so 11 fall in one
second (the race rolling-rate-limiter fixed in
https://github.com/peterkhayes/rolling-rate-limiter/pull/68). Measured on the shared-account
bench, 4 processes x 75: 9 refused requests with the client's time, 1 with the server's. The
libraries that read the server's clock (throttled-py's GCRA) pace strictly, which either
forbids CAMS's burst of 10 or lets 19 through in some second. These scripts read TIME
themselves; `tests/test_shared_quota.py` keeps the race test.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SlidingLog"]

_NOW = (
    "local time = redis.call('TIME') "
    "local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) "
)

_TAKE = (
    _NOW
    + """
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, tonumber(oldest[2]) + window - now)}
"""
)
"""Take a permit (member ARGV[3]) when fewer than ``limit`` lie in the last ``window`` ms:
{1, 0}; else {0, the milliseconds until the oldest leaves the window}. Entries older than the
window go, so the key never holds more than ``limit``."""

_FINISHED = (
    _NOW
    + """
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
)
"""Stamp the permit ARGV[1] again, with the time its request finished: CAMS saw the request
no later than that, so the slot is free one window after it (as the process limiter counts)."""


class SlidingLog:
    """One account's log for one action (the sorted set ``key``): ``limit`` permits in any
    ``window_ms``. ``redis`` is a redis-py client; the scripts are loaded on first use (and
    again after the store restarted: redis-py's `Script` does both)."""

    def __init__(self, redis: Any, key: str, limit: int, window_ms: int) -> None:
        self.key, self.limit, self.window_ms = key, limit, window_ms
        self._take = redis.register_script(_TAKE)
        self._finished = redis.register_script(_FINISHED)

    def take(self, permit: str) -> float:
        """Take the permit named ``permit``: 0.0 when taken, else the seconds to wait before
        one may be free. Raises the store's failure, or ValueError for an answer a Redis
        running this script would not give."""
        answer = self._take(keys=[self.key], args=[self.limit, self.window_ms, permit])
        match answer:
            case [1, 0]:
                return 0.0
            case [0, int(wait_ms)] if 0 < wait_ms <= self.window_ms:
                return wait_ms / 1000
        raise ValueError("the store answered the bucket's script with what it never returns")

    def finished(self, permit: str) -> None:
        """Stamp ``permit`` with the server's time now: its request has its answer."""
        self._finished(keys=[self.key], args=[permit, self.window_ms])
