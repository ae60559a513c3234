"""The rate limit store's address, name and failures, as this provider shows and checks them
(`shared_quota` uses the store): nothing here talks to Redis but `prepare_store`."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import socket
import threading
import traceback

from ...resource import DISTRIBUTION, PACKAGE
from ..endpoint import redact_userinfo
from ..errors import SettingsError

__all__ = [
    "TIMEOUT_S",
    "check_store_url",
    "failure",
    "prepare_store",
    "require_client",
    "shown_store",
    "store_key",
]

TIMEOUT_S = 0.05
"""Seconds one call to the store may take (to connect, or to answer) before it counts as failed:
a store slower than that costs the creates more than the coordination saves."""

_PASSWORD_QUERY = re.compile(r"(?i)(password=)[^&]*")


def shown_store(url: str) -> str:
    """The store's address for a message: any ``user:password@`` or ``password=`` masked."""
    return _PASSWORD_QUERY.sub(r"\1***", redact_userinfo(url))


def check_store_url(url: str) -> None:
    """Raise ValueError unless ``url`` is one redis-py opens: ``redis://``, ``rediss://`` or
    ``unix://``, with a host or a socket path."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("redis", "rediss", "unix") or not rest.strip("/"):
        raise ValueError("not a redis, rediss or unix URL")


def store_key(explicit: str | None, host: str, identity: str) -> str:
    """The namespace of an account's buckets and leases: ``explicit`` (cams:rateLimitKey) when
    set, else a digest of the endpoint and the credential in use (never the key itself)."""
    if explicit:
        return f"pulumi-cams:{explicit}"
    digest = hashlib.sha256(f"{host}\0{identity}".encode()).hexdigest()[:20]
    return f"pulumi-cams:{digest}"


def failure(exc: BaseException) -> str:
    """How the store failed, in fixed words (a client's message may quote the address): what
    failed where the client can tell (TLS, the password, the name, the connection)."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    names = {c.__name__ for e in chain for c in type(e).__mro__}
    frames = {f.name for e in chain for f in traceback.extract_tb(e.__traceback__)}
    if "SSLError" in names or "do_handshake" in frames:
        return (
            "did not complete the TLS handshake (within "
            f"{TIMEOUT_S * 1000:g} ms; a Redis without TLS takes redis://, not rediss://)"
        )
    if "AuthenticationError" in names or "AuthenticationWrongNumberOfArgsError" in names:
        return "refused the password"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "cannot be reached: its host name does not resolve"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "refused the connection: nothing listens at that address"
    if "TimeoutError" in names:
        return f"did not answer within {TIMEOUT_S * 1000:g} ms"
    if "ConnectionError" in names:
        return "cannot be reached"
    return "answered what a Redis would not"


def prepare_store(url: str) -> None:
    """Load the store's client and connect once, in a thread of its own: a process configured
    with a store does it while the engine checks and diffs, so that its first create does not
    wait for the imports. Nothing is reported here: the first permit meets any failure again
    and reports it. Raises `SettingsError` without the store extra, as `shared_quota` does."""
    require_client()

    def connect() -> None:
        try:
            import redis

            with redis.Redis.from_url(
                url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
            ) as client:
                client.ping()
        except Exception:  # noqa: BLE001, S110 - take() meets it again and reports it
            pass

    threading.Thread(target=connect, name="cams-store", daemon=True).start()


def require_client() -> None:
    if importlib.util.find_spec("redis") is None:
        raise SettingsError(
            f"{PACKAGE}:rateLimitStore",
            "a rate limit store needs redis-py, which pulumi-cams installs only with its "
            "store extra",
            hint=(
                f"Install `pip install '{DISTRIBUTION}[store]'` where the provider runs (the "
                "program's virtualenv, or the plugin's), or unset the setting."
            ),
        )
