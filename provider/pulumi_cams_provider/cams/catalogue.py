"""The catalogue of codes: for every code this client knows, its error class and what to do.

Each code is written once, in `_CATALOGUE` (exact codes) or `_FAMILIES` (gateway code prefixes).
A remediation names settings as its reader can change them (`AUDIENCE`): stack config and
environment variables for a Pulumi program, flags and environment variables for the
``pulumi-cams`` command.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass

from ..config import setting
from . import errors as codes
from .errors import (
    CamsAccessDenied,
    CamsAmbiguous,
    CamsError,
    CamsInvalidRequest,
    CamsNotFound,
    CamsThrottled,
    CamsUnavailable,
    CamsUnreachable,
    ClientBug,
)

__all__ = ["AUDIENCE", "entry", "known_codes", "remedy", "request_code_advice"]

AUDIENCE: contextvars.ContextVar[str] = contextvars.ContextVar("audience", default="provider")
"""Who reads the remediations: "provider" (a Pulumi program's stack config and environment) or
"cli" (the `pulumi-cams` command's flags and environment), which name settings differently.
The command line sets it once at start."""


def _setting(key: str) -> str:
    """A setting as the reader can change it: the stack config key and its variables for the
    provider, the flag (where there is one) or the variables for the command line."""
    variables = " or ".join(setting(key).environment)
    if AUDIENCE.get() == "cli":
        flag = f"--{key}" if key in ("endpoint", "region", "profile") else None
        return f"{flag} or {variables}" if flag else variables
    return f"cams:{key}, {variables}"


def _how_to_set_credentials(_: CamsError) -> str:
    variables = " and ".join(setting(key).environment[-1] for key in _KEY_PAIR)
    if AUDIENCE.get() == "cli":
        return f"Provide credentials: the environment variables {variables}, or --profile."
    return (
        "Provide credentials: `pulumi config set cams:accessKeyId <id>` and "
        "`pulumi config set --secret cams:accessKeySecret <secret>`, or `cams:profile`, or the "
        f"environment variables {variables}."
    )


_KEY_PAIR = ("accessKeyId", "accessKeySecret")


def request_code_advice(space: str, phone: str, *, fresh: bool = True) -> str:
    """How to get a one-time code and keep it (``fresh``: after one was refused), as a clause
    the caller ends: the one place that says it."""
    code = "a fresh code" if fresh else "a code"
    return (
        f"request {code} with `pulumi-cams request-code --space {space} --phone {phone}` and "
        "store it with `pulumi config set --secret <key> <code>`"
    )


def remedy(code: str, kind: type[CamsError]) -> Callable[[CamsError], str | None] | None:
    """What to do about an error of class ``kind`` with ``code``, as the code (or, for flow
    control, the class) says; None if the catalogue does not know."""
    known = entry(code)
    if known is not None and known.remedy is not None:
        return known.remedy
    return _throttled if issubclass(kind, CamsThrottled) else None


@dataclass(frozen=True)
class _Known:
    """What a code means: its class (None: transient or unanswered, so the class depends on
    whether the action writes) and what to do about it."""

    kind: type[CamsError] | None
    remedy: Callable[[CamsError], str | None] | None


def _space(err: CamsError) -> str:
    return err.cust_space_id or "<space>"


def _phone(err: CamsError) -> str:
    return err.phone_number or "<number>"


def _grant(err: CamsError) -> str:
    ram_action = err.auth_action or (f"cams:{err.action}" if err.action else "cams:<Action>")
    return (
        f"Grant the RAM action {ram_action} to the identity in use (for example with a custom "
        "policy; AliyunCamsFullAccess covers it)."
    )


def _unanswered(err: CamsError) -> str:
    if isinstance(err, CamsAmbiguous):
        return (
            f"The outcome is unknown: check the number with `pulumi-cams status --space "
            f"{_space(err)} --phone {_phone(err)}` before trying again."
        )
    if err.code == codes.CONNECTION_FAILED:
        return f"Check the network and the endpoint ({_setting('endpoint')}), then retry."
    return "CAMS is temporarily unavailable: retry later."


def _text(text: str) -> Callable[[CamsError], str]:
    return lambda _: text


def _throttled(_: CamsError) -> str:
    return f"CAMS flow control: lower the rate ({_setting('requestsPerSecond')}) or retry later."


def _read_from(err: CamsError, setting: str) -> str:
    """The settings to check: those the pair was read from when known (one of several
    variables may have won silently), else every one that could have supplied it."""
    if err.credentials_from:
        return f"read from {err.credentials_from}"
    return _setting(setting)


def _bad_secret(err: CamsError) -> str:
    return (
        "Check the access key pair: the access key secret does not belong to the access key id "
        f"({_read_from(err, 'accessKeySecret')})."
    )


def _unknown_key(err: CamsError) -> str:
    return (
        "Check the access key pair: the access key id is unknown or disabled "
        f"({_read_from(err, 'accessKeyId')})."
    )


def _endpoint_advice(what: str) -> Callable[[CamsError], str]:
    return lambda _: f"Nothing was sent: {what}. Check the endpoint ({_setting('endpoint')})."


_CLOCK = _text(
    "Check this machine's clock: requests must be within 15 minutes of Alibaba Cloud's time."
)
_PARAMETERS = _text("Check the request parameters (space id and phone number with country code).")
_TRANSIENT = _Known(None, _unanswered)
_FRESH_CODE = _Known(
    CamsInvalidRequest,
    lambda err: request_code_advice(_space(err), _phone(err)).capitalize() + ".",
)

# Every code this client knows, each once: the documented CAMS codes (API reference, "Error
# codes", https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-chatappverifyandregister),
# the OpenAPI gateway's, the ones the emulator infers where the docs are silent, and this
# client's own for failures that never reached a CAMS answer.
_CATALOGUE: dict[str, _Known] = {
    "System.LimitControl": _Known(CamsThrottled, _throttled),
    "Throttling": _Known(CamsThrottled, _throttled),
    "Ram.PermissionDeny": _Known(CamsAccessDenied, _grant),
    "Forbidden.RAM": _Known(CamsAccessDenied, _grant),
    "Authentication.NoAuth": _Known(CamsAccessDenied, _grant),
    "Product.Unsubscript": _Known(
        CamsAccessDenied,
        _text(
            "Activate Chat App Message Service (CAMS) for this Alibaba Cloud account in the "
            "console, then retry."
        ),
    ),
    "Unknown.ResourceOwnerId": _Known(
        CamsAccessDenied,
        lambda err: (
            f"Space {_space(err)} belongs to another Alibaba Cloud account: check "
            "custSpaceId and the credentials in use."
        ),
    ),
    "SignatureDoesNotMatch": _Known(CamsAccessDenied, _bad_secret),
    "IncompleteSignature": _Known(CamsAccessDenied, _bad_secret),
    "IllegalTimestamp": _Known(CamsAccessDenied, _CLOCK),
    "InvalidCredentials": _Known(CamsAccessDenied, _how_to_set_credentials),
    codes.CREDENTIALS_UNAVAILABLE: _Known(CamsAccessDenied, _how_to_set_credentials),
    "ERR-OPERATION-MAAP-0065": _Known(
        CamsNotFound,
        lambda err: (
            f"Bind the number to the WhatsApp Business Account (WABA) of space "
            f"{_space(err)} first (ChatappSyncPhoneNumber or the CAMS console), then retry."
        ),
    ),
    "ERR-OPERATION-MAAP-0060": _Known(
        CamsNotFound,
        lambda err: (
            f"Bind a WhatsApp Business Account (WABA) to space {_space(err)} first, then retry."
        ),
    ),
    "InvalidParameter.VerifyCodeError": _FRESH_CODE,
    "InvalidParameter.VerifyCodeExpired": _FRESH_CODE,
    "InvalidOperation.RegisterLimitExceeded": _Known(
        CamsInvalidRequest,
        _text(
            "Meta allows 10 register/deregister calls per number per 72 hours: wait for the "
            "window to pass before trying again."
        ),
    ),
    "InvalidOperation.PhoneNumberInUse": _Known(
        CamsInvalidRequest,
        _text("The number is registered in another space: deregister it from that space first."),
    ),
    "ERR-OPERATION-MAAP-0085": _Known(CamsInvalidRequest, _text("Start each website with http.")),
    "ServiceUnavailable": _TRANSIENT,
    "InternalError": _TRANSIENT,
    "ERR-COMMON-001": _TRANSIENT,
    "999999": _TRANSIENT,
    "CHAT.APIError": _TRANSIENT,
    codes.REQUEST_TIMEOUT: _TRANSIENT,
    codes.CONNECTION_FAILED: _TRANSIENT,
    codes.MALFORMED_RESPONSE: _TRANSIENT,
    codes.UNSUCCESSFUL_RESPONSE: _TRANSIENT,
    codes.CONNECTION_REFUSED: _Known(
        CamsUnreachable,
        _endpoint_advice("nothing listens at that address"),
    ),
    codes.PROXY_REFUSED: _Known(
        CamsUnreachable,
        lambda _: (
            "Nothing was sent: requests to this endpoint go through the proxy the environment "
            "names. Unset HTTP_PROXY / HTTPS_PROXY where the provider runs, or add the "
            "endpoint's host to NO_PROXY (the emulator on loopback needs no proxy)."
        ),
    ),
    codes.NAME_NOT_RESOLVED: _Known(
        CamsUnreachable,
        _endpoint_advice(
            "the host name did not resolve (a typo, a region without CAMS, or no DNS server "
            "this machine can reach: `getent hosts <host>` tells)"
        ),
    ),
    codes.TLS_HANDSHAKE_FAILED: _Known(
        CamsUnreachable,
        _endpoint_advice(
            "the endpoint does not speak TLS as CAMS does; a bare host:port means HTTPS, so "
            "write http://host:port for the emulator"
        ),
    ),
    codes.CLIENT_BUG: _Known(
        ClientBug,
        _text(
            "This is a bug in pulumi-cams or a library it runs on, not a network or CAMS "
            "problem: report it to the pulumi-cams maintainers with this line and the output "
            "of `pulumi-cams --version`."
        ),
    ),
    codes.OPERATION_TIMEOUT: _Known(
        CamsUnavailable,
        lambda _: f"Retry later, or allow more time ({_setting('retryTimeout')}).",
    ),
}
# Families of gateway codes, matched by prefix after the exact codes.
_FAMILIES: tuple[tuple[str, _Known], ...] = (
    ("Throttling", _Known(CamsThrottled, _throttled)),
    (
        "InvalidAccessKeyId",
        _Known(CamsAccessDenied, _unknown_key),
    ),
    ("InvalidTimeStamp", _Known(CamsAccessDenied, _CLOCK)),
    (
        "InvalidSecurityToken",
        _Known(
            CamsAccessDenied,
            _text("The STS security token is invalid or expired: obtain a fresh one."),
        ),
    ),
    ("Missing", _Known(CamsInvalidRequest, _PARAMETERS)),
    ("InvalidParameter", _Known(CamsInvalidRequest, _PARAMETERS)),
)


def known_codes() -> list[tuple[str, type[CamsError] | None, Callable[[CamsError], str | None]]]:
    """Every code the catalogue knows (a family as ``<prefix>*``), its class (None: it depends
    on whether the action writes) and what to do about it: for the generated troubleshooting
    page."""
    listed = [(code, k.kind, k.remedy) for code, k in _CATALOGUE.items() if k.remedy]
    listed += [(f"{prefix}*", k.kind, k.remedy) for prefix, k in _FAMILIES if k.remedy]
    return listed


def entry(code: str) -> _Known | None:
    """The catalogue's entry for ``code``: exact, else by family prefix; None if unknown."""
    known = _CATALOGUE.get(code)
    if known is not None:
        return known
    return next((k for prefix, k in _FAMILIES if code.startswith(prefix)), None)
