"""Regenerate the parts of docs/ that the descriptions already say: `make docs`.

Each generated part sits between ``<!-- generated: NAME -->`` and ``<!-- end generated -->`` in
a page whose prose is written by hand; this script rewrites the parts from the one description
of each fact (config.SETTINGS for the settings, resource.PROPERTIES for the resource and the
function, cams.catalogue for the error codes, examples/ for the example in each language). With
``--check`` it changes nothing and exits 1 naming the pages that differ, which the test suite
runs, so a page never drifts from its description.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from pulumi_cams_provider.cams.catalogue import known_codes
from pulumi_cams_provider.cams.errors import CamsError
from pulumi_cams_provider.config import SETTINGS
from pulumi_cams_provider.description import ResourceDescription
from pulumi_cams_provider.phone_number_profile import PROFILE
from pulumi_cams_provider.phone_number_webhook import WEBHOOK
from pulumi_cams_provider.resource import FUNCTION_OUTPUTS, PROPERTIES, Property

DOCS = Path(__file__).resolve().parents[1] / "docs"
_BLOCK = re.compile(r"(<!-- generated: (\S+) -->\n).*?(<!-- end generated -->)", re.S)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def settings_table() -> str:
    rows = [
        "| key | environment (first set wins) | default | secret | what | a valid value |",
        "|---|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = "" if s.default is None else f"`{s.default}`"
        rows.append(
            f"| `cams:{s.key}` | {', '.join(f'`{v}`' for v in s.environment)} | {default} | "
            f"{'yes' if s.secret else ''} | {_cell(s.description)} | {_cell(s.expected)} |"
        )
    return "\n".join(rows) + "\n"


def _properties(selected: list[Property], described: Callable[[Property], str | None]) -> str:
    rows = ["| property | Python | type | |", "|---|---|---|---|"]
    for p in selected:
        flags = [f for f, on in (("required", p.required_input), ("secret", p.secret)) if on]
        kind = ", ".join([p.type, *flags])
        rows.append(f"| `{p.wire}` | `{p.python}` | {kind} | {_cell(described(p) or '')} |")
    return "\n".join(rows) + "\n"


def resource_inputs() -> str:
    return _properties([p for p in PROPERTIES if p.is_input], lambda p: p.input_description)


def resource_outputs() -> str:
    outputs = [p for p in PROPERTIES if p.is_output and not p.is_input]
    return _properties(outputs, lambda p: p.output_description)


def function_arguments() -> str:
    arguments = [p for p in PROPERTIES if p.required_input]
    return _properties(arguments, lambda p: p.input_description)


def function_result() -> str:
    return _properties(list(FUNCTION_OUTPUTS), lambda p: p.output_description)


def error_codes() -> str:
    rows = ["| code | kind | what to do |", "|---|---|---|"]
    for code, kind, remedy in known_codes():
        sample = (kind or CamsError)(
            "", action="<Action>", code=code, cust_space_id="<space>", phone_number="<number>"
        )
        what = remedy(sample) or ""
        meaning = (
            (kind.__doc__ or "").split("\n\n")[0]
            if kind
            else (
                "transient or unanswered: retried for a read; for a write the outcome is unknown, "
                "and the number is read again before anything else is sent"
            )
        )
        rows.append(f"| `{code}` | {_cell(meaning)} | {_cell(what)} |")
    return "\n".join(rows) + "\n"


_EXAMPLES = (
    ("Python", "python", "quickstart/__main__.py"),
    ("YAML", "yaml", "yaml/Pulumi.yaml"),
    ("TypeScript", "typescript", "typescript/index.ts"),
    ("Go", "go", "go/main.go"),
)


def examples() -> str:
    """The resource in each language, as examples/ has it (`make e2e` runs each one)."""
    root = DOCS.parent / "examples"
    parts = []
    for language, fence, path in _EXAMPLES:
        code = (root / path).read_text().rstrip()
        parts.append(
            f"{language} ([examples/{path}](../examples/{path})):\n\n```{fence}\n{code}\n```\n"
        )
    return "\n".join(parts)


def configuration_inputs(resource: ResourceDescription) -> Callable[[], str]:
    """A profile's or webhook's inputs, with each one's limits in words."""

    def table() -> str:
        inputs = [p for p in resource.properties if p.is_input]
        return _properties(inputs, lambda p: p.documented_input)

    return table


PARTS: dict[str, Callable[[], str]] = {
    "profile-inputs": configuration_inputs(PROFILE),
    "webhook-inputs": configuration_inputs(WEBHOOK),
    "examples": examples,
    "settings": settings_table,
    "resource-inputs": resource_inputs,
    "resource-outputs": resource_outputs,
    "function-arguments": function_arguments,
    "function-result": function_result,
    "error-codes": error_codes,
}


def regenerate(text: str) -> str:
    """``text`` with each generated part written anew."""
    return _BLOCK.sub(lambda m: m.group(1) + PARTS[m.group(2)]() + m.group(3), text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for page in sorted(DOCS.glob("**/*.md")):
        text = page.read_text()
        fresh = regenerate(text)
        if fresh != text:
            stale.append(page.relative_to(DOCS.parent))
            if not check:
                page.write_text(fresh)
    if check and stale:
        print(f"stale: {', '.join(map(str, stale))}: run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
