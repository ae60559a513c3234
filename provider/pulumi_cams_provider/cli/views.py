"""How the ``pulumi-cams`` commands show what they found: a number, a space, the config lines.

A number's columns are the resource's outputs that CAMS reports, named as the stack's outputs
name them (resource.REPORTED), so that `status` and `pulumi stack output` agree.
"""

from __future__ import annotations

from typing import Any

from ..controller.configuration_checks import managed
from ..resource import FUNCTION_OUTPUTS, REPORTED
from ..resources import CONFIGURATIONS

__all__ = ["config_line", "space_table", "status_table"]


def config_line(phone: str, key: str | None, *, several: bool) -> str:
    """The `pulumi config set` line that stores ``phone``'s code: one key for a lone number
    (the quickstart's ``verifyCode``), a path by number for several (examples/fleet's)."""
    if not several and key is None:
        return "pulumi config set --secret verifyCode <code>"
    if not several:
        return f"pulumi config set --secret {key} <code>"
    return f"pulumi config set --secret --path '{key or 'verifyCodes'}[\"{phone}\"]' <code>"


_HEALTH = tuple(p for p in FUNCTION_OUTPUTS if p.wire in ("canSendMessage", "sendingAdvice"))


def status_table(number: dict[str, Any]) -> str:
    """A number's registration, health, profile and webhook, one row each (the profile's and
    webhook's rows are those of their descriptions that CAMS reads back)."""
    space, phone = number["custSpaceId"], number["phoneNumber"]
    if number["registered"]:
        next_step = "none: registered; pulumi up adopts it without a code"
    else:
        next_step = f"request a code: pulumi-cams request-code --space {space} --phone {phone}"
    rows = [
        ("Space", space),
        ("Phone number", phone),
        *((_label(p.python), number.get(p.wire)) for p in REPORTED),
        ("Registered", "yes" if number["registered"] else "no"),
        *((_label(p.python), number.get(p.wire)) for p in _HEALTH),
        *(
            (f"{resource.short.capitalize()}: {_label(p.python).lower()}", _cell(v))
            for resource in CONFIGURATIONS
            for p in managed(resource)
            if p.read_back
            for v in [number.get(resource.short, {}).get(p.wire)]
        ),
        ("Next step", next_step),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value or '-'}" for label, value in rows)


def space_table(numbers: list[dict[str, Any]]) -> str:
    """One row per number; a last line counts what needs a code."""
    header = ["Phone number", *(_label(p.python) for p in REPORTED), "Registered"]
    rows = [
        [
            n["phoneNumber"],
            *(str(n.get(p.wire) or "-") for p in REPORTED),
            "yes" if n["registered"] else "no",
        ]
        for n in numbers
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    waiting = [n for n in numbers if n["codeNeeded"]]
    summary = f"{len(numbers)} numbers, {len(waiting)} not registered"
    if waiting:
        space = waiting[0]["custSpaceId"]
        summary += f": `pulumi-cams request-code --space {space} --pending` asks a code for each"
    lines.append(summary)
    return "\n".join(lines)


def _label(python_name: str) -> str:
    return python_name.replace("_", " ").capitalize()


def _cell(value: Any) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value) or None
    return value if value is None else str(value)
