"""Every resource's lifecycle, by token: what both front doors dispatch on.

`Kind.check` and `Kind.diff` are offline and light (standard library only, for preview); the
controllers, which need pydantic and the client, are imported when first built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..cams.errors import InvalidInput
from ..description import ResourceDescription
from ..resource import REGISTRATION
from ..resources import RESOURCES, described
from .checks import CheckOutcome, DiffOutcome, check_inputs, diff_inputs
from .configuration_checks import check_configuration, diff_configuration
from .outcomes import CreateOutcome, DeleteOutcome, ReadOutcome

if TYPE_CHECKING:
    from .session import CamsSession

__all__ = ["Kind", "Lifecycle", "kind_of"]


class Lifecycle(Protocol):
    """What a resource's controller does for the engine."""

    def preview_create(self, inputs: dict[str, Any]) -> dict[str, Any]: ...
    def create(self, inputs: dict[str, Any]) -> CreateOutcome: ...
    def read(self, resource_id: str, props: dict[str, Any]) -> ReadOutcome: ...
    def update(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]: ...
    def delete(self, resource_id: str, props: dict[str, Any]) -> DeleteOutcome: ...


@dataclass(frozen=True)
class Kind:
    """One resource: its description, its input rules and its controller."""

    resource: ResourceDescription

    def check(self, news: dict[str, Any], olds: dict[str, Any] | None = None) -> CheckOutcome:
        if self.resource is REGISTRATION:
            return check_inputs(news, olds)
        return check_configuration(self.resource, news, olds)

    def diff(self, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        if self.resource is REGISTRATION:
            return diff_inputs(olds, news)
        return diff_configuration(self.resource, olds, news)

    def controller(self, session: CamsSession) -> Lifecycle:
        if self.resource is REGISTRATION:
            from .registration import RegistrationController

            return RegistrationController(session)
        from .configuration import ConfigurationController
        from .number_config import WHERES

        return ConfigurationController(session, self.resource, WHERES[self.resource.token]())


def kind_of(token: str) -> Kind:
    """The resource of ``token``; an unknown token is an error that lists the package's."""
    resource = described(token)
    if resource is None:
        served = ", ".join(r.token for r in RESOURCES)
        raise InvalidInput(f"unknown resource type {token!r}: the cams provider serves {served}")
    return Kind(resource)
