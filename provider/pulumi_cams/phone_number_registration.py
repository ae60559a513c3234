"""`PhoneNumberRegistration`: a WhatsApp Business number registered through Alibaba Cloud CAMS."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pulumi
import pulumi.dynamic
from pulumi_cams_provider.dynamic import (
    PhoneNumberRegistrationProvider,
    refuse_settings_in_clear,
    stack_config,
)
from pulumi_cams_provider.resource import PROPERTIES

from ._outputs import PhoneNumberRegistrationOutputs

__all__ = ["PhoneNumberRegistration", "PhoneNumberRegistrationArgs"]

# Python attribute -> wire (state) name, and the outputs only CAMS sets (seeded as None so that
# the engine reports them), from the one description of the resource.
_SNAKE_TO_CAMEL: dict[str, str] = {p.python: p.wire for p in PROPERTIES}
_CAMEL_TO_SNAKE: dict[str, str] = {camel: snake for snake, camel in _SNAKE_TO_CAMEL.items()}
_OUTPUTS = tuple(p.python for p in PROPERTIES if p.is_output and not p.is_input)


_clear_code_warned = threading.Event()  # the warning below is given once per program run


def config_keys_holding(code: str, config: Mapping[str, Any]) -> list[str]:
    """The stack config keys whose value is ``code``, or an object or list holding it."""

    def leaves(value: Any) -> Iterator[Any]:
        if isinstance(value, dict):
            for item in value.values():
                yield from leaves(item)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    found = []
    for key, value in config.items():
        if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        if any(str(leaf) == code for leaf in leaves(value)):
            found.append(key)
    return sorted(found)


def _warn_if_in_clear_config(code: Any) -> Any:
    """Warn, once and without the value, when the code sits in the stack config unencrypted.

    The engine gives a dynamic provider the whole stack config and stores it in the state as
    the provider's inputs (`pulumi:providers:pulumi-python`): a key set without `--secret` is
    stored there in clear, whatever this resource does with the code. Only the program can
    tell which keys are secret, so the check is made here."""
    if not isinstance(code, str) or not code.strip() or _clear_code_warned.is_set():
        return code
    config = stack_config()
    clear = [k for k in config_keys_holding(code, config) if not pulumi.runtime.is_config_secret(k)]
    if clear:
        _clear_code_warned.set()
        project = f"{pulumi.get_project()}:"
        keys = ", ".join(k.removeprefix(project) for k in clear)
        pulumi.log.warn(
            f"stack config {keys} holds a verify code in clear, and Pulumi stores the whole "
            "stack config in the state with the dynamic provider: set it again as a secret "
            "(`pulumi config set --secret <key> <code>`, with `--path` for a value inside an "
            "object), or remove it once the number is registered"
        )
    return code


@pulumi.input_type
class PhoneNumberRegistrationArgs:
    """The arguments for constructing a `PhoneNumberRegistration`."""

    def __init__(
        __self__,
        *,
        cust_space_id: pulumi.Input[str],
        phone_number: pulumi.Input[str | int],
        verify_code: pulumi.Input[str] | None = None,
        deregister_on_delete: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        :param cust_space_id: The CAMS space ID (``CustSpaceId``) whose WhatsApp Business
               Account holds the number, e.g. ``"cams-demo-space"``. Changing it replaces the
               registration (the old one is deleted first).
        :param phone_number: The number with its country code: ``"+86 138-0000-1234"``,
               ``"008613800001234"`` or ``8613800001234``. Stored as digits
               (``"8613800001234"``). Changing it replaces the registration.
        :param verify_code: The one-time code CAMS sent by SMS or voice
               (``pulumi-cams request-code``). Needed only to register a number that is not
               registered yet; always sent as a secret, never stored in outputs, and a change
               of code alone never causes an update.
        :param deregister_on_delete: Deregister the number when the resource is deleted.
               Default ``False``: deleting only forgets it, because Meta allows 10
               register/deregister calls per number per 72 hours.
        """
        pulumi.set(__self__, "cust_space_id", cust_space_id)
        pulumi.set(__self__, "phone_number", phone_number)
        if verify_code is not None:
            pulumi.set(__self__, "verify_code", verify_code)
        if deregister_on_delete is not None:
            pulumi.set(__self__, "deregister_on_delete", deregister_on_delete)

    @property
    @pulumi.getter(name="custSpaceId")
    def cust_space_id(self) -> pulumi.Input[str]:
        """The CAMS space ID the number belongs to."""
        return pulumi.get(self, "cust_space_id")  # type: ignore[no-any-return]

    @cust_space_id.setter
    def cust_space_id(self, value: pulumi.Input[str]) -> None:
        pulumi.set(self, "cust_space_id", value)

    @property
    @pulumi.getter(name="phoneNumber")
    def phone_number(self) -> pulumi.Input[str | int]:
        """The number with its country code."""
        return pulumi.get(self, "phone_number")  # type: ignore[no-any-return]

    @phone_number.setter
    def phone_number(self, value: pulumi.Input[str | int]) -> None:
        pulumi.set(self, "phone_number", value)

    @property
    @pulumi.getter(name="verifyCode")
    def verify_code(self) -> pulumi.Input[str] | None:
        """The one-time verification code (secret)."""
        return pulumi.get(self, "verify_code")  # type: ignore[no-any-return]

    @verify_code.setter
    def verify_code(self, value: pulumi.Input[str] | None) -> None:
        pulumi.set(self, "verify_code", value)

    @property
    @pulumi.getter(name="deregisterOnDelete")
    def deregister_on_delete(self) -> pulumi.Input[bool] | None:
        """Whether deleting the resource deregisters the number."""
        return pulumi.get(self, "deregister_on_delete")  # type: ignore[no-any-return]

    @deregister_on_delete.setter
    def deregister_on_delete(self, value: pulumi.Input[bool] | None) -> None:
        pulumi.set(self, "deregister_on_delete", value)


class PhoneNumberRegistration(
    PhoneNumberRegistrationOutputs,
    pulumi.dynamic.Resource,
    module="cams",
    name="PhoneNumberRegistration",
):
    """A WhatsApp Business phone number registered in an Alibaba Cloud CAMS space.

    Creating it registers the number with ``ChatappVerifyAndRegister`` using ``verify_code``;
    a number that is already registered is adopted instead (``adopted`` is then true and no code
    is needed). Refresh reports the registration gone once the number is no longer registered.
    Deleting deregisters the number only when ``deregister_on_delete`` is true.

    Example::

        import pulumi
        import pulumi_cams

        config = pulumi.Config()
        number = pulumi_cams.PhoneNumberRegistration(
            "support-line",
            cust_space_id="cams-demo-space",
            phone_number="+86 138-0000-1234",
            verify_code=config.get_secret("verifyCode"),
        )
        pulumi.export("status", number.status)

    Provider settings come from the stack's ``cams:`` config, then the environment, then the
    standard Alibaba Cloud credential chain; ``pulumi_cams_provider.config.SETTINGS`` lists
    them (the README's "Configuration and credentials" too). The outputs are those of
    `PhoneNumberRegistrationOutputs`.
    """

    def __init__(
        self,
        resource_name: str,
        args: PhoneNumberRegistrationArgs | pulumi.ResourceOptions | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        cust_space_id: pulumi.Input[str] | None = None,
        phone_number: pulumi.Input[str | int] | None = None,
        verify_code: pulumi.Input[str] | None = None,
        deregister_on_delete: pulumi.Input[bool] | None = None,
    ) -> None:
        """
        Register a WhatsApp Business phone number in a CAMS space.

        Pass either a `PhoneNumberRegistrationArgs` or the keyword arguments, not both.

        :param resource_name: The Pulumi name of the resource.
        :param args: The arguments, as a `PhoneNumberRegistrationArgs`.
        :param opts: Options for the resource (``protect``, ``retain_on_delete``...).
        :param cust_space_id: The CAMS space ID (``CustSpaceId``), e.g. ``"cams-demo-space"``.
        :param phone_number: The number with its country code, e.g. ``"+86 138-0000-1234"``.
        :param verify_code: The one-time code CAMS sent (secret); needed only to register a
               number that is not registered yet.
        :param deregister_on_delete: Deregister the number on delete (default ``False``).
        """
        refuse_settings_in_clear()
        if isinstance(args, pulumi.ResourceOptions):
            # The generated-SDK form `Resource(name, opts, **kwargs)`.
            if opts is not None:
                raise TypeError(
                    "PhoneNumberRegistration() got ResourceOptions twice: pass opts once"
                )
            args, opts = None, args
        keywords = _arguments(
            args,
            cust_space_id=cust_space_id,
            phone_number=phone_number,
            verify_code=verify_code,
            deregister_on_delete=deregister_on_delete,
        )
        code = keywords["verify_code"]
        deregister = keywords["deregister_on_delete"]
        props: dict[str, Any] = {
            "cust_space_id": keywords["cust_space_id"],
            "phone_number": keywords["phone_number"],
            "verify_code": (
                None
                if code is None
                else pulumi.Output.secret(
                    pulumi.Output.from_input(code).apply(_warn_if_in_clear_config)
                )
            ),
            "deregister_on_delete": False if deregister is None else deregister,
        }
        # Outputs are declared and seeded as None so Pulumi resolves them (pulumi#6678).
        props.update(dict.fromkeys(_OUTPUTS))
        # The code never comes back as an output; should it ever, keep it secret.
        secret_outputs = pulumi.ResourceOptions(additional_secret_outputs=["verifyCode"])
        opts = pulumi.ResourceOptions.merge(secret_outputs, opts)
        super().__init__(PhoneNumberRegistrationProvider(), resource_name, props, opts)

    def translate_output_property(self, prop: str) -> str:
        """Wire (camelCase) name -> Python attribute name."""
        return _CAMEL_TO_SNAKE.get(prop, prop)

    def translate_input_property(self, prop: str) -> str:
        """Python attribute name -> wire (camelCase) name."""
        return _SNAKE_TO_CAMEL.get(prop, prop)


def _arguments(args: object, **keywords: Any) -> dict[str, Any]:
    """The arguments, from ``args`` (a `PhoneNumberRegistrationArgs`) or the keywords, never
    both; refuses a missing required one in a sentence that says how to pass it."""
    given = [name for name, value in keywords.items() if value is not None]
    if args is not None:
        if not isinstance(args, PhoneNumberRegistrationArgs):
            raise TypeError(
                "PhoneNumberRegistration() args must be a PhoneNumberRegistrationArgs, "
                f"not {type(args).__name__}"
            )
        if given:
            raise TypeError(
                "PhoneNumberRegistration() takes either args=PhoneNumberRegistrationArgs(...)"
                f" or keyword arguments, not both (got args and {', '.join(given)})"
            )
        keywords = {name: getattr(args, name) for name in keywords}
    for required in ("cust_space_id", "phone_number"):
        if keywords[required] is None:
            raise TypeError(
                f"PhoneNumberRegistration() missing required argument {required!r}: pass it "
                "as a keyword or in PhoneNumberRegistrationArgs"
            )
    return keywords
