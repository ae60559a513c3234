"""The resource's lifecycle as the engine drives it, each scenario run on both routes (the
dynamic provider and the native plugin, tests/support/routes.py) against the emulator. What only one
route has stays in test_dynamic_provider.py and test_native_provider.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cams_emulator import EmulatorServer
from pulumi.runtime import rpc
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.client import CamsClient
from pulumi_cams_provider.cams.settings import ProviderSettings

from tests.support import emulator_control as ctl
from tests.support.demo_seed import (
    CODE,
    CONNECTED,
    DEMO_KEY,
    KEYS,
    NO_CODE,
    OTHER_TENANT_SPACE,
    PENDING,
    SECOND_SPACE,
    SECOND_SPACE_CODE,
    SPACE,
)
from tests.support.routes import Route, RouteError, Secret

REGISTER = actions.VERIFY_AND_REGISTER
DEREGISTER = actions.DEREGISTER
QUERY = actions.QUERY_PHONE_NUMBERS
UNKNOWN = rpc.UNKNOWN
SECRETS = (CODE, SECOND_SPACE_CODE, *(secret for _, secret in KEYS.values()))
REGISTERED_ID = f"{SPACE}/{PENDING}"
REGISTERED = {
    "custSpaceId": SPACE,
    "phoneNumber": PENDING,
    "deregisterOnDelete": False,
    "status": "CONNECTED",
    "codeVerificationStatus": "VERIFIED",
    "verifiedName": "Demo Shop",
    "qualityRating": "UNKNOWN",
    "messagingLimitTier": "TIER_250",
    "nameStatus": "Approval",
    "adopted": False,
}
"""The outputs of the seeded PENDING number once registered."""


def program(phone: Any = "+86 138-0000-1234", **extra: Any) -> dict[str, Any]:
    """The inputs a program sends; pass ``verifyCode=Secret(...)`` as a program marks it."""
    return {"custSpaceId": SPACE, "phoneNumber": phone, **extra}


def failure(call: Any, *args: Any) -> RouteError:
    with pytest.raises(RouteError) as raised:
        call(*args)
    return raised.value


def masked(err: RouteError) -> str:
    """The message with its RequestId masked."""
    return re.sub(r"\(RequestId [^)]+\)", "(RequestId *)", err.message)


def calls(emulator: EmulatorServer, action: str) -> int:
    return ctl.actions(emulator.url).count(action)


def assert_no_secret(*texts: Any) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text)


# --- create ----------------------------------------------------------------------------------


def test_create_registers_the_number_once_and_refresh_returns_the_same_state(
    route: Route, emulator: EmulatorServer
) -> None:
    resource_id, outputs = route.up(program(verifyCode=Secret(CODE)))

    assert (resource_id, outputs) == (REGISTERED_ID, REGISTERED)
    assert calls(emulator, REGISTER) == 1
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"
    assert route.read(resource_id, outputs) == (resource_id, outputs)
    assert route.notes() == []
    assert_no_secret(outputs, route.stderr())


def test_create_after_the_state_was_lost_adopts_without_registering_again(
    route: Route, emulator: EmulatorServer
) -> None:
    route.up(program(verifyCode=Secret(CODE)))
    route.new_run()  # a new `pulumi up` with no state, the same (now spent) code

    resource_id, outputs = route.up(program(verifyCode=Secret(CODE)))

    assert resource_id == REGISTERED_ID
    assert outputs == {**REGISTERED, "adopted": True}
    assert calls(emulator, REGISTER) == 1
    assert route.notes() == [
        (
            "info",
            f"phone number {PENDING} was already registered in space {SPACE}; adopted it "
            "without a register call (no verify code was used). Each adopted resource's "
            "`adopted` output is true; further adoptions in this run are logged at debug level "
            "(`--debug`)",
        )
    ]


def test_adoptions_after_the_first_of_a_run_are_said_at_debug_level(
    route: Route, emulator: EmulatorServer
) -> None:
    """Bringing a space under management adopts many numbers: one line, not one per number."""
    route.up(program(phone=CONNECTED))
    route.up(program(phone=PENDING, verifyCode=Secret(CODE)))
    route.new_run()
    for phone in (CONNECTED, PENDING):
        route.up(program(phone=phone))

    # The first run adopts CONNECTED and registers PENDING; the second adopts both.
    levels = [level for level, text in route.notes() if "was already registered" in text]
    assert levels == ["info", "info", "debug"]
    assert calls(emulator, REGISTER) == 1


def test_a_wrong_code_fails_with_one_line_and_leaves_the_number_pending(
    route: Route, emulator: EmulatorServer
) -> None:
    err = failure(route.up, program(verifyCode=Secret("111111")))

    assert err.message == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidParameter.VerifyCodeError: The verification code is incorrect (RequestId "
        f"{ctl.last_request_id(emulator.url, REGISTER)}). Request a fresh code with `pulumi-cams "
        f"request-code --space {SPACE} --phone {PENDING}` and store it with "
        "`pulumi config set --secret <key> <code>`."
    )
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "PENDING"
    assert_no_secret(route.stderr())


def test_an_expired_code_says_to_request_a_fresh_one(
    route: Route, emulator: EmulatorServer
) -> None:
    ctl.advance_clock(emulator.url, 601)

    err = failure(route.up, program(verifyCode=Secret(CODE)))

    assert masked(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        "InvalidParameter.VerifyCodeExpired: The verification code has expired. Request a new "
        "code with GetChatappVerifyCode (RequestId *). Request a fresh code with `pulumi-cams "
        f"request-code --space {SPACE} --phone {PENDING}` and store it with "
        "`pulumi config set --secret <key> <code>`."
    )
    assert_no_secret(err.message, route.stderr())


def test_a_missing_code_awaits_a_person_says_how_to_get_one_and_registers_nothing(
    route: Route, emulator: EmulatorServer
) -> None:
    err = failure(route.up, program())

    assert err.message == (
        f"Phone number {PENDING} in space {SPACE} awaits its verification code: "
        "MissingVerifyCode: it is not registered yet (status PENDING) and no verifyCode was "
        "given, so nothing was sent to CAMS. Request a code with `pulumi-cams request-code "
        f"--space {SPACE} --phone {PENDING}` and store it with `pulumi config set --secret <key> "
        "<code>`, pass it as the verifyCode input (verify_code in Python), and run `pulumi up` "
        "again."
    )
    # The native plugin answers with Pulumi's await result, and says what to do under the
    # resource (the engine shows an await without its message); the dynamic host cannot.
    assert err.awaited is (route.name == "native")
    warnings = [text for level, text in route.notes() if level == "warning"]
    assert warnings == ([err.message] if route.name == "native" else [])
    assert calls(emulator, REGISTER) == 0


def test_an_empty_code_is_no_code_adopting_a_registered_number_and_asking_for_one_otherwise(
    route: Route, emulator: EmulatorServer
) -> None:
    """Go's `conf.GetSecret` and YAML's `${verifyCode}` give "" for a code that is not set."""
    checked = route.check(program(phone=CONNECTED, verifyCode=Secret("")))
    assert checked.failures == []
    assert "verifyCode" not in checked.inputs

    resource_id, outputs = route.up(program(phone=CONNECTED, verifyCode=Secret("")))
    assert resource_id == f"{SPACE}/{CONNECTED}"
    assert outputs["adopted"] is True

    err = failure(route.up, program(verifyCode=Secret("")))
    assert "MissingVerifyCode: it is not registered yet (status PENDING)" in err.message
    assert calls(emulator, REGISTER) == 0


def test_a_number_the_space_does_not_list_is_refused_before_any_register(
    route: Route, emulator: EmulatorServer
) -> None:
    err = failure(route.up, program("+86 138-0000-9999", verifyCode=Secret(CODE)))

    # The RequestId is the listing's that showed the number absent.
    assert err.message == (
        f"ChatappVerifyAndRegister for phone number 8613800009999 in space {SPACE} failed: "
        "PhoneNumberNotInSpace: the space's phone-number list (QueryChatappPhoneNumbers) does "
        f"not contain it (RequestId {ctl.last_request_id(emulator.url, QUERY)}). Add the number "
        f"to the WhatsApp Business Account (WABA) bound to space {SPACE} first (CAMS console, "
        "or ChatappSyncPhoneNumber after adding it in Meta), then run `pulumi up` again."
    )
    assert calls(emulator, REGISTER) == 0


@pytest.mark.parametrize(
    ("key", "space", "phone", "expected"),
    [
        (
            "unsubscribed",
            SPACE,
            PENDING,
            f"QueryChatappPhoneNumbers for phone number {PENDING} in space {SPACE} failed: "
            "Product.Unsubscript: You have not subscribed to the specified product "
            "(RequestId *). Activate Chat App Message Service (CAMS) for this Alibaba Cloud "
            "account in the console, then retry.",
        ),
        (
            "readonly",
            SPACE,
            PENDING,
            f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
            "Ram.PermissionDeny: You are not authorized to perform the operation "
            "(RequestId *). Grant the RAM action cams:ChatappVerifyAndRegister to the identity "
            "in use (for example with a custom policy; AliyunCamsFullAccess covers it).",
        ),
        (
            "demo",
            OTHER_TENANT_SPACE,
            "+49 151 12345678",
            "QueryChatappPhoneNumbers for phone number 4915112345678 in space "
            f"{OTHER_TENANT_SPACE} failed: Unknown.ResourceOwnerId: The resource does not "
            f"belong to the current user (RequestId *). Space {OTHER_TENANT_SPACE} belongs to "
            "another Alibaba Cloud account: check custSpaceId and the credentials in use.",
        ),
    ],
)
def test_the_documented_access_errors_say_what_to_fix(
    route: Route, emulator: EmulatorServer, key: str, space: str, phone: str, expected: str
) -> None:
    route.configure(emulator.url, KEYS[key])

    err = failure(
        route.up, {"custSpaceId": space, "phoneNumber": phone, "verifyCode": Secret(CODE)}
    )

    assert masked(err) == expected
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "PENDING"
    assert_no_secret(err.message, route.stderr())


@pytest.mark.parametrize(
    ("fault", "cams_message"),
    [
        ("throttle", "The system is under flow control"),
        ("business_error", "Injected business error"),  # in a 200 body, as CAMS also does
    ],
)
def test_flow_control_that_outlasts_the_budget_names_the_setting(
    route: Route, emulator: EmulatorServer, fault: str, cams_message: str
) -> None:
    route.configure(emulator.url, DEMO_KEY, retryTimeout=1)
    extra = {"code": "System.LimitControl"} if fault == "business_error" else {}
    ctl.faults(emulator.url, REGISTER, fault, count=1000, **extra)

    err = failure(route.up, program(verifyCode=Secret(CODE)))

    assert masked(err) == (
        f"ChatappVerifyAndRegister for phone number {PENDING} in space {SPACE} failed: "
        f"System.LimitControl: {cams_message} (RequestId *). CAMS flow control: lower the "
        "rate (cams:requestsPerSecond, CAMS_REQUESTS_PER_SECOND) or retry later."
    )
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "PENDING"


# --- check, preview and diff -----------------------------------------------------------------


def test_check_normalises_every_input(route: Route) -> None:
    checked = route.check(program(verifyCode=Secret(246810.0)))

    assert checked.failures == []
    assert checked.inputs == {
        "custSpaceId": SPACE,
        "phoneNumber": PENDING,
        "verifyCode": CODE,
        "deregisterOnDelete": False,
    }


@pytest.mark.parametrize(
    ("news", "failures"),
    [
        (
            {"custSpaceId": "", "phoneNumber": "12345", "verifyCode": Secret("12"), "verify": 1},
            [
                ("verify", "unknown property 'verify'; did you mean 'verifyCode'?"),
                (
                    "custSpaceId",
                    "custSpaceId must not be empty; use the CustSpaceId shown in the CAMS console",
                ),
                (
                    "phoneNumber",
                    "phoneNumber must have 8 to 15 digits including the country code; '12345' "
                    "has 5",
                ),
                (
                    "verifyCode",
                    "verifyCode must be the 4-8 digit code CAMS sent by SMS or voice (digits "
                    "only); request a new one with `pulumi-cams request-code` if it is lost",
                ),
            ],
        ),
        (
            {"custSpaceId": SPACE, "phone_number": PENDING},
            [
                ("phone_number", "unknown property 'phone_number'; did you mean 'phoneNumber'?"),
                (
                    "phoneNumber",
                    "phoneNumber is required: the number with its country code, e.g. "
                    "'+86 138-0000-1234'",
                ),
            ],
        ),
    ],
)
def test_check_failures_reach_the_engine_one_per_property(
    route: Route, news: dict[str, Any], failures: list[tuple[str, str]]
) -> None:
    assert sorted(route.check(news).failures) == sorted(failures)


def test_preview_with_unknown_inputs_lets_them_through_and_plans_a_replace(route: Route) -> None:
    checked = route.check(program(UNKNOWN, verifyCode=Secret(UNKNOWN)))

    assert checked.failures == []
    assert (checked.inputs["phoneNumber"], checked.inputs["verifyCode"]) == (UNKNOWN, UNKNOWN)
    diff = route.diff(REGISTERED_ID, REGISTERED, checked.inputs)
    assert (diff.changes, diff.replaces) == (True, ["phoneNumber"])


def test_an_unchanged_program_has_no_diff_even_with_a_new_code(route: Route) -> None:
    resource_id, outputs = route.up(program(verifyCode=Secret(CODE)))

    for news in (
        program(verifyCode=Secret(CODE)),
        program(verifyCode=Secret(SECOND_SPACE_CODE)),
        program(int(PENDING)),
        program("+" + PENDING),
    ):
        checked = route.check(news, program(verifyCode=Secret(CODE)))
        diff = route.diff(resource_id, outputs, checked.inputs)
        assert (diff.changes, diff.replaces, diff.delete_before_replace) == (False, [], False)


def test_a_new_number_replaces_and_a_new_space_replaces_deleting_first(
    route: Route, emulator: EmulatorServer
) -> None:
    resource_id, outputs = route.up(program(verifyCode=Secret(CODE)))
    ctl.clear_requests(emulator.url)

    new_number = route.diff(resource_id, outputs, route.check(program(NO_CODE)).inputs)
    new_space = route.diff(
        resource_id, outputs, route.check({**program(), "custSpaceId": SECOND_SPACE}).inputs
    )

    assert (new_number.changes, new_number.replaces, new_number.delete_before_replace) == (
        True,
        ["phoneNumber"],
        False,
    )
    # One number cannot sit in two spaces: the old registration goes first.
    assert (new_space.changes, new_space.replaces, new_space.delete_before_replace) == (
        True,
        ["custSpaceId"],
        True,
    )
    assert ctl.requests(emulator.url) == []


def test_update_applies_deregister_on_delete_without_a_cams_call_and_keeps_every_output(
    route: Route, emulator: EmulatorServer
) -> None:
    resource_id, outputs = route.up(program(verifyCode=Secret(CODE)))
    news = route.check(program(deregisterOnDelete=True)).inputs
    ctl.clear_requests(emulator.url)

    diff = route.diff(resource_id, outputs, news)
    updated = route.update(resource_id, outputs, news)

    assert (diff.changes, diff.replaces) == (True, [])
    assert updated == {**outputs, "deregisterOnDelete": True}
    assert ctl.requests(emulator.url) == []


# --- refresh and delete ----------------------------------------------------------------------


def test_refresh_after_deregistration_outside_pulumi_reports_the_registration_gone(
    route: Route, emulator: EmulatorServer
) -> None:
    resource_id, outputs = route.up(program(verifyCode=Secret(CODE)))
    outside = CamsClient(
        ProviderSettings.from_config(
            {"endpoint": emulator.url, "accessKeyId": DEMO_KEY[0], "accessKeySecret": DEMO_KEY[1]},
            environ={},
        )
    )
    outside.chatapp_phone_number_deregister(SPACE, PENDING)
    route.new_run()  # `pulumi refresh`

    assert route.read(resource_id, outputs) == ("", {})


def test_delete_leaves_the_number_registered_by_default_and_says_so(
    route: Route, emulator: EmulatorServer
) -> None:
    resource_id, outputs = route.up(program(CONNECTED))
    ctl.clear_requests(emulator.url)

    route.delete(resource_id, outputs)

    assert ctl.requests(emulator.url) == []
    assert ctl.number_status(emulator.url, SPACE, CONNECTED) == "CONNECTED"
    assert route.notes()[-1] == (
        "info",
        f"{SPACE}/{CONNECTED} left registered in CAMS because deregisterOnDelete is false; the "
        "resource is only removed from the stack (so are the others this run removes: "
        "`--debug` names them)",
    )


def test_delete_deregisters_when_asked_and_a_number_already_gone_is_success(
    route: Route, emulator: EmulatorServer
) -> None:
    resource_id, outputs = route.up(program(verifyCode=Secret(CODE), deregisterOnDelete=True))
    notes = len(route.notes())
    route.new_run()  # `pulumi destroy`

    route.delete(resource_id, outputs)

    assert calls(emulator, DEREGISTER) == 1
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "DISCONNECTED"
    assert route.read(resource_id, outputs) == ("", {})
    route.delete(resource_id, outputs)  # already gone: a success, and no second deregister
    assert calls(emulator, DEREGISTER) == 1
    assert len(route.notes()) == notes


# --- two resources of one deployment, one number ----------------------------------------------


def test_a_number_declared_twice_is_registered_once_and_adopted_by_the_second(
    route: Route, emulator: EmulatorServer
) -> None:
    first_id, first = route.up(program("+86 138-0000-1234", verifyCode=Secret(CODE)))
    second_id, second = route.up(program("8613800001234", verifyCode=Secret(CODE)))

    assert first_id == second_id == REGISTERED_ID
    assert (first["adopted"], second["adopted"]) == (False, True)
    assert calls(emulator, REGISTER) == 1
    assert route.notes()[-1] == (
        "warning",
        f"phone number {PENDING} is declared by another resource of this deployment too, which "
        "registered or adopted it first; adopted it here without a register call. Declare each "
        "number once.",
    )


def test_a_rename_never_deregisters_the_number_the_new_resource_adopted(
    route: Route, emulator: EmulatorServer
) -> None:
    """`pulumi up` after renaming a resource: the new one is created (it adopts the number),
    then the old one deleted; with deregisterOnDelete that delete must not deregister it."""
    old_id, old = route.up(program(verifyCode=Secret(CODE), deregisterOnDelete=True))
    route.new_run()  # the `pulumi up` with the new name
    new_id, new = route.up(program(deregisterOnDelete=True))

    route.delete(old_id, old)

    assert new["adopted"] is True
    assert calls(emulator, DEREGISTER) == 0
    assert ctl.number_status(emulator.url, SPACE, PENDING) == "CONNECTED"
    assert route.notes()[-1] == (
        "warning",
        f"{old_id} was not deregistered: another resource of this deployment has just "
        "registered or adopted the number (a renamed resource, or the number declared twice), "
        "so it stays registered and managed there. To rename a resource without a delete, give "
        "the new one `aliases` with its old name.",
    )
