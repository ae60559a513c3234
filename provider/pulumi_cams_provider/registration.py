"""The PhoneNumberRegistration controller: the resource's lifecycle, free of any framework.

Both Pulumi adapters (the dynamic provider and the native plugin) translate their requests into
calls on `RegistrationController` with camelCase dicts, and its results back. Unknown values
arrive as `models.UNKNOWN`. Lifecycle (DESIGN.md, "The resource's lifecycle"):

- check: offline validation, one failure per bad property, each saying what to change;
- diff: a new space or number replaces (delete first when only the space changes, since one
  number cannot sit in two spaces); deregisterOnDelete updates in place; verifyCode never diffs;
- create: observe before acting, since ChatappVerifyAndRegister has no idempotency token; adopt
  a number that is already registered; otherwise register once, and after an ambiguous failure
  observe again before deciding to retry;
- read: the live state; a number no longer registered is gone;
- update: no API call;
- delete: deregister only when asked to (Meta allows 10 register/deregister calls per number per
  72 hours); already gone is success.
"""

from __future__ import annotations

import copy
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .checks import CheckFailure, CheckOutcome, DiffOutcome, check_inputs, diff_inputs
from .client import CamsClient, PhoneNumber
from .errors import CamsAmbiguous, CamsError, CamsInvalidRequest, CamsNotFound
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
from .phone_numbers import PhoneNumberFinder
from .retry import RetryPolicy
from .settings import ProviderSettings

__all__ = [
    "CheckFailure",
    "CheckOutcome",
    "CreateOutcome",
    "DiffOutcome",
    "MissingVerifyCode",
    "PhoneNumberNotInSpace",
    "ReadOutcome",
    "RegistrationController",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CreateOutcome:
    """The new resource's ID and outputs; `adopted` when it was registered already."""

    resource_id: str
    outputs: dict[str, Any]
    adopted: bool


@dataclass(frozen=True)
class ReadOutcome:
    """The live outputs, or `resource_id` None when the registration is gone."""

    resource_id: str | None
    outputs: dict[str, Any]


class PhoneNumberNotInSpace(CamsNotFound):
    """Create found that the space does not list the number at all."""

    @property
    def remediation(self) -> str:
        """How to bind the number."""
        return (
            f"Add the number to the WhatsApp Business Account (WABA) bound to space "
            f"{self.cust_space_id} first (CAMS console, or ChatappSyncPhoneNumber after adding "
            "it in Meta), then run `pulumi up` again."
        )


class MissingVerifyCode(CamsInvalidRequest):
    """Create needs a verification code for a number that is not registered yet."""

    @property
    def remediation(self) -> str:
        """How to get and pass a code."""
        return (
            "Request a code with `pulumi-cams request-code --space "
            f"{self.cust_space_id} --phone {self.phone_number}`, store it with "
            "`pulumi config set --secret <key> <code>`, pass it as the verifyCode input "
            "(verify_code in Python), and run `pulumi up` again."
        )


class RegistrationController:
    """Runs the PhoneNumberRegistration lifecycle against CAMS; thread-safe.

    The client is built on first use, so `check` and `diff` never touch the SDK or the network.
    `share_listings=False` gives every observation its own QueryChatappPhoneNumbers call (the
    benchmark's naive baseline); `retry_policy` bounds the client's retries of throttling and
    transient failures and `operation_timeout` create's and delete's re-observation loop after
    ambiguous failures; both default to the settings' `retry_timeout`.
    """

    def __init__(
        self,
        settings: ProviderSettings,
        client: CamsClient | None = None,
        *,
        share_listings: bool = True,
        retry_policy: RetryPolicy | None = None,
        operation_timeout: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._client = client
        self._finder: PhoneNumberFinder | None = None
        self._share_listings = share_listings
        self._retry_policy = retry_policy
        self._operation_timeout = (
            settings.retry_timeout if operation_timeout is None else operation_timeout
        )
        self._sleep = sleep
        self._lock = threading.Lock()

    # Lifecycle, in the order the engine meets it.

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckOutcome:
        """Normalise and validate the inputs; never touches the network."""
        return check_inputs(news)

    def diff(self, resource_id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
        """Compare the prior state with checked inputs; `verifyCode` never counts."""
        return diff_inputs(olds, news)

    def preview_create(self, inputs: dict[str, Any]) -> dict[str, Any]:
        """The outputs a create would report, as far as checked inputs tell; no API call, so
        everything CAMS reports is `UNKNOWN`."""
        return {
            name: inputs.get(name, UNKNOWN) if name in INPUT_PROPERTIES else UNKNOWN
            for name in OUTPUT_PROPERTIES
        }

    def create(self, inputs: dict[str, Any]) -> CreateOutcome:
        """Register the number (or adopt it) and return once the outcome is known."""
        wanted = _inputs(inputs)
        space, phone = wanted.cust_space_id, wanted.phone_number
        observed = self._observe(space, phone, fresh=True)
        if observed is None:
            raise PhoneNumberNotInSpace(
                "the space's phone-number list (QueryChatappPhoneNumbers) does not contain it",
                action="ChatappVerifyAndRegister",
                code="PhoneNumberNotInSpace",
                cust_space_id=space,
                phone_number=phone,
            )
        adopted = observed.registered
        if adopted:
            log.info("adopting %s in %s: already registered (%s)", phone, space, observed.status)
        else:
            if wanted.verify_code is None:
                raise MissingVerifyCode(
                    f"the number is not registered yet (status {observed.status}) and no "
                    "verifyCode was given",
                    action="ChatappVerifyAndRegister",
                    code="MissingVerifyCode",
                    cust_space_id=space,
                    phone_number=phone,
                )
            code = wanted.verify_code.get_secret_value()
            self._act_until_known(
                lambda: self._get_client().chatapp_verify_and_register(space, phone, code),
                space,
                phone,
                done=lambda number: number is not None and number.registered,
            )
            observed = self._confirm_registered(space, phone, observed)
        state = _state(wanted.cust_space_id, phone, wanted.deregister_on_delete, observed, adopted)
        return CreateOutcome(
            resource_id=state.resource_id, outputs=state.to_wire(), adopted=adopted
        )

    def read(self, resource_id: str, state: dict[str, Any]) -> ReadOutcome:
        """The live registration; `resource_id` None when it is no longer registered."""
        space, phone = _identity(resource_id, state)
        try:
            observed = self._observe(space, phone, fresh=False)
        except CamsNotFound:
            return ReadOutcome(resource_id=None, outputs={})
        if observed is None or not observed.registered:
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

    def delete(self, resource_id: str, state: dict[str, Any]) -> bool:
        """Deregister when `deregisterOnDelete` is set; a number already gone is success.

        Returns False when the number was left registered because `deregisterOnDelete` is not
        set (the adapters tell the user), True when it is deregistered or was gone already.
        """
        space, phone = _identity(resource_id, state)
        if state.get("deregisterOnDelete") is not True:
            log.info("leaving %s registered in %s (deregisterOnDelete is false)", phone, space)
            return False

        def still_registered() -> bool:
            try:
                number = self._observe(space, phone, fresh=True)
            except CamsNotFound:
                return False
            return number is not None and number.registered

        if not still_registered():
            return True

        def deregister() -> None:
            try:
                self._get_client().chatapp_phone_number_deregister(space, phone)
            except CamsNotFound:
                pass

        self._act_until_known(
            deregister,
            space,
            phone,
            done=lambda number: number is None or not number.registered,
        )
        return True

    # Helpers.

    def _act_until_known(
        self,
        act: Callable[[], object],
        space: str,
        phone: str,
        *,
        done: Callable[[PhoneNumber | None], bool],
    ) -> None:
        """Call a mutating action; after an ambiguous failure, observe and retry if not done.

        Bounded by `operation_timeout`; definite errors are raised as they are.
        """
        finder = self._get_finder()
        policy = RetryPolicy(deadline=self._operation_timeout)
        deadline = time.monotonic() + self._operation_timeout
        retry = 0
        while True:
            try:
                act()
            except CamsAmbiguous as err:
                finder.invalidate(space)
                try:
                    number = finder.find(space, phone, fresh=True)
                except CamsNotFound:
                    number = None
                except CamsError:
                    raise err from None
                if done(number):
                    return
                pause = policy.delay(retry, random.uniform)
                if time.monotonic() + pause > deadline:
                    raise err from None
                self._sleep(pause)
                retry += 1
            else:
                finder.invalidate(space)
                return

    def _confirm_registered(self, space: str, phone: str, before: PhoneNumber) -> PhoneNumber:
        """The number's live state once CAMS has registered it.

        The registration is a fact by now (CAMS said OK, or an observation showed it): if the
        confirming listing fails, raising would leave a registered number out of the state, and
        the next `pulumi up` would adopt it as if someone else had registered it. So report what
        registering means (CONNECTED, VERIFIED) over what we saw before; refresh fills in the rest.
        """
        try:
            observed = self._observe(space, phone, fresh=True)
        except CamsError as err:
            log.warning("registered %s in %s, but could not read it back: %s", phone, space, err)
            observed = None
        if observed is not None and observed.registered:
            return observed
        return before.model_copy(
            update={"status": "CONNECTED", "code_verification_status": "VERIFIED"}
        )

    def _observe(self, space: str, phone: str, *, fresh: bool) -> PhoneNumber | None:
        try:
            return self._get_finder().find(space, phone, fresh=fresh)
        except CamsError as err:
            raise _about(err, phone) from None

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
                    # Paced at the rate limit, each listing serves every create that asked
                    # since the last one (see phone_numbers).
                    min_interval=1.0 / self._settings.requests_per_second,
                )
            return self._finder


def _inputs(inputs: dict[str, Any]) -> RegistrationInputs:
    try:
        return RegistrationInputs.from_wire(inputs)
    except ValidationError as err:
        first = err.errors(include_input=False)[0]
        name = ".".join(str(part) for part in first["loc"]) or "inputs"
        raise ValueError(f"invalid input {name}: {first['msg']}") from None


def _identity(resource_id: str, state: dict[str, Any]) -> tuple[str, str]:
    """(space, number) from the state, or from the ID when the state lacks them (import)."""
    space, phone = state.get("custSpaceId"), state.get("phoneNumber")
    if isinstance(space, str) and phone is not None:
        return validate_cust_space_id(space), normalize_phone_number(phone)
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
