"""The CAMS API this client calls: its version and the actions, each name written once (only
those the provider and the command line call; the emulator serves more, for other clients).

The actions are those of the CAMS API reference (API version 2020-06-06,
https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-overview).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "API_VERSION",
    "DEREGISTER",
    "GET_VERIFY_CODE",
    "MUTATING_ACTIONS",
    "QUERY_PHONE_NUMBERS",
    "VERIFY_AND_REGISTER",
]

API_VERSION: Final = "2020-06-06"

QUERY_PHONE_NUMBERS: Final = "QueryChatappPhoneNumbers"
GET_VERIFY_CODE: Final = "GetChatappVerifyCode"
VERIFY_AND_REGISTER: Final = "ChatappVerifyAndRegister"
DEREGISTER: Final = "ChatappPhoneNumberDeregister"

MUTATING_ACTIONS: Final = frozenset({VERIFY_AND_REGISTER, DEREGISTER, GET_VERIFY_CODE})
"""Actions whose repetition is not harmless: their outcome must be observed after an
ambiguous failure instead of retried blindly. GetChatappVerifyCode sends an SMS or a call."""
