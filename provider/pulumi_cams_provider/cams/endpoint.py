"""The forms an endpoint setting takes: ``host[:port]`` (HTTPS) or ``http(s)://host[:port]``,
and how to show one in a message without the credentials a URL may carry."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["redact_userinfo", "split_endpoint"]

_USERINFO = re.compile(r"(?<=://)[^/@]*@|^[^/@:]*:[^/@]*@")


def redact_userinfo(endpoint: str) -> str:
    """The endpoint with any ``user:password@`` masked, for a message."""
    return _USERINFO.sub("***@", endpoint)


def split_endpoint(value: str) -> tuple[str, str]:
    """Return (protocol, host[:port]) or raise ValueError for a URL with a path or query."""
    if "://" in value:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError("scheme must be http or https")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError("endpoint must not have a path")
        if not parts.netloc or parts.username or parts.password:
            raise ValueError("endpoint needs a host")
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            raise ValueError("bad port") from None
        return parts.scheme.lower(), parts.netloc
    if not value or any(c in value for c in "/?#@ "):
        raise ValueError("endpoint must be host[:port]")
    return "https", value
