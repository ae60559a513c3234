"""The errors only the controller makes, each with its remediation (see ``cams.errors`` for
the whole tree), and the advice it adds to a CAMS error when refresh or destroy keep the state.
"""

from __future__ import annotations

from ..cams.actions import QUERY_PHONE_NUMBERS, VERIFY_AND_REGISTER
from ..cams.catalogue import request_code_advice
from ..cams.errors import CamsError, CamsInvalidRequest, CamsNotFound
from ..cams.phone_number_list import PhoneNumber

__all__ = [
    "MissingVerifyCode",
    "NoVisibleEffect",
    "NotRegistered",
    "PhoneNumberNotInSpace",
    "not_in_space",
    "state_kept",
]


class PhoneNumberNotInSpace(CamsNotFound):
    """Create found that the space does not list the number at all."""

    def remedy(self) -> str:
        """How to bind the number."""
        return (
            f"Add the number to the WhatsApp Business Account (WABA) bound to space "
            f"{self.cust_space_id} first (CAMS console, or ChatappSyncPhoneNumber after adding "
            "it in Meta), then run `pulumi up` again."
        )


class MissingVerifyCode(CamsInvalidRequest):
    """Create needs a verification code for a number that is not registered yet: nothing was
    sent to CAMS, and the create waits for a person to request a code."""

    awaits_person = True

    @classmethod
    def of(cls, number: PhoneNumber, space: str) -> MissingVerifyCode:
        """The error for creating ``number``, listed unregistered, without a code."""
        return cls(
            f"it is not registered yet (status {number.status}) and no verifyCode was given",
            action=VERIFY_AND_REGISTER,
            code="MissingVerifyCode",
            cust_space_id=space,
            phone_number=number.phone_number,
        )

    def remedy(self) -> str:
        """How to get and pass a code."""
        advice = request_code_advice(
            self.cust_space_id or "<space>", self.phone_number or "", fresh=False
        )
        return (
            f"{advice.capitalize()}, pass it as the verifyCode input (verify_code in Python), "
            "and run `pulumi up` again."
        )

    def __str__(self) -> str:
        # Nothing was sent, so no "<action> failed": the number waits for its code.
        return (
            f"Phone number {self.phone_number} in space {self.cust_space_id} awaits its "
            f"verification code: {self.code}: {self.message}, so nothing was sent to CAMS. "
            + " ".join(part for part in (self.remediation, self.advice) if part)
        )


class NotRegistered(CamsInvalidRequest):
    """An import named a number that the space lists but that is not registered."""

    @classmethod
    def of(cls, number: PhoneNumber, request_id: str, space: str) -> NotRegistered:
        """The error for importing ``number``, which the listing ``request_id`` shows
        unregistered."""
        return cls(
            f"the number is not registered (status {number.status}), so there is nothing to import",
            action=QUERY_PHONE_NUMBERS,
            code="NotRegistered",
            request_id=request_id,
            cust_space_id=space,
            phone_number=number.phone_number,
        )

    def remedy(self) -> str:
        """Register it instead of importing it."""
        advice = request_code_advice(
            self.cust_space_id or "<space>", self.phone_number or "", fresh=False
        )
        return (
            f"Register it instead: {advice}, declare the registration in the program with that "
            "code as verifyCode, and run `pulumi up`."
        )


class NoVisibleEffect(CamsError):
    """CAMS answered OK to a register or deregister, but re-reading never showed the change."""

    def remedy(self) -> str:
        """What to check, and how to go on without spending another call blindly."""
        return (
            f"Check the number with `pulumi-cams status --space {self.cust_space_id} --phone "
            f"{self.phone_number}` before running `pulumi up` again: if the change shows by "
            "then, the next run finds it and makes no call; raise cams:settleTimeout if CAMS "
            "is often this slow."
        )


def not_in_space(
    space: str,
    phone: str,
    request_id: str,
    *,
    action: str = QUERY_PHONE_NUMBERS,
    but: str = "",
) -> PhoneNumberNotInSpace:
    """The error for a number that a listing of its space (answered with ``request_id``) does
    not show; ``action`` is what was being done (a listing, unless named), ``but`` what follows
    for it."""
    source = "" if action == QUERY_PHONE_NUMBERS else f" ({QUERY_PHONE_NUMBERS})"
    return PhoneNumberNotInSpace(
        f"the space's phone-number list{source} does not contain it{but}",
        action=action,
        code="PhoneNumberNotInSpace",
        request_id=request_id,
        cust_space_id=space,
        phone_number=phone,
    )


def state_kept(err: CamsError, phone: str, operation: str) -> CamsError:
    """``err`` about ``phone``, for a refresh or destroy that could not read it: the state is
    kept, and the advice says what to do."""
    if err.code == "Unknown.ResourceOwnerId":
        advice = (
            f"If space {err.cust_space_id} was deleted, its registrations went with it: remove "
            "this resource from the stack with `pulumi state delete <urn>` (`pulumi stack "
            "--show-urns` lists them), or point custSpaceId at the space that holds the number "
            "now. The stack is unchanged."
        )
    else:
        advice = f"The stack is unchanged; run `pulumi {operation}` again once this is resolved."
    return err.restated(phone_number=phone, advice=advice)
