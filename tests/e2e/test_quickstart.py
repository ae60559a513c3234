"""examples/quickstart under the real CLI and Pulumi's own Python language host: the README's
steps (`pulumi install` first, as `pulumi new python` lays a project out), then no changes, then
secrets."""

from __future__ import annotations

import subprocess

from cams_emulator import EmulatorServer

from tests.support import emulator_control as ctl
from tests.support.demo_seed import DEMO_KEY, SPACE
from tests.support.demo_seed import PENDING as DIGITS
from tests.support.pulumi_cli import PulumiCli, resources_of

PHONE = "+86 138-0000-1234"
DYNAMIC_TYPE = "pulumi-python:dynamic/cams:PhoneNumberRegistration"
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def pulumi_cams(cli: PulumiCli, *args: str) -> subprocess.CompletedProcess[str]:
    """The `pulumi-cams` command as a user runs it beside `pulumi`."""
    return subprocess.run(
        ["pulumi-cams", *args], env=cli.env, capture_output=True, text=True, timeout=60, check=True
    )


def request_code(cli: PulumiCli, emulator: EmulatorServer) -> str:
    """`pulumi-cams request-code`, then the code from the emulator's inbox (its "SMS")."""
    pulumi_cams(cli, "request-code", "--space", SPACE, "--phone", PHONE)
    return ctl.latest_code(emulator.url, SPACE, DIGITS)


def test_quickstart_registers_then_reports_no_changes(
    cli: PulumiCli, emulator: EmulatorServer
) -> None:
    project = cli.project("quickstart")
    # The README's steps, in order.
    cli.install(project)
    assert (project / "venv" / "bin" / "python").exists()
    cli.stack_init(project)
    cli.config(project, "custSpaceId", SPACE)
    cli.config(project, "phoneNumber", PHONE)
    code = request_code(cli, emulator)
    cli.config(project, "verifyCode", code, secret=True)
    up = cli("up", "--yes", cwd=project)

    assert f"+  {DYNAMIC_TYPE} support-line created" in up.stdout, up
    assert "Traceback" not in up.output
    assert ctl.number_status(emulator.url, SPACE, DIGITS) == "CONNECTED"
    registers = [e for e in ctl.requests(emulator.url) if e["action"] == "ChatappVerifyAndRegister"]
    assert len(registers) == 1
    outputs = cli.outputs(project)
    assert outputs == {
        "id": f"{SPACE}/{DIGITS}",
        "phoneNumber": DIGITS,
        "status": "CONNECTED",
        "codeVerificationStatus": "VERIFIED",
        "verifiedName": "Demo Shop",
        "adopted": False,
    }

    # An unchanged program plans nothing, and the live state agrees with the stored one.
    # The dynamic route needs no resource plugin: the Python host reports no package for
    # pulumi-cams (its pulumi-plugin.json says so), so the CLI neither downloads a `cams`
    # plugin nor takes the pulumi-resource-cams that is on PATH here.
    preview = cli("preview", "--expect-no-changes", "-v=7", "--logtostderr", cwd=project)
    assert "GetRequiredPackages(root=" in preview.stderr, preview.stderr[-2000:]
    assert ") success: #versions=0" in preview.stderr
    assert "plugin cams" not in preview.stderr
    assert "pulumi-resource-cams" not in preview.output
    cli("refresh", "--yes", "--expect-no-changes", cwd=project)
    reads = {"QueryChatappPhoneNumbers", "QueryPhoneBusinessProfile"}
    writes = [e["action"] for e in ctl.requests(emulator.url) if e["action"] not in reads]
    # The code, the register call, then the profile and the webhook (in either order), each
    # once: the preview and the refresh wrote nothing.
    assert writes[:2] == ["GetChatappVerifyCode", "ChatappVerifyAndRegister"]
    assert sorted(writes[2:]) == ["ModifyPhoneBusinessProfile", "UpdatePhoneWebhook"]

    # Secrets: the code and the access key secret exist only as ciphertext.
    cli.config(project, "cams:accessKeySecret", DEMO_KEY[1], secret=True)
    cli("preview", "--expect-no-changes", cwd=project)
    stack_file = (project / "Pulumi.dev.yaml").read_text()
    assert "secure: v1:" in stack_file
    exported = cli.export(project)
    (registration,) = resources_of(exported, DYNAMIC_TYPE)
    verify_code = registration["inputs"]["verifyCode"]
    assert verify_code[SECRET_SIG] == "1b47061264138c4ac30d75fd1eb44270"
    assert set(verify_code) == {SECRET_SIG, "ciphertext"}
    assert "verifyCode" not in registration["outputs"]
    texts = [stack_file, str(exported), up.output]
    for path in cli.backend.rglob("*"):
        if path.is_file():
            texts.append(path.read_text(errors="replace"))
    for text in texts:
        assert code not in text
        assert DEMO_KEY[1] not in text

    destroy = cli("destroy", "--yes", cwd=project)
    assert f"-  {DYNAMIC_TYPE} support-line deleted" in destroy.stdout, destroy
    # deregisterOnDelete is false: the number stays registered, and the user is told.
    assert ctl.number_status(emulator.url, SPACE, DIGITS) == "CONNECTED"
    assert "left registered in CAMS because deregisterOnDelete is false" in destroy.output
