"""The process-wide limiter: window arithmetic on a fake clock, and real threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
from pulumi_cams_provider.cams.pacing.ratelimit import RateLimiter, shared_limiter

from tests.support.fake_clock import FakeClock


def limiter(clock: FakeClock, **kwargs: float) -> RateLimiter:
    """A limiter on ``clock`` without jitter, so that its arithmetic is exact."""
    return RateLimiter(clock=clock, sleep=clock.sleep, **{"jitter": 0.0, **kwargs})


def max_in_window(starts: Sequence[float], window: float = 1.0) -> int:
    """The most starts that fall in any half-open window [t, t + window)."""
    ordered = sorted(starts)
    best = 0
    j = 0
    for i, start in enumerate(ordered):
        while ordered[j] <= start - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_a_burst_gets_rate_permits_then_waits_a_window() -> None:
    clock = FakeClock()
    rl = limiter(clock)
    starts = []
    for _ in range(5):
        with rl.slot("k", 4) as permit:
            starts.append(permit.start)
    assert starts[:4] == [0.0, 0.0, 0.0, 0.0]
    assert starts[4] == pytest.approx(1.0 + rl.margin)


def test_never_more_than_rate_starts_in_any_window() -> None:
    clock = FakeClock()
    rl = limiter(clock)
    starts = []
    for i in range(200):
        permit = rl.acquire("k", 10)
        starts.append(permit.start)
        clock.now += 0.001 * (i % 7)  # requests of varying length
        rl.release(permit)
    assert max_in_window(starts) == 10


def test_steady_state_reaches_95_percent_of_the_nominal_rate() -> None:
    clock = FakeClock()
    rl = limiter(clock)
    starts = []
    while clock.now < 20.0:
        permit = rl.acquire("k", 10)
        starts.append(permit.start)
        clock.now += 0.004  # a loopback round trip
        rl.release(permit)
    assert len([s for s in starts if s < 20.0]) >= 0.95 * 10 * 20


def test_an_in_flight_request_holds_its_slot_for_max_lag_plus_a_window() -> None:
    clock = FakeClock()
    rl = limiter(clock, max_lag=0.1, margin=0.0)
    first = rl.acquire("k", 1)
    second = rl.acquire("k", 1)  # the first never finishes: assume the server saw it late
    assert second.start - first.start == pytest.approx(1.1)


def test_a_finished_request_frees_its_slot_a_window_after_it_finished() -> None:
    clock = FakeClock()
    rl = limiter(clock, max_lag=0.1, margin=0.0)
    first = rl.acquire("k", 1)
    clock.now = 0.03
    rl.release(first)  # the server saw it at 0.03 at the latest
    second = rl.acquire("k", 1)
    assert second.start == pytest.approx(1.03)


def test_release_is_idempotent() -> None:
    clock = FakeClock()
    rl = limiter(clock, margin=0.0)
    permit = rl.acquire("k", 1)
    rl.release(permit)
    clock.now = 0.5
    rl.release(permit)
    assert permit.finish == 0.0


def test_a_rate_below_one_spaces_starts_by_its_inverse() -> None:
    clock = FakeClock()
    rl = limiter(clock, margin=0.0)
    starts = []
    for _ in range(3):
        with rl.slot("k", 0.5) as permit:
            starts.append(permit.start)
    assert starts == pytest.approx([0.0, 2.0, 4.0])


def test_a_fractional_rate_means_that_fraction() -> None:
    # 2.5 per second is 2 starts per 0.8 s: 50 starts in 20 s, not 40 (rounded down) or 60.
    clock = FakeClock()
    rl = limiter(clock, margin=0.0)
    starts = []
    for _ in range(51):
        with rl.slot("k", 2.5) as permit:
            starts.append(permit.start)
    assert starts[:4] == pytest.approx([0.0, 0.0, 0.8, 0.8])
    assert sum(start < 20.0 for start in starts) == 50
    assert starts[50] == pytest.approx(20.0)


def test_a_waiter_is_counted_and_asks_the_rate_again_when_it_wakes() -> None:
    # Adaptive rate control learns from on_wait that requests wait for the allowance, and an
    # allowance raised meanwhile (a probe) applies to the request already waiting.
    clock = FakeClock()
    rate = [1.0]
    waits: list[float] = []

    def woken_early(seconds: float) -> None:  # a release elsewhere wakes the waiter
        clock.sleep(min(seconds, 0.1))
        rate[0] = 2.0

    rl = RateLimiter(clock=clock, sleep=woken_early, margin=0.0, jitter=0.0)
    held = rl.acquire("k", lambda: rate[0])  # in flight: its slot stays taken
    second = rl.acquire("k", lambda: rate[0], on_wait=lambda: waits.append(clock.now))
    assert waits == [0.0]
    assert second.start == pytest.approx(0.1)  # the second slot, as soon as it was allowed
    assert held.finish is None


def test_keys_are_independent() -> None:
    clock = FakeClock()
    rl = limiter(clock)
    for _ in range(3):
        rl.release(rl.acquire(("ak:A", "QueryChatappPhoneNumbers"), 3))
        rl.release(rl.acquire(("ak:A", "ChatappVerifyAndRegister"), 3))
        rl.release(rl.acquire(("ak:B", "QueryChatappPhoneNumbers"), 3))
    assert clock.sleeps == []


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter().acquire("k", 0)


def test_the_shared_limiter_is_process_wide() -> None:
    assert shared_limiter() is shared_limiter()


def test_threads_share_the_limit_and_waiters_wake_on_release() -> None:
    rl = RateLimiter()
    starts: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            with rl.slot("threads", 20) as permit:
                with lock:
                    starts.append(permit.start)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    elapsed = time.monotonic() - began
    assert len(starts) == 40
    assert max_in_window(starts) == 20
    # 40 starts at 20 per window: two windows' worth, so just over one window of waiting.
    assert 1.0 <= elapsed < 2.0
