"""The Pulumi package schema of ``cams``, built from the descriptions (``resources``).

The schema is what every generated SDK and ``pulumi package add`` build from, and what the
native plugin serves (GetSchema). `make schema` writes it to schema.json
(``python -m pulumi_cams_provider.package_schema``); CI fails when the committed file differs.
The format is Pulumi's package schema (https://www.pulumi.com/docs/iac/guides/building-extending/packages/schema/).
Standard library only, like the description.
"""

from __future__ import annotations

import json
from typing import Any, Final

from .config import SETTINGS, Setting
from .description import Property, ResourceDescription
from .resource import FUNCTION_DESCRIPTION, FUNCTION_OUTPUTS, FUNCTION_TOKEN, PROPERTIES
from .resources import RESOURCES

__all__ = ["schema", "schema_text"]

_PROVIDER_DESCRIPTION: Final = (
    "The provider type for the cams package. Settings fall back to the `cams:` stack "
    "configuration and then to the environment variables listed on each input."
)
_PACKAGE_META: Final[dict[str, Any]] = {
    "name": "cams",
    "displayName": "Alibaba Cloud CAMS",
    "description": (
        "Registers WhatsApp Business phone numbers through Alibaba Cloud Chat App Message "
        "Service (CAMS)."
    ),
    "keywords": [
        "pulumi",
        "alibaba",
        "alicloud",
        "cams",
        "whatsapp",
        "category/cloud",
        "kind/native",
    ],
    "license": "Apache-2.0",
}
_LANGUAGE: Final[dict[str, Any]] = {
    "python": {
        "packageName": "pulumi_cams_native",
        "requires": {"pulumi": ">=3.0.0,<4.0.0"},
        "respectSchemaVersion": True,
        "pyproject": {"enabled": True},
    },
    "nodejs": {"packageName": "@pulumi-cams/cams", "respectSchemaVersion": True},
    "go": {"generateResourceContainerTypes": True, "respectSchemaVersion": True},
    "csharp": {
        "rootNamespace": "PulumiCams",
        "packageReferences": {"Pulumi": "3.*"},
        "respectSchemaVersion": True,
    },
    "java": {"basePackage": "com.pulumicams"},
}


def schema(version: str | None = None) -> dict[str, Any]:
    """The Pulumi package schema of ``cams``, with ``version`` when given."""
    variables = {s.key: _setting_spec(s) for s in SETTINGS}
    document: dict[str, Any] = dict(_PACKAGE_META)
    if version is not None:
        document["version"] = version
    document["config"] = {"variables": variables}
    document["provider"] = {
        "description": _PROVIDER_DESCRIPTION,
        "inputProperties": {k: dict(v) for k, v in variables.items()},
    }
    document["resources"] = {r.token: _resource_spec(r) for r in RESOURCES}
    document["functions"] = {FUNCTION_TOKEN: _function_spec()}
    document["language"] = _LANGUAGE
    return document


def _setting_spec(setting: Setting) -> dict[str, Any]:
    # No schema `default`: `pulumi do` and the generated SDKs would send it as if it were set,
    # ahead of the environment variables; the provider applies it after them.
    description = setting.description
    if setting.default is not None:
        description += f" Default: `{setting.default}`."
    spec: dict[str, Any] = {"type": setting.type, "description": description}
    if setting.secret:
        spec["secret"] = True
    spec["defaultInfo"] = {"environment": list(setting.environment)}
    return spec


def _property_spec(prop: Property, description: str, *, as_input: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": prop.type, "description": description}
    if prop.type == "array":
        spec["items"] = {"type": "string"}
    if as_input and prop.replaces:
        spec["replaceOnChanges"] = True
    if prop.secret and (as_input or prop.is_input):
        spec["secret"] = True
    if as_input and prop.default is not None:
        spec["default"] = prop.default
    return spec


def _resource_spec(resource: ResourceDescription) -> dict[str, Any]:
    properties = resource.properties
    return {
        "description": resource.description,
        "inputProperties": {
            p.wire: _property_spec(p, p.documented_input, as_input=True)
            for p in properties
            if p.is_input
        },
        "requiredInputs": [p.wire for p in properties if p.required_input],
        "properties": {
            p.wire: _property_spec(p, p.output_description, as_input=False)
            for p in properties
            if p.output_description is not None
        },
        "required": [p.wire for p in properties if p.required_output],
        # List (`pulumi do <token> list`) takes the space whose registrations to list.
        "listInputs": {
            "properties": {
                p.wire: _property_spec(p, p.output_description or "", as_input=False)
                for p in properties
                if p.wire == "custSpaceId"
            },
            "required": ["custSpaceId"],
        },
    }


def _function_spec() -> dict[str, Any]:
    return {
        "description": FUNCTION_DESCRIPTION,
        "inputs": {
            "properties": {
                p.wire: _property_spec(p, p.output_description or "", as_input=False)
                for p in PROPERTIES
                if p.required_input
            },
            "required": [p.wire for p in PROPERTIES if p.required_input],
        },
        "outputs": {
            "properties": {
                p.wire: _property_spec(p, p.output_description or "", as_input=False)
                for p in FUNCTION_OUTPUTS
            },
            "required": [p.wire for p in FUNCTION_OUTPUTS if p.required_output],
        },
    }


def schema_text(version: str | None = None) -> str:
    """The schema as schema.json holds it."""
    return json.dumps(schema(version), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # make schema
    print(schema_text(), end="")
