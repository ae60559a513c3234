"""Adaptive rate control (pulumi_cams_provider.cams.pacing.adaptive) on a fake clock.

The simulation: N clients that always have requests waiting, each sending what its own
`Allowance` and a rate limiter like ratelimit's allow (at most ``floor(rate)`` requests per
window, a slot free again one window after its answer), against one account whose flow control
(like CAMS's, and the emulator's) accepts a request when fewer than 10 were accepted in the
second before it arrived. No coordinator: each client sees only its own answers.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field

import pytest
from pulumi_cams_provider.cams.pacing.adaptive import (
    HOLD,
    PROBE_SECONDS,
    AdaptiveRates,
    Allowance,
)

from tests.support.fake_clock import FakeClock

LIMIT = 10
CEILING = 10.0
LATENCY = (0.002, 0.010)
"""Seconds from sending a request to its answer, uniformly (it reaches CAMS halfway): the
jitter interleaves the clients' first bursts, as a network does."""
MARGIN = 0.005
"""The rate limiter's margin after a window (ratelimit.RateLimiter)."""


@dataclass(frozen=True)
class Sent:
    at: float
    client: int
    accepted: bool


@dataclass
class Client:
    allowance: Allowance
    free_at: list[float] = field(default_factory=list)
    """When each slot of the client's last window is free again (inf: the answer is awaited)."""


def simulate(clients: int, seconds: float) -> list[Sent]:
    clock = FakeClock()
    latency = random.Random(clients)
    fleet = [Client(Allowance(CEILING, clock=clock)) for _ in range(clients)]
    window: deque[float] = deque()
    sent: list[Sent] = []
    # (time, order, client, kind, sent_at): kind "try" asks the limiter, "answer" is a reply.
    events: list[tuple[float, int, int, str, float]] = [
        (0.001 * i, i, i, "try", 0.0) for i in range(clients)
    ]
    order = clients
    while events:
        at, _, index, kind, sent_at = heapq.heappop(events)
        if at >= seconds:
            break
        clock.now = at
        client = fleet[index]
        allowance = client.allowance
        if kind == "answer":
            arrival = (sent_at + at) / 2
            while window and window[0] <= arrival - 1.0:
                window.popleft()
            accepted = len(window) < LIMIT
            if accepted:
                window.append(arrival)
            else:
                allowance.throttled(sent_at)
            sent.append(Sent(sent_at, index, accepted))
            client.free_at[client.free_at.index(math.inf)] = at + 1.0 + MARGIN
            next_try = at
        else:
            rate = allowance.rate()
            capacity = max(1, math.floor(rate))
            client.free_at = [t for t in client.free_at if t > at]
            if len(client.free_at) < capacity:
                allowance.sent()
                client.free_at.append(math.inf)
                order += 1
                answer_at = at + latency.uniform(*LATENCY)
                heapq.heappush(events, (answer_at, order, index, "answer", at))
                next_try = at
            else:
                allowance.waited()
                next_try = min(min(client.free_at), at + 0.05)  # asked again on wake-up
        order += 1
        heapq.heappush(events, (next_try, order, index, "try", 0.0))
    return sent


def per_window(sent: list[Sent], start: float, end: float, size: float) -> list[tuple[int, int]]:
    """(accepted, throttled) in each window of ``size`` seconds from ``start`` to ``end``."""
    windows = []
    t = start
    while t + size <= end:
        inside = [s for s in sent if t <= s.at < t + size]
        windows.append((sum(s.accepted for s in inside), sum(not s.accepted for s in inside)))
        t += size
    return windows


def busy(allowance: Allowance, clock: FakeClock, per_second: int, seconds: float) -> None:
    """``per_second`` requests sent and accepted each second, with more waiting."""
    for _ in range(round(per_second * seconds)):
        allowance.rate()
        allowance.waited()
        allowance.sent()
        clock.sleep(1 / per_second)


def saturate(allowance: Allowance, clock: FakeClock, until: float) -> None:
    """Bursts of whatever the allowance is, all accepted, a window and a round trip apart (as
    the rate limiter sends them), with more requests always waiting."""
    while clock.now < until:
        for _ in range(max(1, math.floor(allowance.rate()))):
            allowance.waited()
            allowance.sent()
        clock.sleep(1.01)


def burst(allowance: Allowance, clock: FakeClock, accepted: int) -> None:
    """``accepted`` requests sent now and accepted, and one more refused."""
    for _ in range(accepted):
        allowance.sent()
    refused(allowance, clock)


def refused(allowance: Allowance, clock: FakeClock) -> None:
    """One more request sent now, and refused."""
    allowance.sent()
    allowance.throttled(sent_at=clock.now)


def test_a_client_alone_keeps_the_ceiling_and_never_probes() -> None:
    clock = FakeClock()
    allowance = Allowance(CEILING, clock=clock)
    busy(allowance, clock, 10, 30.0)
    assert allowance.rate() == CEILING
    assert (allowance.cuts, allowance.probes) == (0, 0)


def test_start_up_cuts_halve_and_ignore_answers_to_requests_sent_before_a_cut() -> None:
    clock = FakeClock()
    allowance = Allowance(CEILING, clock=clock)
    for _ in range(9):  # the first burst: ten requests at once
        allowance.sent()
    clock.sleep(0.01)
    refused(allowance, clock)
    assert allowance.rate() == 5  # half the ceiling
    allowance.throttled(sent_at=0.0)  # sent in the same burst: says nothing new
    assert (allowance.rate(), allowance.cuts) == (5, 1)
    clock.sleep(0.2)
    refused(allowance, clock)  # sent after the cut: still too many
    assert (allowance.rate(), allowance.cuts) == (2, 2)  # 2.5, a whole number of requests
    clock.sleep(0.2)
    refused(allowance, clock)
    assert (allowance.rate(), allowance.cuts) == (1, 3)


def settled(clock: FakeClock, share: int) -> Allowance:
    """An allowance past start-up, just cut to ``share`` (at most 4) requests per second."""
    allowance = Allowance(CEILING, clock=clock)
    refused(allowance, clock)  # start-up: halved to 5
    clock.sleep(1.01)
    assert allowance.rate() == 5  # a window without a cut: start-up is over
    clock.sleep(1.01)
    burst(allowance, clock, share)  # share got through, one more was refused
    assert (allowance.rate(), allowance.cuts) == (share, 2)
    return allowance


def test_after_start_up_a_refusal_takes_back_one_slot() -> None:
    clock = FakeClock()
    allowance = settled(clock, 4)
    saturate(allowance, clock, until=clock.now + 2.0)
    burst(allowance, clock, 3)  # another process's probe took one of this burst's 4 slots
    assert (allowance.rate(), allowance.cuts) == (3, 3)


def test_a_probe_comes_after_a_pause_per_slot_held() -> None:
    clock = FakeClock()
    allowance = settled(clock, 2)
    cut = clock.now  # the first probe is due 2 x PROBE_SECONDS later
    saturate(allowance, clock, until=cut + PROBE_SECONDS * 2 - 0.4)
    assert (allowance.current(), allowance.probes) == (2, 0)
    saturate(allowance, clock, until=cut + PROBE_SECONDS * 2 + 0.4)
    assert (allowance.current(), allowance.probes) == (3, 1)
    burst(allowance, clock, 2)  # into a full account: the extra request is refused
    assert allowance.rate() == 2
    cut = clock.now
    saturate(allowance, clock, until=cut + PROBE_SECONDS * 2 - 0.4)
    assert (allowance.current(), allowance.probes) == (2, 1)
    saturate(allowance, clock, until=cut + PROBE_SECONDS * 2 + 0.4)
    assert (allowance.current(), allowance.probes) == (3, 2)


def test_a_probe_that_holds_climbs_on_into_the_room_it_found() -> None:
    clock = FakeClock()
    allowance = settled(clock, 2)
    saturate(allowance, clock, until=clock.now + PROBE_SECONDS * 2)
    # No refusal from then on (the other processes finished): one more slot with each burst,
    # the previous probe having held for HOLD.
    assert HOLD < 1.01
    saturate(allowance, clock, until=clock.now + 8 * 1.01)
    assert (allowance.current(), allowance.probes) == (CEILING, 8)


def test_no_probe_without_requests_waiting() -> None:
    clock = FakeClock()
    allowance = settled(clock, 2)
    clock.sleep(60.0)
    assert (allowance.rate(), allowance.probes) == (2, 0)
    allowance.waited()
    assert (allowance.rate(), allowance.probes) == (3, 1)


def test_no_allowance_goes_below_one_request_per_second() -> None:
    clock = FakeClock()
    allowance = Allowance(CEILING, clock=clock)
    for _ in range(20):  # shut out: another process holds the whole account
        refused(allowance, clock)
        clock.sleep(0.5)
    assert (allowance.rate(), allowance.cuts) == (1, 3)  # 10, 5, 2, 1


def test_a_fractional_ceiling_is_kept_and_never_exceeded() -> None:
    clock = FakeClock()
    allowance = Allowance(2.5, clock=clock)
    assert allowance.rate() == 2.5
    allowance.sent()
    refused(allowance, clock)
    assert allowance.rate() == 1  # half of 2.5, a whole number
    busy(allowance, clock, 1, 20.0)
    assert (allowance.rate(), allowance.probes) == (2.5, 2)
    below_one = Allowance(0.5, clock=clock)
    refused(below_one, clock)
    assert below_one.rate() == 0.5


@pytest.mark.parametrize("clients", [2, 4])
def test_clients_sharing_a_limit_converge_on_it_and_stay_under_it(clients: int) -> None:
    sent = simulate(clients, seconds=60.0)
    # Within 10 s the clients together use more than 9 of the 10 requests per second...
    settled_windows = per_window(sent, 10.0, 60.0, 10.0)
    assert all(accepted > 9 * 10 for accepted, _ in settled_windows), settled_windows
    # ...and from then on they stay at the limit: what they send (accepted or not) exceeds it
    # by less than one request per second (the probes), and under one request in ten is refused.
    accepted = sum(a for a, _ in settled_windows)
    throttled = sum(t for _, t in settled_windows)
    assert (accepted + throttled) / 50.0 < LIMIT + 1
    assert throttled < 0.1 * (accepted + throttled)
    # Each client gets a share of the account, none is starved.
    shares = [
        sum(s.accepted for s in sent if s.client == c and s.at >= 10.0) for c in range(clients)
    ]
    assert min(shares) > 0.5 * accepted / clients, shares


def test_rates_are_per_key_and_disabled_rates_are_the_fixed_limiter() -> None:
    disabled = AdaptiveRates(clock=FakeClock(), enabled=False)
    for _ in range(10):
        disabled.throttled("key", 10.0, sent_at=0.0)
    assert disabled.rate("key", 10.0) == disabled.current("key", 10.0) == 10.0
    clock = FakeClock()
    enabled = AdaptiveRates(clock=clock)
    for _ in range(10):
        enabled.sent("key", 10.0)
    clock.sleep(0.01)
    enabled.throttled("key", 10.0, sent_at=0.0)
    assert enabled.rate("key", 10.0) == enabled.current("key", 10.0) == 5
    assert enabled.rate("other", 10.0) == 10.0  # per key
    assert enabled.rate("key", 4.0) == 4.0  # a new ceiling starts a new allowance
