"""check and diff for PhoneNumberRegistration: pure, offline, and light to import.

`RegistrationController.check` and `.diff` delegate here, and the dynamic provider calls these
functions directly, so that a preview, and the first Check a fresh provider process answers,
never load pydantic, the client or the Alibaba SDK.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Final

from ..resource import INPUT_PROPERTIES, OUTPUT_PROPERTIES, REPLACING_INPUTS
from .validation import (
    UNKNOWN,
    is_unknown,
    normalize_phone_number,
    shown,
    validate_cust_space_id,
    validate_verify_code,
)

__all__ = [
    "CheckOutcome",
    "DiffOutcome",
    "InputFailure",
    "check_identity",
    "check_inputs",
    "comparable",
    "diff_inputs",
    "unknown_properties",
]

_REPLACING: Final = REPLACING_INPUTS
_OUTPUT_ONLY: Final = tuple(name for name in OUTPUT_PROPERTIES if name not in INPUT_PROPERTIES)
_INPUT_HELP: Final = {
    "custSpaceId": "the CAMS space ID (CustSpaceId) the number belongs to, e.g. 'cams-demo-space'",
    "phoneNumber": "the number with its country code, e.g. '+86 138-0000-1234'",
}


@dataclass(frozen=True)
class InputFailure:
    """One invalid property and what to change; each adapter turns it into its SDK's
    ``CheckFailure``."""

    property: str
    reason: str


@dataclass(frozen=True)
class CheckOutcome:
    """Normalised inputs (unknowns kept as `UNKNOWN`) and the failures found."""

    inputs: dict[str, Any]
    failures: list[InputFailure] = field(default_factory=list)
    secret: frozenset[str] = frozenset({"verifyCode"})
    """The inputs the engine keeps secret (the verify code, callback URLs)."""

    def __repr__(self) -> str:
        # The inputs hold secrets in the clear: inputs the engine keeps secret.
        inputs = {k: "***" if k in self.secret else v for k, v in self.inputs.items()}
        return f"CheckOutcome(inputs={inputs!r}, failures={self.failures!r})"


@dataclass(frozen=True)
class DiffOutcome:
    """What an update would do: `changed` lists every differing input, the rest follows."""

    changed: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        """True when any input differs."""
        return bool(self.changed)

    @property
    def replaces(self) -> list[str]:
        """The changed inputs that force a replacement."""
        return [name for name in self.changed if name in _REPLACING]

    @property
    def delete_before_replace(self) -> bool:
        """True when only the space changes: one number cannot be registered in two spaces."""
        replaces = self.replaces
        return "custSpaceId" in replaces and "phoneNumber" not in replaces


def check_inputs(news: dict[str, Any], olds: dict[str, Any] | None = None) -> CheckOutcome:
    """Normalise and validate the inputs against the prior ones (`olds`, empty on create);
    never touches the network."""
    failures = unknown_properties(news, INPUT_PROPERTIES, _OUTPUT_ONLY)
    inputs = check_identity(news, failures)

    code = news.get("verifyCode")
    if is_unknown(code):
        inputs["verifyCode"] = UNKNOWN
    else:
        try:
            checked = validate_verify_code(code)
        except ValueError as err:
            failures.append(InputFailure("verifyCode", f"verifyCode {err}"))
            inputs["verifyCode"] = code
        else:
            if checked is not None:  # an empty code is no code, and is left out
                inputs["verifyCode"] = checked

    deregister = news.get("deregisterOnDelete")
    if deregister is None:
        inputs["deregisterOnDelete"] = False
    elif is_unknown(deregister) or isinstance(deregister, bool):
        inputs["deregisterOnDelete"] = deregister
    else:
        failures.append(
            InputFailure(
                "deregisterOnDelete",
                f"deregisterOnDelete must be true or false, not {shown(deregister)}",
            )
        )
        inputs["deregisterOnDelete"] = deregister
    # The move rule reads the identity; on a value that already failed it would only repeat
    # that failure, quoting the bad value again.
    if not any(f.property in ("custSpaceId", "phoneNumber") for f in failures):
        move = _stuck_move(olds or {}, inputs)
        if move is not None:
            failures.append(move)
    return CheckOutcome(inputs=inputs, failures=failures)


def check_identity(news: dict[str, Any], failures: list[InputFailure]) -> dict[str, Any]:
    """``custSpaceId`` and ``phoneNumber`` normalised (every resource is about one number of
    one space); a failure for each that is missing or invalid is added to ``failures``."""
    inputs: dict[str, Any] = {}
    for name in ("custSpaceId", "phoneNumber"):
        value = news.get(name)
        if value is None:
            failures.append(InputFailure(name, f"{name} is required: {_INPUT_HELP[name]}"))
        elif is_unknown(value):
            inputs[name] = UNKNOWN
        else:
            validate = validate_cust_space_id if name == "custSpaceId" else normalize_phone_number
            try:
                inputs[name] = validate(value)
            except ValueError as err:
                failures.append(InputFailure(name, f"{name} {err}"))
                inputs[name] = value
    return inputs


def unknown_properties(
    news: dict[str, Any], inputs: tuple[str, ...], output_only: tuple[str, ...]
) -> list[InputFailure]:
    """A failure for each property that is not an input: an output, or a misspelling."""
    failures: list[InputFailure] = []
    for name, value in news.items():
        if name.startswith("__") or name in inputs:
            continue
        if name in output_only:
            if value is not None:
                failures.append(
                    InputFailure(name, f"{name} is an output reported by CAMS; remove it")
                )
            continue
        failures.append(InputFailure(name, _unknown_property_reason(name, inputs)))
    return failures


def _stuck_move(olds: dict[str, Any], inputs: dict[str, Any]) -> InputFailure | None:
    """Refuse moving a number to another space while the old registration would stay.

    A new custSpaceId replaces the resource, deleting the old one first. Unless the old one
    deregisters on delete, the number stays registered in the old space, CAMS refuses it in the
    new one (InvalidOperation.PhoneNumberInUse) on every run, and the old state is gone. The
    delete uses the *stored* deregisterOnDelete, so setting it in the same change is too late.
    """
    old_space, new_space = olds.get("custSpaceId"), inputs.get("custSpaceId")
    if not isinstance(old_space, str) or not isinstance(new_space, str) or old_space == new_space:
        return None
    if comparable("phoneNumber", olds.get("phoneNumber")) != inputs.get("phoneNumber"):
        return None
    if olds.get("deregisterOnDelete") is True:
        return None
    return InputFailure(
        "custSpaceId",
        f"custSpaceId cannot change from {shown(old_space)} to {shown(new_space)} while "
        "deregisterOnDelete is false: the number would stay registered in the old space and "
        "CAMS would refuse it in the new one. To move it, first set deregisterOnDelete: true "
        f"and run `pulumi up`; then change custSpaceId, request a code for the new space "
        f"(`pulumi-cams request-code --space {new_space} --phone {inputs.get('phoneNumber')}`) "
        "and set verifyCode to it. To keep it where it is, put custSpaceId back.",
    )


def diff_inputs(olds: dict[str, Any], news: dict[str, Any]) -> DiffOutcome:
    """Compare the prior state with checked inputs; `verifyCode` never counts."""
    changed: list[str] = []
    for name in ("custSpaceId", "phoneNumber"):
        new = news.get(name)
        if is_unknown(new) or comparable(name, olds.get(name)) != comparable(name, new):
            changed.append(name)
    new_deregister = news.get("deregisterOnDelete")
    if is_unknown(new_deregister) or bool(olds.get("deregisterOnDelete")) != bool(new_deregister):
        changed.append("deregisterOnDelete")
    return DiffOutcome(changed=changed)


def comparable(name: str, value: object) -> object:
    if name == "phoneNumber" and value is not None:
        try:
            return normalize_phone_number(value)
        except ValueError:
            return value
    return value


def _unknown_property_reason(name: str, inputs: tuple[str, ...]) -> str:
    folded = {valid.lower(): valid for valid in inputs}
    guess = folded.get(name.replace("_", "").lower())
    if guess is None and len(name) <= 64:  # a longer name is no typo, and costly to compare
        matches = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.6)
        guess = folded[matches[0]] if matches else None
    if guess is not None:
        return f"unknown property {shown(name)}; did you mean {guess!r}?"
    return f"unknown property {shown(name)}; valid properties are {', '.join(inputs)}"
