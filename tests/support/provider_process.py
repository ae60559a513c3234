"""Start a provider process the way the engine does and stop it: shared by tests/support/engine.py
(``python -m pulumi.dynamic``) and tests/support/plugin_harness.py (the native plugin).

Both print their gRPC port as the first stdout line and serve until killed. `Secret` marks a
value the program made secret, for both drivers.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


@dataclass(frozen=True)
class Secret:
    """A value the program marked secret. The native plugin receives it as a secret; for a
    dynamic provider the engine strips the mark (it does not accept secrets)."""

    value: Any


def start_printing_port(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    stderr: IO[bytes],
    stderr_text: Callable[[], str],
    timeout: float,
    cwd: Path | None = None,
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``argv`` with stderr to ``stderr`` and read the port it prints first; stop it
    and raise if it prints none within ``timeout`` seconds (the message carries
    ``stderr_text()``, what it wrote on stderr)."""
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
    )
    try:
        port = _read_port(process, timeout)
        if port is None:
            raise RuntimeError(
                f"{' '.join(argv[1:])} printed no port within {timeout} s; stderr: {stderr_text()}"
            )
        return process, port
    except BaseException:
        stop(process)
        raise


def stop(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate the process (it has no state to save), kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    if process.stdout is not None:
        process.stdout.close()


def _read_port(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(timeout=remaining):
                return None
            chunk = os.read(process.stdout.fileno(), 64)
            if not chunk:  # the process exited
                return None
            line += chunk
    return int(line) if line.strip().isdigit() else None
