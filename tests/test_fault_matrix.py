"""Every injected fault on every action a registration uses, end to end against the emulator.

For register (ChatappVerifyAndRegister, in create), list (QueryChatappPhoneNumbers, before
create registers and when it confirms) and deregister (ChatappPhoneNumberDeregister, in delete):
throttle bursts, 500, 503, a reset before the server processes, a reset after it committed, an
answer slower than the read timeout, a truncated body, and a business error. Each case must
end either in success with the number in the state CAMS holds (registered once, or
deregistered), or in a clean one-line error with the exact code, never echoing the code; and
never with the outcome and CAMS disagreeing (registered but create failed, or the reverse).

The cases run through the controller in process with a real CamsClient over HTTP (fast); a few
representative ones also run through the real ``python -m pulumi.dynamic`` host. ``pytest -s``
prints the matrix; a failing case's message carries its row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import emulator_control as ctl
import pytest
from cams_emulator import EmulatorServer
from cams_emulator.control import FAULT_KINDS
from engine import DynamicProvider, ProviderError
from pulumi_cams_provider.client import CamsClient
from pulumi_cams_provider.errors import CamsError
from pulumi_cams_provider.registration import RegistrationController
from pulumi_cams_provider.retry import RetryPolicy
from pulumi_cams_provider.settings import ProviderSettings
from pydantic import SecretStr

DEMO = "cams-demo-space"
PENDING = "8613800001234"
CODE = "246810"
CONNECTED = "8613800005678"
REGISTER = "ChatappVerifyAndRegister"
LIST = "QueryChatappPhoneNumbers"
DEREGISTER = "ChatappPhoneNumberDeregister"
ACCESS_KEY_ID = "LTAI5tDemoAccessKey"
ACCESS_KEY_SECRET = "demo-secret-Ahk3Lq9Zr"

# The read timeout applies to every call of a case, so it leaves room for a loaded machine;
# the delay leaves the client time to give up, observe and register again before the server
# wakes and commits the delayed call (which the register case's count depends on).
READ_TIMEOUT_MS = 1000
DELAY_SECONDS = 1.6
INJECTED_MESSAGE = "Injected business error."

# The business error each action is given, and the code the user must see.
BUSINESS_CODES = {
    REGISTER: "InvalidOperation.RegisterLimitExceeded",
    LIST: "Product.Unsubscript",
    DEREGISTER: "InvalidOperation.RegisterLimitExceeded",
}
# (label, action faulted, operation, phase: "first" call of the action, or "confirm": the
# listing create makes after its register call)
TARGETS = (
    ("register", REGISTER, "create", "first"),
    ("list before register", LIST, "create", "first"),
    ("list to confirm", LIST, "create", "confirm"),
    ("deregister", DEREGISTER, "delete", "first"),
)


@dataclass
class Row:
    """One case of the matrix, as printed."""

    target: str
    fault: str
    outcome: str = ""
    calls: str = ""
    cams_state: str = ""

    def __str__(self) -> str:
        return (
            f"{self.target:<22} {self.fault:<15} {self.outcome:<48} "
            f"{self.calls:<28} {self.cams_state}"
        )


HEADER = f"{'action':<22} {'fault':<15} {'outcome':<48} {'calls (done/all)':<28} CAMS state after"
_rows: list[Row] = []


@pytest.fixture(scope="module", autouse=True)
def print_matrix() -> Iterator[None]:
    yield
    if _rows:
        print("\n\nFault matrix (in-process controller, real CamsClient, emulator over HTTP)")
        print(HEADER)
        print("-" * len(HEADER))
        for row in _rows:
            print(row)


def settings_for(server: EmulatorServer) -> ProviderSettings:
    return ProviderSettings(
        endpoint=server.url,
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=SecretStr(ACCESS_KEY_SECRET),
        read_timeout_ms=READ_TIMEOUT_MS,
    )


def inject(url: str, action: str, fault: str) -> None:
    if fault == "throttle":
        ctl.faults(url, action, "throttle", count=3)
    elif fault == "delay":
        ctl.faults(url, action, "delay", seconds=DELAY_SECONDS)
    elif fault == "business_error":
        ctl.faults(url, action, "business_error", code=BUSINESS_CODES[action])
    else:
        ctl.faults(url, action, fault)


class FaultAfterRegister(CamsClient):
    """A client that injects the fault once its register call has returned (or failed), so
    that it hits the listing create makes to confirm the outcome."""

    def __init__(self, settings: ProviderSettings, arm: Callable[[], None], **kw: Any) -> None:
        super().__init__(settings, **kw)
        self._arm = arm

    def chatapp_verify_and_register(
        self, cust_space_id: str, phone_number: str, verify_code: str
    ) -> str:
        try:
            return super().chatapp_verify_and_register(cust_space_id, phone_number, verify_code)
        finally:
            self._arm()


def number_state(url: str, phone: str = PENDING) -> dict[str, Any]:
    return next(
        n
        for n in ctl.state(url)["phoneNumbers"]
        if n["custSpaceId"] == DEMO and n["phoneNumber"] == phone
    )


def drain_delayed(url: str) -> None:
    """Wait (bounded) until a delayed request has been answered: the server handles it after
    the client gave up, and it must not land in the next test's emulator state."""
    deadline = time.monotonic() + DELAY_SECONDS + 5
    while not any(e["fault"] == "delay" for e in ctl.requests(url)):
        assert time.monotonic() < deadline, "the delayed request never finished"
        time.sleep(0.02)


def assert_clean_error(err: BaseException, code: str, row: Row) -> None:
    text = str(err)
    assert isinstance(err, CamsError), row
    assert (err.code, err.message) == (code, INJECTED_MESSAGE), row
    assert f" failed: {code}: {INJECTED_MESSAGE.rstrip('.')} (RequestId " in text, row
    assert "\n" not in text and text.strip() == text, row
    assert CODE not in text and ACCESS_KEY_SECRET not in text, row
    assert err.__cause__ is None or not isinstance(err.__cause__, CamsError), row


@pytest.mark.parametrize("fault", FAULT_KINDS)
@pytest.mark.parametrize(("label", "action", "operation", "phase"), TARGETS)
def test_fault(
    emulator: EmulatorServer, label: str, action: str, operation: str, phase: str, fault: str
) -> None:
    url = emulator.url
    row = Row(label, fault)
    _rows.append(row)
    settings = settings_for(emulator)
    policy = RetryPolicy(deadline=5.0, base=0.01, cap=0.05)
    client: CamsClient
    if phase == "confirm":
        client = FaultAfterRegister(
            settings, lambda: inject(url, action, fault), retry_policy=policy
        )
    else:
        client = CamsClient(settings, retry_policy=policy)
    controller = RegistrationController(
        settings, client, retry_policy=policy, operation_timeout=5.0, sleep=lambda _: None
    )
    phone = PENDING if operation == "create" else CONNECTED
    if phase == "first":
        inject(url, action, fault)

    error: BaseException | None = None
    outputs: dict[str, Any] | None = None
    try:
        if operation == "create":
            outputs = controller.create(
                {"custSpaceId": DEMO, "phoneNumber": phone, "verifyCode": CODE}
            ).outputs
        else:
            controller.delete(
                f"{DEMO}/{phone}",
                {"custSpaceId": DEMO, "phoneNumber": phone, "deregisterOnDelete": True},
            )
    except Exception as exc:  # every outcome is recorded, then judged
        error = exc
    if fault == "delay":
        drain_delayed(url)

    log = ctl.requests(url)
    mine = [e for e in log if e["action"] == action]
    done = sum(e["code"] == "OK" or e["fault"] == "reset_after" for e in mine)
    row.calls = f"{done}/{len(mine)} {action.removeprefix('Chatapp')}"
    live = number_state(url, phone)
    row.cams_state = f"{live['status']}, code {'waiting' if live['verifyCode'] else 'none'}"
    if error is None:
        row.outcome = "ok" + (f": status {outputs['status']}" if outputs else ": deregistered")
    else:
        row.outcome = f"error {getattr(error, 'code', type(error).__name__)}"

    if fault == "business_error" and phase == "first":
        assert error is not None, row
        assert_clean_error(error, BUSINESS_CODES[action], row)
    else:
        assert error is None, f"{row}\n{error}"

    # Register calls CAMS carried out: answered OK, or committed before the connection was reset.
    registers_ok = sum(
        e["action"] == REGISTER and (e["code"] == "OK" or e["fault"] == "reset_after") for e in log
    )
    if operation == "create":
        if error is None:
            # Success: the state says registered, and CAMS agrees, with the code spent once.
            assert outputs is not None and outputs["status"] == "CONNECTED", row
            assert live["status"] == "CONNECTED" and live["verifyCode"] is None, row
            assert "verifyCode" not in outputs, row
            # A request the server committed after the client gave up (delay) re-registers
            # idempotently; otherwise exactly one register call succeeded.
            assert registers_ok == (2 if fault == "delay" and action == REGISTER else 1), row
        else:
            # Failure: nothing registered, so the engine recording nothing is right.
            assert live["status"] == "PENDING" and live["verifyCode"] == "***", row
            assert registers_ok == 0, row
    else:
        if error is None:
            assert live["status"] == "DISCONNECTED", row
        else:
            assert live["status"] == "CONNECTED", row


# --- through the real dynamic provider host ------------------------------------------------


@pytest.mark.parametrize(
    ("action", "fault"),
    [(REGISTER, "reset_after"), (LIST, "http503"), (REGISTER, "business_error")],
)
def test_fault_through_the_dynamic_host(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer, action: str, fault: str
) -> None:
    url = emulator.url
    inject(url, action, fault)
    props = {"custSpaceId": DEMO, "phoneNumber": PENDING, "verifyCode": CODE}
    if fault == "business_error":
        with pytest.raises(ProviderError) as exc:
            dynamic_provider.create(props)
        message = exc.value.message
        assert message.startswith(
            f"ChatappVerifyAndRegister for phone number {PENDING} in space {DEMO} failed: "
            f"{BUSINESS_CODES[action]}: {INJECTED_MESSAGE.rstrip('.')} (RequestId "
        ), message
        assert exc.value.error_type.endswith("CamsInvalidRequest")
        assert CODE not in exc.value.details
        assert number_state(url)["status"] == "PENDING"
    else:
        resource_id, outputs = dynamic_provider.create(props)
        assert (resource_id, outputs["status"]) == (f"{DEMO}/{PENDING}", "CONNECTED")
        assert number_state(url)["status"] == "CONNECTED"
        registers = [e for e in ctl.requests(url) if e["action"] == REGISTER]
        assert len(registers) == 1


def test_deregister_fault_through_the_dynamic_host(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    inject(emulator.url, DEREGISTER, "malformed")
    state = {"custSpaceId": DEMO, "phoneNumber": CONNECTED, "deregisterOnDelete": True}
    dynamic_provider.delete(f"{DEMO}/{CONNECTED}", state)
    assert number_state(emulator.url, CONNECTED)["status"] == "DISCONNECTED"
    deregisters = [e for e in ctl.requests(emulator.url) if e["action"] == DEREGISTER]
    assert len(deregisters) == 1
