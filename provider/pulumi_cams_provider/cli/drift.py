"""`pulumi-cams drift`: does every registration a stack manages still hold, and does CAMS
still hold each profile and webhook as the stack does?

Reads `pulumi stack export --show-secrets` (the registrations, and the settings the stack's
provider was configured with), lists each space once, and names each lost number with what
CAMS says of it and the remedy for that cause (`controller.drift`). An error about the account
(credentials, endpoint, permissions) is one line for the whole stack.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from ..config import SETTINGS
from ..controller.drift import check_configuration_drift, check_drift
from ..resource import DYNAMIC_RESOURCE_TYPE, PACKAGE, RESOURCE_TYPE
from ..resources import CONFIGURATIONS
from .options import connection_options, controller

__all__ = ["EXIT_DRIFT", "drift"]

EXIT_DRIFT = 3
"""A registration is lost, or a space could not be read; 1 is an error that kept the check from
reading anything (said once), 2 bad input."""

_SETTING_KEYS = frozenset(s.key for s in SETTINGS)


@click.command("drift")
@click.option(
    "--state",
    "state_file",
    type=click.File("r"),
    default="-",
    show_default=True,
    help="A stack's `pulumi stack export --show-secrets` document (- reads stdin): its "
    "registrations, and the cams settings its provider was configured with.",
)
@connection_options
def drift(
    state_file: TextIO, endpoint: str | None, region: str | None, profile: str | None
) -> None:
    """Check that every registration a stack manages still holds, naming each lost number
    and what CAMS says of it; one listing per space, nothing written."""
    try:
        deployment = json.load(state_file)["deployment"]
    except (ValueError, KeyError, TypeError):
        raise click.BadParameter(
            "expected the JSON of `pulumi stack export`", param_hint="'--state'"
        ) from None
    registrations = [
        (r["outputs"]["custSpaceId"], r["outputs"]["phoneNumber"])
        for r in deployment.get("resources") or []
        if r.get("type") in (RESOURCE_TYPE, DYNAMIC_RESOURCE_TYPE) and r.get("outputs")
    ]
    configured = [
        (resource.token, {name: _plain(value) for name, value in r["outputs"].items()})
        for r in deployment.get("resources") or []
        for resource in CONFIGURATIONS
        if r.get("type") in (resource.token, resource.dynamic_type) and r.get("outputs")
    ]
    stack_config = _settings_in_state(deployment)
    cams = controller(endpoint, region, profile, stack_config)
    findings = check_drift(cams, registrations) + check_configuration_drift(cams, configured)
    for finding in findings:
        click.echo(f"{finding.kind}: {finding.text}", err=finding.kind != "note")
    failed = [f for f in findings if f.kind != "note"]
    spaces = len({space for space, _ in registrations})
    click.echo(
        f"drift: {len(registrations)} registration(s) and {len(configured)} profile(s) or "
        f"webhook(s) in {spaces} space(s): "
        + (f"{len(failed)} lost, changed or unreadable (above)" if failed else "every one holds")
    )
    if failed:
        sys.exit(EXIT_DRIFT)


def _settings_in_state(deployment: dict[str, Any]) -> dict[str, str]:
    """The `cams:` settings a stack's providers were configured with, as `pulumi stack export`
    shows their inputs (the native provider's by bare name, the Python route's as the whole
    stack config). With `--show-secrets` a secret is an object whose ``plaintext`` is its value
    as JSON; without it, it is ciphertext, and the setting is left to the environment."""
    found: dict[str, str] = {}
    for resource in deployment.get("resources") or []:
        kind = resource.get("type", "")
        if kind not in (f"pulumi:providers:{PACKAGE}", "pulumi:providers:pulumi-python"):
            continue
        for key, value in (resource.get("inputs") or {}).items():
            name = key if key.startswith(f"{PACKAGE}:") else f"{PACKAGE}:{key}"
            value = _plain(value)
            if isinstance(value, str) and name.removeprefix(f"{PACKAGE}:") in _SETTING_KEYS:
                found[name] = value
    return found


def _plain(value: Any) -> Any:
    """A value of `pulumi stack export --show-secrets`: a secret is an object whose
    ``plaintext`` is its value as JSON."""
    if isinstance(value, dict) and isinstance(value.get("plaintext"), str):
        return json.loads(value["plaintext"])
    return value
