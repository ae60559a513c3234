"""Every resource the package serves, by token: what the front doors dispatch on."""

from __future__ import annotations

from typing import Final

from .description import ResourceDescription
from .phone_number_profile import PROFILE
from .phone_number_webhook import WEBHOOK
from .resource import REGISTRATION

__all__ = ["CONFIGURATIONS", "RESOURCES", "described"]

RESOURCES: Final[tuple[ResourceDescription, ...]] = (REGISTRATION, PROFILE, WEBHOOK)
CONFIGURATIONS: Final = tuple(r for r in RESOURCES if r is not REGISTRATION)
"""The resources about a registered number's configuration (its profile, its webhook)."""


def described(token: str) -> ResourceDescription | None:
    """The resource of ``token`` (``cams:index:...``), or None when the package has none."""
    return next((r for r in RESOURCES if r.token == token), None)
