"""The demo seed's spaces, numbers, codes and keys, read from the seed file the emulator starts
with (``cams_emulator/seeds/demo.json``), so that no test retypes them."""

from __future__ import annotations

import copy
from typing import Any

from cams_emulator import DEMO_SEED_PATH, load_seed

_SEED = load_seed(DEMO_SEED_PATH)


def _only(items: list[dict[str, Any]], what: str) -> dict[str, Any]:
    if len(items) != 1:
        raise LookupError(f"the demo seed should hold exactly one {what}, it holds {len(items)}")
    return items[0]


def _account(*, subscribed: bool, has_space: str | None = None) -> dict[str, Any]:
    owners = {s["accountId"] for s in _SEED["spaces"] if s["custSpaceId"] == has_space}
    return _only(
        [
            a
            for a in _SEED["accounts"]
            if a["subscribed"] == subscribed and (has_space is None or a["accountId"] in owners)
        ],
        f"{'subscribed' if subscribed else 'unsubscribed'} account",
    )


def _key(account: dict[str, Any], *, read_only: bool) -> tuple[str, str]:
    key = _only(
        [k for k in account["accessKeys"] if bool(k.get("deniedActions")) == read_only],
        f"{'read-only' if read_only else 'full'} key of account {account['accountId']}",
    )
    return key["accessKeyId"], key["accessKeySecret"]


def _number(space: str, status: str, *, with_code: bool) -> dict[str, Any]:
    return _only(
        [
            n
            for n in _SEED["phoneNumbers"]
            if n["custSpaceId"] == space
            and n["status"] == status
            and ("verifyCode" in n) == with_code
        ],
        f"{status} number {'with' if with_code else 'without'} a code in {space}",
    )


SPACE, SECOND_SPACE, OTHER_TENANT_SPACE = (s["custSpaceId"] for s in _SEED["spaces"])
"""The demo account's two spaces, and a space of another account."""

_DEMO_ACCOUNT = _account(subscribed=True, has_space=SPACE)
ACCOUNT_ID: str = _DEMO_ACCOUNT["accountId"]
DEMO_KEY = _key(_DEMO_ACCOUNT, read_only=False)
"""(AccessKey ID, secret) allowed every action."""
READ_ONLY_KEY = _key(_DEMO_ACCOUNT, read_only=True)
"""(AccessKey ID, secret) denied the write actions by its RAM policy."""
UNSUBSCRIBED_KEY = _key(_account(subscribed=False), read_only=False)
OTHER_TENANT_KEY = _key(_account(subscribed=True, has_space=OTHER_TENANT_SPACE), read_only=False)

_PENDING = _number(SPACE, "PENDING", with_code=True)
PENDING: str = _PENDING["phoneNumber"]
"""PENDING in SPACE with a code issued; also PENDING in SECOND_SPACE with its own code."""
CODE: str = _PENDING["verifyCode"]
SECOND_SPACE_CODE: str = _number(SECOND_SPACE, "PENDING", with_code=True)["verifyCode"]
CONNECTED: str = _number(SPACE, "CONNECTED", with_code=False)["phoneNumber"]
NO_CODE: str = _number(SPACE, "PENDING", with_code=False)["phoneNumber"]
"""PENDING in SPACE, no code issued."""
CONNECTED_LOOKUP: dict[str, object] = {
    "custSpaceId": SPACE,
    "phoneNumber": CONNECTED,
    "status": "CONNECTED",
    "codeVerificationStatus": "VERIFIED",
    "verifiedName": _number(SPACE, "CONNECTED", with_code=False)["verifiedName"],
    "qualityRating": "UNKNOWN",
    "messagingLimitTier": "TIER_250",
    "nameStatus": "Approval",
    "registered": True,
    "codeNeeded": False,
    "canSendMessage": None,
    "sendingAdvice": None,
}
"""What `pulumi-cams status --space --json` reports for CONNECTED (the emulator fills in the
rating, tier and name status the seed leaves out); getPhoneNumber also reads its health
(`canSendMessage` AVAILABLE)."""

KEYS = {
    "demo": DEMO_KEY,
    "readonly": READ_ONLY_KEY,
    "unsubscribed": UNSUBSCRIBED_KEY,
    "other": OTHER_TENANT_KEY,
}
"""The seed's keys by the short names tests use."""


def with_new_numbers(count: int, space: str = SPACE) -> tuple[dict[str, Any], dict[str, str]]:
    """The demo seed plus ``count`` PENDING numbers in ``space`` (a new space of the demo
    account, when the seed has none of that name), each with a code issued: (the seed,
    {number: its code}). The numbers are 49300000<nnn>, outside the demo seed's."""
    codes = {f"49300000{index:03d}": f"{700000 + index}" for index in range(count)}
    seed = copy.deepcopy(_SEED)
    if all(s["custSpaceId"] != space for s in seed["spaces"]):  # a space of the demo account
        seed["spaces"].append({"custSpaceId": space, "accountId": _DEMO_ACCOUNT["accountId"]})
    seed["phoneNumbers"] += [
        {
            "custSpaceId": space,
            "phoneNumber": phone,
            "status": "PENDING",
            "codeVerificationStatus": "NOT_VERIFIED",
            "verifiedName": "Fleet Shop",
            "verifyCode": code,
        }
        for phone, code in codes.items()
    ]
    return seed, codes
