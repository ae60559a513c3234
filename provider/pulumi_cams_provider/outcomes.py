"""What the controller's operations return, and the errors only the controller raises.

An outcome carries the notes the user should be told (`Note`): an adoption, a number left
registered, an extra register call. Each adapter surfaces them as its route allows (see
engine_log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .catalogue import request_code_advice
from .errors import CamsError, CamsInvalidRequest, CamsNotFound

__all__ = [
    "CreateOutcome",
    "DeleteOutcome",
    "MissingVerifyCode",
    "NoVisibleEffect",
    "Note",
    "NotRegistered",
    "PhoneNumberNotInSpace",
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


class PhoneNumberNotInSpace(CamsNotFound):
    """Create found that the space does not list the number at all."""

    @property
    def remediation(self) -> str:
        """How to bind the number."""
        return (
            f"Add the number to the WhatsApp Business Account (WABA) bound to space "
            f"{self.cust_space_id} first (CAMS console, or ChatappSyncPhoneNumber after adding "
            "it in Meta), then run `pulumi up` again."
        )


class MissingVerifyCode(CamsInvalidRequest):
    """Create needs a verification code for a number that is not registered yet."""

    @property
    def remediation(self) -> str:
        """How to get and pass a code."""
        advice = request_code_advice(
            self.cust_space_id or "<space>", self.phone_number or "", fresh=False
        )
        return (
            f"{advice.capitalize()}, store it with "
            "`pulumi config set --secret <key> <code>`, pass it as the verifyCode input "
            "(verify_code in Python), and run `pulumi up` again."
        )


class NotRegistered(CamsInvalidRequest):
    """An import named a number that the space lists but that is not registered."""

    @property
    def remediation(self) -> str:
        """Register it instead of importing it."""
        advice = request_code_advice(
            self.cust_space_id or "<space>", self.phone_number or "", fresh=False
        )
        return (
            f"Register it instead: {advice}, declare the "
            "registration in the program with that code as verifyCode, and run `pulumi up`."
        )


class NoVisibleEffect(CamsError):
    """CAMS answered OK to a register or deregister, but re-reading never showed the change."""

    @property
    def remediation(self) -> str:
        """What to check, and how to go on without spending another call blindly."""
        return (
            f"Check the number with `pulumi-cams status --space {self.cust_space_id} --phone "
            f"{self.phone_number}` before running `pulumi up` again: if the change shows by "
            "then, the next run finds it and makes no call; raise cams:settleTimeout if CAMS "
            "is often this slow."
        )
