"""Fixtures of the end-to-end suite: the real Pulumi CLI (`make e2e`).

The CLI comes from scripts/pulumi-cli.sh: the `pulumi` on PATH when it is recent enough, else
one built once from the Go module proxy. The suite runs only under `make e2e` (which sets
PULUMI_CAMS_E2E=1); `make test` leaves this folder out.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer
from pulumi_cli import REPO_ROOT, PulumiCli


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """The directory holding `pulumi` and the plugins it runs beside it."""
    done = subprocess.run(
        [str(REPO_ROOT / "scripts" / "pulumi-cli.sh")], capture_output=True, text=True, timeout=3600
    )
    if done.returncode != 0:
        pytest.fail(done.stderr.strip().splitlines()[-1] if done.stderr else "no Pulumi CLI")
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def cli(pulumi_bin: Path, emulator: EmulatorServer, tmp_path: Path) -> Iterator[PulumiCli]:
    """The CLI in a fresh workspace (backend, home), pointed at the reset emulator."""
    yield PulumiCli(pulumi_bin, tmp_path, emulator.url)
