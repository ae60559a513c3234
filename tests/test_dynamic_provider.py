"""What only the dynamic provider has, through the real ``python -m pulumi.dynamic`` host over
gRPC (tests/support/engine.py): the pickled provider, settings from the stack config, shared
listings. The lifecycle scenarios both routes share are in test_both_routes.py."""

from __future__ import annotations

import base64
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from cams_emulator import DEMO_SEED_PATH, EmulatorServer, load_seed
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider

from tests.support import emulator_control as ctl
from tests.support.demo_seed import (
    CODE,
    DEMO_KEY,
)
from tests.support.demo_seed import SPACE as DEMO
from tests.support.engine import DynamicProvider, ProviderError, provider_blob


def program(phone: Any = "+86 138-0000-1234", **extra: Any) -> dict[str, Any]:
    """The inputs a program sends: the code is a secret."""
    inputs: dict[str, Any] = {"custSpaceId": DEMO, "phoneNumber": phone}
    inputs.update(extra)
    return inputs


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


def test_bad_settings_fail_with_the_key_to_fix() -> None:
    provider = DynamicProvider()
    try:
        provider.configure({"cams:endpoint": "http://127.0.0.1:1/path"})
        # Settings are built by the first operation that calls CAMS, so that check (the first
        # thing a fresh process answers) never waits for pydantic; see bench/startup.py.
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


OLD_PICKLE = (Path(__file__).parent / "fixtures" / "dynamic-provider-0911373.b64").read_text()


def test_a_provider_pickled_by_an_earlier_main_serves_every_operation(
    dynamic_provider: DynamicProvider, emulator: EmulatorServer
) -> None:
    """Every existing stack stores `__provider` as main at 0911373 pickled it (the fixture:
    `serialize_provider(PhoneNumberRegistrationProvider())` run on that commit's checkout). The
    path `pulumi_cams_provider.dynamic.PhoneNumberRegistrationProvider` must keep serving
    check, diff, read, update and delete of those stacks through `python -m pulumi.dynamic`."""
    dynamic_provider.blob = OLD_PICKLE.strip()
    inputs = {"custSpaceId": DEMO, "phoneNumber": "+86 138-0000-5678", "deregisterOnDelete": True}

    checked = dynamic_provider.check(inputs)
    assert checked.failures == {}
    resource_id, outputs = dynamic_provider.create(checked.inputs)
    assert (resource_id, outputs["adopted"]) == (f"{DEMO}/8613800005678", True)
    assert dynamic_provider.diff(resource_id, outputs, checked.inputs).changes == "DIFF_NONE"
    assert dynamic_provider.read(resource_id, outputs)[0] == resource_id
    updated = dynamic_provider.update(
        resource_id, outputs, {**checked.inputs, "deregisterOnDelete": False}
    )
    assert updated["deregisterOnDelete"] is False
    dynamic_provider.delete(resource_id, updated)
    assert ctl.number_status(emulator.url, DEMO, "8613800005678") == "CONNECTED"


def test_the_installed_dynamic_host_is_shaped_as_the_one_line_errors_shim_expects() -> None:
    """The shim on Pulumi's dynamic host (dynamic_host.install_one_line_errors) relies on its
    internals; this fails on the Pulumi release that changes them, rather than the shim
    quietly letting tracebacks through. The host's module is loaded without running it."""
    import ast
    import importlib.util

    from pulumi_cams_provider.dynamic_host import host_shape_known

    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text()
    tree = ast.parse(source)
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert "_abort_with_traceback" in functions
    assert "traceback.format_exc()" in source
    imported = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    assert "traceback" in imported
    # The module as the shim meets it: what the host would define, without serving.
    shaped = type(sys)("pulumi.dynamic.__main__")
    exec(compile(source.replace("\nmain()", "\n"), spec.origin, "exec"), shaped.__dict__)
    assert host_shape_known(shaped)


def test_every_resource_has_a_dynamic_provider_named_for_it() -> None:
    """The Python SDK pickles `<resource name>Provider` by reference into each resource's
    state, and the class finds its resource by that name."""
    from pulumi_cams_provider import dynamic
    from pulumi_cams_provider.resources import RESOURCES

    for resource in RESOURCES:
        provider = getattr(dynamic, f"{resource.name}Provider")()
        assert provider.token == resource.token
        assert type(provider).__module__ == "pulumi_cams_provider.dynamic"
