"""The PhoneNumberWebhook resource, described once: where CAMS delivers a number's message
status and inbound messages (UpdatePhoneWebhook, read back from QueryChatappPhoneNumbers)."""

from __future__ import annotations

from typing import Final

from .description import Limits, Property, ResourceDescription, number_identity

__all__ = ["WEBHOOK"]

_URL: Final = Limits(max_length=2048, form="url")


WEBHOOK: Final = ResourceDescription(
    name="PhoneNumberWebhook",
    description=(
        "Where CAMS delivers a number's message status (delivery and read receipts) and "
        "inbound messages: HTTP callbacks, the message queue, or both (`UpdatePhoneWebhook`, "
        "read back from `QueryChatappPhoneNumbers`).\n\nThe callback URLs are secret in the "
        "state and never printed, since they often carry a token. Only the properties the "
        "program sets are managed. Refresh reads the URLs and whether the queue is on, so a "
        "change made in the console shows as drift; whether HTTP delivery is on is not read "
        "back by CAMS, so a change to it made elsewhere cannot be seen. Deleting the resource "
        "leaves the webhook as it is in CAMS.\n\nImport with the ID "
        "`<custSpaceId>/<phoneNumber>`."
    ),
    properties=(
        *number_identity("webhook"),
        Property(
            wire="statusCallbackUrl",
            python="status_callback_url",
            type="string",
            input_description=(
                "The URL CAMS calls with message status (delivery and read receipts)."
            ),
            output_description="The URL CAMS calls with message status.",
            secret=True,
            limits=_URL,
        ),
        Property(
            wire="upCallbackUrl",
            python="up_callback_url",
            type="string",
            input_description='The URL CAMS calls with inbound ("up") messages.',
            output_description="The URL CAMS calls with inbound messages.",
            secret=True,
            limits=_URL,
        ),
        Property(
            wire="httpDelivery",
            python="http_delivery",
            type="boolean",
            input_description="Deliver by HTTP callback to the URLs (CAMS `HttpFlag`).",
            output_description="Whether CAMS delivers by HTTP callback.",
            cams_name="HttpFlag",
            read_back=False,
        ),
        Property(
            wire="queueDelivery",
            python="queue_delivery",
            type="boolean",
            input_description="Deliver to the account's message queue (CAMS `QueueFlag`).",
            output_description="Whether CAMS delivers to the message queue.",
            cams_name="QueueFlag",
        ),
    ),
)
