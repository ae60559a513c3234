"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from cams_emulator import DEMO_SEED_PATH, EmulatorServer, load_seed

from tests.support.demo_seed import DEMO_KEY

# Every test's captured output and provider-process stderr is scanned for secrets.
from tests.support.secret_hygiene import pytest_runtest_makereport, watch_provider_processes  # noqa: F401

# alibabacloud-credentials reads its environment once, at import time, and its default chain
# would otherwise ask the ECS metadata service (100.100.100.200) for a role: tests must never
# leave loopback. Set before anything imports the SDK, and inherited by provider subprocesses.
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"
os.environ["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"] = "true"
for _proxy in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
    # The Alibaba SDK routes even loopback traffic through a configured proxy.
    os.environ.pop(_proxy, None)

# The end-to-end suite (tests/e2e, the real Pulumi CLI) runs under `make e2e` only.
collect_ignore = [] if os.environ.get("PULUMI_CAMS_E2E") == "1" else ["e2e"]

_SETTINGS_ENV_PREFIXES = ("CAMS_", "ALIBABA_CLOUD_ACCESS", "ALIBABA_CLOUD_SECURITY", "ALICLOUD_")
_SETTINGS_ENV_NAMES = ("ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_PROFILE")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without provider settings inherited from the developer's shell, and
    with the process-wide adaptive rates at their ceilings (a throttling test lowers them)."""
    from pulumi_cams_provider.cams.pacing.adaptive import shared_rates

    for name in list(os.environ):
        if name.startswith(_SETTINGS_ENV_PREFIXES) or name in _SETTINGS_ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
    shared_rates().reset()
    yield


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """One CAMS emulator with the demo seed for the whole session; use `emulator` in tests."""
    server = EmulatorServer(host="127.0.0.1", port=0, qps=10, seed=load_seed(DEMO_SEED_PATH))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> EmulatorServer:
    """The session emulator, reset: demo seed, no faults, empty request log, qps 10, real clock."""
    emulator_server.reset()
    return emulator_server


@pytest.fixture
def dynamic_provider(emulator: EmulatorServer) -> Iterator[Any]:
    """A real ``python -m pulumi.dynamic`` (tests/support/engine.py's driver), configured like
    a stack whose config points at the emulator with the demo access key. A fresh process per
    test: the host caches the configured provider, and the finder caches listings."""
    from tests.support.engine import DynamicProvider

    with DynamicProvider() as provider:
        provider.configure(
            {
                "cams:endpoint": emulator.url,
                "cams:accessKeyId": DEMO_KEY[0],
                "cams:accessKeySecret": DEMO_KEY[1],
            }
        )
        yield provider


@pytest.fixture(scope="module")
def engine() -> Iterator[Any]:
    """A stand-in for the engine's Log service, recording what the native plugin tells users."""
    from tests.support.plugin_harness import FakeEngine

    fake = FakeEngine()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def plugin(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The native plugin, started as the language host starts it: in the *program's*
    directory, not the plugin's. One process per test module."""
    from tests.support.plugin_harness import PluginProcess

    program_dir = tmp_path_factory.mktemp("program")
    process = PluginProcess(engine.address, cwd=program_dir, stderr_path=program_dir / "stderr")
    yield process
    process.stop()


@pytest.fixture(params=["dynamic", "native"])
def route(request: pytest.FixtureRequest, emulator: EmulatorServer, engine: Any) -> Iterator[Any]:
    """Each route's provider process (tests/support/routes.py), configured for the reset emulator
    with the demo key: a test that takes it runs once per route."""
    from tests.support.routes import start_route

    plugin = request.getfixturevalue("plugin") if request.param == "native" else None
    with start_route(request.param, engine, plugin) as started:
        started.configure(emulator.url, DEMO_KEY)
        yield started
