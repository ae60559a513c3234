"""No verify code, access key secret or security token in outputs, errors, logs or pickles.

Uses distinctive secrets (an access key and an STS token seeded only here, and a code no other
test uses), so a hit cannot be a coincidence. The session-wide watch in secret_hygiene.py also
scans every test's captured output and every provider process's stderr.
"""

from __future__ import annotations

import base64
import logging
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from cams_emulator import DEMO_SEED_PATH, EmulatorServer, load_seed
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.errors import CamsError
from pulumi_cams_provider.cams.retry import RetryPolicy
from pulumi_cams_provider.cams.settings import ProviderSettings
from pulumi_cams_provider.controller.registration import RegistrationController
from pulumi_cams_provider.controller.session import CamsSession

from tests.support import emulator_control as ctl
from tests.support import secret_hygiene
from tests.support.engine import DynamicProvider, ProviderError
from tests.support.settings import settings_for

KEY_ID = "LTAI5tHygieneKey"
KEY_SECRET = "hygiene-secret-Wq7Rt5Yu"
TOKEN = "hygiene-sts-token-Xc4Vb6Nm"
CODE = "975318"
SPACE = "cams-demo-space"
PHONE = "8613800007777"
SECRETS = (KEY_SECRET, TOKEN, CODE)
REGISTER = actions.VERIFY_AND_REGISTER


def clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked into: {text[:300]}"


@pytest.fixture
def hygiene_emulator(emulator: EmulatorServer) -> EmulatorServer:
    seed = load_seed(DEMO_SEED_PATH)
    seed["accounts"][0]["accessKeys"].append({"accessKeyId": KEY_ID, "accessKeySecret": KEY_SECRET})
    seed["phoneNumbers"].append(
        {
            "custSpaceId": SPACE,
            "phoneNumber": PHONE,
            "status": "PENDING",
            "codeVerificationStatus": "NOT_VERIFIED",
            "verifyCode": CODE,
        }
    )
    ctl.seed(emulator.url, seed)
    return emulator


@pytest.fixture
def provider(hygiene_emulator: EmulatorServer) -> Iterator[DynamicProvider]:
    with DynamicProvider() as process:
        process.configure(
            {
                "cams:endpoint": hygiene_emulator.url,
                "cams:accessKeyId": KEY_ID,
                "cams:accessKeySecret": KEY_SECRET,
                "cams:securityToken": TOKEN,
            }
        )
        yield process
        clean(process.stderr)


def hygiene_settings(server: EmulatorServer) -> ProviderSettings:
    return settings_for(server, (KEY_ID, KEY_SECRET), security_token=TOKEN)


def test_outputs_and_the_pickled_provider_hold_no_secret(
    provider: DynamicProvider, hygiene_emulator: EmulatorServer
) -> None:
    # A reset after commit makes create retry through an ambiguous failure first.
    ctl.faults(hygiene_emulator.url, REGISTER, "reset_after")
    checked = provider.check({"custSpaceId": SPACE, "phoneNumber": PHONE, "verifyCode": CODE})
    resource_id, outputs = provider.create(checked.inputs)
    assert outputs["status"] == "CONNECTED"
    blob = outputs.pop("__provider")
    clean(resource_id, repr(outputs), base64.b64decode(blob).decode("latin-1"))
    _, refreshed = provider.read(resource_id, {**outputs, "__provider": blob})
    clean(repr(refreshed))


def test_errors_through_the_host_hold_no_secret(
    provider: DynamicProvider, hygiene_emulator: EmulatorServer
) -> None:
    ctl.faults(hygiene_emulator.url, REGISTER, "business_error", code="InvalidParameter")
    with pytest.raises(ProviderError) as exc:
        provider.create({"custSpaceId": SPACE, "phoneNumber": PHONE, "verifyCode": CODE})
    assert "InvalidParameter: Injected business error" in exc.value.message
    clean(exc.value.details)  # the whole traceback the engine would show


@pytest.mark.parametrize("fault", ["business_error", "malformed", "http500"])
def test_errors_and_logs_in_process_hold_no_secret(
    hygiene_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    caplog.set_level(logging.DEBUG)  # urllib3 logs each request line, query string included
    settings = hygiene_settings(hygiene_emulator)
    # Every register attempt fails (business error, 500), so create ends in an error after
    # observing; a truncated answer (malformed) is committed, so create succeeds after observing.
    ctl.faults(hygiene_emulator.url, REGISTER, fault, count=20, code="InvalidParameter")
    controller = RegistrationController(
        CamsSession(
            settings.model_copy(update={"retry_timeout": 1.0, "settle_timeout": 0.3}),
            retry_policy=RetryPolicy(base=0.01, cap=0.02),
        )
    )
    error: Any = None
    try:
        controller.create({"custSpaceId": SPACE, "phoneNumber": PHONE, "verifyCode": CODE})
    except CamsError as exc:
        error = exc
    assert (error is None) == (fault == "malformed")
    assert any("VerifyCode=***" in r.getMessage() for r in caplog.records)
    if error is not None:
        clean(str(error), repr(error), pickle.dumps(error).decode("latin-1"), repr(vars(error)))
    clean(
        caplog.text,
        repr(settings),
        str(settings.model_dump()),
    )


def test_the_watch_catches_a_leaking_process() -> None:
    class Leaky:
        stderr = f"Traceback ... VerifyCode={CODE}"

        def close(self) -> None:
            pass

    undo = secret_hygiene._watch(Leaky, "close", "leaky process")
    try:
        Leaky().close()
        assert secret_hygiene._found == [f"leaky process stderr contains {CODE!r}"]
    finally:
        secret_hygiene._found.clear()
        undo()
    assert secret_hygiene.leaks("nothing here") == []


# --- the SDKs' own debug switches ------------------------------------------------------------


def test_the_alibaba_sdk_debug_switch_prints_no_secret(hygiene_emulator: EmulatorServer) -> None:
    """``DEBUG=sdk`` makes darabonba print every request with its headers; the verify code
    rides in the query and the STS token in a header."""
    with DynamicProvider(env={"DEBUG": "sdk"}) as provider:
        provider.configure(
            {
                "cams:endpoint": hygiene_emulator.url,
                "cams:accessKeyId": KEY_ID,
                "cams:accessKeySecret": KEY_SECRET,
                "cams:securityToken": TOKEN,
            }
        )
        provider.create({"custSpaceId": SPACE, "phoneNumber": PHONE, "verifyCode": CODE})
        stderr = provider.stderr
    # The switch is on (the request lines are there), and only the secrets are masked.
    assert "> x-acs-security-token : ***" in stderr
    assert "VerifyCode=***" in stderr and "> x-acs-action : ChatappVerifyAndRegister" in stderr
    clean(stderr)


def test_the_cli_under_every_debug_switch_prints_no_secret(
    hygiene_emulator: EmulatorServer, tmp_path: Any
) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    cli = Path(sys.executable).with_name("pulumi-cams")
    env = {
        **{k: v for k, v in os.environ.items() if "PROXY" not in k.upper()},
        "DEBUG": "sdk",
        "CAMS_ENDPOINT": hygiene_emulator.url,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": KEY_ID,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": KEY_SECRET,
        "ALIBABA_CLOUD_SECURITY_TOKEN": TOKEN,
    }
    done = subprocess.run(
        [str(cli), "status", "--space", SPACE, "--phone", PHONE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "> x-acs-security-token : ***" in done.stderr
    clean(done.stdout, done.stderr)


def test_an_endpoint_with_credentials_in_it_is_not_echoed() -> None:
    from pulumi_cams_provider.cams.errors import SettingsError

    with pytest.raises(SettingsError) as exc:
        ProviderSettings.from_config({"cams:endpoint": "http://user:p4ss-w0rd@127.0.0.1:1/x"})
    assert str(exc.value) == (
        "Invalid provider setting cams:endpoint: expected a host[:port] or "
        '"http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080" '
        "(got 'http://***@127.0.0.1:1/x'). Fix it with `pulumi config set cams:endpoint <value>`."
    )
    assert "p4ss-w0rd" not in repr(exc.value.args)


def test_a_webhook_url_stays_out_of_every_debug_log(
    hygiene_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Callback URLs carry tokens in their query string, and ride in the request's query."""
    from pulumi_cams_provider.controller.lifecycles import kind_of
    from pulumi_cams_provider.phone_number_webhook import WEBHOOK

    caplog.set_level(logging.DEBUG)
    url = "https://hooks.example.com/status?token=hygiene-hook-Tq2Lp8"
    session = CamsSession(hygiene_settings(hygiene_emulator))
    created = (
        kind_of(WEBHOOK.token)
        .controller(session)
        .create({"custSpaceId": SPACE, "phoneNumber": PHONE, "statusCallbackUrl": url})
    )
    assert created.outputs["statusCallbackUrl"] == url  # an output the engine keeps secret
    assert any("StatusCallbackUrl=***" in r.getMessage() for r in caplog.records)
    assert "hygiene-hook-Tq2Lp8" not in caplog.text


def test_the_alibaba_sdk_debug_switch_prints_no_webhook_url(
    hygiene_emulator: EmulatorServer,
) -> None:
    """Under ``DEBUG=sdk`` the URL rides out in the request and back in each listing."""
    from pulumi.dynamic.dynamic import serialize_provider
    from pulumi_cams_provider.dynamic import PhoneNumberWebhookProvider

    token = "hygiene-hook-Zk5Wd1"
    with DynamicProvider(env={"DEBUG": "sdk"}) as provider:
        provider.configure(
            {
                "cams:endpoint": hygiene_emulator.url,
                "cams:accessKeyId": KEY_ID,
                "cams:accessKeySecret": KEY_SECRET,
            }
        )
        props = {
            "__provider": serialize_provider(PhoneNumberWebhookProvider()),
            "custSpaceId": SPACE,
            "phoneNumber": PHONE,
            "upCallbackUrl": f"https://hooks.example.com/up?token={token}",
        }
        resource_id, outputs = provider.create(props, name="hook")
        provider.read(resource_id, outputs, name="hook")
        stderr = provider.stderr
    assert "> x-acs-action : UpdatePhoneWebhook" in stderr
    assert token not in stderr
