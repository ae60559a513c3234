"""A fleet whose codes have not all arrived, under the real CLI on Pulumi's hosts.

On the native route a create that waits for a code answers with Pulumi's await result: the
engine writes no state for it, goes on with every other resource, and `pulumi up` exits 10
(ExitAwaitError). The next `pulumi up`, with the codes set, registers exactly the numbers that
were waiting. On the dynamic route the host reports every error alike (no await result), so
the same fleet fails its `pulumi up`; `--continue-on-error` lets the others go on."""

from __future__ import annotations

import json
from pathlib import Path

from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams.actions import VERIFY_AND_REGISTER
from pulumi_cams_provider.resource import RESOURCE_TYPE

from tests.support import emulator_control as ctl
from tests.support.demo_seed import SPACE, with_new_numbers
from tests.support.pulumi_cli import PulumiCli, resources_of

EXIT_AWAIT = 10
"""`pulumi` exits so when awaits were the deployment's only failures (v3.276 exit_codes.go)."""


def fleet_program(cli: PulumiCli, phones: list[str]) -> Path:
    """A YAML program declaring one registration per number, each code from its own config
    key `code<i>`, set with --secret (unset: its default, an empty string, which is no code;
    the YAML host refuses a default for a key declared secret). The plugin is the one on PATH
    (see `yaml_from_path` for why not from source)."""
    project = cli.workspace / "fleet-yaml"
    project.mkdir()
    document = {
        "name": "fleet-yaml",
        "runtime": "yaml",
        "config": {f"code{i}": {"type": "string", "default": ""} for i in range(len(phones))},
        "resources": {
            f"n{i}": {
                "type": RESOURCE_TYPE,
                "properties": {
                    "custSpaceId": SPACE,
                    "phoneNumber": phone,
                    "verifyCode": f"${{code{i}}}",
                },
            }
            for i, phone in enumerate(phones)
        },
    }
    (project / "Pulumi.yaml").write_text(json.dumps(document, indent=2))
    return project


def registers(emulator: EmulatorServer) -> dict[str, int]:
    """Register calls CAMS saw, by number."""
    counts: dict[str, int] = {}
    for entry in ctl.requests(emulator.url):
        if entry["action"] == VERIFY_AND_REGISTER:
            phone = entry["params"]["PhoneNumber"]
            counts[phone] = counts.get(phone, 0) + 1
    return counts


def test_a_fleet_with_two_codes_missing_awaits_them_and_registers_the_rest(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    seed, codes = with_new_numbers(5)
    ctl.seed(emulator.url, seed)
    phones = sorted(codes)
    waiting = phones[3:]
    project = fleet_program(cli, phones)
    cli.stack_init(project)
    for i, phone in enumerate(phones[:3]):
        cli.config(project, f"code{i}", codes[phone], secret=True)

    up = cli("up", "--yes", cwd=project, check=False)

    assert up.code == EXIT_AWAIT, up
    assert registers(emulator) == {phone: 1 for phone in phones[:3]}
    stored = sorted(
        r["outputs"]["phoneNumber"] for r in resources_of(cli.export(project), RESOURCE_TYPE)
    )
    assert stored == phones[:3]
    for phone in phones:
        status = ctl.number_status(emulator.url, SPACE, phone)
        assert status == ("PENDING" if phone in waiting else "CONNECTED"), phone
    # Each waiting number is named once under its resource, with what unblocks it.
    for phone in waiting:
        line = (
            f"Phone number {phone} in space {SPACE} awaits its verification code: MissingVerifyCode"
        )
        assert up.output.count(line) >= 1, up
        assert f"pulumi-cams request-code --space {SPACE} --phone {phone}" in up.output
    assert "error:" not in up.output, up

    for i, phone in enumerate(phones):
        if phone in waiting:
            cli.config(project, f"code{i}", codes[phone], secret=True)
    again = cli("up", "--yes", cwd=project)

    assert registers(emulator) == {phone: 1 for phone in phones}
    assert again.code == 0
    stored = sorted(
        r["outputs"]["phoneNumber"] for r in resources_of(cli.export(project), RESOURCE_TYPE)
    )
    assert stored == phones
    cli("preview", "--expect-no-changes", cwd=project)
