"""Pulumi resources for Alibaba Cloud Chat App Message Service (CAMS).

``PhoneNumberRegistration`` registers a WhatsApp Business phone number in a CAMS space;
``PhoneNumberProfile`` and ``PhoneNumberWebhook`` manage its business profile and where its
messages are delivered; ``get_phone_number`` reads a number's state without managing it. Importing
this package loads neither the Alibaba Cloud SDK nor any credentials: the provider does that
when it first calls CAMS.
"""

from ._configuration import (
    PhoneNumberProfile,
    PhoneNumberProfileArgs,
    PhoneNumberWebhook,
    PhoneNumberWebhookArgs,
)
from ._outputs import GetPhoneNumberResult
from .get_phone_number import get_phone_number, get_phone_number_output
from .phone_number_registration import PhoneNumberRegistration, PhoneNumberRegistrationArgs

__all__ = [
    "GetPhoneNumberResult",
    "PhoneNumberProfile",
    "PhoneNumberProfileArgs",
    "PhoneNumberRegistration",
    "PhoneNumberRegistrationArgs",
    "PhoneNumberWebhook",
    "PhoneNumberWebhookArgs",
    "get_phone_number",
    "get_phone_number_output",
]
