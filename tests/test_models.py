"""Models and phone-number normalisation: pure, offline."""

from __future__ import annotations

import pickle

import pytest
from pulumi_cams_provider.cams.errors import InvalidInput
from pulumi_cams_provider.cams.phone_number_list import PhoneNumber
from pulumi_cams_provider.controller.models import RegistrationInputs, state
from pulumi_cams_provider.controller.validation import (
    UNKNOWN,
    format_resource_id,
    is_unknown,
    normalize_phone_number,
    parse_resource_id,
    validate_cust_space_id,
    validate_verify_code,
)


@pytest.mark.parametrize(
    "written",
    [
        "+86 138-0000-1234",
        "008613800001234",
        "8613800001234",
        " +86 (138) 0000.1234 ",
        8613800001234,
        8613800001234.0,
    ],
)
def test_phone_number_forms_normalise_to_digits(written: object) -> None:
    assert normalize_phone_number(written) == "8613800001234"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "must not be empty; write it with its country code: '+86 138-0000-1234'"),
        (
            "+86 138 0000 12x4",
            "may contain only digits, spaces, hyphens, dots, parentheses and slashes, and a "
            "leading '+' or '00'; got '+86 138 0000 12x4', write it like '+86 138-0000-1234'",
        ),
        (
            "013800001234",
            "must start with the country code, not a national 0 prefix; got '013800001234', "
            "write it like '+86 138-0000-1234'",
        ),
        (
            "+86 1234",
            "must have 8 to 15 digits including the country code; '+86 1234' has 6",
        ),
        (
            "+1234567890123456",
            "must have 8 to 15 digits including the country code; '+1234567890123456' has 16",
        ),
        (
            8613800001234.5,
            "must be a whole phone number; write it as a string like '+86 138-0000-1234'",
        ),
        (-5, "must be a positive phone number like '+86 138-0000-1234'"),
        (True, "must be a phone number like '+86 138-0000-1234', not a boolean"),
        (["86"], "must be a string like '+86 138-0000-1234', not a list"),
    ],
)
def test_bad_phone_numbers_say_what_to_change(written: object, reason: str) -> None:
    with pytest.raises(ValueError) as exc:
        normalize_phone_number(written)
    assert str(exc.value) == reason


SPACE_ID_RULE = (
    "may contain only ASCII letters, digits, '-', '_' and '.', starting with a letter or digit, "
    "like the CustSpaceId shown in the CAMS console; got "
)


def test_space_id_rules() -> None:
    assert validate_cust_space_id("cams-demo-space") == "cams-demo-space"
    for bad, reason in [
        ("", "must not be empty; use the CustSpaceId shown in the CAMS console"),
        (
            "cams demo",
            SPACE_ID_RULE + "'cams demo'",
        ),
        (
            "a/b",
            SPACE_ID_RULE + "'a/b'",
        ),
        (
            "-cams",
            SPACE_ID_RULE + "'-cams'",
        ),
        (
            "cams\x1b[31m",
            "must not contain the invisible or control character U+001B; got 'cams\\x1b[31m'",
        ),
        (
            "cams\u200bspace",
            "must not contain the invisible or control character U+200B; got 'cams\\u200bspace'",
        ),
        ("cams\x00", "must not contain the invisible or control character U+0000; got 'cams\\x00'"),
        ("c" * 65, "is 65 characters long; at most 64 are allowed"),
        ("c" * 3_000_000, "is 3000000 characters long; at most 64 are allowed"),
        (12, "must be the CAMS space ID as a string (e.g. 'cams-demo-space'), not a int"),
    ]:
        with pytest.raises(ValueError) as exc:
            validate_cust_space_id(bad)
        assert str(exc.value) == reason


def test_phone_numbers_refuse_control_characters_and_absurd_lengths() -> None:
    for bad, reason in [
        ("+86\n138 0000 1234", "must not contain the invisible or control character U+000A"),
        ("+86 138\u200b0000 1234", "must not contain the invisible or control character U+200B"),
        ("+86 138 0000 1234\x00", "must not contain the invisible or control character U+0000"),
        ("1" * 100_000, "is 100000 characters long; at most 64 are allowed"),
    ]:
        with pytest.raises(ValueError) as exc:
            normalize_phone_number(bad)
        assert str(exc.value).startswith(reason)
        assert len(str(exc.value)) < 200


def test_verify_code_accepts_digits_and_never_echoes_a_bad_one() -> None:
    assert validate_verify_code("246810") == "246810"
    assert validate_verify_code(246810.0) == "246810"
    for bad in ("24681x", "12", "123456789", True):
        with pytest.raises(ValueError) as exc:
            validate_verify_code(bad)
        if isinstance(bad, str) and bad:
            assert bad not in str(exc.value)
        assert "digit code CAMS sent" in str(exc.value)


def test_an_empty_verify_code_is_no_code() -> None:
    """Go's conf.GetSecret and YAML give "" for a code that is not set: the same as none."""
    for empty in (None, "", "   "):
        assert validate_verify_code(empty) is None
    inputs = RegistrationInputs.checked(
        {"custSpaceId": "cams-demo-space", "phoneNumber": "8613800001234", "verifyCode": ""}
    )
    assert inputs.verify_code is None
    assert "verifyCode" not in inputs.to_wire()


def test_resource_id_round_trip() -> None:
    assert format_resource_id("cams-demo-space", "8613800001234") == "cams-demo-space/8613800001234"
    assert parse_resource_id("cams-demo-space/8613800001234") == (
        "cams-demo-space",
        "8613800001234",
    )
    with pytest.raises(ValueError) as exc:
        parse_resource_id("8613800001234")
    assert str(exc.value) == (
        "resource ID '8613800001234' is not of the form '<custSpaceId>/<phoneNumber>'"
    )


def test_checked_inputs_are_normalised_once_and_hide_the_code() -> None:
    inputs = RegistrationInputs.checked(
        {"custSpaceId": "cams-demo-space", "phoneNumber": "+86 138-0000-1234", "verifyCode": 246810}
    )
    assert inputs.phone_number == "8613800001234"
    assert inputs.deregister_on_delete is False
    assert "246810" not in repr(inputs)
    assert inputs.resource_id == "cams-demo-space/8613800001234"
    assert inputs.to_wire() == {
        "custSpaceId": "cams-demo-space",
        "phoneNumber": "8613800001234",
        "verifyCode": "246810",
        "deregisterOnDelete": False,
    }
    with pytest.raises(InvalidInput) as refused:
        RegistrationInputs.checked({"custSpaceId": "cams-demo-space", "phoneNumber": "12"})
    assert str(refused.value) == (
        "invalid input phoneNumber: phoneNumber must have 8 to 15 digits including the country "
        "code; '12' has 2"
    )


def test_inputs_refuse_a_non_boolean_deregister_flag() -> None:
    with pytest.raises(InvalidInput) as refused:
        RegistrationInputs.checked(
            {"custSpaceId": "s", "phoneNumber": "8613800001234", "deregisterOnDelete": "yes"}
        )
    assert str(refused.value) == (
        "invalid input deregisterOnDelete: deregisterOnDelete must be true or false, not 'yes'"
    )


def test_state_wire_form_lists_every_output_and_no_code() -> None:
    listed = PhoneNumber.from_wire({"PhoneNumber": "8613800005678", "Status": "CONNECTED"})
    outputs = state("cams-demo-space", "8613800005678", False, listed, False)
    assert outputs == {
        "custSpaceId": "cams-demo-space",
        "phoneNumber": "8613800005678",
        "deregisterOnDelete": False,
        "status": "CONNECTED",
        "codeVerificationStatus": None,
        "verifiedName": None,
        "qualityRating": None,
        "messagingLimitTier": None,
        "nameStatus": None,
        "adopted": False,
    }


def test_unknown_is_a_singleton_that_survives_pickling() -> None:
    assert is_unknown(UNKNOWN)
    assert not is_unknown("04da6b54-80e4-46f7-96ec-b56ff0331ba9")
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN
    assert repr(UNKNOWN) == "UNKNOWN"
