"""The emulated CAMS's state behind one lock: loading a seed, the controls' view of it, the
gateway's checks (nonces, flow control, authorisation) and the rules the actions share (a
number's space, its verification's expiry, Meta's register cap). `backend` adds the actions."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from . import errors
from .actions import ACTION_SPECS
from .model import (
    NONCE_TTL_SECONDS,
    RATE_WINDOW_SECONDS,
    REGISTER_CAP,
    REGISTER_CAP_WINDOW_SECONDS,
    REGISTERED,
    VERIFICATION_TTL_SECONDS,
    AccessKey,
    Caller,
    Clock,
    IssuedCode,
    PhoneNumber,
)
from .seed import Seed, parse_seed

__all__ = ["Store"]


class Store:
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
                        "profile": dict(n.profile),
                        "webhook": dict(n.webhook),
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
        """Flow control: at most ``qps`` accepted requests per account and action per second (or
        the action's own lower limit)."""
        with self.lock:
            key = (caller.account_id, action)
            window = [t for t in self._accepted.get(key, []) if t > arrival - RATE_WINDOW_SECONDS]
            if len(window) >= min(self.qps, ACTION_SPECS[action].qps or self.qps):
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
                profile=dict(n.profile),
                webhook=dict(n.webhook),
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
