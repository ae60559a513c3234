"""A registration's whole lifecycle under the real CLI (tests/e2e/programs/lifecycle).

Adoption, an in-place update, a replacement, refresh after a deregistration outside Pulumi,
destroy with deregisterOnDelete, the `import_` resource option, and a space move refused at
preview. Each step asserts what the CLI printed and what CAMS (the emulator) saw.
"""

from __future__ import annotations

from pathlib import Path

from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.settings import ProviderSettings
from pydantic import SecretStr

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CONNECTED, PENDING, SPACE
from tests.support.pulumi_cli import PulumiCli, resources_of

TYPE = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
PROGRAM = Path(__file__).parent / "programs" / "lifecycle"
WRITES = ("ChatappVerifyAndRegister", "ChatappPhoneNumberRegister", "ChatappPhoneNumberDeregister")


def writes(emulator: EmulatorServer) -> list[tuple[str, str]]:
    return [
        (e["action"], e["params"]["PhoneNumber"])
        for e in ctl.requests(emulator.url)
        if e["action"] in WRITES
    ]


def stack(cli: PulumiCli, venv: Path, **config: str) -> Path:
    project = cli.project(PROGRAM, venv=venv)
    cli.stack_init(project)
    for key, value in config.items():
        cli.config(project, key, value, secret=key == "verifyCode")
    return project


def test_adopt_update_replace_and_destroy(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = stack(cli, python_venv, custSpaceId=SPACE, phoneNumber=CONNECTED)

    # Adoption: already registered, so no code and no register call.
    up = cli("up", "--yes", cwd=project)
    assert f"+  {TYPE} line created" in up.stdout, up
    assert f"phone number {CONNECTED} was already registered in space {SPACE}; adopted it" in (
        up.output
    )
    assert cli.outputs(project)["adopted"] is True
    assert writes(emulator) == []

    # deregisterOnDelete changes in place, without a call to CAMS.
    cli.config(project, "deregisterOnDelete", "true")
    preview = cli("preview", "--diff", cwd=project)
    assert "~ 1 to update" in preview.stdout, preview
    up = cli("up", "--yes", cwd=project)
    assert f"~  {TYPE} line updated" in up.stdout, up
    assert cli.outputs(project)["deregisterOnDelete"] is True
    assert writes(emulator) == []

    # A new number replaces the resource: the new one is registered, the old one (which
    # deregisters on delete) is deregistered.
    cli.config(project, "phoneNumber", "+86 138-0000-1234")
    cli.config(project, "verifyCode", "246810", secret=True)
    up = cli("up", "--yes", cwd=project)
    assert f"++ {TYPE} line create replacement" in up.stdout, up
    assert "+-1 replaced" in up.stdout, up
    assert cli.outputs(project)["id"] == f"{SPACE}/{PENDING}"
    assert writes(emulator) == [
        ("ChatappVerifyAndRegister", PENDING),
        ("ChatappPhoneNumberDeregister", CONNECTED),
    ]
    assert (
        ctl.number_status(emulator.url, SPACE, PENDING),
        ctl.number_status(emulator.url, SPACE, CONNECTED),
    ) == (
        "CONNECTED",
        "DISCONNECTED",
    )
    cli("preview", "--expect-no-changes", cwd=project)

    # destroy with deregisterOnDelete: the number is deregistered, confirmed by a read.
    destroy = cli("destroy", "--yes", cwd=project)
    assert f"-  {TYPE} line deleted" in destroy.stdout, destroy
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "DISCONNECTED"
    assert writes(emulator)[-1] == ("ChatappPhoneNumberDeregister", PENDING)


def test_refresh_drops_a_registration_deregistered_outside_pulumi(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = stack(cli, python_venv, custSpaceId=SPACE, phoneNumber=CONNECTED)
    cli("up", "--yes", cwd=project)
    settings = ProviderSettings(
        endpoint=emulator.url,
        access_key_id="LTAI5tDemoAccessKey",
        access_key_secret=SecretStr("demo-secret-Ahk3Lq9Zr"),
    )
    CamsClient(settings).chatapp_phone_number_deregister(SPACE, CONNECTED)

    refresh = cli("refresh", "--yes", cwd=project)
    assert f"-  {TYPE} line deleted" in refresh.stdout, refresh
    assert resources_of(cli.export(project), TYPE) == []
    # The next up registers it again only with a code: without one it says how to get one.
    up = cli("up", "--yes", cwd=project, check=False)
    assert up.code != 0
    assert "MissingVerifyCode: it is not registered yet (status DISCONNECTED)" in (up.output)


def test_the_import_option_is_not_served_by_the_dynamic_host(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    """A known limit of Pulumi's dynamic providers, pinned so that a fix upstream is noticed:
    the engine's Read for an import carries no ``__provider``, and the dynamic host fails
    before any provider code runs (pulumi/pulumi#16175). The README tells Python users to
    declare the registration instead (create adopts it) and to import on the native route."""
    project = stack(
        cli, python_venv, custSpaceId=SPACE, phoneNumber=CONNECTED, importId=f"{SPACE}/{CONNECTED}"
    )
    up = cli("up", "--yes", cwd=project, check=False)
    assert up.code != 0
    assert "providerStr = props[PROVIDER_KEY]" in up.output, up
    assert writes(emulator) == []
    # What the README says to do instead: declare it, and create adopts it.
    cli("config", "rm", "importId", cwd=project)
    up = cli("up", "--yes", cwd=project)
    assert cli.outputs(project)["adopted"] is True
    assert writes(emulator) == []


def test_a_space_move_that_would_get_stuck_is_refused_at_preview(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = stack(cli, python_venv, custSpaceId=SPACE, phoneNumber=CONNECTED)
    cli("up", "--yes", cwd=project)
    before = cli.export(project)
    cli.config(project, "custSpaceId", "cams-second-space")
    preview = cli("preview", cwd=project, check=False)
    assert preview.code != 0
    assert (
        "custSpaceId cannot change from 'cams-demo-space' to 'cams-second-space' while "
        "deregisterOnDelete is false" in preview.output
    ), preview
    up = cli("up", "--yes", cwd=project, check=False)
    assert up.code != 0
    # Nothing was deleted: the state and CAMS are as before.
    assert resources_of(cli.export(project), TYPE) == resources_of(before, TYPE)
    assert ctl.number_status(emulator.url, SPACE, CONNECTED) == "CONNECTED"
    assert writes(emulator) == []
