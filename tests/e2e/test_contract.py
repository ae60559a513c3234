"""The registration contract where a deployment holds more than one resource for a number, an
import names a number that is not registered, and settings arrive in clear: under the real CLI,
counting what CAMS saw (the emulator's request log) and reading what the backend stored.

The dynamic route runs tests/e2e/programs/registrations (its `registrations` config lists the
resources); the native route runs YAML programs with the plugin from PATH.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams import actions

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, CONNECTED, DEMO_KEY, PENDING, SPACE
from tests.support.pulumi_cli import PulumiCli, resources_of

DYNAMIC = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
NATIVE = "cams:index:PhoneNumberRegistration"
PROGRAM = Path(__file__).parent / "programs" / "registrations"
REGISTER = actions.VERIFY_AND_REGISTER
DEREGISTER = actions.DEREGISTER


def calls(emulator: EmulatorServer, action: str, phone: str = PENDING) -> int:
    return sum(
        1
        for e in ctl.requests(emulator.url)
        if e["action"] == action and e["params"].get("PhoneNumber") == phone
    )


def dynamic_stack(cli: PulumiCli, venv: Path, registrations: list[dict], code: str | None) -> Path:
    project = cli.project(PROGRAM, venv=venv)
    cli.stack_init(project)
    cli.config(project, "registrations", json.dumps(registrations))
    if code is not None:
        cli.config(project, "verifyCode", code, secret=True)
    return project


def yaml_program(cli: PulumiCli, resources: str, name: str = "native") -> Path:
    project = cli.workspace / name
    project.mkdir(exist_ok=True)
    (project / "Pulumi.yaml").write_text(
        f"name: cams-{name}\nruntime: yaml\nresources:\n{resources}"
    )
    return project


def registration(name: str, phone: str, *, deregister: bool = False, code: bool = True) -> str:
    lines = [
        f"  {name}:",
        f"    type: {NATIVE}",
        "    properties:",
        f"      custSpaceId: {SPACE}",
        f'      phoneNumber: "{phone}"',
        f"      deregisterOnDelete: {str(deregister).lower()}",
    ]
    if code:
        lines.append(f'      verifyCode: "{CODE}"')
    return "\n".join(lines) + "\n"


def stored_state(cli: PulumiCli) -> str:
    """Every state the backend holds (the stack, its backups, the history's checkpoints and
    update records), as text; from an update record, all but its `config`, which is Pulumi's
    copy of the stack config as the user wrote it in Pulumi.<stack>.yaml."""
    texts = []
    for path in cli.backend.rglob("*.json*"):
        if path.name.endswith(".history.json"):
            record = json.loads(path.read_text())
            record.pop("config", None)
            texts.append(json.dumps(record))
        elif path.is_file():
            texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def diagnostics(output: str) -> list[str]:
    """The Diagnostics sections of a command's output (preview's, then the update's)."""
    sections = []
    for part in output.split("\nDiagnostics:\n")[1:]:
        lines = []
        for line in part.splitlines():
            if line and not line.startswith(" "):
                break
            lines.append(line)
        sections.append("\n".join(lines))
    return sections


# --- one number declared twice -----------------------------------------------------------------


def test_a_number_declared_twice_in_python_is_registered_once(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = dynamic_stack(
        cli,
        python_venv,
        [{"name": "a", "phone": "+86 138-0000-1234"}, {"name": "b", "phone": PENDING}],
        CODE,
    )

    up = cli("up", "--yes", cwd=project)

    assert calls(emulator, REGISTER) == 1, up
    assert sorted(cli.outputs(project).values()) == [False, True]
    assert "is declared by another resource of this deployment too" in up.output, up
    assert len(resources_of(cli.export(project), DYNAMIC)) == 2
    cli("preview", "--expect-no-changes", cwd=project)


def test_a_number_declared_twice_in_yaml_is_refused_at_preview_naming_both(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = yaml_program(
        cli, registration("first", "+86 138-0000-1234") + registration("second", PENDING)
    )
    cli.stack_init(project)

    up = cli("up", "--yes", cwd=project, check=False)

    assert up.code != 0, up
    assert "is declared by resource 'first' too" in up.output or (
        "is declared by resource 'second' too" in up.output
    ), up
    assert "declare it in one resource only" in up.output
    assert calls(emulator, REGISTER) == 0
    assert resources_of(cli.export(project), NATIVE) == []


# --- a rename ------------------------------------------------------------------------------------


def test_renaming_a_python_resource_keeps_the_number_registered(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    entry = {"phone": PENDING, "deregisterOnDelete": True}
    project = dynamic_stack(cli, python_venv, [{"name": "old", **entry}], CODE)
    cli("up", "--yes", cwd=project)

    cli.config(project, "registrations", json.dumps([{"name": "new", **entry}]))
    up = cli("up", "--yes", cwd=project)

    assert f"-  {DYNAMIC} old deleted" in up.stdout, up
    assert "was not deregistered: another resource of this deployment" in up.output, up
    assert "`aliases`" in up.output
    assert (calls(emulator, REGISTER), calls(emulator, DEREGISTER)) == (1, 0)
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"
    (stored,) = resources_of(cli.export(project), DYNAMIC)
    assert stored["urn"].endswith("::new") and stored["outputs"]["status"] == "CONNECTED"
    cli("refresh", "--yes", "--expect-no-changes", cwd=project)


def test_renaming_a_yaml_resource_keeps_the_number_registered(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = yaml_program(cli, registration("old", PENDING, deregister=True))
    cli.stack_init(project)
    cli("up", "--yes", cwd=project)

    yaml_program(cli, registration("new", PENDING, deregister=True, code=False))
    up = cli("up", "--yes", cwd=project)

    assert "was not deregistered: another resource of this deployment" in up.output, up
    assert (calls(emulator, REGISTER), calls(emulator, DEREGISTER)) == (1, 0)
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"
    (stored,) = resources_of(cli.export(project), NATIVE)
    assert stored["urn"].endswith("::new") and stored["outputs"]["status"] == "CONNECTED"


# --- import ----------------------------------------------------------------------------------


def test_importing_a_number_that_is_not_registered_fails_in_one_line(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = yaml_program(cli, "", name="importer")
    (project / "Pulumi.yaml").write_text("name: cams-import\nruntime: yaml\n")
    cli.stack_init(project)

    imported = cli("import", NATIVE, "imp", f"{SPACE}/{PENDING}", "--yes", cwd=project, check=False)

    assert imported.code != 0, imported
    assert (
        f"QueryChatappPhoneNumbers for phone number {PENDING} in space {SPACE} failed: "
        "NotRegistered: the number is not registered (status PENDING), so there is nothing to "
        "import"
    ) in imported.output, imported
    assert f"`pulumi-cams request-code --space {SPACE} --phone {PENDING}`" in imported.output
    assert "almost certainly a bug" not in imported.output
    assert resources_of(cli.export(project), NATIVE) == []
    assert calls(emulator, REGISTER) == 0


# --- secrets given in clear --------------------------------------------------------------------


def test_a_plaintext_access_key_secret_is_stored_encrypted_on_the_native_route(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = yaml_program(cli, registration("line", CONNECTED, code=False))
    cli.stack_init(project)
    cli("config", "set", "--plaintext", "cams:accessKeyId", DEMO_KEY[0], cwd=project)
    cli("config", "set", "--plaintext", "cams:accessKeySecret", DEMO_KEY[1], cwd=project)
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ""}

    cli("up", "--yes", cwd=project, env=env)
    cli("preview", "--expect-no-changes", cwd=project, env=env)

    (provider,) = [
        r
        for r in cli.export(project)["deployment"]["resources"]
        if r["type"] == "pulumi:providers:cams"
    ]
    assert set(provider["inputs"]["accessKeySecret"]) == {
        "4dabf18193072939515e22adb298388d",
        "ciphertext",
    }
    state = stored_state(cli)
    assert "accessKeySecret" in state
    assert DEMO_KEY[1] not in state


def test_a_verify_code_set_in_clear_is_warned_about_once_without_its_value(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    project = dynamic_stack(
        cli,
        python_venv,
        [{"name": "a", "phone": PENDING}, {"name": "b", "phone": CONNECTED}],
        None,
    )
    cli.config(project, "verifyCode", CODE)  # no --secret

    up = cli("up", "--yes", cwd=project)

    warning = "stack config verifyCode holds a verify code in clear"
    sections = diagnostics(up.stdout)
    assert sections and all(section.count(warning) == 1 for section in sections), up
    assert "`pulumi config set --secret <key> <code>`" in up.output
    assert CODE not in up.output
    assert calls(emulator, REGISTER) == 1


def test_import_file_python_declarations_are_adopted_without_a_register_call(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path
) -> None:
    """The dynamic route's import: `import-file --format python` writes the program, and
    `pulumi up` adopts every registered number of the space."""
    project = cli.project(PROGRAM, venv=python_venv)
    done = subprocess.run(
        ["pulumi-cams", "import-file", "--space", SPACE, "--format", "python"],
        env=cli.env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    (project / "__main__.py").write_text(done.stdout)
    cli.stack_init(project)

    up = cli("up", "--yes", cwd=project)

    (adopted,) = resources_of(cli.export(project), DYNAMIC)
    assert adopted["id"] == f"{SPACE}/{CONNECTED}"
    assert adopted["outputs"]["adopted"] is True, up
    assert [a for a in ctl.actions(emulator.url) if a != "QueryChatappPhoneNumbers"] == []
    cli("preview", "--expect-no-changes", cwd=project)
