"""examples/typescript and examples/go run under Pulumi's own Node.js and Go language hosts, as
their READMEs tell a user to run them, with the native plugin that `pip install` put on PATH:
one number registered with a code and one adopted without (the code left unset, which Go's
`conf.GetSecret` and TypeScript's `config.getSecret` give as "" and undefined), each through
up, an unchanged preview, an unchanged refresh and destroy; and `pulumi import` of an existing
registration into a TypeScript program."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams import actions

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, CONNECTED, PENDING, SPACE
from tests.support.pulumi_cli import REPO_ROOT, PulumiCli, resources_of, run, typescript_project

TYPE = "cams:index:PhoneNumberRegistration"
REGISTER = actions.VERIFY_AND_REGISTER

# Cold npm and Go caches (CI on a fresh machine): installing @pulumi/pulumi or compiling
# Pulumi's Go SDK takes minutes on 2 cores; each command keeps its own bound.
pytestmark = pytest.mark.timeout(1800)


def go_project(cli: PulumiCli) -> Path:
    """examples/go with its `replace` of the SDK pointed at this checkout's sdk/."""
    if shutil.which("go") is None:
        pytest.fail("Go is needed to run examples/go")
    project = cli.project("go")
    run(["go", "mod", "edit", f"-replace=example.com/pulumi-cams/sdk={REPO_ROOT / 'sdk'}"], project)
    return project


def registers(emulator: EmulatorServer, phone: str) -> int:
    return sum(
        1
        for e in ctl.requests(emulator.url)
        if e["action"] == REGISTER and e["params"]["PhoneNumber"] == phone
    )


def lifecycle(
    cli: PulumiCli,
    emulator: EmulatorServer,
    project: Path,
    stack: str,
    phone: str,
    code: str | None,
) -> dict:
    """The README's steps for one stack: up (the registration, its profile and webhook), no
    changes on preview and refresh, one profile field changed, destroy; returns the outputs
    after up."""
    cli.stack_init(project, stack)
    cli.config(project, "phoneNumber", phone)
    if code is not None:
        cli.config(project, "verifyCode", code, secret=True)
    up = cli("up", "--yes", cwd=project)
    assert f"+  {TYPE} support-line created" in up.stdout, up
    assert "Traceback" not in up.output
    outputs = cli.outputs(project)
    cli("preview", "--expect-no-changes", cwd=project)
    cli("refresh", "--yes", "--expect-no-changes", cwd=project)
    # One field of the profile changes: one modify call, nothing registered.
    before = len(ctl.actions(emulator.url))
    cli.config(project, "about", f"Support for {stack}")
    cli("up", "--yes", cwd=project)
    actions = ctl.actions(emulator.url)[before:]
    assert actions.count("ModifyPhoneBusinessProfile") == 1, actions
    assert REGISTER not in actions and "UpdatePhoneWebhook" not in actions, actions
    destroy = cli("destroy", "--yes", cwd=project)
    assert "left registered in CAMS because deregisterOnDelete is false" in destroy.output
    return outputs


@pytest.mark.parametrize("language", ["typescript", "go"])
def test_the_example_registers_one_number_and_adopts_another(
    cli: PulumiCli, emulator: EmulatorServer, language: str, request: pytest.FixtureRequest
) -> None:
    if language == "typescript":
        project = typescript_project(cli, request.getfixturevalue("typescript_modules"))
    else:
        project = go_project(cli)

    registered = lifecycle(cli, emulator, project, "dev", "+86 138-0000-1234", CODE)
    assert registered["id"] == f"{SPACE}/{PENDING}"
    assert registered["status"] == "CONNECTED"
    assert registers(emulator, PENDING) == 1

    adopted = lifecycle(cli, emulator, project, "adopt", CONNECTED, None)
    assert adopted["id"] == f"{SPACE}/{CONNECTED}"
    assert adopted["adopted"] is True
    assert registers(emulator, CONNECTED) == 0


def test_pulumi_import_into_a_typescript_program(
    cli: PulumiCli, emulator: EmulatorServer, typescript_modules: Path
) -> None:
    project = typescript_project(cli, typescript_modules)
    cli.stack_init(project)
    cli.config(project, "phoneNumber", CONNECTED)
    imported = cli(
        "import", TYPE, "existing-line", f"{SPACE}/{CONNECTED}", "--yes", "--protect=false",
        cwd=project,
    )  # fmt: skip
    assert f"=  {TYPE} existing-line imported" in imported.stdout, imported
    # The TypeScript Pulumi generates for the program names the inputs read from live state.
    assert 'new cams.PhoneNumberRegistration("existing-line", {' in imported.stdout, imported
    assert f'phoneNumber: "{CONNECTED}"' in imported.stdout, imported
    (registration,) = resources_of(cli.export(project), TYPE)
    assert registration["id"] == f"{SPACE}/{CONNECTED}"
    assert registration["outputs"]["status"] == "CONNECTED"
    writes = [e for e in ctl.requests(emulator.url) if e["action"] != "QueryChatappPhoneNumbers"]
    assert writes == []


NATIVE_PYTHON_PROGRAM = """# The native plugin from Python, through the SDK gen-sdk generated.
import pulumi
import pulumi_cams_native as cams

config = pulumi.Config()
registration = cams.PhoneNumberRegistration(
    "native-line",
    cust_space_id="cams-demo-space",
    phone_number=config.require("phoneNumber"),
    verify_code=config.get_secret("verifyCode"),
)
pulumi.export("adopted", registration.adopted)
pulumi.export("status", registration.status)
"""


def test_the_python_sdk_gen_sdk_writes_runs_on_the_native_plugin(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    """`pulumi package gen-sdk --language python` (Pulumi's Python host generates it), installed
    into a project's venv by `pulumi install`: its resources go through the `cams` plugin."""
    sdk = cli.workspace / "sdks"
    cli("package", "gen-sdk", str(REPO_ROOT), "--language", "python", "--out", str(sdk),
        cwd=cli.workspace, timeout=900)  # fmt: skip
    assert (sdk / "python" / "pulumi_cams_native" / "pulumi-plugin.json").exists()
    project = cli.workspace / "native-python"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: cams-native-python\n"
        "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n"
    )
    (project / "requirements.txt").write_text(f"{sdk / 'python'}\n")
    (project / "__main__.py").write_text(NATIVE_PYTHON_PROGRAM)
    # The SDK names plugin cams at the package's version; it is the pulumi-resource-cams on
    # PATH, so install skips plugins (it would try to download one).
    cli.install(project, "--no-plugins")
    cli.stack_init(project)
    cli.config(project, "phoneNumber", PENDING)
    cli.config(project, "verifyCode", CODE, secret=True)

    up = cli("up", "--yes", cwd=project)

    assert f"+  {TYPE} native-line created" in up.stdout, up
    assert cli.outputs(project) == {"adopted": False, "status": "CONNECTED"}
    assert registers(emulator, PENDING) == 1
    cli("preview", "--expect-no-changes", cwd=project)
    cli("destroy", "--yes", cwd=project)


LOOKUP_TS = """import * as cams from "@pulumi-cams/cams";

const number = cams.getPhoneNumberOutput({
    custSpaceId: "cams-demo-space",
    phoneNumber: "+86 138-0000-5678",
});
export const status = number.status;
export const registered = number.registered;
"""


def test_get_phone_number_from_typescript(
    cli: PulumiCli, emulator: EmulatorServer, typescript_modules: Path
) -> None:
    project = typescript_project(cli, typescript_modules)
    (project / "index.ts").write_text(LOOKUP_TS)
    cli.stack_init(project)
    cli("up", "--yes", cwd=project)
    assert cli.outputs(project) == {"status": "CONNECTED", "registered": True}
    assert set(ctl.actions(emulator.url)) == {"QueryChatappPhoneNumbers", "GetWhatsappHealthStatus"}
