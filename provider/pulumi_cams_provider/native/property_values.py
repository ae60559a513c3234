"""Pulumi's ``PropertyValue`` maps (the native plugin's wire values) to and from the plain values
the controller takes.

Secrets are unwrapped on the way in and restored on the way out; an unknown travels as the
string ``rpc.UNKNOWN`` on the wire (``PropertyValue.computed()`` cannot be marshalled by
pulumi 3.272's experimental server) and as ``validation.UNKNOWN`` in the controller. With
``accept_secrets`` the engine no longer re-marks outputs whose input was secret, so
:func:`to_outputs` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.runtime import rpc

from ..controller import validation
from ..resource import SECRET_INPUTS

__all__ = ["to_outputs", "secret_keys", "to_dict", "to_property", "to_python"]


def to_python(value: PropertyValue) -> Any:
    """A ``PropertyValue`` as a plain value for the controller: secrets unwrapped, unknowns as
    ``validation.UNKNOWN``. Numbers stay floats, as the engine sent them."""
    inner = value.value
    if isinstance(inner, Computed) or inner == rpc.UNKNOWN:
        return validation.UNKNOWN
    if isinstance(inner, Mapping):
        return {k: to_python(v) for k, v in inner.items()}
    if isinstance(inner, Sequence) and not isinstance(inner, str):
        return [to_python(v) for v in inner]
    return inner


def to_dict(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {k: to_python(v) for k, v in values.items()}


def to_property(value: Any, secret: bool = False) -> PropertyValue:
    """A plain controller value as a ``PropertyValue``; `UNKNOWN` as the wire's unknown."""
    if validation.is_unknown(value):
        return PropertyValue(rpc.UNKNOWN, is_secret=secret)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = float(value)
    elif isinstance(value, Mapping):
        value = {k: to_property(v) for k, v in value.items()}
    elif isinstance(value, list | tuple):
        value = [to_property(v) for v in value]
    return PropertyValue(value, is_secret=secret)


def secret_keys(values: Mapping[str, PropertyValue]) -> set[str]:
    return {k for k, v in values.items() if v.contains_secret()}


def to_outputs(outputs: Mapping[str, Any], secret: set[str]) -> dict[str, PropertyValue]:
    """Outputs with secrecy restored: an output echoing a secret input stays secret."""
    return {
        k: to_property(v, k in secret)
        for k, v in outputs.items()
        if k not in SECRET_INPUTS  # the controller never returns the code; never let it out
    }
