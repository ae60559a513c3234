"""PhoneNumberProfile and PhoneNumberWebhook: their input rules (offline) and their lifecycle
against the emulator, asserting what CAMS saw (the request log) and what it holds."""

from __future__ import annotations

from typing import Any

import pytest
from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams.errors import CamsError, InvalidInput
from pulumi_cams_provider.controller.lifecycles import Lifecycle, kind_of
from pulumi_cams_provider.controller.session import CamsSession
from pulumi_cams_provider.phone_number_profile import PROFILE
from pulumi_cams_provider.phone_number_webhook import WEBHOOK

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CONNECTED, SPACE
from tests.support.emulator_clients import call
from tests.support.settings import settings_for

ID = f"{SPACE}/{CONNECTED}"
HOOK = "https://hooks.example/status?token=s3cr3t"


def lifecycle(server: EmulatorServer, token: str) -> Lifecycle:
    session = CamsSession(settings_for(server, settle_timeout=2.0))
    return kind_of(token).controller(session)


def calls(server: EmulatorServer, action: str) -> int:
    return sum(1 for r in ctl.requests(server.url) if r["action"] == action)


def held(server: EmulatorServer) -> dict[str, Any]:
    [number] = [
        n
        for n in ctl.state(server.url)["phoneNumbers"]
        if (n["custSpaceId"], n["phoneNumber"]) == (SPACE, CONNECTED)
    ]
    return number


def profile(**fields: Any) -> dict[str, Any]:
    return {"custSpaceId": SPACE, "phoneNumber": f"+{CONNECTED}", **fields}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        (
            "about",
            "",
            "about is empty (CAMS keeps a field sent empty as it was: leave the "
            "property unset); it must be 1 to 139 characters",
        ),
        ("about", "x" * 140, "about has 140 characters; it must be 1 to 139 characters"),
        (
            "email",
            "not-an-email",
            "email is 'not-an-email', which is not an email address; it "
            "must be a valid email address; at most 128 characters",
        ),
        (
            "websites",
            ["https://a", "https://b", "https://c"],
            "websites has 3 items; it must be "
            "at most 2 items; each an absolute `http://` or `https://` URL; each at most 256 "
            "characters",
        ),
        (
            "websites",
            ["ftp://a.example"],
            "websites item 'ftp://a.example' is not an "
            "absolute http(s) URL; it must be at most 2 items; each an absolute `http://` or "
            "`https://` URL; each at most 256 characters",
        ),
        (
            "vertical",
            "SPACESHIPS",
            "vertical is 'SPACESHIPS'; it must be one of RETAIL, TRAVEL, "
            "PROF_SERVICES, APPAREL, GOVT, ENTERTAIN, GROCERY, HOTEL, OTHER, AUTO, FINANCE, "
            "BEAUTY, EDU, EVENT_PLAN, NONPROFIT, RESTAURANT, HEALTH",
        ),
    ],
)
def test_preview_refuses_a_profile_field_in_one_line(field: str, value: Any, reason: str) -> None:
    outcome = kind_of(PROFILE.token).check(profile(**{field: value}))
    assert [(f.property, f.reason) for f in outcome.failures] == [(field, reason)]


def test_a_webhook_url_is_refused_without_being_quoted() -> None:
    outcome = kind_of(WEBHOOK.token).check(
        {"custSpaceId": SPACE, "phoneNumber": CONNECTED, "upCallbackUrl": "hooks/s3cr3t"}
    )
    assert [(f.property, f.reason) for f in outcome.failures] == [
        (
            "upCallbackUrl",
            "upCallbackUrl is not an absolute http(s) URL; it must be an absolute `http://` or "
            "`https://` URL; at most 2048 characters",
        )
    ]
    assert "s3cr3t" not in repr(outcome)


def test_diff_compares_only_the_fields_set_and_replaces_on_a_new_number() -> None:
    kind = kind_of(PROFILE.token)
    olds = {**profile(about="a"), "phoneNumber": CONNECTED, "email": None}
    assert kind.diff(olds, {**olds, "about": "a"}).changed == []
    assert kind.diff(olds, {**olds, "about": "b"}).changed == ["about"]
    assert kind.diff(olds, {**olds, "about": None}).changed == ["about"]
    moved = kind.diff(olds, {**olds, "phoneNumber": "8613800009999"})
    assert moved.replaces == ["phoneNumber"]


def test_a_profile_is_set_confirmed_read_and_updated_one_field_at_a_time(
    emulator: EmulatorServer,
) -> None:
    profiles = lifecycle(emulator, PROFILE.token)
    wanted = profile(
        about="Support",
        websites=["https://shop.example"],
        profilePictureUrl=("https://cdn.shop.example/logo.png"),
    )
    created = profiles.create(wanted)
    assert created.resource_id == ID
    assert created.outputs["websites"] == ["https://shop.example"]
    assert created.outputs["email"] is None  # not managed
    assert calls(emulator, "ModifyPhoneBusinessProfile") == 1
    assert held(emulator)["profile"] == {
        "About": "Support",
        "Websites": ["https://shop.example"],
        "ProfilePictureUrl": "https://cdn.shop.example/logo.png",
    }
    # Refresh: CAMS serves the picture from elsewhere, and that is never drift.
    read = profiles.read(ID, created.outputs)
    assert read.outputs == created.outputs
    ctl.clear_requests(emulator.url)
    changed = {**wanted, "about": "Support, 24/7"}
    outputs = profiles.update(created.outputs, changed)
    assert outputs["about"] == "Support, 24/7"
    [modify] = [
        r for r in ctl.requests(emulator.url) if r["action"] == "ModifyPhoneBusinessProfile"
    ]
    assert set(modify["params"]) - {"CustSpaceId", "PhoneNumber"} == {"About"}
    assert calls(emulator, "ChatappVerifyAndRegister") == 0


def test_a_profile_already_as_wanted_is_not_written(emulator: EmulatorServer) -> None:
    profiles = lifecycle(emulator, PROFILE.token)
    profiles.create(profile(about="Support"))
    ctl.clear_requests(emulator.url)
    profiles.create(profile(about="Support"))
    assert calls(emulator, "ModifyPhoneBusinessProfile") == 0


def test_a_profile_changed_in_the_console_is_drift_and_an_import_takes_it(
    emulator: EmulatorServer,
) -> None:
    profiles = lifecycle(emulator, PROFILE.token)
    created = profiles.create(profile(about="Support"))
    profiles.create(profile(about="Changed by hand", email="ops@shop.example"))
    assert profiles.read(ID, created.outputs).outputs["about"] == "Changed by hand"
    assert profiles.read(ID, created.outputs).outputs["email"] is None  # not managed here
    imported = profiles.read(ID, {}).outputs
    assert (imported["about"], imported["email"], imported["profilePictureUrl"]) == (
        "Changed by hand",
        "ops@shop.example",
        None,
    )


def test_deleting_a_profile_leaves_it_in_cams_and_says_so(emulator: EmulatorServer) -> None:
    profiles = lifecycle(emulator, PROFILE.token)
    created = profiles.create(profile(about="Support"))
    ctl.clear_requests(emulator.url)
    deleted = profiles.delete(ID, created.outputs)
    assert [n.level for n in deleted.notes] == ["info"]
    assert "left as it is in CAMS" in deleted.notes[0].text
    assert ctl.requests(emulator.url) == []
    assert held(emulator)["profile"] == {"About": "Support"}


def test_a_profile_for_a_number_the_space_does_not_hold(emulator: EmulatorServer) -> None:
    with pytest.raises(CamsError) as failed:
        lifecycle(emulator, PROFILE.token).create(profile(phoneNumber="8613999999999"))
    assert failed.value.code == "PhoneNumberNotInSpace"
    assert str(failed.value).startswith("ModifyPhoneBusinessProfile for phone number 8613999999999")
    assert calls(emulator, "ModifyPhoneBusinessProfile") == 0


def test_an_invalid_profile_is_refused_before_any_call(emulator: EmulatorServer) -> None:
    with pytest.raises(InvalidInput) as refused:
        lifecycle(emulator, PROFILE.token).create(profile(vertical="SPACESHIPS"))
    assert str(refused.value).startswith("invalid input vertical: vertical is 'SPACESHIPS'")
    assert ctl.requests(emulator.url) == []


def test_a_webhook_is_set_read_from_the_listing_and_restored(emulator: EmulatorServer) -> None:
    hooks = lifecycle(emulator, WEBHOOK.token)
    wanted = {
        "custSpaceId": SPACE,
        "phoneNumber": CONNECTED,
        "statusCallbackUrl": HOOK,
        "httpDelivery": True,
        "queueDelivery": False,
    }
    created = hooks.create(wanted)
    # The queue is off already, so only what differs is sent.
    assert held(emulator)["webhook"] == {"StatusCallbackUrl": HOOK, "HttpFlag": "Y"}
    assert calls(emulator, "UpdatePhoneWebhook") == 1
    assert hooks.read(ID, created.outputs).outputs == created.outputs
    # Changed by hand: the queue switched on and the URL moved.
    hooks.create(
        {**wanted, "statusCallbackUrl": "https://elsewhere.example/", "queueDelivery": True}
    )
    drifted = hooks.read(ID, created.outputs).outputs
    assert (drifted["statusCallbackUrl"], drifted["queueDelivery"]) == (
        "https://elsewhere.example/",
        True,
    )
    ctl.clear_requests(emulator.url)
    hooks.update(drifted, wanted)
    [update] = [r for r in ctl.requests(emulator.url) if r["action"] == "UpdatePhoneWebhook"]
    assert set(update["params"]) - {"CustSpaceId", "PhoneNumber"} == {
        "StatusCallbackUrl",
        "QueueFlag",
    }
    assert held(emulator)["webhook"]["StatusCallbackUrl"] == HOOK


def test_a_webhook_url_never_shows_in_an_error(emulator: EmulatorServer) -> None:
    fault = {
        "action": "UpdatePhoneWebhook",
        "fault": "business_error",
        "code": "X",
        "message": HOOK,
    }
    ctl.control(emulator.url, "POST", "faults", fault)
    with pytest.raises(CamsError) as failed:
        lifecycle(emulator, WEBHOOK.token).create(
            {"custSpaceId": SPACE, "phoneNumber": CONNECTED, "statusCallbackUrl": HOOK}
        )
    assert "s3cr3t" not in str(failed.value)


def test_an_imported_webhook_takes_the_queue_but_never_a_url(emulator: EmulatorServer) -> None:
    number = {"CustSpaceId": SPACE, "PhoneNumber": CONNECTED}
    call(emulator, "UpdatePhoneWebhook", {**number, "StatusCallbackUrl": HOOK, "QueueFlag": "Y"})
    imported = lifecycle(emulator, WEBHOOK.token).read(ID, {}).outputs
    assert imported == {
        "custSpaceId": SPACE,
        "phoneNumber": CONNECTED,
        "statusCallbackUrl": None,
        "upCallbackUrl": None,
        "httpDelivery": None,
        "queueDelivery": True,
    }


def test_the_client_asks_health_no_faster_than_cams_allows_it(emulator: EmulatorServer) -> None:
    """GetWhatsappHealthStatus allows 5 requests per second (the emulator refuses a sixth):
    the client's own table paces it, whatever requestsPerSecond says."""
    session = CamsSession(settings_for(emulator, requests_per_second=10))
    client = session.client()
    for _ in range(8):
        assert client.get_whatsapp_health_status(SPACE, CONNECTED)["CanSendMessage"] == (
            "AVAILABLE"
        )
    health = [r for r in ctl.requests(emulator.url) if r["action"] == "GetWhatsappHealthStatus"]
    assert [r["code"] for r in health] == ["OK"] * 8  # none refused, none retried
