"""Test-side helpers for the emulator's control API (``/_emulator/...``), over plain HTTP.

Every function takes the emulator's base URL (``server.url``), so tests that run the emulator
as a subprocess can use them too.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def control(url: str, method: str, route: str, body: Any = None) -> Any:
    """Call one control route and return its JSON answer; raise on a non-2xx answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{url}/_emulator/{route}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} /_emulator/{route}: {exc.code} {exc.read()!r}") from None


def reset(url: str) -> None:
    control(url, "POST", "reset")


def seed(url: str, data: dict[str, Any]) -> None:
    control(url, "POST", "seed", data)


def state(url: str) -> dict[str, Any]:
    return dict(control(url, "GET", "state"))


def requests(url: str) -> list[dict[str, Any]]:
    """The request log: [{action, accessKeyId, params, httpStatus, code, requestId, time}]."""
    return list(control(url, "GET", "requests"))


def clear_requests(url: str) -> None:
    control(url, "DELETE", "requests")


def codes(url: str) -> list[dict[str, Any]]:
    """The code inbox: [{custSpaceId, phoneNumber, code, method, locale}], oldest first."""
    return list(control(url, "GET", "codes"))


def latest_code(url: str, cust_space_id: str, phone_number: str) -> str:
    """The last code GetChatappVerifyCode issued for a number."""
    issued = [
        c["code"]
        for c in codes(url)
        if c["custSpaceId"] == cust_space_id and c["phoneNumber"] == phone_number
    ]
    assert issued, f"no code was issued for {cust_space_id}/{phone_number}"
    return str(issued[-1])


def faults(
    url: str,
    action: str,
    fault: str,
    count: int = 1,
    *,
    seconds: float | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """Inject ``fault`` into the next ``count`` requests of ``action`` ("*" for any)."""
    body: dict[str, Any] = {"action": action, "fault": fault, "count": count}
    if seconds is not None:
        body["seconds"] = seconds
    if code is not None:
        body["code"] = code
    return dict(control(url, "POST", "faults", body))


def clear_faults(url: str) -> None:
    control(url, "DELETE", "faults")


def advance_clock(url: str, seconds: float) -> None:
    control(url, "POST", "clock", {"advanceSeconds": seconds})


def set_qps(url: str, qps: int) -> None:
    control(url, "POST", "qps", {"qps": qps})


def actions(url: str) -> list[str]:
    """The actions of the logged requests, in arrival order."""
    return [entry["action"] for entry in requests(url)]


def last_request_id(url: str, action: str) -> str:
    """The RequestId of the last logged request for ``action``."""
    ids = [entry["requestId"] for entry in requests(url) if entry["action"] == action]
    assert ids, f"no {action} request was logged"
    return str(ids[-1])


def number_status(url: str, cust_space_id: str, phone_number: str) -> str:
    """The status the emulator holds for the number in the space."""
    (number,) = [
        n
        for n in state(url)["phoneNumbers"]
        if n["custSpaceId"] == cust_space_id and n["phoneNumber"] == phone_number
    ]
    return str(number["status"])
