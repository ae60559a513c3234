"""What brings a console-managed space under management: its registered numbers (and, when
asked, their profiles and webhooks) as the
document `pulumi import --file` takes (native route), or as Python declarations that `pulumi up`
adopts without a register call (dynamic route, where `pulumi import` does not work:
pulumi/pulumi#16175). `pulumi-cams import-file` writes them; the native plugin's List names
resources the same way (`registration_name`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..resource import REGISTRATION
from ..resources import CONFIGURATIONS, RESOURCES
from .validation import format_resource_id

__all__ = [
    "Registered",
    "import_json",
    "python_declarations",
    "registration_name",
]


def registration_name(space: str, phone: str, resource: str = REGISTRATION.name) -> str:
    """The resource name of a registered number's ``resource`` (its registration, profile or
    webhook): stable across runs, unique across spaces and resources."""
    described = next(r for r in RESOURCES if r.name == resource)
    suffix = "" if described is REGISTRATION else f"-{described.short}"
    return f"{space}-{phone}{suffix}"


@dataclass(frozen=True)
class Registered:
    """One registered number of a space, and what CAMS holds of its configuration when asked
    for (by resource, `short` name, then wire names)."""

    space: str
    phone: str
    held: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return registration_name(self.space, self.phone)

    @property
    def resource_id(self) -> str:
        return format_resource_id(self.space, self.phone)


def import_json(registered: Iterable[Registered], also: Iterable[str] = ()) -> str:
    """The document `pulumi import --file` takes (`resources`: type, name, id): each number's
    registration, and its resources named in ``also`` (``PhoneNumberProfile``...)."""
    kinds = [REGISTRATION, *(r for r in CONFIGURATIONS if r.name in set(also))]
    resources = [
        {
            "type": kind.token,
            "name": registration_name(r.space, r.phone, kind.name),
            "id": r.resource_id,
        }
        for r in registered
        for kind in kinds
    ]
    return json.dumps({"resources": resources}, indent=2) + "\n"


def python_declarations(registered: Iterable[Registered], also: Iterable[str] = ()) -> str:
    """A Python program's declarations of the numbers: `pulumi up` adopts each one without
    a code and without a register call; and of the resources named in ``also``, with the
    fields CAMS holds (`Registered.held`)."""
    kinds = [REGISTRATION, *(r for r in CONFIGURATIONS if r.name in set(also))]
    lines = [
        '"""Registered numbers brought under management (pulumi-cams import-file)."""',
        "",
        f"from pulumi_cams import {', '.join(r.name for r in kinds)}",
        "",
    ]
    for r in registered:
        lines += [
            "PhoneNumberRegistration(",
            f"    {json.dumps(r.name)},",
            f"    cust_space_id={json.dumps(r.space)},",
            f"    phone_number={json.dumps(r.phone)},",
            ")",
        ]
        for kind in kinds[1:]:
            fields = {k: v for k, v in r.held.get(kind.short, {}).items() if v is not None}
            if not fields:  # it would manage nothing
                continue
            lines += [
                f"{kind.name}(",
                f"    {json.dumps(registration_name(r.space, r.phone, kind.name))},",
                f"    cust_space_id={json.dumps(r.space)},",
                f"    phone_number={json.dumps(r.phone)},",
                *(f"    {kind.property(k).python}={json.dumps(v)}," for k, v in fields.items()),
                ")",
            ]
    return "\n".join(lines) + "\n"
