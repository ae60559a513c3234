"""The Alibaba Cloud SDK (tea-openapi, darabonba, Tea, alibabacloud-credentials) as this client
uses it: building a client, calling an action the way the generated CAMS SDK does, and keeping
secrets out of the debug output it and urllib3 print. What they raise becomes an error of the
tree in ``sdk_errors``.

The SDK is imported inside the functions that need it, never when this module is imported, so
that preview (check, diff) stays fast and offline.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from ..resource import DISTRIBUTION, installed_version
from .actions import API_VERSION
from .responses import scrub_secrets
from .settings import ProviderSettings

__all__ = [
    "build_sdk_client",
    "call_action",
    "credential_client",
    "credential_source",
    "resolved_access_key_id",
    "redact_sdk_logs",
]


def credential_client(settings: ProviderSettings) -> Any:
    """The credentials client of a profile or of the default chain; None for an access key pair
    given in the settings (the SDK takes it as is)."""
    if settings.access_key_id and settings.access_key_secret is not None:
        return None
    from alibabacloud_credentials.client import Client as CredentialClient

    if settings.profile:
        return CredentialClient(provider=_profile_provider(settings.profile))
    # tea-openapi does not fall back on the default chain by itself.
    return CredentialClient()


def resolved_access_key_id(credentials: Any) -> str | None:
    """The access key ID a credentials client resolves to now (for a role, its temporary key);
    None when it resolves to none. May read a profile or ask a metadata service: call it when
    a request is about to be made, never at preview."""
    try:
        key = credentials.get_credential().access_key_id
    except Exception:  # noqa: BLE001 - the request that follows reports it
        return None
    return key if isinstance(key, str) and key else None


def build_sdk_client(settings: ProviderSettings, credentials: Any = None) -> Any:
    """The SDK client; ``credentials`` is `credential_client`'s, for a profile or the chain."""
    redact_sdk_logs()
    from alibabacloud_tea_openapi import utils_models
    from alibabacloud_tea_openapi.client import Client as OpenApiClient
    from darabonba.policy.retry import RetryOptions

    config = utils_models.Config(
        protocol=settings.protocol,
        endpoint=settings.host,
        region_id=settings.region,
        connect_timeout=settings.connect_timeout_ms,
        read_timeout=settings.read_timeout_ms,
        # We retry ourselves, with a deadline and knowing which actions are safe to repeat.
        retry_options=RetryOptions({"retryable": False}),
        user_agent=f"{DISTRIBUTION}/{installed_version()}",
    )
    if credentials is not None:
        config.credential = credentials
    elif settings.access_key_id and settings.access_key_secret is not None:
        config.access_key_id = settings.access_key_id
        config.access_key_secret = settings.access_key_secret.get_secret_value()
        if settings.security_token is not None:
            config.security_token = settings.security_token.get_secret_value()
    return OpenApiClient(config)


def _profile_provider(profile: str) -> Any:
    """A credentials provider for a named profile: the aliyun CLI's first, then the INI file."""
    from alibabacloud_credentials.exceptions import CredentialException
    from alibabacloud_credentials.provider import (
        CLIProfileCredentialsProvider,
        ProfileCredentialsProvider,
    )

    # Duck-typed ICredentialsProvider: CredentialClient only calls these three methods.
    class NamedProfileProvider:
        def __init__(self) -> None:
            self._lock = threading.Lock()
            self._chosen: Any = None

        def _providers(self) -> list[Any]:
            return [
                CLIProfileCredentialsProvider(profile_name=profile),
                ProfileCredentialsProvider(profile_name=profile),
            ]

        def get_credentials(self) -> Any:
            with self._lock:
                if self._chosen is not None:
                    return self._chosen.get_credentials()
                for provider in self._providers():
                    try:
                        credentials = provider.get_credentials()
                    except CredentialException:
                        continue
                    self._chosen = provider
                    return credentials
            raise CredentialException(f"profile {profile!r} not found")

        async def get_credentials_async(self) -> Any:
            return self.get_credentials()

        def get_provider_name(self) -> str:
            return "profile"

    return NamedProfileProvider()


def call_action(sdk: Any, action: str, query: dict[str, str], timeouts: tuple[float, float]) -> Any:
    from alibabacloud_tea_openapi import utils_models
    from darabonba.runtime import RuntimeOptions

    params = utils_models.Params(
        action=action,
        version=API_VERSION,
        protocol="HTTPS",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = utils_models.OpenApiRequest(query=dict(query))
    connect, read = timeouts
    # The SDK takes whole milliseconds; at least 1, since 0 means "the default".
    runtime = RuntimeOptions(
        connect_timeout=max(1, int(connect * 1000)), read_timeout=max(1, int(read * 1000))
    )
    return sdk.call_api(params, request, runtime)


def credential_source(settings: ProviderSettings) -> str:
    if settings.access_key_id:
        return "the configured access key"
    if settings.profile:
        return (
            f"profile {settings.profile!r} (looked up in ~/.aliyun/config.json and "
            "~/.alibabacloud/credentials.ini)"
        )
    return "the settings, the environment or the default credential chain"


class _RedactSecrets(logging.Filter):
    """Masks verify codes, security tokens and signatures in the records of a logger.

    The SDK sends business parameters in the query string and the STS token in a header.
    urllib3 logs every request line at DEBUG, and with ``DEBUG=sdk`` in the environment (the
    Alibaba SDK's documented debug switch) darabonba and Tea log the whole request, headers
    included, through loggers with handlers of their own. Whoever turns either on must not get
    secrets in their output.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = scrub_secrets(message, ())
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_REDACT_FILTER = _RedactSecrets()
# The loggers that print what the SDK sends: urllib3's request lines, and the ``DEBUG=sdk``
# dumps of darabonba-core (tea-openapi >= 0.4) and alibabacloud-tea (the credentials providers).
_SDK_LOGGERS = ("urllib3.connectionpool", "darabonba-core", "alibabacloud-tea")


def redact_sdk_logs() -> None:
    """Install the redacting filter on every logger that prints the SDK's requests; idempotent."""
    for name in _SDK_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACT_FILTER not in logger.filters:
            logger.addFilter(_REDACT_FILTER)
