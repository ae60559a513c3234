"""What only the native plugin (package ``cams``) has, started as the Pulumi language host starts
it and driven over gRPC the way the engine drives it: the process, the schema, configuration,
preview, import, secrets and per-property diffs. The lifecycle scenarios both routes share are
in test_both_routes.py."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from cams_emulator import EmulatorServer
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, provider_pb2
from pulumi_cams_provider import resource as models
from pulumi_cams_provider.cams.settings import ProviderSettings
from pulumi_cams_provider.config import SETTINGS
from pulumi_cams_provider.resource import RESOURCE_TYPE

from tests.support import emulator_control
from tests.support.demo_seed import (
    CODE,
    CONNECTED,
    CONNECTED_LOOKUP,
    DEMO_KEY,
    NO_CODE,
    PENDING,
    SPACE,
)
from tests.support.demo_seed import SECOND_SPACE as OTHER_SPACE
from tests.support.plugin_harness import (
    REPO_ROOT,
    UNKNOWN,
    URN,
    FakeEngine,
    PluginProcess,
    Secret,
    unmarshal,
)

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
    assert list(served["resources"]) == [
        RESOURCE_TYPE,
        "cams:index:PhoneNumberProfile",
        "cams:index:PhoneNumberWebhook",
    ]
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
    "rateLimitStore": "redis://:sample@127.0.0.1:6379/0",
    "rateLimitKey": "5012345678901234",
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
    declared = {r["type"]: r for r in program["resources"].values()}
    assert sorted(declared) == sorted(schema["resources"])
    for token, resource_ in declared.items():
        described = schema["resources"][token]
        assert set(described["requiredInputs"]) <= set(resource_["properties"])
        assert set(resource_["properties"]) <= set(described["inputProperties"])
    assert program["config"]["verifyCode"]["secret"] is True
    referenced = {value.split(".")[1].rstrip("}") for value in program["outputs"].values()}
    assert referenced <= {"id", *resource["properties"]}


def test_every_route_reads_the_same_setting_names() -> None:
    # Three lists that must agree: the settings module's sources, the plugin's schema, and the
    # names the dynamic adapter picks out of the whole stack config (it cannot list them).
    from pulumi_cams_provider import dynamic
    from pulumi_cams_provider.cams import settings

    schema = json.loads((REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text())
    from_settings = {key for key, _ in settings._SOURCES.values()}
    assert set(schema["config"]["variables"]) == from_settings
    assert set(dynamic._CONFIG_NAMES) == from_settings


_SETTING_DEFAULTS = {setting.key: setting.default for setting in SETTINGS}


def test_schema_config_matches_the_settings_module() -> None:
    schema = json.loads((REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text())
    variables = schema["config"]["variables"]
    assert variables == schema["provider"]["inputProperties"]
    assert sorted(variables) == sorted(_SAMPLE_SETTINGS)
    defaults = ProviderSettings.from_config({}, environ={})
    for name, spec in variables.items():
        secret = ("accessKeySecret", "securityToken", "rateLimitStore")
        assert spec.get("secret", False) == (name in secret), name
        # No schema default: `pulumi do` would send it ahead of the environment variables.
        assert "default" not in spec, name
        default = _SETTING_DEFAULTS[name]
        if default is not None:
            assert _setting(defaults, name) == default, name
            assert spec["description"].endswith(f" Default: `{default}`."), name
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


def test_check_keeps_the_code_secret_even_when_sent_in_plain_text(provider: PluginProcess) -> None:
    plain = unmarshal(provider.check(registration(verifyCode=CODE)).inputs)
    unknown = unmarshal(provider.check(registration(verifyCode=Secret(UNKNOWN))).inputs)

    assert (plain["verifyCode"], plain.secret) == (CODE, {"verifyCode"})
    assert (unknown["verifyCode"], unknown.secret) == (UNKNOWN, {"verifyCode"})


def test_preview_create_makes_no_cams_call(
    provider: PluginProcess, emulator: EmulatorServer
) -> None:
    checked = unmarshal(provider.check(registration()).inputs).plain()
    planned = provider.create(checked, preview=True)

    outputs = unmarshal(planned.properties)
    assert emulator_control.actions(emulator.url) == []
    assert planned.id == ""
    assert outputs.values == {
        "custSpaceId": SPACE,
        "phoneNumber": PENDING,
        "deregisterOnDelete": False,
        **{name: UNKNOWN for name in OUTPUT_ONLY},
    }
    assert emulator_control.number_status(emulator.url, SPACE, PENDING) == "PENDING"


# -- The lifecycle ------------------------------------------------------------------------------


def test_refresh_hands_the_inputs_back_with_the_code_still_secret(provider: PluginProcess) -> None:
    resource_id, outputs = create(provider)

    refreshed = provider.read(resource_id, outputs, inputs=registration())

    assert refreshed.id == resource_id
    assert unmarshal(refreshed.inputs).values == {
        "custSpaceId": SPACE,
        "phoneNumber": PENDING,
        "verifyCode": CODE,
        "deregisterOnDelete": False,
    }
    assert unmarshal(refreshed.inputs).secret == {"verifyCode"}


def test_notes_for_the_user_are_tied_to_the_resource(
    provider: PluginProcess, engine: FakeEngine
) -> None:
    # The dynamic route has no URN to give (test_both_routes.py checks what both say).
    create(provider)
    resource_id, outputs = create(provider)  # a second resource for the number: adopted
    provider.delete(resource_id, outputs)

    assert [(m.severity, m.urn) for m in engine.messages] == [
        (engine_pb2.INFO, URN),  # adopted without a register call (the first)
        (engine_pb2.WARNING, URN),  # declared twice
        (engine_pb2.INFO, URN),  # left registered
    ]


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


def test_diffs_say_per_property_what_changes_and_how(
    provider: PluginProcess, emulator: EmulatorServer
) -> None:
    resource_id, outputs = create(provider)
    emulator_control.clear_requests(emulator.url)

    new_number = provider.diff(resource_id, outputs, registration(phoneNumber=NO_CODE))
    new_space = provider.diff(resource_id, outputs, registration(custSpaceId=OTHER_SPACE))
    flag = provider.diff(resource_id, outputs, registration(deregisterOnDelete=True))
    same = provider.diff(resource_id, outputs, registration(verifyCode=Secret("999999")))

    replace, update = provider_pb2.PropertyDiff.UPDATE_REPLACE, provider_pb2.PropertyDiff.UPDATE
    assert {k: (v.kind, v.inputDiff) for k, v in new_number.detailedDiff.items()} == {
        "phoneNumber": (replace, True)
    }
    assert {k: (v.kind, v.inputDiff) for k, v in new_space.detailedDiff.items()} == {
        "custSpaceId": (replace, True)
    }
    assert {k: (v.kind, v.inputDiff) for k, v in flag.detailedDiff.items()} == {
        "deregisterOnDelete": (update, True)
    }
    assert dict(same.detailedDiff) == {}
    assert emulator_control.actions(emulator.url) == []


def test_an_update_at_preview_plans_what_the_update_returns(
    provider: PluginProcess, emulator: EmulatorServer
) -> None:
    resource_id, outputs = create(provider)
    emulator_control.clear_requests(emulator.url)
    news = registration(deregisterOnDelete=True)

    planned = unmarshal(provider.update(resource_id, outputs, news, preview=True).properties)
    updated = unmarshal(provider.update(resource_id, outputs, news).properties)

    assert planned.values == updated.values == {**outputs, "deregisterOnDelete": True}
    assert "verifyCode" not in updated
    assert emulator_control.actions(emulator.url) == []


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
    from pulumi_cams_provider.package_schema import schema_text

    committed = (REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text()
    assert committed == schema_text(), "run `make schema` and commit provider/.../schema.json"


def test_a_number_declared_by_two_resources_is_refused_at_check_naming_the_other(
    provider: PluginProcess,
) -> None:
    other = URN.rsplit("::", 1)[0] + "::support-line"
    first = provider.check({"custSpaceId": SPACE, "phoneNumber": "+86 138-0000-1234"})
    again = provider.check({"custSpaceId": SPACE, "phoneNumber": "8613800001234"})
    second = provider.check({"custSpaceId": SPACE, "phoneNumber": "8613800001234"}, urn=other)

    assert list(first.failures) == list(again.failures) == []  # one resource, checked twice
    assert [(f.property, f.reason) for f in second.failures] == [
        (
            "phoneNumber",
            "phoneNumber 8613800001234 is declared by resource 'registration' too: a number has "
            "one PhoneNumberRegistration, so declare it in one resource only (to rename a "
            "resource, keep one declaration and give it `aliases` with the old name)",
        )
    ]


def test_check_config_returns_the_settings_the_schema_marks_secret_as_secrets(
    provider: PluginProcess,
) -> None:
    """`pulumi config set --plaintext cams:accessKeySecret ...` must still be stored encrypted:
    the engine keeps what CheckConfig returns as the provider's inputs."""
    checked = provider.check_config(
        endpoint="http://127.0.0.1:9", accessKeyId="LTAI5tDemoAccessKey",
        accessKeySecret="plain-secret", securityToken="plain-token",
    )  # fmt: skip
    fields = checked.inputs.fields
    secret = "1b47061264138c4ac30d75fd1eb44270"  # the secret signature's value
    signature = "4dabf18193072939515e22adb298388d"
    for name in ("accessKeySecret", "securityToken"):
        assert fields[name].struct_value.fields[signature].string_value == secret, name
    for name in ("endpoint", "accessKeyId"):
        assert fields[name].HasField("string_value"), name


def test_configure_as_pulumi_do_sends_it_leaves_unset_settings_to_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`pulumi do` configures the plugin with every config variable the schema names: unset
    ones as null args and "null" variables. Those must not hide CAMS_ENDPOINT and friends."""
    import asyncio

    from pulumi.provider.experimental.property_value import PropertyValue
    from pulumi.provider.experimental.provider import ConfigureRequest
    from pulumi_cams_provider.native.provider import CamsProvider

    monkeypatch.setenv("CAMS_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("CAMS_RETRY_TIMEOUT", "5")
    names = [setting.key for setting in SETTINGS]
    request = ConfigureRequest(
        variables={f"cams:config:{name}": "null" for name in names},
        args={name: PropertyValue(None) for name in names},
        accept_secrets=True,
        accept_resources=True,
    )
    provider = CamsProvider()
    loop = asyncio.new_event_loop()  # not asyncio.run: it would leave no loop for later tests
    try:
        loop.run_until_complete(provider.configure(request))
    finally:
        loop.close()
    settings = provider._session.settings  # type: ignore[union-attr]
    assert (settings.endpoint, settings.retry_timeout) == ("http://127.0.0.1:9", 5.0)


def test_the_plugin_exits_when_the_process_that_started_it_is_gone(tmp_path: Path) -> None:
    """A killed `pulumi` (or language host) must not leave the plugin running."""
    import os
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "plugin.pid"
    # A parent that starts the plugin as the engine does, reads its port, then dies.
    launcher = (
        "import subprocess, sys; "
        f"p = subprocess.Popen([sys.executable, {str(REPO_ROOT)!r}, '127.0.0.1:9'], "
        "stdout=subprocess.PIPE, stderr=subprocess.DEVNULL); "
        "p.stdout.readline(); "
        f"open({str(pid_file)!r}, 'w').write(str(p.pid))"
    )
    subprocess.run([sys.executable, "-c", launcher], check=True, timeout=30)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        with open(f"/proc/{pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                return  # exited; waiting for init to reap it
        time.sleep(0.2)
    os.kill(pid, 9)
    raise AssertionError("the plugin outlived its parent by 20 s")


def test_get_phone_number_reads_a_number_and_reports_bad_input_in_one_line(
    provider: PluginProcess, emulator: EmulatorServer
) -> None:
    token = "cams:index:getPhoneNumber"
    registered = provider.invoke(token, custSpaceId=SPACE, phoneNumber="+86 138-0000-5678")
    pending = provider.invoke(token, custSpaceId=SPACE, phoneNumber=PENDING)

    assert unmarshal(getattr(registered, "return")).values == {
        **CONNECTED_LOOKUP,
        "canSendMessage": "AVAILABLE",
    }
    pending_values = unmarshal(getattr(pending, "return")).values
    assert (pending_values["status"], pending_values["codeNeeded"]) == ("PENDING", True)
    assert set(emulator_control.actions(emulator.url)) == {
        "QueryChatappPhoneNumbers",
        "GetWhatsappHealthStatus",
    }

    bad = rpc_error(provider.invoke, token, custSpaceId=SPACE, phoneNumber="12")
    assert bad.details() == (
        "phoneNumber must have 8 to 15 digits including the country code; '12' has 2"
    )
    error = rpc_error(provider.invoke, token, custSpaceId=SPACE, phoneNumber="8613800009999")
    assert error.details().startswith(
        "QueryChatappPhoneNumbers for phone number 8613800009999 in space cams-demo-space "
        "failed: PhoneNumberNotInSpace: the space's phone-number list does not contain it"
    )
    assert "\n" not in error.details()


def test_list_streams_the_registered_numbers_of_a_space_a_page_at_a_time(
    provider: PluginProcess, emulator: EmulatorServer
) -> None:
    import cams_emulator

    seed = json.loads(Path(cams_emulator.DEMO_SEED_PATH).read_text())
    seed["phoneNumbers"] += [
        {"custSpaceId": SPACE, "phoneNumber": f"8613900000{i:03d}", "status": "CONNECTED"}
        for i in range(3)
    ]
    emulator_control.seed(emulator.url, seed)

    everything = provider.list({"custSpaceId": SPACE})
    assert [(r.result.id, r.result.name) for r in everything] == [
        (f"{SPACE}/8613800005678", f"{SPACE}-8613800005678"),
        (f"{SPACE}/8613900000000", f"{SPACE}-8613900000000"),
        (f"{SPACE}/8613900000001", f"{SPACE}-8613900000001"),
        (f"{SPACE}/8613900000002", f"{SPACE}-8613900000002"),
    ]
    first = provider.list({"custSpaceId": SPACE}, page_size=3)
    assert [r.WhichOneof("response") for r in first] == ["result"] * 3 + ["continuation"]
    rest = provider.list(
        {"custSpaceId": SPACE}, page_size=3, start=first[-1].continuation.continuation_token
    )
    assert [r.result.id for r in rest] == [f"{SPACE}/8613900000002"]

    missing = rpc_error(provider.list, {})
    assert missing.details().startswith(
        "List of cams:index:PhoneNumberRegistration needs custSpaceId"
    )
    other = rpc_error(provider.list, {"custSpaceId": "cams-other-tenant"})
    assert other.details().startswith(
        "QueryChatappPhoneNumbers in space cams-other-tenant failed: Unknown.ResourceOwnerId"
    )


def test_list_serves_the_profile_and_webhook_tokens(provider: PluginProcess) -> None:
    for token, suffix in (
        ("cams:index:PhoneNumberProfile", "-profile"),
        ("cams:index:PhoneNumberWebhook", "-webhook"),
    ):
        listed = provider.list({"custSpaceId": SPACE}, token=token)
        assert [(r.result.id, r.result.name) for r in listed] == [
            (f"{SPACE}/{CONNECTED}", f"{SPACE}-{CONNECTED}{suffix}")
        ]
