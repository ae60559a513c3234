"""The native plugin (package ``cams``), started as the Pulumi language host starts it and
driven over gRPC the way the engine drives it, against the emulator."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import emulator_control
import grpc
import pytest
import yaml
from cams_emulator import EmulatorServer
from demo_seed import CODE, DEMO_KEY, PENDING, READ_ONLY_KEY, SPACE
from demo_seed import SECOND_SPACE as OTHER_SPACE
from google.protobuf import empty_pb2
from plugin_harness import (
    REPO_ROOT,
    UNKNOWN,
    URN,
    FakeEngine,
    PluginProcess,
    Secret,
    unmarshal,
)
from pulumi.runtime.proto import engine_pb2, provider_pb2
from pulumi_cams_provider import models
from pulumi_cams_provider.client import CamsClient
from pulumi_cams_provider.native import RESOURCE_TYPE
from pulumi_cams_provider.settings import ProviderSettings

REGISTERED_ID = f"{SPACE}/{PENDING}"
OUTPUT_ONLY = [name for name in models.OUTPUT_PROPERTIES if name not in models.INPUT_PROPERTIES]


@pytest.fixture
def provider(plugin: PluginProcess, engine: FakeEngine, emulator: EmulatorServer) -> PluginProcess:
    """The plugin, configured for the reset emulator with the demo key (a fresh controller)."""
    engine.clear()
    configure(plugin, emulator, DEMO_KEY)
    return plugin


def configure(plugin: PluginProcess, emulator: EmulatorServer, key: tuple[str, str]) -> None:
    response = plugin.configure(
        endpoint=emulator.url, accessKeyId=key[0], accessKeySecret=Secret(key[1])
    )
    assert response.acceptSecrets and response.supportsPreview


def actions(emulator: EmulatorServer) -> list[str]:
    return [entry["action"] for entry in emulator_control.requests(emulator.url)]


def request_id(emulator: EmulatorServer, action: str) -> str:
    ids = [e["requestId"] for e in emulator_control.requests(emulator.url) if e["action"] == action]
    assert ids, f"no {action} request was logged"
    return str(ids[-1])


def number_status(emulator: EmulatorServer, space: str, phone: str) -> str:
    numbers = emulator_control.state(emulator.url)["phoneNumbers"]
    (number,) = [n for n in numbers if n["custSpaceId"] == space and n["phoneNumber"] == phone]
    return str(number["status"])


def registration(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "custSpaceId": SPACE,
        "phoneNumber": PENDING,
        "verifyCode": Secret(CODE),
        "deregisterOnDelete": False,
    }
    inputs.update(overrides)
    return {k: v for k, v in inputs.items() if v is not None}


def create(plugin: PluginProcess, **overrides: Any) -> tuple[str, dict[str, Any]]:
    """Check then create, as the engine does; returns (id, outputs as they would be stored)."""
    checked = plugin.check(registration(**overrides))
    assert not checked.failures
    created = plugin.create(unmarshal(checked.inputs).plain())
    return created.id, unmarshal(created.properties).plain()


def rpc_error(call: Any, *args: Any, **kwargs: Any) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call(*args, **kwargs)
    return raised.value


# -- The process, the schema and the configuration ---------------------------------------------


def test_plugin_starts_as_the_language_host_starts_it(engine: FakeEngine, tmp_path: Path) -> None:
    # `python <plugin dir> [logging flags the engine flows] <engine address>`, run elsewhere.
    process = PluginProcess(
        engine.address,
        cwd=tmp_path,
        stderr_path=tmp_path / "stderr",
        flags=("--logtostderr", "-v=9"),
    )
    try:
        assert process.argv[1] == str(REPO_ROOT)
        info = process.stub.GetPluginInfo(empty_pb2.Empty(), timeout=10)
        assert info.version == importlib.metadata.version("pulumi-cams")
    finally:
        process.stop()


def test_plugin_manifest_and_entry_point_match_the_language_host() -> None:
    assert (REPO_ROOT / "PulumiPlugin.yaml").read_text().count("runtime: python") == 1
    # With a root __main__.py the host runs `python <dir>`; the pip toolchain installs only
    # requirements.txt into the plugin's venv, which must bring the project itself.
    assert (REPO_ROOT / "__main__.py").is_file()
    requirements = (REPO_ROOT / "requirements.txt").read_text().splitlines()
    assert "." in [line.strip() for line in requirements if not line.startswith("#")]


def test_schema_is_served_with_the_distribution_version(plugin: PluginProcess) -> None:
    served = json.loads(plugin.stub.GetSchema(provider_pb2.GetSchemaRequest(), timeout=10).schema)

    assert served["name"] == "cams"
    assert served["version"] == importlib.metadata.version("pulumi-cams")
    assert list(served["resources"]) == [RESOURCE_TYPE]
    assert served["language"]["python"]["packageName"] == "pulumi_cams_native"


def test_schema_matches_the_controller_properties(plugin: PluginProcess) -> None:
    schema = json.loads(plugin.stub.GetSchema(provider_pb2.GetSchemaRequest(), timeout=10).schema)
    resource = schema["resources"][RESOURCE_TYPE]
    inputs, outputs = resource["inputProperties"], resource["properties"]

    assert sorted(inputs) == sorted(models.INPUT_PROPERTIES)
    assert sorted(outputs) == sorted(models.OUTPUT_PROPERTIES)
    assert [k for k, v in inputs.items() if v.get("secret")] == ["verifyCode"]
    assert [k for k, v in outputs.items() if v.get("secret")] == []
    assert sorted(k for k, v in inputs.items() if v.get("replaceOnChanges")) == [
        "custSpaceId",
        "phoneNumber",
    ]
    assert sorted(resource["requiredInputs"]) == ["custSpaceId", "phoneNumber"]
    assert all(p.get("description") for p in [*inputs.values(), *outputs.values()])


_SAMPLE_SETTINGS = {
    "endpoint": "http://127.0.0.1:9",
    "region": "eu-central-1",
    "accessKeyId": "LTAI5tSample",
    "accessKeySecret": "sample-secret",
    "securityToken": "sample-token",
    "profile": "sample-profile",
    "requestsPerSecond": "4",
    "retryTimeout": "30",
    "registerTimeout": "12.5",
    "settleTimeout": "20",
}
# Credentials are taken as a group: an id needs its secret and a token needs both.
_COMPANIONS = {
    "accessKeyId": {"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sample-secret"},
    "accessKeySecret": {"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tSample"},
    "securityToken": {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tSample",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "sample-secret",
    },
}


def _setting(settings: ProviderSettings, name: str) -> Any:
    value = getattr(settings, {"endpoint": "endpoint", "region": "region"}.get(name, _snake(name)))
    return value.get_secret_value() if hasattr(value, "get_secret_value") else value


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def test_yaml_example_uses_the_plugin_as_the_schema_describes_it() -> None:
    example = REPO_ROOT / "examples/yaml"
    program = yaml.safe_load((example / "Pulumi.yaml").read_text())
    schema = json.loads((REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text())
    resource = schema["resources"][RESOURCE_TYPE]

    assert program["runtime"] == "yaml"
    assert (example / program["packages"]["cams"]).resolve() == REPO_ROOT
    (registration_,) = program["resources"].values()
    assert registration_["type"] == RESOURCE_TYPE
    assert set(resource["requiredInputs"]) <= set(registration_["properties"])
    assert set(registration_["properties"]) <= set(resource["inputProperties"])
    assert program["config"]["verifyCode"]["secret"] is True
    referenced = {value.split(".")[1].rstrip("}") for value in program["outputs"].values()}
    assert referenced <= {"id", *resource["properties"]}


def test_every_route_reads_the_same_setting_names() -> None:
    # Three lists that must agree: the settings module's sources, the plugin's schema, and the
    # names the dynamic adapter picks out of the whole stack config (it cannot list them).
    from pulumi_cams_provider import dynamic, settings

    schema = json.loads((REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text())
    from_settings = {key for key, _ in settings._SOURCES.values()}
    assert set(schema["config"]["variables"]) == from_settings
    assert set(dynamic._CONFIG_NAMES) == from_settings


def test_schema_config_matches_the_settings_module() -> None:
    schema = json.loads((REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text())
    variables = schema["config"]["variables"]
    assert variables == schema["provider"]["inputProperties"]
    assert sorted(variables) == sorted(_SAMPLE_SETTINGS)
    defaults = ProviderSettings.from_config({}, environ={})
    for name, spec in variables.items():
        assert spec.get("secret", False) == (name in ("accessKeySecret", "securityToken")), name
        if "default" in spec:
            assert _setting(defaults, name) == spec["default"], name
        for variable in spec["defaultInfo"]["environment"]:
            environ = {variable: _SAMPLE_SETTINGS[name], **_COMPANIONS.get(name, {})}
            settings = ProviderSettings.from_config({}, environ=environ)
            expected: Any = _SAMPLE_SETTINGS[name]
            if name in ("requestsPerSecond", "retryTimeout", "registerTimeout", "settleTimeout"):
                expected = float(expected)
            assert _setting(settings, name) == expected, (name, variable)


def test_configure_reads_the_engine_spelling_of_variables(
    plugin: PluginProcess, emulator: EmulatorServer
) -> None:
    # Without args (older engines), the values come only from `cams:config:<name>` variables.
    plugin.stub.Configure(
        provider_pb2.ConfigureRequest(
            variables={
                "cams:config:endpoint": emulator.url,
                "cams:config:accessKeyId": DEMO_KEY[0],
                "cams:config:accessKeySecret": DEMO_KEY[1],
                "cams:config:requestsPerSecond": "5",
            },
            acceptSecrets=True,
        ),
        timeout=10,
    )

    resource_id, outputs = create(plugin)

    assert resource_id == REGISTERED_ID
    assert outputs["status"] == "CONNECTED"


def test_configure_error_is_one_line_naming_the_key(
    plugin: PluginProcess, emulator: EmulatorServer
) -> None:
    error = rpc_error(plugin.configure, endpoint=emulator.url, requestsPerSecond=0)

    assert error.details() == (
        "Invalid provider setting cams:requestsPerSecond: expected a number greater than 0, "
        "such as 10 (got 0.0). Fix it with `pulumi config set cams:requestsPerSecond <value>`."
    )


# -- Check, and preview -------------------------------------------------------------------------


def test_check_normalises_and_keeps_the_code_secret(provider: PluginProcess) -> None:
    checked = provider.check(registration(phoneNumber="+86 138-0000-1234", verifyCode="246810"))

    inputs = unmarshal(checked.inputs)
    assert not checked.failures
    assert inputs.values == {
        "custSpaceId": SPACE,
        "phoneNumber": PENDING,
        "verifyCode": CODE,
        "deregisterOnDelete": False,
    }
    # Sent in plain text by mistake, the code still comes back as a secret.
    assert inputs.secret == {"verifyCode"}


def test_check_failures_say_what_to_change(provider: PluginProcess) -> None:
    checked = provider.check({"custSpaceId": SPACE, "phone_number": PENDING})

    assert [(f.property, f.reason) for f in checked.failures] == [
        ("phone_number", "unknown property 'phone_number'; did you mean 'phoneNumber'?"),
        (
            "phoneNumber",
            "phoneNumber is required: the number with its country code, e.g. '+86 138-0000-1234'",
        ),
    ]


def test_check_lets_unknown_values_through(provider: PluginProcess) -> None:
    checked = provider.check(registration(phoneNumber=UNKNOWN, verifyCode=Secret(UNKNOWN)))

    inputs = unmarshal(checked.inputs)
    assert not checked.failures
    assert inputs["phoneNumber"] == UNKNOWN
    assert inputs["verifyCode"] == UNKNOWN and "verifyCode" in inputs.secret


def test_preview_create_makes_no_cams_call(
    provider: PluginProcess, emulator: EmulatorServer
) -> None:
    checked = unmarshal(provider.check(registration()).inputs).plain()
    planned = provider.create(checked, preview=True)

    outputs = unmarshal(planned.properties)
    assert actions(emulator) == []
    assert planned.id == ""
    assert outputs.values == {
        "custSpaceId": SPACE,
        "phoneNumber": PENDING,
        "deregisterOnDelete": False,
        **{name: UNKNOWN for name in OUTPUT_ONLY},
    }
    assert number_status(emulator, SPACE, PENDING) == "PENDING"


# -- The lifecycle ------------------------------------------------------------------------------


def test_phone_number_basic(provider: PluginProcess, emulator: EmulatorServer) -> None:
    resource_id, outputs = create(provider)

    assert resource_id == REGISTERED_ID
    assert actions(emulator).count("ChatappVerifyAndRegister") == 1
    assert {k: v for k, v in outputs.items() if k in OUTPUT_ONLY} == {
        "status": "CONNECTED",
        "codeVerificationStatus": "VERIFIED",
        "verifiedName": "Demo Shop",
        "qualityRating": "UNKNOWN",
        "messagingLimitTier": "TIER_250",
        "nameStatus": "Approval",
        "adopted": False,
    }
    assert "verifyCode" not in outputs
    assert number_status(emulator, SPACE, PENDING) == "CONNECTED"

    refreshed = provider.read(resource_id, outputs, inputs=registration())
    assert refreshed.id == resource_id
    assert unmarshal(refreshed.properties).values == {
        k: v.value if isinstance(v, Secret) else v for k, v in outputs.items()
    }
    # Refresh hands the program's inputs back as they were, the code still secret.
    assert unmarshal(refreshed.inputs).secret == {"verifyCode"}


def test_phone_number_adopted_after_state_loss(
    provider: PluginProcess, engine: FakeEngine, emulator: EmulatorServer
) -> None:
    create(provider)
    emulator_control.clear_requests(emulator.url)
    engine.clear()

    resource_id, outputs = create(provider)  # the stack forgot the first create

    assert resource_id == REGISTERED_ID
    assert outputs["adopted"] is True
    assert "ChatappVerifyAndRegister" not in actions(emulator)
    assert [(m.severity, m.urn, m.message) for m in engine.messages] == [
        (
            engine_pb2.WARNING,
            URN,
            f"phone number {PENDING} was already registered in space {SPACE}; adopted it "
            "without a register call (no verify code was used)",
        )
    ]


def test_wrong_code_fails_with_one_line(provider: PluginProcess, emulator: EmulatorServer) -> None:
    error = rpc_error(create, provider, verifyCode=Secret("111111"))

    rid = request_id(emulator, "ChatappVerifyAndRegister")
    assert error.code() == grpc.StatusCode.UNKNOWN
    assert error.details() == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidParameter.VerifyCodeError: The verification code is incorrect "
        f"(RequestId {rid}). Request a fresh code with `pulumi-cams request-code --space {SPACE} "
        f"--phone {PENDING}` and set it with `pulumi config set --secret <key> <code>`."
    )
    assert number_status(emulator, SPACE, PENDING) == "PENDING"


def test_missing_code_says_how_to_get_one(provider: PluginProcess) -> None:
    error = rpc_error(create, provider, verifyCode=None)

    assert error.details() == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "MissingVerifyCode: the number is not registered yet (status PENDING) and no verifyCode "
        f"was given. Request a code with `pulumi-cams request-code --space {SPACE} --phone "
        f"{PENDING}`, store it with `pulumi config set --secret <key> <code>`, pass it as "
        "the verifyCode input (verify_code in Python), and run `pulumi up` again."
    )


def test_ram_denial_names_the_action_to_grant(
    plugin: PluginProcess, engine: FakeEngine, emulator: EmulatorServer
) -> None:
    configure(plugin, emulator, READ_ONLY_KEY)

    error = rpc_error(create, plugin)

    rid = request_id(emulator, "ChatappVerifyAndRegister")
    assert error.details() == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "Ram.PermissionDeny: You are not authorized to perform the operation "
        f"(RequestId {rid}). Grant the RAM action cams:ChatappVerifyAndRegister to the identity "
        "in use (for example with a custom policy; AliyunCamsFullAccess covers it)."
    )
    assert number_status(emulator, SPACE, PENDING) == "PENDING"


def test_phone_number_disappears(provider: PluginProcess, emulator: EmulatorServer) -> None:
    resource_id, outputs = create(provider)
    outside = CamsClient(
        ProviderSettings.from_config(
            {
                "endpoint": emulator.url,
                "accessKeyId": DEMO_KEY[0],
                "accessKeySecret": DEMO_KEY[1],
            },
            environ={},
        )
    )
    outside.chatapp_phone_number_deregister(SPACE, PENDING)
    # `pulumi refresh` is a new run, with a new plugin process and no listing cached.
    configure(provider, emulator, DEMO_KEY)

    refreshed = provider.read(resource_id, outputs, inputs=registration())

    assert refreshed.id == ""
    assert unmarshal(refreshed.properties).values == {}


def test_import_by_id(provider: PluginProcess) -> None:
    imported = provider.read(f"{SPACE}/8613800005678", {})

    assert imported.id == f"{SPACE}/8613800005678"
    assert unmarshal(imported.properties)["status"] == "CONNECTED"
    assert unmarshal(imported.inputs).values == {
        "custSpaceId": SPACE,
        "phoneNumber": "8613800005678",
        "deregisterOnDelete": False,
    }


def test_import_of_a_malformed_id_fails_with_one_line(provider: PluginProcess) -> None:
    error = rpc_error(provider.read, "8613800005678", {})

    assert error.details() == (
        "resource ID '8613800005678' is not of the form '<custSpaceId>/<phoneNumber>'"
    )


def test_phone_number_replace(provider: PluginProcess, emulator: EmulatorServer) -> None:
    resource_id, outputs = create(provider)
    emulator_control.clear_requests(emulator.url)

    new_number = provider.diff(resource_id, outputs, registration(phoneNumber="6591234567"))
    new_space = provider.diff(resource_id, outputs, registration(custSpaceId=OTHER_SPACE))

    assert new_number.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(new_number.replaces) == ["phoneNumber"]
    assert not new_number.deleteBeforeReplace
    assert new_number.detailedDiff["phoneNumber"].kind == provider_pb2.PropertyDiff.UPDATE_REPLACE
    assert new_number.detailedDiff["phoneNumber"].inputDiff
    # One number cannot sit in two spaces: the old registration goes first.
    assert list(new_space.replaces) == ["custSpaceId"]
    assert new_space.deleteBeforeReplace
    assert new_space.detailedDiff["custSpaceId"].kind == provider_pb2.PropertyDiff.UPDATE_REPLACE
    assert actions(emulator) == []


def test_unchanged_inputs_and_a_new_code_make_no_diff(provider: PluginProcess) -> None:
    resource_id, outputs = create(provider)

    same = provider.diff(resource_id, outputs, registration())
    new_code = provider.diff(resource_id, outputs, registration(verifyCode=Secret("999999")))
    reformatted = provider.diff(resource_id, outputs, registration(phoneNumber="+8613800001234"))

    for diff in (same, new_code, reformatted):
        assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE
        assert list(diff.replaces) == [] and dict(diff.detailedDiff) == {}


def test_phone_number_update(provider: PluginProcess, emulator: EmulatorServer) -> None:
    resource_id, outputs = create(provider)
    emulator_control.clear_requests(emulator.url)
    news = registration(deregisterOnDelete=True)

    diff = provider.diff(resource_id, outputs, news)
    planned = unmarshal(provider.update(resource_id, outputs, news, preview=True).properties)
    updated = unmarshal(provider.update(resource_id, outputs, news).properties)

    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == []
    assert diff.detailedDiff["deregisterOnDelete"].kind == provider_pb2.PropertyDiff.UPDATE
    expected = {**outputs, "deregisterOnDelete": True}
    assert updated.values == expected
    assert planned.values == expected
    assert "verifyCode" not in updated
    assert actions(emulator).count("ChatappVerifyAndRegister") == 0


def test_delete_deregisters_when_asked(
    provider: PluginProcess, engine: FakeEngine, emulator: EmulatorServer
) -> None:
    resource_id, outputs = create(provider, deregisterOnDelete=True)
    engine.clear()

    provider.delete(resource_id, outputs)

    assert "ChatappPhoneNumberDeregister" in actions(emulator)
    assert number_status(emulator, SPACE, PENDING) == "DISCONNECTED"
    assert engine.messages == []


def test_delete_leaves_the_number_registered_by_default(
    provider: PluginProcess, engine: FakeEngine, emulator: EmulatorServer
) -> None:
    resource_id, outputs = create(provider)
    engine.clear()

    provider.delete(resource_id, outputs)

    assert "ChatappPhoneNumberDeregister" not in actions(emulator)
    assert number_status(emulator, SPACE, PENDING) == "CONNECTED"
    assert [(m.severity, m.urn, m.message) for m in engine.messages] == [
        (
            engine_pb2.INFO,
            URN,
            f"{REGISTERED_ID} left registered in CAMS because deregisterOnDelete is false; "
            "the resource is only removed from the stack",
        )
    ]


def test_secrets_stay_secret_and_the_code_never_leaks(
    provider: PluginProcess, engine: FakeEngine, emulator: EmulatorServer
) -> None:
    rpc_error(create, provider, verifyCode=Secret("111111"))
    engine.clear()

    resource_id, outputs = create(provider, phoneNumber=Secret(PENDING))

    assert "verifyCode" not in outputs
    stored = {k for k, v in outputs.items() if isinstance(v, Secret)}
    assert stored == {"phoneNumber"}
    assert [m.message for m in engine.messages] == [
        "phoneNumber is marked secret but is part of the resource ID "
        "(<custSpaceId>/<phoneNumber>), which Pulumi stores and shows unencrypted"
    ]
    refreshed = unmarshal(provider.read(resource_id, outputs, registration()).properties)
    assert refreshed.secret == {"phoneNumber"}
    for code in (CODE, "111111"):
        assert code not in provider.stderr()
        assert all(code not in m.message for m in engine.messages)
        assert all(code not in json.dumps(e) for e in emulator_control.requests(emulator.url))


def test_the_committed_schema_is_the_one_generated_from_the_resource_description() -> None:
    from pulumi_cams_provider.resource import schema_text

    committed = (REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text()
    assert committed == schema_text(), "run `make schema` and commit provider/.../schema.json"
