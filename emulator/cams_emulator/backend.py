"""State and rules of the emulated CAMS: accounts, access keys, spaces and phone numbers.

Action methods are named after the CAMS actions in snake case and take the caller plus the
action's parameters; they return model objects (dispatch renders them) or raise
``errors.CamsError``. Every public method holds the one lock. Rules the docs do not state are
marked "inferred" here and listed in COVERAGE.md.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from . import errors
from .model import CODE_TTL_SECONDS, REGISTERED, Caller, IssuedCode, PhoneNumber
from .number_config import NumberConfig

__all__ = ["CamsBackend"]

T = TypeVar("T")


class CamsBackend(NumberConfig):
    """The emulated CAMS: the state (`store.Store`), the number's configuration
    (`number_config`) and the registration actions."""

    # --- actions ---------------------------------------------------------------------------

    def chatapp_verify_and_register(
        self, caller: Caller, cust_space_id: str, phone_number: str, verify_code: str
    ) -> None:
        with self.lock:
            now = self.clock.now()
            number = self._unregistered(caller, cust_space_id, phone_number, now)
            if number is None:
                return
            if number.code is None or not secrets.compare_digest(number.code, verify_code):
                raise errors.verify_code_error()
            if now - (number.code_issued_at or now) > CODE_TTL_SECONDS:
                raise errors.verify_code_expired()
            self._connect(number, now)
            number.code = None
            number.code_issued_at = None
            number.code_verification_status = "VERIFIED"
            number.verified_at = now

    def get_chatapp_verify_code(
        self, caller: Caller, cust_space_id: str, phone_number: str, method: str, locale: str
    ) -> None:
        if method.lower() not in ("sms", "voice"):
            raise errors.invalid_parameter("Method")
        with self.lock:
            number = self._number(caller, cust_space_id, phone_number)
            number.code = f"{secrets.randbelow(10**6):06d}"
            number.code_issued_at = self.clock.now()
            self._inbox.append(
                IssuedCode(cust_space_id, phone_number, number.code, method.lower(), locale)
            )

    def get_phone_number_verification_status(
        self, caller: Caller, cust_space_id: str, phone_number: str
    ) -> PhoneNumber:
        with self.lock:
            return replace(self._number(caller, cust_space_id, phone_number))

    def query_chatapp_phone_numbers(
        self,
        caller: Caller,
        cust_space_id: str | None = None,
        status: str | None = None,
        isv_code: str | None = None,
    ) -> list[PhoneNumber]:
        with self.lock:
            if cust_space_id:
                spaces = [self._space(caller, cust_space_id)]
            else:
                # inferred: without a space, list every space of the calling account
                spaces = [s for s, a in self._spaces.items() if a == caller.account_id]
            return [
                replace(n) for n in self._listing(spaces) if status is None or n.status == status
            ]

    def chatapp_phone_number_register(
        self, caller: Caller, cust_space_id: str, phone_number: str
    ) -> None:
        with self.lock:
            now = self.clock.now()
            number = self._unregistered(caller, cust_space_id, phone_number, now)
            if number is None:
                return
            if number.code_verification_status != "VERIFIED":
                raise errors.phone_number_not_verified()
            self._connect(number, now)

    def chatapp_phone_number_deregister(
        self, caller: Caller, cust_space_id: str, phone_number: str
    ) -> None:
        with self.lock:
            now = self.clock.now()
            number = self._number(caller, cust_space_id, phone_number)
            self._count_register_call(phone_number, now)
            if number.status in REGISTERED:
                number.status = "DISCONNECTED"

    def add_chatapp_phone_number(
        self,
        caller: Caller,
        cust_space_id: str,
        cc: str,
        phone_number: str,
        verified_name: str,
        pre_validate_id: str | None = None,
    ) -> None:
        full = f"{cc}{phone_number}"
        if not (cc.isdigit() and phone_number.isdigit() and 1 <= len(cc) <= 3):
            raise errors.phone_number_invalid()
        if not 8 <= len(full) <= 15:
            raise errors.phone_number_invalid()
        with self.lock:
            self._space(caller, cust_space_id)
            if (cust_space_id, full) not in self._numbers:  # inferred: adding twice is a no-op
                self._numbers[(cust_space_id, full)] = PhoneNumber(
                    cust_space_id, full, "PENDING", "NOT_VERIFIED", verified_name
                )

    def chatapp_sync_phone_number(self, caller: Caller, cust_space_id: str) -> list[PhoneNumber]:
        with self.lock:
            return [replace(n) for n in self._listing([self._space(caller, cust_space_id)])]

    def settling(
        self, seconds: float, cust_space_id: str, phone_number: str, carry_out: Callable[[], T]
    ) -> T:
        """Carry out an action whose effect on the number's status shows only ``seconds`` later
        (the ``settle`` fault): listings report the old status until then."""
        with self.lock:
            number = self._numbers.get((cust_space_id, phone_number))
            before = number.status if number is not None else None
            result = carry_out()
            if number is None or number.status == before:
                return result
            after, number.status = number.status, str(before)

        def show() -> None:
            with self.lock:
                if self._numbers.get((cust_space_id, phone_number)) is number:
                    number.status = after

        timer = threading.Timer(seconds, show)
        timer.daemon = True
        timer.start()
        return result
