"""A process-wide, thread-safe limit on CAMS request starts per (credential, action).

CAMS allows 10 requests per second per account and action and refuses the next one with
``System.LimitControl``; the emulator refuses a request when ``qps`` requests were already
accepted in the preceding 1.0 s *by arrival time*. Spacing request *starts* 1.0 s apart is not
enough: signing, fetching credentials and opening a connection delay one request's arrival more
than another's (on loopback the first call's 0.3 s SDK import was enough to cross the limit).
So each permit remembers when its request finished: the server saw the request before that, and
the slot it used is free again one window (plus ``margin``) after ``finish``. Until then an
in-flight request holds its slot; ``max_lag`` only bounds how long a permit that is never
released can do so. On loopback a round trip takes a few milliseconds, so steady state stays
above 99 % of the nominal rate; against a distant endpoint it is ``rate / (1 + round trip)``.

The slot of a refused request (``refused``) stays taken a random part of a window longer. A
process holding the whole account re-sends each request the moment its slot frees, so the
moments the account's second has room are few and fixed; another process's tries, spaced by its
own limiter at the same period, would meet the full second at the same phase every time and
stay shut out until the first process is done. Scattered, they find the room within seconds
(against the emulator, a process started 5 s after another). Each slot also waits up to
``jitter`` (10 ms) more, so that those moments move as well.

Adaptive rate control (adaptive) lowers ``rate`` while other processes share the account; it is
asked again each time a waiter wakes, and ``on_wait`` tells it that requests are waiting for it.

Use it from threads (Pulumi's dynamic provider host runs four workers) or from asyncio through
``asyncio.to_thread``; waits block the calling thread only.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["RateLimiter", "Permit", "shared_limiter"]


@dataclass
class Permit:
    """One request start; call :meth:`RateLimiter.release` (or use ``slot``) when it is done."""

    key: Hashable
    start: float
    finish: float | None = field(default=None)
    jitter: float = 0.0
    """Seconds the slot stays taken beyond the window and margin (see the module)."""


class RateLimiter:
    """At most ``rate`` request starts per key per ``window`` seconds, fractions included.

    ``floor(rate)`` starts (at least one) per ``window * floor(rate) / rate`` seconds: 10 per
    second for 10, 2 per 0.8 s for 2.5, one per 2 s for 0.5. For a whole number ``n`` that is at
    most ``n`` arrivals at CAMS in any one second, bursts included, which is what lets adaptive
    allowances that sum to the account's limit go unrefused. ``clock`` and ``sleep`` are
    injectable for tests; with the default ``sleep`` a waiter is woken early when a permit is
    released.
    """

    def __init__(
        self,
        *,
        window: float = 1.0,
        margin: float = 0.005,
        jitter: float = 0.01,
        max_lag: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.window = window
        self.margin = margin
        self.jitter = jitter
        self.max_lag = max_lag
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._permits: dict[Hashable, list[Permit]] = {}

    @contextmanager
    def slot(
        self,
        key: Hashable,
        rate: float | Callable[[], float],
        *,
        on_wait: Callable[[], None] | None = None,
    ) -> Iterator[Permit]:
        """Wait for a permit for ``key``, hold it while the request runs, release it after."""
        permit = self.acquire(key, rate, on_wait=on_wait)
        try:
            yield permit
        finally:
            self.release(permit)

    def acquire(
        self,
        key: Hashable,
        rate: float | Callable[[], float],
        *,
        on_wait: Callable[[], None] | None = None,
    ) -> Permit:
        """Block until a request for ``key`` may start at ``rate`` per second; return its permit.

        A callable ``rate`` is asked again each time the waiter wakes: a rate that changes
        while requests wait (adaptive control) applies to all of them alike. ``on_wait`` is
        called (under the limiter's lock) each time the request has to wait.
        """
        with self._cond:
            while True:
                r = rate() if callable(rate) else rate
                if not r > 0:
                    raise ValueError("rate must be greater than 0")
                capacity = max(1, math.floor(r))
                window = self.window * capacity / r
                now = self._clock()
                permits = self._permits.setdefault(key, [])
                # A permit's slot is free once the window has passed since the server saw it.
                permits[:] = [p for p in permits if self._free_at(p, window) > now]
                free_at = (
                    now
                    if len(permits) < capacity
                    else min(self._free_at(p, window) for p in permits)
                )
                if free_at <= now:
                    permit = Permit(key=key, start=now, jitter=random.uniform(0, self.jitter))
                    permits.append(permit)
                    return permit
                if on_wait is not None:
                    on_wait()
                self._wait(free_at - now)

    def refused(self, permit: Permit) -> None:
        """The request of ``permit`` was refused by flow control: its slot stays taken a random
        part of a window longer, so that the next try meets CAMS's window at another phase."""
        with self._cond:
            permit.jitter = random.uniform(0, self.window)

    def release(self, permit: Permit) -> None:
        """Record that the request of ``permit`` has finished (successfully or not)."""
        with self._cond:
            if permit.finish is None:
                permit.finish = self._clock()
            self._cond.notify_all()

    def _free_at(self, permit: Permit, window: float) -> float:
        seen_by = permit.start + self.max_lag
        if permit.finish is not None:
            seen_by = min(seen_by, permit.finish)
        return max(seen_by, permit.start) + window + self.margin + permit.jitter

    def _wait(self, seconds: float) -> None:
        if self._sleep is None:
            self._cond.wait(seconds)
            return
        self._cond.release()
        try:
            self._sleep(seconds)
        finally:
            self._cond.acquire()


_shared: RateLimiter | None = None
_shared_lock = threading.Lock()


def shared_limiter() -> RateLimiter:
    """The process-wide limiter every CamsClient uses unless given another."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RateLimiter()
        return _shared
