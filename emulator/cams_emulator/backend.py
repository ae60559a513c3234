"""State and rules of the emulated CAMS: accounts, access keys, spaces and phone numbers.

Action methods are named after the CAMS actions in snake case and take the caller plus the
action's parameters; they return model objects (dispatch renders them) or raise
``errors.CamsError``. Every public method holds the one lock. Rules the docs do not state are
marked "inferred" here and listed in COVERAGE.md.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from . import errors
from .seed import Seed, parse_seed

T = TypeVar("T")

# Statuses in which a number is registered with WhatsApp (Meta's phone-number statuses, [API]).
REGISTERED = frozenset({"CONNECTED", "FLAGGED", "RATE_LIMITED", "RESTRICTED"})
CODE_TTL_SECONDS = 600  # inferred: Meta's code lifetime is not documented
VERIFICATION_TTL_SECONDS = 14 * 24 * 3600  # "一次验证的有效期一般为14天" ([API])
REGISTER_CAP = 10  # Meta: 10 register/deregister requests per number per 72 h ([Meta])
REGISTER_CAP_WINDOW_SECONDS = 72 * 3600
RATE_WINDOW_SECONDS = 1.0
NONCE_TTL_SECONDS = 31 * 60  # a nonce may not repeat for ~31 minutes ([V3])


class Clock:
    """Wall-clock time plus an offset that tests move forward (code expiry, the 72 h cap)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset


@dataclass(frozen=True)
class Caller:
    """The identity a verified request acts as."""

    access_key_id: str
    account_id: str


@dataclass
class AccessKey:
    access_key_id: str
    secret: str
    account_id: str
    denied_actions: frozenset[str]


@dataclass
class PhoneNumber:
    """One number in one space, with the fields QueryChatappPhoneNumbers reports."""

    cust_space_id: str
    phone_number: str
    status: str
    code_verification_status: str
    verified_name: str
    quality_rating: str = "UNKNOWN"
    messaging_limit_tier: str = "TIER_250"
    name_status: str = "Approval"
    new_name_status: str = "NONE"
    number_id: str = ""
    verified_at: float | None = None
    code: str | None = field(default=None, repr=False)
    code_issued_at: float | None = None

    def __post_init__(self) -> None:
        if not self.number_id:
            # Stable across resets, so a test can compare ids between runs.
            digest = hashlib.sha256(f"{self.cust_space_id}/{self.phone_number}".encode())
            self.number_id = str(int(digest.hexdigest()[:12], 16))


@dataclass(frozen=True)
class IssuedCode:
    cust_space_id: str
    phone_number: str
    code: str
    method: str
    locale: str


class CamsBackend:
    """All emulator state behind one lock."""

    def __init__(self, seed: Mapping[str, Any] | None = None, qps: int = 10) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self._start_seed = parse_seed(seed)
        self._start_qps = qps
        self.qps = qps
        self._accounts: dict[str, bool] = {}
        self._keys: dict[str, AccessKey] = {}
        self._spaces: dict[str, str] = {}
        self._numbers: dict[tuple[str, str], PhoneNumber] = {}
        self._inbox: list[IssuedCode] = []
        self._register_calls: dict[str, list[float]] = {}
        self._accepted: dict[tuple[str, str], list[float]] = {}
        self._nonces: dict[str, float] = {}
        self._load(self._start_seed)

    # --- control -------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the start seed, the real clock, the start qps, no nonces or rate history."""
        with self.lock:
            self.clock.offset = 0.0
            self.qps = self._start_qps
            self._nonces.clear()
            self._accepted.clear()
            self._load(self._start_seed)

    def seed(self, data: Mapping[str, Any]) -> None:
        """Replace accounts, keys, spaces and numbers (and the inbox and cap history)."""
        parsed = parse_seed(data)
        with self.lock:
            self._load(parsed)

    def set_qps(self, qps: int) -> None:
        with self.lock:
            self.qps = qps
            self._accepted.clear()

    def advance_clock(self, seconds: float) -> float:
        """Move the emulated clock forward; return the new offset."""
        with self.lock:
            self.clock.offset += seconds
            return self.clock.offset

    def codes(self) -> list[IssuedCode]:
        with self.lock:
            return list(self._inbox)

    def state(self) -> dict[str, Any]:
        """The state in seed form, secrets and codes redacted, plus the clock and qps."""
        with self.lock:
            now = self.clock.now()
            accounts = [
                {
                    "accountId": account_id,
                    "subscribed": subscribed,
                    "accessKeys": [
                        {
                            "accessKeyId": k.access_key_id,
                            "accessKeySecret": "***",
                            "deniedActions": sorted(k.denied_actions),
                        }
                        for k in self._keys.values()
                        if k.account_id == account_id
                    ],
                }
                for account_id, subscribed in self._accounts.items()
            ]
            numbers = []
            for n in self._numbers.values():
                self._expire_verification(n, now)
                numbers.append(
                    {
                        "custSpaceId": n.cust_space_id,
                        "phoneNumber": n.phone_number,
                        "id": n.number_id,
                        "status": n.status,
                        "codeVerificationStatus": n.code_verification_status,
                        "verifiedName": n.verified_name,
                        "qualityRating": n.quality_rating,
                        "messagingLimitTier": n.messaging_limit_tier,
                        "nameStatus": n.name_status,
                        "newNameStatus": n.new_name_status,
                        "verifyCode": "***" if n.code else None,
                        "registerCallsInWindow": len(self._recent_calls(n.phone_number, now)),
                    }
                )
            return {
                "accounts": accounts,
                "spaces": [{"custSpaceId": s, "accountId": a} for s, a in self._spaces.items()],
                "phoneNumbers": numbers,
                "clockOffsetSeconds": self.clock.offset,
                "now": now,
                "qps": self.qps,
            }

    # --- gateway: identity, nonces, flow control, authorisation --------------------------

    def secret_for(self, access_key_id: str) -> str | None:
        with self.lock:
            key = self._keys.get(access_key_id)
            return key.secret if key else None

    def use_nonce(self, nonce: str, wall_now: float) -> None:
        """Remember a nonce; raise SignatureNonceUsed if it was seen within its lifetime."""
        with self.lock:
            while self._nonces:
                oldest, seen = next(iter(self._nonces.items()))
                if wall_now - seen <= NONCE_TTL_SECONDS:
                    break
                del self._nonces[oldest]
            if nonce in self._nonces:
                raise errors.nonce_used()
            self._nonces[nonce] = wall_now

    def caller(self, access_key_id: str) -> Caller:
        with self.lock:
            return Caller(access_key_id, self._keys[access_key_id].account_id)

    def admit(self, caller: Caller, action: str, arrival: float) -> None:
        """Flow control: at most ``qps`` accepted requests per account and action per second."""
        with self.lock:
            key = (caller.account_id, action)
            window = [t for t in self._accepted.get(key, []) if t > arrival - RATE_WINDOW_SECONDS]
            if len(window) >= self.qps:
                self._accepted[key] = window
                raise errors.limit_control()
            window.append(arrival)
            self._accepted[key] = window

    def authorize(self, caller: Caller, action: str) -> None:
        """Product subscription, then the key's RAM policy."""
        with self.lock:
            if not self._accounts[caller.account_id]:
                raise errors.product_unsubscript()
            if action in self._keys[caller.access_key_id].denied_actions:
                raise errors.ram_permission_deny(action, caller.account_id, caller.access_key_id)

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

    # --- helpers -------------------------------------------------------------------------

    def _load(self, seed: Seed) -> None:
        now = self.clock.now()
        self._accounts = {a.account_id: a.subscribed for a in seed.accounts}
        self._keys = {
            k.access_key_id: AccessKey(
                k.access_key_id, k.access_key_secret, a.account_id, k.denied_actions
            )
            for a in seed.accounts
            for k in a.access_keys
        }
        self._spaces = {s.cust_space_id: s.account_id for s in seed.spaces}
        self._numbers = {}
        for n in seed.phone_numbers:
            verified = n.code_verification_status == "VERIFIED"
            self._numbers[(n.cust_space_id, n.phone_number)] = PhoneNumber(
                cust_space_id=n.cust_space_id,
                phone_number=n.phone_number,
                status=n.status,
                code_verification_status=n.code_verification_status,
                verified_name=n.verified_name,
                quality_rating=n.quality_rating,
                messaging_limit_tier=n.messaging_limit_tier,
                name_status=n.name_status,
                new_name_status=n.new_name_status,
                verified_at=now if verified else None,
                code=n.verify_code,
                code_issued_at=now if n.verify_code else None,
            )
        self._inbox = []
        self._register_calls = {}

    def _space(self, caller: Caller, cust_space_id: str) -> str:
        # inferred: an unknown space is reported like another account's space
        if self._spaces.get(cust_space_id) != caller.account_id:
            raise errors.unknown_resource_owner()
        return cust_space_id

    def _number(self, caller: Caller, cust_space_id: str, phone_number: str) -> PhoneNumber:
        self._space(caller, cust_space_id)
        number = self._numbers.get((cust_space_id, phone_number))
        if number is None:
            raise errors.phone_not_bound()
        self._expire_verification(number, self.clock.now())
        return number

    def _listing(self, spaces: list[str]) -> list[PhoneNumber]:
        now = self.clock.now()
        found = [n for n in self._numbers.values() if n.cust_space_id in spaces]
        for n in found:
            self._expire_verification(n, now)
        return found

    def _expire_verification(self, number: PhoneNumber, now: float) -> None:
        if (
            number.code_verification_status == "VERIFIED"
            and number.verified_at is not None
            and now - number.verified_at > VERIFICATION_TTL_SECONDS
        ):
            number.code_verification_status = "EXPIRED"

    def _unregistered(
        self, caller: Caller, cust_space_id: str, phone_number: str, now: float
    ) -> PhoneNumber | None:
        """The number a register call is about, or None when it is already registered here.

        Shared by both register actions: a number registered in another space is refused; one
        registered in this space answers OK without spending a code (inferred: idempotent) but
        still counts toward the 72 h cap.
        """
        number = self._number(caller, cust_space_id, phone_number)
        self._refuse_if_registered_elsewhere(number)
        if number.status in REGISTERED:
            self._count_register_call(phone_number, now)
            return None
        return number

    def _connect(self, number: PhoneNumber, now: float) -> None:
        """Count the register call (raising at the cap), then mark the number registered."""
        self._count_register_call(number.phone_number, now)
        number.status = "CONNECTED"

    def _refuse_if_registered_elsewhere(self, number: PhoneNumber) -> None:
        for other in self._numbers.values():
            if (
                other.phone_number == number.phone_number
                and other.cust_space_id != number.cust_space_id
                and other.status in REGISTERED
            ):
                raise errors.phone_number_in_use()

    def _recent_calls(self, phone_number: str, now: float) -> list[float]:
        calls = self._register_calls.get(phone_number, [])
        return [t for t in calls if now - t < REGISTER_CAP_WINDOW_SECONDS]

    def _count_register_call(self, phone_number: str, now: float) -> None:
        """Meta's cap is per phone number, whichever space asks ([Meta])."""
        recent = self._recent_calls(phone_number, now)
        if len(recent) >= REGISTER_CAP:
            self._register_calls[phone_number] = recent
            raise errors.register_limit_exceeded()
        recent.append(now)
        self._register_calls[phone_number] = recent
