"""The ``cams`` provider as ``pulumi.provider.experimental`` serves it: requests to the controller.

Translation only: requests arrive as ``PropertyValue`` maps, go to the shared
`RegistrationController` as plain camelCase dicts and come back as ``PropertyValue`` maps with
secrecy restored (``property_values``). The controller is synchronous, so every call runs in a
worker thread (``asyncio.to_thread``) to keep the gRPC event loop free for other resources.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

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

from ..cams.errors import InvalidInput, ProviderError
from ..config import SETTINGS
from ..controller import validation
from ..controller.lifecycles import Lifecycle, kind_of
from ..controller.outcomes import Note
from ..controller.registration import RegistrationController
from ..controller.session import CamsSession
from ..engine_log import EngineLog
from ..package_schema import schema
from ..resource import FUNCTION_TOKEN, PACKAGE, installed_version
from .listing import page
from .property_values import secret_keys, to_dict, to_outputs, to_property, to_python

__all__ = ["CamsProvider"]

# Inputs that make up the resource ID, which Pulumi stores and shows unencrypted.
_ID_INPUTS = ("custSpaceId", "phoneNumber")
_SETTINGS = frozenset(s.key for s in SETTINGS)
_SECRET_SETTINGS = frozenset(s.key for s in SETTINGS if s.secret)

_T = TypeVar("_T")


class CamsProvider(Provider):
    """The ``cams`` provider: every resource of `resources`, each by its token, and the
    getPhoneNumber function.

    ``engine_address`` is the engine's gRPC address the plugin was started with; warnings for
    the user (such as an adopted registration) go to its Log service, tied to the resource.
    """

    def __init__(self, engine_address: str | None = None) -> None:
        super().__init__()
        self._engine_log = EngineLog(engine_address)
        self._session: CamsSession | None = None
        self._controllers: dict[str, Lifecycle] = {}
        # The resource (URN) that declared each number in this deployment, per resource type:
        # the engine checks every resource of a deployment in this one process.
        self._declared: dict[tuple[str, str], str] = {}

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        """Serve ``schema.json``, the contract every generated SDK is built from."""
        return GetSchemaResponse(schema=json.dumps(schema(installed_version())))

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        """The provider's config as the engine will store it: a setting the schema marks
        secret (an access key secret, a security token) is returned as a secret even when it
        was set with `pulumi config set --plaintext`, so it is encrypted in every state file
        (the engine stores what CheckConfig returns as the provider's inputs)."""
        secret = _SECRET_SETTINGS
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
        names = _SETTINGS
        config: dict[str, Any] = {}
        if request.args:
            for name, value in request.args.items():
                plain = to_python(value)
                if name in names and plain is not None and not validation.is_unknown(plain):
                    config[name] = plain
        else:
            for key, text in request.variables.items():
                namespace, _, name = key.partition(":")
                name = name.removeprefix("config:")
                if namespace == PACKAGE and name in names and text != "null":
                    config[name] = text
        self._session = CamsSession.from_config(config)
        self._controllers = {}
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
        kind = kind_of(request.type)
        outcome = kind.check(to_dict(request.new_inputs), to_dict(request.old_inputs))
        secret = secret_keys(request.new_inputs) | kind.resource.secret_inputs
        failures = [CheckFailure(f.property, f.reason) for f in outcome.failures]
        phone = outcome.inputs.get("phoneNumber")
        if isinstance(phone, str) and not any(f.property == "phoneNumber" for f in failures):
            other = self._declared.setdefault((request.type, phone), request.urn)
            if other != request.urn:
                failures.append(
                    CheckFailure("phoneNumber", _declared_twice(kind.resource.name, phone, other))
                )
        return CheckResponse(
            inputs={k: to_property(v, k in secret) for k, v in outcome.inputs.items()},
            failures=failures,
        )

    async def invoke(self, request: InvokeRequest) -> InvokeResponse:
        """getPhoneNumber: a number's registration state; reads only, at preview too. A bad
        space ID or phone number is an error that says what check would (`pulumi do` shows
        invoke failures as an empty result)."""
        if request.tok != FUNCTION_TOKEN:
            raise InvalidInput(
                f"unknown function {request.tok!r}: the cams provider serves only {FUNCTION_TOKEN}"
            )
        args = to_dict(request.args)
        space, phone = args.get("custSpaceId"), args.get("phoneNumber")
        found = await self._registrations(lambda c: c.look_up(space, phone))
        return InvokeResponse(return_value={k: to_property(v) for k, v in found.items()})

    async def list_page(
        self, token: str, query: dict[str, Any], start: str, page_size: int, limit: int
    ) -> tuple[list[tuple[str, str]] | None, str]:
        """One page of List (see `listing.page`): every registered number of the space, which
        has a registration, a profile and a webhook to import."""
        resource = kind_of(token).resource

        async def registered(space: str) -> list[str]:
            numbers, _ = await self._registrations(lambda c: c.registered_numbers(space))
            return numbers

        return await page(resource, registered, query, start, page_size, limit)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        """Compare the stored outputs with the new inputs; identity changes replace."""
        olds, news = to_dict(request.old_state), to_dict(request.new_inputs)
        outcome = kind_of(request.type).diff(olds, news)
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
        """Create the resource (register or adopt a number, set a profile or webhook); at
        preview, echo the inputs with what CAMS reports unknown."""
        inputs = to_dict(request.properties)
        secret = secret_keys(request.properties) | kind_of(request.type).resource.secret_inputs
        if request.preview:
            planned = await self._call(request.type, lambda c: c.preview_create(inputs))
            return CreateResponse(resource_id="", properties=to_outputs(planned, secret))
        try:
            outcome = await self._call(request.type, lambda c: c.create(inputs))
        except ProviderError as err:
            if err.awaits_person:
                # The engine shows an await as "resource is awaiting", without its message:
                # the line that says what to do goes under the resource first.
                await self._engine_log.tell(Note("warning", str(err)), request.urn)
            raise
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
        """Refresh or import: the live state, or an empty ID when the resource is gone."""
        resource = kind_of(request.type).resource
        state = to_dict(request.properties)
        outcome = await self._call(request.type, lambda c: c.read(request.resource_id, state))
        if outcome.resource_id is None:
            return ReadResponse(resource_id="", properties={}, inputs={})
        secret = (
            secret_keys(request.properties) | secret_keys(request.inputs) | resource.secret_inputs
        )
        if request.inputs:
            inputs = dict(request.inputs)
        else:
            # Import: no program inputs yet, so offer the ones the live state determines.
            inputs = {
                name: to_property(outcome.outputs[name], name in secret)
                for name in resource.inputs
                if outcome.outputs.get(name) is not None
            }
        return ReadResponse(
            resource_id=outcome.resource_id,
            properties=to_outputs(outcome.outputs, secret),
            inputs=inputs,
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        """Apply an in-place change; at preview, the new inputs with nothing sent."""
        olds, news = to_dict(request.olds), to_dict(request.news)
        resource = kind_of(request.type).resource
        secret = secret_keys(request.olds) | secret_keys(request.news) | resource.secret_inputs
        if request.preview:
            planned = {name: news.get(name, olds.get(name)) for name in resource.outputs}
            return UpdateResponse(properties=to_outputs(planned, secret))
        outputs = await self._call(request.type, lambda c: c.update(olds, news))
        return UpdateResponse(properties=to_outputs(outputs, secret))

    async def delete(self, request: DeleteRequest) -> None:
        """Delete as the resource's lifecycle says (a registration deregisters only when
        ``deregisterOnDelete`` is true; a profile or webhook stays in CAMS)."""
        state = to_dict(request.properties)
        outcome = await self._call(request.type, lambda c: c.delete(request.resource_id, state))
        for note in outcome.notes:
            await self._engine_log.tell(note, request.urn)

    async def _call(self, token: str, operation: Callable[[Lifecycle], _T]) -> _T:
        """``operation`` on the controller of the resource ``token``, in a worker thread."""
        kind = kind_of(token)
        controller = self._controllers.get(token)
        if controller is None:
            controller = self._controllers[token] = kind.controller(self._get_session())
        return await asyncio.to_thread(operation, controller)

    async def _registrations(self, operation: Callable[[RegistrationController], _T]) -> _T:
        """``operation`` on the registrations (getPhoneNumber, List), in a worker thread."""
        return await asyncio.to_thread(operation, RegistrationController(self._get_session()))

    def _get_session(self) -> CamsSession:
        if self._session is None:  # the engine configures first; a direct caller may not
            self._session = CamsSession.from_config({})
        return self._session


def _declared_twice(resource: str, phone: str, other_urn: str) -> str:
    return (
        f"phoneNumber {phone} is declared by resource {other_urn.rsplit('::', 1)[-1]!r} too: a "
        f"number has one {resource}, so declare it in one resource only (to rename a "
        "resource, keep one declaration and give it `aliases` with the old name)"
    )


def _diff_kind(in_olds: bool, in_news: bool, replaces: bool) -> PropertyDiffKind:
    if not in_olds:
        return PropertyDiffKind.ADD_REPLACE if replaces else PropertyDiffKind.ADD
    if not in_news:
        return PropertyDiffKind.DELETE_REPLACE if replaces else PropertyDiffKind.DELETE
    return PropertyDiffKind.UPDATE_REPLACE if replaces else PropertyDiffKind.UPDATE
