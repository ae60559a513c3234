"""Every resource the package serves, by token: what the front doors dispatch on."""

from __future__ import annotations

from typing import Final

from .description import ResourceDescription
from .phone_number_profile import PROFILE
from .phone_number_webhook import WEBHOOK
from .resource import REGISTRATION

__all__ = ["RESOURCES", "described"]

RESOURCES: Final[tuple[ResourceDescription, ...]] = (REGISTRATION, PROFILE, WEBHOOK)


def described(token: str) -> ResourceDescription | None:
    """The resource of ``token`` (``cams:index:...``), or None when the package has none."""
    return next((r for r in RESOURCES if r.token == token), None)
