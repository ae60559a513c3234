"""Running the real Pulumi CLI the way a user types it, offline, against the emulator.

`PulumiCli` runs ``pulumi <args>`` in a project directory with an environment of its own: a
local file backend and a ``PULUMI_HOME`` in a temporary directory, passphrase secrets, update
checks and plugin downloads off, the emulator's endpoint and demo access key, and a PATH that
holds the CLI's directory (with Pulumi's own language hosts beside it) and this checkout's
virtualenv (for `pulumi-cams`, and `pulumi-resource-cams`, the native plugin). A Python
program runs on its project's own ``venv`` as `pulumi new python` lays it out. Nothing reaches
a host but 127.0.0.1.

Every command is ended with all it started when it returns or is killed: its process group,
and every process that carries the command's own mark in its environment (the CLI starts its
language hosts and plugins in process groups of their own, so a killed CLI leaves them
running). `leftovers` finds anything that outlived a test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .demo_seed import DEMO_KEY

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
PASSPHRASE = "e2e-only-passphrase"
COMMAND_TIMEOUT_S = 300

# Settings a developer's shell may carry that must not reach the provider under test.
_SCRUBBED_PREFIXES = ("CAMS_", "ALIBABA_CLOUD_", "ALICLOUD_", "PULUMI_")
# Output a test can read, as in CI: no prompts, no colours, no progress animation.
_PLAIN = ("--non-interactive", "--color", "never")
_PROXIES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
MARK = "PULUMI_CAMS_E2E_COMMAND"
"""Each command's environment carries this variable with a value of its own, which everything
the command starts inherits: this test session's `SESSION`, a dot, and the command's own."""
SESSION = uuid.uuid4().hex


@dataclass(frozen=True)
class Result:
    """What one CLI command printed, and its exit code."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:
        return f"pulumi {' '.join(self.args)} -> {self.code}\n{self.stdout}\n{self.stderr}"


class CommandFailed(AssertionError):
    """A command that was expected to succeed exited non-zero."""


class PulumiCli:
    """The CLI in one workspace: its backend, its home and its environment."""

    def __init__(self, bin_dir: Path, workspace: Path, endpoint: str, **env: str) -> None:
        self.bin_dir = bin_dir
        self.workspace = workspace
        self.backend = workspace / "backend"
        self.home = workspace / "home"
        self._marks: dict[int, str] = {}  # the mark of each command `start` started, by PID
        self.backend.mkdir(parents=True, exist_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(_SCRUBBED_PREFIXES) and k not in _PROXIES
        }
        venv_bin = str(Path(sys.executable).parent)
        self.env: dict[str, str] = {
            **base,
            "PATH": os.pathsep.join([str(bin_dir), venv_bin, base.get("PATH", "")]),
            "PULUMI_HOME": str(self.home),
            "PULUMI_BACKEND_URL": f"file://{self.backend}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "CAMS_ENDPOINT": endpoint,
            "ALIBABA_CLOUD_ACCESS_KEY_ID": DEMO_KEY[0],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": DEMO_KEY[1],
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
            "ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true",
            **env,
        }

    def project(
        self, example: str | Path, name: str | None = None, *, venv: Path | None = None
    ) -> Path:
        """A copy of an example (or any project directory) in the workspace, as a user's
        checkout would have it: no stack files, no virtualenv. Its requirements.txt names this
        checkout where the example names it as ``../..``. With ``venv``, the project's
        ``venv`` is that virtualenv (one `pulumi install` made), so that only the tests of
        `pulumi install` itself pay for a fresh one."""
        source = example if isinstance(example, Path) else EXAMPLES / example
        target = self.workspace / (name or source.name)
        shutil.copytree(
            source,
            target,
            ignore=shutil.ignore_patterns(
                "Pulumi.*.yaml", "venv", "__pycache__", "test-stack.yaml", "node_modules"
            ),
        )
        requirements = target / "requirements.txt"
        if requirements.exists():
            lines = requirements.read_text().splitlines()
            lines = [str(REPO_ROOT) if line.strip() == "../.." else line for line in lines]
            requirements.write_text("\n".join(lines) + "\n")
        if venv is not None:
            (target / "venv").symlink_to(venv, target_is_directory=True)
        return target

    def __call__(
        self,
        *args: str,
        cwd: Path,
        check: bool = True,
        env: dict[str, str] | None = None,
        timeout: float = COMMAND_TIMEOUT_S,
    ) -> Result:
        """Run ``pulumi <args>`` in ``cwd``; with ``check``, fail the test on a non-zero exit."""
        process = subprocess.Popen(
            [str(self.bin_dir / "pulumi"), *args, *_PLAIN],
            cwd=cwd,
            env={**self.env, **(env or {}), MARK: (mark := _new_mark())},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        finally:
            end_command(process, mark)
        result = Result(tuple(args), process.returncode, stdout, stderr)
        if check and result.code != 0:
            raise CommandFailed(str(result))
        return result

    def start(self, *args: str, cwd: Path, log: Path) -> subprocess.Popen[Any]:
        """Start ``pulumi <args>`` in its own process group, output to ``log``."""
        handle = log.open("w")
        try:
            process = subprocess.Popen(
                [str(self.bin_dir / "pulumi"), *args, *_PLAIN],
                cwd=cwd,
                env={**self.env, MARK: (mark := _new_mark())},
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            handle.close()
        self._marks[process.pid] = mark
        return process

    def kill(self, process: subprocess.Popen[Any]) -> None:
        """SIGKILL a command from `start` and everything it started, as a CI runner
        cancelling a job."""
        end_command(process, self._marks.pop(process.pid))

    def install(self, project: Path, *flags: str) -> Result:
        """`pulumi install`: the project's virtualenv and its requirements, as a user runs it."""
        return self("install", *flags, cwd=project, timeout=900)

    def stack_init(self, project: Path, stack: str = "dev") -> None:
        self("stack", "init", stack, cwd=project)

    def config(
        self, project: Path, key: str, value: str, *, secret: bool = False, path: bool = False
    ) -> None:
        flags = ["--secret"] * secret + ["--path"] * path
        self("config", "set", *flags, key, value, cwd=project)

    def outputs(self, project: Path) -> dict[str, Any]:
        return dict(
            json.loads(self("stack", "output", "--json", "--show-secrets", cwd=project).stdout)
        )

    def export(self, project: Path) -> dict[str, Any]:
        return dict(json.loads(self("stack", "export", cwd=project).stdout))


def _new_mark() -> str:
    return f"{SESSION}.{uuid.uuid4().hex}"


def end_command(process: subprocess.Popen[Any], mark: str) -> None:
    """SIGKILL what is left of the command ``process``: its process group, then every process
    that carries its ``mark`` (until none is left: one may start another meanwhile); reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    for _ in range(20):
        left = leftovers(f"{MARK}={mark}")
        if not left:
            return
        for line in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)
        time.sleep(0.05)


def leftovers(marker: str, *, prefix: bool = False) -> list[str]:
    """The live processes whose environment holds ``marker`` (``KEY=value``; with ``prefix``,
    a value that starts so): each one a test started and did not end. Zombies are not
    counted: they hold nothing."""
    found = []
    needle = marker.encode()
    matches = (lambda entry: entry.startswith(needle)) if prefix else needle.__eq__
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        state = stat.rsplit(")", 1)[1].split()[0]
        if state != "Z" and any(matches(entry) for entry in environ.split(b"\0")):
            found.append(f"{entry.name}: {cmdline.strip()}")
    return found


def quickstart_stack(cli: PulumiCli, venv: Path, code: str = "246810") -> Path:
    """examples/quickstart in the workspace on the virtualenv ``venv``, with a `dev` stack
    whose verifyCode is ``code`` (the demo seed's code for +86 138-0000-1234 unless a test
    requested another)."""
    project = cli.project("quickstart", venv=venv)
    cli.stack_init(project)
    cli.config(project, "verifyCode", code, secret=True)
    return project


def checkout_copy(target: Path) -> Path:
    """The files git tracks in this checkout, copied to ``target``: what a user's clone holds
    (a file deleted in the work tree is not copied)."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        if (REPO_ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, target / name)
    return target


def run_bash(script: str, cwd: Path, env: dict[str, str], timeout: float = 900) -> Result:
    """``script`` in ``bash -euo pipefail`` with ``env``, ended with all it started (its
    process group and every process carrying its mark), as a command of `PulumiCli` is."""
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env={**env, MARK: (mark := _new_mark())},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    finally:
        end_command(process, mark)
    return Result(("bash",), process.returncode, output, "")


def run(args: list[str], cwd: Path, timeout: float = 900) -> None:
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"


def typescript_project(cli: PulumiCli, modules: Path) -> Path:
    project = cli.project("typescript")
    (project / "node_modules").symlink_to(modules, target_is_directory=True)
    return project


def yaml_from_path(cli: PulumiCli) -> Path:
    """examples/yaml as a user outside this checkout has it: no `packages:` entry, so the CLI
    finds the `cams` plugin that `pip install pulumi-cams` put on PATH.

    (The checkout's `packages:` entry makes the YAML host start the plugin from source itself,
    which the YAML host the Go module proxy serves, v1.25.0, cannot do with Pulumi's own
    Python host: test_native.py says why. The source and archive routes run from TypeScript,
    where the engine starts the plugin.)"""
    project = cli.project("yaml")
    text = (project / "Pulumi.yaml").read_text().replace("packages:\n  cams: ../..\n", "")
    assert "packages:" not in text, "examples/yaml's packages entry changed: update this"
    (project / "Pulumi.yaml").write_text(text)
    return project


def resources_of(exported: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    """The resources of one type in an exported stack."""
    return [r for r in exported["deployment"].get("resources", []) if r["type"] == type_token]
