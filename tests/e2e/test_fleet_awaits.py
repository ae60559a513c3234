"""A fleet whose codes have not all arrived, under the real CLI on Pulumi's hosts.

On the native route a create that waits for a code answers with Pulumi's await result: the
engine writes no state for it, goes on with every other resource, and `pulumi up` exits 10
(ExitAwaitError). The next `pulumi up`, with the codes set, registers exactly the numbers that
were waiting. On the dynamic route the host reports every error alike (no await result), so
the same fleet fails its `pulumi up`; `--continue-on-error` lets the others go on."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from cams_emulator import EmulatorServer
from pulumi_cams_provider.resource import RESOURCE_TYPE

from tests.support import emulator_control as ctl
from tests.support.demo_seed import SPACE, with_new_numbers
from tests.support.engine import TYPE_TOKEN as DYNAMIC_TYPE
from tests.support.fleet import python_fleet, registers
from tests.support.pulumi_cli import REPO_ROOT, PulumiCli, resources_of

FLEET_SPACE = "cams-fleet-space"
"""A space of the demo account holding only the fleet's numbers."""
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
    assert registers(emulator.url) == {phone: 1 for phone in phones[:3]}
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

    assert registers(emulator.url) == {phone: 1 for phone in phones}
    assert again.code == 0
    stored = sorted(
        r["outputs"]["phoneNumber"] for r in resources_of(cli.export(project), RESOURCE_TYPE)
    )
    assert stored == phones
    cli("preview", "--expect-no-changes", cwd=project)


def test_on_the_python_route_a_missing_code_fails_the_run_and_continue_on_error_goes_on(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    """Measured, not wished for: the dynamic host answers every error alike, so the engine
    stops starting creates after the first failure; `--continue-on-error` lets every other
    create finish, and the run still exits non-zero (1, not 10)."""
    seed, codes = with_new_numbers(5, FLEET_SPACE)
    ctl.seed(emulator.url, seed)
    phones = sorted(codes)
    project = python_fleet(
        cli, python_venv, phones, {p: codes[p] for p in phones[:3]}, space=FLEET_SPACE
    )

    up = cli("up", "--yes", "--continue-on-error", cwd=project, check=False)

    assert up.code == 1, up
    assert registers(emulator.url) == {phone: 1 for phone in phones[:3]}
    stored = sorted(
        r["outputs"]["phoneNumber"] for r in resources_of(cli.export(project), DYNAMIC_TYPE)
    )
    assert stored == phones[:3]
    for phone in phones[3:]:
        assert f"Phone number {phone} in space {FLEET_SPACE} awaits its verification code" in (
            up.output
        )

    # The code round trip for many numbers, as docs/fleets.md gives it: a code for every
    # pending number, the printed lines filled in and run, then `pulumi up` again.
    asked = subprocess.run(
        ["pulumi-cams", "request-code", "--space", FLEET_SPACE, "--pending"],
        env=cli.env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    lines = [line.strip() for line in asked.stdout.splitlines() if "pulumi config set" in line]
    assert lines == [
        f"pulumi config set --secret --path 'verifyCodes[\"{phone}\"]' <code>"
        for phone in phones[3:]
    ], asked.stdout
    for line, phone in zip(lines, phones[3:], strict=True):
        args = shlex.split(
            line.replace("<code>", ctl.latest_code(emulator.url, FLEET_SPACE, phone))
        )
        cli(*args[1:], cwd=project)
    cli("up", "--yes", cwd=project)
    assert registers(emulator.url) == {phone: 1 for phone in phones}


def test_on_the_python_route_a_secret_setting_in_clear_is_refused_and_never_stored(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = cli.project("quickstart", venv=python_venv)
    cli.stack_init(project)
    secret = "plain-secret-Zq8"
    cli("config", "set", "--plaintext", "cams:accessKeySecret", secret, cwd=project)

    up = cli("up", "--yes", cwd=project, check=False)

    assert up.code != 0
    assert (
        "stack config cams:accessKeySecret is set in clear, and on the Python route Pulumi "
        "stores the whole stack config in the state with the dynamic provider: set it again "
        "with `pulumi config set --secret cams:accessKeySecret <value>`"
    ) in up.output, up
    assert secret not in up.output
    assert secret not in json.dumps(cli.export(project))
    assert registers(emulator.url) == {}


def test_the_pipeline_script_tells_waiting_from_broken(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    """examples/ci/up.sh: exit 10 is work waiting for a person (listed, exit 0); a real failure
    is passed on."""
    seed, codes = with_new_numbers(3)
    ctl.seed(emulator.url, seed)
    phones = sorted(codes)
    project = fleet_program(cli, phones)
    cli.stack_init(project)
    cli.config(project, "code0", codes[phones[0]], secret=True)

    def up() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REPO_ROOT / "examples/ci/up.sh"), "--yes", "--non-interactive"],
            cwd=project,
            env=cli.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    waiting = up()

    assert waiting.returncode == 0, waiting.stdout + waiting.stderr
    assert waiting.stdout.splitlines()[-4:] == [
        "::notice::pulumi up registered everything else; 2 number(s) wait for a verification code:",
        *(f"  pulumi-cams request-code --space {SPACE} --phone {phone}" for phone in phones[1:3]),
        "Then store each code as a secret in the stack config and run the pipeline again.",
    ]
    assert registers(emulator.url) == {phones[0]: 1}

    # A number the space does not list is broken, not waiting: the run fails.
    (project / "Pulumi.yaml").write_text(
        (project / "Pulumi.yaml").read_text().replace(phones[2], "4915112345678")
    )
    broken = up()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "PhoneNumberNotInSpace" in broken.stdout
    assert "::notice::" not in broken.stdout


def test_on_the_python_route_a_missing_code_stops_the_run_without_continue_on_error(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    seed, codes = with_new_numbers(5)
    ctl.seed(emulator.url, seed)
    phones = sorted(codes)
    # The waiting numbers first in the file, so the engine meets a missing code early.
    order = [*phones[3:], *phones[:3]]
    project = python_fleet(cli, python_venv, order, {p: codes[p] for p in phones[:3]})

    up = cli("up", "--yes", cwd=project, check=False)

    print(f"measured: exit {up.code}, registered {sorted(registers(emulator.url))}")
    assert up.code == 1, up
    assert all(registers(emulator.url).get(p, 0) == 0 for p in phones[3:])
    stored = resources_of(cli.export(project), DYNAMIC_TYPE)
    assert {r["outputs"]["phoneNumber"] for r in stored} <= set(phones[:3])
