"""The `pulumi-cams` command line against the emulator over HTTP, and the demo script."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import selectors
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from cams_emulator import DEMO_SEED_PATH, EmulatorServer
from click.testing import CliRunner, Result
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.settings import ProviderSettings
from pulumi_cams_provider.cli.commands import main

from tests.support import demo_seed as seed
from tests.support import emulator_control as ctl

REPO = Path(__file__).resolve().parent.parent
CONSOLE_SCRIPT = str(Path(sys.executable).parent / "pulumi-cams")


def _key_env(key: tuple[str, str]) -> dict[str, str]:
    return {"ALIBABA_CLOUD_ACCESS_KEY_ID": key[0], "ALIBABA_CLOUD_ACCESS_KEY_SECRET": key[1]}


DEMO_KEY = _key_env(seed.DEMO_KEY)
READ_ONLY_KEY = _key_env(seed.READ_ONLY_KEY)
UNSUBSCRIBED_KEY = _key_env(seed.UNSUBSCRIBED_KEY)


def _invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, args, env=env, prog_name="pulumi-cams")


def _cams(server: EmulatorServer, key: dict[str, str] = DEMO_KEY) -> dict[str, str]:
    return {"CAMS_ENDPOINT": server.url, **key}


# --- request-code ------------------------------------------------------------------------


def test_request_code_puts_a_code_in_the_emulator_inbox(emulator: EmulatorServer) -> None:
    result = _invoke(
        [
            "request-code",
            "--space",
            "cams-demo-space",
            "--phone",
            "+86 138-0000-1234",
            "--method",
            "VOICE",
            "--locale",
            "zh_CN",
        ],
        env=_cams(emulator),
    )

    assert result.exit_code == 0, result.output
    [logged] = ctl.requests(emulator.url)
    assert logged["action"] == "GetChatappVerifyCode"
    assert logged["code"] == "OK"
    assert result.stdout == (
        "Requested a verification code for 8613800001234 in space cams-demo-space by voice "
        f"(zh_CN); RequestId {logged['requestId']}.\n"
        "When it arrives, store it as a secret in the stack config and run `pulumi up`:\n"
        "  pulumi config set --secret verifyCode <code>\n"
    )
    [message] = ctl.codes(emulator.url)
    assert {k: v for k, v in message.items() if k != "code"} == {
        "custSpaceId": "cams-demo-space",
        "phoneNumber": "8613800001234",
        "method": "voice",
        "locale": "zh_CN",
    }
    assert re.fullmatch(r"\d{6}", message["code"])
    assert message["code"] not in result.output


def test_request_code_defaults_to_sms_in_english(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["request-code", "--space", "cams-demo-space", "--phone", "6591234567"],
        env=_cams(emulator),
    )

    assert result.exit_code == 0, result.output
    [message] = ctl.codes(emulator.url)
    assert (message["phoneNumber"], message["method"], message["locale"]) == (
        "6591234567",
        "sms",
        "en_US",
    )


def test_endpoint_flag_wins_over_the_environment(emulator: EmulatorServer) -> None:
    # Port 9 (discard) on loopback: nothing listens there, so the call fails if the flag loses.
    env = {**DEMO_KEY, "CAMS_ENDPOINT": "http://127.0.0.1:9"}
    result = _invoke(
        [
            "request-code",
            "--space",
            "cams-demo-space",
            "--phone",
            "6591234567",
            "--endpoint",
            emulator.url,
            "--region",
            "ap-southeast-1",
        ],
        env=env,
    )

    assert result.exit_code == 0, result.output
    assert len(ctl.codes(emulator.url)) == 1


# --- status ------------------------------------------------------------------------------


def test_status_shows_a_pending_number_and_the_next_step(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "+8613800001234"],
        env=_cams(emulator),
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Space                         cams-demo-space\n"
        "Phone number                  8613800001234\n"
        "Status                        PENDING\n"
        "Code verification status      NOT_VERIFIED\n"
        "Verified name                 Demo Shop\n"
        "Quality rating                UNKNOWN\n"
        "Messaging limit tier          TIER_250\n"
        "Name status                   Approval\n"
        "Registered                    no\n"
        "Can send message              BLOCKED\n"
        "Sending advice                The phone number is not registered. Register the number "
        "with ChatappVerifyAndRegister.\n"
        "Profile: about                -\n"
        "Profile: address              -\n"
        "Profile: description          -\n"
        "Profile: email                -\n"
        "Profile: websites             -\n"
        "Profile: vertical             -\n"
        "Webhook: status callback url  -\n"
        "Webhook: up callback url      -\n"
        "Webhook: queue delivery       no\n"
        "Next step                     request a code: pulumi-cams request-code "
        "--space cams-demo-space --phone 8613800001234\n"
    )
    # One listing serves the registration and the webhook; the health and the profile are
    # one read each; nothing is written.
    assert sorted(r["action"] for r in ctl.requests(emulator.url)) == [
        "GetWhatsappHealthStatus",
        "QueryChatappPhoneNumbers",
        "QueryPhoneBusinessProfile",
    ]


def test_status_json_for_a_registered_number(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "008613800005678", "--json"],
        env=_cams(emulator),
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        **seed.CONNECTED_LOOKUP,
        "canSendMessage": "AVAILABLE",
        "profile": dict.fromkeys(
            ["about", "address", "description", "email", "websites", "vertical"]
        ),
        "webhook": {"statusCallbackUrl": None, "upCallbackUrl": None, "queueDelivery": False},
    }
    assert result.stdout.count("\n") == 1


def test_status_follows_a_registration(emulator: EmulatorServer) -> None:
    _invoke(
        ["request-code", "--space", "cams-demo-space", "--phone", "6591234567"], _cams(emulator)
    )
    [message] = ctl.codes(emulator.url)
    settings = ProviderSettings.from_config({"cams:endpoint": emulator.url}, DEMO_KEY)
    CamsClient(settings).chatapp_verify_and_register(
        "cams-demo-space", "6591234567", message["code"]
    )

    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "6591234567", "--json"],
        env=_cams(emulator),
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["status"], document["registered"], document["codeNeeded"]) == (
        "CONNECTED",
        True,
        False,
    )


def test_status_of_a_number_not_in_the_space(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "4915112345678"],
        env=_cams(emulator),
    )

    assert result.exit_code == 1
    assert result.stdout == ""
    # The message getPhoneNumber gives: one lookup, whichever door asks.
    request_id = ctl.last_request_id(emulator.url, "QueryChatappPhoneNumbers")
    assert result.stderr == (
        "Error: QueryChatappPhoneNumbers for phone number 4915112345678 in space "
        "cams-demo-space failed: PhoneNumberNotInSpace: the space's phone-number list does not "
        f"contain it (RequestId {request_id}). Add the number to the WhatsApp Business Account "
        "(WABA) bound to space cams-demo-space first (CAMS console, or ChatappSyncPhoneNumber "
        "after adding it in Meta), then run `pulumi up` again.\n"
    )


def test_status_of_a_space_lists_every_number_in_one_listing(emulator: EmulatorServer) -> None:
    table = _invoke(["status", "--space", "cams-demo-space"], env=_cams(emulator))
    as_json = _invoke(["status", "--space", "cams-demo-space", "--json"], env=_cams(emulator))

    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].split("  ")[0] == "Phone number"
    rows = {line.split()[0]: line for line in table.stdout.splitlines()[1:-1]}
    assert sorted(rows) == sorted([seed.PENDING, seed.CONNECTED, seed.NO_CODE])
    assert rows[seed.CONNECTED].split()[1:2] == ["CONNECTED"]
    assert rows[seed.CONNECTED].endswith("yes") and rows[seed.PENDING].endswith("no")
    assert table.stdout.splitlines()[-1] == (
        "3 numbers, 2 not registered: `pulumi-cams request-code --space cams-demo-space "
        "--pending` asks a code for each"
    )
    documents = json.loads(as_json.stdout)
    assert [d["phoneNumber"] for d in documents] == sorted(rows)
    assert documents[[d["phoneNumber"] for d in documents].index(seed.CONNECTED)] == (
        seed.CONNECTED_LOOKUP
    )
    assert ctl.actions(emulator.url) == ["QueryChatappPhoneNumbers"] * 2


def test_request_code_for_every_pending_number_prints_the_fleet_config_lines(
    emulator: EmulatorServer,
) -> None:
    result = _invoke(
        ["request-code", "--space", "cams-demo-space", "--pending"], env=_cams(emulator)
    )

    assert result.exit_code == 0, result.output
    pending = sorted([seed.PENDING, seed.NO_CODE])
    assert sorted(c["phoneNumber"] for c in ctl.codes(emulator.url)) == pending
    assert ctl.actions(emulator.url) == ["QueryChatappPhoneNumbers"] + ["GetChatappVerifyCode"] * 2
    assert result.stdout.splitlines()[-3:] == [
        "When the codes arrive, store each as a secret and run `pulumi up`:",
        *(f"  pulumi config set --secret --path 'verifyCodes[\"{p}\"]' <code>" for p in pending),
    ]


def test_request_code_for_several_numbers_goes_on_past_one_that_fails(
    emulator: EmulatorServer,
) -> None:
    result = _invoke(
        [
            "request-code",
            "--space",
            "cams-demo-space",
            "--phone",
            "4915112345678",
            "--phone",
            seed.NO_CODE,
            "--config-key",
            "codes",
        ],
        env=_cams(emulator),
    )

    assert result.exit_code == 1
    assert [c["phoneNumber"] for c in ctl.codes(emulator.url)] == [seed.NO_CODE]
    assert result.stdout.splitlines()[-1] == (
        f"  pulumi config set --secret --path 'codes[\"{seed.NO_CODE}\"]' <code>"
    )
    first, last = result.stderr.splitlines()
    assert first.startswith(
        "Error: GetChatappVerifyCode for phone number 4915112345678 in space cams-demo-space "
        "failed: ERR-OPERATION-MAAP-0065: "
    )
    assert last == "Error: 1 of 2 requests failed (above)"


def test_request_code_needs_a_number_or_pending(emulator: EmulatorServer) -> None:
    result = _invoke(["request-code", "--space", "cams-demo-space"], env=_cams(emulator))

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: name a number with --phone (repeat for more), or use --pending. "
        "See 'pulumi-cams request-code --help'.\n"
    )
    assert ctl.requests(emulator.url) == []


def _export(emulator: EmulatorServer, *phones: str) -> str:
    """A `pulumi stack export --show-secrets` of a native stack whose provider holds the
    emulator's endpoint and the demo key in its inputs, managing ``phones`` in the demo space."""
    # A secret as `--show-secrets` shows it: its value as JSON, beside the secret signature.
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
    provider = {
        "type": "pulumi:providers:cams",
        "inputs": {
            "endpoint": emulator.url,
            "accessKeyId": seed.DEMO_KEY[0],
            "accessKeySecret": {**secret, "plaintext": json.dumps(seed.DEMO_KEY[1])},
        },
    }
    registrations = [
        {
            "type": "cams:index:PhoneNumberRegistration",
            "outputs": {"custSpaceId": seed.SPACE, "phoneNumber": phone},
        }
        for phone in phones
    ]
    return json.dumps({"deployment": {"resources": [provider, *registrations]}})


def test_drift_takes_the_settings_the_stack_holds_and_names_a_lost_number(
    emulator: EmulatorServer,
) -> None:
    held = CliRunner().invoke(main, ["drift"], input=_export(emulator, seed.CONNECTED), env={})
    lost = CliRunner().invoke(
        main, ["drift", "--state", "-"], input=_export(emulator, seed.CONNECTED, seed.PENDING)
    )

    assert held.exit_code == 0, held.output
    assert held.stdout == (
        "drift: 1 registration(s) and 0 profile(s) or webhook(s) in 1 space(s): every one holds\n"
    )
    assert lost.exit_code == 3, lost.output
    assert lost.stderr.startswith(
        f"lost: {seed.PENDING} in space {seed.SPACE} is lost: CAMS shows it PENDING, "
        "deregistered outside Pulumi."
    )
    assert lost.stdout == (
        "drift: 2 registration(s) and 0 profile(s) or webhook(s) in 1 space(s): 1 lost, changed "
        "or unreadable (above)\n"
    )
    assert ctl.actions(emulator.url) == ["QueryChatappPhoneNumbers"] * 2


def test_drift_refuses_what_is_not_a_stack_export(emulator: EmulatorServer) -> None:
    result = CliRunner().invoke(main, ["drift"], input="{}", prog_name="pulumi-cams")

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for '--state': expected the JSON of `pulumi stack export`. "
        "See 'pulumi-cams drift --help'.\n"
    )


# --- bad input: exit 2, one line, nothing sent -------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["request-code", "--space", "cams-demo-space", "--phone", "138-0000"],
            "Error: Invalid value for '--phone': must have 8 to 15 digits including the "
            "country code; '138-0000' has 7. See 'pulumi-cams request-code --help'.",
        ),
        (
            ["status", "--space", "cams-demo-space", "--phone", "+86 138 0000 12x4"],
            "Error: Invalid value for '--phone': may contain only digits, spaces, hyphens, dots, "
            "parentheses and slashes, and a leading '+' or '00'; got '+86 138 0000 12x4', write "
            "it like '+86 138-0000-1234'. "
            "See 'pulumi-cams status --help'.",
        ),
        (
            ["status", "--phone", "8613800001234"],
            "Error: Missing option '--space'. See 'pulumi-cams status --help'.",
        ),
        (
            ["request-code", "--space", "  ", "--phone", "8613800001234"],
            "Error: Invalid value for '--space': the space ID (CustSpaceId) must not be empty. "
            "See 'pulumi-cams request-code --help'.",
        ),
        (
            ["request-code", "--space", "s", "--phone", "8613800001234", "--method", "fax"],
            "Error: Invalid value for '--method': 'fax' is not one of 'sms', 'voice'. "
            "See 'pulumi-cams request-code --help'.",
        ),
        (
            ["register", "--space", "s"],
            "Error: No such command 'register'. See 'pulumi-cams --help'.",
        ),
        (
            ["emulator", "--port", "70000"],
            "Error: Invalid value for '--port': 70000 is not in the range 0<=x<=65535. "
            "See 'pulumi-cams emulator --help'.",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    emulator: EmulatorServer, args: list[str], message: str
) -> None:
    result = _invoke(args, env=_cams(emulator))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    assert ctl.requests(emulator.url) == []


def test_a_bad_endpoint_in_the_environment_is_exit_2(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "8613800001234"],
        env={**DEMO_KEY, "CAMS_ENDPOINT": "ftp://127.0.0.1/cams"},
    )

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: Invalid provider setting CAMS_ENDPOINT: expected a host[:port] or "
        '"http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080" '
        "(got 'ftp://127.0.0.1/cams'). Fix or unset the environment variable CAMS_ENDPOINT.\n"
    )


def test_a_bad_endpoint_flag_names_the_flag(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "s", "--phone", "8613800001234", "--endpoint", "ftp://x/y"],
        env=DEMO_KEY,
    )

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Invalid value for '--endpoint': expected a host[:port] or "
        '"http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080" '
        "(got 'ftp://x/y'). See 'pulumi-cams status --help'.\n"
    )


# --- CAMS errors: exit 1, one line, no traceback, no secret -------------------------------


def test_a_wrong_secret_is_one_line_without_the_secret(emulator: EmulatorServer) -> None:
    wrong = {**DEMO_KEY, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret-Zz9Yy8Xx"}
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "8613800001234"],
        env=_cams(emulator, wrong),
    )

    assert result.exit_code == 1
    [logged] = ctl.requests(emulator.url)
    assert result.stdout == ""
    assert result.stderr == (
        "Error: QueryChatappPhoneNumbers for phone number 8613800001234 in space "
        "cams-demo-space failed: "
        "SignatureDoesNotMatch: Specified signature is not matched with our calculation "
        f"(RequestId {logged['requestId']}). Check the access key pair: the access key secret "
        "does not belong to the access key id (read from ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET).\n"
    )
    assert "wrong-secret" not in result.output


def test_a_credential_error_names_the_variables_that_won(emulator: EmulatorServer) -> None:
    # ALICLOUD_ACCESS_KEY is read before ALIBABA_CLOUD_ACCESS_KEY_ID: a stale one in the
    # environment silently wins over the right pair, so the error says which were read.
    stale = {**DEMO_KEY, "ALICLOUD_ACCESS_KEY": "LTAI5tNoSuchKey", "ALICLOUD_SECRET_KEY": "x"}
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "8613800001234"],
        env=_cams(emulator, stale),
    )

    assert result.exit_code == 1
    [logged] = ctl.requests(emulator.url)
    assert result.stderr == (
        "Error: QueryChatappPhoneNumbers for phone number 8613800001234 in space "
        "cams-demo-space failed: "
        "InvalidAccessKeyId.NotFound: Specified access key is not found "
        f"(RequestId {logged['requestId']}). Check the access key pair: the access key id is "
        "unknown or disabled (read from ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY).\n"
    )


@pytest.mark.parametrize(
    ("key", "args", "message"),
    [
        pytest.param(
            READ_ONLY_KEY,
            ["request-code", "--space", "cams-demo-space", "--phone", "8613800001234"],
            "GetChatappVerifyCode for phone number 8613800001234 in space cams-demo-space "
            "failed: Ram.PermissionDeny: You are not authorized to perform the operation "
            "(RequestId {rid}). Grant the RAM action cams:GetChatappVerifyCode to the identity "
            "in use (for example with a custom policy; AliyunCamsFullAccess covers it).",
            id="ram-denied",
        ),
        pytest.param(
            UNSUBSCRIBED_KEY,
            ["status", "--space", "cams-demo-space", "--phone", "8613800001234"],
            "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space "
            "failed: Product.Unsubscript: "
            "You have not subscribed to the specified product (RequestId {rid}). Activate Chat "
            "App Message Service (CAMS) for this Alibaba Cloud account in the console, then "
            "retry.",
            id="unsubscribed",
        ),
        pytest.param(
            DEMO_KEY,
            ["status", "--space", "cams-other-tenant", "--phone", "4915112345678"],
            "QueryChatappPhoneNumbers for phone number 4915112345678 in space "
            "cams-other-tenant failed: "
            "Unknown.ResourceOwnerId: The resource does not belong to the current user "
            "(RequestId {rid}). Space cams-other-tenant belongs to another Alibaba Cloud "
            "account: check custSpaceId and the credentials in use.",
            id="other-account",
        ),
        pytest.param(
            DEMO_KEY,
            ["request-code", "--space", "cams-demo-space", "--phone", "4915112345678"],
            "GetChatappVerifyCode for phone number 4915112345678 in space cams-demo-space "
            "failed: ERR-OPERATION-MAAP-0065: The phoneCode is not bind to the subscriber "
            "(RequestId {rid}). Bind the number to the WhatsApp Business Account (WABA) of "
            "space cams-demo-space first (ChatappSyncPhoneNumber or the CAMS console), then "
            "retry.",
            id="not-bound",
        ),
    ],
)
def test_cams_errors_are_one_line_and_exit_1(
    emulator: EmulatorServer, key: dict[str, str], args: list[str], message: str
) -> None:
    result = _invoke(args, env=_cams(emulator, key))

    assert result.exit_code == 1
    [logged] = ctl.requests(emulator.url)
    assert result.stdout == ""
    assert result.stderr == "Error: " + message.format(rid=logged["requestId"]) + "\n"
    assert ctl.codes(emulator.url) == []


def test_the_read_only_key_may_read_the_status(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "8613800005678"],
        env=_cams(emulator, READ_ONLY_KEY),
    )

    assert result.exit_code == 0, result.output
    assert "Status                        CONNECTED\n" in result.stdout


def test_the_console_script_reports_a_cams_error_without_a_traceback(
    emulator: EmulatorServer,
) -> None:
    env = {
        **os.environ,
        **_cams(emulator, {**DEMO_KEY, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret-Qq1"}),
    }
    completed = subprocess.run(
        [
            str(CONSOLE_SCRIPT),
            "request-code",
            "--space",
            "cams-demo-space",
            "--phone",
            "6591234567",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.startswith(
        "Error: GetChatappVerifyCode for phone number 6591234567 in space cams-demo-space "
        "failed: SignatureDoesNotMatch: "
    )
    assert completed.stderr.count("\n") == 1
    assert "Traceback" not in completed.stderr
    assert "wrong-secret" not in completed.stderr


def test_profile_flag_reads_the_credentials_file(emulator: EmulatorServer, tmp_path: Path) -> None:
    credentials = tmp_path / ".alibabacloud" / "credentials.ini"
    credentials.parent.mkdir()
    credentials.write_text(
        f"[ci]\ntype = access_key\naccess_key_id = {seed.DEMO_KEY[0]}\n"
        f"access_key_secret = {seed.DEMO_KEY[1]}\n"
    )
    # A subprocess: the Alibaba credentials library reads HOME when it is imported.
    completed = subprocess.run(
        [CONSOLE_SCRIPT, "status", "--space", "cams-demo-space", "--phone", "8613800005678"]
        + ["--profile", "ci", "--endpoint", emulator.url, "--json"],
        env={**os.environ, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["status"] == "CONNECTED"
    assert {r["accessKeyId"] for r in ctl.requests(emulator.url)} == {seed.DEMO_KEY[0]}


# --- emulator ------------------------------------------------------------------------------


def test_emulator_command_prints_its_url_first_and_serves() -> None:
    process = subprocess.Popen(
        [CONSOLE_SCRIPT, "emulator", "--port", "0", "--seed", str(DEMO_SEED_PATH)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = _read_line(process, timeout=30)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+\n", first_line), first_line
        url = first_line.strip()
        with urllib.request.urlopen(url + "/_emulator/state", timeout=10) as response:
            state = json.load(response)
        assert {s["custSpaceId"] for s in state["spaces"]} == {
            "cams-demo-space",
            "cams-second-space",
            "cams-other-tenant",
        }
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_emulator_refuses_a_bad_seed_in_one_line(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text('{"accounts": [], "spaces": [{"custSpaceId": "s", "accountId": "1"}]}')

    result = subprocess.run(
        [CONSOLE_SCRIPT, "emulator", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 2
    assert (result.stdout, result.stderr) == (
        "",
        "pulumi-cams emulator: error: spaces[0].accountId: no account '1' in accounts\n",
    )


def test_the_command_line_never_imports_the_emulator() -> None:
    """It runs the emulator as a process of its own (python -c), as users' CI would."""
    code = (
        "import sys, pulumi_cams_provider.cli, pulumi_cams_provider.cli.commands; "
        "print(sorted(m for m in sys.modules if m.startswith('cams_emulator')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout == "[]\n", result.stderr


def test_no_command_prints_the_help() -> None:
    result = _invoke([])

    assert result.exit_code == 2
    assert result.stdout.startswith("Usage: pulumi-cams [OPTIONS] COMMAND [ARGS]...\n")
    assert "  request-code  " in result.stdout
    assert result.stderr == ""


def test_version() -> None:
    result = _invoke(["--version"])

    expected = f"pulumi-cams, version {importlib.metadata.version('pulumi-cams')}\n"
    assert (result.exit_code, result.stdout) == (0, expected)


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"no output within {timeout} s")
    return process.stdout.readline()


# --- the demo script ----------------------------------------------------------------------


def test_demo_without_the_pulumi_cli_or_go_says_what_to_install(tmp_path: Path) -> None:
    # A PATH with bash and coreutils but without `pulumi`, and without Go to build one; a HOME
    # whose cache holds no CLI built earlier.
    path = os.pathsep.join(
        d
        for d in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep)
        if d and not (Path(d) / "pulumi").exists() and not (Path(d) / "go").exists()
    )
    bash = shutil.which("bash", path=path)
    assert bash is not None

    completed = subprocess.run(
        [bash, str(REPO / "scripts" / "demo.sh")],
        env={"PATH": path, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr == (
        "error: no Pulumi CLI on PATH and no Go toolchain to build one: install Pulumi "
        "(https://www.pulumi.com/docs/install/) or Go >= 1.26.\n"
    )


def test_ctrl_c_exits_130_without_noise(emulator: EmulatorServer) -> None:
    import signal
    import time

    ctl.faults(emulator.url, "QueryChatappPhoneNumbers", "delay", seconds=5)
    env = {
        **{k: v for k, v in os.environ.items() if "PROXY" not in k.upper()},
        **_cams(emulator),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("pulumi-cams")), "status", "--space",
         "cams-demo-space", "--phone", "8613800001234"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from an interactive shell: a test run from a background job (CI) would otherwise
        # hand the command SIGINT as ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while ctl.control(emulator.url, "GET", "faults"):  # the listing is being held
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert (out, err.strip()) == ("", "")  # at most the newline after ^C
    # The emulator logs the held listing when its delay ends: wait for that here, or it would
    # land in the request log of a later test.
    while not ctl.requests(emulator.url):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_missing_credentials_name_what_the_command_reads(emulator: EmulatorServer) -> None:
    result = _invoke(
        ["status", "--space", "cams-demo-space", "--phone", "8613800001234", "--profile", "nope"],
        env={"CAMS_ENDPOINT": emulator.url},
    )
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "Provide credentials: the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET, or --profile.\n"
    )
    assert "pulumi config" not in result.stderr


@pytest.mark.parametrize("locale", ["xx", "en_us", "en-US", ""])
def test_request_code_refuses_a_locale_cams_does_not_document(
    emulator: EmulatorServer, locale: str
) -> None:
    result = _invoke(
        [
            "request-code",
            "--space",
            "cams-demo-space",
            "--phone",
            "8613800001234",
            "--locale",
            locale,
        ],
        env=_cams(emulator),
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Invalid value for '--locale': {locale!r} is not one of 'en_US', 'zh_CN'. "
        "See 'pulumi-cams request-code --help'.\n"
    )
    assert ctl.codes(emulator.url) == []


def test_import_file_writes_the_registered_numbers_of_each_space(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    import cams_emulator

    from tests.support import emulator_control as ctl

    seed = json.loads(Path(cams_emulator.DEMO_SEED_PATH).read_text())
    seed["spaces"].append({"custSpaceId": "cams-empty-space", "accountId": "5012345678901234"})
    ctl.seed(emulator.url, seed)
    document = tmp_path / "import.json"
    spaces = ["--space", "cams-demo-space", "--space", "cams-empty-space"]

    result = _invoke(
        ["import-file", *spaces, "--space", "cams-demo-space", "--output", str(document)],
        env=_cams(emulator),
    )

    assert result.exit_code == 0, result.output
    assert json.loads(document.read_text()) == {
        "resources": [
            {
                "type": "cams:index:PhoneNumberRegistration",
                "name": "cams-demo-space-8613800005678",
                "id": "cams-demo-space/8613800005678",
            }
        ]
    }
    assert result.stderr == ("registered numbers: 1 in 2 space(s); not registered, left out: 2\n")
    assert ctl.actions(emulator.url) == ["QueryChatappPhoneNumbers"] * 2

    empty = _invoke(["import-file", "--space", "cams-empty-space"], env=_cams(emulator))
    assert (empty.exit_code, json.loads(empty.stdout)) == (0, {"resources": []})

    python = _invoke(["import-file", *spaces, "--format", "python"], env=_cams(emulator))
    assert python.stdout.endswith(
        "PhoneNumberRegistration(\n"
        '    "cams-demo-space-8613800005678",\n'
        '    cust_space_id="cams-demo-space",\n'
        '    phone_number="8613800005678",\n'
        ")\n"
    )
    compile(python.stdout, "import.py", "exec")  # a program a user can paste


def test_import_file_of_a_space_of_another_account_fails_in_one_line(
    emulator: EmulatorServer,
) -> None:
    result = _invoke(["import-file", "--space", "cams-other-tenant"], env=_cams(emulator))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: QueryChatappPhoneNumbers in space cams-other-tenant failed: "
        "Unknown.ResourceOwnerId: "
    )
    assert result.stderr.count("\n") == 1
