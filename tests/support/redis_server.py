"""A real Redis for the shared quota's tests and benchmark: Debian's ``redis-server``, on a unix
socket in a directory of its own (nothing listens on TCP), without persistence.

``stop`` ends it (a store lost mid-run), ``pause`` and ``resume`` freeze it with SIGSTOP and
SIGCONT (a store that no longer answers in time).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["RedisServer", "redis_server_path"]

START_TIMEOUT_S = 10.0


def redis_server_path() -> str:
    """The ``redis-server`` to run; fails with what to install when there is none."""
    found = shutil.which("redis-server")
    if found is None:
        raise RuntimeError(
            "redis-server is not installed: the shared quota is tested against a real Redis "
            "(apt-get install redis-server; .ci/run installs it)"
        )
    return found


class RedisServer:
    """One redis-server on a unix socket; a context manager that stops it on exit."""

    def __init__(self, *, password: str | None = None) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="cams-redis-"))
        self.socket = self.directory / "redis.sock"
        self.password = password
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The ``unix://`` URL redis-py opens (with the password as a query, when set)."""
        query = f"?password={self.password}" if self.password else ""
        return f"unix://{self.socket}{query}"

    def start(self) -> RedisServer:
        args = [
            redis_server_path(),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.directory),
        ]  # fmt: skip
        if self.password:
            args += ["--requirepass", self.password]
        self._process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._answers():
            if time.monotonic() > deadline or self._process.poll() is not None:
                self.stop()
                raise RuntimeError("redis-server did not start on its unix socket")
            time.sleep(0.02)
        return self

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.settimeout(1.0)
                probe.connect(str(self.socket))
                probe.sendall(b"PING\r\n")
                return probe.recv(64).startswith((b"+PONG", b"-NOAUTH"))
            except OSError:
                return False

    def pause(self) -> None:
        """Freeze the server: it keeps its socket, and answers nothing until `resume`."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """End the server (a store lost mid-run); its socket goes with it."""
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None
        self.socket.unlink(missing_ok=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
