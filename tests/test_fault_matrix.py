"""Every injected fault on every action a registration uses, end to end against the emulator.

For register (ChatappVerifyAndRegister, in create), list (QueryChatappPhoneNumbers, before
create registers and while it confirms) and deregister (ChatappPhoneNumberDeregister, in delete):
throttle bursts, 500, 503, a reset before the server processes, a reset after it committed, an
answer slower than the timeout, a truncated body, a business error, and the three ways a write
can mislead: an OK with no effect, an effect that shows only a moment after the OK, and a
request carried out after the client gave up (commit-late). Each case must end as its row in
EXPECTED says, and CAMS must agree: success only when the number is registered (or deregistered),
and the register calls CAMS counted against the number's 72-hour cap are exactly those expected
(the emulator's own count, `registerCallsInWindow`, and its request log).

The timeouts are the defaults scaled by 1/30 (register 30 s -> 1 s, settle 45 s -> 1.5 s), and
"late" is 60 s scaled the same way: a CAMS that carries out the register 60 s after it was sent
costs one register call with the default settings because 60 < 30 + 45.

The cases run through the controller in process with a real CamsClient over HTTP; the write
faults also run through both real provider processes (``python -m pulumi.dynamic`` and the
native plugin). ``pytest -s`` prints the matrix; a failing case's message carries its row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from cams_emulator import EmulatorServer
from cams_emulator.control import FAULT_KINDS, WRITE_FAULTS
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.errors import CamsError
from pulumi_cams_provider.cams.retry import Deadline, RetryPolicy
from pulumi_cams_provider.cams.settings import ProviderSettings
from pulumi_cams_provider.controller.registration import RegistrationController
from pulumi_cams_provider.controller.session import CamsSession

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, CONNECTED, DEMO_KEY, PENDING
from tests.support.demo_seed import SPACE as DEMO
from tests.support.engine import DynamicProvider, ProviderError
from tests.support.plugin_harness import FakeEngine, PluginProcess, Secret, unmarshal
from tests.support.settings import settings_for

REGISTER = actions.VERIFY_AND_REGISTER
LIST = actions.QUERY_PHONE_NUMBERS
DEREGISTER = actions.DEREGISTER

READ_TIMEOUT_S = 0.8
REGISTER_TIMEOUT_S = 1.0
SETTLE_S = 1.5
RETRY_TIMEOUT_S = 8.0
LATE_S = 2.0  # a write carried out this long after it was sent: past REGISTER_TIMEOUT_S
LIST_DELAY_S = 1.2  # a listing answered after READ_TIMEOUT_S
SETTLE_FAULT_S = 1.0  # an effect that shows this long after the OK, within SETTLE_S
INJECTED_MESSAGE = "Injected business error."

# The business error each action is given, and the code the user must see.
BUSINESS_CODES = {
    REGISTER: "InvalidOperation.RegisterLimitExceeded",
    LIST: "Product.Unsubscript",
    DEREGISTER: "InvalidOperation.RegisterLimitExceeded",
}
# (label, action faulted, operation, phase: "first" call of the action, or "confirm": the
# listings create makes after its register call)
TARGETS = (
    ("register", REGISTER, "create", "first"),
    ("list before register", LIST, "create", "first"),
    ("list to confirm", LIST, "create", "confirm"),
    ("deregister", DEREGISTER, "delete", "first"),
)

# (target, fault) -> (outcome: "ok" or the error code, write calls sent for the number). A write
# whose answer was lost and whose effect never showed within the settle window is sent once more;
# one that CAMS answered, or that shows within the window, never is. Listing faults are retried
# and never cost a write. Missing rows: "ok", 1.
EXPECTED: dict[tuple[str, str], tuple[str, int]] = {
    ("register", "throttle"): ("ok", 4),  # three refused by flow control, not carried out
    ("register", "http500"): ("ok", 2),
    ("register", "http503"): ("ok", 2),
    ("register", "reset_before"): ("ok", 2),
    ("register", "business_error"): (BUSINESS_CODES[REGISTER], 1),
    ("register", "no_effect"): ("NoVisibleEffect", 1),
    ("list before register", "business_error"): (BUSINESS_CODES[LIST], 0),
    ("deregister", "throttle"): ("ok", 4),
    ("deregister", "http500"): ("ok", 2),
    ("deregister", "http503"): ("ok", 2),
    ("deregister", "reset_before"): ("ok", 2),
    ("deregister", "business_error"): (BUSINESS_CODES[DEREGISTER], 1),
    ("deregister", "no_effect"): ("NoVisibleEffect", 1),
}


@dataclass
class Row:
    """One case of the matrix, as printed."""

    target: str
    fault: str
    outcome: str = ""
    calls: str = ""
    cams_state: str = ""
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.target:<22} {self.fault:<15} {self.outcome:<34} {self.calls:<30} "
            f"{self.cams_state:<36} {self.seconds:5.2f}"
        )


HEADER = (
    f"{'action':<22} {'fault':<15} {'outcome':<34} {'write calls (sent, capped)':<30} "
    f"{'CAMS state after':<36} {'wall s':>6}"
)
_rows: list[Row] = []


@pytest.fixture(scope="module", autouse=True)
def print_matrix() -> Iterator[None]:
    yield
    if _rows:
        print("\n\nFault matrix (in-process controller, real CamsClient, emulator over HTTP)")
        print(
            f"timeouts: read {READ_TIMEOUT_S} s, register {REGISTER_TIMEOUT_S} s, settle "
            f"{SETTLE_S} s, budget {RETRY_TIMEOUT_S} s; late writes land after {LATE_S} s"
        )
        print(HEADER)
        print("-" * len(HEADER))
        for row in _rows:
            print(row)


def fault_settings(server: EmulatorServer) -> ProviderSettings:
    return settings_for(
        server,
        read_timeout_ms=int(READ_TIMEOUT_S * 1000),
        register_timeout=REGISTER_TIMEOUT_S,
        settle_timeout=SETTLE_S,
        retry_timeout=RETRY_TIMEOUT_S,
    )


def inject(url: str, action: str, fault: str) -> None:
    if fault == "throttle":
        ctl.faults(url, action, "throttle", count=3)
    elif fault == "delay":
        ctl.faults(url, action, "delay", seconds=LIST_DELAY_S if action == LIST else LATE_S)
    elif fault == "commit_late":
        ctl.faults(url, action, "commit_late", seconds=LATE_S)
    elif fault == "settle":
        ctl.faults(url, action, "settle", seconds=SETTLE_FAULT_S)
    elif fault == "business_error":
        ctl.faults(url, action, "business_error", code=BUSINESS_CODES[action])
    else:
        ctl.faults(url, action, fault)


class FaultAfterRegister(CamsClient):
    """A client that injects the fault once its register call has returned (or failed), so
    that it hits the listings create makes to confirm the outcome."""

    def __init__(self, settings: ProviderSettings, arm: Callable[[], None], **kw: Any) -> None:
        super().__init__(settings, **kw)
        self._arm = arm

    def chatapp_verify_and_register(
        self,
        cust_space_id: str,
        phone_number: str,
        verify_code: str,
        *,
        deadline: Deadline | None = None,
    ) -> str:
        try:
            return super().chatapp_verify_and_register(
                cust_space_id, phone_number, verify_code, deadline=deadline
            )
        finally:
            self._arm()


def number_state(url: str, phone: str) -> dict[str, Any]:
    return next(
        n
        for n in ctl.state(url)["phoneNumbers"]
        if n["custSpaceId"] == DEMO and n["phoneNumber"] == phone
    )


def drain(url: str, fault: str) -> None:
    """Wait (bounded) until a held request (delay, commit_late) is in the request log: the
    server finishes it after the client gave up, and it must not land in the next test."""
    deadline = time.monotonic() + LATE_S + 5
    while not any(e["fault"] == fault for e in ctl.requests(url)):
        assert time.monotonic() < deadline, f"the {fault} request never finished"
        time.sleep(0.02)


def write_calls(url: str, action: str, phone: str) -> int:
    """How many requests of ``action`` for ``phone`` reached the emulator."""
    return sum(
        e["action"] == action and e["params"].get("PhoneNumber") == phone for e in ctl.requests(url)
    )


def assert_clean_error(err: BaseException, code: str, row: Row) -> None:
    text = str(err)
    assert isinstance(err, CamsError), row
    assert err.code == code, row
    if code != "NoVisibleEffect":
        assert err.message == INJECTED_MESSAGE, row
        assert f" failed: {code}: {INJECTED_MESSAGE.rstrip('.')} (RequestId " in text, row
    assert "\n" not in text and text.strip() == text, row
    assert CODE not in text and DEMO_KEY[1] not in text, row
    assert err.__cause__ is None or not isinstance(err.__cause__, CamsError), row


CASES = [
    (target, fault)
    for target in TARGETS
    for fault in FAULT_KINDS
    # Write faults are about what a write does to the number; the emulator refuses them on reads.
    if not (fault in WRITE_FAULTS and target[1] == LIST)
]


@pytest.mark.parametrize(
    ("target", "fault"), CASES, ids=[f"{t[0].replace(' ', '-')}-{f}" for t, f in CASES]
)
def test_fault_ends_as_expected_and_cams_agrees(
    emulator: EmulatorServer, target: tuple[str, str, str, str], fault: str
) -> None:
    label, action, operation, phase = target
    url = emulator.url
    row = Row(label, fault)
    _rows.append(row)
    settings = fault_settings(emulator)
    policy = RetryPolicy(base=0.01, cap=0.05)
    client: CamsClient
    if phase == "confirm":
        client = FaultAfterRegister(
            settings, lambda: inject(url, action, fault), retry_policy=policy
        )
    else:
        client = CamsClient(settings, retry_policy=policy)
    controller = RegistrationController(CamsSession(settings, client, retry_policy=policy))
    phone = PENDING if operation == "create" else CONNECTED
    written = REGISTER if operation == "create" else DEREGISTER
    if phase == "first":
        inject(url, action, fault)

    error: BaseException | None = None
    outputs: dict[str, Any] | None = None
    started = time.monotonic()
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
    row.seconds = time.monotonic() - started
    if fault in ("delay", "commit_late"):
        drain(url, fault)

    live = number_state(url, phone)
    sent = write_calls(url, written, phone)
    capped = live["registerCallsInWindow"]
    row.calls = f"{sent} {written.removeprefix('Chatapp')}, {capped} capped"
    row.cams_state = f"{live['status']}, code {'waiting' if live['verifyCode'] else 'none'}"
    row.outcome = "ok" if error is None else f"error {getattr(error, 'code', type(error))}"

    expected_outcome, expected_calls = EXPECTED.get((label, fault), ("ok", 1))
    if expected_outcome == "ok":
        assert error is None, f"{row}\n{error}"
    else:
        assert error is not None, row
        assert_clean_error(error, expected_outcome, row)
    assert sent == expected_calls, row
    # The budget bounds the whole operation, timeouts and re-reads included.
    assert row.seconds < RETRY_TIMEOUT_S + 1.0, row

    carried_out = expected_outcome == "ok"
    if operation == "create":
        # Each carried-out register call counts once against the cap; refused ones (and the
        # emulator's no_effect, which never reaches the number) do not.
        assert capped == (1 if carried_out else 0), row
        if carried_out:
            assert outputs is not None and outputs["status"] == "CONNECTED", row
            assert live["status"] == "CONNECTED" and live["verifyCode"] is None, row
            assert "verifyCode" not in outputs, row
        else:
            assert live["status"] == "PENDING" and live["verifyCode"] == "***", row
    else:
        assert capped == (1 if carried_out else 0), row
        assert live["status"] == ("DISCONNECTED" if carried_out else "CONNECTED"), row


def test_an_unanswering_cams_is_bounded_by_the_budget(emulator: EmulatorServer) -> None:
    """Every listing is held past the read timeout: the create fails when the budget is spent,
    timeouts included, not a timeout later."""
    ctl.faults(emulator.url, LIST, "delay", count=50, seconds=LIST_DELAY_S)
    settings = fault_settings(emulator).model_copy(update={"retry_timeout": 3.0})
    controller = RegistrationController(
        CamsSession(settings, retry_policy=RetryPolicy(base=0.01, cap=0.05))
    )
    started = time.monotonic()
    with pytest.raises(CamsError) as raised:
        controller.create({"custSpaceId": DEMO, "phoneNumber": PENDING, "verifyCode": CODE})
    spent = time.monotonic() - started
    assert raised.value.code in ("RequestTimeout", "OperationTimeout")
    assert 3.0 - READ_TIMEOUT_S <= spent < 3.0 + 0.5
    assert write_calls(emulator.url, REGISTER, PENDING) == 0
    ctl.clear_faults(emulator.url)


# --- through both real provider processes --------------------------------------------------

PROCESS_CASES = [
    (REGISTER, "commit_late", "ok", 1),
    (REGISTER, "settle", "ok", 1),
    (REGISTER, "reset_before", "ok", 2),
    (REGISTER, "no_effect", "NoVisibleEffect", 1),
    (REGISTER, "business_error", BUSINESS_CODES[REGISTER], 1),
    (DEREGISTER, "commit_late", "ok", 1),
    (DEREGISTER, "no_effect", "NoVisibleEffect", 1),
]
_TIMEOUTS = {
    "readTimeout": None,  # not a setting: reads keep their default
    "registerTimeout": REGISTER_TIMEOUT_S,
    "settleTimeout": SETTLE_S,
    "retryTimeout": RETRY_TIMEOUT_S,
}


class Route:
    """Create and delete through one provider process, as the engine calls them."""

    def __init__(self, name: str, emulator: EmulatorServer, request: pytest.FixtureRequest):
        self.name = name
        timeouts = {k: v for k, v in _TIMEOUTS.items() if v is not None}
        if name == "dynamic":
            self._dynamic = DynamicProvider()
            request.addfinalizer(lambda: self._dynamic.__exit__(None, None, None))
            self._dynamic.configure(
                {
                    "cams:endpoint": emulator.url,
                    "cams:accessKeyId": DEMO_KEY[0],
                    "cams:accessKeySecret": DEMO_KEY[1],
                    **{f"cams:{k}": v for k, v in timeouts.items()},
                }
            )
        else:
            self._plugin: PluginProcess = request.getfixturevalue("plugin")
            self._engine: FakeEngine = request.getfixturevalue("engine")
            self._engine.clear()
            self._plugin.configure(
                endpoint=emulator.url,
                accessKeyId=DEMO_KEY[0],
                accessKeySecret=Secret(DEMO_KEY[1]),
                **timeouts,
            )

    def create(self, inputs: dict[str, Any]) -> dict[str, Any]:
        if self.name == "dynamic":
            return self._dynamic.create(inputs)[1]
        created = self._plugin.create({**inputs, "verifyCode": Secret(inputs["verifyCode"])})
        return unmarshal(created.properties).plain()

    def delete(self, resource_id: str, state: dict[str, Any]) -> None:
        if self.name == "dynamic":
            self._dynamic.delete(resource_id, state)
        else:
            self._plugin.delete(resource_id, state)

    def error_text(self, err: BaseException) -> str:
        if isinstance(err, ProviderError):
            return err.message
        details = err.details()  # type: ignore[attr-defined]
        assert isinstance(details, str)
        return details

    def warnings(self) -> list[str]:
        if self.name == "dynamic":
            return []  # the dynamic host's notes go to the engine it was started by
        return [m.message for m in self._engine.messages]


@pytest.mark.parametrize("route", ["dynamic", "native"])
@pytest.mark.parametrize(("action", "fault", "outcome", "calls"), PROCESS_CASES)
def test_write_fault_through_the_provider_process(
    emulator: EmulatorServer,
    request: pytest.FixtureRequest,
    route: str,
    action: str,
    fault: str,
    outcome: str,
    calls: int,
) -> None:
    url = emulator.url
    provider = Route(route, emulator, request)
    phone = PENDING if action == REGISTER else CONNECTED
    inject(url, action, fault)
    error: BaseException | None = None
    try:
        if action == REGISTER:
            outputs = provider.create(
                {"custSpaceId": DEMO, "phoneNumber": phone, "verifyCode": CODE}
            )
            assert outputs["status"] == "CONNECTED"
        else:
            state = {"custSpaceId": DEMO, "phoneNumber": phone, "deregisterOnDelete": True}
            provider.delete(f"{DEMO}/{phone}", state)
    except Exception as exc:  # judged below
        error = exc
    if fault == "commit_late":
        drain(url, fault)
    live = number_state(url, phone)
    assert write_calls(url, action, phone) == calls
    if outcome == "ok":
        assert error is None, error
        assert live["status"] == ("CONNECTED" if action == REGISTER else "DISCONNECTED")
        assert live["registerCallsInWindow"] == 1
    else:
        assert error is not None
        text = provider.error_text(error)
        assert text.startswith(
            f"{action} for phone number {phone} in space {DEMO} failed: {outcome}: "
        )
        assert "\n" not in text and CODE not in text
        assert live["status"] == ("PENDING" if action == REGISTER else "CONNECTED")
    if calls > 1 and route == "native":
        (warning,) = provider.warnings()
        assert warning.startswith(f"sent {action} for {phone} in space {DEMO} again (call 2): ")
        assert warning.endswith("Meta allows 10 register/deregister calls per number per 72 hours.")
