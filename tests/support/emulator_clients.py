"""Clients for talking to the emulator in tests: the generic tea-openapi client, the official
CAMS SDK, and a hand-rolled V3 signer for crafting requests no SDK would send.

The hand-rolled signer is written from the V3 signature documentation ([V3] in the emulator's
COVERAGE.md) independently of ``cams_emulator.signature``, so a shared mistake cannot make both
sides agree.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, urlencode

from alibabacloud_cams20200606.client import Client as CamsClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from cams_emulator import EmulatorServer
from darabonba.runtime import RuntimeOptions

from .demo_seed import KEYS

VERSION = "2020-06-06"


Key = str | tuple[str, str]  # a name in KEYS, or (access key id, secret)


def config(server: EmulatorServer, key: Key = "demo", **extra: Any) -> open_api_models.Config:
    access_key_id, secret = KEYS[key] if isinstance(key, str) else key
    options: dict[str, Any] = {"read_timeout": 10000, "connect_timeout": 5000, **extra}
    return open_api_models.Config(
        access_key_id=access_key_id,
        access_key_secret=secret,
        protocol="http",
        endpoint=server.endpoint,
        **options,
    )


def cams_client(server: EmulatorServer, key: Key = "demo", **extra: Any) -> CamsClient:
    """The official CAMS SDK pointed at the emulator."""
    return CamsClient(config(server, key, **extra))


def call(
    server: EmulatorServer,
    action: str,
    query: dict[str, str] | None = None,
    *,
    body: dict[str, str] | None = None,
    key: Key = "demo",
    method: str = "POST",
    **extra: Any,
) -> tuple[int, dict[str, Any]]:
    """One action through tea-openapi's ``call_api``; returns (HTTP status, JSON body)."""
    params = open_api_models.Params(
        action=action,
        version=VERSION,
        protocol="HTTP",
        pathname="/",
        method=method,
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = open_api_models.OpenApiRequest(query=query or {}, body=body)
    client = OpenApiClient(config(server, key, **extra))
    try:
        response = client.call_api(params, request, RuntimeOptions())
    except (ClientException, ServerException) as exc:
        data = {k: v for k, v in exc.data.items() if k != "statusCode"}
        return int(exc.status_code), data
    return int(response["statusCode"]), dict(response["body"])


def acs_date(when: datetime | None = None) -> str:
    return (when or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")


def raw_request(
    server: EmulatorServer,
    action: str,
    params: dict[str, str],
    *,
    key: Key = "demo",
    date: str | None = None,
    nonce: str | None = None,
    extra_headers: dict[str, str] | None = None,
    unsigned: tuple[str, ...] = (),
    body: bytes = b"",
    claimed_body: bytes | None = None,
    authorization: str | None = None,
    method: str = "POST",
) -> tuple[int, dict[str, Any]]:
    """Sign (per [V3]) and send one request with http.client; returns (status, JSON body).

    ``unsigned`` names headers to send but leave out of SignedHeaders; ``claimed_body`` is
    hashed into x-acs-content-sha256 instead of the real body; ``authorization`` replaces the
    computed header ("" sends none).
    """
    access_key_id, secret = KEYS[key] if isinstance(key, str) else key
    headers = {
        "host": server.endpoint,
        "x-acs-action": action,
        "x-acs-version": VERSION,
        "x-acs-date": date or acs_date(),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "x-acs-content-sha256": hashlib.sha256(
            body if claimed_body is None else claimed_body
        ).hexdigest(),
        "accept": "application/json",
        **(extra_headers or {}),
    }
    signed = sorted(h for h in headers if h not in unsigned)
    canonical_query = "&".join(
        f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(params.items())
    )
    canonical = "\n".join(
        [
            method,
            "/",
            canonical_query,
            "".join(f"{h}:{headers[h].strip()}\n" for h in signed),
            ";".join(signed),
            headers["x-acs-content-sha256"],
        ]
    )
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    signature = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    if authorization is None:
        authorization = (
            f"ACS3-HMAC-SHA256 Credential={access_key_id},"
            f"SignedHeaders={';'.join(signed)},Signature={signature}"
        )
    if authorization:
        headers["Authorization"] = authorization
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request(method, "/?" + urlencode(params), body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()
