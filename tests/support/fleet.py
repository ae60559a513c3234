"""A fleet of new numbers for the real CLI: examples/fleet on numbers of the emulator's seed
(`demo_seed.with_new_numbers`), and what CAMS saw of them."""

from __future__ import annotations

import json
from pathlib import Path

from pulumi_cams_provider.cams.actions import VERIFY_AND_REGISTER

from . import emulator_control as ctl
from .demo_seed import SPACE
from .pulumi_cli import PulumiCli


def python_fleet(
    cli: PulumiCli, venv: Path, phones: list[str], codes: dict[str, str], space: str = SPACE
) -> Path:
    """examples/fleet with a numbers file of ``phones`` in ``space``, and ``codes`` set as its
    README says (`pulumi config set --secret --path 'verifyCodes["<n>"]' <code>`)."""
    project = cli.project("fleet", venv=venv)
    (project / "new.yaml").write_text(
        json.dumps({"numbers": [{"space": space, "phone": phone} for phone in phones]})
    )
    cli.stack_init(project)
    cli.config(project, "numbersFile", "new.yaml")
    for phone, code in codes.items():
        cli.config(project, f'verifyCodes["{phone}"]', code, secret=True, path=True)
    return project


def registers(url: str) -> dict[str, int]:
    """Register calls the emulator at ``url`` saw, by number."""
    counts: dict[str, int] = {}
    for entry in ctl.requests(url):
        if entry["action"] == VERIFY_AND_REGISTER:
            phone = entry["params"]["PhoneNumber"]
            counts[phone] = counts.get(phone, 0) + 1
    return counts
