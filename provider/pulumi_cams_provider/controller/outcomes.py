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

    level: Literal["debug", "info", "warning"]
    text: str

    @classmethod
    def adopted(cls, phone: str, space: str, *, first: bool) -> Note:
        """A create found the number registered already: the expected outcome of bringing a
        number under management, so said once per run (``first``), the others at debug level
        (an import of 300 numbers is one line, not 300 warnings)."""
        text = (
            f"phone number {phone} was already registered in space {space}; adopted it "
            "without a register call (no verify code was used)"
        )
        if not first:
            return cls("debug", text)
        return cls(
            "info",
            f"{text}. Each adopted resource's `adopted` output is true; further adoptions in "
            "this run are logged at debug level (`--debug`)",
        )

    @classmethod
    def declared_twice(cls, phone: str) -> Note:
        """A create adopted a number another resource of the deployment had just created."""
        return cls(
            "warning",
            f"phone number {phone} is declared by another resource of this deployment too, "
            "which registered or adopted it first; adopted it here without a register call. "
            "Declare each number once.",
        )

    @classmethod
    def left_registered(cls, resource_id: str, *, first: bool) -> Note:
        """A delete without deregisterOnDelete; said once per run (``first``) like an
        adoption, the others at debug level."""
        text = (
            f"{resource_id} left registered in CAMS because deregisterOnDelete is false; the "
            "resource is only removed from the stack"
        )
        if not first:
            return cls("debug", text)
        return cls("info", f"{text} (so are the others this run removes: `--debug` names them)")

    @classmethod
    def left_in_cams(cls, resource_id: str, subject: str, *, first: bool) -> Note:
        """A delete of a number's profile or webhook, which CAMS keeps as it is; said once per
        run (``first``), the others at debug level."""
        text = (
            f"the {subject} of {resource_id} is left as it is in CAMS (it has no delete); the "
            "resource is only removed from the stack"
        )
        return cls("info" if first else "debug", text)

    @classmethod
    def managed_elsewhere(cls, resource_id: str) -> Note:
        """A delete of a number another resource of the deployment has just created."""
        return cls(
            "warning",
            f"{resource_id} was not deregistered: another resource of this deployment has just "
            "registered or adopted the number (a renamed resource, or the number declared "
            "twice), so it stays registered and managed there. To rename a resource without a "
            "delete, give the new one `aliases` with its old name.",
        )


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
