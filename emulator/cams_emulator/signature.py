"""Server-side verification of ACS3-HMAC-SHA256 (V3) request signatures ([V3] in COVERAGE.md).

The verifier rebuilds the canonical request from what arrived, using the SignedHeaders list the
client put in its Authorization header (the Python SDK signs more headers than the documented
minimum, so a fixed list would reject it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote

from . import errors

ALGORITHM = "ACS3-HMAC-SHA256"
MAX_SKEW_SECONDS = 15 * 60
# Headers a V3 request must carry and sign ([V3]; inferred from the doc's minimum list).
REQUIRED_SIGNED_HEADERS = (
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
)
# Headers that must be signed whenever they are present.
SIGNED_IF_PRESENT = ("x-acs-security-token", "x-acs-accesskey-id", "content-type")

_AUTHORIZATION = re.compile(
    r"^(?P<algorithm>\S+) Credential=(?P<credential>[^,\s]+),"
    r"SignedHeaders=(?P<signed>[^,\s]+),Signature=(?P<signature>[0-9a-fA-F]+)$"
)


@dataclass(frozen=True)
class Authorization:
    """The parsed ``Authorization`` header."""

    algorithm: str
    access_key_id: str
    signed_headers: tuple[str, ...]
    signature: str


@dataclass(frozen=True)
class Verified:
    """A request whose signature checked out."""

    access_key_id: str
    nonce: str
    security_token: str | None


def parse_authorization(value: str | None) -> Authorization:
    """Split ``ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..``."""
    match = _AUTHORIZATION.match((value or "").strip())
    if match is None or match["algorithm"] != ALGORITHM:
        raise errors.incomplete_signature()
    signed = tuple(match["signed"].split(";"))
    if any(not name or name != name.lower() for name in signed):
        raise errors.incomplete_signature()
    return Authorization(ALGORITHM, match["credential"], signed, match["signature"].lower())


def rfc3986(value: str) -> str:
    """Percent-encode everything except ``A-Z a-z 0-9 - _ . ~`` (space is %20, ``*`` is %2A)."""
    return quote(value, safe="~")


def canonical_query_string(raw_query: str) -> str:
    """Decode the wire query (``+`` is a space) and re-encode it RFC 3986-style, sorted."""
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    return "&".join(f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(pairs))


def canonical_headers(headers: Mapping[str, Sequence[str]], signed: Sequence[str]) -> str:
    """``name:value\\n`` for each signed header, values trimmed, repeats sorted and joined."""
    lines = []
    for name in sorted(signed):
        values = sorted(v.strip() for v in headers.get(name, ()))
        lines.append(f"{name}:{','.join(values)}\n")
    return "".join(lines)


def canonical_request(
    method: str,
    path: str,
    raw_query: str,
    headers: Mapping[str, Sequence[str]],
    signed: Sequence[str],
    payload_hash: str,
) -> str:
    """The V3 canonical request ([V3])."""
    return "\n".join(
        [
            method.upper(),
            path or "/",
            canonical_query_string(raw_query),
            canonical_headers(headers, signed),
            ";".join(sorted(signed)),
            payload_hash,
        ]
    )


def string_to_sign(canonical: str) -> str:
    """``ACS3-HMAC-SHA256\\n`` + hex SHA-256 of the canonical request."""
    return f"{ALGORITHM}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def sign(secret: str, to_sign: str) -> str:
    """Hex HMAC-SHA256 keyed with the raw access key secret."""
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_acs_date(value: str) -> float:
    """Seconds since the epoch for an ``x-acs-date`` (``yyyy-MM-ddTHH:mm:ssZ``, UTC)."""
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise errors.timestamp_format() from None
    return parsed.replace(tzinfo=timezone.utc).timestamp()


def verify(
    *,
    method: str,
    path: str,
    raw_query: str,
    headers: Mapping[str, Sequence[str]],
    body: bytes,
    secret_for: Callable[[str], str | None],
    now: float,
) -> Verified:
    """Check a request's V3 signature; raise the gateway's error for the first failure.

    ``headers`` maps lower-cased names to every value received. ``secret_for`` returns the
    secret of an access key id, or None when the key is unknown. ``now`` is wall-clock time:
    the skew check must follow the client's real clock, not the emulator's test clock.
    Nonce reuse is the caller's check, since the nonce cache is state.
    """
    values = headers.get("authorization")
    auth = parse_authorization(values[0] if values else None)
    signed = set(auth.signed_headers)
    for name in REQUIRED_SIGNED_HEADERS:
        if name not in signed or not headers.get(name):
            raise errors.incomplete_signature()
    for name in SIGNED_IF_PRESENT:
        if headers.get(name) and name not in signed:
            raise errors.incomplete_signature()
    if any(not headers.get(name) for name in signed):
        raise errors.incomplete_signature()
    sts_key = headers.get("x-acs-accesskey-id")
    if sts_key and sts_key[0].strip() != auth.access_key_id:
        raise errors.incomplete_signature()

    secret = secret_for(auth.access_key_id)
    if secret is None:
        raise errors.access_key_not_found()
    if abs(now - parse_acs_date(headers["x-acs-date"][0])) > MAX_SKEW_SECONDS:
        raise errors.timestamp_expired()

    # The real body hash goes into the canonical request, so a body that does not match its
    # x-acs-content-sha256 header fails like any other tampering.
    payload_hash = hashlib.sha256(body).hexdigest()
    canonical = canonical_request(
        method, path, raw_query, headers, auth.signed_headers, payload_hash
    )
    to_sign = string_to_sign(canonical)
    claimed_hash = headers["x-acs-content-sha256"][0].strip().lower()
    expected = sign(secret, to_sign)
    if claimed_hash != payload_hash or not hmac.compare_digest(expected, auth.signature):
        raise errors.signature_does_not_match(to_sign)
    token = headers.get("x-acs-security-token")
    return Verified(
        access_key_id=auth.access_key_id,
        nonce=headers["x-acs-signature-nonce"][0].strip(),
        security_token=token[0] if token else None,
    )
