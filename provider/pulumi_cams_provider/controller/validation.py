"""Input validation for the registration resource, free of pydantic and of any I/O.

`check` and `diff` run at preview, often as the first thing a freshly started provider process
does, so what they need lives here and imports nothing heavier than the standard library (the
first Check of ``python -m pulumi.dynamic`` would otherwise wait for pydantic and the models;
``make bench`` measures start-up).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Final

from ..cams.errors import InvalidInput

__all__ = [
    "UNKNOWN",
    "format_resource_id",
    "is_unknown",
    "normalize_phone_number",
    "parse_resource_id",
    "shown",
    "validate_cust_space_id",
    "validate_verify_code",
]


_SHOWN_CHARS: Final = 60


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut short: a person reads it, and a program may pass
    megabytes."""
    text = repr(value)
    if len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[: _SHOWN_CHARS - 15]}...({len(text)} characters)"


class _Unknown:
    """The type of `UNKNOWN`; one instance only."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""A value not known yet (a preview with computed inputs). Each adapter translates its own
framework's marker to this sentinel before calling the controller, and back afterwards."""


def is_unknown(value: object) -> bool:
    """True when `value` is the `UNKNOWN` sentinel."""
    return value is UNKNOWN


_PHONE_SEPARATORS = re.compile(r"[ \-.()/]")
_PHONE_SEPARATORS_TEXT = "spaces, hyphens, dots, parentheses and slashes"
_MAX_TEXT = 64
"""Longest string any input may be: a space ID, a number with its separators, a code."""
_SPACE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_MIN_DIGITS = 8
_MAX_DIGITS = 15
_PHONE_EXAMPLE = "+86 138-0000-1234"
_VERIFY_CODE_DIGITS = (4, 8)


def normalize_phone_number(value: object) -> str:
    """Return the phone number as digits with country code, e.g. ``8613800001234``.

    Accepts ``+86 138-0000-1234``, ``008613800001234``, ``8613800001234`` and the same as an int
    (or as an integral float: the engine carries every number as a float). Raises `ValueError`
    whose message says what to change.
    """
    if isinstance(value, bool):
        raise InvalidInput(f"must be a phone number like {_PHONE_EXAMPLE!r}, not a boolean")
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise InvalidInput(
                f"must be a whole phone number; write it as a string like {_PHONE_EXAMPLE!r}"
            )
        value = int(value)
    if isinstance(value, int):
        if value <= 0:
            raise InvalidInput(f"must be a positive phone number like {_PHONE_EXAMPLE!r}")
        text = str(value)
    elif isinstance(value, str):
        _refuse_odd_text(value)
        text = value.strip(" ")
    else:
        raise InvalidInput(
            f"must be a string like {_PHONE_EXAMPLE!r}, not a {type(value).__name__}"
        )
    if not text:
        raise InvalidInput(f"must not be empty; write it with its country code: {_PHONE_EXAMPLE!r}")
    compact = _PHONE_SEPARATORS.sub("", text)
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    else:
        digits = compact
    if not digits.isascii() or not digits.isdigit():
        raise InvalidInput(
            f"may contain only digits, {_PHONE_SEPARATORS_TEXT}, and a leading '+' or '00'; "
            f"got {shown(value)}, write it like {_PHONE_EXAMPLE!r}"
        )
    if digits.startswith("0"):
        # Country codes never start with 0: this is a national number with a trunk prefix.
        raise InvalidInput(
            f"must start with the country code, not a national 0 prefix; got {shown(value)}, "
            f"write it like {_PHONE_EXAMPLE!r}"
        )
    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        raise InvalidInput(
            f"must have {_MIN_DIGITS} to {_MAX_DIGITS} digits including the country code; "
            f"{shown(value)} has {len(digits)}"
        )
    return digits


def validate_cust_space_id(value: object) -> str:
    """Return the CAMS space ID unchanged, or raise `ValueError` saying what to change."""
    if not isinstance(value, str):
        raise InvalidInput(
            f"must be the CAMS space ID as a string (e.g. 'cams-demo-space'), "
            f"not a {type(value).__name__}"
        )
    if not value:
        raise InvalidInput("must not be empty; use the CustSpaceId shown in the CAMS console")
    _refuse_odd_text(value)
    if not _SPACE_ID.fullmatch(value):
        # CAMS space IDs are like "cams-kei****" or "29389299388383" (API reference examples);
        # "/" would also break the resource ID "<custSpaceId>/<phoneNumber>".
        raise InvalidInput(
            "may contain only ASCII letters, digits, '-', '_' and '.', starting with a letter "
            f"or digit, like the CustSpaceId shown in the CAMS console; got {shown(value)}"
        )
    return value


def validate_verify_code(value: object) -> str | None:
    """Return the verification code as a string, None when no code is given, or raise
    `ValueError`.

    No code is `None` or an empty (or blank) string: that is what Go's `conf.GetSecret`, a
    YAML `${verifyCode}` and most config readers give for a key that is not set, so every
    language can leave the code out the same way. The message never repeats the code: it is a
    secret.
    """
    if value is None or (isinstance(value, str) and not value.strip(" ")):
        return None
    low, high = _VERIFY_CODE_DIGITS
    if isinstance(value, bool):
        raise InvalidInput(f"must be the {low}-{high} digit code CAMS sent, as a string")
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidInput(f"must be the {low}-{high} digit code CAMS sent, as a string")
    if len(value) > _MAX_TEXT:
        raise InvalidInput(
            f"is {len(value)} characters long; the code CAMS sent has {low} to {high} digits"
        )
    code = value.strip(" ")
    if not (code.isascii() and code.isdigit() and low <= len(code) <= high):
        raise InvalidInput(
            f"must be the {low}-{high} digit code CAMS sent by SMS or voice (digits only); "
            "request a new one with `pulumi-cams request-code` if it is lost"
        )
    return code


def _refuse_odd_text(value: str) -> None:
    """Refuse what no space ID or phone number contains and what should never reach a
    message or a terminal: control, format and zero-width characters, and absurd lengths."""
    if len(value) > _MAX_TEXT:
        raise InvalidInput(f"is {len(value)} characters long; at most {_MAX_TEXT} are allowed")
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise InvalidInput(
                f"must not contain the invisible or control character U+{ord(ch):04X}; "
                f"got {shown(value)}"
            )


def format_resource_id(cust_space_id: str, phone_number: str) -> str:
    """The resource ID: ``<custSpaceId>/<phoneNumber>``."""
    return f"{cust_space_id}/{phone_number}"


def parse_resource_id(resource_id: str) -> tuple[str, str]:
    """Split a resource ID into (custSpaceId, phoneNumber); `ValueError` if malformed."""
    space, sep, phone = resource_id.rpartition("/")
    if not sep or not space or not phone:
        raise InvalidInput(
            f"resource ID {shown(resource_id)} is not of the form '<custSpaceId>/<phoneNumber>'"
        )
    return validate_cust_space_id(space), normalize_phone_number(phone)
