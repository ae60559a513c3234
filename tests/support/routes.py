"""One driver over both provider processes, so that a lifecycle scenario is written once and
runs on both routes: the dynamic provider (``python -m pulumi.dynamic``,
tests/support/engine.py) and the native plugin (tests/support/plugin_harness.py), each driven
over gRPC as the engine drives it.

What differs between the routes stays in this module: how values, secrets and unknowns travel,
what an error looks like, and where the notes for the user arrive (both send them to the
engine's Log service; only the native plugin can tie them to the resource's URN).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import grpc
from pulumi.runtime.proto import engine_pb2, provider_pb2, status_pb2
from pulumi_cams_provider.resource import SECRET_INPUTS

from .engine import PROVIDER_KEY, DynamicProvider, ProviderError
from .plugin_harness import FakeEngine, PluginProcess, unmarshal
from .provider_process import Secret

__all__ = ["ROUTES", "Checked", "Diff", "Route", "RouteError", "Secret", "start_route"]

ROUTES = ("dynamic", "native")

_SEVERITY = {engine_pb2.DEBUG: "debug", engine_pb2.INFO: "info", engine_pb2.WARNING: "warning"}


class RouteError(Exception):
    """An operation failed; ``message`` is what ``pulumi up`` prints under the resource, checked
    to be one line without a traceback; ``awaited`` when the answer was Pulumi's await result
    (``ErrorResourceAwaitFailed`` in the status details: no state, the deployment goes on)."""

    def __init__(self, message: str, *, awaited: bool = False) -> None:
        for noise in (
            "Traceback (most recent call last)",
            "During handling of the above exception",
            "The above exception was the direct cause",
        ):
            assert noise not in message, message
        assert "\n" not in message.strip(), message
        super().__init__(message)
        self.message = message
        self.awaited = awaited


@dataclass(frozen=True)
class Checked:
    """Check's answer: the inputs (secrets unwrapped), the failures in order, and the inputs
    as the engine would send them on (``wire``, secrets still marked)."""

    inputs: dict[str, Any]
    failures: list[tuple[str, str]]
    wire: dict[str, Any]


@dataclass(frozen=True)
class Diff:
    changes: bool
    replaces: list[str]
    delete_before_replace: bool


class Route(ABC):
    """A provider process of one route, configured for a test."""

    name: str

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine

    def configure(self, endpoint: str, key: tuple[str, str], **settings: Any) -> None:
        """Configure as a stack would: ``endpoint``, the access key, and any other setting by
        its config name (``retryTimeout=1``)."""
        self._config = (endpoint, key, settings)
        self._configure(endpoint, key, **settings)

    def new_run(self) -> None:
        """What the next ``pulumi up`` or ``refresh`` meets: a provider configured as this one,
        that remembers nothing of this run (no controller, no listing cached)."""
        endpoint, key, settings = self._config
        self._configure(endpoint, key, **settings)

    @abstractmethod
    def _configure(self, endpoint: str, key: tuple[str, str], **settings: Any) -> None: ...

    @abstractmethod
    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None) -> Checked:
        """Check program inputs ``news`` (wrap a secret one in `Secret`) against ``olds``."""

    @abstractmethod
    def diff(self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        """Diff stored outputs with checked inputs."""

    @abstractmethod
    def create(self, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """Create from checked inputs; (ID, outputs)."""

    @abstractmethod
    def read(self, resource_id: str, state: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """Refresh; an empty ID means the registration is gone."""

    @abstractmethod
    def update(
        self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Update in place; the new outputs."""

    @abstractmethod
    def delete(self, resource_id: str, state: Mapping[str, Any]) -> None:
        """Delete given the stored outputs."""

    @abstractmethod
    def stderr(self) -> str:
        """What the provider process wrote on stderr."""

    def up(self, program: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """What ``pulumi up`` does for a new resource: Check, then Create what check returned."""
        checked = self.check(program)
        assert checked.failures == [], checked.failures
        return self.create(checked.wire)

    def notes(self) -> list[tuple[str, str]]:
        """(severity, message) of everything the provider told the user through the engine."""
        return [(_SEVERITY[m.severity], m.message) for m in self.engine.messages]


class DynamicRoute(Route):
    name = "dynamic"

    def __init__(self, engine: FakeEngine) -> None:
        super().__init__(engine)
        self.process = DynamicProvider(engine_address=engine.address)

    def new_run(self) -> None:
        # The dynamic host keeps the provider it loaded for the life of the process.
        self.process.__exit__()
        self.process = DynamicProvider(engine_address=self.engine.address)
        super().new_run()

    def _configure(self, endpoint: str, key: tuple[str, str], **settings: Any) -> None:
        self.process.configure(
            {
                "cams:endpoint": endpoint,
                "cams:accessKeyId": key[0],
                "cams:accessKeySecret": Secret(key[1]),
                **{f"cams:{name}": value for name, value in settings.items()},
            }
        )

    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None) -> Checked:
        with _errors():
            checked = self.process.check(news, olds)
        inputs = _without_provider(checked.inputs)
        return Checked(inputs, list(checked.failures.items()), inputs)

    def diff(self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        with _errors():
            diff = self.process.diff(resource_id, olds, news)
        return Diff(diff.changes == "DIFF_SOME", diff.replaces, diff.delete_before_replace)

    def create(self, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        with _errors():
            resource_id, outputs = self.process.create(inputs)
        assert outputs[PROVIDER_KEY] == self.process.blob
        return resource_id, _without_provider(outputs)

    def read(self, resource_id: str, state: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        with _errors():
            found, outputs = self.process.read(resource_id, state)
        return found, _without_provider(outputs)

    def update(
        self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        with _errors():
            return _without_provider(self.process.update(resource_id, olds, news))

    def delete(self, resource_id: str, state: Mapping[str, Any]) -> None:
        with _errors():
            self.process.delete(resource_id, state)

    def stderr(self) -> str:
        return self.process.stderr

    def close(self) -> None:
        self.process.__exit__()


class NativeRoute(Route):
    name = "native"

    def __init__(self, engine: FakeEngine, plugin: PluginProcess) -> None:
        super().__init__(engine)
        self.plugin = plugin

    def _configure(self, endpoint: str, key: tuple[str, str], **settings: Any) -> None:
        # Configure gives the plugin a new controller: nothing of the run before is kept.
        response = self.plugin.configure(
            endpoint=endpoint, accessKeyId=key[0], accessKeySecret=Secret(key[1]), **settings
        )
        assert response.acceptSecrets and response.supportsPreview

    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None) -> Checked:
        with _errors():
            response = self.plugin.check(news, olds)
        inputs = unmarshal(response.inputs)
        failures = [(f.property, f.reason) for f in response.failures]
        return Checked(inputs.values, failures, inputs.plain())

    def diff(self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        with _errors():
            diff = self.plugin.diff(resource_id, olds, _secret_inputs(news))
        return Diff(
            diff.changes == provider_pb2.DiffResponse.DIFF_SOME,
            list(diff.replaces),
            diff.deleteBeforeReplace,
        )

    def create(self, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        with _errors():
            created = self.plugin.create(_secret_inputs(inputs))
        return created.id, unmarshal(created.properties).values

    def read(self, resource_id: str, state: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        with _errors():
            refreshed = self.plugin.read(resource_id, state)
        return refreshed.id, unmarshal(refreshed.properties).values

    def update(
        self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        with _errors():
            updated = self.plugin.update(resource_id, olds, _secret_inputs(news))
        return unmarshal(updated.properties).values

    def delete(self, resource_id: str, state: Mapping[str, Any]) -> None:
        with _errors():
            self.plugin.delete(resource_id, state)

    def stderr(self) -> str:
        return self.plugin.stderr()


@contextmanager
def start_route(
    name: str, engine: FakeEngine, plugin: PluginProcess | None = None
) -> Iterator[Route]:
    """The route ``name``: a fresh dynamic provider process, or the (module's) native plugin."""
    engine.clear()
    if name == "dynamic":
        route = DynamicRoute(engine)
        try:
            yield route
        finally:
            route.close()
    else:
        assert plugin is not None
        yield NativeRoute(engine, plugin)


@contextmanager
def _errors() -> Iterator[None]:
    """Either route's failure as a RouteError carrying what the user reads."""
    try:
        yield
    except ProviderError as err:
        raise RouteError(err.details) from None
    except grpc.RpcError as err:
        raise RouteError(err.details() or "", awaited=_awaited(err)) from None


def _awaited(err: grpc.RpcError) -> bool:
    """Whether the error's status details carry Pulumi's await result, read as the engine's
    ``parseError`` reads them."""
    trailers = dict(err.trailing_metadata() or ())  # type: ignore[attr-defined]
    packed = trailers.get("grpc-status-details-bin")
    if packed is None:
        return False
    status = status_pb2.Status.FromString(packed)
    assert status.code == err.code().value[0] and status.message == err.details(), status  # type: ignore[attr-defined]
    return any(
        detail.Is(provider_pb2.ErrorResourceAwaitFailed.DESCRIPTOR) for detail in status.details
    )


def _without_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def _secret_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs as the engine sends them to the native plugin: the schema's secret inputs stay
    secret once check has marked them."""
    return {
        k: Secret(v) if k in SECRET_INPUTS and not isinstance(v, Secret) else v
        for k, v in inputs.items()
    }
