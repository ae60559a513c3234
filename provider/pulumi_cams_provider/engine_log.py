"""What both adapters send to the Pulumi engine's Log service for a controller `Note`.

The engine shows a Log message in the update's diagnostics, under the resource when the request
names its URN. The dynamic route has no URN to give (its provider never sees one), so its notes
appear under the stack instead.
"""

from __future__ import annotations

from pulumi.runtime.proto import engine_pb2

from .outcomes import Note

__all__ = ["log_request"]

_SEVERITY = {"info": engine_pb2.INFO, "warning": engine_pb2.WARNING}


def log_request(note: Note, urn: str = "") -> engine_pb2.LogRequest:
    """The engine's LogRequest for ``note``, about ``urn`` when one is known."""
    return engine_pb2.LogRequest(severity=_SEVERITY[note.level], message=note.text, urn=urn)
