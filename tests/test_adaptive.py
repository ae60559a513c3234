"""Adaptive rate control (pulumi_cams_provider.adaptive) on a fake clock.

The simulation: N clients, each sending as fast as its own CubicRate allows, against one account
whose flow control (like CAMS's, and the emulator's) accepts a request when fewer than 10 were
accepted in the preceding second. No coordinator: each client sees only its own answers.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass

import pytest
from fake_clock import FakeClock
from pulumi_cams_provider.adaptive import AdaptiveRates, CubicRate

LIMIT = 10
CEILING = 10.0


@dataclass(frozen=True)
class Sent:
    at: float
    client: int
    accepted: bool


def simulate(clients: int, seconds: float) -> list[Sent]:
    clock = FakeClock()
    curves = [CubicRate(CEILING, clock=clock) for _ in range(clients)]
    window: deque[float] = deque()
    queue = [(0.001 * i, i) for i in range(clients)]
    sent: list[Sent] = []
    while queue:
        at, client = heapq.heappop(queue)
        if at >= seconds:
            break
        clock.now = at
        while window and window[0] <= at - 1.0:
            window.popleft()
        accepted = len(window) < LIMIT
        if accepted:
            window.append(at)
            curves[client].accepted()
        else:
            curves[client].throttled()
        sent.append(Sent(at, client, accepted))
        heapq.heappush(queue, (at + 1.0 / curves[client].rate(), client))
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


def test_one_client_keeps_the_ceiling_when_nothing_throttles() -> None:
    clock = FakeClock()
    curve = CubicRate(CEILING, clock=clock)
    for _ in range(100):
        curve.accepted()
        clock.sleep(0.1)
    assert curve.rate() == CEILING and curve.cuts == 0


def test_a_throttled_answer_cuts_from_the_measured_rate_then_climbs_back() -> None:
    clock = FakeClock()
    curve = CubicRate(CEILING, clock=clock)
    for _ in range(30):  # 3 accepted per second for 10 s: this client's share
        curve.accepted()
        clock.sleep(1 / 3)
    share = curve.measured()
    assert share == pytest.approx(3, abs=1)
    curve.throttled()
    assert curve.cuts == 1
    assert curve.rate() == pytest.approx(0.95 * share)
    curve.throttled()  # within the cooldown: the answer is about a request sent before the cut
    assert curve.cuts == 1
    clock.sleep(2.0)
    assert 0.95 * share < curve.rate() < share  # climbing back, flat near the plateau
    clock.sleep(30.0)
    assert curve.rate() == CEILING  # probing found no limit: back at the ceiling


@pytest.mark.parametrize("clients", [2, 4])
def test_clients_sharing_a_limit_converge_on_it_and_stay_under_it(clients: int) -> None:
    sent = simulate(clients, seconds=60.0)
    # Within 10 s the clients together use at least 9 of the 10 requests per second...
    settled = per_window(sent, 10.0, 60.0, 10.0)
    assert all(accepted >= 9 * 10 for accepted, _ in settled), settled
    # ...and from then on they stay under the limit: what they send (accepted or not) averages
    # at most the limit, and at most one request in ten is refused.
    accepted = sum(a for a, _ in settled)
    throttled = sum(t for _, t in settled)
    assert (accepted + throttled) / 50.0 <= LIMIT
    assert throttled <= 0.1 * (accepted + throttled)
    # Each client gets a share of the account, none is starved.
    shares = [
        sum(s.accepted for s in sent if s.client == c and s.at >= 10.0) for c in range(clients)
    ]
    assert min(shares) > 0.5 * accepted / clients, shares


def test_disabled_rates_are_the_fixed_limiter() -> None:
    rates = AdaptiveRates(clock=FakeClock(), enabled=False)
    for _ in range(10):
        rates.throttled("key", 10.0)
    assert rates.rate("key", 10.0) == 10.0
    enabled = AdaptiveRates(clock=FakeClock())
    enabled.throttled("key", 10.0)
    assert enabled.rate("key", 10.0) < 10.0
    assert enabled.rate("other", 10.0) == 10.0  # per key
    assert enabled.rate("key", 4.0) == 4.0  # a new ceiling starts a new curve
