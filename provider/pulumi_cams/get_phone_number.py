"""`get_phone_number`: a number's registration state, read without managing it."""

from __future__ import annotations

import pulumi
from pulumi_cams_provider.dynamic import look_up
from pulumi_cams_provider.resource import FUNCTION_OUTPUTS

from ._outputs import GetPhoneNumberResult

__all__ = ["get_phone_number", "get_phone_number_output"]


def get_phone_number(
    cust_space_id: str, phone_number: str | int, opts: pulumi.InvokeOptions | None = None
) -> GetPhoneNumberResult:
    """Read a number's registration state in a CAMS space (QueryChatappPhoneNumbers), with
    the stack's ``cams:`` settings (then the environment); at preview too, never a write.

    The phone number is normalised as for `PhoneNumberRegistration`. A number the space does not
    list, or a bad argument, fails the program with one line.

    Example::

        number = pulumi_cams.get_phone_number("cams-demo-space", "+86 138-0000-5678")
        pulumi.export("codeNeeded", number.code_needed)
    """
    document = look_up(cust_space_id, phone_number)
    return GetPhoneNumberResult(**{p.python: document[p.wire] for p in FUNCTION_OUTPUTS})


def get_phone_number_output(
    cust_space_id: pulumi.Input[str],
    phone_number: pulumi.Input[str | int],
    opts: pulumi.InvokeOptions | None = None,
) -> pulumi.Output[GetPhoneNumberResult]:
    """`get_phone_number` for arguments that are outputs of other resources."""
    return pulumi.Output.all(cust_space_id, phone_number).apply(
        lambda args: get_phone_number(args[0], args[1], opts)
    )
