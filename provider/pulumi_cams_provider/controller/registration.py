"""The PhoneNumberRegistration controller: the resource's lifecycle, free of any framework.

The front doors (dynamic provider, native plugin, CLI) translate their requests into calls on
`RegistrationController` with camelCase dicts (unknowns as `validation.UNKNOWN`), and its
results back; check and diff need no controller (`checks`, standard library only, for preview).
What each operation promises, with its test, is docs/contract.md; in short:

- create: observe before acting, since ChatappVerifyAndRegister has no idempotency token; adopt
  a number that is already registered; otherwise register, and return only once a read shows
  the number registered. A register whose answer is lost is not repeated while it may still
  land: the number is re-read for `settle_timeout` first, and at most `MAX_WRITE_CALLS` are made
  (the write and its confirmation are `writes.ConfirmedWrite`). One create at a time per
  number (`claims`): a number declared twice is registered once, and adopted by the second;
- read: the live state; only a definite answer that the number is absent or unregistered
  reports it gone, any failure to read is an error and the state is kept; an import (no state
  yet) of a number that is not registered is an error that says how to register it;
- update: no API call;
- delete: deregister only when asked to (Meta allows 10 register/deregister calls per number per
  72 hours), confirmed by a read like create; already gone is success; never a number another
  resource of the same deployment has just registered or adopted (a rename).

Every operation runs within one `Deadline` of `retry_timeout` seconds, requests included.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import replace
from typing import Any

from ..cams.actions import DEREGISTER, VERIFY_AND_REGISTER
from ..cams.errors import CamsError, CamsNotFound, InvalidInput
from ..cams.phone_number_list import PhoneNumber
from ..cams.retry import Deadline
from ..resource import INPUT_PROPERTIES, OUTPUT_PROPERTIES
from .checks import check_inputs
from .errors import MissingVerifyCode, NotRegistered, not_in_space, state_kept
from .health import sending_health
from .models import (
    RegistrationInputs,
    has_identity,
    identity,
    lookup_document,
    state,
    updated_state,
)
from .outcomes import CreateOutcome, DeleteOutcome, Note, ReadOutcome
from .session import CamsSession
from .validation import UNKNOWN, format_resource_id, validate_cust_space_id
from .writes import ConfirmedWrite, registered, unregistered

__all__ = ["RegistrationController"]


class RegistrationController:
    """Runs the PhoneNumberRegistration lifecycle against CAMS, on a `CamsSession` (its
    client, shared listings, claims and deadlines); thread-safe."""

    def __init__(self, session: CamsSession) -> None:
        self._session = session
        self._settings = session.settings
        self._claims = session.claims

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], *, share_listings: bool = True
    ) -> RegistrationController:
        """The controller of a provider configured with ``config`` (its ``cams:`` keys, prefixed
        or bare), the environment filling the gaps. Both adapters build theirs here; one called
        before the engine configured it passes ``{}``: the environment only. Raises
        `SettingsError` naming what to fix."""
        return cls(CamsSession.from_config(config, share_listings=share_listings))

    # Lifecycle, in the order the engine meets it.

    def preview_create(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs a create would report, as far as checked inputs tell; no API call, so
        everything CAMS reports is `UNKNOWN`."""
        return {
            name: inputs.get(name, UNKNOWN) if name in INPUT_PROPERTIES else UNKNOWN
            for name in OUTPUT_PROPERTIES
        }

    def create(self, inputs: dict[str, Any]) -> CreateOutcome:
        """Register the number (or adopt it); return once a read shows it registered. Creates
        of one number wait for each other, so the second observes what the first did: in this
        process (`claims`), and across processes that share a rate limit store (its lease)."""
        wanted = RegistrationInputs.checked(inputs)
        space, phone = wanted.cust_space_id, wanted.phone_number
        budget = self._session.deadline()
        quota = self._session.client().quota
        with self._claims.creating(phone) as claimed_before:
            with quota.lease(space, phone, budget) if quota else nullcontext():
                outcome = self._create(wanted, budget)
            self._claims.claim(phone)
        notes = [Note.declared_twice(phone)] if claimed_before and outcome.adopted else []
        notes += self._session.store_notes()
        return replace(outcome, notes=(*outcome.notes, *notes)) if notes else outcome

    def _create(self, wanted: RegistrationInputs, budget: Deadline) -> CreateOutcome:
        space, phone = wanted.cust_space_id, wanted.phone_number
        listing = self._session.listing(space, phone, budget)
        observed = listing.number(phone)
        if observed is None:
            raise not_in_space(space, phone, listing.request_id, action=VERIFY_AND_REGISTER)
        notes: list[Note] = []
        adopted = observed.registered
        if adopted:
            notes.append(Note.adopted(phone, space, first=self._claims.first("adopted")))
        else:
            if wanted.verify_code is None:
                raise MissingVerifyCode.of(observed, space)
            code = wanted.verify_code.get_secret_value()
            client = self._session.client()
            observed, extra = self._confirmed_write().until_seen(
                VERIFY_AND_REGISTER,
                lambda deadline: client.chatapp_verify_and_register(
                    space, phone, code, deadline=deadline
                ),
                space,
                phone,
                registered,
                budget,
            )
            notes.extend(extra)
        assert observed is not None  # registered() holds for it
        return CreateOutcome(
            resource_id=wanted.resource_id,
            outputs=state(space, phone, wanted.deregister_on_delete, observed, adopted),
            adopted=adopted,
            notes=tuple(notes),
        )

    def read(self, resource_id: str, props: dict[str, Any]) -> ReadOutcome:
        """The live registration; `resource_id` None only when a listing of the space shows
        the number absent or unregistered. Any failure to list raises, keeping the state."""
        space, phone = identity(resource_id, props)
        try:
            listing = self._session.listing(space, phone, self._session.deadline(), fresh=False)
        except CamsError as err:
            raise state_kept(err, phone, "refresh") from None
        observed = listing.number(phone)
        if observed is None or not observed.registered:
            if not has_identity(props):  # an import: there is nothing to import
                if observed is None:
                    but = ", so there is nothing to import"
                    raise not_in_space(space, phone, listing.request_id, but=but)
                raise NotRegistered.of(observed, listing.request_id, space)
            return ReadOutcome(resource_id=None, outputs={})
        outputs = state(
            space,
            phone,
            props.get("deregisterOnDelete") is True,
            observed,
            props.get("adopted") is True,
        )
        return ReadOutcome(resource_id=format_resource_id(space, phone), outputs=outputs)

    @property
    def session(self) -> CamsSession:
        """What this controller shares with the other resources' controllers."""
        return self._session

    def look_up(self, cust_space_id: object, phone_number: object) -> dict[str, Any]:
        """A number's state as getPhoneNumber returns it (`lookup_document`): one listing and
        one health read; a number the space does not list, or a bad argument (`InvalidInput`),
        is an error."""
        checked = check_inputs({"custSpaceId": cust_space_id, "phoneNumber": phone_number})
        if checked.failures:
            raise InvalidInput("; ".join(f.reason for f in checked.failures))
        space, phone = checked.inputs["custSpaceId"], checked.inputs["phoneNumber"]
        deadline = self._session.deadline()
        listing = self._session.listing(space, phone, deadline)
        number = listing.number(phone)
        if number is None:
            raise not_in_space(space, phone, listing.request_id)
        return lookup_document(space, number, sending_health(self._session, space, phone))

    def numbers_of(self, cust_space_id: object) -> list[dict[str, Any]]:
        """Every number a space lists, as getPhoneNumber describes one (`lookup_document`),
        sorted; one listing, never a write: what `pulumi-cams status --space` shows."""
        space = validate_cust_space_id(cust_space_id)
        listing = self._session.finder().list_space(
            space, fresh=True, deadline=self._session.deadline()
        )
        return [lookup_document(space, listing[phone]) for phone in sorted(listing)]

    def request_code(self, space: str, phone: str, *, method: str, locale: str) -> str:
        """Ask CAMS to send the number its one-time code (GetChatappVerifyCode); the RequestId."""
        return self._session.client().get_chatapp_verify_code(space, phone, method, locale)

    def registered_numbers(self, cust_space_id: object) -> tuple[list[str], int]:
        """A space's registered numbers, sorted, and how many it lists unregistered (List)."""
        numbers = self.numbers_of(cust_space_id)
        registered = [n["phoneNumber"] for n in numbers if n["registered"]]
        return registered, len(numbers) - len(registered)

    def update(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        """Apply `deregisterOnDelete`; no API call, every other output kept."""
        return updated_state(olds, news)

    def delete(self, resource_id: str, props: dict[str, Any]) -> DeleteOutcome:
        """Deregister when `deregisterOnDelete` is set, confirmed by a read; a number already
        gone is success. Otherwise leave it registered and say so."""
        space, phone = identity(resource_id, props)
        if props.get("deregisterOnDelete") is not True:
            left = Note.left_registered(resource_id, first=self._claims.first("left"))
            return DeleteOutcome(deregistered=False, notes=(left,))
        if self._claims.claimed(phone):
            return DeleteOutcome(False, notes=(Note.managed_elsewhere(resource_id),))
        budget = self._session.deadline()
        try:
            number = self._observe(space, phone, budget)
        except CamsNotFound:
            number = None
        except CamsError as err:
            raise state_kept(err, phone, "destroy") from None
        if number is None or not number.registered:
            return DeleteOutcome(deregistered=True)

        client = self._session.client()

        def deregister(deadline: Deadline) -> str:
            try:
                return client.chatapp_phone_number_deregister(space, phone, deadline=deadline)
            except CamsNotFound as gone:
                return gone.request_id or ""

        _, notes = self._confirmed_write().until_seen(
            DEREGISTER, deregister, space, phone, unregistered, budget
        )
        return DeleteOutcome(deregistered=True, notes=(*notes, *self._session.store_notes()))

    def _confirmed_write(self) -> ConfirmedWrite:
        return ConfirmedWrite(
            observe=self._observe,
            invalidate=self._session.finder().invalidate,
            settle_timeout=self._settings.settle_timeout,
        )

    def _observe(
        self, space: str, phone: str, deadline: Deadline, *, fresh: bool = True
    ) -> PhoneNumber | None:
        return self._session.listing(space, phone, deadline, fresh=fresh).number(phone)
