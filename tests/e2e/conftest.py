"""Fixtures of the end-to-end suite: the real Pulumi CLI (`make e2e`).

The CLI comes from scripts/pulumi-cli.sh: the `pulumi` on PATH when it is recent enough, else
one built once from the Go module proxy with Pulumi's own language hosts beside it. The suite
runs only under `make e2e` (which sets PULUMI_CAMS_E2E=1); `make test` leaves this folder out.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer

from tests.support.pulumi_cli import MARK, REPO_ROOT, SESSION, PulumiCli, leftovers, run


@pytest.fixture(scope="session", autouse=True)
def nothing_left_running() -> Iterator[None]:
    """At the end of the suite, no process that any e2e command started is still running."""
    yield
    left = leftovers(f"{MARK}={SESSION}.", prefix=True)
    assert left == [], "processes outlived the e2e suite"


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
    """The CLI in a fresh workspace (backend, home), pointed at the reset emulator. The test
    fails if anything the CLI started outlives it (a language host, a plugin, a program)."""
    cli = PulumiCli(pulumi_bin, tmp_path, emulator.url)
    yield cli
    left = leftovers(f"PULUMI_HOME={cli.home}")
    for line in left:
        try:
            os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert left == [], "processes outlived the test that started them"


@pytest.fixture(scope="session")
def python_venv(pulumi_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python example's `venv` as `pulumi install` makes it (examples/fleet's requirements:
    pulumi-cams from this checkout, and PyYAML), shared by the tests that do not test
    `pulumi install` itself."""
    workspace = tmp_path_factory.mktemp("python-venv")
    cli = PulumiCli(pulumi_bin, workspace, "http://127.0.0.1:9")
    project = cli.project("fleet")
    cli.install(project)
    return project / "venv"


@pytest.fixture(scope="session")
def nodejs_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdk/nodejs built as examples/typescript/README.md says (npm install, tsc, package.json
    copied into bin/); returns that bin/."""
    if shutil.which("npm") is None:
        pytest.fail("Node.js and npm are needed to run examples/typescript")
    sdk = tmp_path_factory.mktemp("sdk") / "nodejs"
    shutil.copytree(REPO_ROOT / "sdk/nodejs", sdk, ignore=shutil.ignore_patterns("node_modules"))
    run(["npm", "install", "--no-audit", "--no-fund", "--silent"], sdk)
    run(["npx", "tsc"], sdk)
    shutil.copy(sdk / "package.json", sdk / "bin" / "package.json")
    return sdk / "bin"


@pytest.fixture(scope="session")
def typescript_modules(nodejs_sdk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/typescript's `npm install` (its SDK dependency pointed at the build above),
    done once; each test's copy of the example links these node_modules."""
    example = tmp_path_factory.mktemp("typescript") / "typescript"
    shutil.copytree(REPO_ROOT / "examples/typescript", example)
    package = example / "package.json"
    package.write_text(
        package.read_text().replace("file:../../sdk/nodejs/bin", f"file:{nodejs_sdk}")
    )
    run(["npm", "install", "--no-audit", "--no-fund", "--silent"], example)
    return example / "node_modules"
