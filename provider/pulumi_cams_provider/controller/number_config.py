"""Where a number's business profile and webhook live in CAMS, for `configuration`.

- The profile: `ModifyPhoneBusinessProfile` sets it, `QueryPhoneBusinessProfile` reads it (one
  call per number; CAMS offers no listing of profiles). A field CAMS holds empty is read as
  unset.
- The webhook: `UpdatePhoneWebhook` sets it; the space's listing (`QueryChatappPhoneNumbers`,
  shared with the registrations' reads) shows its URLs and queues. CAMS does not show whether
  HTTP delivery is on; the queue is on when the listing names a queue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..cams.actions import MODIFY_PROFILE, UPDATE_WEBHOOK
from ..cams.errors import CamsNotFound
from ..cams.retry import Deadline
from ..description import ResourceDescription
from ..phone_number_profile import PROFILE
from ..phone_number_webhook import WEBHOOK
from ..resources import CONFIGURATIONS
from .configuration_checks import managed
from .session import CamsSession

__all__ = ["WHERES", "ProfileWhere", "WebhookWhere", "configuration_of"]

_FLAGS: Final = {p.wire: p.listed_as for p in WEBHOOK.properties if p.type == "boolean"}


class ProfileWhere:
    subject = "business profile"
    action = MODIFY_PROFILE

    def read(
        self, session: CamsSession, space: str, phone: str, deadline: Deadline, *, fresh: bool
    ) -> tuple[dict[str, Any] | None, str]:
        try:
            data = session.client().query_phone_business_profile(space, phone, deadline=deadline)
        except CamsNotFound as gone:
            return None, gone.request_id or ""
        return {p.wire: data.get(p.listed_as) or None for p in managed(PROFILE)}, ""

    def write(
        self,
        session: CamsSession,
        space: str,
        phone: str,
        values: Mapping[str, Any],
        deadline: Deadline,
    ) -> str:
        fields = {PROFILE.property(name).listed_as: value for name, value in values.items()}
        return session.client().modify_phone_business_profile(
            space, phone, fields, deadline=deadline
        )


class WebhookWhere:
    subject = "webhook"
    action = UPDATE_WEBHOOK

    def read(
        self, session: CamsSession, space: str, phone: str, deadline: Deadline, *, fresh: bool
    ) -> tuple[dict[str, Any] | None, str]:
        listing = session.listing(space, phone, deadline, fresh=fresh)
        number = listing.number(phone)
        if number is None:
            return None, listing.request_id
        listed = number.listed
        held: dict[str, Any] = {
            p.wire: listed.get(p.listed_as) or None for p in managed(WEBHOOK) if p.type == "string"
        }
        held["queueDelivery"] = bool(listed.get("StatusQueue") or listed.get("UpQueue"))
        return held, listing.request_id

    def write(
        self,
        session: CamsSession,
        space: str,
        phone: str,
        values: Mapping[str, Any],
        deadline: Deadline,
    ) -> str:
        fields = {
            WEBHOOK.property(name).listed_as: ("Y" if value else "N") if name in _FLAGS else value
            for name, value in values.items()
        }
        try:
            return session.client().update_phone_webhook(space, phone, fields, deadline=deadline)
        finally:
            session.finder().invalidate(space)


WHERES: Final[Mapping[str, type[ProfileWhere] | type[WebhookWhere]]] = {
    PROFILE.token: ProfileWhere,
    WEBHOOK.token: WebhookWhere,
}
"""Each configuration resource's `Where`, by token."""


def configuration_of(
    session: CamsSession,
    space: str,
    phone: str,
    resources: tuple[ResourceDescription, ...] = CONFIGURATIONS,
) -> dict[str, dict[str, Any]]:
    """What CAMS holds of a number's profile and webhook, by wire names, as a person may see
    it (`pulumi-cams status`), under ``profile`` and ``webhook``: a secret (a callback URL) is
    shown only as ``"set"``."""
    shown: dict[str, dict[str, Any]] = {}
    for resource in resources:
        where = WHERES[resource.token]()
        held, _ = where.read(session, space, phone, session.deadline(), fresh=False)
        shown[resource.short] = {
            p.wire: ("set" if p.secret and (held or {}).get(p.wire) else (held or {}).get(p.wire))
            for p in managed(resource)
            if p.read_back
        }
    return shown
