"""Client-side adaptive rate control: many processes sharing one CAMS account, no coordinator.

CAMS allows 10 requests per second per account and action and refuses the rest with
``System.LimitControl``. One provider process never exceeds ``cams:requestsPerSecond``, but
several pipelines sharing an account each see only themselves. So each process treats
``requestsPerSecond`` as a ceiling and follows a CUBIC curve below it, the design of the AWS
SDKs' "adaptive" retry mode (botocore ``retries/adaptive.py`` and ``retries/standard.py``;
https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) and of TCP CUBIC
(RFC 9438):

- on a throttled answer the rate is cut to ``beta`` times what it was, and that rate becomes
  the curve's plateau ``w_max``;
- from there the rate grows as ``w_max + scale * (t - k) ** 3``, where ``k`` is the time the
  curve takes to climb back to ``w_max``: fast at first, flat near the plateau (where the
  processes found the account's limit last time), then probing above it, up to the ceiling;
- one cut per ``cooldown`` seconds: answers to requests sent before a cut say nothing about the
  rate after it (like TCP's one decrease per round trip).

Processes that share an account thus converge on it together: each cut makes room, each
plateau holds the share found, and the probing finds room that others left.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

__all__ = ["AdaptiveRates", "CubicRate", "shared_rates"]

BETA = 0.95
"""The fraction of its measured rate a process keeps after a throttled answer. botocore keeps
0.7 of its allowed rate; cutting from the measured share instead (below) is already most of the
cut, so a gentle 0.95 lands the processes' sum just under the account's limit."""
SCALE = 0.01
"""The curve's scale (per s^3). botocore uses 0.4 for rates in the hundreds; at CAMS's 10/s that
probes above the limit every second or two. With 0.01 a process stays near its plateau for
seconds and probes about every 5 s (tests/test_adaptive.py simulates 2 and 4 processes)."""
COOLDOWN = 1.0
"""Seconds after a cut during which further throttled answers cut nothing: CAMS's window."""
WINDOW = 1.0
"""Seconds over which the rate that got through is measured: CAMS's flow-control window."""
FLOOR = 0.2
"""No process goes slower than one request per 5 s."""


class CubicRate:
    """The allowed rate of one key over time: the ceiling until throttled, then a CUBIC curve.

    ``clock`` is injectable (tests drive it by hand). Not thread-safe on its own: `AdaptiveRates`
    holds the lock.
    """

    def __init__(
        self,
        ceiling: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        beta: float = BETA,
        scale: float = SCALE,
        cooldown: float = COOLDOWN,
        floor: float = FLOOR,
        window: float = WINDOW,
    ) -> None:
        self.ceiling = ceiling
        self._clock = clock
        self._beta = beta
        self._scale = scale
        self._cooldown = cooldown
        self._floor = min(floor, ceiling)
        self._window = window
        self._w_max = ceiling
        self._k = 0.0
        self._since = clock()
        self._cut_at = -math.inf
        self._accepted: deque[float] = deque()
        self.cuts = 0
        """How many times a throttled answer cut the rate (for tests and the benchmark)."""

    def rate(self) -> float:
        """The rate allowed now, in requests per second."""
        t = self._clock() - self._since
        value = self._w_max + self._scale * (t - self._k) ** 3
        return max(self._floor, min(self.ceiling, value))

    def accepted(self) -> None:
        """A request got through flow control (whatever its answer): counts toward the
        measured rate."""
        now = self._clock()
        self._accepted.append(now)
        self._forget(now)

    def measured(self) -> float:
        """Requests that got through in the last ``window`` seconds, per second."""
        self._forget(self._clock())
        return len(self._accepted) / self._window

    def throttled(self) -> None:
        """A request was refused by flow control: cut the rate, unless it was just cut.

        The cut starts from what got through in the last window rather than from the rate
        allowed: with several processes sharing the account, that is this process's share,
        and ``beta`` of it leaves the others room.
        """
        now = self._clock()
        if now - self._cut_at < self._cooldown:
            return
        allowed = self.rate()
        measured = self.measured()
        # Nothing got through in the window (a process's first requests): no share to go by.
        current = min(allowed, measured) if measured > 0 else allowed
        lowered = max(self._floor, current * self._beta)
        self._w_max = current
        self._k = ((current - lowered) / self._scale) ** (1 / 3)
        self._since = self._cut_at = now
        self.cuts += 1

    def _forget(self, now: float) -> None:
        while self._accepted and self._accepted[0] <= now - self._window:
            self._accepted.popleft()


class AdaptiveRates:
    """One `CubicRate` per key (credential and action), created at the key's first use.

    ``enabled=False`` answers the ceiling always: the fixed limiter, kept as the benchmark's
    baseline. Thread-safe.
    """

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, enabled: bool = True
    ) -> None:
        self._clock = clock
        self.enabled = enabled
        """False: the fixed limiter (rates are the ceiling, and requests are not paced)."""
        self._lock = threading.Lock()
        self._rates: dict[Hashable, CubicRate] = {}

    def rate(self, key: Hashable, ceiling: float) -> float:
        """The rate to send ``key``'s next request at, at most ``ceiling``."""
        if not self.enabled:
            return ceiling
        with self._lock:
            return self._curve(key, ceiling).rate()

    def throttled(self, key: Hashable, ceiling: float) -> None:
        """Report a throttled answer for ``key``."""
        if not self.enabled:
            return
        with self._lock:
            self._curve(key, ceiling).throttled()

    def accepted(self, key: Hashable, ceiling: float) -> None:
        """Report a request of ``key`` that got through flow control."""
        if not self.enabled:
            return
        with self._lock:
            self._curve(key, ceiling).accepted()

    def reset(self) -> None:
        """Forget every key's curve (tests: each starts at the ceiling)."""
        with self._lock:
            self._rates.clear()

    def _curve(self, key: Hashable, ceiling: float) -> CubicRate:
        curve = self._rates.get(key)
        if curve is None or curve.ceiling != ceiling:
            curve = self._rates[key] = CubicRate(ceiling, clock=self._clock)
        return curve


_shared: AdaptiveRates | None = None
_shared_lock = threading.Lock()

ADAPTIVE_ENV = "CAMS_ADAPTIVE_RATE"
"""Environment variable: "0" or "false" turns adaptive rate control off (the fixed limiter at
``requestsPerSecond``). Only the benchmark sets it, to measure what adapting saves."""


def shared_rates() -> AdaptiveRates:
    """The process-wide rates every CamsClient uses unless given others."""
    import os

    global _shared
    with _shared_lock:
        if _shared is None:
            enabled = os.environ.get(ADAPTIVE_ENV, "").strip().lower() not in ("0", "false", "no")
            _shared = AdaptiveRates(enabled=enabled)
        return _shared
