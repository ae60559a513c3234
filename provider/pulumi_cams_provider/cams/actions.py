"""The CAMS API this client calls: its version and the actions, each name written once (only
those the provider and the command line call; the emulator serves more, for other clients).

The actions are those of the CAMS API reference (API version 2020-06-06,
https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-overview).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ALLOWED_RATES",
    "API_VERSION",
    "DEREGISTER",
    "GET_HEALTH",
    "GET_VERIFY_CODE",
    "MODIFY_PROFILE",
    "MUTATING_ACTIONS",
    "QUERY_PHONE_NUMBERS",
    "QUERY_PROFILE",
    "UPDATE_WEBHOOK",
    "VERIFY_AND_REGISTER",
]

API_VERSION: Final = "2020-06-06"

QUERY_PHONE_NUMBERS: Final = "QueryChatappPhoneNumbers"
GET_VERIFY_CODE: Final = "GetChatappVerifyCode"
VERIFY_AND_REGISTER: Final = "ChatappVerifyAndRegister"
DEREGISTER: Final = "ChatappPhoneNumberDeregister"
MODIFY_PROFILE: Final = "ModifyPhoneBusinessProfile"
QUERY_PROFILE: Final = "QueryPhoneBusinessProfile"
UPDATE_WEBHOOK: Final = "UpdatePhoneWebhook"
GET_HEALTH: Final = "GetWhatsappHealthStatus"

MUTATING_ACTIONS: Final = frozenset({VERIFY_AND_REGISTER, DEREGISTER, GET_VERIFY_CODE})
"""Actions whose repetition is not harmless: their outcome must be observed after an
ambiguous failure instead of retried blindly. GetChatappVerifyCode sends an SMS or a call."""

ALLOWED_RATES: Final[Mapping[str, float]] = MappingProxyType(
    {
        QUERY_PHONE_NUMBERS: 10,
        GET_VERIFY_CODE: 10,
        VERIFY_AND_REGISTER: 10,
        DEREGISTER: 10,
        MODIFY_PROFILE: 10,
        QUERY_PROFILE: 10,
        UPDATE_WEBHOOK: 10,
        GET_HEALTH: 5,  # it reads Meta live
    }
)
"""Requests per second per account that CAMS allows each action (each action's API reference,
"QPS limit"); the client never asks more of an action, whatever ``requestsPerSecond`` says."""
