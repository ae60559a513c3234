"""Many pipelines, one account: K provider processes registering numbers at once (make bench).

Each process is a real ``python -u -m pulumi.dynamic`` with 8 creates in flight (one `pulumi up`
with --parallel 8); they share the emulator's demo account, whose flow control allows L requests
per second per action. Run side by side, numbers in 1, 6 or 30 spaces, under three controls:
"fixed" (``CAMS_ADAPTIVE_RATE=0``: each process at its own requestsPerSecond), "adaptive" (the
default: each process alone, adapting to throttled answers) and "store" (``cams:rateLimitStore``:
one bucket per action in a real Redis that every process shares); "store-lost" is the store
stopped mid-run.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pulumi_cams_provider.config import ADAPTIVE_RATE_ENV, setting

from tests.support import emulator_control as ctl
from tests.support.engine import DynamicProvider, ProviderError

ACCOUNT = "5012345678901234"
REGISTER = "ChatappVerifyAndRegister"
LIST = "QueryChatappPhoneNumbers"
THROTTLED = "System.LimitControl"
CONCURRENCY = 8
MAX_NUMBERS = 300
"""Numbers seeded per layout; the largest case is 4 processes x 75."""
LAYOUTS = (1, 6, 30)
CONTROLS = ("fixed", "adaptive", "store", "store-lost")
STORE_VARIABLE = setting("rateLimitStore").environment[0]


def space(spaces: int, j: int) -> str:
    return f"cams-bench-{spaces}s-{j}"


def number(spaces: int, i: int) -> str:
    return f"86{17 + LAYOUTS.index(spaces)}{i:09d}"


def index_of(phone: str) -> int:
    """The i that `number` made ``phone`` from."""
    return int(phone[-9:])


def code(i: int) -> str:
    return f"{200000 + i}"


def seed_numbers() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Spaces and pending numbers (with codes) for every layout; number i sits in space i % S."""
    spaces, numbers = [], []
    for layout in LAYOUTS:
        spaces += [{"custSpaceId": space(layout, j), "accountId": ACCOUNT} for j in range(layout)]
        numbers += [
            {
                "custSpaceId": space(layout, i % layout),
                "phoneNumber": number(layout, i),
                "status": "PENDING",
                "codeVerificationStatus": "NOT_VERIFIED",
                "verifiedName": f"Shared {i}",
                "verifyCode": code(i),
            }
            for i in range(MAX_NUMBERS)
        ]
    return spaces, numbers


@dataclass
class SharedRun:
    processes: int
    per_process: int
    spaces: int
    control: str
    seconds: float
    registered: int
    failures: int
    register_throttled: int
    list_throttled: int
    listings: int
    slowest: float
    median: float
    finish_spread: float
    doubled: int
    startup: float
    """Seconds from the start of the run to the first request CAMS saw: the processes' first
    creates loading the Alibaba SDK and making their first call, K of them on this machine's
    cores."""
    timeline: list[list[tuple[int, int]]] = field(default_factory=list)
    """Each second from the first register call: (accepted, refused) registers per process."""

    @property
    def adaptive(self) -> bool:
        return self.control == "adaptive"

    @property
    def total(self) -> int:
        return self.processes * self.per_process

    def ideal(self, rate: float) -> float:
        return self.total / rate

    @property
    def sending(self) -> float:
        """Seconds from the first request CAMS saw to the end of the run."""
        return self.seconds - self.startup

    def after_startup(self, rate: float) -> float:
        """The share of the ideal reached from the first request on: what the control
        delivers, apart from the machine's start-up."""
        return self.ideal(rate) / max(1e-9, self.sending)

    def throttled_per_registration(self) -> float:
        return (self.register_throttled + self.list_throttled) / max(1, self.registered)


def seen_at(entry: dict[str, Any]) -> float:
    """When CAMS saw a request of its log, on this machine's clock (time.time)."""
    return datetime.fromisoformat(entry["time"]).timestamp()


def timeline(
    log: list[dict[str, Any]], processes: int, per_process: int
) -> list[list[tuple[int, int]]]:
    """Accepted and throttled register calls in the emulator's request log, per second and per
    process (number i is process i // per_process's): where a shared run loses time, and to
    whom."""
    registers = [e for e in log if e["action"] == REGISTER]
    if not registers:
        return []
    times = [seen_at(e) for e in registers]
    start = min(times)
    seconds = [[(0, 0)] * processes for _ in range(int(max(times) - start) + 1)]
    for entry, at in zip(registers, times, strict=True):
        p = index_of(entry["params"]["PhoneNumber"]) // per_process
        second = seconds[int(at - start)]
        accepted, refused = second[p]
        ok, throttled = entry["code"] == "OK", entry["code"] == THROTTLED
        second[p] = (accepted + ok, refused + throttled)
    return seconds


def run(
    url: str,
    stack_config: Callable[[str, float], dict[str, str]],
    *,
    processes: int,
    per_process: int,
    spaces: int,
    control: str,
    rate: float,
    store: str | None = None,
    stop_store: Callable[[], None] | None = None,
) -> SharedRun:
    """One run; ``store`` is the Redis URL for the store controls, ``stop_store`` what stops
    it (called 2 s into a "store-lost" run)."""
    ctl.reset(url)
    env = {
        "fixed": {ADAPTIVE_RATE_ENV: "0"},
        "adaptive": {},
        "store": {STORE_VARIABLE: store or ""},
        "store-lost": {STORE_VARIABLE: store or ""},
    }[control]
    providers = [DynamicProvider(env=env) for _ in range(processes)]
    lost = threading.Timer(2.0, stop_store) if control == "store-lost" and stop_store else None
    try:
        for process in providers:
            process.configure(stack_config(url, rate))
        ctl.clear_requests(url)
        latencies: list[float] = []
        finishes: list[float] = []
        failures = 0
        lock = threading.Lock()
        started, started_at = time.perf_counter(), time.time()

        def one(process: DynamicProvider, i: int) -> None:
            nonlocal failures
            props = {
                "custSpaceId": space(spaces, i % spaces),
                "phoneNumber": number(spaces, i),
                "verifyCode": code(i),
            }
            begun = time.perf_counter()
            try:
                checked = process.check(props, name=f"n{i}")
                process.create(checked.inputs, name=f"n{i}")
            except ProviderError as err:
                print(f"  create {i} failed: {err.details[:200]}", file=sys.stderr)
                with lock:
                    failures += 1
            with lock:
                latencies.append(time.perf_counter() - begun)

        def pipeline(p: int) -> None:
            indexes = range(p * per_process, (p + 1) * per_process)
            with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
                list(pool.map(lambda i: one(providers[p], i), indexes))
            with lock:
                finishes.append(time.perf_counter() - started)

        threads = [threading.Thread(target=pipeline, args=(p,)) for p in range(processes)]
        if lost is not None:
            lost.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        if lost is not None:
            lost.cancel()
        for process in providers:
            process.__exit__(None, None, None)
    log = ctl.requests(url)
    ok_registers: dict[str, int] = {}
    for entry in log:
        if entry["action"] == REGISTER and entry["code"] == "OK":
            phone = entry["params"]["PhoneNumber"]
            ok_registers[phone] = ok_registers.get(phone, 0) + 1
    connected = sum(
        n["status"] == "CONNECTED" and n["custSpaceId"].startswith(f"cams-bench-{spaces}s-")
        for n in ctl.state(url)["phoneNumbers"]
    )
    return SharedRun(
        processes=processes,
        per_process=per_process,
        spaces=spaces,
        control=control,
        seconds=seconds,
        registered=connected,
        failures=failures,
        register_throttled=sum(e["action"] == REGISTER and e["code"] == THROTTLED for e in log),
        list_throttled=sum(e["action"] == LIST and e["code"] == THROTTLED for e in log),
        listings=sum(e["action"] == LIST and e["code"] == "OK" for e in log),
        slowest=max(latencies),
        median=statistics.median(latencies),
        finish_spread=max(finishes) - min(finishes),
        doubled=sum(count > 1 for count in ok_registers.values()),
        startup=min((seen_at(e) for e in log), default=started_at) - started_at,
        timeline=timeline(log, processes, per_process),
    )
