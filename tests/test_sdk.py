"""The user SDK `pulumi_cams`: its surface, what it registers, and what it must not import."""

from __future__ import annotations

import contextvars
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pulumi_cams
import pytest
from pulumi.runtime import rpc
from pulumi_cams import PhoneNumberRegistration, PhoneNumberRegistrationArgs
from pulumi_cams_provider.config import SETTINGS
from pulumi_cams_provider.resource import PROPERTIES

TYPE_TOKEN = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
LIVE = {
    "status": "CONNECTED",
    "codeVerificationStatus": "VERIFIED",
    "verifiedName": "Demo Shop",
    "qualityRating": "GREEN",
    "messagingLimitTier": "TIER_1K",
    "nameStatus": "Approval",
    "adopted": False,
}


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers like the provider would (normalised number, live outputs), recording inputs."""

    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        self.registered.append(args)
        inputs = {k: rpc.unwrap_rpc_secret(v) for k, v in args.inputs.items()}
        outputs = {
            "custSpaceId": inputs["custSpaceId"],
            "phoneNumber": "8613800001234",
            "deregisterOnDelete": inputs["deregisterOnDelete"],
            **LIVE,
        }
        return f"{inputs['custSpaceId']}/8613800001234", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        return {}, None


def under_mocks(build: Callable[[], pulumi.Output[Any]]) -> tuple[Any, RecordingMocks]:
    """Run `build` as a program under mocks in a fresh context; return its resolved value."""
    mocks = RecordingMocks()
    result: list[Any] = []

    def run() -> None:
        pulumi.runtime.set_mocks(mocks, project="sdk-test", stack="test", preview=False)

        @pulumi.runtime.test
        def program() -> pulumi.Output[Any]:
            return build().apply(result.append)

        program()

    contextvars.Context().run(run)
    return result[0], mocks


def outputs_of(registration: PhoneNumberRegistration) -> pulumi.Output[Any]:
    return pulumi.Output.all(
        id=registration.id,
        cust_space_id=registration.cust_space_id,
        phone_number=registration.phone_number,
        deregister_on_delete=registration.deregister_on_delete,
        status=registration.status,
        code_verification_status=registration.code_verification_status,
        verified_name=registration.verified_name,
        quality_rating=registration.quality_rating,
        messaging_limit_tier=registration.messaging_limit_tier,
        name_status=registration.name_status,
        adopted=registration.adopted,
    )


def test_public_surface() -> None:
    assert pulumi_cams.__all__ == [
        "GetPhoneNumberResult",
        "PhoneNumberProfile",
        "PhoneNumberProfileArgs",
        "PhoneNumberRegistration",
        "PhoneNumberRegistrationArgs",
        "PhoneNumberWebhook",
        "PhoneNumberWebhookArgs",
        "get_phone_number",
        "get_phone_number_output",
    ]
    assert issubclass(PhoneNumberRegistration, pulumi.dynamic.Resource)
    assert f"pulumi-python:{PhoneNumberRegistration._resource_type_name}" == TYPE_TOKEN


def test_importing_the_sdk_loads_no_alibaba_sdk() -> None:
    script = (
        "import sys, pulumi_cams; "
        "print(sorted(m for m in sys.modules "
        "if m.startswith(('alibabacloud', 'Tea', 'darabonba'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_keywords_register_camel_case_inputs_with_a_secret_code() -> None:
    def build() -> pulumi.Output[Any]:
        return outputs_of(
            PhoneNumberRegistration(
                "support",
                cust_space_id="cams-demo-space",
                phone_number="+86 138-0000-1234",
                verify_code="246810",
            )
        )

    outputs, mocks = under_mocks(build)
    [args] = mocks.registered
    assert args.typ == TYPE_TOKEN
    assert args.name == "support"
    assert rpc.is_rpc_secret(args.inputs["verifyCode"])
    assert rpc.unwrap_rpc_secret(args.inputs["verifyCode"]) == "246810"
    assert {k: v for k, v in args.inputs.items() if k not in ("__provider", "verifyCode")} == {
        "custSpaceId": "cams-demo-space",
        "phoneNumber": "+86 138-0000-1234",
        "deregisterOnDelete": False,
    }
    assert rpc.unwrap_rpc_secret(args.inputs["__provider"])
    assert outputs == {
        "id": "cams-demo-space/8613800001234",
        "cust_space_id": "cams-demo-space",
        "phone_number": "8613800001234",
        "deregister_on_delete": False,
        "status": "CONNECTED",
        "code_verification_status": "VERIFIED",
        "verified_name": "Demo Shop",
        "quality_rating": "GREEN",
        "messaging_limit_tier": "TIER_1K",
        "name_status": "Approval",
        "adopted": False,
    }


def test_args_object_is_equivalent_to_keywords() -> None:
    def build() -> pulumi.Output[Any]:
        args = PhoneNumberRegistrationArgs(
            cust_space_id="cams-demo-space",
            phone_number=8613800001234,
            deregister_on_delete=True,
        )
        return outputs_of(
            PhoneNumberRegistration("support", args, pulumi.ResourceOptions(protect=False))
        )

    outputs, mocks = under_mocks(build)
    [args] = mocks.registered
    assert "verifyCode" not in args.inputs
    assert args.inputs["phoneNumber"] == 8613800001234
    assert args.inputs["deregisterOnDelete"] is True
    assert outputs["deregister_on_delete"] is True


def test_options_may_come_second_as_in_generated_sdks() -> None:
    def build() -> pulumi.Output[Any]:
        registration = PhoneNumberRegistration(
            "support",
            pulumi.ResourceOptions(protect=False),
            cust_space_id="cams-demo-space",
            phone_number="8613800001234",
        )
        return registration.status

    status, _ = under_mocks(build)
    assert status == "CONNECTED"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: PhoneNumberRegistration("r"),
            "PhoneNumberRegistration() missing required argument 'cust_space_id': pass it as a "
            "keyword or in PhoneNumberRegistrationArgs",
        ),
        (
            lambda: PhoneNumberRegistration("r", cust_space_id="cams-demo-space"),
            "PhoneNumberRegistration() missing required argument 'phone_number': pass it as a "
            "keyword or in PhoneNumberRegistrationArgs",
        ),
        (
            lambda: PhoneNumberRegistration(
                "r",
                PhoneNumberRegistrationArgs(cust_space_id="s", phone_number="8613800001234"),
                phone_number="8613800001234",
            ),
            "PhoneNumberRegistration() takes either args=PhoneNumberRegistrationArgs(...) or "
            "keyword arguments, not both (got args and phone_number)",
        ),
        (
            lambda: PhoneNumberRegistration("r", {"cust_space_id": "s"}),  # type: ignore[arg-type]
            "PhoneNumberRegistration() args must be a PhoneNumberRegistrationArgs, not dict",
        ),
        (
            lambda: PhoneNumberRegistration(
                "r", pulumi.ResourceOptions(), pulumi.ResourceOptions()
            ),
            "PhoneNumberRegistration() got ResourceOptions twice: pass opts once",
        ),
    ],
)
def test_misuse_is_a_clear_type_error(call: Callable[[], object], message: str) -> None:
    with pytest.raises(TypeError) as exc:
        call()
    assert str(exc.value) == message


def test_config_keys_holding_finds_a_code_as_a_value_or_inside_an_object() -> None:
    from pulumi_cams.phone_number_registration import config_keys_holding

    config = {
        "proj:verifyCode": "246810",
        "proj:verifyCodes": '{"8613800001234": "246810", "other": "135791"}',
        "proj:note": "code 246810 is in this text, but is not its value",
        "proj:list": '["1", 246810]',
        "proj:broken": "{not json 246810",
    }
    assert config_keys_holding("246810", config) == [
        "proj:list",
        "proj:verifyCode",
        "proj:verifyCodes",
    ]
    assert config_keys_holding("999999", config) == []


def test_get_phone_number_result_has_the_function_outputs_by_their_python_names() -> None:
    import dataclasses

    from pulumi_cams_provider.resource import FUNCTION_OUTPUTS

    fields = [f.name for f in dataclasses.fields(pulumi_cams.GetPhoneNumberResult)]
    assert fields == [p.python for p in FUNCTION_OUTPUTS]


def test_get_phone_number_reads_with_the_stack_settings_and_fails_in_one_line(
    emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support import emulator_control as ctl
    from tests.support.demo_seed import DEMO_KEY, SPACE

    for name in ("CAMS_ENDPOINT", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    config = {
        "cams:endpoint": emulator.url,
        "cams:accessKeyId": DEMO_KEY[0],
        "cams:accessKeySecret": DEMO_KEY[1],
    }
    context = contextvars.copy_context()  # the runtime config is a context variable

    def read() -> None:
        pulumi.runtime.set_all_config(config, ["cams:accessKeySecret"])
        number = pulumi_cams.get_phone_number(SPACE, "+86 138-0000-5678")
        assert (number.phone_number, number.status) == ("8613800005678", "CONNECTED")
        assert (number.registered, number.code_needed) == (True, False)
        with pytest.raises(pulumi.RunError) as absent:
            pulumi_cams.get_phone_number(SPACE, "8613800009999")
        assert str(absent.value).startswith(
            "getPhoneNumber: QueryChatappPhoneNumbers for phone number 8613800009999 in space "
            "cams-demo-space failed: PhoneNumberNotInSpace: "
        )
        with pytest.raises(pulumi.RunError) as bad:
            pulumi_cams.get_phone_number(SPACE, "12")
        assert str(bad.value) == (
            "getPhoneNumber: phoneNumber must have 8 to 15 digits including the country code; "
            "'12' has 2"
        )

    context.run(read)
    assert set(ctl.actions(emulator.url)) == {
        "QueryChatappPhoneNumbers",
        "GetWhatsappHealthStatus",
    }


def test_the_typed_outputs_are_what_make_schema_writes_from_the_description() -> None:

    repo = Path(__file__).resolve().parents[1]
    written = subprocess.run(
        [sys.executable, str(repo / "tools" / "sdk_outputs.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (repo / "provider" / "pulumi_cams" / "_outputs.py").read_text() == written, (
        "run `make schema`"
    )
    configuration = subprocess.run(
        [sys.executable, str(repo / "tools" / "sdk_configuration.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    formatted = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "format", "--stdin-filename", "x.py", "-"],
        input=configuration,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = repo / "provider" / "pulumi_cams" / "_configuration.py"
    assert committed.read_text() == formatted, "run `make schema`"
    outputs = {p.python for p in PROPERTIES if p.is_output}
    typed = {
        name for c in PhoneNumberRegistration.__mro__ for name in vars(c).get("__annotations__", {})
    }
    assert typed >= outputs


@pytest.mark.parametrize(
    ("config", "secret", "refused"),
    [
        ({"cams:accessKeySecret": "plain-Xyz9"}, [], "cams:accessKeySecret"),
        ({"cams:securityToken": "sts-Tok3n"}, [], "cams:securityToken"),
        (
            {"cams:rateLimitStore": "redis://:pa55word@redis.internal:6379/0"},
            [],
            "cams:rateLimitStore",
        ),
        ({"cams:rateLimitStore": "redis://redis.internal:6379/0"}, [], None),
        ({"cams:accessKeySecret": "plain-Xyz9"}, ["cams:accessKeySecret"], None),
        ({"cams:accessKeyId": "LTAI5tDemo"}, [], None),
    ],
)
def test_a_secret_setting_in_clear_config_is_refused_before_anything_is_declared(
    config: dict[str, str], secret: list[str], refused: str | None
) -> None:
    """The Python route stores the stack config in the state as the dynamic provider's
    inputs, so a secret setting set without --secret would sit there in clear."""
    mocks = RecordingMocks()

    def run() -> None:
        pulumi.runtime.set_mocks(mocks, project="sdk-test", stack="test", preview=False)
        pulumi.runtime.set_all_config(config, secret)
        if refused is None:

            @pulumi.runtime.test
            def program() -> pulumi.Output[Any]:
                line = PhoneNumberRegistration("line", cust_space_id="s", phone_number="86138001")
                return line.id

            program()
            return
        with pytest.raises(pulumi.RunError) as raised:
            PhoneNumberRegistration("line", cust_space_id="s", phone_number="8613800001234")
        environment = next(s for s in SETTINGS if f"cams:{s.key}" == refused).environment[0]
        assert str(raised.value) == (
            f"stack config {refused} is set in clear, and on the Python route Pulumi stores the "
            "whole stack config in the state with the dynamic provider: set it again with "
            f"`pulumi config set --secret {refused} <value>` (or use its environment variable, "
            f"{environment}); nothing was registered"
        )
        for value in config.values():
            assert value not in str(raised.value)

    contextvars.Context().run(run)
    assert len(mocks.registered) == (1 if refused is None else 0)


def test_the_stack_config_shim_lists_what_the_program_was_given() -> None:
    """dynamic.stack_config reads Pulumi's config list (no public API lists the keys): this
    fails on the release that moves it."""
    from pulumi_cams_provider.dynamic import stack_config

    def read() -> dict[str, Any]:
        pulumi.runtime.set_all_config({"proj:verifyCode": "135791", "cams:region": "r"}, [])
        return stack_config()

    config = contextvars.Context().run(read)
    assert {"proj:verifyCode": "135791", "cams:region": "r"}.items() <= config.items()
