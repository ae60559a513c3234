"""A stand-in for the Pulumi engine: drives a real ``python -m pulumi.dynamic`` over gRPC.

The Pulumi CLI cannot be installed where this project is built, so tests do what the engine does
for a dynamic provider (pulumi/pkg/resource/plugin/provider_plugin.go):

- start the ``pulumi-python`` resource plugin as ``python -u -m pulumi.dynamic`` and read the
  port it prints on stdout;
- Configure it with the WHOLE stack config (keys like ``cams:endpoint``); it answers
  ``acceptSecrets=false``, so every secret is sent as its plain value;
- send properties as a protobuf Struct: numbers are floats, ``__provider`` is the base64 dill
  pickle of the provider, and during preview unknown values are the ``UNKNOWN`` sentinel string;
- Check receives the old and new *inputs*, Diff and Update the old *outputs* and the checked
  inputs, Create the checked inputs, Read and Delete the old outputs.

`DynamicProvider` is the driver; `Secret` marks a value the program made secret (stripped on
the wire, as the engine does). Provider failures raise `ProviderError` with gRPC's details.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc
from pulumi_cams_provider.dynamic import PhoneNumberRegistrationProvider

from .provider_process import Secret, start_printing_port, stop

__all__ = [
    "PROVIDER_KEY",
    "TYPE_TOKEN",
    "UNKNOWN",
    "CheckResponse",
    "DiffResponse",
    "DynamicProvider",
    "ProviderError",
    "Secret",
    "provider_blob",
]

UNKNOWN = rpc.UNKNOWN
PROVIDER_KEY = "__provider"
TYPE_TOKEN = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
_PROXIES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")


class ProviderError(Exception):
    """The provider answered an RPC with an error.

    The dynamic host reports a failure as gRPC UNKNOWN; for the errors a user acts on, the
    adapter makes its details the provider's one-line message (see dynamic.py), which is what
    `pulumi up` prints. Anything else (a bug) arrives as a Python traceback.
    """

    def __init__(self, method: str, code: grpc.StatusCode, details: str) -> None:
        self.method = method
        self.code = code
        self.details = details
        super().__init__(f"{method}: {code.name}: {details}")

    @property
    def message(self) -> str:
        """What the user reads: the details, asserted to be one line without a traceback."""
        assert "Traceback (most recent call last)" not in self.details, self.details
        assert "\n" not in self.details.strip(), self.details
        return self.details


@dataclass(frozen=True)
class CheckResponse:
    """Check's answer: the inputs to use and ``{property: reason}`` failures."""

    inputs: dict[str, Any]
    failures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DiffResponse:
    """Diff's answer; `changes` is ``DIFF_NONE``, ``DIFF_SOME`` or ``DIFF_UNKNOWN``."""

    changes: str
    replaces: list[str]
    delete_before_replace: bool


def provider_blob() -> str:
    """The ``__provider`` value the SDK stores: the provider pickled by reference."""
    return serialize_provider(PhoneNumberRegistrationProvider())


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialise properties as the engine does for a provider that refuses secrets."""
    struct = struct_pb2.Struct()
    struct.update({name: _plain(value) for name, value in props.items()})
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """The engine's view of a provider's answer (numbers come back as floats)."""
    return dict(json_format.MessageToDict(struct))


def _plain(value: Any) -> Any:
    if isinstance(value, Secret):
        return _plain(value.value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class DynamicProvider:
    """One ``python -m pulumi.dynamic`` process and a gRPC stub to it.

    Properties passed to the methods get ``__provider`` added when they lack it, as every
    resource registered by the SDK carries it.
    """

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        project: str = "pulumi-cams-test",
        stack: str = "test",
        start_timeout: float = 30.0,
        rpc_timeout: float = 60.0,
        engine_address: str | None = None,
    ) -> None:
        """``engine_address``: the engine's gRPC address, given to the host as the engine
        gives it (its first argument), where the provider sends what it tells the user."""
        self.project = project
        self.stack = stack
        self.blob = provider_blob()
        self._rpc_timeout = rpc_timeout
        environ = {k: v for k, v in os.environ.items() if k not in _PROXIES}
        environ["PULUMI_PROJECT"] = project
        environ["PYTHONUNBUFFERED"] = "1"
        environ.update(env or {})
        self._stderr = tempfile.TemporaryFile(mode="w+b")
        try:
            self.process, self.port = start_printing_port(
                [sys.executable, "-u", "-m", "pulumi.dynamic", *filter(None, [engine_address])],
                env=environ,
                stderr=self._stderr,
                stderr_text=lambda: self.stderr,
                timeout=start_timeout,
            )
        except BaseException:
            self._stderr.close()
            raise
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self._channel)

    @property
    def stderr(self) -> str:
        """Everything the provider process wrote to stderr so far."""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def urn(self, name: str, type_token: str = TYPE_TOKEN) -> str:
        """The URN the engine would give a resource of this stack."""
        return f"urn:pulumi:{self.stack}::{self.project}::{type_token}::{name}"

    def close(self) -> None:
        """Stop the process (it serves until killed, like under the engine)."""
        self._channel.close()
        stop(self.process, timeout=5)

    def __enter__(self) -> DynamicProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self._stderr.close()

    # The RPCs.

    def configure(self, config: Mapping[str, Any]) -> None:
        """Send the stack config (keys ``<namespace>:<key>``; secret values in plain text)."""
        plain = {k: _plain(v) for k, v in config.items()}
        self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                args=to_struct(plain),
                variables={k: v if isinstance(v, str) else str(v) for k, v in plain.items()},
                acceptSecrets=True,
                acceptResources=True,
            ),
        )

    def check(
        self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None, *, name: str = "r"
    ) -> CheckResponse:
        """Check new inputs against old ones (both *inputs*)."""
        response = self._call(
            "Check",
            provider_pb2.CheckRequest(
                urn=self.urn(name),
                olds=to_struct(self._with_provider(olds or {}, optional=True)),
                news=to_struct(self._with_provider(news)),
            ),
        )
        return CheckResponse(
            inputs=from_struct(response.inputs),
            failures={f.property: f.reason for f in response.failures},
        )

    def diff(
        self,
        resource_id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        name: str = "r",
    ) -> DiffResponse:
        """Diff the prior *outputs* against checked inputs."""
        response = self._call(
            "Diff",
            provider_pb2.DiffRequest(
                id=resource_id,
                urn=self.urn(name),
                olds=to_struct(self._with_provider(olds)),
                news=to_struct(self._with_provider(news)),
            ),
        )
        return DiffResponse(
            changes=provider_pb2.DiffResponse.DiffChanges.Name(response.changes),
            replaces=list(response.replaces),
            delete_before_replace=response.deleteBeforeReplace,
        )

    def create(self, props: Mapping[str, Any], *, name: str = "r") -> tuple[str, dict[str, Any]]:
        """Create from checked inputs; returns (id, outputs)."""
        response = self._call(
            "Create",
            provider_pb2.CreateRequest(
                urn=self.urn(name), properties=to_struct(self._with_provider(props))
            ),
        )
        return response.id, from_struct(response.properties)

    def read(
        self,
        resource_id: str,
        props: Mapping[str, Any],
        inputs: Mapping[str, Any] | None = None,
        *,
        name: str = "r",
    ) -> tuple[str, dict[str, Any]]:
        """Refresh from prior outputs; an empty id means the resource is gone."""
        response = self._call(
            "Read",
            provider_pb2.ReadRequest(
                id=resource_id,
                urn=self.urn(name),
                properties=to_struct(self._with_provider(props)),
                inputs=to_struct(self._with_provider(inputs or {}, optional=True)),
            ),
        )
        return response.id, from_struct(response.properties)

    def update(
        self,
        resource_id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        name: str = "r",
    ) -> dict[str, Any]:
        """Update from prior outputs to checked inputs; returns the new outputs."""
        response = self._call(
            "Update",
            provider_pb2.UpdateRequest(
                id=resource_id,
                urn=self.urn(name),
                olds=to_struct(self._with_provider(olds)),
                news=to_struct(self._with_provider(news)),
            ),
        )
        return from_struct(response.properties)

    def delete(self, resource_id: str, props: Mapping[str, Any], *, name: str = "r") -> None:
        """Delete given the prior outputs."""
        self._call(
            "Delete",
            provider_pb2.DeleteRequest(
                id=resource_id,
                urn=self.urn(name),
                properties=to_struct(self._with_provider(props)),
            ),
        )

    def _with_provider(self, props: Mapping[str, Any], *, optional: bool = False) -> dict[str, Any]:
        result = dict(props)
        if PROVIDER_KEY not in result and not (optional and not result):
            result[PROVIDER_KEY] = self.blob
        return result

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request, timeout=self._rpc_timeout)
        except grpc.RpcError as err:
            raise ProviderError(method, err.code(), err.details() or "") from None
