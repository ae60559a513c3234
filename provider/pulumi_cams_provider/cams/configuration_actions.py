"""The CAMS actions on a number's configuration: its business profile, its webhook, its health.

Each is an idempotent patch or a read (sending the same values again changes nothing), so all
are retried like reads. What they send and read is keyed by CAMS's own names (``About``,
``StatusCallbackUrl``...); the controller maps them from the resources' descriptions.
https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-modifyphonebusinessprofile
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .actions import GET_HEALTH, MODIFY_PROFILE, QUERY_PROFILE, UPDATE_WEBHOOK
from .errors import Call
from .responses import malformed_response, request_id_of
from .retry import Deadline

__all__ = ["ConfigurationActions"]

T = TypeVar("T")


class ConfigurationActions:
    """A mixin of `client.CamsClient`: the configuration actions on top of its ``_call``."""

    def _call(
        self,
        action: str,
        query: dict[str, str],
        parse: Callable[[Mapping[str, Any]], T],
        *,
        space: str | None = None,
        phone: str | None = None,
        secrets: tuple[str, ...] = (),
        deadline: Deadline | None = None,
    ) -> T:
        raise NotImplementedError  # CamsClient's

    def modify_phone_business_profile(
        self, space: str, phone: str, fields: Mapping[str, Any], *, deadline: Deadline
    ) -> str:
        """Set the profile fields given (a list is sent as one JSON string, as the official
        SDK sends ``Websites``); return the RequestId."""
        query = {
            name: json.dumps(value, separators=(",", ":")) if isinstance(value, list) else value
            for name, value in fields.items()
        }
        return self._call(
            MODIFY_PROFILE,
            {"CustSpaceId": space, "PhoneNumber": phone, **query},
            lambda body: request_id_of(body) or "",
            space=space,
            phone=phone,
            deadline=deadline,
        )

    def query_phone_business_profile(
        self, space: str, phone: str, *, deadline: Deadline
    ) -> dict[str, Any]:
        """The profile CAMS holds (its ``Data``: ``About``, ``Websites``...)."""
        call = Call(QUERY_PROFILE, space, phone)
        return self._call(
            QUERY_PROFILE,
            {"CustSpaceId": space, "PhoneNumber": phone},
            lambda body: _data(body, call),
            space=space,
            phone=phone,
            deadline=deadline,
        )

    def update_phone_webhook(
        self, space: str, phone: str, fields: Mapping[str, str], *, deadline: Deadline
    ) -> str:
        """Set the webhook fields given; the URLs never appear in a message or a log."""
        urls = tuple(value for name, value in fields.items() if name.endswith("Url"))
        return self._call(
            UPDATE_WEBHOOK,
            {"CustSpaceId": space, "PhoneNumber": phone, **fields},
            lambda body: request_id_of(body) or "",
            space=space,
            phone=phone,
            secrets=urls,
            deadline=deadline,
        )

    def get_whatsapp_health_status(
        self, space: str, phone: str, *, deadline: Deadline | None = None
    ) -> dict[str, Any]:
        """Whether the number can send (``CanSendMessage``) and, if not, why (``Entities``)."""
        call = Call(GET_HEALTH, space, phone)
        return self._call(
            GET_HEALTH,
            {"CustSpaceId": space, "NodeType": "phone", "PhoneNumber": phone},
            lambda body: _data(body, call),
            space=space,
            phone=phone,
            deadline=deadline,
        )


def _data(body: Mapping[str, Any], call: Call) -> dict[str, Any]:
    data = body.get("Data")
    if not isinstance(data, Mapping):
        raise malformed_response(body, "Data is not an object", call)
    return dict(data)
