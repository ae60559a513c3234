"""How a resource of the package is described, once: its properties and what each promises.

Each resource is one `ResourceDescription` (`resource` for PhoneNumberRegistration,
`phone_number_profile`, `phone_number_webhook`; `resources` lists them). Everything else reads
it: the input rules, both front doors, the Python SDK's name maps, the CLI's columns, the docs
and the package schema. Standard library only, so a fresh provider process answers preview fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

__all__ = ["PACKAGE", "Limits", "Property", "ResourceDescription", "number_identity"]

PACKAGE: Final = "cams"


@dataclass(frozen=True)
class Limits:
    """What a valid value of an input is, beyond its type: checked at preview (no call) and
    said in the docs and the schema from here."""

    min_length: int | None = None
    max_length: int | None = None
    max_items: int | None = None
    choices: tuple[str, ...] = ()
    form: str | None = None
    """``email`` or ``url`` (an absolute ``http(s)`` URL)."""

    def sentence(self) -> str:
        """The limits in words, for a description or a refusal."""
        parts = []
        each = "each " if self.max_items is not None else ""
        if self.max_items is not None:
            parts.append(f"at most {self.max_items} items")
        if self.form == "url":
            parts.append(f"{each}an absolute `http://` or `https://` URL")
        if self.form == "email":
            parts.append("a valid email address")
        if self.max_length is not None:
            low = self.min_length or 0
            count = f"{low} to {self.max_length}" if low else f"at most {self.max_length}"
            parts.append(f"{each}{count} characters")
        if self.choices:
            parts.append(f"one of {', '.join(self.choices)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Property:
    """One property of a resource: an input, an output, or both."""

    wire: str
    """The camelCase name in state, the schema and the providers' dicts."""
    python: str
    """The snake_case name in the Python SDK."""
    type: str
    """The schema type: ``string``, ``boolean``, or ``array`` (of strings)."""
    input_description: str | None
    """Set for inputs: what the program passes."""
    output_description: str | None
    """Set for outputs: what the state holds."""
    required_input: bool = False
    required_output: bool = False
    secret: bool = False
    replaces: bool = False
    default: Any = None
    reported: bool = False
    """CAMS reports it: a listing's ``PhoneNumbers[]`` carries it under `listed_as`."""
    cams_name: str | None = None
    """The CAMS parameter or field that carries it, when not the PascalCase of ``wire``."""
    limits: Limits | None = None
    read_back: bool = True
    """False when what CAMS reads back is not what was set (the profile picture, which WhatsApp
    serves from its own CDN): refresh keeps the value set and never shows it as drift."""

    @property
    def listed_as(self) -> str:
        """The CAMS name that carries it: a parameter, or a field of an answer."""
        return self.cams_name or self.wire[0].upper() + self.wire[1:]

    @property
    def is_input(self) -> bool:
        return self.input_description is not None

    @property
    def is_output(self) -> bool:
        return self.output_description is not None

    @property
    def documented_input(self) -> str:
        """The input's description with its limits in words."""
        text = self.input_description or ""
        if self.limits is None:
            return text
        return f"{text} {self.limits.sentence()[:1].upper()}{self.limits.sentence()[1:]}."


@dataclass(frozen=True)
class ResourceDescription:
    """A resource: its name, what it does, its properties. Its token and the Python SDK's
    dynamic type follow from the name (DESIGN.md fixes both)."""

    name: str
    description: str
    properties: tuple[Property, ...]

    @property
    def token(self) -> str:
        return f"{PACKAGE}:index:{self.name}"

    @property
    def dynamic_type(self) -> str:
        """The same resource as the Python SDK's dynamic resource declares it."""
        return f"pulumi-python:dynamic/{PACKAGE}:{self.name}"

    @property
    def short(self) -> str:
        """What it is of the number, in one word (``profile``): names, flags and columns."""
        return self.name.removeprefix("PhoneNumber").lower()

    @property
    def inputs(self) -> tuple[str, ...]:
        """Wire names of the inputs, in the order a user meets them."""
        return tuple(p.wire for p in self.properties if p.is_input)

    @property
    def outputs(self) -> tuple[str, ...]:
        """Wire names of the outputs (the state)."""
        return tuple(p.wire for p in self.properties if p.is_output)

    @property
    def secret_inputs(self) -> frozenset[str]:
        return frozenset(p.wire for p in self.properties if p.secret)

    @property
    def replacing_inputs(self) -> tuple[str, ...]:
        return tuple(p.wire for p in self.properties if p.replaces)

    def property(self, wire: str) -> Property:
        return next(p for p in self.properties if p.wire == wire)


def number_identity(subject: str) -> tuple[Property, Property]:
    """``custSpaceId`` and ``phoneNumber`` of a resource about one number's ``subject`` (its
    business profile, its webhook): the ID is ``<custSpaceId>/<phoneNumber>``."""
    return (
        Property(
            wire="custSpaceId",
            python="cust_space_id",
            type="string",
            input_description=(
                f"ID of the CAMS space (channel) that holds the number whose {subject} this is. "
                "Changing it replaces the resource."
            ),
            output_description="ID of the CAMS space that holds the number.",
            required_input=True,
            required_output=True,
            replaces=True,
        ),
        Property(
            wire="phoneNumber",
            python="phone_number",
            type="string",
            input_description=(
                "The phone number with its country code, for example `8613800001234` (`+86 "
                "138-0000-1234` is accepted and stored as digits). Pass the registration's "
                "`phoneNumber` output, so that the number is registered first. Changing it "
                "replaces the resource."
            ),
            output_description="The phone number with its country code, as digits.",
            required_input=True,
            required_output=True,
            replaces=True,
        ),
    )
