"""Telling the user a controller `Note`: through the Pulumi engine's Log service, for both adapters.

The engine shows a Log message in the update's diagnostics, under the resource when the request
names its URN. The dynamic route has no URN to give (its provider never sees one), so its notes
appear under the stack instead. Telling the user never fails the operation: when the engine
cannot be reached (or there is none, as when a test starts the plugin alone), the note goes to
stderr, which the engine logs too.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import grpc
import grpc.aio
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from .controller.outcomes import Note

__all__ = ["EngineLog", "log_request", "tell"]

_SEVERITY = {"debug": engine_pb2.DEBUG, "info": engine_pb2.INFO, "warning": engine_pb2.WARNING}
_TIMEOUT_S = 10.0


def log_request(note: Note, urn: str = "") -> engine_pb2.LogRequest:
    """The engine's LogRequest for ``note``, about ``urn`` when one is known."""
    return engine_pb2.LogRequest(severity=_SEVERITY[note.level], message=note.text, urn=urn)


def tell(address: str, notes: Iterable[Note]) -> None:
    """Send ``notes`` to the engine at ``address``, blocking (the dynamic provider host runs
    each operation in a thread of its own)."""
    notes = tuple(notes)
    if not notes:
        return
    try:
        if not address:
            raise ConnectionError("no engine address")
        with grpc.insecure_channel(address) as channel:
            engine = engine_pb2_grpc.EngineStub(channel)
            for note in notes:
                engine.Log(log_request(note), timeout=_TIMEOUT_S)
    except Exception:  # telling the user must never fail the operation
        for note in notes:
            _on_stderr(note)


class EngineLog:
    """The engine's Log service for the native plugin's event loop; the channel is opened on
    the first note."""

    def __init__(self, address: str | None) -> None:
        self._address = address or None
        self._engine: engine_pb2_grpc.EngineStub | None = None

    async def tell(self, note: Note, urn: str) -> None:
        """Send ``note`` about the resource ``urn`` to the engine."""
        if self._address is None:
            _on_stderr(note)
            return
        try:
            if self._engine is None:
                self._engine = engine_pb2_grpc.EngineStub(grpc.aio.insecure_channel(self._address))
            await self._engine.Log(log_request(note, urn), timeout=_TIMEOUT_S)
        except Exception:  # telling the user must never fail the operation
            _on_stderr(note)


def _on_stderr(note: Note) -> None:
    print(f"pulumi-cams: {note.level}: {note.text}", file=sys.stderr, flush=True)
