"""The native Pulumi provider plugin for package ``cams``, on ``pulumi.provider.experimental``.

Translation only: requests arrive as ``PropertyValue`` maps, go to the shared
:class:`~pulumi_cams_provider.registration.RegistrationController` as plain camelCase dicts and
come back as ``PropertyValue`` maps with secrecy restored (``property_values``). The controller
is synchronous, so every call runs in a worker thread (``asyncio.to_thread``) to keep the gRPC
event loop free for other resources.

The Pulumi Python language host starts this plugin as ``python <repo dir> <engine address>``
(the root ``__main__.py`` calls :func:`main`); :func:`serve` prints the port on stdout.

Three places where pulumi 3.272's experimental server needs help: unknown values and secret
outputs (both in ``property_values``), and errors. The server wraps every exception as
``Exception("<msg>:\\n<stack>")``, which reaches the user as ``Unexpected <class 'Exception'>:
...``; :class:`_Servicer` answers a :class:`CamsError` with its own one-line message instead.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.metadata
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import grpc
import grpc.aio
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    InvokeRequest,
    InvokeResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from . import models
from .checks import check_inputs, diff_inputs
from .engine_log import EngineLog
from .errors import user_message
from .import_document import registration_name
from .outcomes import Note
from .package_schema import schema
from .property_values import secret_keys, to_dict, to_outputs, to_property, to_python
from .registration import RegistrationController
from .resource import FUNCTION_TOKEN, PACKAGE, RESOURCE_TYPE, SECRET_INPUTS

__all__ = [
    "DISTRIBUTION",
    "PACKAGE",
    "RESOURCE_TYPE",
    "CamsProvider",
    "load_schema",
    "main",
    "serve",
    "version",
]

DISTRIBUTION = "pulumi-cams"

# Inputs that make up the resource ID, which Pulumi stores and shows unencrypted.
_ID_INPUTS = ("custSpaceId", "phoneNumber")
_GRPC_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]
_PARENT_POLL_S = 1.0

_T = TypeVar("_T")


def version() -> str:
    """The plugin version: the installed ``pulumi-cams`` distribution's version."""
    return importlib.metadata.version(DISTRIBUTION)


@functools.cache
def load_schema() -> dict[str, Any]:
    """The package schema (the one description in ``resource``, which ``schema.json`` holds
    too) with this distribution's version."""
    return schema(version())


def _config_names() -> frozenset[str]:
    return frozenset(load_schema()["config"]["variables"])


def _secret_config_names() -> frozenset[str]:
    return frozenset(
        name for name, spec in load_schema()["config"]["variables"].items() if spec.get("secret")
    )


class CamsProvider(Provider):
    """The ``cams`` provider: one resource, ``cams:index:PhoneNumberRegistration``.

    ``engine_address`` is the engine's gRPC address the plugin was started with; warnings for
    the user (such as an adopted registration) go to its Log service, tied to the resource.
    """

    def __init__(self, engine_address: str | None = None) -> None:
        super().__init__()
        self._engine_log = EngineLog(engine_address)
        self._controller: RegistrationController | None = None
        # The resource (URN) that declared each number in this deployment: the engine checks
        # every resource of a deployment in this one process.
        self._declared: dict[str, str] = {}

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        """Serve ``schema.json``, the contract every generated SDK is built from."""
        return GetSchemaResponse(schema=json.dumps(load_schema()))

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        """The provider's config as the engine will store it: a setting the schema marks
        secret (an access key secret, a security token) is returned as a secret even when it
        was set with `pulumi config set --plaintext`, so it is encrypted in every state file
        (the engine stores what CheckConfig returns as the provider's inputs)."""
        secret = _secret_config_names()
        return CheckResponse(
            inputs={
                name: value.with_secret(True) if name in secret else value
                for name, value in request.new_inputs.items()
            }
        )

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        """Build the settings from the provider's config, then the environment.

        ``request.args`` carries the provider inputs under their bare names, typed and with
        secrets marked; ``request.variables`` carries the same values as strings keyed
        ``cams:config:<name>`` (the engine's older spelling), and is read only when there are
        no args. An unset setting arrives as a null arg (and as the string "null" among the
        variables: `pulumi do` sends every config variable the schema names), and is left to
        the environment.
        """
        names = _config_names()
        config: dict[str, Any] = {}
        if request.args:
            for name, value in request.args.items():
                plain = to_python(value)
                if name in names and plain is not None and not models.is_unknown(plain):
                    config[name] = plain
        else:
            for key, text in request.variables.items():
                namespace, _, name = key.partition(":")
                name = name.removeprefix("config:")
                if namespace == PACKAGE and name in names and text != "null":
                    config[name] = text
        self._controller = RegistrationController.from_config(config)
        # Preview support lets dependent resources see this resource's outputs as "computed"
        # during `pulumi preview` instead of as absent. It is safe only because create and
        # update with `preview=True` never call CAMS (see create/update).
        return ConfigureResponse(
            accept_secrets=True,
            supports_preview=True,
            accept_resources=False,
            accept_outputs=False,
        )

    async def check(self, request: CheckRequest) -> CheckResponse:
        """Normalise and validate the inputs (no network; runs at preview)."""
        _require_resource_type(request.type)
        outcome = check_inputs(to_dict(request.new_inputs), to_dict(request.old_inputs))
        secret = secret_keys(request.new_inputs) | SECRET_INPUTS
        failures = [CheckFailure(f.property, f.reason) for f in outcome.failures]
        phone = outcome.inputs.get("phoneNumber")
        if isinstance(phone, str) and not any(f.property == "phoneNumber" for f in failures):
            other = self._declared.setdefault(phone, request.urn)
            if other != request.urn:
                failures.append(CheckFailure("phoneNumber", _declared_twice(phone, other)))
        return CheckResponse(
            inputs={k: to_property(v, k in secret) for k, v in outcome.inputs.items()},
            failures=failures,
        )

    async def invoke(self, request: InvokeRequest) -> InvokeResponse:
        """getPhoneNumber: a number's registration state; reads only, at preview too. A bad
        space ID or phone number is an error that says what check would (`pulumi do` shows
        invoke failures as an empty result)."""
        if request.tok != FUNCTION_TOKEN:
            raise ValueError(
                f"unknown function {request.tok!r}: the cams provider serves only {FUNCTION_TOKEN}"
            )
        args = to_dict(request.args)
        checked = check_inputs({name: args.get(name) for name in ("custSpaceId", "phoneNumber")})
        if checked.failures:
            raise ValueError("; ".join(f.reason for f in checked.failures))
        space, phone = checked.inputs["custSpaceId"], checked.inputs["phoneNumber"]
        found = await self._call(lambda c: c.look_up(space, phone))
        return InvokeResponse(return_value={k: to_property(v) for k, v in found.items()})

    async def list_page(
        self, token: str, query: dict[str, Any], start: str, page_size: int, limit: int
    ) -> tuple[list[tuple[str, str]] | None, str]:
        """One page of List: the (ID, name) of each registered number of the query's space,
        from ``start`` (an offset, "" for the first page), and the next page's start ("" when
        this is the last). None for the page when the space is not known yet (a preview)."""
        _require_resource_type(token)
        space = query.get("custSpaceId")
        if models.is_unknown(space):
            return None, ""
        if space is None:
            raise ValueError(
                "List of cams:index:PhoneNumberRegistration needs custSpaceId, the space whose "
                "registered numbers to list (pulumi do: --cust-space-id <space>)"
            )
        try:
            space = models.validate_cust_space_id(space)
        except ValueError as err:
            raise ValueError(f"custSpaceId {err}") from None
        if not (start or "0").isdigit():
            raise ValueError(f"continuation token {start!r} was not given by this provider")
        numbers, _ = await self._call(lambda c: c.registered_numbers(space))
        if limit > 0:
            numbers = numbers[:limit]
        offset = int(start or 0)
        end = len(numbers) if page_size < 1 else offset + page_size
        page = [(f"{space}/{phone}", registration_name(space, phone)) for phone in numbers]
        return page[offset:end], (str(end) if end < len(numbers) else "")

    async def diff(self, request: DiffRequest) -> DiffResponse:
        """Compare the stored outputs with the new inputs; identity changes replace."""
        _require_resource_type(request.type)
        olds, news = to_dict(request.old_state), to_dict(request.new_inputs)
        outcome = diff_inputs(olds, news)
        detailed = {
            name: PropertyDiff(
                _diff_kind(name in olds, name in news, name in outcome.replaces), input_diff=True
            )
            for name in outcome.changed
        }
        return DiffResponse(
            changes=outcome.changes,
            replaces=list(outcome.replaces),
            delete_before_replace=outcome.delete_before_replace,
            diffs=list(outcome.changed),
            detailed_diff=detailed,
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        """Register the number, or adopt it; at preview, echo the inputs with outputs unknown."""
        _require_resource_type(request.type)
        inputs = to_dict(request.properties)
        secret = secret_keys(request.properties)
        if request.preview:
            planned = await self._call(lambda c: c.preview_create(inputs))
            return CreateResponse(resource_id="", properties=to_outputs(planned, secret))
        outcome = await self._call(lambda c: c.create(inputs))
        for note in outcome.notes:
            await self._engine_log.tell(note, request.urn)
        exposed = sorted(secret.intersection(_ID_INPUTS))
        if exposed:
            note = Note(
                "warning",
                f"{' and '.join(exposed)} is marked secret but is part of the resource ID "
                "(<custSpaceId>/<phoneNumber>), which Pulumi stores and shows unencrypted",
            )
            await self._engine_log.tell(note, request.urn)
        return CreateResponse(
            resource_id=outcome.resource_id, properties=to_outputs(outcome.outputs, secret)
        )

    async def read(self, request: ReadRequest) -> ReadResponse:
        """Refresh or import: the live state, or an empty ID when the number is gone."""
        _require_resource_type(request.type)
        state = to_dict(request.properties)
        outcome = await self._call(lambda c: c.read(request.resource_id, state))
        if outcome.resource_id is None:
            return ReadResponse(resource_id="", properties={}, inputs={})
        secret = secret_keys(request.properties) | secret_keys(request.inputs)
        if request.inputs:
            inputs = dict(request.inputs)
        else:
            # Import: no program inputs yet, so offer the ones the live state determines.
            inputs = {
                name: to_property(outcome.outputs[name], name in secret)
                for name in models.INPUT_PROPERTIES
                if name in outcome.outputs
            }
        return ReadResponse(
            resource_id=outcome.resource_id,
            properties=to_outputs(outcome.outputs, secret),
            inputs=inputs,
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        """Apply an in-place change; the controller makes no CAMS call, so preview is the same."""
        _require_resource_type(request.type)
        olds, news = to_dict(request.olds), to_dict(request.news)
        outputs = await self._call(lambda c: c.update(request.resource_id, olds, news))
        secret = secret_keys(request.olds) | secret_keys(request.news)
        return UpdateResponse(properties=to_outputs(outputs, secret))

    async def delete(self, request: DeleteRequest) -> None:
        """Deregister only when ``deregisterOnDelete`` is true; otherwise forget the resource."""
        _require_resource_type(request.type)
        state = to_dict(request.properties)
        outcome = await self._call(lambda c: c.delete(request.resource_id, state))
        for note in outcome.notes:
            await self._engine_log.tell(note, request.urn)

    async def _call(self, operation: Callable[[RegistrationController], _T]) -> _T:
        controller = self._controller
        if controller is None:  # the engine configures first; a direct caller may not
            controller = self._controller = RegistrationController.from_config({})
        return await asyncio.to_thread(operation, controller)


def _declared_twice(phone: str, other_urn: str) -> str:
    return (
        f"phoneNumber {phone} is declared by resource {other_urn.rsplit('::', 1)[-1]!r} too: a "
        "number is registered once, so declare it in one resource only (to rename a resource, "
        "keep one declaration and give it `aliases` with the old name)"
    )


def _require_resource_type(resource_type: str) -> None:
    if resource_type != RESOURCE_TYPE:
        raise ValueError(
            f"unknown resource type {resource_type!r}: "
            f"the cams provider serves only {RESOURCE_TYPE}"
        )


def _diff_kind(in_olds: bool, in_news: bool, replaces: bool) -> PropertyDiffKind:
    if not in_olds:
        return PropertyDiffKind.ADD_REPLACE if replaces else PropertyDiffKind.ADD
    if not in_news:
        return PropertyDiffKind.DELETE_REPLACE if replaces else PropertyDiffKind.DELETE
    return PropertyDiffKind.UPDATE_REPLACE if replaces else PropertyDiffKind.UPDATE


def _one_line_errors(
    method: Callable[[Any, Any, grpc.aio.ServicerContext[Any, Any]], Awaitable[Any]],
) -> Callable[[Any, Any, grpc.aio.ServicerContext[Any, Any]], Awaitable[Any]]:
    """Report an error the user acts on as its own one-line message, without a stack."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        try:
            return await method(self, request, context)
        except Exception as raised:
            # The SDK re-raises as `Exception(f"{e}:\n{stack}")` inside its except block, so the
            # original error is the implicit context of the one we see.
            message = user_message(raised) or user_message(raised.__context__)
            if message is not None:
                await context.abort(grpc.StatusCode.UNKNOWN, message)
            raise

    return wrapper


class _Servicer(ProviderServicer):
    """The SDK's servicer with user-facing errors kept to the message the user acts on."""

    CheckConfig = _one_line_errors(ProviderServicer.CheckConfig)
    Invoke = _one_line_errors(ProviderServicer.Invoke)
    Configure = _one_line_errors(ProviderServicer.Configure)
    Check = _one_line_errors(ProviderServicer.Check)
    Diff = _one_line_errors(ProviderServicer.Diff)
    Create = _one_line_errors(ProviderServicer.Create)
    Read = _one_line_errors(ProviderServicer.Read)
    Update = _one_line_errors(ProviderServicer.Update)
    Delete = _one_line_errors(ProviderServicer.Delete)

    async def List(  # type: ignore[override]  # a stream: the SDK's stub says coroutine
        self, request: provider_pb2.ListRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[provider_pb2.ListResponse]:
        """The protocol's List (`pulumi do <token> list`), which pulumi's Python provider API
        does not serve: the registered numbers of a space, a page at a time, streamed."""
        provider = self._provider
        assert isinstance(provider, CamsProvider)
        query = to_dict(PropertyValue.unmarshal_map(request.query))
        try:
            page, following = await provider.list_page(
                request.token, query, request.continuation_token, request.page_size, request.limit
            )
        except Exception as raised:
            message = user_message(raised)
            if message is None:
                raise
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, message)
        if page is None:
            yield provider_pb2.ListResponse(computed=provider_pb2.ListResponse.Computed())
            return
        for resource_id, name in page:
            yield provider_pb2.ListResponse(
                result=provider_pb2.ListResponse.Result(id=resource_id, name=name)
            )
        if following:
            yield provider_pb2.ListResponse(
                continuation=provider_pb2.ListResponse.Continuation(continuation_token=following)
            )


async def _stop_when_orphaned(server: grpc.aio.Server, parent: int) -> None:
    """Stop serving once the process that started this plugin (the engine, or the language
    host that runs it from source) is gone: a killed `pulumi` must not leave it running."""
    while os.getppid() == parent:
        await asyncio.sleep(_PARENT_POLL_S)
    await server.stop(grace=None)


def _parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pulumi-resource-cams", description=__doc__)
    parser.add_argument("engine", nargs="?", default="", help="the Pulumi engine's gRPC address")
    # Flags the engine may pass when it flows its logging settings; accepted and ignored.
    parser.add_argument("--logflow", action="store_true")
    parser.add_argument("--logtostderr", action="store_true")
    parser.add_argument("--tracing", default="")
    known, _ = parser.parse_known_args(list(argv[1:]))
    return known


def serve(argv: Sequence[str]) -> None:
    """Serve the provider on 127.0.0.1, print the port on stdout, run until terminated."""
    args = _parse_args(argv)
    parent = os.getppid()
    provider = CamsProvider(engine_address=args.engine)

    async def run() -> None:
        server = grpc.aio.server(options=_GRPC_OPTIONS)
        servicer = _Servicer(list(argv), version(), provider, engine_address=args.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        watch = asyncio.create_task(_stop_when_orphaned(server, parent))
        await server.wait_for_termination()
        watch.cancel()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


def main() -> None:
    """Entry point for the plugin process (``python <repo dir> <engine address>``)."""
    serve(sys.argv)
