"""Errors raised by the CAMS client, classified by what the caller does next.

The tree::

    CamsError                  base; catch-all: ``except CamsError as err:``
    ├── CamsThrottled          retryable: flow control (System.LimitControl, Throttling*)
    ├── CamsUnavailable        retryable: 5xx, ServiceUnavailable, InternalError, or a transport
    │                          failure / malformed body on a read-only action
    ├── CamsAmbiguous          the outcome of a mutating action is unknown (timeout, reset, 5xx,
    │                          malformed body): observe the number before retrying
    ├── CamsUnreachable        nothing was sent: the endpoint refused the connection or failed the
    │                          TLS handshake; retrying will not help until the endpoint is fixed
    ├── CamsNotFound           the number or WABA is not bound to the space
    │                          (ERR-OPERATION-MAAP-0065, ERR-OPERATION-MAAP-0060)
    ├── CamsAccessDenied       RAM denial, product not activated, space of another account, bad or
    │                          missing credentials, signature or clock problems
    ├── CamsInvalidRequest     wrong or expired code, register cap, number in use elsewhere, any
    │                          other 4xx or business code
    └── SettingsError          bad provider settings

``str(err)`` is always one line::

    <Action> for phone number <n> in space <s> failed: <Code>: <Message> (RequestId <id>).
    <remediation>

(shown on two lines here for width)

with unknown parts left out. Classification branches on ``Code`` (and the HTTP status), never on
message text. No message ever carries a verify code, access key secret or security token: server
messages are scrubbed of the secrets the request carried, and transport failures are described in
fixed words, because the ``requests`` exception text contains the whole URL with its query string.

Codes this client makes up for failures that never reached a CAMS answer:
``RequestTimeout``, ``ConnectionFailed``, ``MalformedResponse``, ``CredentialsUnavailable``,
``UnsuccessfulResponse`` for an envelope that says ``Code: OK`` with ``Success: false``, and
``OperationTimeout`` for a request not sent because the operation's time budget ran out.

What the Alibaba SDK raises is translated into this tree by ``alibaba_sdk``, which also keeps
secrets out of the SDK's debug output. Which class each code belongs to, and what to do about
it, is the catalogue (``catalogue``): each code written once.
"""

from __future__ import annotations

import contextvars
import copy
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

__all__ = [
    "CamsError",
    "CamsThrottled",
    "CamsUnavailable",
    "CamsAmbiguous",
    "CamsUnreachable",
    "CamsNotFound",
    "CamsAccessDenied",
    "CamsInvalidRequest",
    "SettingsError",
    "classify",
    "clean_request_id",
    "denied_ram_action",
    "make_error",
    "request_id_of",
    "scrub_secrets",
    "error_from_body",
    "budget_exhausted",
    "credentials_error",
    "malformed_response",
    "user_message",
]

# Codes for failures that did not come from CAMS itself.
REQUEST_TIMEOUT = "RequestTimeout"
CONNECTION_FAILED = "ConnectionFailed"
CONNECTION_REFUSED = "ConnectionRefused"
TLS_HANDSHAKE_FAILED = "TlsHandshakeFailed"
MALFORMED_RESPONSE = "MalformedResponse"
CREDENTIALS_UNAVAILABLE = "CredentialsUnavailable"
UNSUCCESSFUL_RESPONSE = "UnsuccessfulResponse"
OPERATION_TIMEOUT = "OperationTimeout"

AUDIENCE: contextvars.ContextVar[str] = contextvars.ContextVar("audience", default="provider")
"""Who reads the remediations: "provider" (a Pulumi program's stack config and environment) or
"cli" (the `pulumi-cams` command's flags and environment), which name settings differently.
The command line sets it once at start."""


class CamsError(Exception):
    """A CAMS call (or the provider's preparation for one) failed.

    Attributes: ``action`` (the CAMS action, e.g. ``ChatappVerifyAndRegister``), ``code`` and
    ``message`` (as CAMS sent them, or one of this module's client-side codes), ``request_id``,
    ``http_status``, ``cust_space_id``, ``phone_number``, ``retry_after`` (seconds the server
    asked us to wait, if any), ``auth_action`` (the RAM action a denial names, if any),
    ``attempts`` (how many calls the retry helper made before giving up) and
    ``credentials_from`` (which settings supplied the access key pair).
    """

    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        action: str = "",
        code: str = "",
        request_id: str | None = None,
        http_status: int | None = None,
        cust_space_id: str | None = None,
        phone_number: str | None = None,
        retry_after: float | None = None,
        auth_action: str | None = None,
    ) -> None:
        self.action = action
        self.code = code
        self.message = _one_line(message)
        self.request_id = request_id or None
        self.http_status = http_status
        self.cust_space_id = cust_space_id
        self.phone_number = phone_number
        self.retry_after = retry_after
        self.auth_action = auth_action
        self.attempts = 1
        self.advice: str | None = None
        self.credentials_from: str | None = None
        """Where the access key pair in use was read from (set by the client), for the
        remediation of an error about it."""
        super().__init__(str(self))

    @property
    def remediation(self) -> str | None:
        """What the person running the provider should do about it, or None if unknown."""
        from .catalogue import remediation  # the catalogue names this module's classes

        return remediation(self)

    def __str__(self) -> str:
        subject = self.action or "CAMS request"
        if self.phone_number:
            subject += f" for phone number {self.phone_number}"
        if self.cust_space_id:
            subject += f" in space {self.cust_space_id}"
        text = f"{subject} failed: "
        text += ": ".join(part for part in (self.code, self.message) if part)
        text = text.rstrip(". ")
        if self.request_id:
            text += f" (RequestId {self.request_id})"
        text += "."
        if self.remediation:
            text += " " + self.remediation
        if self.advice:
            text += " " + self.advice
        return text

    def advised(self, advice: str) -> CamsError:
        """A copy that ends with ``advice``: what to do in the caller's situation (a refresh,
        a delete), beyond what the code alone says. A copy, because one listing's error is
        raised in every thread that waited for it."""
        copied = copy.copy(self)
        copied.advice = advice
        copied.args = (str(copied),)
        return copied

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructor: pickle (used by Pulumi's dynamic provider host) needs help.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[CamsError], state: dict[str, Any]) -> CamsError:
    err = cls.__new__(cls)
    err.advice = None
    err.__dict__.update(state)
    Exception.__init__(err, str(err))
    return err


class CamsThrottled(CamsError):
    """CAMS refused the request under flow control; it did not happen, so retrying is safe."""

    retryable = True


class CamsUnavailable(CamsError):
    """CAMS (or the way to it) failed transiently on a read-only action; retrying is safe."""

    retryable = True


class CamsAmbiguous(CamsError):
    """A mutating action may or may not have happened: observe before retrying."""


class CamsUnreachable(CamsError):
    """The request never reached CAMS (connection refused, TLS handshake failed): nothing
    happened, and the same endpoint will refuse the next attempt too."""


class CamsNotFound(CamsError):
    """The number (or the space's WABA) is not bound to the space."""


class CamsAccessDenied(CamsError):
    """The caller may not do this: permissions, subscription, ownership or credentials."""


class CamsInvalidRequest(CamsError):
    """CAMS refused the request as given; retrying the same request will fail the same way."""


class SettingsError(CamsError):
    """A provider setting is missing or invalid; ``key`` names the setting to fix."""

    def __init__(
        self, key: str, problem: str, *, value: Any = None, hint: str | None = None
    ) -> None:
        self.key = key
        self.value = value
        self.hint = hint
        super().__init__(problem, action="Configure", code="InvalidSetting")

    @property
    def remediation(self) -> str | None:
        """How to fix the setting."""
        return self.hint

    def __str__(self) -> str:
        text = f"Invalid provider setting {self.key}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        text = _one_line(text) + "."
        if self.hint:
            text += " " + self.hint
        return text


# Actions whose repetition is not harmless: their outcome must be observed after an ambiguous
# failure instead of retried blindly. GetChatappVerifyCode sends an SMS or a call.
MUTATING_ACTIONS = frozenset(
    {
        "ChatappVerifyAndRegister",
        "ChatappPhoneNumberRegister",
        "ChatappPhoneNumberDeregister",
        "AddChatappPhoneNumber",
        "GetChatappVerifyCode",
    }
)


def classify(code: str, http_status: int | None, *, mutating: bool) -> type[CamsError]:
    """Map a CAMS ``Code`` (and HTTP status) to the error class that says what to do next."""
    from .catalogue import entry  # the catalogue names this module's classes

    known = entry(code)
    if known is not None and known.kind is not None:
        return known.kind
    if known is not None or (http_status is not None and http_status >= 500):
        # Transient, or never answered: whether it happened is unknown for a write.
        return CamsAmbiguous if mutating else CamsUnavailable
    return CamsInvalidRequest


def error_from_body(
    body: Any,
    *,
    action: str,
    http_status: int | None = 200,
    cust_space_id: str | None = None,
    phone_number: str | None = None,
    secrets: Iterable[str] = (),
) -> CamsError | None:
    """Return the error a (2xx) response body reports, or None if it reports success.

    Success means ``Code == "OK"`` and ``Success`` is not false; a body that is not a JSON object
    or lacks ``Code`` is malformed.
    """
    mutating = action in MUTATING_ACTIONS
    context: dict[str, Any] = {
        "action": action,
        "cust_space_id": cust_space_id,
        "phone_number": phone_number,
    }
    if not isinstance(body, Mapping) or not isinstance(body.get("Code"), str):
        return make_error(
            MALFORMED_RESPONSE,
            "the response is not a CAMS envelope (no Code)",
            http_status=http_status,
            request_id=request_id_of(body),
            mutating=mutating,
            **context,
        )
    code = body["Code"]
    if code == "OK" and body.get("Success") is not False:
        return None
    if code == "OK":
        # Neither a success nor a CAMS error code: treated like a malformed answer, so a read is
        # retried and a write is observed before anything else happens.
        return make_error(
            UNSUCCESSFUL_RESPONSE,
            f"CAMS answered Code OK but Success false (Message {body.get('Message')!r})",
            http_status=http_status,
            request_id=request_id_of(body),
            mutating=mutating,
            **context,
        )
    message = body.get("Message") or body.get("message") or ""
    return make_error(
        code,
        scrub_secrets(str(message), secrets),
        http_status=http_status,
        request_id=request_id_of(body),
        auth_action=denied_ram_action(body.get("AccessDeniedDetail")),
        mutating=mutating,
        **context,
    )


def credentials_error(
    *,
    action: str = "",
    cust_space_id: str | None = None,
    phone_number: str | None = None,
    source: str = "the settings, the profile or the default credential chain",
) -> CamsAccessDenied:
    """The error for credentials that cannot be loaded: says how to provide them."""
    return CamsAccessDenied(
        f"no Alibaba Cloud credentials could be loaded from {source}",
        action=action,
        code=CREDENTIALS_UNAVAILABLE,
        cust_space_id=cust_space_id,
        phone_number=phone_number,
    )


def budget_exhausted(
    seconds: float,
    *,
    action: str,
    cust_space_id: str | None = None,
    phone_number: str | None = None,
    secrets: Iterable[str] = (),
) -> CamsError:
    """The error for a request never sent because the operation's time budget ran out."""
    return CamsUnavailable(
        f"the operation's time budget of {seconds:g} s (cams:retryTimeout) ran out before the "
        "request could be sent",
        action=action,
        code=OPERATION_TIMEOUT,
        cust_space_id=cust_space_id,
        phone_number=phone_number,
    )


def malformed_response(
    body: Any,
    what: str,
    *,
    action: str,
    cust_space_id: str | None = None,
    phone_number: str | None = None,
) -> CamsError:
    """The error for a CAMS envelope that says OK but lacks what the action documents."""
    return make_error(
        MALFORMED_RESPONSE,
        f"the response is not what CAMS documents ({what})",
        http_status=200,
        request_id=request_id_of(body),
        mutating=action in MUTATING_ACTIONS,
        action=action,
        cust_space_id=cust_space_id,
        phone_number=phone_number,
    )


def make_error(
    code: str,
    message: str,
    *,
    mutating: bool,
    http_status: int | None,
    action: str,
    cust_space_id: str | None,
    phone_number: str | None,
    request_id: str | None = None,
    retry_after: float | None = None,
    auth_action: str | None = None,
) -> CamsError:
    cls = classify(code, http_status, mutating=mutating)
    return cls(
        message,
        action=action,
        code=code,
        request_id=request_id,
        http_status=http_status,
        cust_space_id=cust_space_id,
        phone_number=phone_number,
        retry_after=retry_after,
        auth_action=auth_action,
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
    return _one_line(value)


# Gateway messages may quote what the server signed ("server string to sign is: ..."), which for
# the older signature holds the whole query, verify code included.
_STRING_TO_SIGN = re.compile(r"\s*server string to sign is:.*", re.IGNORECASE | re.DOTALL)
_SECRET_PARAMS = re.compile(
    r"((?:VerifyCode|AccessKeySecret|SecurityToken|Signature)(?:=|%3D))[^&\s,;\"']*",
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


def user_message(err: BaseException | None) -> str | None:
    """The one-line message of an error the user acts on: a :class:`CamsError`, or a one-line
    ``ValueError`` from input validation (such as a malformed ID given to ``pulumi import``).
    None for anything else: a bug, best reported with its stack."""
    if isinstance(err, CamsError):
        return str(err)
    if isinstance(err, ValueError) and "\n" not in str(err):
        return str(err)
    return None
