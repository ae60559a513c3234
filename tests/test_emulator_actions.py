"""The eight CAMS actions and their business rules, through both the official CAMS SDK and
tea-openapi's generic ``call_api``, over real HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from alibabacloud_cams20200606 import models as cams
from cams_emulator import EmulatorServer
from cams_emulator.actions import ACTION_SPECS
from darabonba.runtime import RuntimeOptions

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CONNECTED
from tests.support.demo_seed import NO_CODE as PENDING_NO_CODE
from tests.support.demo_seed import PENDING as PENDING_WITH_CODE
from tests.support.demo_seed import SECOND_SPACE as SECOND
from tests.support.demo_seed import SPACE as DEMO
from tests.support.emulator_clients import call, cams_client

OTHER = "cams-other-tenant"
REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")

# One valid parameter set per action, for the rules every action shares.
VALID = {
    "ChatappVerifyAndRegister": {
        "CustSpaceId": DEMO,
        "PhoneNumber": PENDING_WITH_CODE,
        "VerifyCode": "246810",
    },
    "GetChatappVerifyCode": {
        "CustSpaceId": DEMO,
        "PhoneNumber": PENDING_WITH_CODE,
        "Method": "sms",
        "Locale": "en_US",
    },
    "GetPhoneNumberVerificationStatus": {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED},
    "QueryChatappPhoneNumbers": {"CustSpaceId": DEMO},
    "ChatappPhoneNumberRegister": {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED},
    "ChatappPhoneNumberDeregister": {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED},
    "AddChatappPhoneNumber": {
        "CustSpaceId": DEMO,
        "Cc": "44",
        "PhoneNumber": "7700900123",
        "VerifiedName": "UK Shop",
    },
    "ChatappSyncPhoneNumber": {"CustSpaceId": DEMO},
    "ModifyPhoneBusinessProfile": {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED, "About": "Hi"},
    "QueryPhoneBusinessProfile": {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED},
    "UpdatePhoneWebhook": {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED, "HttpFlag": "Y"},
    "GetWhatsappHealthStatus": {"CustSpaceId": DEMO, "NodeType": "phone", "PhoneNumber": CONNECTED},
}
BASE_FIELDS = {"RequestId", "Code", "Message", "AccessDeniedDetail"}
ENVELOPES = {
    "ChatappVerifyAndRegister": BASE_FIELDS | {"Success"},
    "GetChatappVerifyCode": BASE_FIELDS | {"Success"},
    "GetPhoneNumberVerificationStatus": BASE_FIELDS | {"Data"},
    "QueryChatappPhoneNumbers": BASE_FIELDS | {"Success", "PhoneNumbers"},
    "ChatappPhoneNumberRegister": BASE_FIELDS | {"Success"},
    "ChatappPhoneNumberDeregister": BASE_FIELDS,
    "AddChatappPhoneNumber": BASE_FIELDS | {"Success"},
    "ChatappSyncPhoneNumber": BASE_FIELDS | {"Success", "PhoneNumbers"},
    "ModifyPhoneBusinessProfile": BASE_FIELDS | {"Success"},
    "QueryPhoneBusinessProfile": BASE_FIELDS | {"Success", "Data"},
    "UpdatePhoneWebhook": BASE_FIELDS,
    "GetWhatsappHealthStatus": BASE_FIELDS | {"Success", "Data"},
}
WITH_NUMBER = [a for a, p in VALID.items() if "PhoneNumber" in p and a != "AddChatappPhoneNumber"]
GATEWAY_FIELDS = {"RequestId", "HostId", "Code", "Message", "Recommend"}


def number_state(server: EmulatorServer, space: str, phone: str) -> dict[str, Any]:
    [number] = [
        n
        for n in ctl.state(server.url)["phoneNumbers"]
        if n["custSpaceId"] == space and n["phoneNumber"] == phone
    ]
    return number


def business_failure(body: dict[str, Any], code: str, message: str) -> None:
    assert (body["Code"], body["Message"], body["Success"]) == (code, message, False)
    assert set(body) == BASE_FIELDS | {"Success"}


@pytest.mark.parametrize("action", list(VALID))
def test_envelope_fields_per_action(emulator: EmulatorServer, action: str) -> None:
    status, body = call(emulator, action, VALID[action])
    assert status == 200
    assert set(body) == ENVELOPES[action]
    assert (body["Code"], body["AccessDeniedDetail"]) == ("OK", "None")
    assert REQUEST_ID.match(body["RequestId"])
    if "Success" in body:
        assert body["Success"] is True


def test_official_sdk_walks_the_whole_lifecycle(emulator: EmulatorServer) -> None:
    client = cams_client(emulator)
    rt = RuntimeOptions()
    added = client.add_chatapp_phone_number_with_options(
        cams.AddChatappPhoneNumberRequest(
            cust_space_id=DEMO, cc="44", phone_number="7700900123", verified_name="UK Shop"
        ),
        rt,
    )
    assert (added.status_code, added.body.code, added.body.success) == (200, "OK", True)
    phone = "447700900123"

    listed = client.query_chatapp_phone_numbers_with_options(
        cams.QueryChatappPhoneNumbersRequest(cust_space_id=DEMO), rt
    )
    [item] = [n for n in listed.body.phone_numbers if n.phone_number == phone]
    assert (item.status, item.code_verification_status, item.verified_name) == (
        "PENDING",
        "NOT_VERIFIED",
        "UK Shop",
    )

    requested = client.get_chatapp_verify_code_with_options(
        cams.GetChatappVerifyCodeRequest(
            cust_space_id=DEMO, phone_number=phone, method="sms", locale="en_US"
        ),
        rt,
    )
    assert requested.body.code == "OK"
    code = ctl.latest_code(emulator.url, DEMO, phone)
    assert re.fullmatch(r"\d{6}", code)

    registered = client.chatapp_verify_and_register_with_options(
        cams.ChatappVerifyAndRegisterRequest(
            cust_space_id=DEMO, phone_number=phone, verify_code=code
        ),
        rt,
    )
    assert (registered.body.code, registered.body.success) == ("OK", True)

    verification = client.get_phone_number_verification_status_with_options(
        cams.GetPhoneNumberVerificationStatusRequest(cust_space_id=DEMO, phone_number=phone), rt
    )
    assert verification.body.data.code_verification_status == "VERIFIED"
    assert verification.body.data.phone_number == phone
    assert verification.body.data.id

    deregistered = client.chatapp_phone_number_deregister_with_options(
        cams.ChatappPhoneNumberDeregisterRequest(cust_space_id=DEMO, phone_number=phone), rt
    )
    assert deregistered.body.code == "OK"
    assert number_state(emulator, DEMO, phone)["status"] == "DISCONNECTED"

    reregistered = client.chatapp_phone_number_register_with_options(
        cams.ChatappPhoneNumberRegisterRequest(cust_space_id=DEMO, phone_number=phone), rt
    )
    assert (reregistered.body.code, reregistered.body.success) == ("OK", True)

    synced = client.chatapp_sync_phone_number_with_options(
        cams.ChatappSyncPhoneNumberRequest(cust_space_id=DEMO), rt
    )
    [item] = [n for n in synced.body.phone_numbers if n.phone_number == phone]
    assert (item.status, item.code_verification_status) == ("CONNECTED", "VERIFIED")


def test_verify_and_register_with_the_issued_code(emulator: EmulatorServer) -> None:
    status, body = call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])
    assert (status, body["Code"], body["Success"]) == (200, "OK", True)
    number = number_state(emulator, DEMO, PENDING_WITH_CODE)
    assert (number["status"], number["codeVerificationStatus"]) == ("CONNECTED", "VERIFIED")
    assert number["verifyCode"] is None  # consumed
    assert number["registerCallsInWindow"] == 1


WRONG_CODE = ("InvalidParameter.VerifyCodeError", "The verification code is incorrect.")
EXPIRED_CODE = (
    "InvalidParameter.VerifyCodeExpired",
    "The verification code has expired. Request a new code with GetChatappVerifyCode.",
)


def test_wrong_code(emulator: EmulatorServer) -> None:
    status, body = call(
        emulator,
        "ChatappVerifyAndRegister",
        {"CustSpaceId": DEMO, "PhoneNumber": PENDING_WITH_CODE, "VerifyCode": "135791"},
    )
    assert status == 200
    business_failure(body, *WRONG_CODE)
    number = number_state(emulator, DEMO, PENDING_WITH_CODE)
    assert (number["status"], number["verifyCode"]) == ("PENDING", "***")
    assert number["registerCallsInWindow"] == 0


def test_no_code_was_ever_issued(emulator: EmulatorServer) -> None:
    status, body = call(
        emulator,
        "ChatappVerifyAndRegister",
        {"CustSpaceId": DEMO, "PhoneNumber": PENDING_NO_CODE, "VerifyCode": "000000"},
    )
    assert status == 200
    business_failure(body, *WRONG_CODE)


def test_code_expires_after_ten_minutes(emulator: EmulatorServer) -> None:
    ctl.advance_clock(emulator.url, 601)
    status, body = call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])
    assert status == 200
    business_failure(body, *EXPIRED_CODE)
    assert number_state(emulator, DEMO, PENDING_WITH_CODE)["status"] == "PENDING"


def test_code_is_still_valid_just_before_expiry(emulator: EmulatorServer) -> None:
    ctl.advance_clock(emulator.url, 590)
    status, body = call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])
    assert (status, body["Code"]) == (200, "OK")


def test_a_new_code_replaces_the_old_one(emulator: EmulatorServer) -> None:
    status, _ = call(
        emulator,
        "GetChatappVerifyCode",
        {
            "CustSpaceId": DEMO,
            "PhoneNumber": PENDING_WITH_CODE,
            "Method": "VOICE",
            "Locale": "zh_CN",
        },
    )
    assert status == 200
    [issued] = ctl.codes(emulator.url)
    assert {k: issued[k] for k in ("custSpaceId", "phoneNumber", "method", "locale")} == {
        "custSpaceId": DEMO,
        "phoneNumber": PENDING_WITH_CODE,
        "method": "voice",
        "locale": "zh_CN",
    }
    if issued["code"] != "246810":
        _, body = call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])
        business_failure(body, *WRONG_CODE)
    params = {**VALID["ChatappVerifyAndRegister"], "VerifyCode": issued["code"]}
    _, body = call(emulator, "ChatappVerifyAndRegister", params)
    assert body["Code"] == "OK"


def test_invalid_method(emulator: EmulatorServer) -> None:
    params = {**VALID["GetChatappVerifyCode"], "Method": "fax"}
    status, body = call(emulator, "GetChatappVerifyCode", params)
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "InvalidParameter",
        'The specified parameter "Method" is not valid.',
    )
    assert ctl.codes(emulator.url) == []


def test_registering_a_registered_number_is_idempotent(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED, "VerifyCode": "whatever"}
    status, body = call(emulator, "ChatappVerifyAndRegister", params)
    assert (status, body["Code"], body["Success"]) == (200, "OK", True)
    number = number_state(emulator, DEMO, CONNECTED)
    assert number["status"] == "CONNECTED"
    assert number["registerCallsInWindow"] == 1


def test_a_number_registered_in_another_space_is_in_use(emulator: EmulatorServer) -> None:
    assert call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])[0] == 200
    params = {"CustSpaceId": SECOND, "PhoneNumber": PENDING_WITH_CODE, "VerifyCode": "135791"}
    for action in ("ChatappVerifyAndRegister", "ChatappPhoneNumberRegister"):
        status, body = call(emulator, action, params)
        assert status == 200
        business_failure(
            body,
            "InvalidOperation.PhoneNumberInUse",
            "The phone number is already registered in another space.",
        )
    assert number_state(emulator, SECOND, PENDING_WITH_CODE)["verifyCode"] == "***"


def test_register_needs_a_verified_number(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": DEMO, "PhoneNumber": PENDING_WITH_CODE}
    status, body = call(emulator, "ChatappPhoneNumberRegister", params)
    assert status == 200
    business_failure(
        body,
        "InvalidOperation.PhoneNumberNotVerified",
        "The phone number has not been verified. Submit a code with ChatappVerifyAndRegister.",
    )


def test_register_a_verified_disconnected_number(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED}
    assert call(emulator, "ChatappPhoneNumberDeregister", params)[1]["Code"] == "OK"
    assert number_state(emulator, DEMO, CONNECTED)["status"] == "DISCONNECTED"
    assert call(emulator, "ChatappPhoneNumberRegister", params)[1]["Code"] == "OK"
    assert number_state(emulator, DEMO, CONNECTED)["status"] == "CONNECTED"


def test_deregister_a_number_that_is_not_registered(emulator: EmulatorServer) -> None:
    status, body = call(
        emulator,
        "ChatappPhoneNumberDeregister",
        {"CustSpaceId": DEMO, "PhoneNumber": PENDING_NO_CODE},
    )
    assert (status, body["Code"]) == (200, "OK")
    assert number_state(emulator, DEMO, PENDING_NO_CODE)["status"] == "PENDING"


def test_verification_expires_after_fourteen_days(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED}
    ctl.advance_clock(emulator.url, 14 * 24 * 3600 + 1)
    _, body = call(emulator, "GetPhoneNumberVerificationStatus", params)
    assert body["Data"]["CodeVerificationStatus"] == "EXPIRED"
    call(emulator, "ChatappPhoneNumberDeregister", params)
    _, body = call(emulator, "ChatappPhoneNumberRegister", params)
    assert body["Code"] == "InvalidOperation.PhoneNumberNotVerified"


CAP = (
    "InvalidOperation.RegisterLimitExceeded",
    "The phone number reached the limit of 10 register or deregister requests in 72 hours "
    "(Meta error 133016). Try again later.",
)


def test_ten_register_or_deregister_calls_per_72_hours(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED}
    actions = ["ChatappPhoneNumberDeregister", "ChatappPhoneNumberRegister"] * 5
    for action in actions:
        assert call(emulator, action, params)[1]["Code"] == "OK"
    status, body = call(emulator, "ChatappPhoneNumberDeregister", params)
    assert (status, body["Code"], body["Message"]) == (200, *CAP)
    assert "Success" not in body  # Deregister's envelope has no Success
    status, body = call(emulator, "ChatappPhoneNumberRegister", params)
    business_failure(body, *CAP)
    assert number_state(emulator, DEMO, CONNECTED)["status"] == "CONNECTED"

    ctl.advance_clock(emulator.url, 72 * 3600 - 10)
    assert call(emulator, "ChatappPhoneNumberDeregister", params)[1]["Code"] == CAP[0]
    ctl.advance_clock(emulator.url, 11)
    assert call(emulator, "ChatappPhoneNumberDeregister", params)[1]["Code"] == "OK"


def test_the_cap_counts_the_number_across_spaces(emulator: EmulatorServer) -> None:
    for _ in range(10):
        call(
            emulator,
            "ChatappPhoneNumberDeregister",
            {"CustSpaceId": SECOND, "PhoneNumber": PENDING_WITH_CODE},
        )
    _, body = call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])
    business_failure(body, *CAP)
    assert number_state(emulator, DEMO, PENDING_WITH_CODE)["verifyCode"] == "***"  # not spent


@pytest.mark.parametrize("action", WITH_NUMBER)
def test_number_not_bound_to_the_space(emulator: EmulatorServer, action: str) -> None:
    params = {**VALID[action], "PhoneNumber": "8613999999999"}
    status, body = call(emulator, action, params)
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "ERR-OPERATION-MAAP-0065",
        "The phoneCode is not bind to the subscriber.",
    )
    assert set(body) == GATEWAY_FIELDS


@pytest.mark.parametrize("space", [OTHER, "cams-no-such-space"])
@pytest.mark.parametrize("action", list(VALID))
def test_space_of_another_account(emulator: EmulatorServer, action: str, space: str) -> None:
    params = {**VALID[action], "CustSpaceId": space}
    if space == OTHER and "PhoneNumber" in params and action != "AddChatappPhoneNumber":
        params["PhoneNumber"] = "4915112345678"
    status, body = call(emulator, action, params)
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "Unknown.ResourceOwnerId",
        "The resource does not belong to the current user.",
    )


@pytest.mark.parametrize("action", list(VALID))
def test_unsubscribed_account(emulator: EmulatorServer, action: str) -> None:
    status, body = call(emulator, action, VALID[action], key="unsubscribed")
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "Product.Unsubscript",
        "You have not subscribed to the specified product.",
    )
    assert set(body) == GATEWAY_FIELDS


DENIED = [
    "ChatappVerifyAndRegister",
    "ChatappPhoneNumberRegister",
    "ChatappPhoneNumberDeregister",
    "GetChatappVerifyCode",
]


@pytest.mark.parametrize("action", DENIED)
def test_ram_denied_action(emulator: EmulatorServer, action: str) -> None:
    status, body = call(emulator, action, VALID[action], key="readonly")
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "Ram.PermissionDeny",
        "You are not authorized to perform the operation.",
    )
    detail = body["AccessDeniedDetail"]
    assert detail["AuthAction"] == f"cams:{action}"
    assert detail["AuthPrincipalOwnerId"] == "5012345678901234"
    assert detail["NoPermissionType"] == "ImplicitDeny"


def test_ram_denial_reaches_the_sdk_exception(emulator: EmulatorServer) -> None:
    from alibabacloud_tea_openapi.exceptions import ClientException

    client = cams_client(emulator, "readonly")
    with pytest.raises(ClientException) as exc:
        client.chatapp_phone_number_deregister_with_options(
            cams.ChatappPhoneNumberDeregisterRequest(cust_space_id=DEMO, phone_number=CONNECTED),
            RuntimeOptions(),
        )
    assert (exc.value.code, exc.value.status_code) == ("Ram.PermissionDeny", 400)
    assert exc.value.access_denied_detail["AuthAction"] == "cams:ChatappPhoneNumberDeregister"


@pytest.mark.parametrize("action", sorted(set(VALID) - set(DENIED)))
def test_readonly_key_may_read(emulator: EmulatorServer, action: str) -> None:
    assert call(emulator, action, VALID[action], key="readonly")[1]["Code"] == "OK"


@pytest.mark.parametrize(
    ("action", "missing"),
    [(a, p) for a, params in VALID.items() for p in params if p in ACTION_SPECS[a].required],
)
def test_missing_parameter(emulator: EmulatorServer, action: str, missing: str) -> None:
    params = {k: v for k, v in VALID[action].items() if k != missing}
    status, body = call(emulator, action, params)
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "MissingParameter",
        f'The input parameter "{missing}" that is mandatory for processing this request is '
        "not supplied.",
    )


def test_query_without_space_lists_every_space_of_the_account(emulator: EmulatorServer) -> None:
    _, body = call(emulator, "QueryChatappPhoneNumbers", {})
    assert sorted(n["PhoneNumber"] for n in body["PhoneNumbers"]) == sorted(
        [PENDING_WITH_CODE, CONNECTED, PENDING_NO_CODE, PENDING_WITH_CODE]
    )
    _, body = call(emulator, "QueryChatappPhoneNumbers", {"Status": "CONNECTED", "IsvCode": "x"})
    assert [n["PhoneNumber"] for n in body["PhoneNumbers"]] == [CONNECTED]


def test_query_item_fields(emulator: EmulatorServer) -> None:
    _, body = call(emulator, "QueryChatappPhoneNumbers", {"CustSpaceId": DEMO})
    [item] = [n for n in body["PhoneNumbers"] if n["PhoneNumber"] == CONNECTED]
    assert item == {
        "PhoneNumber": CONNECTED,
        "VerifiedName": "Demo Shop Support",
        "Status": "CONNECTED",
        "CodeVerificationStatus": "VERIFIED",
        "QualityRating": "UNKNOWN",
        "MessagingLimitTier": "TIER_250",
        "NameStatus": "Approval",
        "NewNameStatus": "NONE",
        "IsOfficial": "N",
        "StatusCallbackUrl": "",
        "UpCallbackUrl": "",
        "StatusQueue": "",
        "UpQueue": "",
    }
    assert body["Message"] == "SUCCESS"


@pytest.mark.parametrize(
    ("cc", "phone"), [("4x", "7700900123"), ("44", "77009-00123"), ("1234", "5551234"), ("1", "12")]
)
def test_add_an_invalid_phone_number(emulator: EmulatorServer, cc: str, phone: str) -> None:
    params = {**VALID["AddChatappPhoneNumber"], "Cc": cc, "PhoneNumber": phone}
    status, body = call(emulator, "AddChatappPhoneNumber", params)
    assert status == 200
    business_failure(body, "InvalidParameter.PhoneNumberError", "The phone number is invalid.")


def test_adding_an_existing_number_changes_nothing(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": DEMO, "Cc": "86", "PhoneNumber": "13800005678", "VerifiedName": "New"}
    assert call(emulator, "AddChatappPhoneNumber", params)[1]["Code"] == "OK"
    number = number_state(emulator, DEMO, CONNECTED)
    assert (number["status"], number["verifiedName"]) == ("CONNECTED", "Demo Shop Support")


def test_get_is_served_too(emulator: EmulatorServer) -> None:
    status, body = call(
        emulator, "QueryChatappPhoneNumbers", VALID["QueryChatappPhoneNumbers"], method="GET"
    )
    assert (status, body["Code"]) == (200, "OK")


def test_query_and_form_body_are_merged(emulator: EmulatorServer) -> None:
    status, body = call(
        emulator,
        "GetPhoneNumberVerificationStatus",
        {"CustSpaceId": DEMO},
        body={"PhoneNumber": CONNECTED},
    )
    assert (status, body["Data"]["PhoneNumber"]) == (200, CONNECTED)
    [entry] = ctl.requests(emulator.url)
    assert entry["params"] == {"CustSpaceId": DEMO, "PhoneNumber": CONNECTED}


def test_form_body_wins_over_the_query(emulator: EmulatorServer) -> None:
    _, body = call(
        emulator,
        "ChatappSyncPhoneNumber",
        {"CustSpaceId": OTHER},
        body={"CustSpaceId": SECOND},
    )
    assert [n["PhoneNumber"] for n in body["PhoneNumbers"]] == [PENDING_WITH_CODE]


def test_common_pop_parameters_are_ignored(emulator: EmulatorServer) -> None:
    params = {**VALID["QueryChatappPhoneNumbers"], "OwnerId": "1", "ResourceOwnerAccount": "a"}
    assert call(emulator, "QueryChatappPhoneNumbers", params)[1]["Code"] == "OK"


def test_unknown_action(emulator: EmulatorServer) -> None:
    status, body = call(emulator, "ChatappBindWaba", {"CustSpaceId": DEMO})
    assert status == 404
    assert (body["Code"], body["Message"]) == (
        "InvalidApi.NotFound",
        "Specified api is not found,please check your url and method.",
    )


def test_wrong_version(emulator: EmulatorServer) -> None:
    from tests.support.emulator_clients import raw_request

    status, body = raw_request(
        emulator,
        "QueryChatappPhoneNumbers",
        {"CustSpaceId": DEMO},
        extra_headers={"x-acs-version": "2017-01-01"},
    )
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "InvalidParameter",
        'The specified parameter "Action or Version" is not valid.',
    )


def test_verify_codes_never_reach_the_request_log(emulator: EmulatorServer) -> None:
    call(emulator, "ChatappVerifyAndRegister", VALID["ChatappVerifyAndRegister"])
    call(
        emulator,
        "ChatappVerifyAndRegister",
        {**VALID["ChatappVerifyAndRegister"], "VerifyCode": "999111"},
    )
    log = ctl.requests(emulator.url)
    assert [e["params"]["VerifyCode"] for e in log] == ["***", "***"]
    assert "246810" not in str(log) and "999111" not in str(log)
    assert "246810" not in str(ctl.state(emulator.url))


def test_every_action_is_served_and_may_be_denied_or_faulted() -> None:
    # The seed's deniedActions and the fault control check names against ACTIONS; dispatch
    # serves ACTION_SPECS: the two lists must not drift apart.
    from cams_emulator.actions import ACTION_SPECS, ACTIONS

    assert tuple(ACTION_SPECS) == ACTIONS == tuple(VALID)
