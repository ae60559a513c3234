"""What the Alibaba Cloud SDK (tea-openapi, darabonba, alibabacloud-credentials) and its
transport (requests, urllib3) raise, read into errors of the tree.

The SDK's classes are recognised by name along their MRO, so this module never imports the SDK
(preview stays fast and offline). Transport failures are described in fixed words: their text
holds the request URL, verify code included.
"""

from __future__ import annotations

import http.client
import socket
import traceback
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .endpoint import redact_userinfo
from .errors import (
    CLIENT_BUG,
    CONNECTION_FAILED,
    CONNECTION_REFUSED,
    MALFORMED_RESPONSE,
    NAME_NOT_RESOLVED,
    PROXY_REFUSED,
    REQUEST_TIMEOUT,
    TLS_HANDSHAKE_FAILED,
    Call,
    CamsError,
)
from .responses import (
    clean_request_id,
    credentials_error,
    denied_ram_action,
    make_error,
    request_id_of,
)

__all__ = ["Transport", "error_from_exception"]


@dataclass(frozen=True)
class Transport:
    """What a failure's words may name of how the call was made: its timeouts, the endpoint's
    host[:port] (named when it refused the connection) and where credentials were looked for."""

    connect_timeout_s: float | None = None
    read_timeout_s: float | None = None
    host: str | None = None
    credential_source: str | None = None
    protocol: str = "https"

    def proxy(self) -> str | None:
        """The proxy the request went through, as the environment names it for the endpoint's
        scheme (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, as requests reads them), without any
        ``user:password@``; None when it went straight to the endpoint."""
        if not self.host:
            return None
        proxy = urllib.request.getproxies().get(self.protocol)
        name = urllib.parse.urlsplit(f"//{self.host}").hostname or ""
        if not proxy or urllib.request.proxy_bypass(name):
            return None
        return redact_userinfo(proxy)


def error_from_exception(
    exc: BaseException, call: Call, transport: Transport = Transport()
) -> CamsError:
    """Translate an exception from the Alibaba SDK (or its transport) into a CamsError.

    Understands tea-openapi's ClientException / ServerException / ThrottlingException (by their
    attributes, so the SDK need not be imported here), darabonba's UnretryableException wrapping
    a transport RetryError or a JSON parse failure, and credential-provider failures. Transport
    failures are described in fixed words; their text (which holds the URL) is never used.
    """
    if isinstance(exc, CamsError):
        return exc
    inner = getattr(exc, "inner_exception", None)
    if inner is not None and not _is_response_exception(exc):
        exc = inner
    if _is_response_exception(exc):
        return _error_from_response(exc, call, transport)
    if _is_credential_failure(exc):
        return _credentials_error(call, transport)
    if type(exc).__name__ == "RetryError":
        code, description = _describe_transport(exc, transport)
        return make_error(call, code, description, http_status=None)
    if isinstance(exc, RuntimeError) and str(exc).startswith("Failed to parse the value as json"):
        return make_error(
            call, MALFORMED_RESPONSE, "the response body is not valid JSON", http_status=None
        )
    # Anything else is a bug (ours, or a library's after an upgrade), not a network problem:
    # said as such, never retried. Its text may hold the request URL: only its type and where
    # it was raised are shown.
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return make_error(call, CLIENT_BUG, f"unexpected {type(exc).__name__}{where}", http_status=None)


def _error_from_response(exc: BaseException, call: Call, transport: Transport) -> CamsError:
    """A ResponseException: CAMS (or its gateway) answered with an error."""
    data = getattr(exc, "data", None)
    data = data if isinstance(data, Mapping) else {}
    status = getattr(exc, "status_code", None)
    code = getattr(exc, "code", None) or data.get("Code") or data.get("code") or ""
    if code == "None":  # the SDK formats a missing code with f'{code}'
        code = ""
    if not code:
        code = f"HTTP{status}" if status else MALFORMED_RESPONSE
    if code == "InvalidCredentials":
        return _credentials_error(call, transport)
    retry_after = getattr(exc, "retry_after", None)
    detail = getattr(exc, "access_denied_detail", None) or data.get("AccessDeniedDetail")
    return make_error(
        call,
        str(code),
        str(data.get("Message") or data.get("message") or ""),
        http_status=status if isinstance(status, int) else None,
        request_id=request_id_of(data) or clean_request_id(getattr(exc, "request_id", None)),
        retry_after=retry_after / 1000 if isinstance(retry_after, int | float) else None,
        auth_action=denied_ram_action(detail),
    )


def _credentials_error(call: Call, transport: Transport) -> CamsError:
    if transport.credential_source is None:
        return credentials_error(call)
    return credentials_error(call, transport.credential_source)


def _refused(host: str) -> str:
    """A refused connection, naming the endpoint; only a loopback one can be the emulator."""
    name = urllib.parse.urlsplit(f"//{host}").hostname or ""
    loopback = name == "localhost" or name == "::1" or name.startswith("127.")
    return f"connection refused by {host}" + (" (is the emulator running?)" if loopback else "")


def _is_response_exception(exc: BaseException) -> bool:
    # darabonba.exceptions.ResponseException and its tea-openapi subclasses, by duck typing so
    # that this module never imports the SDK.
    return any(c.__name__ == "ResponseException" for c in type(exc).__mro__)


def _is_credential_failure(exc: BaseException) -> bool:
    # alibabacloud-credentials' CredentialException and its subclasses.
    return any(c.__name__ == "CredentialException" for c in type(exc).__mro__)


def _describe_transport(exc: BaseException, transport: Transport) -> tuple[str, str]:
    """Fixed words for a transport failure, found by walking the exception chain by type."""
    seen = _chain(exc)
    names = {c.__name__ for e in seen for c in type(e).__mro__}
    host = transport.host

    def seconds(value: float | None) -> str:
        return f" after {value:g} s" if value else ""

    # Before the timeouts: urllib3's NewConnectionError is a ConnectTimeoutError subclass, so
    # only requests' own ConnectTimeout (which excludes it) means a connect timeout.
    proxy = transport.proxy()
    if proxy and (
        "ProxyError" in names or any(isinstance(e, ConnectionRefusedError) for e in seen)
    ):
        variable = f"{transport.protocol.upper()}_PROXY"
        return PROXY_REFUSED, f"the proxy {proxy} ({variable}) refused the connection"
    if any(isinstance(e, ConnectionRefusedError) for e in seen):
        return CONNECTION_REFUSED, _refused(host) if host else "connection refused"
    if "ConnectTimeout" in names:
        return (
            REQUEST_TIMEOUT,
            f"connecting to CAMS timed out{seconds(transport.connect_timeout_s)}",
        )
    if "ReadTimeout" in names or "ReadTimeoutError" in names or "Timeout" in names:
        read = seconds(transport.read_timeout_s)
        return REQUEST_TIMEOUT, f"no response from CAMS{read} (read timeout)"
    if any(isinstance(e, socket.timeout | TimeoutError) for e in seen):
        return REQUEST_TIMEOUT, "the request to CAMS timed out"
    return _describe_connection(seen, names, host)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes, contexts, reasons and exception arguments, each once."""
    seen: list[BaseException] = []
    todo: list[Any] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        todo.extend(a for a in getattr(item, "args", ()) if isinstance(a, BaseException))
    return seen


def _describe_connection(
    seen: list[BaseException], names: set[str], host: str | None
) -> tuple[str, str]:
    """Fixed words for a connection that failed other than by refusal or timeout."""
    # RemoteDisconnected is a ConnectionResetError: test it first.
    if any(isinstance(e, http.client.RemoteDisconnected) for e in seen):
        return CONNECTION_FAILED, "connection closed without a response"
    if any(isinstance(e, ConnectionResetError) for e in seen):
        return CONNECTION_FAILED, "connection reset by peer"
    if "SSLError" in names:
        return TLS_HANDSHAKE_FAILED, "TLS handshake failed"
    # A name that does not exist will not exist on a retry; a resolver that did not answer
    # (EAI_AGAIN) may answer on the next.
    unknown_name = (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))
    if any(isinstance(e, socket.gaierror) and e.errno in unknown_name for e in seen):
        if host:
            return NAME_NOT_RESOLVED, f"the endpoint's host name does not resolve ({host})"
        return NAME_NOT_RESOLVED, "the endpoint's host name does not resolve"
    if "NameResolutionError" in names or any(isinstance(e, socket.gaierror) for e in seen):
        return CONNECTION_FAILED, "the endpoint's host name could not be resolved"
    if "ProxyError" in names:
        return CONNECTION_FAILED, "the HTTP proxy refused the connection"
    return CONNECTION_FAILED, "the connection to CAMS failed"
