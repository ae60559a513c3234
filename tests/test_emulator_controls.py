"""The /_emulator/ controls: faults of every kind, flow control, clock, reset, seed, state."""

from __future__ import annotations

import copy
import json
import math
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from alibabacloud_cams20200606 import models as cams
from cams_emulator import DEMO_SEED_PATH, EmulatorServer, load_seed
from cams_emulator.backend import CamsBackend
from cams_emulator.errors import CamsError
from cams_emulator.model import Caller
from darabonba.exceptions import UnretryableException
from darabonba.runtime import RuntimeOptions

from tests.support import emulator_control as ctl
from tests.support.demo_seed import PENDING as PHONE
from tests.support.demo_seed import SPACE as DEMO
from tests.support.emulator_clients import call, cams_client, raw_request

REGISTER = "ChatappVerifyAndRegister"
REGISTER_PARAMS = {"CustSpaceId": DEMO, "PhoneNumber": PHONE, "VerifyCode": "246810"}
QUERY = "QueryChatappPhoneNumbers"
LIMIT = ("System.LimitControl", "The system is under flow control.")


def control_error(url: str, method: str, route: str, body: Any) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{url}/_emulator/{route}",
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(request, timeout=10)
    return exc.value.code, json.load(exc.value)["error"]


# --- faults ----------------------------------------------------------------------------------


def test_throttle_fault_answers_limit_control_count_times(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, QUERY, "throttle", count=2)
    answers = [call(emulator, QUERY, {"CustSpaceId": DEMO}) for _ in range(3)]
    assert [(s, b["Code"]) for s, b in answers] == [(400, LIMIT[0]), (400, LIMIT[0]), (200, "OK")]
    assert answers[0][1]["Message"] == LIMIT[1]
    assert [e["fault"] for e in ctl.requests(emulator.url)] == ["throttle", "throttle", None]


def test_faults_only_hit_their_action(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, REGISTER, "http500")
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200
    assert call(emulator, REGISTER, REGISTER_PARAMS)[0] == 500
    assert call(emulator, REGISTER, REGISTER_PARAMS)[0] == 200


def test_wildcard_fault_hits_any_action(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, "*", "http503", count=2)
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 503
    assert call(emulator, "ChatappSyncPhoneNumber", {"CustSpaceId": DEMO})[0] == 503
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200


@pytest.mark.parametrize(
    ("fault", "status", "code", "message"),
    [
        (
            "http500",
            500,
            "InternalError",
            "An unknown error occurred while processing your request.",
        ),
        ("http503", 503, "ServiceUnavailable", "The server is temporarily unavailable."),
    ],
)
def test_server_errors_do_not_process(
    emulator: EmulatorServer, fault: str, status: int, code: str, message: str
) -> None:
    ctl.faults(emulator.url, REGISTER, fault)
    answer = call(emulator, REGISTER, REGISTER_PARAMS)
    assert (answer[0], answer[1]["Code"], answer[1]["Message"]) == (status, code, message)
    assert set(answer[1]) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "PENDING"


def test_reset_before_drops_the_connection_without_processing(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, REGISTER, "reset_before")
    with pytest.raises(ConnectionError):
        raw_request(emulator, REGISTER, REGISTER_PARAMS)
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "PENDING"
    [entry] = ctl.requests(emulator.url)
    assert (entry["fault"], entry["httpStatus"], entry["action"]) == (
        "reset_before",
        None,
        REGISTER,
    )


def test_reset_after_commits_then_drops_the_connection(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, REGISTER, "reset_after")
    with pytest.raises(UnretryableException):
        cams_client(emulator).chatapp_verify_and_register_with_options(
            cams.ChatappVerifyAndRegisterRequest(
                cust_space_id=DEMO, phone_number=PHONE, verify_code="246810"
            ),
            RuntimeOptions(),
        )
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "CONNECTED"
    assert ctl.requests(emulator.url)[-1]["fault"] == "reset_after"


def test_delay_then_process_normally(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, REGISTER, "delay", seconds=0.3)
    started = time.monotonic()
    status, body = call(emulator, REGISTER, REGISTER_PARAMS)
    assert time.monotonic() - started >= 0.3
    assert (status, body["Code"]) == (200, "OK")
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "CONNECTED"


def test_a_client_that_gave_up_on_a_delay_leaves_no_traceback(
    emulator: EmulatorServer, capfd: pytest.CaptureFixture[str]
) -> None:
    ctl.faults(emulator.url, REGISTER, "delay", seconds=0.4)
    with pytest.raises(UnretryableException):
        call(emulator, REGISTER, REGISTER_PARAMS, read_timeout=100)
    # Once the delay is over the request is processed and logged, and its answer written to
    # the closed connection: wait for the log entry, then give the write a moment.
    deadline = time.monotonic() + 5
    while not ctl.requests(emulator.url) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "CONNECTED"
    assert "Traceback" not in capfd.readouterr().err


def test_malformed_commits_then_answers_broken_json(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, REGISTER, "malformed", count=2)
    with pytest.raises(json.JSONDecodeError):
        raw_request(emulator, REGISTER, REGISTER_PARAMS)
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "CONNECTED"
    # The SDK cannot parse it either: the caller cannot know the outcome.
    with pytest.raises(UnretryableException) as exc:
        call(emulator, REGISTER, REGISTER_PARAMS)
    assert "json" in str(exc.value.inner_exception).lower()
    assert [e["fault"] for e in ctl.requests(emulator.url)] == ["malformed", "malformed"]


def test_business_error_uses_the_actions_envelope(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, REGISTER, "business_error", code="Some.Code")
    ctl.faults(emulator.url, "ChatappPhoneNumberDeregister", "business_error", code="Other.Code")
    status, body = call(emulator, REGISTER, REGISTER_PARAMS)
    assert status == 200
    assert (body["Code"], body["Message"], body["Success"]) == (
        "Some.Code",
        "Injected business error.",
        False,
    )
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "PENDING"
    status, body = call(
        emulator, "ChatappPhoneNumberDeregister", {"CustSpaceId": DEMO, "PhoneNumber": PHONE}
    )
    assert (status, body["Code"]) == (200, "Other.Code")
    assert set(body) == {"RequestId", "Code", "Message", "AccessDeniedDetail"}


def test_delete_faults(emulator: EmulatorServer) -> None:
    ctl.faults(emulator.url, "*", "http500", count=5)
    assert len(ctl.control(emulator.url, "GET", "faults")) == 1
    ctl.clear_faults(emulator.url)
    assert ctl.control(emulator.url, "GET", "faults") == []
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ({"action": "Nope", "fault": "http500"}, "action must be '*' or one of "),
        ({"action": "*", "fault": "explode"}, "fault must be one of throttle, http500"),
        ({"action": "*", "fault": "http500", "count": 0}, "count must be an integer >= 1"),
        (
            {"action": "*", "fault": "delay", "seconds": 121},
            "seconds must be a number from 0 to 120",
        ),
        (
            {"action": "QueryChatappPhoneNumbers", "fault": "no_effect"},
            "a no_effect fault needs action one of ChatappPhoneNumberDeregister, "
            "ChatappPhoneNumberRegister, ChatappVerifyAndRegister",
        ),
        ({"action": "*", "fault": "business_error"}, "a business_error fault needs a non-empty"),
        ({"action": "*", "fault": "http500", "colour": 1}, "unknown fault field 'colour'"),
    ],
)
def test_invalid_fault_specs(emulator: EmulatorServer, spec: dict[str, Any], error: str) -> None:
    status, message = control_error(emulator.url, "POST", "faults", spec)
    assert status == 400
    assert message.startswith(error)


# --- flow control ----------------------------------------------------------------------------


def test_flow_control_accepts_exactly_qps_per_second(emulator: EmulatorServer) -> None:
    # The exact arithmetic is test_flow_control_window_per_account_and_action's, on explicit
    # arrival times; here, over HTTP, no more than qps in each second the batch took (a loaded
    # machine may spread 8 requests over more than one), a full burst, and the refusals said.
    ctl.set_qps(emulator.url, 3)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: call(emulator, QUERY, {"CustSpaceId": DEMO}), range(8)))
    seconds = time.monotonic() - started
    accepted = sum(1 for s, _ in answers if s == 200)
    assert 3 <= accepted <= 3 * math.ceil(seconds + 1e-9), (accepted, seconds)
    refused = [b for s, b in answers if s == 400]
    assert len(refused) == 8 - accepted
    assert {(b["Code"], b["Message"]) for b in refused} <= {LIMIT}
    if seconds < 1.0:
        assert accepted == 3

    time.sleep(1.05)  # the one-second window itself is under test
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200


def test_flow_control_window_per_account_and_action() -> None:
    # The arithmetic on explicit arrival times, so no assertion depends on how fast a loaded
    # machine sends the requests.
    backend = CamsBackend(load_seed(DEMO_SEED_PATH), qps=3)
    demo = backend.caller("LTAI5tDemoAccessKey")
    readonly = backend.caller("LTAI5tReadOnlyKey")
    other = backend.caller("LTAI5tOtherTenantKey")

    def admitted(caller: Caller, action: str, arrival: float) -> bool:
        try:
            backend.admit(caller, action, arrival)
        except CamsError as err:
            assert (err.http_status, err.code, err.message) == (400, *LIMIT)
            return False
        return True

    assert [admitted(demo, QUERY, t) for t in (0.0, 0.1, 0.2, 0.3, 0.9)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    # Per action and per account: others are unaffected.
    assert admitted(demo, "ChatappSyncPhoneNumber", 0.5)
    assert admitted(other, QUERY, 0.5)
    # Another key of the same account shares the account's budget.
    assert not admitted(readonly, QUERY, 0.5)
    # A window is one second of arrivals; refused requests did not take a place in it.
    assert admitted(demo, QUERY, 1.0)
    assert not admitted(demo, QUERY, 1.05)
    assert admitted(demo, QUERY, 1.1)
    assert not admitted(demo, QUERY, 1.15)


def test_qps_control_validation_and_reset(emulator: EmulatorServer) -> None:
    assert control_error(emulator.url, "POST", "qps", {"qps": 0}) == (
        400,
        "qps must be an integer >= 1",
    )
    ctl.set_qps(emulator.url, 2)
    assert ctl.state(emulator.url)["qps"] == 2
    ctl.reset(emulator.url)
    assert ctl.state(emulator.url)["qps"] == 10


# --- clock, reset, seed, state, codes --------------------------------------------------------


def test_clock_only_moves_forward(emulator: EmulatorServer) -> None:
    assert control_error(emulator.url, "POST", "clock", {"advanceSeconds": -1}) == (
        400,
        "advanceSeconds must be a number >= 0 (the clock only moves on)",
    )
    answer = ctl.control(emulator.url, "POST", "clock", {"advanceSeconds": 3600})
    assert answer["clockOffsetSeconds"] == 3600
    # The signature skew check still follows the real clock.
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200


def test_reset_restores_the_start_seed(emulator: EmulatorServer) -> None:
    call(emulator, REGISTER, REGISTER_PARAMS)
    call(
        emulator,
        "GetChatappVerifyCode",
        {"CustSpaceId": DEMO, "PhoneNumber": "6591234567", "Method": "sms", "Locale": "en_US"},
    )
    ctl.advance_clock(emulator.url, 100)
    ctl.faults(emulator.url, "*", "http500")
    ctl.reset(emulator.url)
    assert ctl.number_status(emulator.url, DEMO, PHONE) == "PENDING"
    assert ctl.codes(emulator.url) == []
    assert ctl.requests(emulator.url) == []
    assert ctl.control(emulator.url, "GET", "faults") == []
    assert ctl.state(emulator.url)["clockOffsetSeconds"] == 0


def test_post_seed_replaces_the_state(emulator: EmulatorServer) -> None:
    seed = {
        "accounts": [
            {
                "accountId": "1",
                "subscribed": True,
                "accessKeys": [{"accessKeyId": "AK1", "accessKeySecret": "s1"}],
            }
        ],
        "spaces": [{"custSpaceId": "sp", "accountId": "1"}],
        "phoneNumbers": [
            {"custSpaceId": "sp", "phoneNumber": "15551234567", "status": "CONNECTED"}
        ],
    }
    ctl.seed(emulator.url, seed)
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 404  # the demo key is gone
    status, body = call(emulator, QUERY, {"CustSpaceId": "sp"}, key=("AK1", "s1"))
    assert [(n["PhoneNumber"], n["Status"]) for n in body["PhoneNumbers"]] == [
        ("15551234567", "CONNECTED")
    ]
    ctl.reset(emulator.url)
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200


def test_post_seed_refuses_an_invalid_seed(emulator: EmulatorServer) -> None:
    seed = {"spaces": [{"custSpaceId": "sp", "accountId": "nobody"}]}
    assert control_error(emulator.url, "POST", "seed", seed) == (
        400,
        "spaces[0].accountId: no account 'nobody' in accounts",
    )
    assert call(emulator, QUERY, {"CustSpaceId": DEMO})[0] == 200  # state untouched


def test_state_redacts_secrets_and_codes(emulator: EmulatorServer) -> None:
    state = ctl.state(emulator.url)
    text = json.dumps(state)
    assert "demo-secret-Ahk3Lq9Zr" not in text and "246810" not in text
    keys = {k["accessKeyId"]: k for a in state["accounts"] for k in a["accessKeys"]}
    assert keys["LTAI5tDemoAccessKey"]["accessKeySecret"] == "***"
    assert keys["LTAI5tReadOnlyKey"]["deniedActions"] == sorted(
        [
            "ChatappPhoneNumberDeregister",
            "ChatappPhoneNumberRegister",
            "ChatappVerifyAndRegister",
            "GetChatappVerifyCode",
        ]
    )


def test_delete_requests(emulator: EmulatorServer) -> None:
    call(emulator, QUERY, {"CustSpaceId": DEMO})
    assert len(ctl.requests(emulator.url)) == 1
    ctl.clear_requests(emulator.url)
    assert ctl.requests(emulator.url) == []


def test_unknown_control_route_and_bad_json(emulator: EmulatorServer) -> None:
    assert control_error(emulator.url, "POST", "teleport", {}) == (
        404,
        "no control route POST /_emulator/teleport",
    )
    for data in (b"{", b"[" * 100_000):  # malformed, and nested past Python's recursion limit
        request = urllib.request.Request(
            f"{emulator.url}/_emulator/seed",
            data=data,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as exc:
            urllib.request.urlopen(request, timeout=10)
        assert (exc.value.code, json.load(exc.value)) == (400, {"error": "the body must be JSON"})


def test_in_process_server_as_a_context_manager() -> None:
    seed = copy.deepcopy(load_seed(DEMO_SEED_PATH))
    with EmulatorServer(port=0, qps=1, seed=seed) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert server.endpoint == f"127.0.0.1:{server.port}"
        assert call(server, QUERY, {"CustSpaceId": DEMO})[0] == 200
        assert call(server, QUERY, {"CustSpaceId": DEMO})[0] == 400


# --- robustness and exposure ------------------------------------------------------------------


def _raw(emulator: EmulatorServer, request: bytes) -> tuple[int, dict[str, Any]]:
    """Send one raw HTTP request and read the status and JSON body of the answer."""
    import socket

    with socket.create_connection((emulator.host, emulator.port), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize("length", ["1e20", str(2**60), "abc", "-1", "12 "])
def test_a_bad_content_length_is_a_400_and_the_emulator_stays_up(
    emulator: EmulatorServer, length: str
) -> None:
    status, body = _raw(
        emulator,
        f"POST /_emulator/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    assert (status, body) == (
        400,
        {"error": "Content-Length must be a whole number from 0 to 10485760"},
    )
    assert ctl.state(emulator.url)["qps"] == 10


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_the_clock_refuses_what_is_not_a_finite_number(
    emulator: EmulatorServer, value: str
) -> None:
    payload = f'{{"advanceSeconds": {value}}}'.encode()  # what json.dumps writes for them
    status, body = _raw(
        emulator,
        b"POST /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
        + payload,
    )
    assert (status, body) == (
        400,
        {"error": "advanceSeconds must be a number >= 0 (the clock only moves on)"},
    )
    assert ctl.state(emulator.url)["clockOffsetSeconds"] == 0


def test_control_routes_refuse_foreign_hosts_and_non_json_bodies(emulator: EmulatorServer) -> None:
    # What a DNS-rebinding page would send, and what a cross-site form can send.
    status, body = _raw(
        emulator,
        b"GET /_emulator/codes HTTP/1.1\r\nHost: attacker.example:8080\r\n"
        b"Connection: close\r\n\r\n",
    )
    assert (status, body) == (
        403,
        {
            "error": "control routes answer only loopback Host names (127.0.0.1, localhost), "
            "not 'attacker.example:8080'"
        },
    )
    status, body = _raw(
        emulator,
        b"POST /_emulator/reset HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}",
    )
    assert (status, body) == (
        415,
        {"error": "control request bodies must be sent as Content-Type: application/json"},
    )
    # Loopback names with and without a port are fine.
    for host in (b"127.0.0.1", b"localhost:1234", b"[::1]:80"):
        status, _ = _raw(
            emulator,
            b"GET /_emulator/faults HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n",
        )
        assert status == 200, host
