"""The emulator's error catalogue: every code, message and HTTP status it can answer.

Sources, in brackets: the public documentation listed at the top of COVERAGE.md.
Errors with an HTTP status of 400 or more are answered in the gateway's body shape (RequestId,
HostId, Code, Message, Recommend, [errors]); errors with status 200 are business failures answered
in the action's own envelope with ``Success: false`` ([V3]).
"""

from __future__ import annotations

from typing import Any

HOST_ID = "cams.ap-southeast-1.aliyuncs.com"


class CamsError(Exception):
    """One failure the emulator answers; dispatch turns it into a response."""

    def __init__(
        self,
        http_status: int,
        code: str,
        message: str,
        access_denied_detail: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{http_status} {code}: {message}")
        self.http_status = http_status
        self.code = code
        self.message = message
        self.access_denied_detail = access_denied_detail


# --- gateway (POP) errors, [errors] -------------------------------------------------------


def incomplete_signature() -> CamsError:
    return CamsError(
        400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."
    )


def signature_does_not_match(string_to_sign: str) -> CamsError:
    return CamsError(
        400,
        "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. "
        f"server string to sign is:{string_to_sign}",
    )


def access_key_not_found() -> CamsError:
    return CamsError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")


def timestamp_format() -> CamsError:
    return CamsError(
        400,
        "InvalidTimeStamp.Format",
        "Specified time stamp or date value is not well formatted.",
    )


def timestamp_expired() -> CamsError:
    return CamsError(
        400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."
    )


def nonce_used() -> CamsError:
    return CamsError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")


def invalid_action_or_version() -> CamsError:
    return CamsError(
        400, "InvalidParameter", 'The specified parameter "Action or Version" is not valid.'
    )


def api_not_found() -> CamsError:
    return CamsError(
        404,
        "InvalidApi.NotFound",
        "Specified api is not found,please check your url and method.",
    )


def missing_parameter(name: str) -> CamsError:
    return CamsError(
        400,
        "MissingParameter",
        f'The input parameter "{name}" that is mandatory for processing this request is not '
        "supplied.",
    )


def invalid_parameter(name: str) -> CamsError:
    return CamsError(400, "InvalidParameter", f'The specified parameter "{name}" is not valid.')


def internal_error() -> CamsError:
    return CamsError(
        500, "InternalError", "An unknown error occurred while processing your request."
    )


def service_unavailable() -> CamsError:
    return CamsError(503, "ServiceUnavailable", "The server is temporarily unavailable.")


# --- CAMS product errors documented on every operation page, [errors] -----------------------------


def product_unsubscript() -> CamsError:
    return CamsError(
        400, "Product.Unsubscript", "You have not subscribed to the specified product."
    )


def ram_permission_deny(action: str, account_id: str, access_key_id: str) -> CamsError:
    # Member names follow RAM's DecodeDiagnosticMessage ([errors]); PascalCase is inferred.
    detail = {
        "AuthAction": f"cams:{action}",
        "AuthPrincipalType": "SubUser",
        "AuthPrincipalOwnerId": account_id,
        "AuthPrincipalDisplayName": access_key_id,
        "NoPermissionType": "ImplicitDeny",
        "PolicyType": "AccountLevelIdentityBasedPolicy",
    }
    return CamsError(
        400,
        "Ram.PermissionDeny",
        "You are not authorized to perform the operation.",
        access_denied_detail=detail,
    )


def limit_control() -> CamsError:
    return CamsError(400, "System.LimitControl", "The system is under flow control.")


def unknown_resource_owner() -> CamsError:
    return CamsError(
        400, "Unknown.ResourceOwnerId", "The resource does not belong to the current user."
    )


# --- CAMS public error codes, [errors] ------------------------------------------------------------


def phone_not_bound() -> CamsError:
    return CamsError(400, "ERR-OPERATION-MAAP-0065", "The phoneCode is not bind to the subscriber.")


def phone_number_invalid() -> CamsError:
    return CamsError(200, "InvalidParameter.PhoneNumberError", "The phone number is invalid.")


# --- business failures the docs do not name (invented; see COVERAGE.md) -----------------------


def verify_code_error() -> CamsError:
    return CamsError(200, "InvalidParameter.VerifyCodeError", "The verification code is incorrect.")


def verify_code_expired() -> CamsError:
    return CamsError(
        200,
        "InvalidParameter.VerifyCodeExpired",
        "The verification code has expired. Request a new code with GetChatappVerifyCode.",
    )


def register_limit_exceeded() -> CamsError:
    return CamsError(
        200,
        "InvalidOperation.RegisterLimitExceeded",
        "The phone number reached the limit of 10 register or deregister requests in 72 hours "
        "(Meta error 133016). Try again later.",
    )


def phone_number_in_use() -> CamsError:
    return CamsError(
        200,
        "InvalidOperation.PhoneNumberInUse",
        "The phone number is already registered in another space.",
    )


def phone_number_not_verified() -> CamsError:
    return CamsError(
        200,
        "InvalidOperation.PhoneNumberNotVerified",
        "The phone number has not been verified. Submit a code with ChatappVerifyAndRegister.",
    )


def business_error(code: str, message: str) -> CamsError:
    """A fault-injected business failure: HTTP 200, the given code."""
    return CamsError(200, code, message)


def website_not_http() -> CamsError:
    """Seen in CAMS's error lists; that ModifyPhoneBusinessProfile raises it is inferred."""
    return CamsError(
        200, "ERR-OPERATION-MAAP-0085", "The website url must start with http or https"
    )
