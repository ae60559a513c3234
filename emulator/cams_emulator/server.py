"""The emulator on a real socket: `EmulatorServer` starts the HTTP server that `dispatch`
answers for, and stops it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from http.server import ThreadingHTTPServer
from typing import Any

from .backend import CamsBackend
from .control import Controls, Faults, RequestLog
from .dispatch import Emulation, Handler

__all__ = ["EmulatorServer"]


class EmulatorServer:
    """The emulator on a real socket, served from a daemon thread (or the CLI's main thread)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        qps: int = 10,
        seed: Mapping[str, Any] | None = None,
    ) -> None:
        self.backend = CamsBackend(seed, qps)
        self.faults = Faults()
        self.log = RequestLog()
        self.controls = Controls(self.backend, self.faults, self.log)
        self.emulation = Emulation(self.backend, self.faults, self.log, self.controls)
        self._httpd = _HTTPServer((host, port), Handler, self.emulation)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, the base URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """``HOST:PORT``, what the Alibaba SDK's ``Config.endpoint`` wants."""
        return f"{self.host}:{self.port}"

    def start(self) -> EmulatorServer:
        """Serve in a daemon thread; the socket already listens, so requests may start now."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="cams-emulator", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until ``stop`` (or an interrupt)."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def reset(self) -> None:
        """In-process ``POST /_emulator/reset``."""
        self.controls.reset()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[Handler], emulation: Emulation
    ) -> None:
        self.emulation = emulation
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a read timeout under the delay fault) closes the connection
        # before the answer is written: expected, so not worth a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
