"""Time budgets, retries and re-reads: the one place where waiting is decided.

- :class:`Deadline` is an operation's budget in wall time, on an injectable clock. A create, read
  or delete makes one and hands it down, so every request, timeout, retry and re-read comes out
  of the same budget (``cams:retryTimeout``).
- :func:`call_with_retry` retries retryable CamsErrors with full-jitter exponential backoff: the
  attempt is a callable, only errors whose class says ``retryable`` are retried, a server's
  ``retry_after`` is a floor for the next delay, and when the next delay would end past the
  deadline the last error is raised as it is.
- :func:`poll_until` re-reads something until it shows what the caller waits for, within a
  window and the deadline, and returns the last reading either way.

No caller writes its own loop.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import OPERATION_TIMEOUT, REQUEST_TIMEOUT, CamsError

__all__ = ["Deadline", "RetryPolicy", "call_with_retry", "poll_until"]

T = TypeVar("T")


class Deadline:
    """The moment by which an operation must be done, ``seconds`` from now on ``clock``."""

    def __init__(
        self,
        seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.seconds = seconds
        self.at = clock() + seconds

    def remaining(self) -> float:
        """Seconds left, never below 0."""
        return max(0.0, self.at - self.clock())

    def within(self, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now, or this one if it comes first."""
        inner = Deadline(seconds, clock=self.clock, sleep=self.sleep)
        if inner.at > self.at:
            inner.at = self.at
        return inner


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often to retry.

    ``deadline`` bounds the whole operation in seconds (attempts and waits) when the caller
    gives no :class:`Deadline` of its own; the delay before retry *n* (from 0) is uniform in
    ``[0, min(cap, base * 2**n)]`` ("full jitter"), raised to the server's ``retry_after`` when
    that is longer. ``max_attempts`` (None: no limit but the deadline) caps the calls made.
    """

    deadline: float = 60.0
    base: float = 0.2
    cap: float = 5.0
    max_attempts: int | None = None

    def delay(self, retry: int, uniform: Callable[[float, float], float]) -> float:
        """The randomised backoff before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.cap, self.base * (2 ** min(retry, 62)))
        return uniform(0.0, ceiling)


def call_with_retry(
    attempt: Callable[[], T],
    policy: RetryPolicy | None = None,
    *,
    deadline: Deadline | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    uniform: Callable[[float, float], float] = random.uniform,
) -> T:
    """Call ``attempt`` until it returns, raises a non-retryable error, or time runs out.

    The budget is ``deadline`` when given (its clock and sleep are used), else
    ``policy.deadline`` seconds on ``clock``. Raises the final error, as the attempt made it:
    the first non-retryable one, or the last retryable one when the next wait would pass the
    deadline.
    """
    policy = policy or RetryPolicy()
    if deadline is None:
        deadline = Deadline(policy.deadline, clock=clock, sleep=sleep)
    retry = 0
    last: CamsError | None = None
    while True:
        try:
            return attempt()
        except CamsError as err:
            cut_short = err.code == OPERATION_TIMEOUT or (
                err.code == REQUEST_TIMEOUT and deadline.remaining() <= 0
            )
            if last is not None and cut_short and last.code != err.code:
                # The budget ran out before the retry could be sent, or cut its timeout short:
                # what stopped the operation is the previous error, not the clock.
                raise last from None
            last = err
            if not err.retryable or (
                policy.max_attempts is not None and retry + 1 >= policy.max_attempts
            ):
                raise
            delay = policy.delay(retry, uniform)
            if err.retry_after is not None:
                delay = max(delay, err.retry_after)
            if delay > deadline.remaining():
                raise
            deadline.sleep(delay)
            retry += 1


def poll_until(
    read: Callable[[], T],
    done: Callable[[T], bool],
    *,
    window: Deadline,
    first_interval: float = 0.5,
    max_interval: float = 4.0,
) -> T:
    """Call ``read`` until ``done`` holds for what it returns, or ``window`` has passed.

    Reads at once, then after intervals that double from ``first_interval`` up to
    ``max_interval``; the last wait is cut so that the final read falls at the window's end.
    Returns the last reading, done or not; errors from ``read`` propagate.
    """
    interval = first_interval
    while True:
        value = read()
        if done(value) or window.remaining() <= 0:
            return value
        window.sleep(min(interval, window.remaining()))
        interval = min(max_interval, interval * 2)
