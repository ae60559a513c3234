"""HTTP front of the emulator: parse RPC requests, check signatures, render CAMS envelopes.

No business rule lives here: the backend decides, this module translates. Faults injected
through the control API are applied here, since they are about the wire, not about CAMS.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from . import errors, signature
from .actions import ACTION_SPECS, API_VERSION, ActionSpec
from .backend import CamsBackend
from .control import Controls, Fault, Faults, RequestLog, control_refusal
from .envelopes import error_body, gateway_body, new_request_id, ok_body
from .model import Caller
from .parameters import action_arguments, first_header, request_parameters, snake_case

CONTROL_PREFIX = "/_emulator/"


@dataclass(frozen=True)
class Emulation:
    """What the handler serves: the backend, the faults armed, the request log and the
    controls over all three."""

    backend: CamsBackend
    faults: Faults
    log: RequestLog
    controls: Controls


class Handler(BaseHTTPRequestHandler):
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
    def emulator(self) -> Emulation:
        emulation = getattr(self.server, "emulation", None)
        assert isinstance(emulation, Emulation)
        return emulation

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
            refusal = control_refusal(
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
            self._send_json(err.http_status, gateway_body(err, new_request_id()))

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
        params = request_parameters(raw_query, body, headers)
        action = first_header(headers, "x-acs-action")
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
            if first_header(headers, "x-acs-version") != API_VERSION:
                raise errors.invalid_action_or_version()
            if spec is None or action is None:
                raise errors.api_not_found()
            caller = backend.caller(verified.access_key_id)
            fault = emulator.faults.take(action)
            if fault is not None and fault.fault == "reset_before":
                self._drop(action, access_key_id, params, request_id, fault)
                return
            result = self._carry_out(action, spec, caller, params, fault, arrival)
            status, answer = 200, ok_body(spec, request_id, result)
        except errors.CamsError as err:
            status, answer = error_body(err, spec, request_id)
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

    def _carry_out(
        self,
        action: str,
        spec: ActionSpec,
        caller: Caller,
        params: Mapping[str, str],
        fault: Fault | None,
        arrival: float,
    ) -> object:
        """The action as the backend carries it out, under the fault armed for it (if any)."""
        backend = self.emulator.backend
        _raise_injected(fault)
        backend.admit(caller, action, arrival)
        backend.authorize(caller, action)
        arguments = action_arguments(spec, params)
        carry_out = getattr(backend, snake_case(action))
        if fault is not None and fault.fault == "commit_late":
            # Held past the client's patience, carried out, and never answered.
            time.sleep(fault.seconds)
        if fault is not None and fault.fault == "no_effect":
            return None
        if fault is not None and fault.fault == "settle":
            return backend.settling(
                fault.seconds,
                arguments["cust_space_id"],
                arguments["phone_number"],
                lambda: carry_out(caller, **arguments),
            )
        return carry_out(caller, **arguments)

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


def _content_length(value: str | None) -> int | None:
    """The body length a request announces, or None when it is not one we will read."""
    if value is None or value == "":
        return 0
    if not value.isascii() or not value.isdigit():
        return None
    length = int(value)
    return length if length <= MAX_BODY_BYTES else None


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
