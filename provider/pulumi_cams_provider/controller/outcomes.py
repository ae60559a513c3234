"""What the controller's operations return (its errors are in ``errors``).

An outcome carries the notes the user should be told (`Note`): an adoption, a number left
registered, an extra register call. Each adapter surfaces them as its route allows (see
engine_log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "CreateOutcome",
    "DeleteOutcome",
    "Note",
    "ReadOutcome",
]


@dataclass(frozen=True)
class Note:
    """Something the user should be told about an operation that succeeded."""

    level: Literal["info", "warning"]
    text: str


@dataclass(frozen=True)
class CreateOutcome:
    """The new resource's ID and outputs; `adopted` when it was registered already."""

    resource_id: str
    outputs: dict[str, Any]
    adopted: bool
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class ReadOutcome:
    """The live outputs, or `resource_id` None when the registration is gone."""

    resource_id: str | None
    outputs: dict[str, Any]


@dataclass(frozen=True)
class DeleteOutcome:
    """`deregistered` is False when the number was left registered (deregisterOnDelete unset)."""

    deregistered: bool
    notes: tuple[Note, ...] = ()
