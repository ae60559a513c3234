"""Drift of a stack's registrations, named by cause: what CAMS now says of each number.

A scheduled drift job needs more than "a resource would be deleted": which number, what CAMS
says of it, and what to do, which differs by cause (a number moved out of its space cannot be
registered there again with a fresh code). It also needs an error that is about the account
(credentials, endpoint, permissions) once, not once per resource. `check_drift` lists each
space once and reports every number: lost (and why), held with a note (Meta flags it), or
held. The statuses are QueryChatappPhoneNumbers' ``Status`` values; what they mean for sending
is Meta's (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers/).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..cams.errors import CamsAccessDenied, CamsError, CamsUnreachable
from ..resource import QUALITY_RATING
from .lifecycles import kind_of
from .registration import RegistrationController
from .validation import format_resource_id

__all__ = ["Finding", "check_configuration_drift", "check_drift"]

_SENDING: dict[str, str] = {
    "FLAGGED": (
        "Meta flagged it for low quality: it still sends, but its messaging limit drops if "
        "quality does not improve within 7 days"
    ),
    "RESTRICTED": "it reached its messaging limit: it cannot start conversations for now",
    "RATE_LIMITED": "it is sending too fast: Meta holds some of its messages back",
}
_RED = (
    "its quality rating is RED: Meta may flag it and then lower its messaging limit; look at "
    "the messages customers block or report"
)


@dataclass(frozen=True)
class Finding:
    """What the check found about one number (or, for ``error``, one space)."""

    kind: Literal["lost", "changed", "note", "error"]
    space: str
    phone: str
    text: str


def check_drift(
    controller: RegistrationController, registrations: Iterable[tuple[str, str]]
) -> list[Finding]:
    """Findings for ``registrations`` ((space, number) pairs a stack manages), one listing per
    space; an empty list when every registration holds and nothing is flagged. A failure that
    is about the account rather than a space (credentials, endpoint, permissions) raises, once:
    no other space would read better."""
    by_space: dict[str, list[str]] = {}
    for space, phone in registrations:
        by_space.setdefault(space, []).append(phone)
    findings: list[Finding] = []
    for space, phones in sorted(by_space.items()):
        try:
            listed = {n["phoneNumber"]: n for n in controller.numbers_of(space)}
        except (CamsAccessDenied, CamsUnreachable):
            raise
        except CamsError as err:
            findings.append(Finding("error", space, "", str(err)))
            continue
        findings += [
            f for phone in sorted(phones) if (f := _finding(space, phone, listed.get(phone)))
        ]
    return findings


def _finding(space: str, phone: str, number: dict[str, Any] | None) -> Finding | None:
    where = f"{phone} in space {space}"
    if number is None:
        return Finding(
            "lost",
            space,
            phone,
            f"{where} is lost: the space no longer lists the number (moved to another space, "
            "or removed from the space's WhatsApp Business Account), so a fresh code cannot "
            "register it here. Find the space that holds it (`pulumi-cams status --space "
            "<space>`) and declare it there; `pulumi refresh` drops this resource.",
        )
    status = number["status"]
    if not number["registered"]:
        return Finding(
            "lost",
            space,
            phone,
            f"{where} is lost: CAMS shows it {status}, deregistered outside Pulumi. "
            "`pulumi refresh` drops the resource; to register it again, `pulumi-cams "
            f"request-code --space {space} --phone {phone}`, set the code as its verifyCode "
            "and run `pulumi up`.",
        )
    meanings = [_SENDING[status]] if status in _SENDING else []
    if number.get(QUALITY_RATING.wire) == "RED":
        meanings.append(_RED)
    if not meanings:
        return None
    return Finding("note", space, phone, f"{where} holds ({status}), but {'; '.join(meanings)}.")


def check_configuration_drift(
    controller: RegistrationController, resources: Iterable[tuple[str, dict[str, Any]]]
) -> list[Finding]:
    """Findings for the profiles and webhooks a stack manages ((token, stored outputs) pairs):
    each one whose managed fields CAMS now holds otherwise is named with those fields (never a
    secret's value), as `pulumi refresh` would show them. The webhooks of a space share one
    listing; each profile is one read."""
    findings: list[Finding] = []
    for token, stored in resources:
        kind = kind_of(token)
        space, phone = stored["custSpaceId"], stored["phoneNumber"]
        try:
            live = kind.controller(controller.session).read(
                format_resource_id(space, phone), stored
            )
        except (CamsAccessDenied, CamsUnreachable):
            raise
        except CamsError as err:
            findings.append(Finding("error", space, phone, str(err)))
            continue
        what = kind.resource.short
        if live.resource_id is None:
            text = f"the {what} of {phone} in space {space} is lost: the space no longer lists it"
            findings.append(Finding("lost", space, phone, text))
            continue
        differ = [name for name, value in live.outputs.items() if stored.get(name) != value]
        if differ:
            findings.append(
                Finding(
                    "changed",
                    space,
                    phone,
                    f"the {what} of {phone} in space {space} was changed outside Pulumi: "
                    f"{', '.join(differ)} differ from the stack; `pulumi up --refresh` puts "
                    "them back.",
                )
            )
    return findings
