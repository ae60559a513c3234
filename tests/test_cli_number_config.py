"""`pulumi-cams` for a number's profile and webhook: import-file includes them, drift names
the fields changed outside Pulumi (never a URL)."""

from __future__ import annotations

import json

from cams_emulator import EmulatorServer
from click.testing import CliRunner
from pulumi_cams_provider.cli.commands import main

from tests.support import demo_seed as seed
from tests.support import emulator_control as ctl
from tests.support.emulator_clients import call

ENV = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID": seed.DEMO_KEY[0],
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET": seed.DEMO_KEY[1],
}
HOOK = "https://hooks.example.com/status?token=s3cr3t"
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _invoke(emulator: EmulatorServer, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    env = {"CAMS_ENDPOINT": emulator.url, **ENV}
    return CliRunner().invoke(main, list(args), input=stdin, env=env, prog_name="pulumi-cams")


def _set_by_hand(emulator: EmulatorServer) -> None:
    """What a person does in the console: the number's profile and webhook."""
    number = {"CustSpaceId": seed.SPACE, "PhoneNumber": seed.CONNECTED}
    call(
        emulator,
        "ModifyPhoneBusinessProfile",
        {**number, "About": "By hand", "Email": "ops@shop.example"},
    )
    call(emulator, "UpdatePhoneWebhook", {**number, "StatusCallbackUrl": HOOK, "HttpFlag": "Y"})


def test_import_file_includes_the_profiles_and_webhooks(emulator: EmulatorServer) -> None:
    result = _invoke(
        emulator,
        "import-file",
        "--space",
        seed.SPACE,
        "--include",
        "profile",
        "--include",
        "webhook",
    )
    assert result.exit_code == 0, result.output
    name, rid = f"{seed.SPACE}-{seed.CONNECTED}", f"{seed.SPACE}/{seed.CONNECTED}"
    assert json.loads(result.stdout) == {
        "resources": [
            {"type": "cams:index:PhoneNumberRegistration", "name": name, "id": rid},
            {"type": "cams:index:PhoneNumberProfile", "name": f"{name}-profile", "id": rid},
            {"type": "cams:index:PhoneNumberWebhook", "name": f"{name}-webhook", "id": rid},
        ]
    }


def test_import_file_writes_a_python_profile_with_the_fields_cams_holds(
    emulator: EmulatorServer,
) -> None:
    _set_by_hand(emulator)
    result = _invoke(
        emulator,
        "import-file",
        "--space",
        seed.SPACE,
        "--format",
        "python",
        "--include",
        "profile",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "PhoneNumberProfile(\n"
        f'    "{seed.SPACE}-{seed.CONNECTED}-profile",\n'
        f'    cust_space_id="{seed.SPACE}",\n'
        f'    phone_number="{seed.CONNECTED}",\n'
        '    about="By hand",\n'
        '    email="ops@shop.example",\n'
        ")\n"
    )
    compile(result.stdout, "import.py", "exec")
    refused = _invoke(
        emulator,
        "import-file",
        "--space",
        seed.SPACE,
        "--format",
        "python",
        "--include",
        "webhook",
    )
    assert refused.exit_code == 2
    assert "--include webhook needs --format json" in refused.stderr


def _export(emulator: EmulatorServer, about: str, url: str) -> str:
    """A `--show-secrets` export of a stack managing the number's profile and webhook."""
    secret = {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270"}
    identity = {"custSpaceId": seed.SPACE, "phoneNumber": seed.CONNECTED}
    return json.dumps(
        {
            "deployment": {
                "resources": [
                    {
                        "type": "pulumi:providers:cams",
                        "inputs": {
                            "endpoint": emulator.url,
                            "accessKeyId": seed.DEMO_KEY[0],
                            "accessKeySecret": {
                                **secret,
                                "plaintext": json.dumps(seed.DEMO_KEY[1]),
                            },
                        },
                    },
                    {
                        "type": "cams:index:PhoneNumberProfile",
                        "outputs": {**identity, "about": about, "email": None},
                    },
                    {
                        "type": "pulumi-python:dynamic/cams:PhoneNumberWebhook",
                        "outputs": {
                            **identity,
                            "statusCallbackUrl": {**secret, "plaintext": json.dumps(url)},
                            "httpDelivery": True,
                        },
                    },
                ]
            }
        }
    )


def test_drift_names_the_fields_changed_outside_pulumi_and_never_a_url(
    emulator: EmulatorServer,
) -> None:
    _set_by_hand(emulator)
    held = CliRunner().invoke(main, ["drift"], input=_export(emulator, "By hand", HOOK), env={})
    assert held.exit_code == 0, held.output
    assert held.stdout.endswith("every one holds\n")

    ctl.clear_requests(emulator.url)
    changed = CliRunner().invoke(
        main, ["drift"], input=_export(emulator, "As declared", "https://other.example/"), env={}
    )
    assert changed.exit_code == 3, changed.output
    assert changed.stderr.splitlines() == [
        f"changed: the profile of {seed.CONNECTED} in space {seed.SPACE} was changed outside "
        "Pulumi: about differ from the stack; `pulumi up --refresh` puts them back.",
        f"changed: the webhook of {seed.CONNECTED} in space {seed.SPACE} was changed outside "
        "Pulumi: statusCallbackUrl differ from the stack; `pulumi up --refresh` puts them back.",
    ]
    assert "s3cr3t" not in changed.output and "other.example" not in changed.output
    # Read only: one profile read and one listing; nothing written.
    assert sorted(ctl.actions(emulator.url)) == [
        "QueryChatappPhoneNumbers",
        "QueryPhoneBusinessProfile",
    ]
