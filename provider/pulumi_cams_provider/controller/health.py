"""A number's ability to send, as a person asks for it (getPhoneNumber, `pulumi-cams status`):
`GetWhatsappHealthStatus`, which reads Meta live and allows 5 requests per second, so it is
never part of a refresh.
https://www.alibabacloud.com/help/en/chatapp/developer-reference/api-cams-2020-06-06-getwhatsapphealthstatus
"""

from __future__ import annotations

from typing import Any

from ..cams.errors import CamsError
from .session import CamsSession

__all__ = ["sending_health"]


def sending_health(session: CamsSession, space: str, phone: str) -> dict[str, Any]:
    """``canSendMessage`` and ``sendingAdvice`` (why not, and what Meta suggests). A health
    that cannot be read does not hide the rest of the answer: it is null, and the advice says
    why (the code CAMS gave, such as a RAM policy without cams:GetWhatsappHealthStatus)."""
    try:
        data = session.client().get_whatsapp_health_status(
            space, phone, deadline=session.deadline()
        )
    except CamsError as err:
        return {"canSendMessage": None, "sendingAdvice": f"health not read: {err.code}"}
    problems = [
        " ".join(str(e.get(k) or "").strip() for k in ("ErrorDescription", "PossibleSolution"))
        for entity in data.get("Entities") or []
        if isinstance(entity, dict)
        for e in entity.get("Errors") or []
        if isinstance(e, dict)
    ]
    return {
        "canSendMessage": data.get("CanSendMessage"),
        "sendingAdvice": "; ".join(p for p in problems if p) or None,
    }
