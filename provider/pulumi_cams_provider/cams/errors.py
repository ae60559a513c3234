"""Every error the provider raises for a person to act on, classified by what to do next.

The tree (every class; the controller's own are defined in ``controller.errors``)::

    ProviderError                  base: ``except ProviderError`` catches all of them
    ├── SettingsError              a provider setting is missing or invalid: no call was made
    ├── InvalidInput               an input, ID or argument breaks the resource's rules (also a
    │                              ValueError, as pydantic and the engine expect of bad input)
    └── CamsError                  a CAMS call failed, or was not sent
        ├── CamsThrottled          retryable: flow control (System.LimitControl, Throttling*)
        ├── CamsUnavailable        retryable: 5xx, ServiceUnavailable, InternalError, or a
        │                          transport failure / malformed body on a read-only action
        ├── CamsAmbiguous          the outcome of a mutating action is unknown (timeout, reset,
        │                          5xx, malformed body): observe the number before retrying
        ├── CamsUnreachable        nothing was sent: the endpoint's name does not resolve, it
        │                          refused the connection or failed the TLS handshake, or
        │                          the proxy in the way refused it
        ├── CamsNotFound           the number or WABA is not bound to the space
        │   └── PhoneNumberNotInSpace   (controller) the space's listing lacks the number
        ├── CamsAccessDenied       RAM denial, product not activated, space of another account,
        │                          bad or missing credentials, signature or clock problems
        ├── CamsInvalidRequest     wrong or expired code, register cap, number in use elsewhere,
        │   │                      any other 4xx or business code
        │   ├── MissingVerifyCode  (controller) a create needs a code and has none
        │   └── NotRegistered      (controller) an import names a number that is not registered
        ├── NoVisibleEffect        (controller) CAMS answered OK but a re-read never showed it
        └── ClientBug              the client failed in a way it does not know (an exception of
                                   a library, a bug): never retried, never a network diagnosis;
                                   names its type and where it was raised

Anything else that escapes is a bug, and is reported with its stack.

``str(err)`` is always one line::

    <Action> for phone number <n> in space <s> failed: <Code>: <Message> (RequestId <id>).
    <remediation> <advice>

(shown on two lines here for width) with unknown parts left out. An error is made once and
never changed: its ``remediation`` (what its code says to do) is settled when it is made, by
the catalogue for a CAMS code or by its class for the controller's own; ``advice`` (what to do
in the caller's situation, such as a refresh that keeps the state) is given by whoever makes a
new error from it with :meth:`CamsError.restated`. Classification branches on ``Code`` (and the
HTTP status), never on message text. No message carries a verify code, access key secret or
security token: server messages are scrubbed of the secrets the request carried (`Call`), and
transport failures are described in fixed words, because the ``requests`` exception text holds
the whole URL with its query string.

Codes this client makes up for failures that never reached a CAMS answer are the constants
below. A CAMS answer becomes an error in ``responses``; what the Alibaba SDK raises, in
``alibaba_sdk``. Which class each code belongs to, and what to do about it, is the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "Call",
    "CamsAccessDenied",
    "CamsAmbiguous",
    "CamsError",
    "CamsInvalidRequest",
    "CamsNotFound",
    "CamsThrottled",
    "CamsUnavailable",
    "CamsUnreachable",
    "ClientBug",
    "InvalidInput",
    "ProviderError",
    "SettingsError",
    "one_line",
    "user_message",
]

# Codes for failures that did not come from CAMS itself.
REQUEST_TIMEOUT = "RequestTimeout"
CONNECTION_FAILED = "ConnectionFailed"
CONNECTION_REFUSED = "ConnectionRefused"
NAME_NOT_RESOLVED = "NameNotResolved"
TLS_HANDSHAKE_FAILED = "TlsHandshakeFailed"
PROXY_REFUSED = "ProxyRefused"
MALFORMED_RESPONSE = "MalformedResponse"
CREDENTIALS_UNAVAILABLE = "CredentialsUnavailable"
UNSUCCESSFUL_RESPONSE = "UnsuccessfulResponse"
OPERATION_TIMEOUT = "OperationTimeout"
CLIENT_BUG = "ClientBug"


class ProviderError(Exception):
    """An error a person acts on; ``str()`` is the one line to show them."""

    awaits_person: ClassVar[bool] = False
    """Nothing was done, and nothing can be until a person acts (a verification code to
    request): work waiting, not a failure. The native plugin answers it with Pulumi's await
    result, so the engine writes no state for the resource and goes on with the others."""


class InvalidInput(ProviderError, ValueError):
    """An input, resource ID or argument that breaks the resource's rules; the message says
    which and how to write it."""


class SettingsError(ProviderError):
    """A provider setting is missing or invalid; ``key`` names the setting to fix, ``hint``
    how."""

    def __init__(
        self, key: str, problem: str, *, value: Any = None, hint: str | None = None
    ) -> None:
        self.key = key
        self.message = one_line(problem)
        self.value = value
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"Invalid provider setting {self.key}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        text = one_line(text) + "."
        if self.hint:
            text += " " + self.hint
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.__dict__.copy()))


@dataclass(frozen=True)
class Call:
    """What a failure report says of the call it was about: the action, its space and number,
    the secrets its request carried (scrubbed from any server message, never shown) and which
    settings supplied the access key pair (several variables name one credential, and the
    first set wins silently)."""

    action: str
    cust_space_id: str | None = None
    phone_number: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)
    credentials_from: str | None = None


Remedy = Callable[["CamsError"], "str | None"]
"""What to do about an error, from its fields: the catalogue's entry for its code, or its
class's own `CamsError.remedy`."""


class CamsError(ProviderError):
    """A CAMS call (or the provider's preparation for one) failed.

    Attributes: ``action`` (the CAMS action, e.g. ``ChatappVerifyAndRegister``), ``code`` and
    ``message`` (as CAMS sent them, or one of this module's client-side codes), ``request_id``,
    ``http_status``, ``cust_space_id``, ``phone_number``, ``retry_after`` (seconds the server
    asked us to wait, if any), ``auth_action`` (the RAM action a denial names, if any),
    ``credentials_from`` (which settings supplied the access key pair), ``remediation`` and
    ``advice``. Set once, when the error is made; assigning one later raises AttributeError.
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
        credentials_from: str | None = None,
        remedy: Remedy | None = None,
        advice: str | None = None,
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
        self.credentials_from = credentials_from
        self.advice = advice
        self.remediation = (remedy or type(self).remedy)(self)
        super().__init__(str(self))
        self._made = True

    def remedy(self) -> str | None:
        """The remediation of an error made without the catalogue: none, unless a class of
        the controller's says otherwise."""
        return None

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_made", False) and not name.startswith("__"):
            raise AttributeError(f"{type(self).__name__} is made once; {name} cannot change")
        super().__setattr__(name, value)

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
        for part in (self.remediation, self.advice):
            if part:
                text += " " + part
        return text

    def restated(self, *, phone_number: str | None = None, advice: str | None = None) -> CamsError:
        """A new error of this class that says the same, about ``phone_number`` when this one
        names none, ending with ``advice``: what to do in the caller's situation. New, because
        one listing's error is raised in every thread that waited for it."""
        fields = {k: v for k, v in self.__dict__.items() if k not in ("_made", "remediation")}
        fields.update(
            phone_number=self.phone_number or phone_number,
            advice=advice or self.advice,
            remedy=lambda _: self.remediation,
        )
        return type(self)(**fields)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructor: pickle (used by Pulumi's dynamic provider host) needs help.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[Exception], state: dict[str, Any]) -> Exception:
    err = cls.__new__(cls)
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


class ClientBug(CamsError):
    """The client raised an exception it does not know (say, an ``AttributeError`` after a
    library upgrade): a bug, not a transient failure, so it is never retried, and its text
    (which may hold the request URL, verify code included) is never shown: its type and where
    it was raised are."""


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, newlines included, made one space."""
    return " ".join(text.split())


def user_message(err: BaseException | None) -> str | None:
    """The one-line message of an error of this tree; None for anything else (a bug, best
    reported with its stack)."""
    if isinstance(err, ProviderError):
        return str(err)
    return None
