"""Start the native plugin the way the Pulumi Python language host does, and speak to it.

The language host (``pulumi-language-python`` ``RunPlugin``) runs ``<venv python> <plugin dir>
<engine address>`` with the working directory set to the *program's* directory, and reads the
port from the first stdout line. :class:`PluginProcess` does the same with this interpreter and
the repository root. :class:`FakeEngine` stands in for the engine's gRPC ``Engine`` service and
records what the plugin logs to it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Mapping
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime import rpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2, provider_pb2_grpc

from .provider_process import Secret, start_printing_port, stop

REPO_ROOT = Path(__file__).resolve().parents[2]
RPC_TIMEOUT_S = 30.0
START_TIMEOUT_S = 30.0
RESOURCE_TYPE = "cams:index:PhoneNumberRegistration"
URN = "urn:pulumi:dev::cams-yaml::cams:index:PhoneNumberRegistration::registration"
UNKNOWN = rpc.UNKNOWN

# Provider settings a developer's shell may hold; the plugin must only see what a test sets.
_SETTINGS_ENV_PREFIXES = ("CAMS_", "ALIBABA_CLOUD_ACCESS", "ALIBABA_CLOUD_SECURITY", "ALICLOUD_")
_SETTINGS_ENV_NAMES = ("ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_PROFILE")


@dataclass(frozen=True)
class LoggedMessage:
    """One ``Engine.Log`` call the plugin made."""

    severity: int
    message: str
    urn: str


class FakeEngine(engine_pb2_grpc.EngineServicer):
    """The engine's ``Engine`` gRPC service on 127.0.0.1:0, recording ``Log`` calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[LoggedMessage] = []
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    def Log(self, request: engine_pb2.LogRequest, context: Any) -> empty_pb2.Empty:  # noqa: N802
        with self._lock:
            self._messages.append(LoggedMessage(request.severity, request.message, request.urn))
        return empty_pb2.Empty()

    @property
    def messages(self) -> list[LoggedMessage]:
        """Everything logged so far."""
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        """Forget what was logged."""
        with self._lock:
            self._messages.clear()

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop(grace=None).wait(5)


def plugin_environment() -> dict[str, str]:
    """The plugin's environment: ours, without provider settings inherited from a shell."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_SETTINGS_ENV_PREFIXES) and name not in _SETTINGS_ENV_NAMES
    }


class PluginProcess:
    """The plugin as a child process, started as the language host starts it."""

    def __init__(
        self,
        engine_address: str,
        cwd: Path,
        stderr_path: Path,
        flags: tuple[str, ...] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.argv = [sys.executable, str(REPO_ROOT), *flags, engine_address]
        self.stderr_path = stderr_path
        self._stderr: IO[bytes] = stderr_path.open("wb")
        try:
            self._process, self.port = start_printing_port(
                self.argv,
                cwd=cwd,
                env=plugin_environment() if env is None else env,
                stderr=self._stderr,
                stderr_text=self.stderr,
                timeout=START_TIMEOUT_S,
            )
        except BaseException:
            self._stderr.close()
            raise
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self._channel)

    def stderr(self) -> str:
        """What the plugin wrote on stderr so far."""
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def stop(self) -> None:
        """Terminate the process (it has no state to save) and close the channel."""
        self._channel.close()
        stop(self._process, timeout=10)
        self._stderr.close()

    # -- RPCs, with the request shapes the engine sends ------------------------------------

    def invoke(self, token: str, **args: Any) -> provider_pb2.InvokeResponse:
        """Invoke a function of the provider with ``args``."""
        return self.stub.Invoke(
            provider_pb2.InvokeRequest(tok=token, args=marshal(args)), timeout=RPC_TIMEOUT_S
        )

    def list(
        self,
        query: Mapping[str, Any],
        *,
        page_size: int = 0,
        start: str = "",
        token: str = RESOURCE_TYPE,
    ) -> list[provider_pb2.ListResponse]:
        """List the resources of ``token`` (the stream, collected)."""
        request = provider_pb2.ListRequest(
            token=token, query=marshal(query), page_size=page_size,
            continuation_token=start,
        )  # fmt: skip
        return list(self.stub.List(request, timeout=RPC_TIMEOUT_S))

    def check_config(self, **config: Any) -> provider_pb2.CheckResponse:
        """CheckConfig of the provider's inputs, as the engine sends them (bare names)."""
        return self.stub.CheckConfig(
            provider_pb2.CheckRequest(
                urn="urn:pulumi:dev::cams-yaml::pulumi:providers:cams::default",
                olds=marshal({}),
                news=marshal(config),
                randomSeed=b"seed",
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def configure(self, **config: Any) -> provider_pb2.ConfigureResponse:
        """Configure as the engine does: ``variables`` keyed ``cams:config:<name>`` (strings,
        secrets stripped), ``args`` with the bare names, typed, secrets kept."""
        variables = {
            f"cams:config:{name}": _config_string(_unwrap(value)) for name, value in config.items()
        }
        return self.stub.Configure(
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=marshal(config),
                acceptSecrets=True,
                acceptResources=True,
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def check(
        self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None, *, urn: str = URN
    ) -> provider_pb2.CheckResponse:
        """Check ``news`` against ``olds`` for the resource ``urn``."""
        return self.stub.Check(
            provider_pb2.CheckRequest(
                urn=urn, olds=marshal(olds or {}), news=marshal(news), randomSeed=b"seed"
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def diff(
        self, resource_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> provider_pb2.DiffResponse:
        """Diff the stored outputs ``olds`` with the new inputs ``news``."""
        return self.stub.Diff(
            provider_pb2.DiffRequest(
                id=resource_id, urn=URN, olds=marshal(olds), news=marshal(news)
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def create(
        self, properties: Mapping[str, Any], preview: bool = False
    ) -> provider_pb2.CreateResponse:
        """Create (or, with ``preview``, plan) the resource."""
        return self.stub.Create(
            provider_pb2.CreateRequest(
                urn=URN, properties=marshal(properties), timeout=60, preview=preview
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def read(
        self,
        resource_id: str,
        properties: Mapping[str, Any],
        inputs: Mapping[str, Any] | None = None,
    ) -> provider_pb2.ReadResponse:
        """Refresh (or, without properties and inputs, import) the resource."""
        return self.stub.Read(
            provider_pb2.ReadRequest(
                id=resource_id,
                urn=URN,
                properties=marshal(properties),
                inputs=marshal(inputs or {}),
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def update(
        self,
        resource_id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        preview: bool = False,
    ) -> provider_pb2.UpdateResponse:
        """Update in place."""
        return self.stub.Update(
            provider_pb2.UpdateRequest(
                id=resource_id,
                urn=URN,
                olds=marshal(olds),
                news=marshal(news),
                timeout=60,
                preview=preview,
            ),
            timeout=RPC_TIMEOUT_S,
        )

    def delete(self, resource_id: str, properties: Mapping[str, Any]) -> None:
        """Delete the resource."""
        self.stub.Delete(
            provider_pb2.DeleteRequest(
                id=resource_id, urn=URN, properties=marshal(properties), timeout=60
            ),
            timeout=RPC_TIMEOUT_S,
        )


def _unwrap(value: Any) -> Any:
    return value.value if isinstance(value, Secret) else value


def _config_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _property(value: Any) -> PropertyValue:
    if isinstance(value, Secret):
        return _property(value.value).with_secret(True)
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, dict):
        value = {k: _property(v) for k, v in value.items()}
    return PropertyValue(value)


def marshal(values: Mapping[str, Any]) -> struct_pb2.Struct:
    """A property map on the wire; wrap a value in :class:`Secret` to send it as a secret."""
    return PropertyValue.marshal_map({k: _property(v) for k, v in values.items()})


@dataclass(frozen=True)
class Properties:
    """A property map received from the plugin: plain values plus which keys were secret."""

    values: dict[str, Any]
    secret: frozenset[str]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def plain(self) -> dict[str, Any]:
        """The values, with ``Secret`` around the secret ones (to send back as they came)."""
        return {k: Secret(v) if k in self.secret else v for k, v in self.values.items()}


def unmarshal(struct: struct_pb2.Struct) -> Properties:
    """Decode a property map from the plugin."""
    decoded = PropertyValue.unmarshal_map(struct)
    return Properties(
        values={k: _plain(v) for k, v in decoded.items()},
        secret=frozenset(k for k, v in decoded.items() if v.contains_secret()),
    )


def _plain(value: PropertyValue) -> Any:
    inner = value.value
    if isinstance(inner, float) and inner.is_integer():
        return int(inner)
    if isinstance(inner, Mapping):
        return {k: _plain(v) for k, v in inner.items()}
    return inner
