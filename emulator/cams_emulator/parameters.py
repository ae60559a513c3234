"""A request's parameters: the query string and a form body merged, then one action's
arguments by name (a list parameter in either of the forms clients send)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from . import errors
from .actions import ActionSpec

__all__ = ["action_arguments", "first_header", "request_parameters", "snake_case"]


def snake_case(name: str) -> str:
    """``ChatappVerifyAndRegister`` -> ``chatapp_verify_and_register``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def first_header(headers: Mapping[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0].strip() if values else None


def request_parameters(
    raw_query: str, body: bytes, headers: Mapping[str, list[str]]
) -> dict[str, str]:
    """Query-string parameters merged with a form body's ([API]: both locations are documented)."""
    params = dict(parse_qsl(raw_query, keep_blank_values=True))
    content_type = (first_header(headers, "content-type") or "").lower()
    if content_type.startswith("application/x-www-form-urlencoded") and body:
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return params


def action_arguments(spec: ActionSpec, params: Mapping[str, str]) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    for name in spec.required:
        if not params.get(name):
            raise errors.missing_parameter(name)
        arguments[snake_case(name)] = params[name]
    for name in spec.optional:
        if name in spec.lists:
            items = _list_parameter(name, params)
            if items is not None:
                arguments[snake_case(name)] = items
        elif params.get(name):
            arguments[snake_case(name)] = params[name]
    return arguments


def _list_parameter(name: str, params: Mapping[str, str]) -> list[str] | None:
    """A list as the official SDK sends it (one JSON string) or flattened (``Name.1``)."""
    if params.get(name):
        try:
            items = json.loads(params[name])
        except ValueError:
            raise errors.invalid_parameter(name) from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise errors.invalid_parameter(name)
        return items
    flat = {k[len(name) + 1 :]: v for k, v in params.items() if k.startswith(f"{name}.")}
    if not flat:
        return None
    if not all(key.isdigit() for key in flat):
        raise errors.invalid_parameter(name)
    return [flat[key] for key in sorted(flat, key=int)]
