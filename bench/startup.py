"""Preview and start-up: check and diff for N resources and the API calls they made (target
0); the time to the first Check answer from a fresh provider process, ours against a trivial
provider pickled the same way (median of several runs, alternating); and whether the Alibaba
SDK was imported by then."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider

from bench.harness import ROOT, SPACE, calls, inputs, phone, pool_map, provider, stack_config
from bench.report import Row
from bench.trivial_provider import TrivialProvider
from tests.support import emulator_control as ctl
from tests.support.engine import DynamicProvider, provider_blob

STARTUP_RATIO = 1.2
"""The most our first Check may take against a trivial provider's."""

SDK_CHECK = """
import json, sys
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider
p = PhoneNumberRegistrationProvider()
p.configure(ConfigureRequest(Config({}, "bench")))
p.check({}, {"custSpaceId": "s", "phoneNumber": "+8613800001234", "verifyCode": "123456"})
p.diff("s/8613800001234", {"custSpaceId": "s", "phoneNumber": "8613800001234"},
       {"custSpaceId": "s", "phoneNumber": "8613800001234"})
sdk = ("alibabacloud", "darabonba", "Tea")
print(json.dumps(sorted(m for m in sys.modules if m.startswith(sdk))))
"""


def run_preview(url: str, rate: float, states: list[tuple[str, dict[str, Any]]]) -> int:
    """API calls made by check and diff for every resource (the state as the old outputs)."""
    with provider(url, rate) as process:
        ctl.clear_requests(url)

        def one(i: int) -> None:
            checked = process.check(inputs(i), states[i][1], name=f"n{i}")
            diff = process.diff(states[i][0], states[i][1], checked.inputs, name=f"n{i}")
            assert diff.changes == "DIFF_NONE", diff

        pool_map(one, len(states))
    return sum(calls(url).values())


def first_check_seconds(url: str, blob: str, news: dict[str, Any]) -> float:
    """Start ``python -m pulumi.dynamic``, Configure, Check: seconds until Check answered."""
    # The trivial provider is pickled by reference (bench.trivial_provider): the provider
    # process finds it from the checkout.
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    with DynamicProvider(env=env) as process:
        process.configure(stack_config(url, 10))
        process.check({**news, "__provider": blob})
        return time.perf_counter() - started


def run_startup(url: str, runs: int) -> tuple[float, float]:
    ours_blob = provider_blob()
    trivial_blob = serialize_provider(TrivialProvider())
    news = {"custSpaceId": SPACE, "phoneNumber": f"+{phone(0)}"}
    ours: list[float] = []
    trivial: list[float] = []
    first_check_seconds(url, trivial_blob, news)  # warm the OS file cache for both
    for _ in range(runs):
        trivial.append(first_check_seconds(url, trivial_blob, news))
        ours.append(first_check_seconds(url, ours_blob, news))
    return statistics.median(ours), statistics.median(trivial)


def sdk_imported_by_preview() -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", SDK_CHECK], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def rows(
    preview_calls: int, n: int, startup: tuple[float, float], runs: int, sdk_modules: list[str]
) -> list[Row]:
    ours, trivial = startup
    return [
        Row(f"preview x{n} (check + diff): API calls", str(preview_calls), "0", preview_calls == 0),
        Row(
            "start-up: first Check answered",
            f"{ours * 1000:.0f} ms vs trivial {trivial * 1000:.0f} ms = {ours / trivial:.2f}x "
            f"(median of {runs})",
            f"<= {STARTUP_RATIO}x",
            ours / trivial <= STARTUP_RATIO,
        ),
        Row(
            "start-up: Alibaba SDK modules loaded by check + diff",
            str(len(sdk_modules)),
            "0",
            not sdk_modules,
        ),
    ]
