"""HTTP front of the emulator: parse RPC requests, check signatures, render CAMS envelopes.

No business rule lives here: the backend decides, this module translates. Faults injected
through the control API are applied here, since they are about the wire, not about CAMS.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from . import errors, signature
from .backend import CamsBackend, PhoneNumber
from .control import Controls, Fault, Faults, RequestLog

API_VERSION = "2020-06-06"
CONTROL_PREFIX = "/_emulator/"


@dataclass(frozen=True)
class ActionSpec:
    """Wire facts of one action [API]: parameters and whether it answers Success."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    has_success: bool = True
    ok_message: str = "None"


ACTION_SPECS: dict[str, ActionSpec] = {
    "ChatappVerifyAndRegister": ActionSpec(("CustSpaceId", "PhoneNumber", "VerifyCode")),
    "GetChatappVerifyCode": ActionSpec(("CustSpaceId", "PhoneNumber", "Method", "Locale")),
    "GetPhoneNumberVerificationStatus": ActionSpec(
        ("CustSpaceId", "PhoneNumber"), has_success=False
    ),
    "QueryChatappPhoneNumbers": ActionSpec(
        (), ("CustSpaceId", "Status", "IsvCode"), ok_message="SUCCESS"
    ),
    "ChatappPhoneNumberRegister": ActionSpec(("CustSpaceId", "PhoneNumber")),
    "ChatappPhoneNumberDeregister": ActionSpec(("CustSpaceId", "PhoneNumber"), has_success=False),
    "AddChatappPhoneNumber": ActionSpec(
        ("CustSpaceId", "Cc", "PhoneNumber", "VerifiedName"), ("PreValidateId",)
    ),
    "ChatappSyncPhoneNumber": ActionSpec(("CustSpaceId",)),
}


def new_request_id() -> str:
    """RequestIds look like CAMS's: an upper-case UUID."""
    return str(uuid.uuid4()).upper()


def snake_case(name: str) -> str:
    """``ChatappVerifyAndRegister`` -> ``chatapp_verify_and_register``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class EmulatorServer:
    """The emulator on a real socket, served from a daemon thread (or the CLI's main thread)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        qps: int = 10,
        seed: Mapping[str, Any] | None = None,
    ) -> None:
        self.backend = CamsBackend(seed, qps)
        self.faults = Faults()
        self.log = RequestLog()
        self.controls = Controls(self.backend, self.faults, self.log)
        self._httpd = _HTTPServer((host, port), _Handler, self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, the base URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """``HOST:PORT``, what the Alibaba SDK's ``Config.endpoint`` wants."""
        return f"{self.host}:{self.port}"

    def start(self) -> EmulatorServer:
        """Serve in a daemon thread; the socket already listens, so requests may start now."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="cams-emulator", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until ``stop`` (or an interrupt)."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def reset(self) -> None:
        """In-process ``POST /_emulator/reset``."""
        self.controls.reset()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], emulator: EmulatorServer
    ) -> None:
        self.emulator = emulator
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a read timeout under the delay fault) closes the connection
        # before the answer is written: expected, so not worth a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server_version = "cams-emulator"
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:
        # The default logs the request line, whose query carries verify codes.
        pass

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    def do_PUT(self) -> None:
        self._route()

    @property
    def emulator(self) -> EmulatorServer:
        return cast(_HTTPServer, self.server).emulator

    def _route(self) -> None:
        url = urlsplit(self.path)
        length = _content_length(self.headers.get("Content-Length"))
        if length is None:
            self.close_connection = True
            self._send_json(
                400, {"error": f"Content-Length must be a whole number from 0 to {MAX_BODY_BYTES}"}
            )
            return
        body = self.rfile.read(length)
        if url.path.startswith(CONTROL_PREFIX):
            refusal = _control_refusal(
                self.headers.get("Host"), self.headers.get("Content-Type"), body
            )
            if refusal is not None:
                self._send_json(403 if "Host" in refusal else 415, {"error": refusal})
                return
            self._control(url.path[len(CONTROL_PREFIX) :], body)
        elif url.path == "/" and self.command in ("GET", "POST"):
            self._api(url.query, body)
        else:
            err = errors.api_not_found()
            self._send_json(err.http_status, _gateway_body(err, new_request_id()))

    def _control(self, route: str, raw: bytes) -> None:
        try:
            body = json.loads(raw) if raw.strip() else None
        except (ValueError, RecursionError):
            self._send_json(400, {"error": "the body must be JSON"})
            return
        status, answer = self.emulator.controls.handle(self.command, route, body)
        self._send_json(status, answer)

    def _api(self, raw_query: str, body: bytes) -> None:
        arrival = time.monotonic()
        request_id = new_request_id()
        emulator = self.emulator
        backend = emulator.backend
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        params = _parameters(raw_query, body, headers)
        action = _first(headers, "x-acs-action")
        spec = ACTION_SPECS.get(action or "")
        access_key_id: str | None = None
        fault: Fault | None = None
        try:
            verified = signature.verify(
                method=self.command,
                path=urlsplit(self.path).path,
                raw_query=raw_query,
                headers=headers,
                body=body,
                secret_for=backend.secret_for,
                now=time.time(),
            )
            access_key_id = verified.access_key_id
            backend.use_nonce(verified.nonce, time.time())
            if _first(headers, "x-acs-version") != API_VERSION:
                raise errors.invalid_action_or_version()
            if spec is None or action is None:
                raise errors.api_not_found()
            caller = backend.caller(verified.access_key_id)
            fault = emulator.faults.take(action)
            if fault is not None and fault.fault == "reset_before":
                self._drop(action, access_key_id, params, request_id, fault)
                return
            _raise_injected(fault)
            backend.admit(caller, action, arrival)
            backend.authorize(caller, action)
            arguments = _arguments(spec, params)
            carry_out = getattr(backend, snake_case(action))
            if fault is not None and fault.fault == "commit_late":
                # Held past the client's patience, carried out, and never answered.
                time.sleep(fault.seconds)
            if fault is not None and fault.fault == "no_effect":
                result = None
            elif fault is not None and fault.fault == "settle":
                result = backend.settling(
                    fault.seconds, arguments["cust_space_id"], arguments["phone_number"],
                    lambda: carry_out(caller, **arguments),
                )  # fmt: skip
            else:
                result = carry_out(caller, **arguments)
            status, answer = 200, _ok_body(spec, request_id, result)
        except errors.CamsError as err:
            status, answer = _error_body(err, spec, request_id)
        if fault is not None and fault.fault in ("reset_after", "commit_late"):
            self._drop(action, access_key_id, params, request_id, fault, answer.get("Code"))
            return
        emulator.log.record(
            action=action,
            access_key_id=access_key_id,
            params=params,
            http_status=status,
            code=answer.get("Code"),
            request_id=request_id,
            fault=fault.fault if fault else None,
        )
        if fault is not None and fault.fault == "malformed":
            # Cut the JSON short, as a proxy dropping the connection mid-body would.
            text = json.dumps(answer)
            self._send(status, text[: len(text) // 2].encode(), "application/json")
        else:
            self._send_json(status, answer)

    def _drop(
        self,
        action: str | None,
        access_key_id: str | None,
        params: Mapping[str, str],
        request_id: str,
        fault: Fault,
        code: str | None = None,
    ) -> None:
        """Close the connection with a TCP reset and no response; ``code`` is what the request
        came to, if it was carried out."""
        self.emulator.log.record(
            action=action,
            access_key_id=access_key_id,
            params=params,
            http_status=None,
            code=code,
            request_id=request_id,
            fault=fault.fault,
        )
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _send_json(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body).encode(), "application/json;charset=utf-8")

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


MAX_BODY_BYTES = 10 * 1024 * 1024
"""Largest request body read: a seed for thousands of numbers fits, a runaway header does not."""
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def _content_length(value: str | None) -> int | None:
    """The body length a request announces, or None when it is not one we will read."""
    if value is None or value == "":
        return 0
    if not value.isascii() or not value.isdigit():
        return None
    length = int(value)
    return length if length <= MAX_BODY_BYTES else None


def _control_refusal(host: str | None, content_type: str | None, body: bytes) -> str | None:
    """Why a control request is refused, or None.

    The control routes reset, seed and read the code inbox without a signature, so a web page
    in the user's browser must not reach them: a DNS-rebinding page sends a foreign Host, and a
    cross-site form can only send text/plain or form bodies, never application/json.
    """
    name = (host or "").strip().lower()
    if name.startswith("["):
        name = name.split("]", 1)[0] + "]"
    else:
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
    if name not in _LOOPBACK_HOSTS:
        return (
            f"control routes answer only loopback Host names (127.0.0.1, localhost), not {host!r}"
        )
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if body.strip() and kind != "application/json":
        return "control request bodies must be sent as Content-Type: application/json"
    return None


def _first(headers: Mapping[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0].strip() if values else None


def _parameters(raw_query: str, body: bytes, headers: Mapping[str, list[str]]) -> dict[str, str]:
    """Query-string parameters merged with a form body's ([API]: both locations are documented)."""
    params = dict(parse_qsl(raw_query, keep_blank_values=True))
    content_type = (_first(headers, "content-type") or "").lower()
    if content_type.startswith("application/x-www-form-urlencoded") and body:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return params


def _arguments(spec: ActionSpec, params: Mapping[str, str]) -> dict[str, str]:
    arguments = {}
    for name in spec.required:
        if not params.get(name):
            raise errors.missing_parameter(name)
        arguments[snake_case(name)] = params[name]
    for name in spec.optional:
        if params.get(name):
            arguments[snake_case(name)] = params[name]
    return arguments


def _raise_injected(fault: Fault | None) -> None:
    if fault is None:
        return
    if fault.fault == "throttle":
        raise errors.limit_control()
    if fault.fault == "http500":
        raise errors.internal_error()
    if fault.fault == "http503":
        raise errors.service_unavailable()
    if fault.fault == "business_error":
        raise errors.business_error(fault.code, fault.message)
    if fault.fault == "delay":
        time.sleep(fault.seconds)


def _ok_body(spec: ActionSpec, request_id: str, result: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "RequestId": request_id,
        "Code": "OK",
        "Message": spec.ok_message,
        "AccessDeniedDetail": "None",
    }
    if spec.has_success:
        body["Success"] = True
    if isinstance(result, PhoneNumber):
        body["Data"] = {
            "PhoneNumber": result.phone_number,
            "Id": result.number_id,
            "CodeVerificationStatus": result.code_verification_status,
        }
    elif isinstance(result, list):
        body["PhoneNumbers"] = [_phone_number_item(n) for n in result]
    return body


def _phone_number_item(number: PhoneNumber) -> dict[str, str]:
    return {
        "PhoneNumber": number.phone_number,
        "VerifiedName": number.verified_name,
        "Status": number.status,
        "CodeVerificationStatus": number.code_verification_status,
        "QualityRating": number.quality_rating,
        "MessagingLimitTier": number.messaging_limit_tier,
        "NameStatus": number.name_status,
        "NewNameStatus": number.new_name_status,
        "IsOfficial": "N",
    }


def _error_body(
    err: errors.CamsError, spec: ActionSpec | None, request_id: str
) -> tuple[int, dict[str, Any]]:
    if err.http_status >= 400 or spec is None:
        return err.http_status, _gateway_body(err, request_id)
    body: dict[str, Any] = {
        "RequestId": request_id,
        "Code": err.code,
        "Message": err.message,
        "AccessDeniedDetail": "None",
    }
    if spec.has_success:
        body["Success"] = False
    return 200, body


def _gateway_body(err: errors.CamsError, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "RequestId": request_id,
        "HostId": errors.HOST_ID,
        "Code": err.code,
        "Message": err.message,
        "Recommend": (
            "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US"
            f"&q={err.code}&product=cams&requestId={request_id}"
        ),
    }
    if err.access_denied_detail is not None:
        body["AccessDeniedDetail"] = err.access_denied_detail
    return body
