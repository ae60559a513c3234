"""The PhoneNumberRegistration resource and the provider's settings, described once.

Every fact about a property (wire and Python names, type, input or output, secret, replaces on
change, description) and about a setting (config key, environment variables, default, secrecy)
is written here, and everything else reads it: the input rules (validation, checks), the
settings (settings), both adapters, the Python SDK's name maps, the CLI's output and the
package schema, which `make schema` writes to schema.json (CI fails when the committed file
differs). Standard library only, so a fresh provider process answers preview fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "FUNCTION_DESCRIPTION",
    "FUNCTION_OUTPUTS",
    "FUNCTION_TOKEN",
    "INPUT_PROPERTIES",
    "OUTPUT_PROPERTIES",
    "PACKAGE",
    "PROPERTIES",
    "REPLACING_INPUTS",
    "RESOURCE_DESCRIPTION",
    "RESOURCE_TYPE",
    "SECRET_INPUTS",
    "SETTINGS",
    "Property",
    "Setting",
]

PACKAGE: Final = "cams"
RESOURCE_TYPE: Final = "cams:index:PhoneNumberRegistration"
FUNCTION_TOKEN: Final = "cams:index:getPhoneNumber"
FUNCTION_DESCRIPTION: Final = (
    "Reads a phone number's registration state in a CAMS space (QueryChatappPhoneNumbers) "
    "without managing it: what `pulumi-cams status --json` shows. It reads at preview too and "
    "never writes. A number the space does not list is an error."
)


@dataclass(frozen=True)
class Property:
    """One property of the resource: an input, an output, or both."""

    wire: str
    """The camelCase name in state, the schema and the providers' dicts."""
    python: str
    """The snake_case name in the Python SDK."""
    type: str
    """The schema type: ``string``, ``boolean``."""
    input_description: str | None
    """Set for inputs: what the program passes."""
    output_description: str | None
    """Set for outputs: what the state holds."""
    required_input: bool = False
    required_output: bool = False
    secret: bool = False
    replaces: bool = False
    default: Any = None

    @property
    def is_input(self) -> bool:
        return self.input_description is not None

    @property
    def is_output(self) -> bool:
        return self.output_description is not None


@dataclass(frozen=True)
class Setting:
    """One provider setting, read from stack config, then the environment."""

    key: str
    """The config key without the ``cams:`` namespace, e.g. ``accessKeyId``."""
    attribute: str
    """The field name on ``ProviderSettings``."""
    type: str
    environment: tuple[str, ...]
    """Environment variables, in order of preference."""
    description: str
    default: Any = None
    secret: bool = False
    credential: bool = False
    """Part of the credential group (set in config, it hides the environment's credentials)."""


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
        python="verified_name",
        type="string",
        input_description=None,
        output_description="The business display name WhatsApp shows for the number.",
    ),
    Property(
        wire="qualityRating",
        python="quality_rating",
        type="string",
        input_description=None,
        output_description=(
            "Meta's quality rating of the number: `GREEN`, `YELLOW`, `RED` or `UNKNOWN`."
        ),
    ),
    Property(
        wire="messagingLimitTier",
        python="messaging_limit_tier",
        type="string",
        input_description=None,
        output_description=(
            "How many unique users the number may message per 24 hours, for example `TIER_1K`."
        ),
    ),
    Property(
        wire="nameStatus",
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
)
FUNCTION_OUTPUTS: Final[tuple[Property, ...]] = (
    *(p for p in PROPERTIES if p.required_input),
    *(p for p in PROPERTIES if p.is_output and not p.is_input and not p.required_output),
    *_LOOKUP_ANSWERS,
)
"""What getPhoneNumber returns: the identity, what CAMS reports (not `adopted`, which is the
resource's), `registered` and `codeNeeded`."""

SETTINGS: Final[tuple[Setting, ...]] = (
    Setting(
        key="endpoint",
        attribute="endpoint",
        type="string",
        environment=("CAMS_ENDPOINT",),
        description=(
            "CAMS endpoint to call instead of the regional one, for example "
            "`http://127.0.0.1:8080` for the bundled emulator (`pulumi-cams emulator`). A bare "
            "host name means HTTPS."
        ),
    ),
    Setting(
        key="region",
        attribute="region",
        type="string",
        environment=("ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"),
        description="Alibaba Cloud region of the CAMS endpoint.",
        default="ap-southeast-1",
    ),
    Setting(
        key="accessKeyId",
        attribute="access_key_id",
        type="string",
        environment=("ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"),
        description=(
            "AccessKey ID. When neither keys nor a profile are set, the standard Alibaba Cloud "
            "credential chain is used (environment, CLI profile, credentials file, ECS RAM "
            "role, OIDC)."
        ),
        credential=True,
    ),
    Setting(
        key="accessKeySecret",
        attribute="access_key_secret",
        type="string",
        environment=("ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
        description="AccessKey secret belonging to `accessKeyId`.",
        secret=True,
        credential=True,
    ),
    Setting(
        key="securityToken",
        attribute="security_token",
        type="string",
        environment=("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        description=(
            "STS security token, when `accessKeyId` and `accessKeySecret` are temporary "
            "credentials."
        ),
        secret=True,
        credential=True,
    ),
    Setting(
        key="profile",
        attribute="profile",
        type="string",
        environment=("ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"),
        description="Name of an Alibaba Cloud CLI profile to take credentials from.",
        credential=True,
    ),
    Setting(
        key="requestsPerSecond",
        attribute="requests_per_second",
        type="number",
        environment=("CAMS_REQUESTS_PER_SECOND",),
        description=(
            "Most CAMS requests this provider starts per second for one account and API action. "
            "CAMS allows 10; lower it when other tools share the quota."
        ),
        default=10,
    ),
    Setting(
        key="retryTimeout",
        attribute="retry_timeout",
        type="number",
        environment=("CAMS_RETRY_TIMEOUT",),
        description=(
            "Seconds one create, refresh or delete may take in all, in wall time: every request "
            "and its timeouts, retries of throttling and transient faults, and re-reads of the "
            "number."
        ),
        default=120,
    ),
    Setting(
        key="registerTimeout",
        attribute="register_timeout",
        type="number",
        environment=("CAMS_REGISTER_TIMEOUT",),
        description=(
            "Seconds a register or deregister call may take to answer before its answer counts "
            "as lost. Longer than reads, so that a slow answer is not taken for a lost one "
            "(which would be followed by a second call)."
        ),
        default=30,
    ),
    Setting(
        key="settleTimeout",
        attribute="settle_timeout",
        type="number",
        environment=("CAMS_SETTLE_TIMEOUT",),
        description=(
            "Seconds to keep re-reading the number after a register or deregister call "
            "(answered or lost) before concluding that it had no effect."
        ),
        default=45,
    ),
)

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
