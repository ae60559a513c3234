"""The CAMS envelopes the emulator answers with: ``RequestId``, ``Code``, ``Message`` and, by
action, ``Success``, ``Data`` or ``PhoneNumbers`` [API]; a gateway's error body for what the
OpenAPI gateway refuses before CAMS sees it."""

from __future__ import annotations

import uuid
from typing import Any

from . import errors
from .actions import ActionSpec
from .model import PhoneNumber
from .number_config import listed_webhook

__all__ = ["error_body", "gateway_body", "new_request_id", "ok_body"]


def new_request_id() -> str:
    """RequestIds look like CAMS's: an upper-case UUID."""
    return str(uuid.uuid4()).upper()


def ok_body(spec: ActionSpec, request_id: str, result: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "RequestId": request_id,
        "Code": "OK",
        "Message": spec.ok_message,
        "AccessDeniedDetail": "None",
    }
    if spec.has_success:
        body["Success"] = True
    if isinstance(result, PhoneNumber):
        body["Data"] = {
            "PhoneNumber": result.phone_number,
            "Id": result.number_id,
            "CodeVerificationStatus": result.code_verification_status,
        }
    elif isinstance(result, list):
        body["PhoneNumbers"] = [_phone_number_item(n) for n in result]
    elif isinstance(result, dict):
        body.update(result)
    return body


def _phone_number_item(number: PhoneNumber) -> dict[str, str]:
    return {
        "PhoneNumber": number.phone_number,
        "VerifiedName": number.verified_name,
        "Status": number.status,
        "CodeVerificationStatus": number.code_verification_status,
        "QualityRating": number.quality_rating,
        "MessagingLimitTier": number.messaging_limit_tier,
        "NameStatus": number.name_status,
        "NewNameStatus": number.new_name_status,
        "IsOfficial": "N",
        **listed_webhook(number),
    }


def error_body(
    err: errors.CamsError, spec: ActionSpec | None, request_id: str
) -> tuple[int, dict[str, Any]]:
    if err.http_status >= 400 or spec is None:
        return err.http_status, gateway_body(err, request_id)
    body: dict[str, Any] = {
        "RequestId": request_id,
        "Code": err.code,
        "Message": err.message,
        "AccessDeniedDetail": "None",
    }
    if spec.has_success:
        body["Success"] = False
    return 200, body


def gateway_body(err: errors.CamsError, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "RequestId": request_id,
        "HostId": errors.HOST_ID,
        "Code": err.code,
        "Message": err.message,
        "Recommend": (
            "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US"
            f"&q={err.code}&product=cams&requestId={request_id}"
        ),
    }
    if err.access_denied_detail is not None:
        body["AccessDeniedDetail"] = err.access_denied_detail
    return body
