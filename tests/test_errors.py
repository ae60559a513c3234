"""Error classification and one-line messages, from canned SDK exceptions and bodies."""

from __future__ import annotations

import http.client
import pickle
import socket
from typing import Any

import pytest
import requests
from alibabacloud_credentials.exceptions import CredentialException
from alibabacloud_tea_openapi.exceptions import (
    ClientException,
    ServerException,
    ThrottlingException,
)
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.policy.retry import RetryPolicyContext
from pulumi_cams_provider.cams.errors import (
    Call,
    CamsAccessDenied,
    CamsAmbiguous,
    CamsError,
    CamsInvalidRequest,
    CamsNotFound,
    CamsThrottled,
    CamsUnavailable,
    CamsUnreachable,
    ClientBug,
    SettingsError,
)
from pulumi_cams_provider.cams.responses import classify, credentials_error, error_from_body
from pulumi_cams_provider.cams.sdk_errors import Transport, error_from_exception

from tests.support.demo_seed import CODE, SPACE
from tests.support.demo_seed import PENDING as PHONE

URL = f"http://127.0.0.1:9/?CustSpaceId={SPACE}&PhoneNumber={PHONE}&VerifyCode={CODE}"


def client_exception(status: int, code: str, message: str, **extra: Any) -> ClientException:
    """What tea-openapi raises for a 4xx JSON body (tea-openapi 0.4.6, as it signs and parses)."""
    body = {"RequestId": "REQ-1", "HostId": "cams", "Code": code, "Message": message, **extra}
    return ClientException(
        status_code=status,
        code=code,
        message=f"code: {status}, {message} request id: REQ-1",
        data=body,
        access_denied_detail=extra.get("AccessDeniedDetail"),
        request_id="REQ-1",
    )


def unretryable(inner: BaseException) -> UnretryableException:
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=inner))


def transport_error(cause: BaseException) -> RetryError:
    """What darabonba raises for a requests failure: RetryError(str(e)) raised inside except."""
    try:
        try:
            raise cause
        except OSError as exc:
            raise RetryError(str(exc))  # noqa: B904 - darabonba chains implicitly
    except RetryError as err:
        return err


# One line per documented code: (action, http status, code, message, class, expected str).
DOCUMENTED = [
    (
        "ChatappVerifyAndRegister",
        400,
        "Ram.PermissionDeny",
        "You are not authorized to perform the operation.",
        CamsAccessDenied,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: Ram.PermissionDeny: You are not authorized to perform the operation "
        "(RequestId REQ-1). Grant the RAM action cams:ChatappVerifyAndRegister to the identity "
        "in use (for example with a custom policy; AliyunCamsFullAccess covers it).",
    ),
    (
        "ChatappPhoneNumberDeregister",
        403,
        "Forbidden.RAM",
        "User not authorized to operate on the specified resource, or this API doesn't "
        "support RAM.",
        CamsAccessDenied,
        "ChatappPhoneNumberDeregister for phone number 8613800001234 in space cams-demo-space "
        "failed: Forbidden.RAM: User not authorized to operate on the specified resource, or "
        "this API doesn't support RAM (RequestId REQ-1). Grant the RAM action "
        "cams:ChatappPhoneNumberDeregister to the identity in use (for example with a custom "
        "policy; AliyunCamsFullAccess covers it).",
    ),
    (
        "ChatappVerifyAndRegister",
        400,
        "Product.Unsubscript",
        "You have not subscribed to the specified product.",
        CamsAccessDenied,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: Product.Unsubscript: You have not subscribed to the specified product "
        "(RequestId REQ-1). Activate Chat App Message Service (CAMS) for this Alibaba Cloud "
        "account in the console, then retry.",
    ),
    (
        "ChatappVerifyAndRegister",
        400,
        "Unknown.ResourceOwnerId",
        "The resource does not belong to the current user.",
        CamsAccessDenied,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: Unknown.ResourceOwnerId: The resource does not belong to the current user "
        "(RequestId REQ-1). Space cams-demo-space belongs to another Alibaba Cloud account: "
        "check custSpaceId and the credentials in use.",
    ),
    (
        "ChatappVerifyAndRegister",
        400,
        "System.LimitControl",
        "The system is under flow control.",
        CamsThrottled,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: System.LimitControl: The system is under flow control (RequestId REQ-1). "
        "CAMS flow control: lower the rate (cams:requestsPerSecond, CAMS_REQUESTS_PER_SECOND) "
        "or retry later.",
    ),
    (
        "ChatappVerifyAndRegister",
        400,
        "ERR-OPERATION-MAAP-0065",
        "The phoneCode is not bind to the subscriber.",
        CamsNotFound,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: ERR-OPERATION-MAAP-0065: The phoneCode is not bind to the subscriber "
        "(RequestId REQ-1). Bind the number to the WhatsApp Business Account (WABA) of space "
        "cams-demo-space first (ChatappSyncPhoneNumber or the CAMS console), then retry.",
    ),
    (
        "ChatappVerifyAndRegister",
        400,
        "ERR-OPERATION-MAAP-0060",
        "The subscriber has not bind WABA.",
        CamsNotFound,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: ERR-OPERATION-MAAP-0060: The subscriber has not bind WABA (RequestId REQ-1). "
        "Bind a WhatsApp Business Account (WABA) to space cams-demo-space first, then retry.",
    ),
    (
        "ChatappVerifyAndRegister",
        400,
        "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign "
        "is:POST&%2F&VerifyCode%3D246810",
        CamsAccessDenied,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: SignatureDoesNotMatch: Specified signature is not matched with our "
        "calculation (RequestId REQ-1). Check the access key pair: the access key secret does "
        "not belong to the access key id (cams:accessKeySecret, ALICLOUD_SECRET_KEY or "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET).",
    ),
    (
        "QueryChatappPhoneNumbers",
        404,
        "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.",
        CamsAccessDenied,
        "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidAccessKeyId.NotFound: Specified access key is not found "
        "(RequestId REQ-1). Check the access key pair: the access key id is unknown or "
        "disabled (cams:accessKeyId, ALICLOUD_ACCESS_KEY or ALIBABA_CLOUD_ACCESS_KEY_ID).",
    ),
    (
        "QueryChatappPhoneNumbers",
        400,
        "InvalidTimeStamp.Expired",
        "Specified time stamp or date value is expired.",
        CamsAccessDenied,
        "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidTimeStamp.Expired: Specified time stamp or date value is expired "
        "(RequestId REQ-1). Check this machine's clock: requests must be within 15 minutes of "
        "Alibaba Cloud's time.",
    ),
    (
        "QueryChatappPhoneNumbers",
        400,
        "IncompleteSignature",
        "The request signature does not conform to Aliyun standards.",
        CamsAccessDenied,
        "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space "
        "failed: IncompleteSignature: The request signature does not conform to Aliyun "
        "standards (RequestId REQ-1). Check the access key pair: the access key secret does "
        "not belong to the access key id (cams:accessKeySecret, ALICLOUD_SECRET_KEY or "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET).",
    ),
    (
        "QueryChatappPhoneNumbers",
        400,
        "MissingCustSpaceId",
        "CustSpaceId is mandatory for this action.",
        CamsInvalidRequest,
        "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space "
        "failed: MissingCustSpaceId: CustSpaceId is mandatory for this action "
        "(RequestId REQ-1). Check the request parameters (space id and phone number with "
        "country code).",
    ),
]


@pytest.mark.parametrize(
    ("action", "status", "code", "message", "cls", "expected"),
    DOCUMENTED,
    ids=[row[2] for row in DOCUMENTED],
)
def test_documented_codes_from_client_exceptions(
    action: str, status: int, code: str, message: str, cls: type[CamsError], expected: str
) -> None:
    err = error_from_exception(
        client_exception(status, code, message),
        Call(action, cust_space_id=SPACE, phone_number=PHONE, secrets=(CODE,)),
    )
    assert type(err) is cls
    assert (err.code, err.request_id, err.http_status) == (code, "REQ-1", status)
    assert str(err) == expected
    assert CODE not in str(err)


BUSINESS = [
    (
        "InvalidParameter.VerifyCodeError",
        "The verification code is incorrect.",
        CamsInvalidRequest,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidParameter.VerifyCodeError: The verification code is incorrect "
        "(RequestId R2). Request a fresh code with `pulumi-cams request-code --space "
        "cams-demo-space --phone 8613800001234` and store it with `pulumi config set --secret "
        "<key> <code>`.",
    ),
    (
        "InvalidParameter.VerifyCodeExpired",
        "The verification code has expired.",
        CamsInvalidRequest,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidParameter.VerifyCodeExpired: The verification code has expired "
        "(RequestId R2). Request a fresh code with `pulumi-cams request-code --space "
        "cams-demo-space --phone 8613800001234` and store it with `pulumi config set --secret "
        "<key> <code>`.",
    ),
    (
        "InvalidOperation.RegisterLimitExceeded",
        "(#133016) Account register deregister rate limit exceeded",
        CamsInvalidRequest,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidOperation.RegisterLimitExceeded: (#133016) Account register deregister "
        "rate limit exceeded (RequestId R2). Meta allows 10 register/deregister calls per "
        "number per 72 hours: wait for the window to pass before trying again.",
    ),
    (
        "InvalidOperation.PhoneNumberInUse",
        "The phone number is registered in another space.",
        CamsInvalidRequest,
        "ChatappVerifyAndRegister for phone number 8613800001234 in space cams-demo-space "
        "failed: InvalidOperation.PhoneNumberInUse: The phone number is registered in another "
        "space (RequestId R2). The number is registered in another space: deregister it from "
        "that space first.",
    ),
]


@pytest.mark.parametrize(
    ("code", "message", "cls", "expected"), BUSINESS, ids=[row[0] for row in BUSINESS]
)
def test_business_errors_in_200_bodies(
    code: str, message: str, cls: type[CamsError], expected: str
) -> None:
    body = {"RequestId": "R2", "Code": code, "Message": message, "Success": False}
    err = error_from_body(
        body,
        Call("ChatappVerifyAndRegister", cust_space_id=SPACE, phone_number=PHONE, secrets=(CODE,)),
    )
    assert type(err) is cls
    assert err is not None and str(err) == expected
    assert err.http_status == 200


def test_success_bodies_are_not_errors() -> None:
    assert error_from_body({"Code": "OK", "Success": True}, Call("X")) is None
    assert error_from_body({"Code": "OK"}, Call("ChatappPhoneNumberDeregister")) is None


def test_ok_code_with_success_false_is_an_unanswered_request() -> None:
    body = {"Code": "OK", "Success": False, "RequestId": "R", "Message": "None"}
    read = error_from_body(body, Call("QueryChatappPhoneNumbers"))
    write = error_from_body(body, Call("ChatappVerifyAndRegister", cust_space_id="s"))
    # Neither a success nor a CAMS error: a read is retried, a write is observed.
    assert type(read) is CamsUnavailable and type(write) is CamsAmbiguous
    assert str(write) == (
        "ChatappVerifyAndRegister in space s failed: UnsuccessfulResponse: CAMS answered Code OK "
        "but Success false (Message 'None') (RequestId R). The outcome is unknown: check the "
        "number with `pulumi-cams status --space s --phone <number>` before trying again."
    )


@pytest.mark.parametrize("body", [None, "text", [], {"Message": "no code"}, {"Code": 5}])
def test_bodies_without_a_code_are_malformed(body: Any) -> None:
    read = error_from_body(body, Call("QueryChatappPhoneNumbers"))
    write = error_from_body(body, Call("ChatappVerifyAndRegister"))
    assert type(read) is CamsUnavailable and read.code == "MalformedResponse"
    assert type(write) is CamsAmbiguous and write.code == "MalformedResponse"


def test_access_denied_detail_names_the_ram_action() -> None:
    exc = client_exception(
        403,
        "Forbidden.RAM",
        "User not authorized.",
        AccessDeniedDetail={"AuthAction": "cams:ChatappSyncPhoneNumber", "PolicyType": "x"},
    )
    err = error_from_exception(exc, Call("QueryChatappPhoneNumbers"))
    assert err.auth_action == "cams:ChatappSyncPhoneNumber"
    assert err.remediation is not None
    assert err.remediation.startswith("Grant the RAM action cams:ChatappSyncPhoneNumber ")


def test_access_denied_detail_as_json_text_in_a_200_body() -> None:
    body = {
        "Code": "Ram.PermissionDeny",
        "Message": "denied",
        "AccessDeniedDetail": '{"AuthAction": "cams:GetChatappVerifyCode"}',
    }
    err = error_from_body(body, Call("GetChatappVerifyCode"))
    assert err is not None and err.auth_action == "cams:GetChatappVerifyCode"


def test_none_access_denied_detail_falls_back_to_the_action() -> None:
    body = {"Code": "Ram.PermissionDeny", "Message": "denied", "AccessDeniedDetail": "None"}
    err = error_from_body(body, Call("ChatappPhoneNumberRegister"))
    assert err is not None and err.auth_action is None
    assert "Grant the RAM action cams:ChatappPhoneNumberRegister " in str(err)


@pytest.mark.parametrize(
    ("action", "cls"),
    [("QueryChatappPhoneNumbers", CamsUnavailable), ("ChatappVerifyAndRegister", CamsAmbiguous)],
)
def test_server_errors_depend_on_whether_the_action_mutates(
    action: str, cls: type[CamsError]
) -> None:
    exc = ServerException(
        status_code=500,
        code="InternalError",
        message="code: 500, An unknown error occurred. request id: R5",
        data={"RequestId": "R5", "Code": "InternalError", "Message": "An unknown error occurred."},
        request_id="R5",
    )
    err = error_from_exception(exc, Call(action, cust_space_id=SPACE, phone_number=PHONE))
    assert type(err) is cls
    assert err.retryable is (cls is CamsUnavailable)


def test_ambiguous_message_says_to_observe_first() -> None:
    exc = ServerException(status_code=503, code="ServiceUnavailable", data={}, request_id="R")
    err = error_from_exception(
        exc, Call("ChatappPhoneNumberDeregister", cust_space_id=SPACE, phone_number=PHONE)
    )
    assert str(err) == (
        "ChatappPhoneNumberDeregister for phone number 8613800001234 in space cams-demo-space "
        "failed: ServiceUnavailable (RequestId R). The outcome is unknown: check the number "
        "with `pulumi-cams status --space cams-demo-space --phone 8613800001234` before "
        "trying again."
    )


def test_throttling_exception_is_throttled_even_for_writes_with_retry_after() -> None:
    exc = ThrottlingException(
        status_code=503,
        code="Throttling.User",
        message="code: 503, Request was denied due to user flow control. request id: R",
        data={"Code": "Throttling.User", "Message": "Request was denied due to user flow control."},
        retry_after=1500,
        request_id="R",
    )
    err = error_from_exception(exc, Call("ChatappVerifyAndRegister"))
    assert type(err) is CamsThrottled
    assert err.retry_after == 1.5


def test_5xx_without_a_code_uses_the_status() -> None:
    exc = ServerException(status_code=502, code="None", data={"statusCode": 502})
    err = error_from_exception(exc, Call("QueryChatappPhoneNumbers"))
    assert (type(err), err.code) == (CamsUnavailable, "HTTP502")


@pytest.mark.parametrize(
    ("cause", "code", "description"),
    [
        (
            requests.exceptions.ConnectionError(
                OSError(f"('Connection aborted.', ConnectionResetError(104)) {URL}")
            ),
            "ConnectionFailed",
            "the connection to CAMS failed",
        ),
        (
            requests.exceptions.ReadTimeout(f"HTTPConnectionPool: Read timed out. {URL}"),
            "RequestTimeout",
            "no response from CAMS after 10 s (read timeout)",
        ),
        (
            requests.exceptions.ConnectTimeout(f"connect timeout {URL}"),
            "RequestTimeout",
            "connecting to CAMS timed out after 5 s",
        ),
        (
            requests.exceptions.ConnectionError(ConnectionResetError(104, f"reset {URL}")),
            "ConnectionFailed",
            "connection reset by peer",
        ),
        (
            requests.exceptions.ConnectionError(ConnectionRefusedError(111, f"refused {URL}")),
            "ConnectionRefused",
            "connection refused",
        ),
        (
            requests.exceptions.ConnectionError(http.client.RemoteDisconnected(URL)),
            "ConnectionFailed",
            "connection closed without a response",
        ),
        (
            requests.exceptions.ConnectionError(
                socket.gaierror(socket.EAI_NONAME, f"Name or service not known {URL}")
            ),
            "NameNotResolved",
            "the endpoint's host name does not resolve",
        ),
        (
            requests.exceptions.ConnectionError(
                socket.gaierror(socket.EAI_AGAIN, f"Temporary failure in name resolution {URL}")
            ),
            "ConnectionFailed",
            "the endpoint's host name could not be resolved",
        ),
    ],
)
def test_transport_failures_use_fixed_words_never_the_url(
    cause: BaseException, code: str, description: str
) -> None:
    exc = unretryable(transport_error(cause))
    assert CODE in str(exc)  # the raw SDK text does leak the verify code ...
    write = error_from_exception(
        exc,
        Call("ChatappVerifyAndRegister", cust_space_id=SPACE, phone_number=PHONE),
        Transport(connect_timeout_s=5, read_timeout_s=10),
    )
    read = error_from_exception(exc, Call("GetPhoneNumberVerificationStatus"))
    if code in ("ConnectionRefused", "NameNotResolved"):  # nothing was sent: definite
        assert type(write) is CamsUnreachable and type(read) is CamsUnreachable
    else:
        assert type(write) is CamsAmbiguous and type(read) is CamsUnavailable
    assert (write.code, write.message) == (code, description)
    assert CODE not in str(write) and CODE not in str(read)  # ... ours never does
    assert "127.0.0.1:9" not in str(write)


def test_malformed_json_is_ambiguous_for_writes() -> None:
    exc = unretryable(RuntimeError(f'Failed to parse the value as json format, Value: "{CODE}".'))
    err = error_from_exception(exc, Call("ChatappVerifyAndRegister"))
    assert type(err) is CamsAmbiguous
    assert err.message == "the response body is not valid JSON"
    assert CODE not in str(err)


def test_an_unknown_failure_is_a_bug_named_by_type_and_place_never_a_network_problem() -> None:
    def library() -> None:
        raise ValueError(URL)

    try:
        library()
    except ValueError as raised:
        err = error_from_exception(raised, Call("ChatappVerifyAndRegister"))
    line = library.__code__.co_firstlineno + 1
    assert type(err) is ClientBug and not err.retryable
    assert str(err) == (
        f"ChatappVerifyAndRegister failed: ClientBug: unexpected ValueError at "
        f"test_errors.py:{line}. This is a bug in pulumi-cams or a library it runs on, not a "
        "network or CAMS problem: report it to the pulumi-cams maintainers with this line and "
        "the output of `pulumi-cams --version`."
    )
    assert CODE not in str(err)


def test_credential_failures_say_how_to_provide_credentials() -> None:
    exc = unretryable(CredentialException("unable to load credentials from any of the providers"))
    err = error_from_exception(exc, Call("QueryChatappPhoneNumbers", cust_space_id=SPACE))
    assert type(err) is CamsAccessDenied
    assert str(err) == (
        "QueryChatappPhoneNumbers in space cams-demo-space failed: CredentialsUnavailable: no "
        "Alibaba Cloud credentials could be loaded from the settings, the profile or the "
        "default credential chain. Provide credentials: `pulumi config set cams:accessKeyId "
        "<id>` and `pulumi config set --secret cams:accessKeySecret <secret>`, or "
        "`cams:profile`, or the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and "
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET."
    )
    sdk_missing = ClientException(code="InvalidCredentials", message="Please set up ...")
    assert error_from_exception(sdk_missing, Call("X")).code == "CredentialsUnavailable"
    assert credentials_error(Call(""), "profile 'ci'").message == (
        "no Alibaba Cloud credentials could be loaded from profile 'ci'"
    )


def test_secrets_in_server_messages_are_scrubbed() -> None:
    exc = client_exception(400, "InvalidParameter", f"bad VerifyCode={CODE}&x; token sekret")
    err = error_from_exception(exc, Call("ChatappVerifyAndRegister", secrets=("sekret",)))
    assert err.message == "bad VerifyCode=***&x; token ***"


def test_messages_are_one_line() -> None:
    err = error_from_body(
        {"Code": "X.Y", "Message": "line one\nline two\r\n", "RequestId": "R\n"}, Call("A")
    )
    assert err is not None and str(err) == "A failed: X.Y: line one line two (RequestId R)."


def test_unknown_parts_are_left_out() -> None:
    err = CamsInvalidRequest("something", code="Weird")
    assert str(err) == "CAMS request failed: Weird: something."
    assert err.remediation is None


def test_classify_by_code_not_message() -> None:
    assert classify("Throttling.User", 400, mutating=True) is CamsThrottled
    assert classify("Throttling", 503, mutating=False) is CamsThrottled
    assert classify("InvalidSecurityToken.Expired", 400, mutating=False) is CamsAccessDenied
    assert classify("SomethingElse", 400, mutating=False) is CamsInvalidRequest
    assert classify("SomethingElse", 500, mutating=False) is CamsUnavailable
    assert classify("SomethingElse", 500, mutating=True) is CamsAmbiguous
    assert classify("ServiceUnavailable", 503, mutating=True) is CamsAmbiguous


def test_retryable_flags() -> None:
    assert CamsThrottled.retryable and CamsUnavailable.retryable
    for cls in (CamsAmbiguous, CamsNotFound, CamsAccessDenied, CamsInvalidRequest):
        assert not cls.retryable
    assert not issubclass(SettingsError, CamsError)  # a setting to fix, not a CAMS failure


def test_errors_survive_pickling() -> None:
    err = error_from_body(
        {"Code": "System.LimitControl", "Message": "m", "RequestId": "R"},
        Call("A", cust_space_id=SPACE),
    )
    assert err is not None
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is CamsThrottled and str(copy) == str(err)
    settings_err = pickle.loads(pickle.dumps(SettingsError("cams:region", "bad")))
    assert str(settings_err) == "Invalid provider setting cams:region: bad."


def test_an_error_is_made_once_and_a_restatement_is_a_new_error() -> None:
    err = CamsThrottled("slow down", action="QueryChatappPhoneNumbers", code="Throttling")
    with pytest.raises(AttributeError) as refused:
        err.phone_number = "8613800001234"  # type: ignore[misc]
    assert str(refused.value) == "CamsThrottled is made once; phone_number cannot change"
    restated = err.restated(phone_number="8613800001234", advice="Run `pulumi refresh` again.")
    assert type(restated) is CamsThrottled and restated is not err
    assert err.phone_number is None
    assert str(restated) == (
        "QueryChatappPhoneNumbers for phone number 8613800001234 failed: Throttling: slow down. "
        "Run `pulumi refresh` again."
    )
