"""Test controls under ``/_emulator/``: reset, seed, state, request log, code inbox, faults,
clock and qps. JSON in, JSON out, no signature; outside the CAMS API on purpose.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from .actions import ACTIONS, WRITE_ACTIONS
from .backend import CamsBackend
from .model import IssuedCode
from .seed import SeedError

FAULT_KINDS = (
    "throttle",
    "http500",
    "http503",
    "reset_before",
    "reset_after",
    "delay",
    "malformed",
    "business_error",
    "no_effect",
    "settle",
    "commit_late",
)
# Faults about what a register or deregister call does to the number, for those actions only.
WRITE_FAULTS = frozenset({"no_effect", "settle", "commit_late"})
MAX_DELAY_SECONDS = 120.0
REDACTED_PARAMS = frozenset({"VerifyCode"})


class ControlError(ValueError):
    """A control request that cannot be honoured (answered with HTTP 400)."""


@dataclass
class Fault:
    """An injected failure for the next ``count`` requests of ``action`` ("*" = any action)."""

    action: str
    fault: str
    count: int = 1
    seconds: float = 0.0
    code: str = ""
    message: str = "Injected business error."


class Faults:
    """Queued faults; a request consumes the first one that matches its action."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: Mapping[str, Any]) -> Fault:
        fault = _parse_fault(spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def take(self, action: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.action in ("*", action):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return fault
            return None


class RequestLog:
    """Every API request seen, in arrival order, with verify codes redacted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []

    def record(
        self,
        *,
        action: str | None,
        access_key_id: str | None,
        params: Mapping[str, str],
        http_status: int | None,
        code: str | None,
        request_id: str,
        fault: str | None,
    ) -> None:
        entry = {
            "action": action,
            "accessKeyId": access_key_id,
            "params": {k: "***" if k in REDACTED_PARAMS else v for k, v in params.items()},
            "httpStatus": http_status,
            "code": code,
            "requestId": request_id,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "fault": fault,
        }
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Controls:
    """Routes ``/_emulator/...`` requests to the backend, the faults and the request log."""

    def __init__(self, backend: CamsBackend, faults: Faults, log: RequestLog) -> None:
        self.backend = backend
        self.faults = faults
        self.log = log

    def handle(self, method: str, route: str, body: Any) -> tuple[int, Any]:
        """Answer one control request: (HTTP status, JSON-able body)."""
        handler = self._routes().get((method, route.rstrip("/")))
        if handler is None:
            return 404, {"error": f"no control route {method} /_emulator/{route}"}
        try:
            return 200, handler(body)
        except (ControlError, SeedError) as exc:
            return 400, {"error": str(exc)}

    def reset(self) -> None:
        """Start seed, real clock, start qps, no faults, an empty request log."""
        self.backend.reset()
        self.faults.clear()
        self.log.clear()

    def _routes(self) -> dict[tuple[str, str], Any]:
        return {
            ("POST", "reset"): self._reset,
            ("POST", "seed"): self._seed,
            ("GET", "state"): lambda _: self.backend.state(),
            ("GET", "requests"): lambda _: self.log.entries(),
            ("DELETE", "requests"): self._clear_requests,
            ("GET", "codes"): lambda _: [_code_entry(c) for c in self.backend.codes()],
            ("GET", "faults"): lambda _: self.faults.pending(),
            ("POST", "faults"): self._add_fault,
            ("DELETE", "faults"): self._clear_faults,
            ("POST", "clock"): self._clock,
            ("POST", "qps"): self._qps,
        }

    def _reset(self, _: Any) -> dict[str, Any]:
        self.reset()
        return {"ok": True}

    def _seed(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ControlError("the seed must be a JSON object")
        self.backend.seed(body)
        return {"ok": True}

    def _clear_requests(self, _: Any) -> dict[str, Any]:
        self.log.clear()
        return {"ok": True}

    def _add_fault(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ControlError("a fault must be a JSON object")
        return asdict(self.faults.add(body))

    def _clear_faults(self, _: Any) -> dict[str, Any]:
        self.faults.clear()
        return {"ok": True}

    def _clock(self, body: Any) -> dict[str, Any]:
        seconds = body.get("advanceSeconds") if isinstance(body, dict) else None
        if (
            not isinstance(seconds, (int, float))
            or isinstance(seconds, bool)
            or not math.isfinite(seconds)
            or seconds < 0
        ):
            raise ControlError("advanceSeconds must be a number >= 0 (the clock only moves on)")
        offset = self.backend.advance_clock(float(seconds))
        return {"clockOffsetSeconds": offset, "now": self.backend.clock.now()}

    def _qps(self, body: Any) -> dict[str, Any]:
        qps = body.get("qps") if isinstance(body, dict) else None
        if not isinstance(qps, int) or isinstance(qps, bool) or qps < 1:
            raise ControlError("qps must be an integer >= 1")
        self.backend.set_qps(qps)
        return {"qps": qps}


def _parse_fault(spec: Mapping[str, Any]) -> Fault:
    unknown = sorted(set(spec) - {"action", "fault", "count", "seconds", "code", "message"})
    if unknown:
        raise ControlError(f"unknown fault field {unknown[0]!r}")
    action = spec.get("action", "*")
    if action != "*" and action not in ACTIONS:
        raise ControlError(f"action must be '*' or one of {', '.join(ACTIONS)}")
    kind = spec.get("fault")
    if kind not in FAULT_KINDS:
        raise ControlError(f"fault must be one of {', '.join(FAULT_KINDS)}")
    if kind in WRITE_FAULTS and action not in WRITE_ACTIONS:
        raise ControlError(f"a {kind} fault needs action one of {', '.join(sorted(WRITE_ACTIONS))}")
    count = spec.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ControlError("count must be an integer >= 1")
    seconds = spec.get("seconds", 0)
    if (
        not _is_number(seconds)
        or not math.isfinite(seconds)
        or not 0 <= seconds <= MAX_DELAY_SECONDS
    ):
        raise ControlError(f"seconds must be a number from 0 to {MAX_DELAY_SECONDS:g}")
    code = spec.get("code", "")
    if kind == "business_error" and (not isinstance(code, str) or not code):
        raise ControlError("a business_error fault needs a non-empty 'code'")
    message = spec.get("message", "Injected business error.")
    if not isinstance(message, str):
        raise ControlError("message must be a string")
    return Fault(str(action), str(kind), count, float(seconds), str(code), message)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _code_entry(code: IssuedCode) -> dict[str, str]:
    return {
        "custSpaceId": code.cust_space_id,
        "phoneNumber": code.phone_number,
        "code": code.code,
        "method": code.method,
        "locale": code.locale,
    }


_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def control_refusal(host: str | None, content_type: str | None, body: bytes) -> str | None:
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
