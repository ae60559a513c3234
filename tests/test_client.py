"""CamsClient against the emulator over real HTTP, signed by the real Alibaba SDK."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams import attempt as attempt_module
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.errors import (
    CamsAccessDenied,
    CamsAmbiguous,
    CamsError,
    CamsInvalidRequest,
    CamsNotFound,
    CamsThrottled,
    CamsUnavailable,
    CamsUnreachable,
)
from pulumi_cams_provider.cams.pacing.ratelimit import RateLimiter
from pulumi_cams_provider.cams.phone_number_list import PhoneNumber
from pulumi_cams_provider.cams.retry import RetryPolicy
from pulumi_cams_provider.cams.settings import ProviderSettings
from pydantic import SecretStr

from tests.support.demo_seed import CODE, CONNECTED, NO_CODE, PENDING, SPACE
from tests.support.demo_seed import DEMO_KEY as DEMO_AK
from tests.support.demo_seed import READ_ONLY_KEY as READONLY_AK
from tests.support.demo_seed import UNSUBSCRIBED_KEY as UNSUBSCRIBED_AK

FAST_RETRY = RetryPolicy(deadline=2.0, base=0.01, cap=0.05)


def make_client(
    emulator: EmulatorServer,
    key: tuple[str, str] = DEMO_AK,
    *,
    policy: RetryPolicy = FAST_RETRY,
    limiter: RateLimiter | None = None,
    **settings: Any,
) -> CamsClient:
    return CamsClient(
        ProviderSettings(
            endpoint=emulator.url,
            access_key_id=key[0],
            access_key_secret=SecretStr(key[1]),
            **settings,
        ),
        retry_policy=policy,
        limiter=limiter,
    )


def control(emulator: EmulatorServer, method: str, route: str, body: Any = None) -> Any:
    status, answer = emulator.controls.handle(method, route, body)
    assert status == 200, answer
    return answer


def fault(emulator: EmulatorServer, action: str, kind: str, count: int = 1, **extra: Any) -> None:
    control(emulator, "POST", "faults", {"action": action, "fault": kind, "count": count, **extra})


def requests_log(emulator: EmulatorServer) -> list[dict[str, Any]]:
    return list(emulator.log.entries())


def failure(call: Callable[[], object]) -> CamsError:
    with pytest.raises(CamsError) as exc:
        call()
    return exc.value


def full_text(err: BaseException) -> str:
    """Everything a traceback would show, chained exceptions included."""
    return "".join(traceback.format_exception(type(err), err, err.__traceback__)) + repr(err)


# --- happy paths: one test per action ----------------------------------------------------------


def test_query_lists_the_space_numbers(emulator: EmulatorServer) -> None:
    numbers = {n.phone_number: n for n in make_client(emulator).query_chatapp_phone_numbers(SPACE)}
    assert set(numbers) == {PENDING, CONNECTED, NO_CODE}
    connected = numbers[CONNECTED]
    assert isinstance(connected, PhoneNumber)
    assert (connected.status, connected.reported["codeVerificationStatus"]) == (
        "CONNECTED",
        "VERIFIED",
    )
    assert connected.reported["verifiedName"] == "Demo Shop Support"
    assert connected.registered and not numbers[PENDING].registered


def test_verify_and_register_connects_the_number(emulator: EmulatorServer) -> None:
    client = make_client(emulator)
    request_id = client.chatapp_verify_and_register(SPACE, PENDING, CODE)
    assert request_id
    (number,) = [n for n in client.query_chatapp_phone_numbers(SPACE) if n.phone_number == PENDING]
    assert (number.status, number.reported["codeVerificationStatus"]) == ("CONNECTED", "VERIFIED")
    entry = requests_log(emulator)[0]
    assert (entry["action"], entry["requestId"]) == ("ChatappVerifyAndRegister", request_id)
    assert entry["params"] == {"CustSpaceId": SPACE, "PhoneNumber": PENDING, "VerifyCode": "***"}


def test_request_a_code_then_register_with_it(emulator: EmulatorServer) -> None:
    client = make_client(emulator)
    assert client.get_chatapp_verify_code(SPACE, NO_CODE, method="voice", locale="zh_CN")
    (issued,) = [c for c in control(emulator, "GET", "codes") if c["phoneNumber"] == NO_CODE]
    assert (issued["method"].lower(), issued["locale"]) == ("voice", "zh_CN")
    client.chatapp_verify_and_register(SPACE, NO_CODE, issued["code"])
    (number,) = [n for n in client.query_chatapp_phone_numbers(SPACE) if n.phone_number == NO_CODE]
    assert number.reported["codeVerificationStatus"] == "VERIFIED"


def test_deregister_a_registered_number(emulator: EmulatorServer) -> None:
    client = make_client(emulator)

    def status() -> str | None:
        numbers = client.query_chatapp_phone_numbers(SPACE)
        return next(n.status for n in numbers if n.phone_number == CONNECTED)

    assert client.chatapp_phone_number_deregister(SPACE, CONNECTED)
    assert status() == "DISCONNECTED"


# --- every documented error code, as the right class with the exact one-line message ----------


def test_ram_denial_names_the_action_to_grant(emulator: EmulatorServer) -> None:
    err = failure(
        lambda: make_client(emulator, READONLY_AK).chatapp_verify_and_register(SPACE, PENDING, CODE)
    )
    assert type(err) is CamsAccessDenied
    assert str(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "Ram.PermissionDeny: You are not authorized to perform the operation "
        f"(RequestId {err.request_id}). Grant the RAM action cams:ChatappVerifyAndRegister to "
        "the identity in use (for example with a custom policy; AliyunCamsFullAccess covers it)."
    )
    assert err.auth_action == "cams:ChatappVerifyAndRegister"
    assert err.http_status == 400 and err.request_id


def test_unsubscribed_account(emulator: EmulatorServer) -> None:
    err = failure(lambda: make_client(emulator, UNSUBSCRIBED_AK).query_chatapp_phone_numbers(SPACE))
    assert type(err) is CamsAccessDenied
    assert str(err) == (
        f"QueryChatappPhoneNumbers in space {SPACE} failed: Product.Unsubscript: You have not "
        f"subscribed to the specified product (RequestId {err.request_id}). Activate Chat App "
        "Message Service (CAMS) for this Alibaba Cloud account in the console, then retry."
    )


def test_space_of_another_account(emulator: EmulatorServer) -> None:
    err = failure(lambda: make_client(emulator).query_chatapp_phone_numbers("cams-other-tenant"))
    assert type(err) is CamsAccessDenied
    assert str(err) == (
        "QueryChatappPhoneNumbers in space cams-other-tenant failed: Unknown.ResourceOwnerId: "
        f"The resource does not belong to the current user (RequestId {err.request_id}). Space "
        "cams-other-tenant belongs to another Alibaba Cloud account: check custSpaceId and the "
        "credentials in use."
    )


def test_number_not_bound_to_the_space(emulator: EmulatorServer) -> None:
    err = failure(
        lambda: make_client(emulator).chatapp_verify_and_register(SPACE, "861390000", CODE)
    )
    assert type(err) is CamsNotFound
    assert str(err) == (
        f"ChatappVerifyAndRegister for phone number 861390000 in space {SPACE} failed: "
        "ERR-OPERATION-MAAP-0065: The phoneCode is not bind to the subscriber "
        f"(RequestId {err.request_id}). Bind the number to the WhatsApp Business Account (WABA) "
        f"of space {SPACE} first (ChatappSyncPhoneNumber or the CAMS console), then retry."
    )
    assert CODE not in str(err)


def test_wrong_code(emulator: EmulatorServer) -> None:
    err = failure(
        lambda: make_client(emulator).chatapp_verify_and_register(SPACE, PENDING, "111111")
    )
    assert type(err) is CamsInvalidRequest
    assert str(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidParameter.VerifyCodeError: The verification code is incorrect "
        f"(RequestId {err.request_id}). Request a fresh code with `pulumi-cams request-code "
        f"--space {SPACE} --phone {PENDING}` and store it with `pulumi config set --secret <key> "
        "<code>`."
    )
    assert err.http_status == 200
    assert "111111" not in str(err)


def test_expired_code(emulator: EmulatorServer) -> None:
    control(emulator, "POST", "clock", {"advanceSeconds": 601})
    err = failure(lambda: make_client(emulator).chatapp_verify_and_register(SPACE, PENDING, CODE))
    assert type(err) is CamsInvalidRequest
    assert str(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidParameter.VerifyCodeExpired: The verification code has expired. Request a new "
        f"code with GetChatappVerifyCode (RequestId {err.request_id}). Request a fresh code with "
        f"`pulumi-cams request-code --space {SPACE} --phone {PENDING}` and store it with `pulumi "
        "config set --secret <key> <code>`."
    )


def test_register_cap(emulator: EmulatorServer) -> None:
    control(emulator, "POST", "qps", {"qps": 100})
    client = make_client(emulator, requests_per_second=100, limiter=RateLimiter())
    for _ in range(10):
        client.chatapp_phone_number_deregister(SPACE, PENDING)
    err = failure(lambda: client.chatapp_phone_number_deregister(SPACE, PENDING))
    assert type(err) is CamsInvalidRequest
    assert str(err) == (
        f"ChatappPhoneNumberDeregister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidOperation.RegisterLimitExceeded: The phone number reached the limit of 10 "
        "register or deregister requests in 72 hours (Meta error 133016). Try again later "
        f"(RequestId {err.request_id}). Meta allows 10 register/deregister calls per number per "
        "72 hours: wait for the window to pass before trying again."
    )


def test_number_in_use_in_another_space(emulator: EmulatorServer) -> None:
    client = make_client(emulator)
    client.chatapp_verify_and_register(SPACE, PENDING, CODE)
    err = failure(
        lambda: client.chatapp_verify_and_register("cams-second-space", PENDING, "135791")
    )
    assert type(err) is CamsInvalidRequest
    assert str(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space cams-second-space "
        "failed: InvalidOperation.PhoneNumberInUse: The phone number is already registered in "
        f"another space (RequestId {err.request_id}). The number is registered in another "
        "space: deregister it from that space first."
    )
    assert "135791" not in str(err)


def test_flow_control_message(emulator: EmulatorServer) -> None:
    fault(emulator, "QueryChatappPhoneNumbers", "throttle")
    client = make_client(emulator, policy=RetryPolicy(max_attempts=1))
    err = failure(lambda: client.query_chatapp_phone_numbers(SPACE))
    assert type(err) is CamsThrottled
    assert str(err) == (
        f"QueryChatappPhoneNumbers in space {SPACE} failed: System.LimitControl: The system is "
        f"under flow control (RequestId {err.request_id}). CAMS flow control: lower the rate "
        "(cams:requestsPerSecond, CAMS_REQUESTS_PER_SECOND) or retry later."
    )


def test_wrong_secret_is_a_signature_failure(emulator: EmulatorServer) -> None:
    client = make_client(emulator, (DEMO_AK[0], "not-the-secret"))
    err = failure(lambda: client.chatapp_verify_and_register(SPACE, PENDING, CODE))
    assert type(err) is CamsAccessDenied
    assert str(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "SignatureDoesNotMatch: Specified signature is not matched with our calculation "
        f"(RequestId {err.request_id}). Check the access key pair: the access key secret does "
        "not belong to the access key id (cams:accessKeySecret, ALICLOUD_SECRET_KEY or "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET)."
    )
    assert "not-the-secret" not in full_text(err) and CODE not in full_text(err)


def test_unknown_access_key(emulator: EmulatorServer) -> None:
    err = failure(
        lambda: make_client(emulator, ("LTAI5tNoSuchKey", "x")).query_chatapp_phone_numbers(SPACE)
    )
    assert type(err) is CamsAccessDenied
    assert (err.code, err.http_status) == ("InvalidAccessKeyId.NotFound", 404)
    assert str(err) == (
        f"QueryChatappPhoneNumbers in space {SPACE} failed: InvalidAccessKeyId.NotFound: "
        f"Specified access key is not found (RequestId {err.request_id}). Check the access key "
        "pair: the access key id is unknown or disabled (cams:accessKeyId, ALICLOUD_ACCESS_KEY "
        "or ALIBABA_CLOUD_ACCESS_KEY_ID)."
    )


def test_business_error_in_a_200_body_is_an_error(emulator: EmulatorServer) -> None:
    fault(
        emulator,
        "QueryChatappPhoneNumbers",
        "business_error",
        code="InvalidParameter.PhoneNumberError",
        message="The phone number is invalid.",
    )
    err = failure(lambda: make_client(emulator).query_chatapp_phone_numbers(SPACE))
    assert type(err) is CamsInvalidRequest
    assert (err.code, err.http_status) == ("InvalidParameter.PhoneNumberError", 200)
    assert len(requests_log(emulator)) == 1


# --- rate limiting ---------------------------------------------------------------------------


def test_the_limiter_keeps_a_threaded_burst_under_the_emulator_limit(
    emulator: EmulatorServer,
) -> None:
    control(emulator, "POST", "qps", {"qps": 4})
    client = make_client(
        emulator, requests_per_second=4, policy=RetryPolicy(max_attempts=1), limiter=RateLimiter()
    )
    errors: list[BaseException] = []

    def worker() -> None:
        for _ in range(3):
            try:
                client.query_chatapp_phone_numbers(SPACE)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    log = requests_log(emulator)
    assert errors == []
    assert len(log) == 12
    assert [e for e in log if e["code"] == "System.LimitControl"] == []


# --- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kinds",
    [
        ["throttle", "throttle"],
        ["http500", "http503"],
        ["reset_before", "reset_after", "malformed"],
    ],
)
def test_reads_retry_transient_failures(emulator: EmulatorServer, kinds: list[str]) -> None:
    for kind in kinds:
        fault(emulator, "QueryChatappPhoneNumbers", kind)
    assert len(make_client(emulator).query_chatapp_phone_numbers(SPACE)) == 3
    assert len(requests_log(emulator)) == len(kinds) + 1


def test_reads_give_up_at_the_deadline_with_the_last_error(emulator: EmulatorServer) -> None:
    fault(emulator, "QueryChatappPhoneNumbers", "http503", count=1000)
    # A limiter of its own: the process's may still hold the permits of the tests before.
    client = make_client(
        emulator, policy=RetryPolicy(deadline=0.3, base=0.05, cap=0.1), limiter=RateLimiter()
    )
    err = failure(lambda: client.query_chatapp_phone_numbers(SPACE))
    assert type(err) is CamsUnavailable
    assert (err.code, err.http_status) == ("ServiceUnavailable", 503)
    assert len(requests_log(emulator)) > 2
    assert str(err) == (
        f"QueryChatappPhoneNumbers in space {SPACE} failed: "
        "ServiceUnavailable: The server is temporarily unavailable "
        f"(RequestId {err.request_id}). CAMS is temporarily unavailable: retry later."
    )


def test_writes_retry_throttling_only(emulator: EmulatorServer) -> None:
    fault(emulator, "ChatappVerifyAndRegister", "throttle", count=2)
    assert make_client(emulator).chatapp_verify_and_register(SPACE, PENDING, CODE)
    codes = [e["code"] for e in requests_log(emulator)]
    assert codes == ["System.LimitControl", "System.LimitControl", "OK"]


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("reset_before", "ConnectionFailed", "connection reset by peer"),
        ("reset_after", "ConnectionFailed", "connection reset by peer"),
        ("http500", "InternalError", "An unknown error occurred while processing your request."),
        ("malformed", "MalformedResponse", "the response body is not valid JSON"),
    ],
)
def test_writes_with_an_unknown_outcome_are_ambiguous_at_once(
    emulator: EmulatorServer, kind: str, code: str, message: str
) -> None:
    fault(emulator, "ChatappVerifyAndRegister", kind)
    err = failure(lambda: make_client(emulator).chatapp_verify_and_register(SPACE, PENDING, CODE))
    assert type(err) is CamsAmbiguous
    assert (err.code, err.message) == (code, message)
    assert len(requests_log(emulator)) == 1
    assert err.remediation == (
        f"The outcome is unknown: check the number with `pulumi-cams status --space {SPACE} "
        f"--phone {PENDING}` before trying again."
    )
    assert CODE not in full_text(err)
    assert "demo-secret" not in full_text(err)


def test_a_write_that_times_out_is_ambiguous(emulator: EmulatorServer) -> None:
    # A register waits register_timeout for its answer, not the (shorter) read timeout.
    fault(emulator, "ChatappVerifyAndRegister", "delay", seconds=1.0)
    client = make_client(emulator, read_timeout_ms=200, register_timeout=0.4)
    err = failure(lambda: client.chatapp_verify_and_register(SPACE, PENDING, CODE))
    assert type(err) is CamsAmbiguous
    assert (err.code, err.message) == (
        "RequestTimeout",
        "no response from CAMS after 0.4 s (read timeout)",
    )
    assert CODE not in full_text(err)


def test_a_read_that_times_out_is_retried(emulator: EmulatorServer) -> None:
    fault(emulator, "QueryChatappPhoneNumbers", "delay", seconds=0.5)
    client = make_client(emulator, read_timeout_ms=200)
    assert len(client.query_chatapp_phone_numbers(SPACE)) == 3


def test_a_refused_connection_fails_at_once_as_unreachable_with_a_fixed_description(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing was sent, so neither a read nor a write is retried, and a write is not ambiguous.
    client = CamsClient(
        ProviderSettings(
            endpoint="http://127.0.0.1:9",
            access_key_id=DEMO_AK[0],
            access_key_secret=SecretStr(DEMO_AK[1]),
        ),
        retry_policy=RetryPolicy(deadline=30, base=0.01, cap=0.02),
    )
    sent: list[str] = []
    send = attempt_module.call_action
    monkeypatch.setattr(
        attempt_module,
        "call_action",
        lambda sdk, action, *args: sent.append(action) or send(sdk, action, *args),
    )
    for call in (
        lambda: client.chatapp_verify_and_register(SPACE, PENDING, CODE),
        lambda: client.query_chatapp_phone_numbers(SPACE),
    ):
        err = failure(call)
        assert type(err) is CamsUnreachable
        assert (err.code, err.message) == (
            "ConnectionRefused",
            "connection refused by 127.0.0.1:9 (is the emulator running?)",
        )
        assert str(err).endswith(
            "Nothing was sent: nothing listens at that address. "
            "Check the endpoint (cams:endpoint, CAMS_ENDPOINT)."
        )
        assert CODE not in full_text(err)
    assert sent == ["ChatappVerifyAndRegister", "QueryChatappPhoneNumbers"]  # one attempt each


def test_a_refused_connection_asks_about_the_emulator_only_for_a_loopback_endpoint() -> None:
    import requests
    from pulumi_cams_provider.cams.errors import Call
    from pulumi_cams_provider.cams.sdk_errors import Transport, error_from_exception

    refused = requests.exceptions.ConnectionError(ConnectionRefusedError(111, "refused"))
    for host, expected in [
        (
            "cams.ap-southeast-1.aliyuncs.com",
            "connection refused by cams.ap-southeast-1.aliyuncs.com",
        ),
        ("10.0.0.5:8080", "connection refused by 10.0.0.5:8080"),
        ("localhost:8080", "connection refused by localhost:8080 (is the emulator running?)"),
        ("[::1]:8080", "connection refused by [::1]:8080 (is the emulator running?)"),
    ]:
        wrapped = type("RetryError", (Exception,), {})("retry")
        wrapped.__cause__ = refused
        err = error_from_exception(wrapped, Call("QueryChatappPhoneNumbers"), Transport(host=host))
        assert (err.code, err.message) == ("ConnectionRefused", expected)


# --- credentials and imports -------------------------------------------------------------------


def test_a_missing_profile_says_how_to_provide_credentials(emulator: EmulatorServer) -> None:
    client = CamsClient(ProviderSettings(endpoint=emulator.url, profile="no-such-profile"))
    err = failure(lambda: client.query_chatapp_phone_numbers(SPACE))
    assert type(err) is CamsAccessDenied
    assert str(err) == (
        f"QueryChatappPhoneNumbers in space {SPACE} failed: CredentialsUnavailable: no Alibaba "
        "Cloud credentials could be loaded from profile 'no-such-profile' (looked up in "
        "~/.aliyun/config.json and ~/.alibabacloud/credentials.ini). Provide credentials: "
        "`pulumi config set cams:accessKeyId <id>` and `pulumi config set --secret "
        "cams:accessKeySecret <secret>`, or `cams:profile`, or the environment variables "
        "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET."
    )
    assert requests_log(emulator) == []


_SUBPROCESS = textwrap.dedent(
    """
    import json, sys
    from pulumi_cams_provider.cams.client import CamsClient
    from pulumi_cams_provider.cams.errors import CamsError
    from pulumi_cams_provider.cams.settings import ProviderSettings

    url, profile = sys.argv[1], sys.argv[2] or None
    settings = ProviderSettings.from_config({"cams:endpoint": url, "cams:profile": profile})
    try:
        numbers = CamsClient(settings).query_chatapp_phone_numbers("cams-demo-space")
        print(json.dumps({"ok": len(numbers)}))
    except CamsError as err:
        print(json.dumps({"error": type(err).__name__, "code": err.code}))
    """
)


def run_isolated(
    emulator: EmulatorServer, home: Path, env: dict[str, str], profile: str = ""
) -> Any:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD", "ALICLOUD"))}
    base.update(
        HOME=str(home),
        ALIBABA_CLOUD_ECS_METADATA_DISABLED="true",
        ALIBABA_CLOUD_CLI_PROFILE_DISABLED="true",
        **env,
    )
    done = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS, emulator.url, profile],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_default_chain_and_profiles_in_a_clean_process(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    # The credentials library reads its environment once, at import: hence a fresh process.
    env_keys = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": DEMO_AK[0],
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": DEMO_AK[1],
    }
    assert run_isolated(emulator, tmp_path, env_keys) == {"ok": 3}
    assert run_isolated(emulator, tmp_path, {}) == {
        "error": "CamsAccessDenied",
        "code": "CredentialsUnavailable",
    }
    ini = tmp_path / ".alibabacloud" / "credentials.ini"
    ini.parent.mkdir()
    ini.write_text(
        f"[ci]\ntype = access_key\naccess_key_id = {UNSUBSCRIBED_AK[0]}\n"
        f"access_key_secret = {UNSUBSCRIBED_AK[1]}\n"
    )
    # The profile wins over the environment's keys: the unsubscribed account answers.
    assert run_isolated(emulator, tmp_path, env_keys, profile="ci") == {
        "error": "CamsAccessDenied",
        "code": "Product.Unsubscript",
    }


def test_importing_the_client_does_not_import_the_alibaba_sdk() -> None:
    code = (
        "import sys, pulumi_cams_provider.cams.client, pulumi_cams_provider.cams.settings\n"
        "from pulumi_cams_provider.cams.client import CamsClient\n"
        "from pulumi_cams_provider.cams.settings import ProviderSettings\n"
        "CamsClient(ProviderSettings())\n"
        "loaded = [m for m in sys.modules if m.startswith(('alibabacloud', 'darabonba', 'Tea'))]\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_each_action_is_paced_at_no_more_than_cams_allows_it(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table of allowed rates caps requestsPerSecond per action (GetWhatsappHealthStatus,
    say, allows 5)."""
    from pulumi_cams_provider.cams import client as client_module

    monkeypatch.setattr(client_module, "ALLOWED_RATES", {"QueryChatappPhoneNumbers": 5})
    client = make_client(emulator, limiter=RateLimiter())
    assert client.ceiling("QueryChatappPhoneNumbers") == 5
    assert client.ceiling("ChatappVerifyAndRegister") == 10
    assert make_client(emulator, requests_per_second=2).ceiling("QueryChatappPhoneNumbers") == 2
    started = time.monotonic()
    for _ in range(6):
        client.query_chatapp_phone_numbers(SPACE)
    assert time.monotonic() - started >= 0.9  # the sixth waited for the first's second to pass


def test_a_proxy_in_the_way_is_named_not_the_endpoint(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With HTTP_PROXY set, a refused connection is the proxy's: said so, at once, with the
    variable to unset (the endpoint itself would have answered)."""
    monkeypatch.setenv("HTTP_PROXY", "http://user:hunter2@127.0.0.1:9")
    client = make_client(emulator, policy=RetryPolicy(deadline=30, base=0.05, cap=0.1))
    started = time.monotonic()
    err = failure(lambda: client.query_chatapp_phone_numbers(SPACE))
    assert type(err) is CamsUnreachable
    assert str(err) == (
        f"QueryChatappPhoneNumbers in space {SPACE} failed: ProxyRefused: the proxy "
        "http://***@127.0.0.1:9 (HTTP_PROXY) refused the connection. Nothing was sent: requests "
        "to this endpoint go through the proxy the environment names. Unset HTTP_PROXY / "
        "HTTPS_PROXY where the provider runs, or add the endpoint's host to NO_PROXY (the "
        "emulator on loopback needs no proxy)."
    )
    assert time.monotonic() - started < 5  # not retried for the budget
    assert requests_log(emulator) == []
