#!/usr/bin/env python3
"""A stand-in for Pulumi's Python language host, for machines that cannot get the real one.

The real host (`pulumi-language-python`) ships with every Pulumi CLI release, but it is a Go
module of its own that the Go module proxy does not serve, so a CLI built from the proxy (see
scripts/pulumi-cli.sh) comes without it. `scripts/pulumi-cli.sh` installs this file beside such
a CLI, and only there: a `pulumi` installed the usual way brings the real host and never sees
this one.

It serves the parts of the LanguageRuntime protocol that `pulumi up/preview/refresh/destroy`,
`pulumi install` and source-based plugins use, the way the real host's documentation describes
them (https://www.pulumi.com/docs/iac/languages-sdks/python/):

- a program runs under the interpreter of the project's `virtualenv` option when it names one,
  else `$PULUMI_PYTHON_CMD`, else `python3` on PATH; it is started through the SDK's own
  `pulumi-language-python-exec` script, installed beside this file from the Pulumi SDK module;
- a source plugin (`PulumiPlugin.yaml` with `runtime: python`) runs as `python <dir> <args>`
  under its virtualenv, `venv` in the plugin's directory unless it names another (made when
  the plugin is installed, as by `pulumi plugin install`); when there is none, under the
  ambient Python, where the real host would fail;
- `pulumi install`, and the installation of a plugin, create the virtualenv and install
  `requirements.txt` into it.

Code generation (`pulumi package gen-sdk --language python`) is not served: the Python SDK of
this project is written by hand.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

HOST_VERSION = "0.0.0-pulumi-cams-standin"
EXEC_SCRIPT = Path(__file__).resolve().with_name("pulumi-language-python-exec")
# The exec script's code for "the program already showed the user an actionable message".
EXIT_BAIL = 32


def _python(program_dir: str, options: Any, *, plugin: bool = False) -> list[str]:
    venv = _virtualenv(program_dir, options, plugin=plugin)
    if venv is not None and (not plugin or (venv / "bin" / "python").exists()):
        return [str(venv / "bin" / "python")]
    # A plugin whose virtualenv was never made (a checkout named in `packages:` and run without
    # `pulumi install`, which this stand-in cannot complete) runs under the ambient Python; the
    # real host needs the virtualenv.
    return (os.environ.get("PULUMI_PYTHON_CMD") or "python3").split()


def _virtualenv(program_dir: str, options: Any, *, plugin: bool = False) -> Path | None:
    """The virtualenv to use; a plugin gets `venv` in its directory unless it names another,
    as the real host does (it does not run plugins in the ambient Python environment)."""
    name = None
    if options is not None and "virtualenv" in options.fields:
        name = options.fields["virtualenv"].string_value or None
    name = os.environ.get("PULUMI_RUNTIME_VIRTUALENV") or name or ("venv" if plugin else None)
    if not name:
        return None
    path = Path(name)
    return path if path.is_absolute() else Path(program_dir) / path


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, engine_address: str) -> None:
        self._engine_address = engine_address

    def Handshake(self, request: Any, context: Any) -> Any:
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        return plugin_pb2.PluginInfo(version=HOST_VERSION)

    def GetRequiredPlugins(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPackagesResponse()

    def About(self, request: Any, context: Any) -> Any:
        return language_pb2.AboutResponse(executable=sys.executable, version=HOST_VERSION)

    def GetProgramDependencies(self, request: Any, context: Any) -> Any:
        return language_pb2.GetProgramDependenciesResponse()

    def Run(self, request: Any, context: Any) -> Any:
        info = request.info
        program_dir = info.program_directory or request.pwd or "."
        args = [
            *_python(program_dir, info.options),
            "-u",
            str(EXEC_SCRIPT),
            "--monitor", request.monitor_address,
            "--engine", self._engine_address,
            "--project", request.project,
            "--stack", request.stack,
            "--pwd", request.pwd,
            "--dry_run", "true" if request.dryRun else "false",
            "--parallel", str(request.parallel),
            "--organization", request.organization,
            "--root_directory", info.root_directory or program_dir,
            request.program or ".",
            *request.args,
        ]  # fmt: skip
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        code = subprocess.call(args, env=env, cwd=request.pwd or None)
        if code == 0:
            return language_pb2.RunResponse()
        if code == EXIT_BAIL:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {code}")

    def InstallDependencies(self, request: Any, context: Any) -> Any:
        info = request.info
        program_dir = info.program_directory or request.directory
        venv = _virtualenv(program_dir, info.options, plugin=request.is_plugin)
        if venv is None:
            return
        steps = []
        if not (venv / "bin" / "python").exists():
            steps.append([sys.executable, "-m", "venv", str(venv)])
        requirements = Path(program_dir) / "requirements.txt"
        if requirements.exists():
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            steps.append([*pip, "-r", str(requirements)])
        for step in steps:
            done = subprocess.run(step, cwd=program_dir, capture_output=True)
            yield language_pb2.InstallDependenciesResponse(stdout=done.stdout, stderr=done.stderr)
            if done.returncode != 0:
                context.abort(grpc.StatusCode.UNKNOWN, f"{step[0]} exited with {done.returncode}")

    def RunPlugin(self, request: Any, context: Any) -> Any:
        info = request.info
        program_dir = info.program_directory or request.program
        env = dict(os.environ)
        env.update(item.split("=", 1) for item in request.env if "=" in item)
        process = subprocess.Popen(
            [*_python(program_dir, info.options, plugin=True), "-u", program_dir, *request.args],
            cwd=request.pwd or None,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        chunks: list[Any] = []
        ready = threading.Condition()

        def pump(stream: Any, field: str) -> None:
            for line in iter(stream.readline, b""):
                with ready:
                    chunks.append(language_pb2.RunPluginResponse(**{field: line}))
                    ready.notify()
            with ready:
                chunks.append(None)
                ready.notify()

        for stream, field in ((process.stdout, "stdout"), (process.stderr, "stderr")):
            threading.Thread(target=pump, args=(stream, field), daemon=True).start()
        context.add_callback(process.terminate)
        finished = 0
        while finished < 2:
            with ready:
                while not chunks:
                    ready.wait()
                chunk = chunks.pop(0)
            if chunk is None:
                finished += 1
            else:
                yield chunk
        yield language_pb2.RunPluginResponse(exitcode=process.wait())


def main() -> None:
    engine_address = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageHost(engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    # The CLI ends its language host with SIGINT (or SIGTERM) once the deployment is done. Both
    # set explicitly: a host started from a background job inherits SIGINT as ignored, and the
    # CLI would then wait for it to time out before killing it.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: server.stop(0))
    server.wait_for_termination()


if __name__ == "__main__":
    main()
