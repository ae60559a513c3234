"""Throughput: N check+create calls for N pending numbers in one space, wall time against the
ideal N / L seconds (L register calls per second), register and list calls counted in the
emulator's request log; then the same with listing sharing switched off
(``CAMS_SHARE_LISTINGS=0``: one QueryChatappPhoneNumbers per observation), and the ratio."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.harness import LIST, REGISTER, SPACE, inputs, pool_map, provider
from bench.report import Row
from tests.support import emulator_control as ctl
from tests.support.engine import ProviderError

TARGET_OF_IDEAL = 90
"""The least share of the ideal a shared run must reach, in percent."""


@dataclass
class CreateRun:
    seconds: float
    failures: int
    register_calls: int
    register_ok: int
    list_calls: int
    throttled: int
    registered_numbers: int
    outputs: list[tuple[str, dict[str, Any]]]


def run_creates(url: str, n: int, rate: float, *, share: bool) -> CreateRun:
    ctl.reset(url)
    with provider(url, rate, share=share) as process:
        ctl.clear_requests(url)

        def one(i: int) -> tuple[str, dict[str, Any]] | None:
            try:
                checked = process.check(inputs(i), name=f"n{i}")
                assert not checked.failures, checked.failures
                return process.create(checked.inputs, name=f"n{i}")
            except ProviderError as err:
                print(f"  create {i} failed: {err.message}", file=sys.stderr)
                return None

        started = time.perf_counter()
        results = pool_map(one, n)
        seconds = time.perf_counter() - started
    log = ctl.requests(url)
    registers = [e for e in log if e["action"] == REGISTER]
    numbers = {
        p["phoneNumber"]
        for p in ctl.state(url)["phoneNumbers"]
        if p["custSpaceId"] == SPACE and p["status"] == "CONNECTED"
    }
    ok_per_number = Counter(e["params"]["PhoneNumber"] for e in registers if e["code"] == "OK")
    assert all(count == 1 for count in ok_per_number.values()), ok_per_number
    return CreateRun(
        seconds=seconds,
        failures=sum(r is None for r in results),
        register_calls=len(registers),
        register_ok=len(ok_per_number),
        list_calls=sum(e["action"] == LIST for e in log),
        throttled=sum(e["code"] == "System.LimitControl" for e in log),
        registered_numbers=len(numbers),
        outputs=[r for r in results if r is not None],
    )


def rows(shared: CreateRun, naive: CreateRun, n: int, rate: float) -> list[Row]:
    ideal = n / rate
    found: list[Row] = []
    for label, run in (("shared", shared), ("naive", naive)):
        pct = 100 * ideal / run.seconds
        baseline = label == "naive"
        found += [
            Row(
                f"create x{n}, {label}: wall time",
                f"{run.seconds:.2f} s (ideal {ideal:.2f} s) = {pct:.0f} % of ideal",
                "baseline" if baseline else f">= {TARGET_OF_IDEAL} % of ideal",
                baseline or pct >= TARGET_OF_IDEAL,
            ),
            Row(
                f"create x{n}, {label}: register calls / numbers registered",
                f"{run.register_calls} / {run.registered_numbers} (failures {run.failures})",
                f"{n} / {n}, no failure",
                run.register_calls == n == run.registered_numbers == run.register_ok
                and run.failures == 0,
            ),
            Row(
                f"create x{n}, {label}: list calls (throttled answers)",
                f"{run.list_calls} ({run.throttled})",
                "2 per create" if baseline else "shared: < 2 per create",
                run.throttled == 0 and (baseline or run.list_calls < 2 * n),
            ),
        ]
    found.append(
        Row(
            "throughput ratio shared / naive",
            f"{naive.seconds / shared.seconds:.2f}x",
            "> 1",
            naive.seconds > shared.seconds,
        )
    )
    return found
