"""What the ``pulumi-cams`` commands take: a space, a number, and the settings to reach CAMS."""

from __future__ import annotations

import os
from typing import Any

import click

from ..cams.client import CamsClient
from ..cams.errors import SettingsError, one_line
from ..cams.settings import ProviderSettings
from ..config import Setting, setting
from ..controller.registration import RegistrationController
from ..controller.session import CamsSession
from ..controller.validation import normalize_phone_number, validate_cust_space_id

__all__ = [
    "PhoneNumberType",
    "SpaceIdType",
    "client",
    "connection_options",
    "controller",
    "phone_option",
    "space_option",
]


def _fallback(item: Setting) -> str:
    """Where a setting comes from when its flag is absent, as the flag's help says it."""
    text = "else " + " / ".join(item.environment)
    return text + (f", default {item.default}" if item.default is not None else "")


class PhoneNumberType(click.ParamType[str]):
    """A phone number normalised exactly as the provider stores it (digits with country code)."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return normalize_phone_number(value)
        except ValueError as err:
            self.fail(one_line(str(err)), param, ctx)


class SpaceIdType(click.ParamType[str]):
    """A CAMS space ID (``CustSpaceId``), stripped, under the provider's rules."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not text:
            self.fail("the space ID (CustSpaceId) must not be empty", param, ctx)
        try:
            return validate_cust_space_id(text)
        except ValueError as err:
            self.fail(f"the space ID (CustSpaceId) {one_line(str(err))}", param, ctx)


space_option = click.option(
    "--space",
    "cust_space_id",
    required=True,
    type=SpaceIdType(),
    help="CAMS space ID (CustSpaceId) the number belongs to.",
)
phone_option = click.option(
    "--phone",
    "phone_number",
    required=True,
    type=PhoneNumberType(),
    help="Phone number with country code, e.g. +86 138-0000-1234.",
)


def connection_options(func: Any) -> Any:
    """The settings flags shared by the commands that call CAMS; they win over the environment."""
    func = click.option(
        "--profile",
        default=None,
        help=f"Alibaba Cloud credentials profile ({_fallback(setting('profile'))}).",
    )(func)
    func = click.option(
        "--region",
        default=None,
        help=f"Region ({_fallback(setting('region'))}).",
    )(func)
    func = click.option(
        "--endpoint",
        default=None,
        help="CAMS endpoint, e.g. http://127.0.0.1:8080 for the emulator "
        f"({_fallback(setting('endpoint'))}).",
    )(func)
    return func


def controller(
    endpoint: str | None,
    region: str | None,
    profile: str | None,
    stack_config: dict[str, str] | None = None,
) -> RegistrationController:
    """The controller the provider would run, on the settings of the flags, then
    ``stack_config`` (``cams:`` keys), then the environment. Each command's first read of a
    space lists it afresh (a command reads what CAMS holds now); the views that follow within
    the command (a number's webhook after its registration, the webhooks drift checks) share
    that listing."""
    cams = client(endpoint, region, profile, stack_config)
    return RegistrationController(CamsSession(cams.settings, cams))


def client(
    endpoint: str | None,
    region: str | None,
    profile: str | None,
    stack_config: dict[str, str] | None = None,
) -> CamsClient:
    flags = {"cams:endpoint": endpoint, "cams:region": region, "cams:profile": profile}
    config = {
        **(stack_config or {}),
        **{key: value for key, value in flags.items() if value is not None},
    }
    try:
        settings = ProviderSettings.from_config(config, os.environ)
    except SettingsError as err:
        if err.key not in flags or flags[err.key] is None:
            raise
        # The settings' own advice names stack config; on the command line the flag is at fault.
        flag = "--" + err.key.removeprefix("cams:")
        raise click.BadParameter(
            f"{err.message} (got {config[err.key]!r})", param_hint=f"'{flag}'"
        ) from None
    return CamsClient(settings)
