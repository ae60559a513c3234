"""Provider settings pointed at an emulator, as the tests build them: written once."""

from __future__ import annotations

from typing import Any

from cams_emulator import EmulatorServer
from pulumi_cams_provider.cams.settings import ProviderSettings
from pydantic import SecretStr

from .demo_seed import DEMO_KEY


def settings_for(
    server: EmulatorServer, key: tuple[str, str] = DEMO_KEY, **settings: Any
) -> ProviderSettings:
    """Settings for ``server`` with the access key pair ``key`` (the demo seed's by default);
    any other setting by its field name (``retry_timeout=5.0``, ``security_token=...``)."""
    for name in ("security_token", "rate_limit_store"):
        if isinstance(settings.get(name), str):
            settings[name] = SecretStr(settings[name])
    return ProviderSettings(
        endpoint=server.url, access_key_id=key[0], access_key_secret=SecretStr(key[1]), **settings
    )
