"""Pulumi resources for Alibaba Cloud Chat App Message Service (CAMS).

``PhoneNumberRegistration`` registers a WhatsApp Business phone number in a CAMS space. Importing
this package loads neither the Alibaba Cloud SDK nor any credentials: the provider does that
when it first calls CAMS.
"""

from .phone_number_registration import PhoneNumberRegistration, PhoneNumberRegistrationArgs

__all__ = ["PhoneNumberRegistration", "PhoneNumberRegistrationArgs"]
