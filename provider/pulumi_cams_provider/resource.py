"""The PhoneNumberRegistration resource and the getPhoneNumber function, described once
(`description` says how a resource is described; `resources` lists them all).

Every fact about a property (wire and Python names, type, input or output, secret, replaces on
change, description) is written here, and everything else reads it: the input rules
(controller.validation, controller.checks), the models, both adapters, the Python SDK's name
maps, the CLI's columns and the package schema, which `make schema` writes to schema.json (CI
fails when the committed file differs). The provider's settings are described beside it, in
`config`. Standard library only, so a fresh provider process answers preview fast.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Final

from .description import PACKAGE, Property, ResourceDescription

__all__ = [
    "DISTRIBUTION",
    "DYNAMIC_RESOURCE_TYPE",
    "FUNCTION_DESCRIPTION",
    "FUNCTION_OUTPUTS",
    "FUNCTION_TOKEN",
    "INPUT_PROPERTIES",
    "OUTPUT_PROPERTIES",
    "PACKAGE",
    "PROPERTIES",
    "QUALITY_RATING",
    "REPLACING_INPUTS",
    "REPORTED",
    "RESOURCE_DESCRIPTION",
    "REGISTRATION",
    "RESOURCE_TYPE",
    "SECRET_INPUTS",
    "STATUS",
    "installed_version",
    "Property",
]
# Property and PACKAGE are re-exported: the registration's readers find them here.

DISTRIBUTION: Final = "pulumi-cams"
"""The Python distribution that ships the provider, the plugin and the SDK."""
FUNCTION_TOKEN: Final = "cams:index:getPhoneNumber"
FUNCTION_DESCRIPTION: Final = (
    "Reads a phone number's registration state in a CAMS space (QueryChatappPhoneNumbers) and "
    "whether it can send (GetWhatsappHealthStatus) without managing it: what `pulumi-cams "
    "status --json` shows. It reads at preview too and never writes. A number the space does "
    "not list is an error."
)


PROPERTIES: Final[tuple[Property, ...]] = (
    Property(
        wire="custSpaceId",
        python="cust_space_id",
        type="string",
        input_description=(
            "ID of the CAMS space (channel) whose WhatsApp Business Account holds the number. "
            "Changing it replaces the resource; since a number sits in only one space, the old "
            "resource is deleted first."
        ),
        output_description="ID of the CAMS space whose WhatsApp Business Account holds the number.",
        required_input=True,
        required_output=True,
        replaces=True,
    ),
    Property(
        wire="phoneNumber",
        python="phone_number",
        type="string",
        input_description=(
            "The phone number with its country code, for example `8613800001234`. `+86 "
            "138-0000-1234` and `008613800001234` are accepted and stored as digits (8 to 15). "
            "Changing it replaces the resource."
        ),
        output_description="The phone number with its country code, as digits.",
        required_input=True,
        required_output=True,
        replaces=True,
    ),
    Property(
        wire="verifyCode",
        python="verify_code",
        type="string",
        input_description=(
            "One-time verification code sent to the number by `GetChatappVerifyCode`. Needed "
            "only when the number is not registered yet; it is used once, on create, never "
            "stored in outputs, and changing it alone changes nothing."
        ),
        output_description=None,
        secret=True,
    ),
    Property(
        wire="deregisterOnDelete",
        python="deregister_on_delete",
        type="boolean",
        input_description=(
            "Deregister the number (`ChatappPhoneNumberDeregister`) when the resource is "
            "deleted or replaced. Defaults to false, which leaves the number registered, "
            "because registrations are scarce (10 register or deregister calls per number per "
            "72 hours)."
        ),
        output_description="Whether deleting the resource deregisters the number.",
        required_output=True,
        default=False,
    ),
    Property(
        wire="status",
        reported=True,
        python="status",
        type="string",
        input_description=None,
        output_description=(
            "The number's status in CAMS, for example `CONNECTED` once registered, `PENDING` "
            "before, `DISCONNECTED` after deregistration."
        ),
    ),
    Property(
        wire="codeVerificationStatus",
        reported=True,
        python="code_verification_status",
        type="string",
        input_description=None,
        output_description=(
            "Whether the number's ownership was verified with a code, for example `VERIFIED`, "
            "`NOT_VERIFIED` or `EXPIRED`."
        ),
    ),
    Property(
        wire="verifiedName",
        reported=True,
        python="verified_name",
        type="string",
        input_description=None,
        output_description="The business display name WhatsApp shows for the number.",
    ),
    Property(
        wire="qualityRating",
        reported=True,
        python="quality_rating",
        type="string",
        input_description=None,
        output_description=(
            "Meta's quality rating of the number: `GREEN`, `YELLOW`, `RED` or `UNKNOWN`."
        ),
    ),
    Property(
        wire="messagingLimitTier",
        reported=True,
        python="messaging_limit_tier",
        type="string",
        input_description=None,
        output_description=(
            "How many unique users the number may message per 24 hours, for example `TIER_1K`."
        ),
    ),
    Property(
        wire="nameStatus",
        reported=True,
        python="name_status",
        type="string",
        input_description=None,
        output_description=(
            "Review status of the display name, for example `Approval`, `Pending_Review` or "
            "`Rejected`."
        ),
    ),
    Property(
        wire="adopted",
        python="adopted",
        type="boolean",
        input_description=None,
        output_description=(
            "True when the number was already registered at create time and was adopted without "
            "a register call."
        ),
        required_output=True,
    ),
)

# getPhoneNumber takes the resource's identity (custSpaceId, phoneNumber) and returns it with
# what CAMS reports of the number, and two answers of its own.
_LOOKUP_ANSWERS: Final[tuple[Property, ...]] = (
    Property(
        wire="registered",
        python="registered",
        type="boolean",
        input_description=None,
        output_description=(
            "True when the number is registered (`CONNECTED`, `FLAGGED`, `RATE_LIMITED` or "
            "`RESTRICTED`): a PhoneNumberRegistration adopts it without a code."
        ),
        required_output=True,
    ),
    Property(
        wire="codeNeeded",
        python="code_needed",
        type="boolean",
        input_description=None,
        output_description=(
            "True when registering the number needs a fresh code (`pulumi-cams request-code`)."
        ),
        required_output=True,
    ),
    Property(
        wire="canSendMessage",
        python="can_send_message",
        type="string",
        input_description=None,
        output_description=(
            "Whether Meta lets the number send now (`GetWhatsappHealthStatus`): `AVAILABLE`, "
            "`LIMITED` or `BLOCKED`; null when it could not be read."
        ),
    ),
    Property(
        wire="sendingAdvice",
        python="sending_advice",
        type="string",
        input_description=None,
        output_description=(
            "Why the number cannot send freely and what Meta suggests, or why its health could "
            "not be read; null when it can send."
        ),
    ),
)
FUNCTION_OUTPUTS: Final[tuple[Property, ...]] = (
    *(p for p in PROPERTIES if p.required_input),
    *(p for p in PROPERTIES if p.is_output and not p.is_input and not p.required_output),
    *_LOOKUP_ANSWERS,
)
"""What getPhoneNumber returns: the identity, what CAMS reports (not `adopted`, which is the
resource's), `registered`, `codeNeeded` and the number's health (one more call, 5 per second,
made only here: never in a refresh)."""

REPORTED: Final = tuple(p for p in PROPERTIES if p.reported)
"""What CAMS reports of a number, as the resource's outputs carry it."""
STATUS: Final = next(p for p in REPORTED if p.wire == "status")
"""The number's status, which says whether it is registered."""
QUALITY_RATING: Final = next(p for p in REPORTED if p.wire == "qualityRating")
"""Meta's quality rating of the number, which the drift check notes when it is RED."""
INPUT_PROPERTIES: Final = tuple(p.wire for p in PROPERTIES if p.is_input)
"""Wire names of the inputs, in the order a user meets them."""
OUTPUT_PROPERTIES: Final = tuple(p.wire for p in PROPERTIES if p.is_output)
"""Wire names of the outputs (the state). `verifyCode` is never one of them."""
SECRET_INPUTS: Final = frozenset(p.wire for p in PROPERTIES if p.secret)
REPLACING_INPUTS: Final = tuple(p.wire for p in PROPERTIES if p.replaces)

RESOURCE_DESCRIPTION: Final = (
    "Registers a WhatsApp Business phone number that already sits in the WABA bound to a CAMS "
    "space (`ChatappVerifyAndRegister`).\n\nRequest a one-time code first (`pulumi-cams "
    "request-code`, or `GetChatappVerifyCode` by SMS or voice) and put it into stack config as "
    "a secret. Create first reads the number's state: a number that is already registered is "
    "adopted (`adopted` is true) without a register call and without a code. Meta allows 10 "
    "register or deregister calls per number per 72 hours, so deleting the resource leaves the "
    "number registered unless `deregisterOnDelete` is true.\n\nImport an existing registration "
    "with the ID `<custSpaceId>/<phoneNumber>`."
)


REGISTRATION: Final = ResourceDescription(
    "PhoneNumberRegistration", RESOURCE_DESCRIPTION, PROPERTIES
)
RESOURCE_TYPE: Final = REGISTRATION.token
DYNAMIC_RESOURCE_TYPE: Final = REGISTRATION.dynamic_type
"""The same resource as the Python SDK's dynamic resource declares it (DESIGN.md fixes it)."""


def installed_version() -> str:
    """The installed distribution's version (the plugin's and the SDK's), or "dev" when run
    from a source tree that was never installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "dev"
