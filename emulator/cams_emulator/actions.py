"""The CAMS actions the emulator serves, each written once: its wire parameters, whether its
answer carries ``Success``, and whether it registers or deregisters a number.

The parameters are those of the CAMS API reference (API version 2020-06-06, [API] in
COVERAGE.md); the seed's ``deniedActions``, the fault controls and the dispatcher read this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "ACTIONS",
    "ACTION_SPECS",
    "API_VERSION",
    "PROFILE_FIELDS",
    "WEBHOOK_FIELDS",
    "WRITE_ACTIONS",
    "ActionSpec",
]

API_VERSION: Final = "2020-06-06"


@dataclass(frozen=True)
class ActionSpec:
    """Wire facts of one action [API]: parameters, whether it answers Success, the Message of
    a success, and whether it changes a number's registration (faults about that apply)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    has_success: bool = True
    ok_message: str = "None"
    writes: bool = False
    qps: int | None = None
    """The action's own limit per account and second, when below the emulator's (``qps``)."""
    lists: tuple[str, ...] = ()
    """Parameters that carry a list: a JSON string, or flattened as ``Name.1``, ``Name.2``."""


PROFILE_FIELDS: Final = (
    "About",
    "Address",
    "Description",
    "Email",
    "ProfilePictureUrl",
    "Vertical",
    "Websites",
)
"""The business profile's fields, as ModifyPhoneBusinessProfile takes them and
QueryPhoneBusinessProfile answers them ([API])."""

WEBHOOK_FIELDS: Final = ("StatusCallbackUrl", "UpCallbackUrl", "HttpFlag", "QueueFlag")
"""A number's webhook, as UpdatePhoneWebhook takes it ([API])."""

ACTION_SPECS: Final[dict[str, ActionSpec]] = {
    "ChatappVerifyAndRegister": ActionSpec(
        ("CustSpaceId", "PhoneNumber", "VerifyCode"), writes=True
    ),
    "GetChatappVerifyCode": ActionSpec(("CustSpaceId", "PhoneNumber", "Method", "Locale")),
    "GetPhoneNumberVerificationStatus": ActionSpec(
        ("CustSpaceId", "PhoneNumber"), has_success=False
    ),
    "QueryChatappPhoneNumbers": ActionSpec(
        (), ("CustSpaceId", "Status", "IsvCode"), ok_message="SUCCESS"
    ),
    "ChatappPhoneNumberRegister": ActionSpec(("CustSpaceId", "PhoneNumber"), writes=True),
    "ChatappPhoneNumberDeregister": ActionSpec(
        ("CustSpaceId", "PhoneNumber"), has_success=False, writes=True
    ),
    "AddChatappPhoneNumber": ActionSpec(
        ("CustSpaceId", "Cc", "PhoneNumber", "VerifiedName"), ("PreValidateId",)
    ),
    "ChatappSyncPhoneNumber": ActionSpec(("CustSpaceId",)),
    "ModifyPhoneBusinessProfile": ActionSpec(
        ("CustSpaceId", "PhoneNumber"),
        PROFILE_FIELDS,
        lists=("Websites",),
    ),
    "QueryPhoneBusinessProfile": ActionSpec(("CustSpaceId", "PhoneNumber")),
    "UpdatePhoneWebhook": ActionSpec(
        ("CustSpaceId", "PhoneNumber"),
        WEBHOOK_FIELDS,
        has_success=False,
    ),
    "GetWhatsappHealthStatus": ActionSpec(
        ("CustSpaceId", "NodeType"), ("PhoneNumber", "WabaId", "TemplateCode", "Language"), qps=5
    ),
}

ACTIONS: Final = tuple(ACTION_SPECS)
"""Every action's name, in the order above."""
WRITE_ACTIONS: Final = frozenset(name for name, spec in ACTION_SPECS.items() if spec.writes)
"""The actions that register or deregister a number."""
