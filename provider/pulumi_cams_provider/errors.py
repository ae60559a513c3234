"""Errors raised by the CAMS client, classified by what the caller does next.

The tree::

    CamsError                  base; catch-all: ``except CamsError as err:``
    ├── CamsThrottled          retryable: flow control (System.LimitControl, Throttling*)
    ├── CamsUnavailable        retryable: 5xx, ServiceUnavailable, InternalError, or a transport
    │                          failure / malformed body on a read-only action
    ├── CamsAmbiguous          the outcome of a mutating action is unknown (timeout, reset, 5xx,
    │                          malformed body): observe the number before retrying
    ├── CamsUnreachable        nothing was sent: the endpoint's name does not resolve, it refused
    │                          the connection or failed the TLS handshake; retrying will not help
    │                          until the endpoint is fixed
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

A CAMS answer becomes an error of this tree in ``responses``; what the Alibaba SDK raises, in
``alibaba_sdk``, which also keeps secrets out of the SDK's debug output. Which class each code
belongs to, and what to do about it, is the catalogue (``catalogue``): each code written once.
"""

from __future__ import annotations

import contextvars
import copy
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
    "user_message",
]

# Codes for failures that did not come from CAMS itself.
REQUEST_TIMEOUT = "RequestTimeout"
CONNECTION_FAILED = "ConnectionFailed"
CONNECTION_REFUSED = "ConnectionRefused"
NAME_NOT_RESOLVED = "NameNotResolved"
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
        self.message = one_line(message)
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
    """The request never reached CAMS (name not resolved, connection refused, TLS handshake
    failed): nothing happened, and the same endpoint will refuse the next attempt too."""


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
        text = one_line(text) + "."
        if self.hint:
            text += " " + self.hint
        return text


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, newlines included, made one space."""
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
