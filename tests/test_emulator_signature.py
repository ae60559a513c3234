"""V3 signature verification: the official vectors, then every gateway failure over raw HTTP."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from cams_emulator import EmulatorServer, signature

from tests.support import emulator_control as ctl
from tests.support.emulator_clients import acs_date, call, raw_request

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
QUERY = {"CustSpaceId": "cams-demo-space"}
ACTION = "QueryChatappPhoneNumbers"


def _headers(values: dict[str, str]) -> dict[str, list[str]]:
    return {k: [v] for k, v in values.items()}


def test_official_v3_test_vector() -> None:
    # the V3 signature documentation ([V3] in COVERAGE.md)
    headers = _headers(
        {
            "host": "ecs.cn-shanghai.aliyuncs.com",
            "x-acs-action": "RunInstances",
            "x-acs-version": "2014-05-26",
            "x-acs-date": "2023-10-26T10:22:32Z",
            "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
            "x-acs-content-sha256": EMPTY_SHA256,
        }
    )
    signed = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    query = "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
    canonical = signature.canonical_request(
        "POST", "/", query, headers, signed.split(";"), EMPTY_SHA256
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == (
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    )
    expected = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    assert signature.sign("YourAccessKeySecret", signature.string_to_sign(canonical)) == expected

    headers["authorization"] = [
        f"ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={signed},Signature={expected}"
    ]
    verified = signature.verify(
        method="POST",
        path="/",
        raw_query=query,
        headers=headers,
        body=b"",
        secret_for={"YourAccessKeyId": "YourAccessKeySecret"}.get,
        now=signature.parse_acs_date("2023-10-26T10:22:32Z") + 60,
    )
    assert verified.access_key_id == "YourAccessKeyId"
    assert verified.nonce == "3156853299f313e23d1673dc12e1703d"


def test_worked_example_from_the_real_sdk() -> None:
    # [V3] (the emulator's COVERAGE.md): a request captured from SDK 5.3.1, recomputed server-side.
    headers = _headers(
        {
            "accept": "application/json",
            "host": "127.0.0.1:18765",
            "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2 "
            "pulumi-cams-test/0.1",
            "x-acs-action": "ChatappVerifyAndRegister",
            "x-acs-content-sha256": EMPTY_SHA256,
            "x-acs-credentials-provider": "static_ak",
            "x-acs-date": "2025-01-01T00:00:00Z",
            "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
            "x-acs-version": "2020-06-06",
        }
    )
    query = "CustSpaceId=cams-8c8%2A%2A%2A&PhoneNumber=8613800001234&VerifyCode=123456"
    canonical = signature.canonical_request(
        "POST", "/", query, headers, sorted(headers), EMPTY_SHA256
    )
    assert canonical.splitlines()[2] == (
        "CustSpaceId=cams-8c8%2A%2A%2A&PhoneNumber=8613800001234&VerifyCode=123456"
    )
    to_sign = signature.string_to_sign(canonical)
    assert to_sign == (
        "ACS3-HMAC-SHA256\n9b06ae87ff8f05085fc7a822c604064d694074cba9f6c605cfa34d766be9123a"
    )
    assert signature.sign("testAccessKeySecret", to_sign) == (
        "22c78a814eef91dd28d97796225b0130eee826c6b8e4b29bb3487e2ca109cf6d"
    )


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        # urlencode's "+" is a space on the wire; V3 wants %20 ([V3], observed in [V3]).
        ("CustSpaceId=sp+1%2B2~x%2Fy", "CustSpaceId=sp%201%2B2~x%2Fy"),
        ("b=2&a=1&a=0", "a=0&a=1&b=2"),
        ("Name=a*b%7Ec", "Name=a%2Ab~c"),
        ("Empty=&X=%E4%B8%AD", "Empty=&X=%E4%B8%AD"),
        ("", ""),
    ],
)
def test_canonical_query_decodes_then_re_encodes(raw: str, canonical: str) -> None:
    assert signature.canonical_query_string(raw) == canonical


def test_a_hand_signed_request_is_accepted(emulator: EmulatorServer) -> None:
    status, body = raw_request(emulator, ACTION, QUERY)
    assert (status, body["Code"]) == (200, "OK")


def test_signature_with_the_wrong_secret(emulator: EmulatorServer) -> None:
    status, body = raw_request(emulator, ACTION, QUERY, key=("LTAI5tDemoAccessKey", "wrong"))
    assert status == 400
    assert body["Code"] == "SignatureDoesNotMatch"
    assert body["Message"].startswith(
        "Specified signature is not matched with our calculation. "
        "server string to sign is:ACS3-HMAC-SHA256\n"
    )
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert body["HostId"] == "cams.ap-southeast-1.aliyuncs.com"
    assert "q=SignatureDoesNotMatch" in body["Recommend"]


def test_the_sdk_sees_signature_does_not_match(emulator: EmulatorServer) -> None:
    status, body = call(emulator, ACTION, QUERY, key=("LTAI5tDemoAccessKey", "not-the-secret"))
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")


def test_unknown_access_key(emulator: EmulatorServer) -> None:
    status, body = raw_request(emulator, ACTION, QUERY, key=("LTAI5tNobody", "x"))
    assert status == 404
    assert (body["Code"], body["Message"]) == (
        "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.",
    )


INCOMPLETE = ("IncompleteSignature", "The request signature does not conform to Aliyun standards.")


def test_missing_authorization(emulator: EmulatorServer) -> None:
    status, body = raw_request(emulator, ACTION, QUERY, authorization="")
    assert (status, body["Code"], body["Message"]) == (400, *INCOMPLETE)


@pytest.mark.parametrize(
    "authorization",
    [
        "garbage",
        "ACS3-HMAC-SM3 Credential=LTAI5tDemoAccessKey,SignedHeaders=host,Signature=00",
        "ACS3-HMAC-SHA256 Credential=LTAI5tDemoAccessKey,Signature=00",
    ],
)
def test_garbled_authorization(emulator: EmulatorServer, authorization: str) -> None:
    status, body = raw_request(emulator, ACTION, QUERY, authorization=authorization)
    assert (status, body["Code"], body["Message"]) == (400, *INCOMPLETE)


@pytest.mark.parametrize("header", ["x-acs-signature-nonce", "host", "x-acs-date"])
def test_a_required_header_left_unsigned(emulator: EmulatorServer, header: str) -> None:
    status, body = raw_request(emulator, ACTION, QUERY, unsigned=(header,))
    assert (status, body["Code"]) == (400, "IncompleteSignature")


def test_a_present_security_token_must_be_signed(emulator: EmulatorServer) -> None:
    status, body = raw_request(
        emulator,
        ACTION,
        QUERY,
        extra_headers={"x-acs-security-token": "tok"},
        unsigned=("x-acs-security-token",),
    )
    assert (status, body["Code"]) == (400, "IncompleteSignature")


@pytest.mark.parametrize("minutes", [-16, 16])
def test_stale_or_future_date(emulator: EmulatorServer, minutes: int) -> None:
    when = datetime.now(timezone.utc) - timedelta(minutes=minutes)
    status, body = raw_request(emulator, ACTION, QUERY, date=acs_date(when))
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "InvalidTimeStamp.Expired",
        "Specified time stamp or date value is expired.",
    )


def test_date_within_fifteen_minutes_is_accepted(emulator: EmulatorServer) -> None:
    when = datetime.now(timezone.utc) - timedelta(minutes=14)
    status, _ = raw_request(emulator, ACTION, QUERY, date=acs_date(when))
    assert status == 200


def test_unparsable_date(emulator: EmulatorServer) -> None:
    status, body = raw_request(emulator, ACTION, QUERY, date="Thu, 26 Nov 2026 10:00:00 GMT")
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "InvalidTimeStamp.Format",
        "Specified time stamp or date value is not well formatted.",
    )


def test_replayed_nonce(emulator: EmulatorServer) -> None:
    assert raw_request(emulator, ACTION, QUERY, nonce="n-1")[0] == 200
    status, body = raw_request(emulator, ACTION, QUERY, nonce="n-1")
    assert status == 400
    assert (body["Code"], body["Message"]) == (
        "SignatureNonceUsed",
        "Specified signature nonce was used already.",
    )


def test_body_that_does_not_match_its_content_hash(emulator: EmulatorServer) -> None:
    status, body = raw_request(
        emulator,
        ACTION,
        {},
        body=b"CustSpaceId=cams-other-tenant",
        claimed_body=b"CustSpaceId=cams-demo-space",
        extra_headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")


def test_signed_form_body_is_read(emulator: EmulatorServer) -> None:
    status, body = raw_request(
        emulator,
        ACTION,
        {},
        body=b"CustSpaceId=cams-second-space",
        extra_headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    assert [n["PhoneNumber"] for n in body["PhoneNumbers"]] == ["8613800001234"]


def test_sts_token_for_a_known_key_is_accepted(emulator: EmulatorServer) -> None:
    status, body = call(emulator, ACTION, QUERY, security_token="tok=en/+")
    assert (status, body["Code"]) == (200, "OK")
    assert ctl.requests(emulator.url)[-1]["accessKeyId"] == "LTAI5tDemoAccessKey"


def test_sts_access_key_header_must_match_the_credential(emulator: EmulatorServer) -> None:
    status, body = raw_request(
        emulator,
        ACTION,
        QUERY,
        extra_headers={"x-acs-accesskey-id": "STS.someone-else", "x-acs-security-token": "t"},
    )
    assert (status, body["Code"]) == (400, "IncompleteSignature")


def test_gateway_failures_are_logged_without_secrets(emulator: EmulatorServer) -> None:
    raw_request(emulator, ACTION, QUERY, key=("LTAI5tDemoAccessKey", "wrong"))
    [entry] = ctl.requests(emulator.url)
    assert entry["httpStatus"] == 400
    assert entry["code"] == "SignatureDoesNotMatch"
    assert entry["action"] == ACTION
