"""The PhoneNumberRegistration controller: the resource's lifecycle, free of any framework.

Both Pulumi adapters (the dynamic provider and the native plugin) translate their requests into
calls on `RegistrationController` with camelCase dicts, and its results back. Unknown values
arrive as `models.UNKNOWN`. check and diff need no settings and no controller: both adapters
call `checks.check_inputs` and `checks.diff_inputs` directly (the dynamic route must not import
pydantic at preview). What each operation promises, and the test that holds it to that, is
written down in docs/contract.md; in short:

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

import copy
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from .claims import Claims
from .client import VERIFY_AND_REGISTER, CamsClient
from .errors import CamsError, CamsNotFound
from .models import (
    INPUT_PROPERTIES,
    OUTPUT_PROPERTIES,
    UNKNOWN,
    RegistrationInputs,
    RegistrationState,
    is_unknown,
    normalize_phone_number,
    parse_resource_id,
    validate_cust_space_id,
)
from .outcomes import (
    CreateOutcome,
    DeleteOutcome,
    MissingVerifyCode,
    Note,
    NotRegistered,
    PhoneNumberNotInSpace,
    ReadOutcome,
)
from .phone_number_list import PhoneNumber
from .phone_numbers import Listing, PhoneNumberFinder
from .resource import FUNCTION_OUTPUTS
from .retry import Deadline, RetryPolicy
from .settings import ProviderSettings
from .writes import MAX_WRITE_CALLS, ConfirmedWrite, registered, unregistered

__all__ = [
    "MAX_WRITE_CALLS",
    "RegistrationController",
    "lookup_document",
]

LIST = "QueryChatappPhoneNumbers"
LISTING_SHARE = 0.8
"""While other processes share the account, a space's listings depart at most this many times
per register this process may send (see `_listing_interval`)."""


class RegistrationController:
    """Runs the PhoneNumberRegistration lifecycle against CAMS; thread-safe.

    The client is built on first use, so `check` and `diff` never touch the SDK or the network.
    `share_listings=False` gives every observation its own QueryChatappPhoneNumbers call (the
    benchmark's naive baseline); `retry_policy` shapes the client's backoff. `clock` and `sleep`
    drive every operation's `Deadline` (tests pass fakes).
    """

    def __init__(
        self,
        settings: ProviderSettings,
        client: CamsClient | None = None,
        *,
        share_listings: bool = True,
        retry_policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._client = client
        self._finder: PhoneNumberFinder | None = None
        self._share_listings = share_listings
        self._retry_policy = retry_policy
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._claims = Claims()

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], *, share_listings: bool = True
    ) -> RegistrationController:
        """The controller of a provider configured with ``config`` (its ``cams:`` keys, prefixed
        or bare), the environment filling the gaps. Both adapters build theirs here; one called
        before the engine configured it passes ``{}``: the environment only. Raises
        `SettingsError` naming what to fix."""
        return cls(ProviderSettings.from_config(config), share_listings=share_listings)

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
        of one number wait for each other, so the second observes what the first did."""
        wanted = _inputs(inputs)
        with self._claims.creating(wanted.phone_number) as claimed_before:
            outcome = self._create(wanted)
            self._claims.claim(wanted.phone_number)
        if claimed_before and outcome.adopted:
            note = Note(
                "warning",
                f"phone number {wanted.phone_number} is declared by another resource of this "
                "deployment too, which registered or adopted it first; adopted it here without "
                "a register call. Declare each number once.",
            )
            return replace(outcome, notes=(*outcome.notes, note))
        return outcome

    def _create(self, wanted: RegistrationInputs) -> CreateOutcome:
        space, phone = wanted.cust_space_id, wanted.phone_number
        budget = self._deadline()
        listing = self._listing(space, phone, budget)
        observed = listing.number(phone)
        if observed is None:
            raise _not_in_space(listing, space, phone, action=VERIFY_AND_REGISTER)
        notes: list[Note] = []
        adopted = observed.registered
        if adopted:
            notes.append(
                Note(
                    "warning",
                    f"phone number {phone} was already registered in space {space}; adopted it "
                    "without a register call (no verify code was used)",
                )
            )
        else:
            if wanted.verify_code is None:
                raise MissingVerifyCode(
                    f"the number is not registered yet (status {observed.status}) and no "
                    "verifyCode was given",
                    action=VERIFY_AND_REGISTER,
                    code="MissingVerifyCode",
                    cust_space_id=space,
                    phone_number=phone,
                )
            code = wanted.verify_code.get_secret_value()
            client = self._get_client()
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
        state = _state(space, phone, wanted.deregister_on_delete, observed, adopted)
        return CreateOutcome(
            resource_id=state.resource_id,
            outputs=state.to_wire(),
            adopted=adopted,
            notes=tuple(notes),
        )

    def read(self, resource_id: str, state: dict[str, Any]) -> ReadOutcome:
        """The live registration; `resource_id` None only when a listing of the space shows
        the number absent or unregistered. Any failure to list raises, keeping the state."""
        space, phone = _identity(resource_id, state)
        try:
            listing = self._listing(space, phone, self._deadline(), fresh=False)
        except CamsError as err:
            raise err.advised(_kept_advice(err, "refresh")) from None
        observed = listing.number(phone)
        if observed is None or not observed.registered:
            if not _has_identity(state):  # an import: there is nothing to import
                if observed is None:
                    raise _not_in_space(
                        listing, space, phone, but=", so there is nothing to import"
                    )
                raise NotRegistered(
                    f"the number is not registered (status {observed.status}), so there is "
                    "nothing to import",
                    action=LIST,
                    code="NotRegistered",
                    request_id=listing.request_id,
                    cust_space_id=space,
                    phone_number=phone,
                )
            return ReadOutcome(resource_id=None, outputs={})
        deregister = state.get("deregisterOnDelete")
        adopted = state.get("adopted")
        current = _state(
            space,
            phone,
            deregister if isinstance(deregister, bool) else False,
            observed,
            adopted if isinstance(adopted, bool) else False,
        )
        return ReadOutcome(resource_id=current.resource_id, outputs=current.to_wire())

    def look_up(self, cust_space_id: object, phone_number: object) -> dict[str, Any]:
        """A number's registration state, as getPhoneNumber returns it (`lookup_document`);
        one listing, never a write. A number the space does not list is an error."""
        space = validate_cust_space_id(cust_space_id)
        phone = normalize_phone_number(phone_number)
        listing = self._listing(space, phone, self._deadline())
        number = listing.number(phone)
        if number is None:
            raise _not_in_space(listing, space, phone)
        return lookup_document(space, number)

    def registered_numbers(self, cust_space_id: object) -> tuple[list[str], int]:
        """The registered numbers of a space, sorted (one listing), and how many numbers it
        lists that are not registered: what List and `pulumi-cams import-file` offer."""
        space = validate_cust_space_id(cust_space_id)
        listing = self._get_finder().list_space(space, fresh=True, deadline=self._deadline())
        registered = sorted(phone for phone, number in listing.items() if number.registered)
        return registered, len(listing) - len(registered)

    def update(
        self, resource_id: str, olds: dict[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """Apply `deregisterOnDelete`; no API call, every other output kept."""
        outputs = {name: olds.get(name) for name in OUTPUT_PROPERTIES}
        for name in ("custSpaceId", "phoneNumber", "deregisterOnDelete"):
            if name in news and not is_unknown(news[name]):
                outputs[name] = news[name]
        return RegistrationState.from_wire(
            {k: v for k, v in outputs.items() if v is not None}
        ).to_wire()

    def delete(self, resource_id: str, state: dict[str, Any]) -> DeleteOutcome:
        """Deregister when `deregisterOnDelete` is set, confirmed by a read; a number already
        gone is success. Otherwise leave it registered and say so."""
        space, phone = _identity(resource_id, state)
        if state.get("deregisterOnDelete") is not True:
            note = Note(
                "info",
                f"{resource_id} left registered in CAMS because deregisterOnDelete is false; "
                "the resource is only removed from the stack",
            )
            return DeleteOutcome(deregistered=False, notes=(note,))
        if self._claims.claimed(phone):
            note = Note(
                "warning",
                f"{resource_id} was not deregistered: another resource of this deployment has "
                "just registered or adopted the number (a renamed resource, or the number "
                "declared twice), so it stays registered and managed there. To rename a "
                "resource without a delete, give the new one `aliases` with its old name.",
            )
            return DeleteOutcome(deregistered=False, notes=(note,))
        budget = self._deadline()
        try:
            number = self._observe(space, phone, budget)
        except CamsNotFound:
            number = None
        except CamsError as err:
            raise err.advised(_kept_advice(err, "destroy")) from None
        if number is None or not number.registered:
            return DeleteOutcome(deregistered=True)

        client = self._get_client()

        def deregister(deadline: Deadline) -> str:
            try:
                return client.chatapp_phone_number_deregister(space, phone, deadline=deadline)
            except CamsNotFound as gone:
                return gone.request_id or ""

        _, notes = self._confirmed_write().until_seen(
            "ChatappPhoneNumberDeregister", deregister, space, phone, unregistered, budget
        )
        return DeleteOutcome(deregistered=True, notes=tuple(notes))

    # Helpers.

    def _confirmed_write(self) -> ConfirmedWrite:
        return ConfirmedWrite(
            observe=self._observe,
            invalidate=self._get_finder().invalidate,
            settle_timeout=self._settings.settle_timeout,
        )

    def _observe(
        self, space: str, phone: str, deadline: Deadline, *, fresh: bool = True
    ) -> PhoneNumber | None:
        return self._listing(space, phone, deadline, fresh=fresh).number(phone)

    def _listing(
        self, space: str, phone: str, deadline: Deadline, *, fresh: bool = True
    ) -> Listing:
        """The space's numbers as a listing shows them; its failure is about ``phone``."""
        try:
            return self._get_finder().list_space(space, fresh=fresh, deadline=deadline)
        except CamsError as err:
            raise _about(err, phone) from None

    def _deadline(self) -> Deadline:
        return Deadline(self._settings.retry_timeout, clock=self._clock, sleep=self._sleep)

    def _get_client(self) -> CamsClient:
        with self._lock:
            if self._client is None:
                self._client = CamsClient(self._settings, retry_policy=self._retry_policy)
            return self._client

    def _get_finder(self) -> PhoneNumberFinder:
        client = self._get_client()
        with self._lock:
            if self._finder is None:
                self._finder = PhoneNumberFinder(
                    client,
                    share=self._share_listings,
                    min_interval=lambda: _listing_interval(client),
                    clock=self._clock,
                )
            return self._finder


def lookup_document(space: str, number: PhoneNumber) -> dict[str, Any]:
    """What getPhoneNumber returns and `pulumi-cams status --json` prints for a number:
    `resource.FUNCTION_OUTPUTS` by their wire names."""
    document: dict[str, Any] = {"custSpaceId": space}
    document.update(
        (p.wire, getattr(number, p.python))
        for p in FUNCTION_OUTPUTS
        if p.python in PhoneNumber.model_fields
    )
    # ChatappVerifyAndRegister always takes a fresh code; a registered number is adopted
    # without one.
    document.update(registered=number.registered, codeNeeded=not number.registered)
    return document


def _listing_interval(client: CamsClient) -> float:
    """Seconds between a space's listings: paced by the registers this process may send.

    Each create needs a listing before and after its register, and one listing serves every
    create that asked since the last (phone_numbers), so a listing per register keeps the creates
    in flight busy. A process alone lists at its full rate; while adaptive rate control holds
    its registers below ``requestsPerSecond`` (others share the account), it lists at
    `LISTING_SHARE` of them, so that the processes together use 8 of CAMS's 10 listings per
    second and seldom meet in a full second (bench: shared account).
    """
    ceiling = client.settings.requests_per_second
    allowed = client.allowed_rate(VERIFY_AND_REGISTER)
    return 1.0 / (allowed if allowed >= ceiling else LISTING_SHARE * allowed)


def _not_in_space(
    listing: Listing, space: str, phone: str, *, action: str = LIST, but: str = ""
) -> PhoneNumberNotInSpace:
    """The error for a number that ``listing`` of its space does not show; ``action`` is what
    was being done (a listing, unless named), ``but`` what follows for it."""
    source = "" if action == LIST else " (QueryChatappPhoneNumbers)"
    return PhoneNumberNotInSpace(
        f"the space's phone-number list{source} does not contain it{but}",
        action=action,
        code="PhoneNumberNotInSpace",
        request_id=listing.request_id,
        cust_space_id=space,
        phone_number=phone,
    )


def _kept_advice(err: CamsError, operation: str) -> str:
    """What to do when a refresh or destroy cannot read the number: the state is kept."""
    if err.code == "Unknown.ResourceOwnerId":
        return (
            f"If space {err.cust_space_id} was deleted, its registrations went with it: remove "
            "this resource from the stack with `pulumi state delete <urn>` (`pulumi stack "
            "--show-urns` lists them), or point custSpaceId at the space that holds the number "
            "now. The stack is unchanged."
        )
    return f"The stack is unchanged; run `pulumi {operation}` again once this is resolved."


def _inputs(inputs: dict[str, Any]) -> RegistrationInputs:
    try:
        return RegistrationInputs.from_wire(inputs)
    except ValidationError as err:
        first = err.errors(include_input=False)[0]
        name = ".".join(str(part) for part in first["loc"]) or "inputs"
        raise ValueError(f"invalid input {name}: {first['msg']}") from None


def _has_identity(state: dict[str, Any]) -> bool:
    """Whether the state names its space and number (every state but an import's)."""
    return isinstance(state.get("custSpaceId"), str) and state.get("phoneNumber") is not None


def _identity(resource_id: str, state: dict[str, Any]) -> tuple[str, str]:
    """(space, number) from the state, or from the ID when the state lacks them (import)."""
    if _has_identity(state):
        return validate_cust_space_id(state["custSpaceId"]), normalize_phone_number(
            state["phoneNumber"]
        )
    return parse_resource_id(resource_id)


def _state(
    space: str, phone: str, deregister: bool, observed: PhoneNumber, adopted: bool
) -> RegistrationState:
    """The outputs: the identity as the inputs spell it, and what CAMS reports of the number."""
    return RegistrationState(
        **observed.model_dump(exclude={"phone_number"}),
        cust_space_id=space,
        phone_number=phone,
        deregister_on_delete=deregister,
        adopted=adopted,
    )


def _about(err: CamsError, phone: str) -> CamsError:
    """The error with the number it concerns; a copy, since a shared listing's error is
    raised in every thread that waited for it."""
    if err.phone_number:
        return err
    named = copy.copy(err)
    named.phone_number = phone
    named.args = (str(named),)
    return named
