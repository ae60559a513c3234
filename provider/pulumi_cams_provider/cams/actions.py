"""The CAMS API this client calls: its version and the actions, each name written once.

The actions are those of the CAMS API reference (API version 2020-06-06,
https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-overview).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADD_PHONE_NUMBER",
    "API_VERSION",
    "DEREGISTER",
    "GET_VERIFICATION_STATUS",
    "GET_VERIFY_CODE",
    "MUTATING_ACTIONS",
    "QUERY_PHONE_NUMBERS",
    "REGISTER",
    "SYNC_PHONE_NUMBERS",
    "VERIFY_AND_REGISTER",
]

API_VERSION: Final = "2020-06-06"

QUERY_PHONE_NUMBERS: Final = "QueryChatappPhoneNumbers"
SYNC_PHONE_NUMBERS: Final = "ChatappSyncPhoneNumber"
GET_VERIFICATION_STATUS: Final = "GetPhoneNumberVerificationStatus"
GET_VERIFY_CODE: Final = "GetChatappVerifyCode"
VERIFY_AND_REGISTER: Final = "ChatappVerifyAndRegister"
REGISTER: Final = "ChatappPhoneNumberRegister"
DEREGISTER: Final = "ChatappPhoneNumberDeregister"
ADD_PHONE_NUMBER: Final = "AddChatappPhoneNumber"

MUTATING_ACTIONS: Final = frozenset(
    {VERIFY_AND_REGISTER, REGISTER, DEREGISTER, ADD_PHONE_NUMBER, GET_VERIFY_CODE}
)
"""Actions whose repetition is not harmless: their outcome must be observed after an
ambiguous failure instead of retried blindly. GetChatappVerifyCode sends an SMS or a call."""
