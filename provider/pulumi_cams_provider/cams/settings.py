"""Provider settings: endpoint, region, credentials, rate and timeouts.

Settings come from stack config (the ``cams:`` namespace, or the bare names that the native
provider's Configure delivers) and then from the environment. Nothing here is read at import
time, nothing touches the network, and secrets are held as ``SecretStr`` so that ``repr()``
and log lines never show them.

Credentials are taken as one group: if stack config names any of ``accessKeyId``,
``accessKeySecret``, ``securityToken`` or ``profile``, the environment's credential variables are
ignored, so a profile chosen in the stack cannot be overridden by a stray access key in the shell.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from ..config import SETTINGS
from .endpoint import redact_userinfo, split_endpoint
from .errors import SettingsError
from .pacing.store import check_store_url

__all__ = ["ProviderSettings"]

_DEFAULTS: dict[str, Any] = {s.attribute: s.default for s in SETTINGS if s.default is not None}

# field -> (stack config key, environment variables in order of preference)
_SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    s.attribute: (s.key, s.environment) for s in SETTINGS
}
_CREDENTIAL_FIELDS = tuple(s.attribute for s in SETTINGS if s.credential)
_SECRET_FIELDS = frozenset(s.attribute for s in SETTINGS if s.secret)


# What to tell the user about each setting when its value is refused (and about the two
# timeouts that are not settings, only tests set them).
_EXPECTED: dict[str, str] = {
    **{s.attribute: s.expected for s in SETTINGS},
    "connect_timeout_ms": "a whole number of milliseconds greater than 0",
    "read_timeout_ms": "a whole number of milliseconds greater than 0",
}


def _config_key(field: str) -> str:
    if field in _SOURCES:
        return "cams:" + _SOURCES[field][0]
    return field


class ProviderSettings(BaseModel):
    """Validated provider settings; build them with :meth:`from_config`.

    ``protocol`` and ``host`` give what the Alibaba SDK's ``Config`` wants: an endpoint override
    such as ``http://127.0.0.1:8080`` becomes protocol ``http`` and host ``127.0.0.1:8080``;
    without an override the host is ``cams.<region>.aliyuncs.com`` over HTTPS.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)
    # What each field means, its key, variables and default: config.SETTINGS.
    _sources: dict[str, str] = PrivateAttr(default_factory=dict)

    endpoint: str | None = None
    region: str = _DEFAULTS["region"]
    access_key_id: str | None = None
    access_key_secret: SecretStr | None = None
    security_token: SecretStr | None = None
    profile: str | None = None
    requests_per_second: float = _DEFAULTS["requests_per_second"]
    retry_timeout: float = _DEFAULTS["retry_timeout"]
    register_timeout: float = _DEFAULTS["register_timeout"]
    settle_timeout: float = _DEFAULTS["settle_timeout"]
    rate_limit_store: SecretStr | None = None
    rate_limit_key: str | None = None
    connect_timeout_ms: int = 5000
    read_timeout_ms: int = 10000

    @model_validator(mode="wrap")
    @classmethod
    def _as_settings_error(
        cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        # Turn pydantic's multi-line report into one SettingsError that names the key to fix.
        try:
            return handler(data)
        except ValidationError as exc:
            sources: Mapping[str, str] = (info.context or {}).get("sources", {})
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            key = sources.get(field, _config_key(field))
            shown = None
            if field not in _SECRET_FIELDS and isinstance(data, Mapping) and field in data:
                shown = data[field]
                if field == "endpoint" and isinstance(shown, str):
                    shown = redact_userinfo(shown)
            reason = _EXPECTED.get(field, str(first.get("msg", "invalid value")))
            if key.startswith("cams:"):
                secret = "--secret " if field in _SECRET_FIELDS else ""
                hint = f"Fix it with `pulumi config set {secret}{key} <value>`."
            else:
                hint = f"Fix or unset the environment variable {key}."
            raise SettingsError(key, f"expected {reason}", value=shown, hint=hint) from None

    @field_validator("endpoint")
    @classmethod
    def _check_endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        split_endpoint(value)
        return value

    @field_validator("rate_limit_store")
    @classmethod
    def _check_store(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            check_store_url(value.get_secret_value())
        return value

    @field_validator("rate_limit_key")
    @classmethod
    def _check_key(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[\w.:-]{1,100}", value):
            raise ValueError("bad key")
        return value

    @field_validator("region")
    @classmethod
    def _check_region(cls, value: str) -> str:
        value = value.strip()
        if not value or not all(c.isalnum() or c == "-" for c in value):
            raise ValueError("bad region")
        return value

    @field_validator(
        "requests_per_second", "retry_timeout", "register_timeout", "settle_timeout", mode="before"
    )
    @classmethod
    def _check_not_a_flag(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a flag is not a number")
        return value

    @field_validator("requests_per_second", "retry_timeout", "register_timeout", "settle_timeout")
    @classmethod
    def _check_positive(cls, value: float) -> float:
        if not math.isfinite(value) or value <= 0:
            raise ValueError("must be > 0")
        return value

    @field_validator("connect_timeout_ms", "read_timeout_ms")
    @classmethod
    def _check_timeout(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("timeout must be > 0")
        return value

    @model_validator(mode="after")
    def _check_credentials(self) -> ProviderSettings:
        if self.access_key_id and self.access_key_secret is None:
            raise SettingsError(
                "cams:accessKeySecret",
                "an access key id is set but its secret is missing; set it with "
                "`pulumi config set --secret cams:accessKeySecret <secret>`",
            )
        if self.access_key_secret is not None and not self.access_key_id:
            raise SettingsError(
                "cams:accessKeyId",
                "an access key secret is set but its id is missing; set it with "
                "`pulumi config set cams:accessKeyId <id>`",
            )
        if self.security_token is not None and not self.access_key_id:
            raise SettingsError(
                "cams:accessKeyId",
                "an STS security token needs the STS access key id and secret that came with it",
            )
        return self

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        """Build settings from stack config, falling back on the environment.

        ``config`` may use ``cams:``-prefixed keys or bare names; empty values count as unset.
        Raises :class:`SettingsError` naming the key (or environment variable) to fix.
        """
        env = os.environ if environ is None else environ
        from_config: dict[str, Any] = {}
        for field, (name, _) in _SOURCES.items():
            for key in (f"cams:{name}", name):
                value = config.get(key)
                if value is not None and value != "":
                    from_config[field] = (key if key.startswith("cams:") else f"cams:{name}", value)
                    break

        config_has_credentials = any(f in from_config for f in _CREDENTIAL_FIELDS)
        data: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for field, (_, env_names) in _SOURCES.items():
            if field in from_config:
                sources[field], data[field] = from_config[field]
                continue
            if field in _CREDENTIAL_FIELDS and config_has_credentials:
                continue
            for env_name in env_names:
                env_value = env.get(env_name)
                if env_value:
                    data[field] = env_value
                    sources[field] = env_name
                    break
        for field in _SECRET_FIELDS:
            if field in data and not isinstance(data[field], str | SecretStr):
                raise SettingsError(sources[field], "expected a string")
        settings = cls.model_validate(data, context={"sources": sources})
        settings._sources.update(sources)
        return settings

    def source(self, field: str) -> str | None:
        """Where ``field`` came from when built by `from_config`: the stack config key
        (``cams:accessKeyId``) or the environment variable (``ALICLOUD_ACCESS_KEY``)."""
        return self._sources.get(field)

    @property
    def credentials_from(self) -> str | None:
        """Which config keys or environment variables supplied the access key pair, for an
        error about it: several variables name the same credential and the first set wins."""
        sources = [self.source(f) for f in ("access_key_id", "access_key_secret")]
        named = list(dict.fromkeys(s for s in sources if s))
        return " and ".join(named) or None

    def secret_values(self) -> tuple[str, ...]:
        """The secrets among the settings, to scrub from whatever CAMS says back."""
        return tuple(
            s.get_secret_value()
            for s in (self.access_key_secret, self.security_token, self.rate_limit_store)
            if s is not None
        )

    @property
    def protocol(self) -> str:
        """``http`` or ``https``, as the Alibaba SDK's ``Config.protocol`` expects."""
        if self.endpoint is None:
            return "https"
        return split_endpoint(self.endpoint)[0]

    @property
    def host(self) -> str:
        """``host[:port]`` without a scheme, as the Alibaba SDK's ``Config.endpoint`` expects."""
        if self.endpoint is None:
            return f"cams.{self.region}.aliyuncs.com"
        return split_endpoint(self.endpoint)[1]

    @property
    def credential_identity(self) -> str:
        """Who the requests are made as, for rate limiting: never a secret."""
        if self.access_key_id:
            return f"ak:{self.access_key_id}"
        if self.profile:
            return f"profile:{self.profile}"
        return "default-chain"
