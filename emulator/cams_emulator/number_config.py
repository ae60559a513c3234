"""The actions on a number's configuration: its business profile, its webhook and its health
(cams-number-config in COVERAGE.md says which rules are faithful and which inferred).

A mixin of `backend.CamsBackend`, so that the state and its lock stay in `store.Store`.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

from . import errors
from .actions import PROFILE_FIELDS, WEBHOOK_FIELDS
from .model import REGISTERED, Caller, PhoneNumber
from .parameters import snake_case
from .store import Store

__all__ = ["NumberConfig", "VERTICALS", "listed_webhook"]

VERTICALS: Final = frozenset(
    "RETAIL TRAVEL PROF_SERVICES APPAREL GOVT ENTERTAIN GROCERY HOTEL OTHER AUTO FINANCE BEAUTY "
    "EDU EVENT_PLAN NONPROFIT RESTAURANT HEALTH".split()
)
"""CAMS's business verticals ([API], ModifyPhoneBusinessProfile)."""


class NumberConfig(Store):
    """ModifyPhoneBusinessProfile, QueryPhoneBusinessProfile, UpdatePhoneWebhook and
    GetWhatsappHealthStatus."""

    def modify_phone_business_profile(
        self, caller: Caller, cust_space_id: str, phone_number: str, **fields: Any
    ) -> None:
        """Set the fields sent; a field not sent (or sent empty) keeps its value (inferred:
        Meta's own update is a partial patch)."""
        websites = fields.get("websites")
        if websites is not None:
            if len(websites) > 2:
                raise errors.invalid_parameter("Websites")
            if any(not str(w).startswith(("http://", "https://")) for w in websites):
                raise errors.website_not_http()
        vertical = fields.get("vertical")
        if vertical is not None and vertical not in VERTICALS:
            raise errors.invalid_parameter("Vertical")
        with self.lock:
            number = self._number(caller, cust_space_id, phone_number)
            for name in PROFILE_FIELDS:
                value = fields.get(snake_case(name))
                if value:
                    number.profile[name] = list(value) if name == "Websites" else value

    def query_phone_business_profile(
        self, caller: Caller, cust_space_id: str, phone_number: str
    ) -> dict[str, Any]:
        with self.lock:
            number = self._number(caller, cust_space_id, phone_number)
            data: dict[str, Any] = {name: number.profile.get(name, "") for name in PROFILE_FIELDS}
            data["Websites"] = list(number.profile.get("Websites", []))
            picture = number.profile.get("ProfilePictureUrl")
            data["ProfilePictureUrl"] = _served_picture(picture) if picture else ""
            return {"Data": data}

    def update_phone_webhook(
        self, caller: Caller, cust_space_id: str, phone_number: str, **fields: str
    ) -> None:
        """Set the fields sent (WEBHOOK_FIELDS); the others keep their value."""
        given = {
            name: fields[snake_case(name)] for name in WEBHOOK_FIELDS if snake_case(name) in fields
        }
        for name in ("HttpFlag", "QueueFlag"):
            if given.get(name, "Y") not in ("Y", "N"):
                raise errors.invalid_parameter(name)
        with self.lock:
            self._number(caller, cust_space_id, phone_number).webhook.update(given)

    def get_whatsapp_health_status(
        self,
        caller: Caller,
        cust_space_id: str,
        node_type: str,
        phone_number: str | None = None,
        waba_id: str | None = None,
        template_code: str | None = None,
        language: str | None = None,
    ) -> dict[str, Any]:
        """A number's ability to send, derived from its status and quality rating (inferred:
        Meta reads it live; only ``NodeType`` ``phone`` is modelled)."""
        if node_type != "phone":
            raise errors.invalid_parameter("NodeType")
        if not phone_number:
            raise errors.missing_parameter("PhoneNumber")
        with self.lock:
            number = self._number(caller, cust_space_id, phone_number)
            can_send, problems = _health(number)
        entity = {
            "EntityType": "PHONE_NUMBER",
            "PhoneNumber": phone_number,
            "CanSendMessage": can_send,
            "Errors": problems,
        }
        return {"Data": {"CanSendMessage": can_send, "Entities": [entity]}}


def listed_webhook(number: PhoneNumber) -> dict[str, str]:
    """The webhook as a QueryChatappPhoneNumbers item shows it: the two URLs, and the queues
    (inferred: named after the account's queue when QueueFlag is Y, empty otherwise)."""
    hook = number.webhook
    queued = hook.get("QueueFlag") == "Y"
    return {
        "StatusCallbackUrl": hook.get("StatusCallbackUrl", ""),
        "UpCallbackUrl": hook.get("UpCallbackUrl", ""),
        "StatusQueue": f"Alicom-Queue-{number.number_id}-ChatAppStatus" if queued else "",
        "UpQueue": f"Alicom-Queue-{number.number_id}-ChatAppInbound" if queued else "",
    }


def _health(number: PhoneNumber) -> tuple[str, list[dict[str, str]]]:
    if number.status not in REGISTERED:
        return "BLOCKED", [
            {
                "ErrorCode": "141000",
                "ErrorDescription": "The phone number is not registered.",
                "PossibleSolution": "Register the number with ChatappVerifyAndRegister.",
            }
        ]
    if number.quality_rating == "RED" or number.status != "CONNECTED":
        return "LIMITED", [
            {
                "ErrorCode": "141006",
                "ErrorDescription": f"The phone number is {number.status}, quality "
                f"{number.quality_rating}.",
                "PossibleSolution": "Review the messages customers reported or blocked.",
            }
        ]
    return "AVAILABLE", []


def _served_picture(url: str) -> str:
    """Where WhatsApp serves an uploaded picture from: its own CDN, never the URL set
    (inferred, cams-number-config)."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:24]
    return f"https://pps.whatsapp.net/v/t61.24694-24/{digest}_n.jpg"
