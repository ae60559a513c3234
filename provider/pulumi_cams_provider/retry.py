"""Retrying retryable CamsErrors with full-jitter exponential backoff inside a deadline.

One helper, so no caller writes its own loop: the attempt is a callable, only errors whose class
says ``retryable`` are retried, a server's ``retry_after`` is a floor for the next delay, and
when the next delay would end past the deadline the last error is raised as it is.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import CamsError

__all__ = ["RetryPolicy", "call_with_retry"]

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often to retry.

    ``deadline`` bounds the whole operation in seconds (attempts and waits); the delay before
    retry *n* (from 0) is uniform in ``[0, min(cap, base * 2**n)]`` ("full jitter"), raised to the
    server's ``retry_after`` when that is longer.
    """

    deadline: float = 60.0
    base: float = 0.2
    cap: float = 5.0

    def delay(self, retry: int, uniform: Callable[[float, float], float]) -> float:
        """The randomised backoff before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.cap, self.base * (2 ** min(retry, 62)))
        return uniform(0.0, ceiling)


def call_with_retry(
    attempt: Callable[[], T],
    policy: RetryPolicy | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    uniform: Callable[[float, float], float] = random.uniform,
) -> T:
    """Call ``attempt`` until it returns, raises a non-retryable error, or time runs out.

    Raises the final error: the first non-retryable one, or the last retryable one when the
    next wait would pass the deadline. Its ``attempts`` attribute says how many calls were made.
    """
    policy = policy or RetryPolicy()
    deadline = clock() + policy.deadline
    retry = 0
    while True:
        try:
            return attempt()
        except CamsError as err:
            err.attempts = retry + 1
            if not err.retryable:
                raise
            delay = policy.delay(retry, uniform)
            if err.retry_after is not None:
                delay = max(delay, err.retry_after)
            if clock() + delay > deadline:
                raise
            sleep(delay)
            retry += 1
