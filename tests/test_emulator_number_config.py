"""A number's profile, webhook and health in the emulator, driven by the official CAMS SDK
(an independent client: its models are the source of truth for names and shapes) and by
tea-openapi's generic call for the wire forms the SDK never sends (flattened ``Websites.N``)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from alibabacloud_cams20200606 import models as cams
from alibabacloud_tea_openapi.exceptions import ClientException
from cams_emulator import EmulatorServer
from darabonba.runtime import RuntimeOptions

from tests.support import emulator_control as ctl
from tests.support.demo_seed import CONNECTED, PENDING, SPACE
from tests.support.emulator_clients import call, cams_client


def stored(server: EmulatorServer, phone: str = CONNECTED) -> dict[str, Any]:
    [number] = [
        n
        for n in ctl.state(server.url)["phoneNumbers"]
        if n["custSpaceId"] == SPACE and n["phoneNumber"] == phone
    ]
    return number


def test_the_official_sdk_sets_and_reads_a_profile(emulator: EmulatorServer) -> None:
    client = cams_client(emulator)
    modified = client.modify_phone_business_profile_with_options(
        cams.ModifyPhoneBusinessProfileRequest(
            cust_space_id=SPACE,
            phone_number=CONNECTED,
            about="Support, 9-5",
            email="help@shop.example",
            vertical="RETAIL",
            websites=["https://shop.example", "http://help.shop.example"],
            profile_picture_url="https://cdn.shop.example/logo.png",
        ),
        RuntimeOptions(),
    )
    assert (modified.body.code, modified.body.success) == ("OK", True)
    read = client.query_phone_business_profile_with_options(
        cams.QueryPhoneBusinessProfileRequest(cust_space_id=SPACE, phone_number=CONNECTED),
        RuntimeOptions(),
    ).body.data
    assert (read.about, read.email, read.vertical, read.address) == (
        "Support, 9-5",
        "help@shop.example",
        "RETAIL",
        "",
    )
    assert read.websites == ["https://shop.example", "http://help.shop.example"]
    # WhatsApp serves the picture from its own CDN: never the URL that was set.
    assert read.profile_picture_url.startswith("https://pps.whatsapp.net/")
    assert stored(emulator)["profile"]["Websites"] == read.websites
    # The SDK sends the list as one JSON string.
    [request] = [
        r for r in ctl.requests(emulator.url) if r["action"] == "ModifyPhoneBusinessProfile"
    ]
    assert request["params"]["Websites"] == '["https://shop.example","http://help.shop.example"]'


def test_a_profile_update_patches_only_the_fields_sent(emulator: EmulatorServer) -> None:
    call(
        emulator,
        "ModifyPhoneBusinessProfile",
        {"CustSpaceId": SPACE, "PhoneNumber": CONNECTED, "About": "one", "Address": "1 Road"},
    )
    call(
        emulator,
        "ModifyPhoneBusinessProfile",
        {"CustSpaceId": SPACE, "PhoneNumber": CONNECTED, "About": "two", "Address": ""},
    )
    assert stored(emulator)["profile"] == {"About": "two", "Address": "1 Road"}


def test_websites_flattened_as_the_hand_written_clients_send_them(
    emulator: EmulatorServer,
) -> None:
    status, body = call(
        emulator,
        "ModifyPhoneBusinessProfile",
        {
            "CustSpaceId": SPACE,
            "PhoneNumber": CONNECTED,
            "Websites.2": "https://b.example",
            "Websites.1": "https://a.example",
        },
    )
    assert (status, body["Code"]) == (200, "OK")
    assert stored(emulator)["profile"]["Websites"] == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize(
    ("params", "status", "code", "message"),
    [
        (
            {"Websites": '["ftp://a.example"]'},
            200,
            "ERR-OPERATION-MAAP-0085",
            "The website url must start with http or https",
        ),
        (
            {"Websites": '["https://a", "https://b", "https://c"]'},
            400,
            "InvalidParameter",
            'The specified parameter "Websites" is not valid.',
        ),
        (
            {"Websites": "not json"},
            400,
            "InvalidParameter",
            'The specified parameter "Websites" is not valid.',
        ),
        (
            {"Vertical": "SPACESHIPS"},
            400,
            "InvalidParameter",
            'The specified parameter "Vertical" is not valid.',
        ),
    ],
)
def test_a_profile_cams_refuses_changes_nothing(
    emulator: EmulatorServer, params: dict[str, str], status: int, code: str, message: str
) -> None:
    answer = call(
        emulator,
        "ModifyPhoneBusinessProfile",
        {"CustSpaceId": SPACE, "PhoneNumber": CONNECTED, "About": "kept out", **params},
    )
    assert (answer[0], answer[1]["Code"], answer[1]["Message"]) == (status, code, message)
    assert stored(emulator)["profile"] == {}


def test_the_official_sdk_sets_a_webhook_that_the_listing_shows(emulator: EmulatorServer) -> None:
    client = cams_client(emulator)
    answer = client.update_phone_webhook_with_options(
        cams.UpdatePhoneWebhookRequest(
            cust_space_id=SPACE,
            phone_number=CONNECTED,
            status_callback_url="https://hooks.example/status?token=s3cr3t",
            up_callback_url="https://hooks.example/inbound",
            http_flag="Y",
            queue_flag="Y",
        ),
        RuntimeOptions(),
    )
    assert answer.body.code == "OK"
    assert answer.body.to_map().get("Success") is None  # the action answers no Success
    listed = client.query_chatapp_phone_numbers_with_options(
        cams.QueryChatappPhoneNumbersRequest(cust_space_id=SPACE), RuntimeOptions()
    ).body.phone_numbers
    [item] = [n for n in listed if n.phone_number == CONNECTED]
    assert (item.status_callback_url, item.up_callback_url) == (
        "https://hooks.example/status?token=s3cr3t",
        "https://hooks.example/inbound",
    )
    assert item.status_queue.endswith("-ChatAppStatus")
    assert item.up_queue.endswith("-ChatAppInbound")
    assert stored(emulator)["webhook"]["HttpFlag"] == "Y"


def test_a_webhook_flag_must_be_y_or_n(emulator: EmulatorServer) -> None:
    status, body = call(
        emulator,
        "UpdatePhoneWebhook",
        {"CustSpaceId": SPACE, "PhoneNumber": CONNECTED, "QueueFlag": "yes"},
    )
    assert (status, body["Code"], body["Message"]) == (
        400,
        "InvalidParameter",
        'The specified parameter "QueueFlag" is not valid.',
    )
    assert stored(emulator)["webhook"] == {}


def test_health_of_a_connected_and_an_unregistered_number(emulator: EmulatorServer) -> None:
    client = cams_client(emulator)

    def health(phone: str) -> Any:
        return client.get_whatsapp_health_status_with_options(
            cams.GetWhatsappHealthStatusRequest(
                cust_space_id=SPACE, node_type="phone", phone_number=phone
            ),
            RuntimeOptions(),
        ).body.data

    assert health(CONNECTED).can_send_message == "AVAILABLE"
    blocked = health(PENDING)
    assert blocked.can_send_message == "BLOCKED"
    [entity] = blocked.entities
    assert (entity.entity_type, entity.errors[0].possible_solution) == (
        "PHONE_NUMBER",
        "Register the number with ChatappVerifyAndRegister.",
    )


def test_health_allows_five_requests_per_second(emulator: EmulatorServer) -> None:
    params = {"CustSpaceId": SPACE, "NodeType": "phone", "PhoneNumber": CONNECTED}
    start = time.monotonic()
    codes = [call(emulator, "GetWhatsappHealthStatus", params)[1]["Code"] for _ in range(6)]
    if time.monotonic() - start < 1.0:  # a loaded machine may spread them over two seconds
        assert codes == ["OK"] * 5 + ["System.LimitControl"]
    else:
        assert codes.count("OK") >= 5


def test_the_official_sdk_sees_a_refused_health_node_type(emulator: EmulatorServer) -> None:
    with pytest.raises(ClientException) as refused:
        cams_client(emulator).get_whatsapp_health_status_with_options(
            cams.GetWhatsappHealthStatusRequest(cust_space_id=SPACE, node_type="waba"),
            RuntimeOptions(),
        )
    assert (refused.value.code, refused.value.status_code) == ("InvalidParameter", 400)
