"""The registration resource's data: the inputs as a pydantic model, the state and the
getPhoneNumber document as wire dicts built from `resource.PROPERTIES`.

Pure and offline: nothing here performs I/O. The input rules (phone-number normalisation and the
rest) run once per operation, in `checks.check_inputs` (standard library only, so that check and
diff need not import pydantic); the model holds what they returned. The wire form is a camelCase
dict, the shape Pulumi stores in state and passes to the providers.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr
from pydantic.alias_generators import to_camel

from ..cams.errors import InvalidInput
from ..cams.phone_number_list import PhoneNumber
from ..resource import FUNCTION_OUTPUTS, OUTPUT_PROPERTIES
from .checks import check_inputs
from .validation import (
    format_resource_id,
    is_unknown,
    normalize_phone_number,
    parse_resource_id,
    validate_cust_space_id,
)

__all__ = [
    "RegistrationInputs",
    "has_identity",
    "identity",
    "lookup_document",
    "state",
    "updated_state",
]


class _WireModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        extra="ignore",
    )


class RegistrationInputs(_WireModel):
    """The resource's inputs after normalisation."""

    cust_space_id: str
    phone_number: str
    verify_code: SecretStr | None = None
    deregister_on_delete: bool = False

    @property
    def resource_id(self) -> str:
        """``<custSpaceId>/<phoneNumber>``."""
        return format_resource_id(self.cust_space_id, self.phone_number)

    def to_wire(self) -> dict[str, Any]:
        """The camelCase dict, with the code revealed (it is an input: the engine keeps it
        secret because the user's program marked it so)."""
        wire: dict[str, Any] = {
            "custSpaceId": self.cust_space_id,
            "phoneNumber": self.phone_number,
            "deregisterOnDelete": self.deregister_on_delete,
        }
        if self.verify_code is not None:
            wire["verifyCode"] = self.verify_code.get_secret_value()
        return wire

    @classmethod
    def checked(cls, props: dict[str, Any]) -> RegistrationInputs:
        """The inputs of a camelCase dict, normalised by the input rules (`check_inputs`, once),
        a refusal said in one line naming the input."""
        outcome = check_inputs(props)
        if outcome.failures:
            first = outcome.failures[0]
            raise InvalidInput(f"invalid input {first.property}: {first.reason}")
        inputs = outcome.inputs
        code = inputs.get("verifyCode")
        return cls.model_construct(
            cust_space_id=inputs["custSpaceId"],
            phone_number=inputs["phoneNumber"],
            verify_code=None if code is None else SecretStr(code),
            deregister_on_delete=inputs.get("deregisterOnDelete", False),
        )


def state(
    space: str, phone: str, deregister: bool, observed: PhoneNumber, adopted: bool
) -> dict[str, Any]:
    """The outputs by wire name: the identity as the inputs spell it, the resource's own
    flags, and what CAMS reports of the number (None for what it did not)."""
    values: dict[str, Any] = {
        **observed.reported,
        "custSpaceId": space,
        "phoneNumber": phone,
        "deregisterOnDelete": deregister,
        "adopted": adopted,
    }
    return {name: values.get(name) for name in OUTPUT_PROPERTIES}


def updated_state(olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """The outputs after an update: ``olds`` with the new identity and `deregisterOnDelete`
    (check has normalised them), everything CAMS reported kept."""
    outputs = {name: olds.get(name) for name in OUTPUT_PROPERTIES}
    for name in ("custSpaceId", "phoneNumber", "deregisterOnDelete"):
        if name in news and not is_unknown(news[name]):
            outputs[name] = news[name]
    outputs["custSpaceId"] = validate_cust_space_id(outputs["custSpaceId"])
    outputs["phoneNumber"] = normalize_phone_number(outputs["phoneNumber"])
    outputs["deregisterOnDelete"] = outputs["deregisterOnDelete"] is True
    outputs["adopted"] = outputs["adopted"] is True
    return outputs


def has_identity(props: dict[str, Any]) -> bool:
    """Whether a state names its space and number (every state but an import's)."""
    return isinstance(props.get("custSpaceId"), str) and props.get("phoneNumber") is not None


def identity(resource_id: str, props: dict[str, Any]) -> tuple[str, str]:
    """(space, number) from a state, or from the ID when the state lacks them (import)."""
    if has_identity(props):
        return (
            validate_cust_space_id(props["custSpaceId"]),
            normalize_phone_number(props["phoneNumber"]),
        )
    return parse_resource_id(resource_id)


def lookup_document(
    space: str, number: PhoneNumber, health: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What getPhoneNumber returns and `pulumi-cams status --json` prints for a number:
    `resource.FUNCTION_OUTPUTS` by their wire names (the health, when read, by `health`)."""
    values: dict[str, Any] = {
        **(health or {}),
        **number.reported,
        "custSpaceId": space,
        "phoneNumber": number.phone_number,
        # ChatappVerifyAndRegister always takes a fresh code; a registered number is adopted
        # without one.
        "registered": number.registered,
        "codeNeeded": not number.registered,
    }
    return {p.wire: values.get(p.wire) for p in FUNCTION_OUTPUTS}
