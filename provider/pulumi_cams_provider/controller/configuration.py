"""The lifecycle of a resource about a number's configuration (its business profile, its
webhook): observe, act, confirm, as the registration does, on the fields the program sets.

- create: read what CAMS holds; send only the managed fields that differ (a field CAMS cannot
  read back, like the profile picture, is always sent); then re-read until CAMS shows them, for
  `settle_timeout`, and fail rather than report a change CAMS does not show;
- read: what CAMS holds of the managed fields (a field CAMS cannot read back keeps the value
  set); the resource is gone only when the space no longer lists the number; an import takes
  every field CAMS holds but the secrets (`pulumi import` would write them into the program it
  generates in clear);
- update: send the fields that changed, confirmed like create; dropping a field sends nothing;
- delete: CAMS has no delete for either, so the configuration stays as it is, and is said.

Each of these patches is idempotent (sending the same values again changes nothing), so a call
whose answer was lost is simply retried. How the fields reach CAMS is the resource's `Where`
(`number_config`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ..cams.errors import CamsError, InvalidInput
from ..cams.retry import Deadline, poll_until
from ..description import ResourceDescription
from .configuration_checks import check_configuration, managed
from .errors import NoVisibleEffect, not_in_space, state_kept
from .models import has_identity, identity
from .outcomes import CreateOutcome, DeleteOutcome, Note, ReadOutcome
from .session import CamsSession
from .validation import UNKNOWN, format_resource_id

__all__ = ["ConfigurationController", "Where"]


class Where(Protocol):
    """How one resource's fields reach CAMS and come back, by their wire names."""

    subject: str
    """What the resource is of the number, for messages: ``business profile``, ``webhook``."""
    action: str
    """The CAMS action that sets it."""

    def read(
        self, session: CamsSession, space: str, phone: str, deadline: Deadline, *, fresh: bool
    ) -> tuple[dict[str, Any] | None, str]:
        """What CAMS holds (None when the space does not list the number) and the answer's
        RequestId."""
        ...

    def write(
        self,
        session: CamsSession,
        space: str,
        phone: str,
        values: Mapping[str, Any],
        deadline: Deadline,
    ) -> str:
        """Send ``values``; the answer's RequestId."""
        ...


class ConfigurationController:
    """Runs one configuration resource's lifecycle against CAMS; thread-safe."""

    def __init__(self, session: CamsSession, resource: ResourceDescription, where: Where) -> None:
        self._session = session
        self._resource = resource
        self._where = where
        self._managed = managed(resource)

    def preview_create(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs a create would report: the inputs, as they are set."""
        return {name: inputs.get(name, None) for name in self._resource.outputs}

    def create(self, inputs: dict[str, Any]) -> CreateOutcome:
        wanted = self._checked(inputs)
        space, phone = wanted["custSpaceId"], wanted["phoneNumber"]
        budget = self._session.deadline()
        held = self._observe(space, phone, budget, fresh=True)
        self._apply(space, phone, self._differing(held, wanted, {}), budget)
        return CreateOutcome(
            resource_id=format_resource_id(space, phone),
            outputs=self._outputs(wanted),
            adopted=False,
            notes=tuple(self._session.store_notes()),
        )

    def read(self, resource_id: str, props: dict[str, Any]) -> ReadOutcome:
        space, phone = identity(resource_id, props)
        budget = self._session.deadline()
        try:
            held, request_id = self._where.read(self._session, space, phone, budget, fresh=False)
        except CamsError as err:
            raise state_kept(err, phone, "refresh") from None
        if held is None:
            if not has_identity(props):
                raise not_in_space(space, phone, request_id, but=", so there is nothing to import")
            return ReadOutcome(resource_id=None, outputs={})
        values: dict[str, Any] = {"custSpaceId": space, "phoneNumber": phone}
        for prop in self._managed:
            if not has_identity(props):  # an import takes what CAMS holds, but no secret:
                # Pulumi writes what an import offers into the program it generates, in clear.
                taken = prop.read_back and not prop.secret
                values[prop.wire] = held.get(prop.wire) if taken else None
            elif props.get(prop.wire) is not None:
                values[prop.wire] = held.get(prop.wire) if prop.read_back else props[prop.wire]
        return ReadOutcome(format_resource_id(space, phone), self._outputs(values))

    def update(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        wanted = self._checked(news)
        space, phone = wanted["custSpaceId"], wanted["phoneNumber"]
        budget = self._session.deadline()
        self._apply(space, phone, self._differing(olds, wanted, olds), budget)
        return self._outputs(wanted)

    def delete(self, resource_id: str, props: dict[str, Any]) -> DeleteOutcome:
        first = self._session.claims.first(f"left {self._resource.name}")
        note = Note.left_in_cams(resource_id, self._where.subject, first=first)
        return DeleteOutcome(deregistered=False, notes=(note,))

    def _checked(self, inputs: dict[str, Any]) -> dict[str, Any]:
        outcome = check_configuration(self._resource, inputs)
        if outcome.failures:
            first = outcome.failures[0]
            raise InvalidInput(f"invalid input {first.property}: {first.reason}")
        return outcome.inputs

    def _outputs(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: values.get(name) for name in self._resource.outputs}

    def _differing(
        self, held: Mapping[str, Any], wanted: Mapping[str, Any], stored: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The managed fields to send: set, and not what CAMS holds (or, for a field CAMS
        cannot read back, not what the state says was set)."""
        send = {}
        for prop in self._managed:
            value = wanted.get(prop.wire)
            if value is None or value is UNKNOWN:
                continue
            known = held.get(prop.wire) if prop.read_back else stored.get(prop.wire)
            if known != value:
                send[prop.wire] = value
        return send

    def _observe(self, space: str, phone: str, budget: Deadline, *, fresh: bool) -> dict[str, Any]:
        held, request_id = self._where.read(self._session, space, phone, budget, fresh=fresh)
        if held is None:
            raise not_in_space(space, phone, request_id, action=self._where.action)
        return held

    def _apply(self, space: str, phone: str, send: dict[str, Any], budget: Deadline) -> None:
        """Send ``send`` and re-read until CAMS shows every field it reads back."""
        if not send:
            return
        request_id = self._where.write(self._session, space, phone, send, budget)
        checked = [p.wire for p in self._managed if p.wire in send and p.read_back]

        def shows(held: dict[str, Any]) -> bool:
            return all(held.get(name) == send[name] for name in checked)

        held = poll_until(
            lambda: self._observe(space, phone, budget, fresh=True),
            shows,
            window=budget.within(self._session.settings.settle_timeout),
        )
        if not shows(held):
            differ = ", ".join(name for name in checked if held.get(name) != send[name])
            raise NoVisibleEffect(
                f"CAMS answered OK (RequestId {request_id or 'none'}) but after "
                f"{self._session.settings.settle_timeout:g} s the {self._where.subject} still "
                f"shows other values for {differ}",
                action=self._where.action,
                code="NoVisibleEffect",
                request_id=request_id,
                cust_space_id=space,
                phone_number=phone,
            )
