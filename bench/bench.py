"""How close pulumi-cams gets to CAMS's physical limit: `make bench` (`python -m bench.bench`).

Everything runs the way a `pulumi up` would, short of the CLI: the emulator in its own process
(``python -m cams_emulator --qps L``), the provider in ``python -u -m pulumi.dynamic`` driven
over the engine's gRPC protocol (tests/engine.py) with 8 calls in flight, as an engine with
``--parallel 8`` would. Figures:

- throughput: N check+create calls for N pending numbers in one space, wall time against the
  ideal N / L seconds (L register calls per second), register and list calls counted in the
  emulator's request log; then the same with listing sharing switched off
  (``CAMS_SHARE_LISTINGS=0``: one QueryChatappPhoneNumbers per observation), and the ratio;
- refresh: N reads (and a larger fleet of registered numbers) and the list calls they cost,
  against the bound ceil(N / 25);
- preview: check and diff for N resources, and the API calls they made (target 0);
- start-up: time to the first Check answer from a fresh provider process, ours against a
  trivial provider pickled the same way, median of several runs, alternating; and whether the
  Alibaba SDK was imported by then.

The targets are in the table; the script exits 1 when one is missed, so a regression is loud.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cams_emulator import DEMO_SEED_PATH, load_seed
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_cams_provider.config import SHARE_LISTINGS_ENV

from bench import shared_account
from bench.trivial_provider import TrivialProvider
from tests.support import emulator_control as ctl
from tests.support.demo_seed import DEMO_KEY
from tests.support.engine import DynamicProvider, ProviderError, provider_blob
from tests.support.plugin_harness import FakeEngine, PluginProcess
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]


ACCOUNT = "5012345678901234"
ACCESS_KEY_ID, ACCESS_KEY_SECRET = DEMO_KEY
SPACE = "cams-bench-space"
FLEET_SPACE = "cams-bench-fleet"
REGISTER = "ChatappVerifyAndRegister"
LIST = "QueryChatappPhoneNumbers"
CONCURRENCY = 8

# Never route loopback through a proxy, never ask an ECS metadata service for credentials.
CLEAN_ENV = {
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true",
}
for _proxy in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_proxy, None)
os.environ.update(CLEAN_ENV)


def phone(i: int) -> str:
    return f"861700{i:07d}"


def fleet_phone(i: int) -> str:
    return f"861710{i:07d}"


def code(i: int) -> str:
    return f"{100000 + i}"


def make_seed(n: int, fleet: int) -> dict[str, Any]:
    """The demo seed plus a space of N pending numbers with codes and a fleet of registered ones."""
    seed = load_seed(DEMO_SEED_PATH)
    seed["spaces"] += [
        {"custSpaceId": SPACE, "accountId": ACCOUNT},
        {"custSpaceId": FLEET_SPACE, "accountId": ACCOUNT},
    ]
    seed["phoneNumbers"] += [
        {
            "custSpaceId": SPACE,
            "phoneNumber": phone(i),
            "status": "PENDING",
            "codeVerificationStatus": "NOT_VERIFIED",
            "verifiedName": f"Bench {i}",
            "verifyCode": code(i),
        }
        for i in range(n)
    ]
    shared_spaces, shared_numbers = shared_account.seed_numbers()
    seed["spaces"] += shared_spaces
    seed["phoneNumbers"] += shared_numbers
    seed["phoneNumbers"] += [
        {
            "custSpaceId": FLEET_SPACE,
            "phoneNumber": fleet_phone(i),
            "status": "CONNECTED",
            "codeVerificationStatus": "VERIFIED",
            "verifiedName": f"Fleet {i}",
        }
        for i in range(fleet)
    ]
    return seed


@contextmanager
def emulator(seed_file: Path, qps: int) -> Iterator[str]:
    """``python -m cams_emulator`` in a subprocess; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cams_emulator", "--port", "0", "--qps", str(qps)]
        + ["--seed", str(seed_file)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the emulator printed {url!r} instead of its URL")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def stack_config(url: str, rate: float) -> dict[str, str]:
    return {
        "cams:endpoint": url,
        "cams:accessKeyId": ACCESS_KEY_ID,
        "cams:accessKeySecret": ACCESS_KEY_SECRET,
        "cams:requestsPerSecond": str(rate),
    }


def provider(url: str, rate: float, *, share: bool = True) -> DynamicProvider:
    """A configured ``python -m pulumi.dynamic``; ``share=False`` is the naive variant."""
    env = {} if share else {SHARE_LISTINGS_ENV: "0"}
    process = DynamicProvider(env=env)
    process.configure(stack_config(url, rate))
    return process


def calls(url: str) -> Counter[str]:
    return Counter(entry["action"] for entry in ctl.requests(url))


def inputs(i: int) -> dict[str, Any]:
    return {"custSpaceId": SPACE, "phoneNumber": f"+{phone(i)}", "verifyCode": code(i)}


def pool_map(fn: Callable[[int], Any], n: int) -> list[Any]:
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        return list(pool.map(fn, range(n)))


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


def run_refresh(
    url: str, rate: float, states: list[tuple[str, dict[str, Any]]], *, share: bool
) -> tuple[int, float, int]:
    """(list calls, seconds, resources reported gone) for reading every state once."""
    with provider(url, rate, share=share) as process:
        ctl.clear_requests(url)
        started = time.perf_counter()
        results = pool_map(
            lambda i: process.read(states[i][0], states[i][1], name=f"r{i}"), len(states)
        )
        seconds = time.perf_counter() - started
    gone = sum(not rid for rid, _ in results)
    # Answered listings only: a listing CAMS refused (System.LimitControl) is retried, and
    # happens when a previous provider process still fills the window.
    answered = sum(e["action"] == LIST and e["code"] == "OK" for e in ctl.requests(url))
    return answered, seconds, gone


@dataclass(frozen=True)
class ImportRun:
    """`pulumi-cams import-file` of the fleet's space, then every number read by ID through
    the native plugin, as `pulumi import --file` reads them (no state, 8 in flight)."""

    file_seconds: float
    file_listings: int
    imported: int
    read_seconds: float
    read_calls: Counter[str]


def run_import(url: str, rate: float, tmp: Path) -> ImportRun:
    env = {
        **os.environ,
        "CAMS_ENDPOINT": url,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "CAMS_REQUESTS_PER_SECOND": str(rate),
    }
    ctl.clear_requests(url)
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("pulumi-cams")), "import-file", "--space", FLEET_SPACE],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    file_seconds = time.perf_counter() - started
    file_listings = calls(url)[LIST]
    ids = [r["id"] for r in json.loads(done.stdout)["resources"]]
    engine = FakeEngine()
    plugin = PluginProcess(engine.address, cwd=tmp, stderr_path=tmp / "plugin.stderr", env=env)
    try:
        plugin.configure(requestsPerSecond=float(rate))
        ctl.clear_requests(url)
        started = time.perf_counter()
        read = pool_map(lambda i: plugin.read(ids[i], {}).id, len(ids))
        read_seconds = time.perf_counter() - started
    finally:
        plugin.stop()
        engine.stop()
    assert read == ids, "an import read lost a number"
    return ImportRun(file_seconds, file_listings, len(ids), read_seconds, calls(url))


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


SDK_CHECK = """
import sys
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider
p = PhoneNumberRegistrationProvider()
p.configure(ConfigureRequest(Config({}, "bench")))
p.check({}, {"custSpaceId": "s", "phoneNumber": "+8613800001234", "verifyCode": "123456"})
p.diff("s/8613800001234", {"custSpaceId": "s", "phoneNumber": "8613800001234"},
       {"custSpaceId": "s", "phoneNumber": "8613800001234"})
print(sorted(m for m in sys.modules if m.startswith(("alibabacloud", "darabonba", "Tea"))))
"""


def sdk_imported_by_preview() -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", SDK_CHECK], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out.strip().replace("'", '"')))


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="registrations (default 60)")
    parser.add_argument("--rate", type=int, default=10, help="L: requests/s per action")
    parser.add_argument("--fleet", type=int, default=300, help="registered numbers to refresh")
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument(
        "--shared-only", action="store_true", help="only the shared-account (K processes) rows"
    )
    parser.add_argument(
        "--skip-shared",
        action="store_true",
        help="leave out the shared-account rows (about 8 minutes per repetition)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="repetitions of the shared-account runs; targets hold for the worst (default 3)",
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="print each shared run's register calls per second and process",
    )
    args = parser.parse_args(argv)
    n, rate = args.n, args.rate

    with tempfile.TemporaryDirectory() as tmp:
        seed_file = Path(tmp) / "seed.json"
        seed_file.write_text(json.dumps(make_seed(n, args.fleet)))
        with emulator(seed_file, rate) as url:
            print(f"emulator {url}, qps {rate}; {machine()}", file=sys.stderr)
            shared_runs = [] if args.skip_shared else run_shared_cases(url, rate, args.repeat)
            if args.trace:
                print_timelines(shared_runs)
            if args.shared_only:
                return print_table(n, rate, shared_rows(shared_runs, rate))
            ours_start, trivial_start = run_startup(url, args.startup_runs)
            sdk_modules = sdk_imported_by_preview()
            print("start-up measured", file=sys.stderr)
            shared = run_creates(url, n, rate, share=True)
            print(f"shared creates: {shared.seconds:.2f} s", file=sys.stderr)
            preview_calls = run_preview(url, rate, shared.outputs)
            refresh_lists, refresh_s, refresh_gone = run_refresh(
                url, rate, shared.outputs, share=True
            )
            fleet_states = [
                (
                    f"{FLEET_SPACE}/{fleet_phone(i)}",
                    {"custSpaceId": FLEET_SPACE, "phoneNumber": fleet_phone(i)},
                )
                for i in range(args.fleet)
            ]
            fleet_lists, fleet_s, fleet_gone = run_refresh(url, rate, fleet_states, share=True)
            imported = run_import(url, rate, Path(tmp))
            naive = run_creates(url, n, rate, share=False)
            print(f"naive creates: {naive.seconds:.2f} s", file=sys.stderr)
            naive_lists, naive_refresh_s, _ = run_refresh(url, rate, naive.outputs, share=False)

    ideal = n / rate
    rows: list[tuple[str, str, str, bool]] = []

    def row(name: str, value: str, target: str, ok: bool) -> None:
        rows.append((name, value, target, ok))

    for label, run in (("shared", shared), ("naive", naive)):
        pct = 100 * ideal / run.seconds
        row(
            f"create x{n}, {label}: wall time",
            f"{run.seconds:.2f} s (ideal {ideal:.2f} s) = {pct:.0f} % of ideal",
            ">= 90 % of ideal" if label == "shared" else "baseline",
            pct >= 90 or label == "naive",
        )
        row(
            f"create x{n}, {label}: register calls / numbers registered",
            f"{run.register_calls} / {run.registered_numbers} (failures {run.failures})",
            f"{n} / {n}, no failure",
            run.register_calls == n == run.registered_numbers == run.register_ok
            and run.failures == 0,
        )
        row(
            f"create x{n}, {label}: list calls (throttled answers)",
            f"{run.list_calls} ({run.throttled})",
            "shared: < 2 per create" if label == "shared" else "2 per create",
            run.throttled == 0 and (label == "naive" or run.list_calls < 2 * n),
        )
    row(
        "throughput ratio shared / naive",
        f"{naive.seconds / shared.seconds:.2f}x",
        "> 1",
        naive.seconds > shared.seconds,
    )
    bound = math.ceil(n / 25)
    row(
        f"refresh x{n}: list calls",
        f"{refresh_lists} in {refresh_s:.2f} s (naive {naive_lists} in {naive_refresh_s:.2f} s)",
        f"<= ceil({n}/25) = {bound}",
        refresh_lists <= bound and refresh_gone == 0,
    )
    fleet_bound = math.ceil(args.fleet / 25)
    row(
        f"refresh x{args.fleet}: list calls",
        f"{fleet_lists} in {fleet_s:.2f} s",
        f"<= ceil({args.fleet}/25) = {fleet_bound}",
        fleet_lists <= fleet_bound and fleet_gone == 0,
    )
    reads = imported.read_calls
    per_number = sum(reads.values()) / max(imported.imported, 1)
    row(
        f"import x{imported.imported}: import-file",
        f"{imported.file_listings} listing in {imported.file_seconds:.2f} s",
        "1 listing per space",
        imported.file_listings == 1 and imported.imported == args.fleet,
    )
    row(
        f"import x{imported.imported}: reads by ID (pulumi import --file)",
        f"{reads[LIST]} listing(s), {reads[REGISTER]} registers, {per_number:.3f} calls per "
        f"number, in {imported.read_seconds:.2f} s",
        f"<= ceil({args.fleet}/25) = {fleet_bound} listings, 0 registers",
        reads[LIST] <= fleet_bound and reads[REGISTER] == 0,
    )
    row(f"preview x{n} (check + diff): API calls", str(preview_calls), "0", preview_calls == 0)
    startup_ratio = ours_start / trivial_start
    row(
        "start-up: first Check answered",
        f"{ours_start * 1000:.0f} ms vs trivial {trivial_start * 1000:.0f} ms "
        f"= {startup_ratio:.2f}x (median of {args.startup_runs})",
        "<= 1.2x",
        startup_ratio <= 1.2,
    )
    row(
        "start-up: Alibaba SDK modules loaded by check + diff",
        str(len(sdk_modules)),
        "0",
        not sdk_modules,
    )
    rows += shared_rows(shared_runs, rate)
    return print_table(n, rate, rows)


SHARED_CASES = (
    # (processes, creates per process)
    (1, 30),
    (2, 30),
    (4, 30),
    (4, 75),
    (8, 20),
)
SHARED_LAYOUTS = (1, 6)
"""Spaces the numbers of a shared run sit in."""
SHARED_CONTROLS = ("fixed", "adaptive", "store")
LOST_CASE = (4, 30, 1)
"""The run whose store is stopped 2 s in (processes, creates, spaces)."""


def run_shared_cases(url: str, rate: int, repeat: int) -> list[shared_account.SharedRun]:
    """Every case under every control, side by side, ``repeat`` times (the cases inside the
    repetitions, so that a slow moment of the machine hits all controls alike); then the run
    whose store is lost, as often."""
    runs = []
    with RedisServer() as redis:
        for _ in range(repeat):
            for (processes, per_process), spaces, control in itertools.product(
                SHARED_CASES, SHARED_LAYOUTS, SHARED_CONTROLS
            ):
                runs.append(_shared_run(url, rate, processes, per_process, spaces, control, redis))
            processes, per_process, spaces = LOST_CASE
            runs.append(_shared_run(url, rate, processes, per_process, spaces, "store-lost", redis))
            redis.start()
    return runs


def _shared_run(
    url: str,
    rate: int,
    processes: int,
    per_process: int,
    spaces: int,
    control: str,
    redis: RedisServer,
) -> shared_account.SharedRun:
    result = shared_account.run(
        url,
        stack_config,
        processes=processes,
        per_process=per_process,
        spaces=spaces,
        control=control,
        rate=rate,
        store=redis.url,
        stop_store=redis.stop,
    )
    print(
        f"shared account {processes}x{per_process}, {spaces} space(s), {control}: "
        f"{result.seconds:.2f} s",
        file=sys.stderr,
    )
    return result


def shared_rows(
    runs: list[shared_account.SharedRun], rate: int
) -> list[tuple[str, str, str, bool]]:
    # Little's bound: K processes each keeping 8 creates in flight, served together at L
    # registers per second, wait K * 8 / L seconds per create on average however the rate is
    # shared (3.2 s for 4 processes, against a 1-process median under 1 s).
    groups: dict[tuple[int, int, int, str], list[shared_account.SharedRun]] = {}
    for r in runs:
        groups.setdefault((r.processes, r.per_process, r.spaces, r.control), []).append(r)
    rows = [_shared_row(key, group, rate) for key, group in groups.items()]
    rows += _store_overhead_rows(groups)
    return rows


def _store_overhead_rows(
    groups: dict[tuple[int, int, int, str], list[shared_account.SharedRun]],
) -> list[tuple[str, str, str, bool]]:
    """One process alone, with the store against without it: the wall time, and the time from
    its first request on, which is what each request's trip to the store costs. The first
    create with a store also waits for the store's client to load, which configure starts in
    the background (`SharedQuota.prepare`): in a `pulumi up` that is done while the engine
    checks and diffs; here the creates follow configure at once, so that it shows in the
    start-up."""
    case = {control: groups.get((1, 30, 1, control), []) for control in ("adaptive", "store")}
    if not all(case.values()):
        return []

    def best(control: str, seconds: Callable[[shared_account.SharedRun], float]) -> float:
        return min(seconds(r) for r in case[control])

    wall = {c: best(c, lambda r: r.seconds) for c in case}
    sending = {c: best(c, lambda r: r.sending) for c in case}
    startup = {c: best(c, lambda r: r.startup) for c in case}
    ratio = sending["store"] / sending["adaptive"]
    return [
        (
            "store overhead: 1 proc x 30, 1 space, store vs adaptive",
            f"{ratio:.3f}x from the first request ({sending['store']:.2f} s vs "
            f"{sending['adaptive']:.2f} s); wall {wall['store'] / wall['adaptive']:.3f}x "
            f"({wall['store']:.2f} s vs {wall['adaptive']:.2f} s), start-up "
            f"{startup['store']:.2f} s vs {startup['adaptive']:.2f} s (min of "
            f"{len(case['store'])})",
            "<= 1.02x from the first request",
            ratio <= 1.02,
        )
    ]


def _shared_row(
    key: tuple[int, int, int, str], group: list[shared_account.SharedRun], rate: int
) -> tuple[str, str, str, bool]:
    processes, per_process, spaces, control = key
    pcts = sorted(100 * r.ideal(rate) / r.seconds for r in group)
    throttled = max(r.throttled_per_registration() for r in group)
    correct = all(r.failures == 0 and r.doubled == 0 and r.registered == r.total for r in group)
    worst = min(group, key=lambda r: r.ideal(rate) / r.seconds)
    # Start-up: from the start to CAMS's first request; "after it": the ideal against the
    # time from that request on (what the control delivers, apart from the machine).
    startup = max(r.startup for r in group)
    after = 100 * min(r.after_startup(rate) for r in group)
    measured = (
        f"{pcts[0]:.0f} / {statistics.median(pcts):.0f} % of ideal (min / median of "
        f"{len(group)}; {worst.seconds:.1f} s vs {worst.ideal(rate):.1f} s); throttled/reg "
        f"<= {throttled:.3f}; start-up <= {startup:.1f} s, after it >= {after:.0f} %; "
        f"slowest {max(r.slowest for r in group):.1f} s (Little's bound "
        f"{processes * CONCURRENCY / rate:.1f}); listings {worst.listings}; "
        f"{sum(r.failures for r in group)} failed, {sum(r.doubled for r in group)} twice"
    )
    name = f"{processes} procs x {per_process}, {spaces} space(s), {control}"
    target, ok = "no failure, none twice", correct
    if control == "store" and spaces == 1 and (processes, per_process) in ((4, 75), (8, 20)):
        target = ">= 97 %, <= 0.02 throttled/reg"
        ok = correct and pcts[0] >= 97 and throttled <= 0.02
    elif control == "store" and spaces == 1 and (processes, per_process) == (4, 30):
        target = ">= 92 %"
        ok = correct and pcts[0] >= 92
    elif control == "adaptive" and processes == 1:
        target = ">= 98 %, 0 throttled"
        ok = correct and pcts[0] >= 98 and throttled == 0
    return name, measured, target, ok


def print_timelines(runs: list[shared_account.SharedRun]) -> None:
    """Register calls per second of each shared run (but the fixed): "accepted/refused" per
    process."""
    for r in runs:
        if r.control == "fixed" or r.processes == 1:
            continue
        print(f"\n{r.processes} procs x {r.per_process}, {r.spaces} space(s), {r.control}:")
        print("second  accepted  " + "  ".join(f"p{p}" for p in range(r.processes)))
        for second, counts in enumerate(r.timeline):
            cells = "  ".join(f"{a}/{f}" for a, f in counts)
            print(f"{second:6d}  {sum(a for a, _ in counts):8d}  {cells}")


def print_table(n: int, rate: int, rows: list[tuple[str, str, str, bool]]) -> int:
    print(
        f"\npulumi-cams bench: N={n}, L={rate}/s, {CONCURRENCY} concurrent gRPC calls; {machine()}"
    )
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    header = ("figure", "measured", "target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  ok")
    print("  ".join("-" * w for w in widths) + "  --")
    for name, value, target, ok in rows:
        cells = (name, value, target)
        print(
            "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            + ("  yes" if ok else "  NO")
        )
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
