"""The number's profile and webhook for a fleet of N registered numbers: N profile creates, N
webhook creates, then a refresh of all 2N, each through ``python -m pulumi.dynamic`` with
`CONCURRENCY` calls in flight. Calls per number are counted per action in the emulator's log;
wall time is set against the rate-limit ideal: the busiest action's calls over its allowed rate
(`ALLOWED_RATES`), since every action has its own budget."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider
from pulumi_cams_provider.cams.actions import ALLOWED_RATES
from pulumi_cams_provider.dynamic import PhoneNumberProfileProvider, PhoneNumberWebhookProvider

from bench.harness import REGISTER, SPACE, phone, pool_map, provider
from bench.report import Row
from tests.support import emulator_control as ctl

TARGET_OF_IDEAL = 80
"""The least share of the ideal, in percent: each create reads, writes and reads again, and the
reads of different numbers wait on the same budget."""

_PROFILE = {"about": "Support, 9:00-17:00", "vertical": "RETAIL"}
_WEBHOOK = {"statusCallbackUrl": "https://hooks.example.com/cams/status", "httpDelivery": True}


@dataclass
class Phase:
    label: str
    seconds: float
    calls: Counter[str]
    failures: int

    def ideal(self, rate: float) -> float:
        """The busiest action's calls over what CAMS allows it (and what the run allowed)."""
        return max(
            (n / min(rate, ALLOWED_RATES.get(a, rate)) for a, n in self.calls.items()),
            default=0.0,
        )


def run_configuration(url: str, rate: float, n: int) -> list[Phase]:
    """Profile creates, webhook creates, and a refresh of both, for the N numbers the
    throughput scenario registered."""
    blobs = {
        "profile": serialize_provider(PhoneNumberProfileProvider()),
        "webhook": serialize_provider(PhoneNumberWebhookProvider()),
    }
    fields = {"profile": _PROFILE, "webhook": _WEBHOOK}
    phases: list[Phase] = []
    created: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    with provider(url, rate) as process:
        for kind in ("profile", "webhook"):

            def create(i: int, kind: str = kind) -> tuple[str, dict[str, Any]] | None:
                props = {
                    "__provider": blobs[kind],
                    "custSpaceId": SPACE,
                    "phoneNumber": phone(i),
                    **fields[kind],
                }
                checked = process.check(props, name=f"{kind}{i}")
                if checked.failures:
                    return None
                return process.create(checked.inputs, name=f"{kind}{i}")

            phase, results = _timed(url, f"{kind} create x{n}", lambda: pool_map(create, n))
            created[kind] = [r for r in results if r is not None]
            phases.append(phase)
        states = [
            (rid, {**outs, "__provider": blobs[kind]})
            for kind in ("profile", "webhook")
            for rid, outs in created[kind]
        ]

        def read(i: int) -> str:
            return process.read(states[i][0], states[i][1], name=f"read{i}")[0]

        phase, ids = _timed(
            url, f"refresh x{n} profiles + x{n} webhooks", lambda: pool_map(read, len(states))
        )
        phase.failures += sum(not rid for rid in ids)
        phases.append(phase)
    return phases


def _timed(url: str, label: str, work: Any) -> tuple[Phase, list[Any]]:
    ctl.clear_requests(url)
    started = time.perf_counter()
    results = work()
    seconds = time.perf_counter() - started
    calls = Counter(e["action"] for e in ctl.requests(url))
    return Phase(label, seconds, calls, sum(r is None for r in results)), results


def rows(phases: list[Phase], rate: float, n: int) -> list[Row]:
    found = []
    for phase in phases:
        ideal = phase.ideal(rate)
        pct = 100 * ideal / phase.seconds if phase.seconds else 0.0
        per_number = ", ".join(f"{a} {c / n:.2f}" for a, c in sorted(phase.calls.items()))
        found.append(
            Row(
                f"{phase.label}: wall time",
                f"{phase.seconds:.2f} s (ideal {ideal:.2f} s) = {pct:.0f} % of ideal",
                f">= {TARGET_OF_IDEAL} % of ideal, no failure",
                pct >= TARGET_OF_IDEAL and phase.failures == 0,
            )
        )
        found.append(
            Row(
                f"{phase.label}: calls per number",
                per_number,
                "no register call; at most 1 write per resource",
                REGISTER not in phase.calls
                and all(
                    phase.calls[a] <= n
                    for a in ("ModifyPhoneBusinessProfile", "UpdatePhoneWebhook")
                ),
            )
        )
    return found
