"""From what CAMS answered (or did not) to an error of the tree in ``errors``.

A CAMS answer is an envelope: ``Code`` (``OK`` on success), ``Message``, ``RequestId`` and, on
some actions, ``Success`` and ``AccessDeniedDetail`` (Alibaba Cloud's common response elements:
https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-chatappverifyandregister).
This module reads one into an error, classified by its code through the catalogue, and builds
the errors for failures that never got an answer. Server messages are scrubbed of the secrets the
request carried before they become part of an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .actions import MUTATING_ACTIONS
from .catalogue import entry, remedy
from .errors import (
    CREDENTIALS_UNAVAILABLE,
    MALFORMED_RESPONSE,
    OPERATION_TIMEOUT,
    UNSUCCESSFUL_RESPONSE,
    Call,
    CamsAmbiguous,
    CamsError,
    CamsInvalidRequest,
    CamsUnavailable,
    one_line,
)

__all__ = [
    "budget_exhausted",
    "classify",
    "clean_request_id",
    "credentials_error",
    "denied_ram_action",
    "error_from_body",
    "make_error",
    "malformed_response",
    "request_id_of",
    "scrub_secrets",
]


def classify(code: str, http_status: int | None, *, mutating: bool) -> type[CamsError]:
    """Map a CAMS ``Code`` (and HTTP status) to the error class that says what to do next."""
    known = entry(code)
    if known is not None and known.kind is not None:
        return known.kind
    if known is not None or (http_status is not None and http_status >= 500):
        # Transient, or never answered: whether it happened is unknown for a write.
        return CamsAmbiguous if mutating else CamsUnavailable
    return CamsInvalidRequest


def error_from_body(body: Any, call: Call, *, http_status: int | None = 200) -> CamsError | None:
    """Return the error a (2xx) response body reports, or None if it reports success.

    Success means ``Code == "OK"`` and ``Success`` is not false; a body that is not a JSON object
    or lacks ``Code`` is malformed.
    """
    request_id = request_id_of(body)
    if not isinstance(body, Mapping) or not isinstance(body.get("Code"), str):
        return make_error(
            call,
            MALFORMED_RESPONSE,
            "the response is not a CAMS envelope (no Code)",
            http_status=http_status,
            request_id=request_id,
        )
    code = body["Code"]
    if code == "OK" and body.get("Success") is not False:
        return None
    if code == "OK":
        # Neither a success nor a CAMS error code: treated like a malformed answer, so a read is
        # retried and a write is observed before anything else happens.
        return make_error(
            call,
            UNSUCCESSFUL_RESPONSE,
            f"CAMS answered Code OK but Success false (Message {body.get('Message')!r})",
            http_status=http_status,
            request_id=request_id,
        )
    message = body.get("Message") or body.get("message") or ""
    return make_error(
        call,
        code,
        str(message),
        http_status=http_status,
        request_id=request_id,
        auth_action=denied_ram_action(body.get("AccessDeniedDetail")),
    )


def credentials_error(
    call: Call, source: str = "the settings, the profile or the default credential chain"
) -> CamsError:
    """The error for credentials that cannot be loaded: says how to provide them."""
    return make_error(
        call,
        CREDENTIALS_UNAVAILABLE,
        f"no Alibaba Cloud credentials could be loaded from {source}",
        http_status=None,
    )


def budget_exhausted(seconds: float, call: Call) -> CamsError:
    """The error for a request never sent because the operation's time budget ran out."""
    return make_error(
        call,
        OPERATION_TIMEOUT,
        f"the operation's time budget of {seconds:g} s (cams:retryTimeout) ran out before the "
        "request could be sent",
        http_status=None,
    )


def malformed_response(body: Any, what: str, call: Call) -> CamsError:
    """The error for a CAMS envelope that says OK but lacks what the action documents."""
    return make_error(
        call,
        MALFORMED_RESPONSE,
        f"the response is not what CAMS documents ({what})",
        http_status=200,
        request_id=request_id_of(body),
    )


def make_error(
    call: Call,
    code: str,
    message: str,
    *,
    http_status: int | None,
    request_id: str | None = None,
    retry_after: float | None = None,
    auth_action: str | None = None,
) -> CamsError:
    """The error for ``call`` failing with ``code``: its class and remediation from the
    catalogue, the message scrubbed of the call's secrets."""
    kind = classify(code, http_status, mutating=call.action in MUTATING_ACTIONS)
    return kind(
        scrub_secrets(message, call.secrets),
        action=call.action,
        code=code,
        request_id=request_id,
        http_status=http_status,
        cust_space_id=call.cust_space_id,
        phone_number=call.phone_number,
        retry_after=retry_after,
        auth_action=auth_action,
        credentials_from=call.credentials_from,
        remedy=remedy(code, kind),
    )


def denied_ram_action(detail: Any) -> str | None:
    """The denied RAM action from an AccessDeniedDetail (object, JSON text or 'None')."""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return None
    if isinstance(detail, Mapping):
        value = detail.get("AuthAction") or detail.get("authAction")
        if isinstance(value, str) and value.startswith("cams:"):
            return value
    return None


def request_id_of(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None
    return clean_request_id(body.get("RequestId") or body.get("requestId"))


def clean_request_id(value: Any) -> str | None:
    if not isinstance(value, str) or value in ("", "None"):
        return None
    return one_line(value)


# Gateway messages may quote what the server signed ("server string to sign is: ..."), which for
# the older signature holds the whole query, verify code included. Callback URLs carry tokens.
_STRING_TO_SIGN = re.compile(r"\s*server string to sign is:.*", re.IGNORECASE | re.DOTALL)
_SECRET_PARAMS = re.compile(
    r"((?:VerifyCode|AccessKeySecret|SecurityToken|Signature|StatusCallbackUrl|UpCallbackUrl)"
    r"(?:=|%3D))[^&\s,;\"']*",
    re.IGNORECASE,
)
# Header lines as the SDK's debug output prints them (``> x-acs-security-token : <token>``)
# and as urllib3 or a proxy may quote them (``'x-acs-security-token': '<token>'``).
_SECRET_HEADERS = re.compile(
    r"((?:x-acs-security-token|x-acs-accesskey-secret)['\"]?\s*[:=]\s*['\"]?)[^\s,;'\"]+",
    re.IGNORECASE,
)


def scrub_secrets(message: str, secrets: Iterable[str]) -> str:
    message = _STRING_TO_SIGN.sub("", message)
    message = _SECRET_PARAMS.sub(r"\1***", message)
    message = _SECRET_HEADERS.sub(r"\1***", message)
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message
