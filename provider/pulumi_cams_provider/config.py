"""The provider's settings, described once: config key, environment variables, default, secrecy.

`cams.settings` validates them, `package_schema` publishes them (the provider's config
variables), the CLI names them in its help and the catalogue in its remediations; none of them
writes a key, a variable or a default of its own. Standard library only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "ADAPTIVE_RATE_ENV",
    "SETTINGS",
    "SHARE_LISTINGS_ENV",
    "Setting",
    "setting",
    "switched_off",
]


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
    expected: str
    """What a valid value looks like, for the line that refuses a bad one."""
    default: Any = None
    secret: bool = False
    credential: bool = False
    """Part of the credential group (set in config, it hides the environment's credentials)."""


SETTINGS: Final[tuple[Setting, ...]] = (
    Setting(
        key="endpoint",
        attribute="endpoint",
        type="string",
        environment=("CAMS_ENDPOINT",),
        expected='a host[:port] or "http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080"',
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
        expected='a region id such as "ap-southeast-1"',
        description="Alibaba Cloud region of the CAMS endpoint.",
        default="ap-southeast-1",
    ),
    Setting(
        key="accessKeyId",
        attribute="access_key_id",
        type="string",
        environment=("ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"),
        expected="an access key id",
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
        expected="the access key secret that belongs to the access key id",
        description="AccessKey secret belonging to `accessKeyId`.",
        secret=True,
        credential=True,
    ),
    Setting(
        key="securityToken",
        attribute="security_token",
        type="string",
        environment=("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        expected="an STS security token",
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
        expected=(
            "the name of a profile in ~/.aliyun/config.json or ~/.alibabacloud/credentials.ini"
        ),
        description="Name of an Alibaba Cloud CLI profile to take credentials from.",
        credential=True,
    ),
    Setting(
        key="requestsPerSecond",
        attribute="requests_per_second",
        type="number",
        environment=("CAMS_REQUESTS_PER_SECOND",),
        expected="a number greater than 0, such as 10",
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
        expected="a number of seconds greater than 0, such as 120",
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
        expected="a number of seconds greater than 0, such as 30",
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
        expected="a number of seconds greater than 0, such as 45",
        description=(
            "Seconds to keep re-reading the number after a register or deregister call "
            "(answered or lost) before concluding that it had no effect."
        ),
        default=45,
    ),
    Setting(
        key="rateLimitStore",
        attribute="rate_limit_store",
        type="string",
        environment=("CAMS_RATE_LIMIT_STORE",),
        expected='a Redis URL such as "redis://host:6379/0" or "unix:///run/redis.sock"',
        description=(
            "A Redis (or compatible, such as Tair) that every process of one account shares, "
            "for example `redis://host:6379/0`, `rediss://host:6380/0` or "
            "`unix:///run/redis.sock`: one request bucket per account and action, and a lease "
            "per number so that two pipelines creating one number make one register call. "
            "Unset, each process paces itself (adaptive control). Needs the extra "
            "`pulumi-cams[store]`. A failing store is never an error (only a number's lease "
            "held elsewhere for all of `retryTimeout` is): the process paces itself until the "
            "store answers again."
        ),
        secret=True,
    ),
    Setting(
        key="rateLimitKey",
        attribute="rate_limit_key",
        type="string",
        environment=("CAMS_RATE_LIMIT_KEY",),
        expected="a name of letters, digits and -_.: such as an account ID",
        description=(
            "The name under which processes meet in `rateLimitStore`: give every process of "
            "one Alibaba Cloud account the same one (the account ID, say) when they use "
            "different access keys. Default: a digest of the endpoint and the access key in use."
        ),
    ),
)

ADAPTIVE_RATE_ENV: Final = "CAMS_ADAPTIVE_RATE"
"""Set to 0, each process sends at its own ``requestsPerSecond`` whatever CAMS answers (the
benchmark's "fixed" control); not a setting, so the schema does not offer it."""
SHARE_LISTINGS_ENV: Final = "CAMS_SHARE_LISTINGS"
"""Set to 0, every observation makes its own listing (the benchmark's naive baseline); not a
setting, so the schema does not offer it."""


def setting(key: str) -> Setting:
    """The setting whose config key is ``key``."""
    return next(s for s in SETTINGS if s.key == key)


def switched_off(variable: str) -> bool:
    """Whether a switch of the environment (`ADAPTIVE_RATE_ENV`, `SHARE_LISTINGS_ENV`) is off:
    "0", "false" or "no"."""
    return os.environ.get(variable, "").strip().lower() in ("0", "false", "no")
