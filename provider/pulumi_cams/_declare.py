"""How the Python SDK declares a resource about a number's configuration (the classes in
`_configuration`, which `make schema` writes from the descriptions): one function, so the
classes only name their arguments."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi.dynamic
from pulumi_cams_provider.description import ResourceDescription
from pulumi_cams_provider.dynamic import DynamicResourceProvider, refuse_settings_in_clear

__all__ = ["declare", "names"]


def names(resource: ResourceDescription) -> tuple[dict[str, str], dict[str, str]]:
    """Python attribute -> wire name, and back, for ``translate_*_property``."""
    to_wire = {p.python: p.wire for p in resource.properties}
    return to_wire, {wire: python for python, wire in to_wire.items()}


def declare(
    declared: pulumi.dynamic.Resource,
    resource: ResourceDescription,
    provider: DynamicResourceProvider,
    resource_name: str,
    args: object,
    opts: pulumi.ResourceOptions | None,
    keywords: dict[str, Any],
) -> None:
    """Register ``declared`` with the engine: ``args`` (an ``<Name>Args``) or the keywords,
    never both; a missing required argument refused in a sentence that says how to pass it;
    secret inputs sent and kept as secrets; the outputs seeded as None so Pulumi resolves them
    (pulumi#6678)."""
    refuse_settings_in_clear()
    name = resource.name
    if isinstance(args, pulumi.ResourceOptions):  # the generated-SDK form Resource(name, opts)
        if opts is not None:
            raise TypeError(f"{name}() got ResourceOptions twice: pass opts once")
        args, opts = None, args
    given = [python for python, value in keywords.items() if value is not None]
    if args is not None:
        if type(args).__name__ != f"{name}Args":
            raise TypeError(f"{name}() args must be a {name}Args, not {type(args).__name__}")
        if given:
            raise TypeError(
                f"{name}() takes either args={name}Args(...) or keyword arguments, not both "
                f"(got args and {', '.join(given)})"
            )
        keywords = {python: getattr(args, python) for python in keywords}
    props: dict[str, Any] = {}
    for prop in resource.properties:
        value = keywords.get(prop.python)
        if prop.required_input and value is None:
            raise TypeError(
                f"{name}() missing required argument {prop.python!r}: pass it as a keyword or "
                f"in {name}Args"
            )
        if prop.is_input:
            props[prop.python] = pulumi.Output.secret(value) if prop.secret and value else value
        else:
            props[prop.python] = None
    secrets = [p.wire for p in resource.properties if p.secret]
    opts = pulumi.ResourceOptions.merge(
        pulumi.ResourceOptions(additional_secret_outputs=secrets), opts
    )
    pulumi.dynamic.Resource.__init__(declared, provider, resource_name, props, opts)
