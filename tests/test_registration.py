"""The registration controller in process: pure check/diff/update, and create/read/delete with
a real CamsClient against the emulator over HTTP (the finder's own rules: test_phone_numbers)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.errors import (
    CamsAccessDenied,
    CamsError,
    CamsInvalidRequest,
    CamsThrottled,
)
from pulumi_cams_provider.cams.retry import RetryPolicy
from pulumi_cams_provider.controller.checks import InputFailure, check_inputs, diff_inputs
from pulumi_cams_provider.controller.errors import (
    MissingVerifyCode,
    NotRegistered,
    PhoneNumberNotInSpace,
)
from pulumi_cams_provider.controller.outcomes import DeleteOutcome, Note, ReadOutcome
from pulumi_cams_provider.controller.registration import RegistrationController
from pulumi_cams_provider.controller.session import CamsSession
from pulumi_cams_provider.controller.validation import UNKNOWN

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CODE, CONNECTED, KEYS, NO_CODE, PENDING
from tests.support.demo_seed import SPACE as DEMO
from tests.support.settings import settings_for

REGISTER = actions.VERIFY_AND_REGISTER
DEREGISTER = actions.DEREGISTER
QUERY = actions.QUERY_PHONE_NUMBERS


@pytest.fixture
def controller(emulator: EmulatorServer) -> RegistrationController:
    return RegistrationController(
        CamsSession(
            settings_for(emulator).model_copy(update={"retry_timeout": 5.0, "settle_timeout": 1.0}),
            retry_policy=RetryPolicy(base=0.01, cap=0.05),
        )
    )


def actions(server: EmulatorServer) -> list[str]:
    return [entry["action"] for entry in ctl.requests(server.url)]


def inputs(phone: str = PENDING, **extra: object) -> dict[str, object]:
    return {"custSpaceId": DEMO, "phoneNumber": phone, **extra}


# --- check -----------------------------------------------------------------------------------


def test_check_normalises_every_input() -> None:
    outcome = check_inputs(inputs("+86 138-0000-1234", verifyCode=246810.0, __provider="blob"))
    assert outcome.failures == []
    assert outcome.inputs == {
        "custSpaceId": DEMO,
        "phoneNumber": PENDING,
        "verifyCode": "246810",
        "deregisterOnDelete": False,
    }


def test_check_reports_one_failure_per_bad_property() -> None:
    outcome = check_inputs(
        {
            "custSpaceId": "cams demo",
            "phoneNumber": "138-0000",
            "verifyCode": "99x",
            "deregisterOnDelete": "yes",
            "phone_number": "+86 138",
            "status": "CONNECTED",
            "colour": "blue",
            "qualityRating": None,
        },
    )
    assert outcome.failures == [
        InputFailure(
            "phone_number", "unknown property 'phone_number'; did you mean 'phoneNumber'?"
        ),
        InputFailure("status", "status is an output reported by CAMS; remove it"),
        InputFailure(
            "colour",
            "unknown property 'colour'; valid properties are custSpaceId, phoneNumber, "
            "verifyCode, deregisterOnDelete",
        ),
        InputFailure(
            "custSpaceId",
            "custSpaceId may contain only ASCII letters, digits, '-', '_' and '.', starting with "
            "a letter or digit, like the CustSpaceId shown in the CAMS console; got 'cams demo'",
        ),
        InputFailure(
            "phoneNumber",
            "phoneNumber must have 8 to 15 digits including the country code; '138-0000' has 7",
        ),
        InputFailure(
            "verifyCode",
            "verifyCode must be the 4-8 digit code CAMS sent by SMS or voice (digits only); "
            "request a new one with `pulumi-cams request-code` if it is lost",
        ),
        InputFailure("deregisterOnDelete", "deregisterOnDelete must be true or false, not 'yes'"),
    ]
    assert "99x" not in repr(outcome.failures)


def test_check_requires_space_and_number_and_suggests_near_names() -> None:
    outcome = check_inputs({"custSpaceID": DEMO})
    assert outcome.failures == [
        InputFailure("custSpaceID", "unknown property 'custSpaceID'; did you mean 'custSpaceId'?"),
        InputFailure(
            "custSpaceId",
            "custSpaceId is required: the CAMS space ID (CustSpaceId) the number belongs to, "
            "e.g. 'cams-demo-space'",
        ),
        InputFailure(
            "phoneNumber",
            "phoneNumber is required: the number with its country code, e.g. '+86 138-0000-1234'",
        ),
    ]


def test_check_lets_unknown_values_through() -> None:
    outcome = check_inputs(
        {
            "custSpaceId": UNKNOWN,
            "phoneNumber": UNKNOWN,
            "verifyCode": UNKNOWN,
            "deregisterOnDelete": UNKNOWN,
        },
    )
    assert outcome.failures == []
    assert all(value is UNKNOWN for value in outcome.inputs.values())


# --- diff ------------------------------------------------------------------------------------

STATE = {
    "custSpaceId": DEMO,
    "phoneNumber": PENDING,
    "deregisterOnDelete": False,
    "status": "CONNECTED",
    "adopted": False,
    "__provider": "old-blob",
}


@pytest.mark.parametrize(
    ("news", "changes", "replaces", "delete_before_replace"),
    [
        (inputs(verifyCode="135791", __provider="new-blob"), False, [], False),
        (inputs("+86 138-0000-1234"), False, [], False),
        (inputs(deregisterOnDelete=True), True, [], False),
        (inputs(CONNECTED), True, ["phoneNumber"], False),
        ({**inputs(), "custSpaceId": "cams-second-space"}, True, ["custSpaceId"], True),
        (
            {"custSpaceId": "cams-second-space", "phoneNumber": CONNECTED},
            True,
            ["custSpaceId", "phoneNumber"],
            False,
        ),
        (inputs(UNKNOWN), True, ["phoneNumber"], False),
    ],
)
def test_diff_replaces_on_a_new_identity_updates_deregister_on_delete_and_ignores_the_code(
    news: dict[str, object], changes: bool, replaces: list[str], delete_before_replace: bool
) -> None:
    outcome = diff_inputs(STATE, news)
    assert (outcome.changes, outcome.replaces, outcome.delete_before_replace) == (
        changes,
        replaces,
        delete_before_replace,
    )


def test_update_keeps_every_output_and_calls_nothing(emulator: EmulatorServer) -> None:
    controller = RegistrationController(CamsSession(settings_for(emulator)))
    outputs = controller.update(
        {**STATE, "verifiedName": "Demo Shop"},
        inputs(deregisterOnDelete=True, verifyCode="246810"),
    )
    assert outputs == {
        "custSpaceId": DEMO,
        "phoneNumber": PENDING,
        "deregisterOnDelete": True,
        "status": "CONNECTED",
        "codeVerificationStatus": None,
        "verifiedName": "Demo Shop",
        "qualityRating": None,
        "messagingLimitTier": None,
        "nameStatus": None,
        "adopted": False,
    }
    assert actions(emulator) == []


# --- create ----------------------------------------------------------------------------------


def test_create_registers_once_and_reports_the_live_state(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    outcome = controller.create(inputs(verifyCode="246810"))
    assert outcome.resource_id == f"{DEMO}/{PENDING}"
    assert outcome.adopted is False
    assert outcome.outputs["status"] == "CONNECTED"
    assert outcome.outputs["codeVerificationStatus"] == "VERIFIED"
    assert "verifyCode" not in outcome.outputs
    assert actions(emulator) == [QUERY, REGISTER, QUERY]


def test_create_adopts_a_registered_number_without_a_code(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    outcome = controller.create(inputs(CONNECTED))
    assert outcome.adopted is True
    assert outcome.outputs["adopted"] is True
    assert outcome.outputs["status"] == "CONNECTED"
    assert actions(emulator) == [QUERY]


def test_create_refuses_a_number_the_space_does_not_list(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    with pytest.raises(PhoneNumberNotInSpace) as exc:
        controller.create(inputs("8613800009999", verifyCode="246810"))
    assert exc.value.code == "PhoneNumberNotInSpace"
    assert exc.value.request_id == ctl.last_request_id(emulator.url, QUERY)
    assert str(exc.value) == (
        "ChatappVerifyAndRegister for phone number 8613800009999 in space cams-demo-space "
        "failed: PhoneNumberNotInSpace: the space's phone-number list (QueryChatappPhoneNumbers)"
        f" does not contain it (RequestId {exc.value.request_id}). Add the number to the WhatsApp "
        "Business Account (WABA) bound to space cams-demo-space first (CAMS console, or "
        "ChatappSyncPhoneNumber after adding it in Meta), then run `pulumi up` again."
    )


def test_create_without_a_code_says_how_to_request_one(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    with pytest.raises(MissingVerifyCode) as exc:
        controller.create(inputs(NO_CODE))
    assert str(exc.value) == (
        "Phone number 6591234567 in space cams-demo-space awaits its verification code: "
        "MissingVerifyCode: it is not registered yet (status PENDING) and no verifyCode was "
        "given, so nothing was sent to CAMS. Request a code with `pulumi-cams request-code "
        "--space cams-demo-space --phone 6591234567` and store it with `pulumi config set --secret "
        "<key> <code>`, pass it as the verifyCode input (verify_code in Python), and run "
        "`pulumi up` again."
    )
    assert exc.value.awaits_person
    assert actions(emulator) == [QUERY]


def test_create_with_a_wrong_code_fails_with_the_cams_error(
    controller: RegistrationController,
) -> None:
    with pytest.raises(CamsInvalidRequest) as exc:
        controller.create(inputs(verifyCode="111111"))
    assert (exc.value.code, exc.value.message) == (
        "InvalidParameter.VerifyCodeError",
        "The verification code is incorrect.",
    )
    assert "111111" not in str(exc.value)


def test_create_after_an_ambiguous_success_observes_instead_of_retrying(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    # The emulator registers the number, then drops the connection: the answer is lost, the
    # read that follows shows it registered, and no second register call is made.
    ctl.faults(emulator.url, REGISTER, "reset_after")
    outcome = controller.create(inputs(verifyCode="246810"))
    assert outcome.outputs["status"] == "CONNECTED"
    assert [a for a in actions(emulator) if a == REGISTER] == [REGISTER]


@pytest.mark.parametrize(
    ("fault", "answer"), [("http500", "InternalError"), ("reset_before", None)]
)
def test_a_register_that_failed_without_effect_is_made_once_more_after_the_settle_time(
    controller: RegistrationController, emulator: EmulatorServer, fault: str, answer: str | None
) -> None:
    # A 500, or a connection reset before CAMS read the request: the number stays PENDING
    # through the settle time's reads, so exactly one more register call is made.
    ctl.faults(emulator.url, REGISTER, fault)
    outcome = controller.create(inputs(verifyCode="246810"))
    assert outcome.outputs["status"] == "CONNECTED"
    calls = [(e["action"], e["code"]) for e in ctl.requests(emulator.url)]
    assert [c for c in calls if c[0] == REGISTER] == [(REGISTER, answer), (REGISTER, "OK")]
    assert calls[0] == (QUERY, "OK") and calls[-1] == (QUERY, "OK")
    between = calls[calls.index((REGISTER, answer)) + 1 : calls.index((REGISTER, "OK"))]
    assert between and set(between) == {(QUERY, "OK")}  # observed before the second call


def test_create_gives_up_on_throttling_after_the_deadline(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    ctl.faults(emulator.url, REGISTER, "throttle", count=1000)
    with pytest.raises(CamsThrottled) as exc:
        controller.create(inputs(verifyCode="246810"))
    assert (exc.value.code, exc.value.message) == (
        "System.LimitControl",
        "The system is under flow control.",
    )


def test_create_with_a_read_only_key_names_the_ram_action(emulator: EmulatorServer) -> None:
    controller = RegistrationController(CamsSession(settings_for(emulator, KEYS["readonly"])))
    with pytest.raises(CamsAccessDenied) as exc:
        controller.create(inputs(verifyCode="246810"))
    assert exc.value.code == "Ram.PermissionDeny"
    assert exc.value.action == REGISTER
    assert "Grant the RAM action cams:ChatappVerifyAndRegister" in str(exc.value)


def test_listing_errors_name_the_number(emulator: EmulatorServer) -> None:
    controller = RegistrationController(CamsSession(settings_for(emulator, KEYS["unsubscribed"])))
    with pytest.raises(CamsAccessDenied) as exc:
        controller.create(inputs(verifyCode="246810"))
    assert exc.value.code == "Product.Unsubscript"
    assert str(exc.value).startswith(
        "QueryChatappPhoneNumbers for phone number 8613800001234 in space cams-demo-space failed:"
        " Product.Unsubscript:"
    )


# --- read and delete -------------------------------------------------------------------------


def test_read_reports_a_number_deregistered_elsewhere_as_gone(
    emulator: EmulatorServer,
) -> None:
    created = RegistrationController(CamsSession(settings_for(emulator))).create(
        inputs(verifyCode="246810")
    )
    live = RegistrationController(CamsSession(settings_for(emulator))).read(
        created.resource_id, created.outputs
    )
    assert (live.resource_id, live.outputs) == (created.resource_id, created.outputs)
    RegistrationController(CamsSession(settings_for(emulator))).delete(
        created.resource_id, {**created.outputs, "deregisterOnDelete": True}
    )
    gone = RegistrationController(CamsSession(settings_for(emulator))).read(
        created.resource_id, created.outputs
    )
    assert (gone.resource_id, gone.outputs) == (None, {})


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (
            {"fault": "business_error", "code": "ERR-OPERATION-MAAP-0060", "count": 50},
            "ERR-OPERATION-MAAP-0060",
        ),
        ({"fault": "http503", "count": 500}, "ServiceUnavailable"),
        ({"fault": "throttle", "count": 500}, "System.LimitControl"),
        ({"fault": "reset_before", "count": 500}, "ConnectionFailed"),
    ],
)
def test_read_keeps_the_registration_when_the_listing_fails(
    emulator: EmulatorServer, fault: dict[str, Any], code: str
) -> None:
    """Only a listing that shows the number absent or unregistered drops it; a failure to list,
    about the space or the way to it, is a refresh error and the state is kept."""
    controller = RegistrationController(
        CamsSession(
            settings_for(emulator).model_copy(update={"retry_timeout": 1.0}),
            retry_policy=RetryPolicy(base=0.01, cap=0.05),
        )
    )
    ctl.control(emulator.url, "POST", "faults", {"action": QUERY, **fault})
    state = {"custSpaceId": DEMO, "phoneNumber": CONNECTED, "deregisterOnDelete": False}
    with pytest.raises(CamsError) as exc:
        controller.read(f"{DEMO}/{CONNECTED}", state)
    assert exc.value.code == code
    assert str(exc.value).endswith(
        "The stack is unchanged; run `pulumi refresh` again once this is resolved."
    )
    ctl.clear_faults(emulator.url)


def test_a_deleted_space_offers_the_way_out_on_refresh_and_destroy(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    state = {"custSpaceId": "cams-deleted-space", "phoneNumber": CONNECTED}
    way_out = (
        "If space cams-deleted-space was deleted, its registrations went with it: remove this "
        "resource from the stack with `pulumi state delete <urn>` (`pulumi stack --show-urns` "
        "lists them), or point custSpaceId at the space that holds the number now. The stack "
        "is unchanged."
    )
    with pytest.raises(CamsAccessDenied) as refresh:
        controller.read(f"cams-deleted-space/{CONNECTED}", state)
    with pytest.raises(CamsAccessDenied) as destroy:
        controller.delete(f"cams-deleted-space/{CONNECTED}", {**state, "deregisterOnDelete": True})
    for err in (refresh.value, destroy.value):
        assert err.code == "Unknown.ResourceOwnerId"
        assert str(err).startswith(
            "QueryChatappPhoneNumbers for phone number 8613800005678 in space cams-deleted-space "
            "failed: Unknown.ResourceOwnerId: "
        )
        assert str(err).endswith(way_out)


def test_moving_a_number_between_spaces_is_refused_while_it_would_stay_registered() -> None:
    olds = {"custSpaceId": DEMO, "phoneNumber": PENDING, "deregisterOnDelete": False}
    news = {"custSpaceId": "cams-second-space", "phoneNumber": "+86 138-0000-1234"}
    outcome = check_inputs(news, olds)
    assert outcome.failures == [
        InputFailure(
            "custSpaceId",
            "custSpaceId cannot change from 'cams-demo-space' to 'cams-second-space' while "
            "deregisterOnDelete is false: the number would stay registered in the old space and "
            "CAMS would refuse it in the new one. To move it, first set deregisterOnDelete: true "
            "and run `pulumi up`; then change custSpaceId, request a code for the new space "
            "(`pulumi-cams request-code --space cams-second-space --phone 8613800001234`) and "
            "set verifyCode to it. To keep it where it is, put custSpaceId back.",
        )
    ]
    # Setting deregisterOnDelete in the same change is too late: the delete uses the stored one.
    assert check_inputs({**news, "deregisterOnDelete": True}, olds).failures
    assert not check_inputs(news, {**olds, "deregisterOnDelete": True}).failures
    assert not check_inputs({**news, "phoneNumber": CONNECTED}, olds).failures
    assert not check_inputs(news, {}).failures


def test_an_invalid_new_space_is_reported_once_and_never_quoted_raw() -> None:
    olds = {"custSpaceId": DEMO, "phoneNumber": PENDING, "deregisterOnDelete": False}
    for bad in ("cams-demo-space ", "cams-\x1b[31mred\x07"):
        outcome = check_inputs({"custSpaceId": bad, "phoneNumber": PENDING}, olds)
        assert [f.property for f in outcome.failures] == ["custSpaceId"], outcome.failures
        (failure,) = outcome.failures
        assert "cannot change from" not in failure.reason
        assert "\x1b" not in failure.reason and "\x07" not in failure.reason


def test_moving_a_number_that_deregisters_on_delete_ends_registered_in_the_new_space(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    created = controller.create(inputs(verifyCode="246810", deregisterOnDelete=True))
    news = {**inputs(), "custSpaceId": "cams-second-space"}
    assert not check_inputs(news, created.outputs).failures
    diff = diff_inputs(created.outputs, news)
    assert (diff.replaces, diff.delete_before_replace) == (["custSpaceId"], True)
    # What the engine does for a delete-before-replace in the next `pulumi up` (a provider
    # process of its own): delete the old, then create the new.
    controller = RegistrationController(CamsSession(settings_for(emulator)))
    assert controller.delete(created.resource_id, created.outputs).deregistered
    code = _fresh_code(emulator, "cams-second-space", PENDING)
    moved = controller.create({**news, "verifyCode": code})
    assert moved.resource_id == f"cams-second-space/{PENDING}"
    statuses = {
        (n["custSpaceId"], n["phoneNumber"]): n["status"]
        for n in ctl.state(emulator.url)["phoneNumbers"]
    }
    assert statuses[(DEMO, PENDING)] == "DISCONNECTED"
    assert statuses[("cams-second-space", PENDING)] == "CONNECTED"


def _fresh_code(emulator: EmulatorServer, space: str, phone: str) -> str:
    from pulumi_cams_provider.cams.client import CamsClient

    CamsClient(settings_for(emulator)).get_chatapp_verify_code(space, phone)
    return ctl.latest_code(emulator.url, space, phone)


def test_read_by_id_alone_works_for_import(controller: RegistrationController) -> None:
    outcome = controller.read(f"{DEMO}/{CONNECTED}", {})
    assert outcome.resource_id == f"{DEMO}/{CONNECTED}"
    assert outcome.outputs["status"] == "CONNECTED"


def test_an_import_of_a_number_that_is_not_registered_fails_saying_how_to_register_it(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    with pytest.raises(NotRegistered) as raised:
        controller.read(f"{DEMO}/{PENDING}", {})
    request_id = ctl.last_request_id(emulator.url, QUERY)
    assert str(raised.value) == (
        f"QueryChatappPhoneNumbers for phone number {PENDING} in space {DEMO} failed: "
        "NotRegistered: the number is not registered (status PENDING), so there is nothing to "
        f"import (RequestId {request_id}). Register it instead: request a code with "
        f"`pulumi-cams request-code --space {DEMO} --phone {PENDING}` and store it with `pulumi "
        "config set --secret <key> <code>`, declare the registration in the program with that "
        "code as verifyCode, and run `pulumi up`."
    )
    with pytest.raises(PhoneNumberNotInSpace) as absent:
        controller.read(f"{DEMO}/8613800009999", {})
    assert str(absent.value).startswith(
        "QueryChatappPhoneNumbers for phone number 8613800009999 in space cams-demo-space "
        "failed: PhoneNumberNotInSpace: the space's phone-number list does not contain it, so "
        "there is nothing to import (RequestId "
    )
    # A refresh (state known) of the same numbers reports them gone instead.
    assert controller.read(f"{DEMO}/{PENDING}", {"custSpaceId": DEMO, "phoneNumber": PENDING}) == (
        ReadOutcome(resource_id=None, outputs={})
    )
    assert set(actions(emulator)) == {QUERY}


def test_concurrent_creates_of_one_number_make_one_register_call(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    """One program declaring a number twice: the engine creates both resources at once."""
    spellings = ["+86 138-0000-1234", "8613800001234", "008613800001234"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = list(
            pool.map(lambda phone: controller.create(inputs(phone, verifyCode=CODE)), spellings)
        )  # fmt: skip
    assert sorted(o.adopted for o in outcomes) == [False, True, True]
    assert actions(emulator).count(REGISTER) == 1


def test_delete_leaves_the_number_registered_by_default(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    outcome = controller.delete(
        f"{DEMO}/{CONNECTED}", {"custSpaceId": DEMO, "phoneNumber": CONNECTED}
    )
    assert actions(emulator) == []
    assert outcome == DeleteOutcome(
        deregistered=False,
        notes=(
            Note(
                "info",
                f"{DEMO}/{CONNECTED} left registered in CAMS because deregisterOnDelete is "
                "false; the resource is only removed from the stack (so are the others this "
                "run removes: `--debug` names them)",
            ),
        ),
    )


def test_delete_deregisters_when_asked_and_counts_gone_as_success(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    state = {"custSpaceId": DEMO, "phoneNumber": CONNECTED, "deregisterOnDelete": True}
    outcome = controller.delete(f"{DEMO}/{CONNECTED}", state)
    # Observed, deregistered, then confirmed by a read before delete returns.
    assert actions(emulator) == [QUERY, DEREGISTER, QUERY]
    assert outcome == DeleteOutcome(deregistered=True)
    assert controller.delete(f"{DEMO}/{CONNECTED}", state) == DeleteOutcome(deregistered=True)
    gone = controller.delete(f"{DEMO}/8613800009999", {**state, "phoneNumber": "8613800009999"})
    assert gone == DeleteOutcome(deregistered=True)
    assert actions(emulator) == [QUERY, DEREGISTER, QUERY, QUERY, QUERY]


def test_delete_after_an_ambiguous_deregister_observes(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    ctl.faults(emulator.url, DEREGISTER, "reset_after")
    state = {"custSpaceId": DEMO, "phoneNumber": CONNECTED, "deregisterOnDelete": True}
    outcome = controller.delete(f"{DEMO}/{CONNECTED}", state)
    # The answer was lost after CAMS acted: the read shows it done, so no second call.
    assert actions(emulator) == [QUERY, DEREGISTER, QUERY]
    assert outcome == DeleteOutcome(deregistered=True)


def test_concurrent_reads_share_one_listing(
    controller: RegistrationController, emulator: EmulatorServer
) -> None:
    phones = [CONNECTED, CONNECTED, PENDING, NO_CODE] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(
                lambda phone: controller.read(
                    f"{DEMO}/{phone}", {"custSpaceId": DEMO, "phoneNumber": phone}
                ),
                phones,
            )
        )
    assert [r.resource_id is not None for r in results[:4]] == [True, True, False, False]
    assert actions(emulator) == [QUERY]


@pytest.mark.parametrize("where", ["request", "sdk client"])
def test_an_injected_bug_fails_a_create_at_once_named_as_a_bug(
    emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """An exception the client does not know (an SDK upgrade's AttributeError, an ImportError
    while building the SDK client) is not retried for the whole budget as a network problem."""
    from pulumi_cams_provider.cams import attempt
    from pulumi_cams_provider.cams.client import CamsClient
    from pulumi_cams_provider.cams.errors import ClientBug

    raised: list[str] = []

    def broken(*_: Any, **__: Any) -> Any:
        raised.append(where)
        raise (AttributeError if where == "request" else ImportError)("no such thing")

    if where == "request":
        monkeypatch.setattr(attempt, "call_action", broken)
    else:
        monkeypatch.setattr(CamsClient, "sdk_client", broken)
    # The default budget (cams:retryTimeout, 120 s): a retried bug would spend all of it.
    controller = RegistrationController(CamsSession(settings_for(emulator)))

    with pytest.raises(ClientBug) as failed:
        controller.create(inputs(verifyCode=CODE))

    assert raised == [where]
    kind = "AttributeError" if where == "request" else "ImportError"
    assert f"ClientBug: unexpected {kind} at test_registration.py:" in str(failed.value)
    assert "network" in str(failed.value) and "Check the network" not in str(failed.value)
    assert REGISTER not in actions(emulator)
