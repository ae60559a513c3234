"""A register or deregister call, confirmed by reading the number back.

ChatappVerifyAndRegister and ChatappPhoneNumberDeregister carry no idempotency token, and each
call counts against Meta's cap of 10 register/deregister calls per number per 72 hours
(https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/registration).
So a call whose answer is lost is not repeated while it may still land: the number is re-read for
``settle_timeout`` first, at most `MAX_WRITE_CALLS` are made, and an OK that never shows in a
read is an error rather than a success. docs/contract.md states what this promises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..cams.errors import Call, CamsAmbiguous, CamsError, CamsNotFound
from ..cams.phone_number_list import PhoneNumber
from ..cams.responses import budget_exhausted
from ..cams.retry import Deadline, poll_until
from .errors import NoVisibleEffect
from .outcomes import Note

__all__ = ["MAX_WRITE_CALLS", "ConfirmedWrite", "registered", "unregistered"]

MAX_WRITE_CALLS = 2
"""Register (or deregister) calls one create (or delete) may make for a number: the first, and a
second only once the first could no longer land. Each counts against Meta's 10 per 72 hours."""

_CAP = "Meta allows 10 register/deregister calls per number per 72 hours"

Reading = PhoneNumber | None | CamsError
"""What re-reading a number shows: the number, None when the space no longer lists it, or the
error the read raised."""


def registered(number: PhoneNumber | None) -> bool:
    return number is not None and number.registered


def unregistered(number: PhoneNumber | None) -> bool:
    return number is None or not number.registered


@dataclass(frozen=True)
class ConfirmedWrite:
    """How to observe a number, for `until_seen`: ``observe`` lists the space afresh and finds
    the number (None when absent), ``invalidate`` forgets a space's cached listing after a
    write, and ``settle_timeout`` is how long a write may take to show."""

    observe: Callable[[str, str, Deadline], PhoneNumber | None]
    invalidate: Callable[[str], None]
    settle_timeout: float

    def until_seen(
        self,
        action: str,
        send: Callable[[Deadline], str],
        space: str,
        phone: str,
        wanted: Callable[[PhoneNumber | None], bool],
        budget: Deadline,
    ) -> tuple[PhoneNumber | None, list[Note]]:
        """Send ``action`` until a read shows ``wanted``, within ``budget``; the number as last
        read and the notes the user should see.

        After each call (answered, or its answer lost) the number is re-read for
        ``settle_timeout``. An OK that never shows is an error (NoVisibleEffect); a lost answer
        is followed by one more call only after that window, up to MAX_WRITE_CALLS, each extra
        one announced as a Note naming Meta's cap.
        """
        notes: list[Note] = []
        lost: CamsAmbiguous | None = None
        calls = 0
        while calls < MAX_WRITE_CALLS and budget.remaining() > 0:
            calls += 1
            if lost is not None:
                notes.append(
                    Note(
                        "warning",
                        f"sent {action} for {phone} in space {space} again (call {calls}): the "
                        f"answer to the previous call was lost ({lost.code}) and re-reading the "
                        f"number for {self.settle_timeout:g} s did not show it take "
                        f"effect. {_CAP}.",
                    )
                )
            request_id: str | None = None
            try:
                request_id = send(budget)
            except CamsAmbiguous as err:
                lost = err
            finally:
                self.invalidate(space)
            seen = self._settle(space, phone, wanted, budget)
            if not isinstance(seen, CamsError) and wanted(seen):
                return seen, notes  # the adapters tell the user the notes
            if request_id is not None:
                raise self._no_visible_effect(action, space, phone, request_id, seen)
        if lost is None:
            raise budget_exhausted(budget.seconds, Call(action, space, phone))
        raise lost.restated(
            advice=f"{calls} {action} call(s) were made and {self.settle_timeout:g} s of "
            f"re-reading after each did not show the change; {_CAP}, so check the number "
            f"with `pulumi-cams status --space {space} --phone {phone}` before running "
            "`pulumi up` again."
        ) from None

    def _settle(
        self,
        space: str,
        phone: str,
        wanted: Callable[[PhoneNumber | None], bool],
        budget: Deadline,
    ) -> Reading:
        """Re-read the number until ``wanted`` holds or ``settle_timeout`` passes; the last
        reading."""

        def read() -> Reading:
            try:
                return self.observe(space, phone, budget)
            except CamsNotFound:
                return None
            except CamsError as err:
                return err

        def done(seen: Reading) -> bool:
            return not isinstance(seen, CamsError) and wanted(seen)

        return poll_until(read, done, window=budget.within(self.settle_timeout))

    def _no_visible_effect(
        self, action: str, space: str, phone: str, request_id: str, seen: Reading
    ) -> NoVisibleEffect:
        settle = self.settle_timeout
        if isinstance(seen, CamsError):
            after = f"the number could not be read back within {settle:g} s ({seen.code})"
        elif seen is None:
            after = f"after {settle:g} s the space no longer lists the number"
        else:
            after = f"after {settle:g} s the number is still {seen.status}"
        return NoVisibleEffect(
            f"CAMS answered OK (RequestId {request_id or 'none'}) but {after}",
            action=action,
            code="NoVisibleEffect",
            cust_space_id=space,
            phone_number=phone,
        )
