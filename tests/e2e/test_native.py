"""The native plugin under the real CLI: examples/yaml through the YAML language host, the
schema as `pulumi package get-schema` serves it, and `pulumi import` by ID."""

from __future__ import annotations

import json
from pathlib import Path

import emulator_control as ctl
import pytest
from cams_emulator import EmulatorServer
from demo_seed import CONNECTED, PENDING, SPACE
from pulumi_cli import REPO_ROOT, PulumiCli, resources_of

TYPE = "cams:index:PhoneNumberRegistration"


def yaml_project(cli: PulumiCli, *, plugin: str) -> Path:
    """examples/yaml with the plugin from the checkout (`packages:`, pointed at this checkout
    since the copy sits elsewhere) or found on PATH (`packages:` dropped), as after a pip
    install of the wheel."""
    project = cli.project("yaml")
    text = (project / "Pulumi.yaml").read_text()
    if plugin == "checkout":
        text = text.replace("cams: ../..", f"cams: {REPO_ROOT}")
    else:
        text = text.replace("packages:\n  cams: ../..\n", "")
    (project / "Pulumi.yaml").write_text(text)
    return project


@pytest.mark.parametrize("plugin", ["checkout", "path"])
def test_the_yaml_example_registers_with_the_plugin(
    cli: PulumiCli, emulator: EmulatorServer, plugin: str
) -> None:
    project = yaml_project(cli, plugin=plugin)
    # Ambient plugins off for the checkout case, so the plugin can only come from `packages:`.
    env = {"PULUMI_IGNORE_AMBIENT_PLUGINS": "true"} if plugin == "checkout" else {}
    # The example README's steps after starting the emulator.
    cli.stack_init(project)
    from test_quickstart import pulumi_cams

    pulumi_cams(cli, "request-code", "--space", SPACE, "--phone", PENDING)
    code = ctl.latest_code(emulator.url, SPACE, PENDING)
    cli.config(project, "verifyCode", code, secret=True)
    up = cli("up", "--yes", cwd=project, env=env)
    assert f"+  {TYPE} registration created" in up.stdout, up
    assert "Warning" not in up.output, up
    assert cli.outputs(project) == {
        "adopted": False,
        "registrationId": f"{SPACE}/{PENDING}",
        "status": "CONNECTED",
        "verifiedName": "Demo Shop",
    }
    cli("preview", "--expect-no-changes", cwd=project, env=env)
    cli("refresh", "--yes", "--expect-no-changes", cwd=project, env=env)
    (registration,) = resources_of(cli.export(project), TYPE)
    assert set(registration["inputs"]["verifyCode"]) == {
        "4dabf18193072939515e22adb298388d",
        "ciphertext",
    }
    destroy = cli("destroy", "--yes", cwd=project, env=env)
    assert "left registered in CAMS because deregisterOnDelete is false" in destroy.output


def test_get_schema_serves_the_committed_schema(cli: PulumiCli) -> None:
    served = json.loads(cli("package", "get-schema", str(REPO_ROOT), cwd=cli.workspace).stdout)
    committed = json.loads((REPO_ROOT / "provider/pulumi_cams_provider/schema.json").read_text())
    assert served.pop("version") == "0.1.0"
    assert served == committed


def test_pulumi_import_reads_a_registration_by_id(cli: PulumiCli, emulator: EmulatorServer) -> None:
    # A YAML project that does not declare the registration yet: `pulumi import` adopts it into
    # the stack and prints the code to add to the program.
    project = cli.workspace / "importer"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: cams-import\nruntime: yaml\n")
    cli.stack_init(project)
    imported = cli(
        "import", TYPE, "support-line", f"{SPACE}/{CONNECTED}", "--yes", "--protect=false",
        cwd=project,
    )  # fmt: skip
    assert f"=  {TYPE} support-line imported" in imported.stdout, imported
    # The code Pulumi generates for the program names the inputs read from the live state.
    assert f"custSpaceId: {SPACE}" in imported.stdout
    assert f"phoneNumber: '{CONNECTED}'" in imported.stdout
    (registration,) = resources_of(cli.export(project), TYPE)
    assert registration["id"] == f"{SPACE}/{CONNECTED}"
    assert registration["outputs"]["status"] == "CONNECTED"
    writes = [e for e in ctl.requests(emulator.url) if e["action"] != "QueryChatappPhoneNumbers"]
    assert writes == []
