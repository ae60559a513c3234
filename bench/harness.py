"""What every benchmark scenario runs on: the emulator in its own process, a seed with the
numbers each scenario needs, and provider processes configured the way a stack configures them.

Everything runs the way a `pulumi up` would, short of the CLI: the emulator in its own process
(``python -m cams_emulator --qps L``), the provider in ``python -u -m pulumi.dynamic`` driven
over the engine's gRPC protocol (tests/support/engine.py) with `CONCURRENCY` calls in flight, as
an engine with ``--parallel 8`` would.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cams_emulator import DEMO_SEED_PATH, load_seed
from pulumi_cams_provider.cams.actions import QUERY_PHONE_NUMBERS, VERIFY_AND_REGISTER
from pulumi_cams_provider.config import SHARE_LISTINGS_ENV

from bench import shared_account
from tests.support import emulator_control as ctl
from tests.support.demo_seed import DEMO_KEY
from tests.support.engine import DynamicProvider

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "5012345678901234"
ACCESS_KEY_ID, ACCESS_KEY_SECRET = DEMO_KEY
SPACE = "cams-bench-space"
FLEET_SPACE = "cams-bench-fleet"
REGISTER = VERIFY_AND_REGISTER
LIST = QUERY_PHONE_NUMBERS
CONCURRENCY = 8


def clean_environment() -> None:
    """Never route loopback through a proxy, never ask an ECS metadata service for
    credentials: for this process and every one it starts."""
    for proxy in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        os.environ.pop(proxy, None)
    os.environ.pop("all_proxy", None)
    os.environ.update(
        ALIBABA_CLOUD_ECS_METADATA_DISABLED="true", ALIBABA_CLOUD_CLI_PROFILE_DISABLED="true"
    )


def phone(i: int) -> str:
    return f"861700{i:07d}"


def fleet_phone(i: int) -> str:
    return f"861710{i:07d}"


def code(i: int) -> str:
    return f"{100000 + i}"


def make_seed(n: int, fleet: int) -> dict[str, Any]:
    """The demo seed plus a space of N pending numbers with codes, a fleet of registered ones,
    and the shared-account scenario's numbers."""
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


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )
