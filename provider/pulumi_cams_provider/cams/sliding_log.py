"""pyrate-limiter's Redis sliding log, counted on the Redis server's clock (`shared_quota`'s
bucket)."""

from __future__ import annotations

import functools
from typing import Any, cast

__all__ = ["server_clock_bucket", "server_clock_script"]


@functools.cache
def server_clock_bucket() -> Any:
    """pyrate-limiter's RedisBucket, counting on the Redis server's clock (TIME).

    The library reads the time in the client and hands it to its script, and its own code marks
    a Redis time source as still to do. A time read by the client goes stale before the script
    runs: a permit stamped later by another process is then missed by the count and stamped
    earlier than it, so that 11 permits fall in one second (the race rolling-rate-limiter fixed
    in https://github.com/peterkhayes/rolling-rate-limiter/pull/68). Measured on the shared
    account bench, 4 processes x 75: 9 refused requests with the client's time, 1 with the
    script's. So the script reads TIME itself and keeps the window's length the library gives;
    ``now`` (the item's stamp, from which the library computes how long to wait) reads the
    server's clock as well, the one clock every process of every machine shares. Made once per
    process: each bucket (an action, a rate, a store come back) loads the same script.
    """
    from pyrate_limiter import RedisBucket

    script = server_clock_script()

    class ServerClockBucket(RedisBucket):
        @classmethod
        def init(cls, rates: Any, redis: Any, bucket_key: str, algorithm: Any = None) -> Any:
            return cls(rates, redis, bucket_key, redis.script_load(script), algorithm)

        def now(self) -> int:
            seconds, microseconds = cast("tuple[int, int]", self.redis.time())
            return int(seconds) * 1000 + int(microseconds) // 1000

    return ServerClockBucket


_SERVER_NOW = (
    "local time = redis.call('TIME') "
    "local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) "
    "local stamped = tonumber(ARGV[1])"
)
"""Lua: the server's time in milliseconds, and the item's stamp the window was computed from."""
_SERVER_WINDOW = "local window_start = now - (stamped - tonumber(ARGV[5 + offset]))"
"""Lua: the window's start, as far before the server's time as the library put it before the
item's stamp."""


def server_clock_script() -> str:
    """pyrate-limiter's check-and-insert script with ``now`` read from the server: two lines of
    it replaced, so that the algorithm stays the library's. Raises RuntimeError when the
    installed library's script no longer has them (pyproject pins the version it was read
    from; a test reads the installed one)."""
    from pyrate_limiter.buckets.redis_bucket import LuaScript

    script = LuaScript.PUT_ITEM
    for line, server in (
        ("local now = ARGV[1]", _SERVER_NOW),
        ("local window_start = tonumber(ARGV[5 + offset])", _SERVER_WINDOW),
    ):
        if script.count(line) != 1:
            raise RuntimeError(f"pyrate-limiter's bucket script has no line {line!r}")
        script = script.replace(line, server)
    return script
