"""Seed validation: every mistake is refused with a message naming the entry and field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cams_emulator import DEMO_SEED_PATH, SeedError, load_seed
from cams_emulator.seed import parse_seed


def test_demo_seed_loads_with_its_documented_names() -> None:
    seed = parse_seed(load_seed(DEMO_SEED_PATH))
    assert [a.account_id for a in seed.accounts] == [
        "5012345678901234",
        "5098765432109876",
        "5055555555555555",
    ]
    assert [s.cust_space_id for s in seed.spaces] == [
        "cams-demo-space",
        "cams-second-space",
        "cams-other-tenant",
    ]
    assert seed.accounts[1].subscribed is False
    readonly = seed.accounts[0].access_keys[1]
    assert readonly.access_key_id == "LTAI5tReadOnlyKey"
    assert len(readonly.denied_actions) == 4


def test_empty_seed_is_an_empty_state() -> None:
    assert parse_seed(None) == parse_seed({})
    assert parse_seed({}).accounts == ()


def _demo() -> dict[str, Any]:
    return copy.deepcopy(load_seed(DEMO_SEED_PATH))


def _mutations() -> list[tuple[str, Any, str]]:
    def set_(path: list[Any], value: Any) -> Any:
        def apply(seed: dict[str, Any]) -> dict[str, Any]:
            target: Any = seed
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
            return seed

        return apply

    return [
        ("not an object", lambda s: [], "a seed must be a JSON object"),
        ("unknown top key", set_(["tenants"], []), "seed: unknown field 'tenants'"),
        ("accounts not a list", set_(["accounts"], {}), "seed.accounts: must be a JSON array"),
        (
            "missing accountId",
            lambda s: {**s, "accounts": [{"subscribed": True}]},
            "accounts[0].accountId: required",
        ),
        (
            "subscribed not a bool",
            set_(["accounts", 0, "subscribed"], "yes"),
            "accounts[0].subscribed: must be true or false",
        ),
        (
            "empty secret",
            set_(["accounts", 0, "accessKeys", 0, "accessKeySecret"], ""),
            "accounts[0].accessKeys[0].accessKeySecret: must be a non-empty string",
        ),
        (
            "unknown denied action",
            set_(["accounts", 0, "accessKeys", 1, "deniedActions"], ["SendChatappMessage"]),
            "accounts[0].accessKeys[1].deniedActions[0]: 'SendChatappMessage' is not one of",
        ),
        (
            "duplicate key id",
            set_(["accounts", 2, "accessKeys", 0, "accessKeyId"], "LTAI5tDemoAccessKey"),
            "accessKeys: duplicate accessKeyId 'LTAI5tDemoAccessKey'",
        ),
        (
            "space of an unknown account",
            set_(["spaces", 0, "accountId"], "42"),
            "spaces[0].accountId: no account '42' in accounts",
        ),
        (
            "duplicate space",
            set_(["spaces", 1, "custSpaceId"], "cams-demo-space"),
            "spaces: duplicate custSpaceId 'cams-demo-space'",
        ),
        (
            "number in an unknown space",
            set_(["phoneNumbers", 0, "custSpaceId"], "nowhere"),
            "phoneNumbers[0].custSpaceId: no space 'nowhere' in spaces",
        ),
        (
            "number with a plus",
            set_(["phoneNumbers", 0, "phoneNumber"], "+8613800001234"),
            "phoneNumbers[0].phoneNumber: '+8613800001234' must be 5 to 15 digits",
        ),
        (
            "code not digits",
            set_(["phoneNumbers", 0, "verifyCode"], "abc"),
            "phoneNumbers[0].verifyCode: must be digits",
        ),
        (
            "typo in a number field",
            set_(["phoneNumbers", 0, "verifyCodee"], "1"),
            "phoneNumbers[0]: unknown field 'verifyCodee'",
        ),
        (
            "duplicate number",
            set_(["phoneNumbers", 1, "phoneNumber"], "8613800001234"),
            "phoneNumbers: duplicate custSpaceId/phoneNumber 'cams-demo-space/8613800001234'",
        ),
    ]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [(m, e) for _, m, e in _mutations()],
    ids=[name for name, _, _ in _mutations()],
)
def test_invalid_seeds_are_refused(mutate: Any, message: str) -> None:
    with pytest.raises(SeedError) as exc:
        parse_seed(mutate(_demo()))
    assert str(exc.value).startswith(message)


def test_denied_actions_accept_the_ram_prefix() -> None:
    seed = _demo()
    seed["accounts"][0]["accessKeys"][0]["deniedActions"] = ["cams:QueryChatappPhoneNumbers"]
    parsed = parse_seed(seed)
    assert parsed.accounts[0].access_keys[0].denied_actions == {"QueryChatappPhoneNumbers"}


def test_load_seed_reports_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match=r"^cannot read seed .*missing\.json"):
        load_seed(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(SeedError, match=r"^seed .*broken\.json is not valid JSON"):
        load_seed(broken)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"spaces": [{"custSpaceId": "x"}]}), encoding="utf-8")
    with pytest.raises(SeedError, match=r"^spaces\[0\]\.accountId: required$"):
        load_seed(bad)
