"""What the emulated CAMS holds: its clock, callers, access keys, numbers and issued codes,
and the limits Meta and CAMS document (or the emulator infers, as COVERAGE.md says)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CODE_TTL_SECONDS",
    "NONCE_TTL_SECONDS",
    "RATE_WINDOW_SECONDS",
    "REGISTERED",
    "REGISTER_CAP",
    "REGISTER_CAP_WINDOW_SECONDS",
    "VERIFICATION_TTL_SECONDS",
    "AccessKey",
    "Caller",
    "Clock",
    "IssuedCode",
    "PhoneNumber",
]

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
    profile: dict[str, Any] = field(default_factory=dict)
    """The business profile by its wire names (About, Websites, ...), as set."""
    webhook: dict[str, str] = field(default_factory=dict)
    """StatusCallbackUrl, UpCallbackUrl, HttpFlag and QueueFlag, as set."""

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
