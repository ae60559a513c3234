"""check and diff for the resources about a number's configuration (PhoneNumberProfile,
PhoneNumberWebhook): pure, offline, standard library only, like `checks`.

Every rule comes from the resource's description: each input's type and `Limits`. A property
left unset is not managed: it is neither validated, sent nor compared. A refusal names the
property and what a valid value is, in one line, and never quotes a secret input's value.
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import urlsplit

from ..description import Property, ResourceDescription
from .checks import (
    CheckOutcome,
    DiffOutcome,
    InputFailure,
    check_identity,
    comparable,
    unknown_properties,
)
from .validation import UNKNOWN, is_unknown, shown

__all__ = ["check_configuration", "diff_configuration", "managed"]

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_IDENTITY: Final = ("custSpaceId", "phoneNumber")


def managed(resource: ResourceDescription) -> tuple[Property, ...]:
    """The inputs beyond the number's identity: what the resource sets in CAMS."""
    return tuple(p for p in resource.properties if p.is_input and p.wire not in _IDENTITY)


def check_configuration(
    resource: ResourceDescription, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> CheckOutcome:
    """Normalise and validate the inputs; never touches the network."""
    output_only = tuple(name for name in resource.outputs if name not in resource.inputs)
    failures = unknown_properties(news, resource.inputs, output_only)
    inputs = check_identity(news, failures)
    for prop in managed(resource):
        value = news.get(prop.wire)
        if value is None:
            continue
        if is_unknown(value):
            inputs[prop.wire] = UNKNOWN
            continue
        problem = _problem(prop, value)
        if problem is not None:
            failures.append(InputFailure(prop.wire, problem))
        inputs[prop.wire] = list(value) if isinstance(value, list | tuple) else value
    return CheckOutcome(inputs=inputs, failures=failures, secret=resource.secret_inputs)


def diff_configuration(
    resource: ResourceDescription, olds: dict[str, Any], news: dict[str, Any]
) -> DiffOutcome:
    """The inputs that differ from the state: a new identity replaces, a managed field
    updates (one set no more is dropped from management, with no call to CAMS)."""
    changed = [
        name
        for name in _IDENTITY
        if is_unknown(news.get(name))
        or comparable(name, olds.get(name)) != comparable(name, news.get(name))
    ]
    for prop in managed(resource):
        new, old = news.get(prop.wire), olds.get(prop.wire)
        if is_unknown(new) or (new is not None or old is not None) and new != old:
            changed.append(prop.wire)
    return DiffOutcome(changed=changed)


def _problem(prop: Property, value: Any) -> str | None:
    """What is wrong with ``value`` for ``prop``, as the sentence the user reads; None when
    it is valid."""
    limits = prop.limits
    must = f"; it must be {limits.sentence()}" if limits else ""
    quoted = "the value" if prop.secret else shown(value)
    if prop.type == "boolean":
        return (
            None if isinstance(value, bool) else f"{prop.wire} must be true or false, not {quoted}"
        )
    if prop.type == "array":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return f"{prop.wire} must be a list of strings, not {quoted}{must}"
        if limits and limits.max_items is not None and len(value) > limits.max_items:
            return f"{prop.wire} has {len(value)} items{must}"
        for item in value:
            wrong = _text_problem(prop, item)
            if wrong:
                return f"{prop.wire} item {shown(item)} {wrong}{must}"
        return None
    if not isinstance(value, str):
        return f"{prop.wire} must be a string, not {quoted}{must}"
    wrong = _text_problem(prop, value)
    return f"{prop.wire} {wrong}{must}" if wrong else None


def _text_problem(prop: Property, text: str) -> str | None:
    if not text:
        return "is empty (CAMS keeps a field sent empty as it was: leave the property unset)"
    limits = prop.limits
    if limits is None:
        return None
    if limits.min_length is not None and len(text) < limits.min_length:
        return f"has {len(text)} characters"
    if limits.max_length is not None and len(text) > limits.max_length:
        return f"has {len(text)} characters"
    if limits.choices and text not in limits.choices:
        return f"is {shown(text)}"
    if limits.form == "email" and not _EMAIL.fullmatch(text):
        return f"is {shown(text)}, which is not an email address"
    if limits.form == "url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return "is not an absolute http(s) URL"
    return None
