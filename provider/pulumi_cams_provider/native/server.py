"""The native Pulumi provider plugin for package ``cams``: the gRPC server around `CamsProvider`.

The Pulumi Python language host starts this plugin as ``python <repo dir> <engine address>``
(the root ``__main__.py`` calls :func:`main`); :func:`serve` prints the port on stdout.

Three places where pulumi 3.272's experimental server needs help: unknown values and secret
outputs (both in ``property_values``), and errors. The server wraps every exception as
``Exception("<msg>:\\n<stack>")``, which reaches the user as ``Unexpected <class 'Exception'>:
...``; :class:`_Servicer` answers an error the user acts on with its own one-line message,
and one that waits for a person (`ProviderError.awaits_person`) with Pulumi's await result
(``ErrorResourceAwaitFailed`` in the status details, provider.proto since v3.272): the engine
writes no state for the resource, goes on with the others, and the CLI exits 10. It also
serves the protocol's List, which the SDK's servicer lacks.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

from ..cams.errors import ProviderError, user_message
from ..resource import installed_version
from .property_values import to_dict
from .provider import CamsProvider

__all__ = ["main", "serve"]

_GRPC_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]
_PARENT_POLL_S = 1.0


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
            original = raised if user_message(raised) else raised.__context__
            message = user_message(original)
            if message is not None:
                awaits = isinstance(original, ProviderError) and original.awaits_person
                details = _await_details(message) if awaits else ()
                await context.abort(grpc.StatusCode.UNKNOWN, message, details)
            raise

    return wrapper


def _await_details(message: str) -> tuple[tuple[str, bytes], ...]:
    """Trailing metadata that makes an UNKNOWN error Pulumi's await result: a google.rpc.Status
    of the same code and message whose details hold ``ErrorResourceAwaitFailed`` (the engine's
    ``parseError`` reads it from there, as it reads ``ErrorResourceInitFailed``)."""
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=message)
    status.details.add().Pack(provider_pb2.ErrorResourceAwaitFailed())
    return (("grpc-status-details-bin", status.SerializeToString()),)


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
        servicer = _Servicer(list(argv), installed_version(), provider, engine_address=args.engine)
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
