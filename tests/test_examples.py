"""Every Python example program, run under Pulumi's mocks with the real provider behind them.

For each ``examples/<name>/__main__.py`` the program runs in-process under
`pulumi.runtime.set_mocks`; the mocks hand each PhoneNumberRegistration to a real
``python -m pulumi.dynamic`` (tests/support/engine.py: Check, then Create, as the engine
would) pointed at the emulator, and return its ID and outputs to the program. Other resources
get their inputs back as outputs.

An example may hold ``test-stack.yaml`` (read only by this harness; documented in
examples/README.md)::

    config:            # stack config; keys without "<namespace>:" belong to the project
      verifyCode: "246810"
    secrets: [verifyCode]
    outputs:           # stack outputs the program must export (a subset; nested dicts too)
      status: CONNECTED

Without it the program runs with empty config and must simply succeed. The harness adds the
provider settings (``cams:endpoint``, ``cams:accessKeyId``, ``cams:accessKeySecret``) for the
emulator's demo account.
"""

from __future__ import annotations

import contextvars
import json
import runpy
import sys
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from cams_emulator import EmulatorServer
from pulumi.runtime import rpc
from pulumi.runtime.settings import get_root_resource

from tests.support.demo_seed import DEMO_KEY
from tests.support.engine import TYPE_TOKEN, DynamicProvider

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROGRAMS = sorted(path.parent for path in EXAMPLES.glob("*/__main__.py"))


def _unwrap(value: Any) -> Any:
    """Strip secret markers, as the engine does for a provider that refuses secrets."""
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value


class ProviderMocks(pulumi.runtime.Mocks):
    """Mocks that create registrations through the real dynamic provider process."""

    def __init__(self, provider: DynamicProvider) -> None:
        self.provider = provider
        self.created: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        if args.typ != TYPE_TOKEN:
            return f"{args.name}-id", args.inputs
        code = args.inputs.get("verifyCode")
        # The SDK must send the code as a secret, whatever the program passed.
        assert code is None or rpc.is_rpc_secret(code), f"{args.name}: verifyCode is not secret"
        checked = self.provider.check(_unwrap(args.inputs), name=args.name)
        if checked.failures:
            raise ValueError(f"{args.name}: check failed: {checked.failures}")
        resource_id, outputs = self.provider.create(checked.inputs, name=args.name)
        self.created[args.name] = (resource_id, outputs)
        return resource_id, outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        return {}, None


def _project_name(example: Path) -> str:
    project = yaml.safe_load((example / "Pulumi.yaml").read_text(encoding="utf-8"))
    return str(project["name"])


def _test_stack(example: Path) -> dict[str, Any]:
    path = example / "test-stack.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    assert isinstance(data, dict), f"{path}: expected a mapping"
    unknown = set(data) - {"config", "secrets", "outputs"}
    assert not unknown, f"{path}: unknown keys {sorted(unknown)}"
    return data


def _stack_config(project: str, spec: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Pulumi's runtime config: namespaced keys, every value a string (objects as JSON)."""

    def key(name: str) -> str:
        return name if ":" in name else f"{project}:{name}"

    config = {
        key(name): value if isinstance(value, str) else json.dumps(value)
        for name, value in (spec.get("config") or {}).items()
    }
    return config, [key(name) for name in spec.get("secrets") or []]


def _assert_subset(expected: Any, actual: Any, path: str = "outputs") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected a mapping, got {actual!r}"
        for name, value in expected.items():
            assert name in actual, f"{path}.{name} was not exported (got {sorted(actual)})"
            _assert_subset(value, actual[name], f"{path}.{name}")
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


def run_program(
    example: Path, provider: DynamicProvider, config: dict[str, str], secret_keys: list[str]
) -> tuple[dict[str, Any], ProviderMocks]:
    """Run the example's program under mocks; return its stack outputs and the mocks."""
    mocks = ProviderMocks(provider)
    exports: dict[str, Any] = {}

    def run() -> None:
        pulumi.runtime.set_mocks(mocks, project=_project_name(example), stack="test", preview=False)
        pulumi.runtime.set_all_config(config, secret_keys)

        @pulumi.runtime.test
        def program() -> pulumi.Output[Any]:
            runpy.run_path(str(example / "__main__.py"), run_name="__main__")
            root = get_root_resource()
            assert root is not None
            outputs = pulumi.Output.from_input(getattr(root, "outputs", {}))
            return outputs.apply(exports.update)

        program()

    # A fresh context: Pulumi keeps its settings, config and root stack in context variables,
    # so each example starts from nothing.
    sys.path.insert(0, str(example))
    try:
        contextvars.Context().run(run)
    finally:
        sys.path.remove(str(example))
    return exports, mocks


@pytest.mark.parametrize("example", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_example_program(example: Path, emulator: EmulatorServer) -> None:
    spec = _test_stack(example)
    config, secret_keys = _stack_config(_project_name(example), spec)
    with DynamicProvider(project=_project_name(example)) as provider:
        # The engine hands a dynamic provider the whole stack config.
        provider.configure(
            {
                **config,
                "cams:endpoint": emulator.url,
                "cams:accessKeyId": DEMO_KEY[0],
                "cams:accessKeySecret": DEMO_KEY[1],
            }
        )
        exports, mocks = run_program(example, provider, config, secret_keys)
        stderr = provider.stderr
    assert mocks.created, f"{example.name} registered no PhoneNumberRegistration"
    _assert_subset(spec.get("outputs") or {}, exports)
    secrets = [leaf for name in spec.get("secrets") or [] for leaf in _leaves(spec["config"][name])]
    outputs = json.dumps([exports, list(mocks.created.values())], default=str)
    for secret in secrets:
        assert secret not in stderr
        assert secret not in outputs


def _leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [str(value)]


PYTHON_EXAMPLES = {"quickstart", "fleet"}
"""Run here, under mocks (and under the real CLI by tests/e2e)."""
OTHER_EXAMPLES = {
    "yaml": "tests/e2e/test_native.py",
    "typescript": "tests/e2e/test_sdks.py",
    "go": "tests/e2e/test_sdks.py",
    "ci": "tests/e2e/test_examples.py",
}
"""The examples only the real CLI can run (or, without their language host, compile)."""


def test_every_example_is_run_by_a_test() -> None:
    # An example that disappears, or one added without a test, fails here.
    assert {p.name for p in PROGRAMS} == PYTHON_EXAMPLES
    assert {p.name for p in EXAMPLES.iterdir() if p.is_dir()} == PYTHON_EXAMPLES | set(
        OTHER_EXAMPLES
    )
    for name, test in OTHER_EXAMPLES.items():
        text = (EXAMPLES.parent / test).read_text()
        assert f'"{name}"' in text or f"examples/{name}" in text, f"{test} does not run {name}"
