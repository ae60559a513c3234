"""Bringing a space of registered numbers under management: `pulumi-cams import-file`, then
every number read by ID through the native plugin as `pulumi import --file` reads them."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.harness import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    FLEET_SPACE,
    LIST,
    REGISTER,
    calls,
    pool_map,
)
from bench.refresh import PER_LISTING
from bench.report import Row
from tests.support import emulator_control as ctl
from tests.support.plugin_harness import FakeEngine, PluginProcess


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


def rows(imported: ImportRun, fleet: int) -> list[Row]:
    reads = imported.read_calls
    per_number = sum(reads.values()) / max(imported.imported, 1)
    bound = math.ceil(fleet / PER_LISTING)
    return [
        Row(
            f"import x{imported.imported}: import-file",
            f"{imported.file_listings} listing in {imported.file_seconds:.2f} s",
            "1 listing per space",
            imported.file_listings == 1 and imported.imported == fleet,
        ),
        Row(
            f"import x{imported.imported}: reads by ID (pulumi import --file)",
            f"{reads[LIST]} listing(s), {reads[REGISTER]} registers, {per_number:.3f} calls per "
            f"number, in {imported.read_seconds:.2f} s",
            f"<= ceil({fleet}/{PER_LISTING}) = {bound} listings, 0 registers",
            reads[LIST] <= bound and reads[REGISTER] == 0,
        ),
    ]
