"""The registration resource's data as pydantic models: the inputs and the state.

Pure and offline: nothing here performs I/O. The input rules (phone-number normalisation and the
rest) and `UNKNOWN` live in `validation`, re-exported here, so that `check` and `diff` need not
import pydantic; the models' validators call those same functions rather than restating them.
The wire form of every model is a camelCase dict, the shape Pulumi stores in state and passes to
the providers; Python code uses the snake_case attributes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic.alias_generators import to_camel

from .validation import (
    INPUT_PROPERTIES,
    OUTPUT_PROPERTIES,
    UNKNOWN,
    format_resource_id,
    is_unknown,
    normalize_phone_number,
    parse_resource_id,
    validate_cust_space_id,
    validate_verify_code,
)

__all__ = [
    "INPUT_PROPERTIES",
    "OUTPUT_PROPERTIES",
    "UNKNOWN",
    "RegistrationInputs",
    "RegistrationState",
    "format_resource_id",
    "is_unknown",
    "normalize_phone_number",
    "parse_resource_id",
    "validate_cust_space_id",
    "validate_verify_code",
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
    deregister_on_delete: bool = Field(default=False, strict=True)

    @field_validator("cust_space_id", mode="before")
    @classmethod
    def _space(cls, value: object) -> str:
        return validate_cust_space_id(value)

    @field_validator("phone_number", mode="before")
    @classmethod
    def _phone(cls, value: object) -> str:
        return normalize_phone_number(value)

    @field_validator("verify_code", mode="before")
    @classmethod
    def _code(cls, value: object) -> object:
        return validate_verify_code(value)

    @classmethod
    def from_wire(cls, props: dict[str, Any]) -> RegistrationInputs:
        """Build from a camelCase dict (extra keys such as outputs are ignored)."""
        return cls.model_validate(props)

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


class RegistrationState(_WireModel):
    """The resource's outputs: the inputs without the code, plus what CAMS reports."""

    cust_space_id: str
    phone_number: str
    deregister_on_delete: bool = False
    status: str | None = None
    code_verification_status: str | None = None
    verified_name: str | None = None
    quality_rating: str | None = None
    messaging_limit_tier: str | None = None
    name_status: str | None = None
    adopted: bool = False

    @classmethod
    def from_wire(cls, props: dict[str, Any]) -> RegistrationState:
        """Build from a camelCase dict (extra keys such as ``__provider`` are ignored)."""
        return cls.model_validate(props)

    @property
    def resource_id(self) -> str:
        """``<custSpaceId>/<phoneNumber>``."""
        return format_resource_id(self.cust_space_id, self.phone_number)

    def to_wire(self) -> dict[str, Any]:
        """The camelCase dict of every output (None for what CAMS did not report)."""
        return self.model_dump(by_alias=True)
