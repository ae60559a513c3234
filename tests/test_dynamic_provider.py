"""The dynamic provider end to end: the real ``python -m pulumi.dynamic`` host over gRPC, as the
engine drives it (tests/engine.py), against the emulator."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import emulator_control as ctl
import pytest
from cams_emulator import DEMO_SEED_PATH, EmulatorServer, load_seed
from demo_seed import (
    CODE,
    CONNECTED,
    DEMO_KEY,
    KEYS,
    PENDING,
    SECOND_SPACE_CODE,
)
from demo_seed import SECOND_SPACE as SECOND
from demo_seed import SPACE as DEMO
from engine import UNKNOWN, DynamicProvider, ProviderError, Secret, provider_blob
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider

REGISTER = "ChatappVerifyAndRegister"
SECRETS = (CODE, SECOND_SPACE_CODE, *(secret for _, secret in KEYS.values()))


def program(phone: Any = "+86 138-0000-1234", **extra: Any) -> dict[str, Any]:
    """The inputs a program sends: the code is a secret."""
    inputs: dict[str, Any] = {"custSpaceId": DEMO, "phoneNumber": phone}
    inputs.update(extra)
    return inputs


def one_line(err: ProviderError) -> str:
    """The error's message with the RequestId masked."""
    return re.sub(r"\(RequestId [^)]+\)", "(RequestId *)", err.message)


def assert_no_secret(*texts: Any) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text)


def assert_one_exception(err: ProviderError) -> None:
    """The engine gets our one-line error alone: no traceback, no chained exception."""
    assert "During handling of the above exception" not in err.details
    assert "The above exception was the direct cause" not in err.details
    assert "Traceback (most recent call last)" not in err.details
    assert err.details == err.message


def up(provider: DynamicProvider, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """What `pulumi up` does for a new resource: Check, then Create with the checked inputs."""
    checked = provider.check(inputs)
    assert checked.failures == {}
    return provider.create(checked.inputs)


@pytest.fixture
def start(emulator: EmulatorServer) -> Iterator[Any]:
    """Start extra provider processes (other keys, other environment); closed afterwards."""
    started: list[DynamicProvider] = []

    def start_provider(key: str = "demo", env: dict[str, str] | None = None) -> DynamicProvider:
        provider = DynamicProvider(env=env)
        started.append(provider)
        access_key_id, secret = KEYS[key]
        provider.configure(
            {
                "pulumi-cams-test:verifyCode": Secret(CODE),
                "cams:endpoint": emulator.url,
                "cams:accessKeyId": access_key_id,
                "cams:accessKeySecret": Secret(secret),
            }
        )
        return provider

    yield start_provider
    for provider in started:
        provider.__exit__()


# --- create ----------------------------------------------------------------------------------


def test_create_registers_the_number_and_returns_its_state(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    resource_id, outputs = up(dynamic_provider, program(verifyCode=Secret(CODE)))
    assert resource_id == f"{DEMO}/{PENDING}"
    assert {k: v for k, v in outputs.items() if k != "__provider"} == {
        "custSpaceId": DEMO,
        "phoneNumber": PENDING,
        "deregisterOnDelete": False,
        "status": "CONNECTED",
        "codeVerificationStatus": "VERIFIED",
        "verifiedName": "Demo Shop",
        "qualityRating": "UNKNOWN",
        "messagingLimitTier": "TIER_250",
        "nameStatus": "Approval",
        "adopted": False,
    }
    assert outputs["__provider"] == dynamic_provider.blob
    assert [e["action"] for e in ctl.requests(emulator.url)].count(REGISTER) == 1
    assert_no_secret(outputs, dynamic_provider.stderr)


def test_create_after_the_state_was_lost_adopts_without_registering_again(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer, start: Any
) -> None:
    first_id, _ = up(dynamic_provider, program(verifyCode=Secret(CODE)))
    # A new `pulumi up` with no state: another process, the same (now spent) code.
    again_id, outputs = up(start(), program(verifyCode=Secret(CODE)))
    assert again_id == first_id
    assert outputs["adopted"] is True
    assert outputs["status"] == "CONNECTED"
    assert [e["action"] for e in ctl.requests(emulator.url)].count(REGISTER) == 1


def test_wrong_code(dynamic_provider: DynamicProvider) -> None:
    with pytest.raises(ProviderError) as exc:
        up(dynamic_provider, program(verifyCode=Secret("135791")))
    assert one_line(exc.value) == (
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidParameter.VerifyCodeError: The verification code is incorrect "
        "(RequestId *). Request a fresh code with `pulumi-cams request-code --space "
        "cams-demo-space --phone 8613800001234` and set it with "
        "`pulumi config set --secret <key> <code>`."
    )
    assert_one_exception(exc.value)
    assert_no_secret(exc.value.details, dynamic_provider.stderr)


def test_expired_code(dynamic_provider: DynamicProvider, emulator: EmulatorServer) -> None:
    ctl.advance_clock(emulator.url, 601)
    with pytest.raises(ProviderError) as exc:
        up(dynamic_provider, program(verifyCode=Secret(CODE)))
    assert one_line(exc.value).startswith(
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidParameter.VerifyCodeExpired: The verification code has expired. "
        "Request a new code with GetChatappVerifyCode (RequestId *). Request a fresh code with "
    )
    assert_no_secret(exc.value.details, dynamic_provider.stderr)


def test_missing_code(dynamic_provider: DynamicProvider, emulator: EmulatorServer) -> None:
    with pytest.raises(ProviderError) as exc:
        up(dynamic_provider, program())
    assert exc.value.message == (
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: MissingVerifyCode: the number is not registered yet (status PENDING) and no "
        "verifyCode was given. Request a code with `pulumi-cams request-code --space "
        "cams-demo-space --phone 8613800001234`, store it with "
        "`pulumi config set --secret <key> <code>`, pass it as the verifyCode input "
        "(verify_code in Python), and run `pulumi up` again."
    )
    assert REGISTER not in [e["action"] for e in ctl.requests(emulator.url)]


def test_a_number_not_in_the_space(dynamic_provider: DynamicProvider) -> None:
    with pytest.raises(ProviderError) as exc:
        up(dynamic_provider, program("+86 138-0000-9999", verifyCode=Secret(CODE)))
    assert exc.value.message.startswith(
        "ChatappVerifyAndRegister for phone number 8613800009999 in space cams-demo-space "
        "failed: PhoneNumberNotInSpace:"
    )


@pytest.mark.parametrize(
    ("key", "space", "expected"),
    [
        (
            "unsubscribed",
            DEMO,
            "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space "
            "failed: Product.Unsubscript: You have not subscribed to the specified product "
            "(RequestId *). Activate Chat App Message Service (CAMS) for this Alibaba Cloud "
            "account in the console, then retry.",
        ),
        (
            "readonly",
            DEMO,
            "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
            "failed: Ram.PermissionDeny: You are not authorized to perform the operation "
            "(RequestId *). Grant the RAM action cams:ChatappVerifyAndRegister to the identity "
            "in use (for example with a custom policy; AliyunCamsFullAccess covers it).",
        ),
        (
            "demo",
            "cams-other-tenant",
            "QueryChatappPhoneNumbers for phone number 4915112345678 in space cams-other-tenant "
            "failed: Unknown.ResourceOwnerId: The resource does not belong to the current user "
            "(RequestId *). Space cams-other-tenant belongs to another Alibaba Cloud account: "
            "check custSpaceId and the credentials in use.",
        ),
    ],
)
def test_documented_access_errors(start: Any, key: str, space: str, expected: str) -> None:
    provider = start(key)
    phone = PENDING if space == DEMO else "+49 151 12345678"
    with pytest.raises(ProviderError) as exc:
        up(provider, {"custSpaceId": space, "phoneNumber": phone, "verifyCode": Secret(CODE)})
    assert one_line(exc.value) == expected
    assert_one_exception(exc.value)
    assert_no_secret(exc.value.details, provider.stderr)


def test_flow_control_that_outlasts_the_deadline(start: Any, emulator: EmulatorServer) -> None:
    provider = start(env={"CAMS_RETRY_TIMEOUT": "1"})
    ctl.faults(emulator.url, REGISTER, "throttle", count=1000)
    with pytest.raises(ProviderError) as exc:
        up(provider, program(verifyCode=Secret(CODE)))
    assert one_line(exc.value) == (
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: System.LimitControl: The system is under flow control (RequestId *). "
        "CAMS flow control: lower the rate (cams:requestsPerSecond, CAMS_REQUESTS_PER_SECOND) "
        "or retry later."
    )


def test_flow_control_reported_in_a_200_body(start: Any, emulator: EmulatorServer) -> None:
    provider = start(env={"CAMS_RETRY_TIMEOUT": "1"})
    ctl.faults(emulator.url, REGISTER, "business_error", count=1000, code="System.LimitControl")
    with pytest.raises(ProviderError) as exc:
        up(provider, program(verifyCode=Secret(CODE)))
    assert one_line(exc.value).startswith(
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: System.LimitControl:"
    )


# --- preview, diff, update -------------------------------------------------------------------


def test_check_failures_reach_the_engine_per_property(dynamic_provider: DynamicProvider) -> None:
    checked = dynamic_provider.check(
        {"custSpaceId": "", "phoneNumber": "12345", "verifyCode": Secret("12"), "verify": 1}
    )
    assert checked.failures == {
        "verify": "unknown property 'verify'; did you mean 'verifyCode'?",
        "custSpaceId": "custSpaceId must not be empty; use the CustSpaceId shown in the CAMS "
        "console",
        "phoneNumber": "phoneNumber must have 8 to 15 digits including the country code; "
        "'12345' has 5",
        "verifyCode": "verifyCode must be the 4-8 digit code CAMS sent by SMS or voice (digits "
        "only); request a new one with `pulumi-cams request-code` if it is lost",
    }


def test_preview_with_unknown_inputs(dynamic_provider: DynamicProvider) -> None:
    checked = dynamic_provider.check(program(UNKNOWN, verifyCode=UNKNOWN))
    assert checked.failures == {}
    assert checked.inputs["phoneNumber"] == UNKNOWN
    assert checked.inputs["verifyCode"] == UNKNOWN
    diff = dynamic_provider.diff(
        f"{DEMO}/{PENDING}", {"custSpaceId": DEMO, "phoneNumber": PENDING}, checked.inputs
    )
    assert (diff.changes, diff.replaces) == ("DIFF_SOME", ["phoneNumber"])


def test_an_unchanged_program_has_no_diff_even_with_a_new_code(
    dynamic_provider: DynamicProvider,
) -> None:
    inputs = program(verifyCode=Secret(CODE))
    old_inputs = dynamic_provider.check(inputs).inputs
    resource_id, outputs = dynamic_provider.create(old_inputs)
    for news in (inputs, program(verifyCode=Secret("135791")), program(8613800001234)):
        checked = dynamic_provider.check(news, old_inputs)
        diff = dynamic_provider.diff(resource_id, outputs, checked.inputs)
        assert (diff.changes, diff.replaces, diff.delete_before_replace) == ("DIFF_NONE", [], False)


def test_replacement_on_a_new_number_or_a_new_space(dynamic_provider: DynamicProvider) -> None:
    resource_id, outputs = up(dynamic_provider, program(verifyCode=Secret(CODE)))
    new_number = dynamic_provider.check(program(CONNECTED)).inputs
    diff = dynamic_provider.diff(resource_id, outputs, new_number)
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (
        "DIFF_SOME",
        ["phoneNumber"],
        False,
    )
    new_space = dynamic_provider.check({**program(), "custSpaceId": SECOND}).inputs
    diff = dynamic_provider.diff(resource_id, outputs, new_space)
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (
        "DIFF_SOME",
        ["custSpaceId"],
        True,
    )


def test_update_applies_the_flag_and_keeps_every_output(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    resource_id, outputs = up(dynamic_provider, program(verifyCode=Secret(CODE)))
    news = dynamic_provider.check(program(deregisterOnDelete=True)).inputs
    diff = dynamic_provider.diff(resource_id, outputs, news)
    assert (diff.changes, diff.replaces) == ("DIFF_SOME", [])
    calls = len(ctl.requests(emulator.url))
    updated = dynamic_provider.update(resource_id, outputs, news)
    assert updated == {**outputs, "deregisterOnDelete": True}
    assert len(ctl.requests(emulator.url)) == calls


# --- refresh and delete ----------------------------------------------------------------------


def test_refresh_after_deregistration_outside_pulumi_reports_gone(
    dynamic_provider: DynamicProvider, start: Any
) -> None:
    resource_id, outputs = up(dynamic_provider, program(verifyCode=Secret(CODE)))
    assert dynamic_provider.read(resource_id, outputs) == (resource_id, outputs)
    # Someone deregisters the number in the console; `pulumi refresh` is a new process.
    dynamic_provider.delete(resource_id, {**outputs, "deregisterOnDelete": True})
    assert start().read(resource_id, outputs) == ("", {"__provider": dynamic_provider.blob})


def test_delete_keeps_the_registration_unless_asked(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    resource_id, outputs = up(dynamic_provider, program(CONNECTED))
    ctl.clear_requests(emulator.url)
    dynamic_provider.delete(resource_id, outputs)
    assert ctl.requests(emulator.url) == []
    assert dynamic_provider.read(resource_id, outputs)[0] == resource_id


def test_delete_with_deregister_on_delete(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    resource_id, outputs = up(dynamic_provider, program(CONNECTED, deregisterOnDelete=True))
    dynamic_provider.delete(resource_id, outputs)
    assert "ChatappPhoneNumberDeregister" in [e["action"] for e in ctl.requests(emulator.url)]
    assert dynamic_provider.read(resource_id, outputs)[0] == ""
    dynamic_provider.delete(resource_id, outputs)  # already gone: still a success


# --- the pickled provider --------------------------------------------------------------------

_BLOB_SCRIPT = (
    "from pulumi.dynamic.dynamic import serialize_provider;"
    "from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider as P;"
    "print(serialize_provider(P()))"
)


def test_provider_blob_is_small_stable_across_processes_and_secret_free() -> None:
    blobs = {
        subprocess.run(
            [sys.executable, "-c", _BLOB_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        for _ in range(2)
    }
    assert blobs == {provider_blob()}
    raw = base64.b64decode(provider_blob())
    assert len(raw) < 200
    assert b"pulumi_cams_provider.dynamic" in raw
    assert b"PhoneNumberRegistrationProvider" in raw


def test_a_configured_provider_pickles_without_its_settings() -> None:
    provider = PhoneNumberRegistrationProvider()
    provider.configure(
        ConfigureRequest(
            Config(
                {
                    "cams:endpoint": "http://127.0.0.1:9",
                    "cams:accessKeyId": DEMO_KEY[0],
                    "cams:accessKeySecret": DEMO_KEY[1],
                },
                "pulumi-cams-test",
            )
        )
    )
    blob = serialize_provider(provider)
    assert blob == provider_blob()
    assert DEMO_KEY[1].encode() not in base64.b64decode(blob)


def test_bad_settings_fail_with_the_key_to_fix(start: Any, emulator: EmulatorServer) -> None:
    provider = DynamicProvider()
    try:
        provider.configure({"cams:endpoint": "http://127.0.0.1:1/path"})
        # Settings are built by the first operation that calls CAMS, so that check (the first
        # thing a fresh process answers) never waits for pydantic; see bench/bench.py.
        checked = provider.check(program(verifyCode=CODE))
        assert checked.failures == {}
        with pytest.raises(ProviderError) as exc:
            provider.create(checked.inputs)
        assert exc.value.message.startswith("Invalid provider setting cams:endpoint: expected ")
    finally:
        provider.__exit__()


def test_refreshing_many_numbers_costs_one_listing(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    seed = load_seed(DEMO_SEED_PATH)
    phones = [f"86139000{n:05d}" for n in range(12)]
    seed["phoneNumbers"] += [
        {"custSpaceId": DEMO, "phoneNumber": p, "status": "CONNECTED", "verifiedName": "Fleet"}
        for p in phones
    ]
    ctl.seed(emulator.url, seed)
    states = [{"custSpaceId": DEMO, "phoneNumber": p} for p in phones]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda s: dynamic_provider.read(f"{DEMO}/{s['phoneNumber']}", s), states)
        )
    assert [resource_id for resource_id, _ in results] == [f"{DEMO}/{p}" for p in phones]
    assert [e["action"] for e in ctl.requests(emulator.url)] == ["QueryChatappPhoneNumbers"]
