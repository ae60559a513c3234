"""A fleet of WhatsApp Business numbers, registered from a data file (the GitOps shape).

The numbers live in numbers.yaml (or the file named by the `numbersFile` config key); their
one-time codes live in the stack config as secrets, keyed by phone number:

    pulumi config set --secret --path 'verifyCodes["8613800001234"]' 135791

A pull request that adds an entry and its code is the whole change; `pulumi up` registers what
is new and adopts numbers that are already registered without a code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi_cams import PhoneNumberProfile, PhoneNumberRegistration, PhoneNumberWebhook

_ENTRY_KEYS = {"space", "phone", "name", "deregisterOnDelete", "profile"}


def _digits(phone: object) -> str:
    """The lookup key for a number: its digits without a leading + or 00."""
    digits = re.sub(r"\D", "", str(phone))
    return digits[2:] if str(phone).strip().startswith("00") else digits


def _snake(field: str) -> str:
    """A profile field as numbers.yaml spells it (camelCase) -> the SDK's keyword."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field).lower()


def _load_fleet(path: Path) -> list[dict[str, Any]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = document.get("numbers") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path.name}: expected a top-level 'numbers:' list")
    for index, entry in enumerate(entries):
        where = f"{path.name}: numbers[{index}]"
        if not isinstance(entry, dict) or not {"space", "phone"} <= entry.keys():
            raise ValueError(f"{where}: each entry needs 'space' and 'phone'")
        unknown = sorted(set(entry) - _ENTRY_KEYS)
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_ENTRY_KEYS)}")
    return entries


config = pulumi.Config()
fleet_file = Path(__file__).resolve().parent / (config.get("numbersFile") or "numbers.yaml")
# One secret object for all codes: stays encrypted in Pulumi.<stack>.yaml and in state.
verify_codes = config.get_secret_object("verifyCodes") or pulumi.Output.secret({})
status_callback_url = config.get_secret("statusCallbackUrl")

registrations: dict[str, PhoneNumberRegistration] = {}
for entry in _load_fleet(fleet_file):
    key = _digits(entry["phone"])
    name = entry.get("name") or f"{entry['space']}-{key}"
    registrations[name] = PhoneNumberRegistration(
        name,
        cust_space_id=entry["space"],
        phone_number=str(entry["phone"]),
        # Looked up inside the secret, so the code stays secret; a number that is already
        # registered needs none (the provider adopts it).
        verify_code=verify_codes.apply(
            lambda codes, key=key: {_digits(k): str(v) for k, v in (codes or {}).items()}.get(key)
        ),
        deregister_on_delete=bool(entry.get("deregisterOnDelete", False)),
    )
    registration = registrations[name]
    # The entry's optional profile: only the fields it sets are managed (the provider checks
    # each at preview, one line per field).
    if entry.get("profile"):
        PhoneNumberProfile(
            f"{name}-profile",
            cust_space_id=registration.cust_space_id,
            phone_number=registration.phone_number,
            **{_snake(field): value for field, value in entry["profile"].items()},
        )
    # One webhook for the fleet, when the stack sets one (a secret: URLs carry tokens).
    if status_callback_url is not None:
        PhoneNumberWebhook(
            f"{name}-webhook",
            cust_space_id=registration.cust_space_id,
            phone_number=registration.phone_number,
            status_callback_url=status_callback_url,
            http_delivery=True,
        )

pulumi.export(
    "registrations",
    {
        name: {
            "id": registration.id,
            "status": registration.status,
            "adopted": registration.adopted,
        }
        for name, registration in registrations.items()
    },
)
