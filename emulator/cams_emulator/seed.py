"""The seed format: the emulator's starting state, as JSON, validated with messages that say where.

```
{"accounts": [{"accountId", "subscribed", "accessKeys": [{"accessKeyId", "accessKeySecret",
                                                          "deniedActions": [...]}]}],
 "spaces": [{"custSpaceId", "accountId"}],
 "phoneNumbers": [{"custSpaceId", "phoneNumber", "status", "codeVerificationStatus",
                   "verifiedName", "verifyCode", "qualityRating", "messagingLimitTier",
                   "nameStatus", "newNameStatus", "profile": {"About", ...},
                   "webhook": {"StatusCallbackUrl", "UpCallbackUrl", "HttpFlag", "QueueFlag"}}]}
```
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actions import ACTIONS, PROFILE_FIELDS, WEBHOOK_FIELDS

DEMO_SEED_PATH = str(Path(__file__).with_name("seeds") / "demo.json")


class SeedError(ValueError):
    """A seed that cannot be loaded; the message names the offending entry and field."""


@dataclass(frozen=True)
class SeedAccessKey:
    access_key_id: str
    access_key_secret: str
    denied_actions: frozenset[str]


@dataclass(frozen=True)
class SeedAccount:
    account_id: str
    subscribed: bool
    access_keys: tuple[SeedAccessKey, ...]


@dataclass(frozen=True)
class SeedSpace:
    cust_space_id: str
    account_id: str


@dataclass(frozen=True)
class SeedPhoneNumber:
    cust_space_id: str
    phone_number: str
    status: str
    code_verification_status: str
    verified_name: str
    verify_code: str | None
    quality_rating: str
    messaging_limit_tier: str
    name_status: str
    new_name_status: str
    profile: Mapping[str, Any] = field(default_factory=dict)
    webhook: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seed:
    accounts: tuple[SeedAccount, ...]
    spaces: tuple[SeedSpace, ...]
    phone_numbers: tuple[SeedPhoneNumber, ...]


def load_seed(path: str | Path) -> dict[str, Any]:
    """Read and validate a seed file; return its JSON object."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"cannot read seed {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise SeedError(f"seed {path} is not valid JSON: {exc}") from None
    except UnicodeDecodeError:
        raise SeedError(f"seed {path} is not UTF-8 text") from None
    except RecursionError:
        raise SeedError(f"seed {path} is nested too deeply to be a seed") from None
    parse_seed(data)
    if not isinstance(data, dict):  # parse_seed already refused it; this narrows the type
        raise SeedError("a seed must be a JSON object")
    return data


def parse_seed(data: Any) -> Seed:
    """Validate a seed object and return it typed; raise SeedError naming the first problem."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SeedError("a seed must be a JSON object")
    _only(data, "seed", {"accounts", "spaces", "phoneNumbers"})
    accounts = tuple(
        _account(item, f"accounts[{i}]") for i, item in enumerate(_list(data, "accounts", "seed"))
    )
    _unique([a.account_id for a in accounts], "accounts", "accountId")
    _unique([k.access_key_id for a in accounts for k in a.access_keys], "accessKeys", "accessKeyId")
    account_ids = {a.account_id for a in accounts}
    spaces = tuple(
        _space(item, f"spaces[{i}]", account_ids)
        for i, item in enumerate(_list(data, "spaces", "seed"))
    )
    _unique([s.cust_space_id for s in spaces], "spaces", "custSpaceId")
    space_ids = {s.cust_space_id for s in spaces}
    numbers = tuple(
        _phone_number(item, f"phoneNumbers[{i}]", space_ids)
        for i, item in enumerate(_list(data, "phoneNumbers", "seed"))
    )
    _unique(
        [f"{n.cust_space_id}/{n.phone_number}" for n in numbers],
        "phoneNumbers",
        "custSpaceId/phoneNumber",
    )
    return Seed(accounts, spaces, numbers)


def _account(item: Any, where: str) -> SeedAccount:
    obj = _object(item, where)
    _only(obj, where, {"accountId", "subscribed", "accessKeys"})
    keys = tuple(
        _access_key(k, f"{where}.accessKeys[{i}]")
        for i, k in enumerate(_list(obj, "accessKeys", where))
    )
    return SeedAccount(_str(obj, "accountId", where), _bool(obj, "subscribed", where, True), keys)


def _access_key(item: Any, where: str) -> SeedAccessKey:
    obj = _object(item, where)
    _only(obj, where, {"accessKeyId", "accessKeySecret", "deniedActions"})
    denied = set()
    for i, action in enumerate(_list(obj, "deniedActions", where)):
        name = action.removeprefix("cams:") if isinstance(action, str) else action
        if name not in ACTIONS:
            raise SeedError(
                f"{where}.deniedActions[{i}]: {action!r} is not one of {', '.join(ACTIONS)}"
            )
        denied.add(name)
    return SeedAccessKey(
        _str(obj, "accessKeyId", where), _str(obj, "accessKeySecret", where), frozenset(denied)
    )


def _space(item: Any, where: str, account_ids: set[str]) -> SeedSpace:
    obj = _object(item, where)
    _only(obj, where, {"custSpaceId", "accountId"})
    account_id = _str(obj, "accountId", where)
    if account_id not in account_ids:
        raise SeedError(f"{where}.accountId: no account {account_id!r} in accounts")
    return SeedSpace(_str(obj, "custSpaceId", where), account_id)


_NUMBER_FIELDS = {
    "custSpaceId",
    "phoneNumber",
    "status",
    "codeVerificationStatus",
    "verifiedName",
    "verifyCode",
    "qualityRating",
    "messagingLimitTier",
    "nameStatus",
    "newNameStatus",
    "profile",
    "webhook",
}


def _phone_number(item: Any, where: str, space_ids: set[str]) -> SeedPhoneNumber:
    obj = _object(item, where)
    _only(obj, where, _NUMBER_FIELDS)
    space = _str(obj, "custSpaceId", where)
    if space not in space_ids:
        raise SeedError(f"{where}.custSpaceId: no space {space!r} in spaces")
    number = _str(obj, "phoneNumber", where)
    if not number.isdigit() or not 5 <= len(number) <= 15:
        raise SeedError(f"{where}.phoneNumber: {number!r} must be 5 to 15 digits with country code")
    code = _str(obj, "verifyCode", where, None)
    if code is not None and not code.isdigit():
        raise SeedError(f"{where}.verifyCode: must be digits")
    return SeedPhoneNumber(
        cust_space_id=space,
        phone_number=number,
        status=_str(obj, "status", where, "PENDING"),
        code_verification_status=_str(obj, "codeVerificationStatus", where, "NOT_VERIFIED"),
        verified_name=_str(obj, "verifiedName", where, ""),
        verify_code=code,
        quality_rating=_str(obj, "qualityRating", where, "UNKNOWN"),
        messaging_limit_tier=_str(obj, "messagingLimitTier", where, "TIER_250"),
        name_status=_str(obj, "nameStatus", where, "Approval"),
        new_name_status=_str(obj, "newNameStatus", where, "NONE"),
        profile=_fields(obj, "profile", where, PROFILE_FIELDS),
        webhook=_fields(obj, "webhook", where, WEBHOOK_FIELDS),
    )


def _fields(obj: Mapping[str, Any], key: str, where: str, names: tuple[str, ...]) -> dict[str, Any]:
    """A number's profile or webhook, by the wire names of the action that sets it."""
    value = _object(obj.get(key, {}), f"{where}.{key}")
    _only(value, f"{where}.{key}", set(names))
    for name, item in value.items():
        valid = isinstance(item, list) if name == "Websites" else isinstance(item, str)
        if not valid:
            kind = "a JSON array of strings" if name == "Websites" else "a string"
            raise SeedError(f"{where}.{key}.{name}: must be {kind}")
    return dict(value)


_REQUIRED = object()


def _object(item: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(item, dict):
        raise SeedError(f"{where}: must be a JSON object")
    return item


def _only(obj: Mapping[str, Any], where: str, allowed: set[str]) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        allowed_list = ", ".join(sorted(allowed))
        raise SeedError(f"{where}: unknown field {unknown[0]!r}; allowed fields are {allowed_list}")


def _list(obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise SeedError(f"{where}.{key}: must be a JSON array")
    return value


def _str(obj: Mapping[str, Any], key: str, where: str, default: Any = _REQUIRED) -> Any:
    if key not in obj or obj[key] is None:
        if default is _REQUIRED:
            raise SeedError(f"{where}.{key}: required")
        return default
    value = obj[key]
    if not isinstance(value, str) or not value:
        raise SeedError(f"{where}.{key}: must be a non-empty string")
    return value


def _bool(obj: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise SeedError(f"{where}.{key}: must be true or false")
    return value


def _unique(values: list[str], where: str, field: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise SeedError(f"{where}: duplicate {field} {value!r}")
        seen.add(value)
