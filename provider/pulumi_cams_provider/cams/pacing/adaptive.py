"""Client-side adaptive rate control: many processes sharing one CAMS account, no coordinator.

CAMS allows 10 requests per second per account and action and refuses the rest with
``System.LimitControl``; the emulator, like a per-second flow control, refuses a request when 10
were accepted in the second before it arrived. One provider process never exceeds
``cams:requestsPerSecond``, but several pipelines sharing an account each see only themselves.
So each process treats ``requestsPerSecond`` as a ceiling and keeps, per credential and action,
an *allowance*: a whole number of requests per second, sent in bursts as the rate limiter's
window frees (ratelimit). Whole numbers are the point. The limiter never lets more than ``n``
of a key's requests reach CAMS in any one second, so allowances that sum to the account's limit
are never refused, whatever the processes' timing; paced fractional rates that sum to the limit
still meet in one second now and then, and each meeting is a refused request.

- **Start**: the ceiling, so a process alone on the account runs at full speed and is never
  refused.
- **Start-up cuts halve**: the first refusals come when several processes start at once and
  each holds the whole ceiling; halving gives them equal shares (5 and 5 for two, 2 or 3 each
  for four once they probe), where cutting to what happened to get through would keep the
  first second's luck.
- **Later cuts take one slot back**: a refused request means the account's second was full, and
  after start-up it is one process's probe (or a start-up share) too many. The process whose
  request was refused cuts its allowance to what got through in the last window, which is one
  less when it had been using it all; never below one request per second.
- **Latecomers**: a process that starts while another holds the whole account gets in when one
  of its requests lands in the moment between two of the other's, which then sees a refusal
  and halves (its first cut); the rate limiter's jitter makes those moments move, so that
  happens within seconds.
- **Probes**: a process whose requests are waiting for its allowance asks for one more slot,
  ``PROBE_SECONDS`` per slot it holds after its last refusal (a small share probes sooner: it
  has the most to gain, and a probe into a full second costs one refused request). A probe that
  holds ``HOLD`` seconds found room, another process finished or slowed down, and the next probe
  goes at once; so freed room is taken within a few seconds.

This follows TCP's congestion control (RFC 5681: slow start, additive increase; RFC 9438 for
CUBIC's probing) and the AWS SDKs' "adaptive" retry mode (a client-side rate cut on throttling,
https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), adapted to a
limit counted in whole requests per second. Measured by ``make bench-shared``;
``tests/test_adaptive.py`` simulates 2 and 4 processes on a fake clock.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

from ...config import ADAPTIVE_RATE_ENV, switched_off

__all__ = ["AdaptiveRates", "Allowance", "shared_rates"]

WINDOW = 1.0
"""Seconds over which CAMS counts requests, and over which what got through is counted here."""
PROBE_SECONDS = 2.5
"""Seconds per slot held between a refusal and the next probe: 5 s at 2 slots, 25 s at the
ceiling of 10. With four processes sharing 10/s that is a probe every ~1.5 s among them, most of
them refused while the account is full (`make bench-shared` measures what that costs)."""
HOLD = 0.3
"""Seconds a probe's extra slot must go unrefused to count as room found. An answer comes back
in milliseconds; 0.3 s leaves room for a slow one without slowing the climb into freed room."""
DEMAND = 2.0
"""Seconds for which a request that had to wait counts as demand for more: a waiter sleeps until
a slot frees, a window and a round trip after the request that held it."""


class Allowance:
    """How many requests per second one key (credential and action) may send, on ``clock``.

    Told what happens (``waited``, ``sent``, ``throttled``) and asked ``rate``.
    Not thread-safe on its own: `AdaptiveRates` holds the lock.
    """

    def __init__(
        self,
        ceiling: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ceiling = ceiling
        self._clock = clock
        self._n = ceiling
        self._sent: deque[float] = deque()
        self._refused: deque[float] = deque()
        self._waited_at = -math.inf
        self._cut_at = -math.inf
        self._starting = True
        self._probe_at: float | None = None
        self._next_probe = math.inf
        self.cuts = 0
        """How many refusals lowered the allowance (for tests and the benchmark)."""
        self.probes = 0
        """How many times the allowance was raised by a probe."""

    def rate(self) -> float:
        """The requests per second allowed now (probing first, when one is due)."""
        now = self._clock()
        if self._starting and self.cuts and now - self._cut_at >= WINDOW:
            self._starting = False  # a whole window without a cut: start-up is over
        if self._probe_at is not None and now - self._probe_at >= HOLD:
            self._probe_at = None  # the probe held: there is room, probe again at once
            self._next_probe = now
        if (
            not self._starting
            and self._probe_at is None
            and self._n < self.ceiling
            and now >= self._next_probe
            and now - self._waited_at <= DEMAND
        ):
            self._n = min(self.ceiling, math.floor(self._n) + 1)
            self._probe_at = now
            self.probes += 1
        return self._n

    def current(self) -> float:
        """The allowance as it stands, without probing (for pacing other requests by it)."""
        return self._n

    def waited(self) -> None:
        """A request had to wait for the allowance: there is demand for more."""
        self._waited_at = self._clock()

    def sent(self) -> None:
        """A request was let go."""
        now = self._clock()
        self._sent.append(now)
        self._forget(now)

    def throttled(self, sent_at: float) -> None:
        """A request sent at ``sent_at`` was refused by flow control: cut the allowance.

        An answer to a request sent before the last cut says nothing about the allowance since.
        """
        now = self._clock()
        self._refused.append(now)
        self._forget(now)
        probing = self._probe_at is not None
        self._probe_at = None
        if sent_at > self._cut_at:
            lowered = self._lowered(probing)
            if lowered < self._n:
                self._n = lowered
                self._cut_at = now
                self.cuts += 1
        self._next_probe = now + PROBE_SECONDS * max(1.0, self._n)

    def _lowered(self, probing: bool) -> float:
        if self._n <= 1:
            return self._n  # never below one request per second (or a ceiling below that)
        if self._starting:
            return max(1, math.floor(self._n / 2))
        through = max(0, len(self._sent) - len(self._refused))
        return max(1, min(math.floor(self._n) - (1 if probing else 0), through))

    def _forget(self, now: float) -> None:
        for times in (self._sent, self._refused):
            while times and times[0] <= now - WINDOW:
                times.popleft()


class AdaptiveRates:
    """One `Allowance` per key (credential and action), created at the key's first use.

    ``enabled=False`` answers the ceiling always: the fixed limiter, kept as the benchmark's
    baseline. Thread-safe.
    """

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, enabled: bool = True
    ) -> None:
        self._clock = clock
        self.enabled = enabled
        """False: the fixed limiter (every key at its ceiling)."""
        self._lock = threading.Lock()
        self._allowances: dict[Hashable, Allowance] = {}

    def rate(self, key: Hashable, ceiling: float) -> float:
        """The rate to send ``key``'s next request at, at most ``ceiling``."""
        if not self.enabled:
            return ceiling
        with self._lock:
            return self._allowance(key, ceiling).rate()

    def current(self, key: Hashable, ceiling: float) -> float:
        """``key``'s allowance as it stands (no probe), at most ``ceiling``."""
        if not self.enabled:
            return ceiling
        with self._lock:
            return self._allowance(key, ceiling).current()

    def waited(self, key: Hashable, ceiling: float) -> None:
        """Report that a request of ``key`` had to wait for its allowance."""
        self._tell(key, ceiling, Allowance.waited)

    def sent(self, key: Hashable, ceiling: float) -> None:
        """Report a request of ``key`` let go."""
        self._tell(key, ceiling, Allowance.sent)

    def throttled(self, key: Hashable, ceiling: float, sent_at: float) -> None:
        """Report a throttled answer to ``key``'s request sent at ``sent_at``."""
        self._tell(key, ceiling, lambda allowance: allowance.throttled(sent_at))

    def reset(self) -> None:
        """Forget every key's allowance (tests: each starts at the ceiling)."""
        with self._lock:
            self._allowances.clear()

    def _tell(self, key: Hashable, ceiling: float, event: Callable[[Allowance], None]) -> None:
        if not self.enabled:
            return
        with self._lock:
            event(self._allowance(key, ceiling))

    def _allowance(self, key: Hashable, ceiling: float) -> Allowance:
        allowance = self._allowances.get(key)
        if allowance is None or allowance.ceiling != ceiling:
            allowance = self._allowances[key] = Allowance(ceiling, clock=self._clock)
        return allowance


_shared: AdaptiveRates | None = None
_shared_lock = threading.Lock()


def shared_rates() -> AdaptiveRates:
    """The process-wide rates every CamsClient uses unless given others."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = AdaptiveRates(enabled=not switched_off(ADAPTIVE_RATE_ENV))
        return _shared
