"""The PhoneNumberProfile resource, described once: a number's WhatsApp business profile
(ModifyPhoneBusinessProfile, QueryPhoneBusinessProfile).

CAMS documents no limits on the fields; the limits here are those of Meta's Cloud API, which
applies them to what reaches WhatsApp
(https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles).
"""

from __future__ import annotations

from typing import Final

from .description import Limits, Property, ResourceDescription, number_identity

__all__ = ["PROFILE", "VERTICALS"]

VERTICALS: Final = (
    "RETAIL",
    "TRAVEL",
    "PROF_SERVICES",
    "APPAREL",
    "GOVT",
    "ENTERTAIN",
    "GROCERY",
    "HOTEL",
    "OTHER",
    "AUTO",
    "FINANCE",
    "BEAUTY",
    "EDU",
    "EVENT_PLAN",
    "NONPROFIT",
    "RESTAURANT",
    "HEALTH",
)
"""CAMS's business verticals (ModifyPhoneBusinessProfile's `Vertical`)."""


def _field(wire: str, kind: str, text: str, limits: Limits, *, read_back: bool = True) -> Property:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in wire)
    return Property(
        wire=wire,
        python=snake,
        type=kind,
        input_description=f"{text} Left unset, the field is neither sent nor compared.",
        output_description=f"{text} Null when the program does not manage it.",
        limits=limits,
        read_back=read_back,
    )


PROFILE: Final = ResourceDescription(
    name="PhoneNumberProfile",
    description=(
        "The business profile WhatsApp shows customers for a registered number: about text, "
        "description, address, email, websites, vertical and picture "
        "(`ModifyPhoneBusinessProfile`, confirmed by `QueryPhoneBusinessProfile`).\n\nOnly the "
        "fields the program sets are managed: a field left unset is never sent and never shown "
        "as drift. Refresh reads what CAMS holds, so a field changed in the console shows as "
        "drift and `pulumi up` puts it back; the picture is the exception (WhatsApp serves it "
        "from its own address, so a change to it made elsewhere cannot be seen). Deleting the "
        "resource leaves the profile as it is in CAMS.\n\nImport with the ID "
        "`<custSpaceId>/<phoneNumber>`."
    ),
    properties=(
        *number_identity("business profile"),
        _field("about", "string", "The profile's about text.", Limits(1, 139)),
        _field("address", "string", "The business's address.", Limits(max_length=256)),
        _field("description", "string", "The business's description.", Limits(max_length=512)),
        _field("email", "string", "The business's contact email.", Limits(None, 128, form="email")),
        _field(
            "websites",
            "array",
            "The business's websites.",
            Limits(max_length=256, max_items=2, form="url"),
        ),
        _field("vertical", "string", "The business's industry.", Limits(choices=VERTICALS)),
        _field(
            "profilePictureUrl",
            "string",
            "The address of the profile picture to upload. WhatsApp stores the picture and "
            "serves it from an address of its own, so refresh keeps this value and cannot see "
            "a picture changed elsewhere.",
            Limits(max_length=2048, form="url"),
            read_back=False,
        ),
    ),
)
