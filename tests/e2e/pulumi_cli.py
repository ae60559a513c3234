"""Running the real Pulumi CLI the way a user types it, offline, against the emulator.

`PulumiCli` runs ``pulumi <args>`` in a project directory with an environment of its own: a
local file backend and a ``PULUMI_HOME`` in a temporary directory, passphrase secrets, update
checks and plugin downloads off, the emulator's endpoint and demo access key, and a PATH that
holds the CLI's directory and this checkout's virtualenv (whose ``python3`` has pulumi-cams
installed, and whose ``pulumi-resource-cams`` is the native plugin). Nothing reaches a host but
127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo_seed import DEMO_KEY

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"
PASSPHRASE = "e2e-only-passphrase"
COMMAND_TIMEOUT_S = 300

# Settings a developer's shell may carry that must not reach the provider under test.
_SCRUBBED_PREFIXES = ("CAMS_", "ALIBABA_CLOUD_", "ALICLOUD_", "PULUMI_")
# Output a test can read, as in CI: no prompts, no colours, no progress animation.
_PLAIN = ("--non-interactive", "--color", "never")
_PROXIES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


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

    def project(self, example: str | Path, name: str | None = None) -> Path:
        """A copy of an example (or any project directory) in the workspace, as a user's
        checkout would have it: no stack files, no virtualenv."""
        source = example if isinstance(example, Path) else EXAMPLES / example
        target = self.workspace / (name or source.name)
        shutil.copytree(
            source,
            target,
            ignore=shutil.ignore_patterns(
                "Pulumi.*.yaml", "venv", "__pycache__", "test-stack.yaml"
            ),
        )
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
        done = subprocess.run(
            [str(self.bin_dir / "pulumi"), *args, *_PLAIN],
            cwd=cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        result = Result(tuple(args), done.returncode, done.stdout, done.stderr)
        if check and result.code != 0:
            raise CommandFailed(str(result))
        return result

    def start(self, *args: str, cwd: Path, log: Path) -> subprocess.Popen[Any]:
        """Start ``pulumi <args>`` in its own process group, output to ``log``."""
        handle = log.open("w")
        try:
            return subprocess.Popen(
                [str(self.bin_dir / "pulumi"), *args, *_PLAIN],
                cwd=cwd,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            handle.close()

    @staticmethod
    def kill(process: subprocess.Popen[Any]) -> None:
        """SIGKILL the command and everything it started, as a CI runner cancelling a job."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stack_init(self, project: Path, stack: str = "dev") -> None:
        self("stack", "init", stack, cwd=project)

    def config(self, project: Path, key: str, value: str, *, secret: bool = False) -> None:
        flags = ["--secret"] if secret else []
        self("config", "set", *flags, key, value, cwd=project)

    def outputs(self, project: Path) -> dict[str, Any]:
        import json

        return dict(
            json.loads(self("stack", "output", "--json", "--show-secrets", cwd=project).stdout)
        )

    def export(self, project: Path) -> dict[str, Any]:
        import json

        return dict(json.loads(self("stack", "export", cwd=project).stdout))


def quickstart_stack(cli: PulumiCli, code: str = "246810") -> Path:
    """examples/quickstart in the workspace with a `dev` stack whose verifyCode is ``code``
    (the demo seed's code for +86 138-0000-1234 unless a test requested another)."""
    project = cli.project("quickstart")
    cli.stack_init(project)
    cli.config(project, "verifyCode", code, secret=True)
    return project


def resources_of(exported: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    """The resources of one type in an exported stack."""
    return [r for r in exported["deployment"].get("resources", []) if r["type"] == type_token]
