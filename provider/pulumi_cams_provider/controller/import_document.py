"""What brings a console-managed space under management: its registered numbers as the
document `pulumi import --file` takes (native route), or as Python declarations that `pulumi up`
adopts without a register call (dynamic route, where `pulumi import` does not work:
pulumi/pulumi#16175). `pulumi-cams import-file` writes them; the native plugin's List names
resources the same way (`registration_name`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ..resource import RESOURCE_TYPE
from .validation import format_resource_id

__all__ = [
    "Registered",
    "import_json",
    "python_declarations",
    "registration_name",
]


def registration_name(space: str, phone: str) -> str:
    """The resource name of a registered number: stable across runs, unique across spaces."""
    return f"{space}-{phone}"


@dataclass(frozen=True)
class Registered:
    """One registered number of a space."""

    space: str
    phone: str

    @property
    def name(self) -> str:
        return registration_name(self.space, self.phone)

    @property
    def resource_id(self) -> str:
        return format_resource_id(self.space, self.phone)


def import_json(registered: Iterable[Registered]) -> str:
    """The document `pulumi import --file` takes (`resources`: type, name, id)."""
    resources = [{"type": RESOURCE_TYPE, "name": r.name, "id": r.resource_id} for r in registered]
    return json.dumps({"resources": resources}, indent=2) + "\n"


def python_declarations(registered: Iterable[Registered]) -> str:
    """A Python program's declarations of the numbers: `pulumi up` adopts each one without
    a code and without a register call."""
    lines = [
        '"""Registered numbers brought under management (pulumi-cams import-file)."""',
        "",
        "from pulumi_cams import PhoneNumberRegistration",
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
    return "\n".join(lines) + "\n"
