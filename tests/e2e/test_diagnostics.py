"""What `pulumi up` prints for a failed registration, on both routes: one line, ours, first.

The dynamic route runs examples/quickstart (Python); the native route runs examples/yaml through
the YAML language host, with the plugin on PATH.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cams_emulator import EmulatorServer

from tests.support import emulator_control as ctl
from tests.support.demo_seed import PENDING, SPACE
from tests.support.pulumi_cli import PulumiCli, yaml_from_path

NOT_IN_SPACE = "8613800009999"
KEYS = {
    "demo": ("LTAI5tDemoAccessKey", "demo-secret-Ahk3Lq9Zr"),
    "readonly": ("LTAI5tReadOnlyKey", "readonly-secret-Pq7Wm2Xc"),
    "unsubscribed": ("LTAI5tUnsubscribedKey", "unsub-secret-Vb4Nn8Ty"),
}
ROUTES = {
    "dynamic": ("quickstart", "pulumi-python:dynamic/cams:PhoneNumberRegistration", "support-line"),
    "native": ("yaml", "cams:index:PhoneNumberRegistration", "registration"),
}

# (case, key, phone, code) -> the diagnostic's start, RequestId masked as *.
CASES = {
    "wrong code": (
        "demo",
        PENDING,
        "111111",
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidParameter.VerifyCodeError: The verification code is incorrect (RequestId *). "
        f"Request a fresh code with `pulumi-cams request-code --space {SPACE} --phone {PENDING}` ",
    ),
    "unsubscribed account": (
        "unsubscribed",
        PENDING,
        "246810",
        f"QueryChatappPhoneNumbers for phone number {PENDING} in space {SPACE} failed: "
        "Product.Unsubscript: You have not subscribed to the specified product (RequestId *). "
        "Activate Chat App Message Service (CAMS) for this Alibaba Cloud account in the console, "
        "then retry.",
    ),
    "RAM denial": (
        "readonly",
        PENDING,
        "246810",
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "Ram.PermissionDeny: You are not authorized to perform the operation (RequestId *). "
        "Grant the RAM action cams:ChatappVerifyAndRegister to the identity in use",
    ),
    "number not in the space": (
        "demo",
        NOT_IN_SPACE,
        "246810",
        f"ChatappVerifyAndRegister for phone number {NOT_IN_SPACE} in space {SPACE} failed: "
        "PhoneNumberNotInSpace: the space's phone-number list (QueryChatappPhoneNumbers) does not "
        "contain it (RequestId *). Add the number to the WhatsApp Business Account (WABA) bound "
        f"to space {SPACE} first",
    ),
}


def native_project(cli: PulumiCli) -> Path:
    """examples/yaml with the plugin that `pip install` put on PATH (its `packages:` entry
    dropped: see yaml_from_path)."""
    return yaml_from_path(cli)


def resource_error(output: str, type_token: str, name: str) -> str:
    """The first line of the error `pulumi up` prints under the resource."""
    lines = output.splitlines()
    header = f"{type_token} ({name}):"
    start = next(i for i, line in enumerate(lines) if line.strip() == header)
    for line in lines[start + 1 :]:
        if line.strip().startswith("error: "):
            return line.strip().removeprefix("error: ")
    raise AssertionError(f"no error under {header}\n{output}")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", CASES)
def test_a_failed_registration_prints_our_one_line_diagnostic(
    cli: PulumiCli, emulator: EmulatorServer, python_venv: Path, route: str, case: str
) -> None:
    key, phone, code, expected = CASES[case]
    example, type_token, name = ROUTES[route]
    project = native_project(cli) if route == "native" else cli.project(example, venv=python_venv)
    cli.stack_init(project)
    cli.config(project, "phoneNumber", phone)
    cli.config(project, "verifyCode", code, secret=True)
    key_id, secret = KEYS[key]
    up = cli(
        "up",
        "--yes",
        cwd=project,
        check=False,
        env={"ALIBABA_CLOUD_ACCESS_KEY_ID": key_id, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": secret},
    )
    assert up.code != 0, up
    first = resource_error(up.output, type_token, name)
    assert re.sub(r"\(RequestId [^)]+\)", "(RequestId *)", first).startswith(expected), up
    assert "Traceback" not in up.output and "Unexpected <class" not in up.output, up
    assert code not in up.output and secret not in up.output
    registered = [
        n
        for n in ctl.state(emulator.url)["phoneNumbers"]
        if n["phoneNumber"] == phone and n["status"] == "CONNECTED"
    ]
    assert registered == []
