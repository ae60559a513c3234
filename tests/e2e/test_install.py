"""What a new user of the native plugin installs, from nothing: a YAML program whose `cams`
plugin is the `pulumi-resource-cams` that `pip install` of pulumi-cams put on PATH; and the
plugin archive (`make dist`) installed with `pulumi plugin install --file`, for a program in any
language without a Python install of its own (here TypeScript). A Python program's own install,
`pulumi install`, is the quickstart's first step (test_quickstart.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.resource import installed_version

from tests.support.demo_seed import CODE
from tests.support.pulumi_cli import (
    EXAMPLES,
    REPO_ROOT,
    PulumiCli,
    typescript_project,
    yaml_from_path,
)

VERSION = installed_version()
"""The package version: the plugin's, the SDK's and the archive's."""


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with only what `pip install -r requirements.txt` brings (from PyPI and the
    checkout), as the quickstart README says to make it."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_REQUIRE_VIRTUALENV",)}
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-r", "requirements.txt"],
        cwd=EXAMPLES / "quickstart",
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


def as_user(cli: PulumiCli, venv: Path) -> None:
    """The user's shell: the fresh virtualenv activated, the CLI on PATH, nothing of ours."""
    ours = str(Path(sys.executable).parent)
    rest = [p for p in cli.env["PATH"].split(os.pathsep) if p != ours]
    cli.env["PATH"] = os.pathsep.join([str(venv / "bin"), *rest])
    cli.env["VIRTUAL_ENV"] = str(venv)


def test_a_yaml_program_finds_the_plugin_the_wheel_installed(
    cli: PulumiCli, emulator: EmulatorServer, fresh_venv: Path
) -> None:
    as_user(cli, fresh_venv)
    assert (fresh_venv / "bin" / "pulumi-resource-cams").exists()
    project = yaml_from_path(cli)
    cli.stack_init(project)
    cli.config(project, "verifyCode", CODE, secret=True)
    up = cli("up", "--yes", cwd=project)
    assert f"using pulumi-resource-cams from $PATH at {fresh_venv}/bin/pulumi-resource-cams" in (
        up.output
    ), up
    assert cli.outputs(project)["status"] == "CONNECTED"


@pytest.fixture(scope="module")
def plugin_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive `make dist` writes, built from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO_ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "plugin_archive.py"), str(out)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Path(done.stdout.strip())


def test_the_plugin_archive_installs_with_pulumi_plugin_install(
    cli: PulumiCli, emulator: EmulatorServer, plugin_archive: Path, typescript_modules: Path
) -> None:
    """The installed archive serves a TypeScript program (the engine starts it through
    Pulumi's Python host; from YAML, the YAML host would: see test_native.py)."""
    # The checkout's pulumi-resource-cams is on PATH here; a user of the archive has none.
    cli.env["PULUMI_IGNORE_AMBIENT_PLUGINS"] = "true"
    assert plugin_archive.name == f"pulumi-resource-cams-v{VERSION}.tar.gz"
    cli(
        "plugin", "install", "resource", "cams", VERSION, "--file", str(plugin_archive),
        cwd=plugin_archive.parent,
    )  # fmt: skip
    installed = cli.home / "plugins" / f"resource-cams-v{VERSION}"
    # The language host made the plugin its own virtualenv from the archive's requirements.txt.
    assert (installed / "venv" / "bin" / "pulumi-resource-cams").exists()
    project = typescript_project(cli, typescript_modules)
    cli.stack_init(project)
    cli.config(project, "verifyCode", CODE, secret=True)

    up = cli("up", "--yes", cwd=project)

    assert "from $PATH" not in up.output, up
    assert cli.outputs(project)["status"] == "CONNECTED"


def test_a_base_install_has_no_redis_client_and_the_store_extra_has_one(
    cli: PulumiCli, emulator: EmulatorServer, fresh_venv: Path, tmp_path: Path
) -> None:
    """The shared quota is an extra: a base install does not pull redis-py (nor any rate
    limiting library), and a store configured without it fails in one line naming the extra."""

    def has(venv: Path, module: str) -> bool:
        probe = [str(venv / "bin" / "python"), "-c", f"import {module}"]
        return subprocess.run(probe, capture_output=True, timeout=60).returncode == 0

    assert not has(fresh_venv, "redis") and not has(fresh_venv, "pyrate_limiter")
    as_user(cli, fresh_venv)
    project = cli.project("yaml")
    text = (project / "Pulumi.yaml").read_text().replace("packages:\n  cams: ../..\n", "")
    (project / "Pulumi.yaml").write_text(text)
    cli.stack_init(project)
    cli.config(project, "verifyCode", CODE, secret=True)
    cli("config", "set", "--secret", "cams:rateLimitStore", "redis://127.0.0.1:9/0", cwd=project)

    preview = cli("preview", cwd=project, check=False)

    assert preview.code != 0
    assert (
        "Invalid provider setting cams:rateLimitStore: a rate limit store needs redis-py, which "
        "pulumi-cams installs only with its store extra. Install `pip install "
        "'pulumi-cams[store]'` where the provider runs"
    ) in preview.output, preview

    extra = tmp_path / "store"
    subprocess.run([sys.executable, "-m", "venv", str(extra)], check=True, timeout=120)
    done = subprocess.run(
        [str(extra / "bin" / "pip"), "install", "--quiet", f"{REPO_ROOT}[store]"],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert has(extra, "redis") and not has(extra, "pyrate_limiter")
