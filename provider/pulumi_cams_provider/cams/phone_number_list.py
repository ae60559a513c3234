"""What CAMS reports of a space's phone numbers: the ``PhoneNumbers`` of a listing, typed.

The fields are those of QueryChatappPhoneNumbers' ``PhoneNumbers[]``
(https://help.aliyun.com/zh/chatapp/developer-reference/api-cams-2020-06-06-querychatappphonenumbers).
``phone_numbers`` (the controller's finder) shares these listings between creates; this module
only reads one answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..resource import REPORTED, STATUS
from .errors import Call
from .responses import malformed_response, request_id_of

__all__ = [
    "REGISTERED_STATUSES",
    "PhoneNumber",
    "PhoneNumberList",
    "phone_number_list",
]

# Statuses in which a number is registered with the Cloud API (it may still be degraded).
REGISTERED_STATUSES = frozenset({"CONNECTED", "FLAGGED", "RATE_LIMITED", "RESTRICTED"})


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number as QueryChatappPhoneNumbers / ChatappSyncPhoneNumber report it: its
    digits, and what CAMS says of it (``reported``: each of `resource.REPORTED` by wire name,
    None when the answer lacks it)."""

    phone_number: str
    reported: Mapping[str, str | None] = field(default_factory=dict)
    listed: Mapping[str, Any] = field(default_factory=dict, repr=False)
    """The listing's whole entry, by CAMS's names (a number's webhook is read from it)."""

    @property
    def status(self) -> str | None:
        """The number's status, for example ``CONNECTED`` once registered."""
        return self.reported.get(STATUS.wire)

    @property
    def registered(self) -> bool:
        """True when the number is registered (connected, possibly flagged or limited)."""
        return self.status in REGISTERED_STATUSES

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> PhoneNumber:
        """Build from one ``PhoneNumbers[]`` entry of a CAMS response."""

        def text(name: str) -> str | None:
            value = item.get(name)
            return None if value is None else str(value)

        reported = {p.wire: text(p.listed_as) for p in REPORTED}
        return cls(phone_number=str(item["PhoneNumber"]), reported=reported, listed=dict(item))


class PhoneNumberList(list[PhoneNumber]):
    """A space's numbers as one QueryChatappPhoneNumbers answer listed them; ``request_id`` is
    that answer's, for a message about what the listing showed (or did not)."""

    def __init__(self, numbers: Iterable[PhoneNumber] = (), request_id: str = "") -> None:
        super().__init__(numbers)
        self.request_id = request_id


def phone_number_list(call: Call, body: Mapping[str, Any]) -> PhoneNumberList:
    """The ``PhoneNumbers`` of a QueryChatappPhoneNumbers or ChatappSyncPhoneNumber answer;
    raises the malformed-response error when they are not a list of numbers."""
    items = body.get("PhoneNumbers")
    if items is None:
        items = []
    if not isinstance(items, list) or not all(
        isinstance(i, Mapping) and i.get("PhoneNumber") for i in items
    ):
        raise malformed_response(body, "PhoneNumbers is not a list of numbers", call)
    return PhoneNumberList((PhoneNumber.from_wire(i) for i in items), request_id_of(body) or "")
