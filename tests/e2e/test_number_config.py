"""A number's business profile and webhook beside its registration, under the real CLI on both
routes: examples/yaml (native plugin, YAML host) and examples/quickstart (Python SDK, Python
host). Each runs the issue's cases: up, no changes on preview and refresh, an update of one
field (exactly one ModifyPhoneBusinessProfile, no register call), a change made in the console
found by `pulumi refresh --preview-only --expect-no-changes` and by `pulumi-cams drift` (named
by field) and put back by `pulumi up --refresh`, and destroy leaving the profile in CAMS."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cams_emulator import EmulatorServer

from tests.e2e.test_quickstart import SECRET_SIG
from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, CONNECTED, PENDING, SPACE
from tests.support.emulator_clients import call
from tests.support.pulumi_cli import PulumiCli, resources_of, yaml_from_path

MODIFY = "ModifyPhoneBusinessProfile"
HOOK = "https://hooks.example.com/up?token=t0k3n"


def actions(emulator: EmulatorServer) -> list[str]:
    return [r["action"] for r in ctl.requests(emulator.url)]


def held(emulator: EmulatorServer) -> dict:
    [number] = [
        n
        for n in ctl.state(emulator.url)["phoneNumbers"]
        if (n["custSpaceId"], n["phoneNumber"]) == (SPACE, PENDING)
    ]
    return number


def drift(cli: PulumiCli, project: Path) -> subprocess.CompletedProcess[str]:
    """`pulumi stack export --show-secrets | pulumi-cams drift`, as drift-check.sh runs it."""
    exported = cli("stack", "export", "--show-secrets", cwd=project).stdout
    return subprocess.run(
        ["pulumi-cams", "drift"],
        input=exported,
        env=cli.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def the_whole_number_as_code(
    cli: PulumiCli, emulator: EmulatorServer, project: Path, types: tuple[str, str]
) -> None:
    """The cases after `pulumi up` created the registration, profile and webhook."""
    profile_type, webhook_type = types
    number = held(emulator)
    assert number["profile"] == {
        "About": "Support, 9:00-17:00",
        "Vertical": "RETAIL",
        "Websites": ["https://shop.example.com"],
    }
    assert number["webhook"] == {
        "StatusCallbackUrl": "https://hooks.example.com/cams/status",
        "HttpFlag": "Y",
    }
    exported = cli.export(project)
    (webhook,) = resources_of(exported, webhook_type)
    assert set(webhook["outputs"]["statusCallbackUrl"]) == {SECRET_SIG, "ciphertext"}
    assert "hooks.example.com" not in str(exported)
    cli("preview", "--expect-no-changes", cwd=project)
    cli("refresh", "--yes", "--expect-no-changes", cwd=project)

    # One field changes: one modify call, carrying that field only; nothing registers.
    cli.config(project, "about", "Support, 24/7")
    ctl.clear_requests(emulator.url)
    up = cli("up", "--yes", cwd=project)
    assert f"~  {profile_type} " in up.stdout, up
    assert actions(emulator).count(MODIFY) == 1
    assert "ChatappVerifyAndRegister" not in actions(emulator)
    assert "UpdatePhoneWebhook" not in actions(emulator)
    [modify] = [r for r in ctl.requests(emulator.url) if r["action"] == MODIFY]
    assert set(modify["params"]) - {"CustSpaceId", "PhoneNumber"} == {"About"}

    # Changed in the console: the drift checks find it by field, `up --refresh` restores it.
    call(
        emulator,
        MODIFY,
        {"CustSpaceId": SPACE, "PhoneNumber": PENDING, "About": "Changed by hand"},
    )
    found = cli(
        "refresh", "--preview-only", "--expect-no-changes", "--diff", cwd=project, check=False
    )
    assert found.code != 0, found
    assert "about" in found.output, found
    checked = drift(cli, project)
    assert checked.returncode == 3, checked
    assert f"changed: the profile of {PENDING} in space {SPACE} was changed outside Pulumi: " in (
        checked.stderr
    )
    assert "about differ from the stack" in checked.stderr
    cli("up", "--refresh", "--yes", cwd=project)
    assert held(emulator)["profile"]["About"] == "Support, 24/7"
    cli("preview", "--refresh", "--expect-no-changes", cwd=project)

    destroy = cli("destroy", "--yes", cwd=project)
    assert "is left as it is in CAMS" in destroy.output, destroy
    assert held(emulator)["profile"]["About"] == "Support, 24/7"


def test_the_yaml_example_manages_the_profile_and_webhook_with_the_plugin(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = yaml_from_path(cli)
    cli.stack_init(project)
    cli.config(project, "verifyCode", CODE, secret=True)
    up = cli("up", "--yes", cwd=project)
    assert "+  cams:index:PhoneNumberProfile profile created" in up.stdout, up
    assert "+  cams:index:PhoneNumberWebhook webhook created" in up.stdout, up
    the_whole_number_as_code(
        cli, emulator, project, ("cams:index:PhoneNumberProfile", "cams:index:PhoneNumberWebhook")
    )


def test_the_python_quickstart_manages_the_profile_and_webhook(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = cli.project("quickstart", venv=python_venv)
    cli.stack_init(project)
    cli.config(project, "custSpaceId", SPACE)
    cli.config(project, "phoneNumber", PENDING)
    cli.config(project, "verifyCode", CODE, secret=True)
    up = cli("up", "--yes", cwd=project)
    assert "+  pulumi-python:dynamic/cams:PhoneNumberProfile support-line-profile created" in (
        up.stdout
    ), up
    the_whole_number_as_code(
        cli,
        emulator,
        project,
        (
            "pulumi-python:dynamic/cams:PhoneNumberProfile",
            "pulumi-python:dynamic/cams:PhoneNumberWebhook",
        ),
    )


def test_preview_refuses_bad_fields_one_line_each_without_a_call(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = yaml_from_path(cli)
    program = project / "Pulumi.yaml"
    text = program.read_text()
    text = text.replace("vertical: RETAIL", "vertical: SPACESHIPS")
    text = text.replace("- https://shop.example.com", "- ftp://shop.example.com")
    program.write_text(text)
    cli.stack_init(project)
    cli.config(project, "verifyCode", CODE, secret=True)
    preview = cli("preview", cwd=project, check=False)
    assert preview.code != 0, preview
    assert "vertical is 'SPACESHIPS'; it must be one of RETAIL, TRAVEL," in preview.output
    assert "websites item 'ftp://shop.example.com' is not an absolute http(s) URL" in (
        preview.output
    )
    # The engine stops at the first resource it refuses: the webhook is checked once the
    # profile is fixed, and its URL, a secret, is never shown.
    program.write_text(
        program.read_text().replace("SPACESHIPS", "RETAIL").replace("ftp:", "https:")
    )
    cli.config(project, "statusCallbackUrl", "hooks/status?token=t0k3n", secret=True)
    preview = cli("preview", cwd=project, check=False)
    assert preview.code != 0, preview
    assert "statusCallbackUrl is not an absolute http(s) URL" in preview.output
    assert "t0k3n" not in preview.output
    assert ctl.requests(emulator.url) == []


def test_a_number_set_up_in_the_console_is_imported_whole(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    """import-file --include profile --include webhook, `pulumi import --file`, the program it
    prints added, then no changes: nothing written to CAMS, the URL in neither program nor
    state (it is managed once the program sets it from secret config)."""
    number = {"CustSpaceId": SPACE, "PhoneNumber": CONNECTED}
    call(emulator, MODIFY, {**number, "About": "By hand", "Websites": '["https://a.example"]'})
    call(emulator, "UpdatePhoneWebhook", {**number, "UpCallbackUrl": HOOK, "QueueFlag": "Y"})
    project = cli.workspace / "whole-import"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: cams-whole-import\nruntime: yaml\n")
    cli.stack_init(project)
    document = project / "import.json"
    subprocess.run(
        ["pulumi-cams", "import-file", "--space", SPACE, "--include", "profile",
         "--include", "webhook", "--output", str(document)],
        env=cli.env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    ctl.clear_requests(emulator.url)
    imported = cli("import", "--file", str(document), "--out", "program.yaml", "--yes",
                   "--protect=false", cwd=project)  # fmt: skip
    assert "t0k3n" not in imported.output, imported
    program = (project / "program.yaml").read_text()
    assert "about: By hand" in program and "queueDelivery: true" in program, program
    # Pulumi writes what an import reads into the program, in clear: a URL is not imported.
    assert "upCallbackUrl" not in program and "t0k3n" not in program, program
    with (project / "Pulumi.yaml").open("a") as file:
        file.write(program)
    cli("preview", "--expect-no-changes", cwd=project)
    shown = cli("stack", "export", "--show-secrets", cwd=project).stdout
    assert "t0k3n" not in shown  # not even encrypted: nothing was taken
    reads = {"QueryChatappPhoneNumbers", "QueryPhoneBusinessProfile"}
    assert [a for a in actions(emulator) if a not in reads] == []
