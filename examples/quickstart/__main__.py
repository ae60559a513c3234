"""Register one WhatsApp Business phone number in an Alibaba Cloud CAMS space, with its
business profile and its webhook.

Ask CAMS for a one-time code, keep it as a secret in the stack config, then `pulumi up`:

    pulumi-cams request-code --space cams-demo-space --phone "+86 138-0000-1234"
    pulumi config set --secret verifyCode <the code from the SMS>
    pulumi up
"""

import pulumi
from pulumi_cams import PhoneNumberProfile, PhoneNumberRegistration, PhoneNumberWebhook

config = pulumi.Config()

registration = PhoneNumberRegistration(
    "support-line",
    cust_space_id=config.get("custSpaceId") or "cams-demo-space",
    phone_number=config.get("phoneNumber") or "+86 138-0000-1234",
    # Secret in the stack config, in state and on the wire; spent once the number is registered,
    # so it may be removed from the config afterwards (and is not needed to adopt a number).
    verify_code=config.get_secret("verifyCode"),
)

# What WhatsApp shows customers. Only the fields set here are managed; the number comes from
# the registration, so it is registered first.
profile = PhoneNumberProfile(
    "support-line-profile",
    cust_space_id=registration.cust_space_id,
    phone_number=registration.phone_number,
    about=config.get("about") or "Support, 9:00-17:00",
    vertical="RETAIL",
    websites=["https://shop.example.com"],
)

# Where CAMS delivers message status and inbound messages: secret in state (tokens live in
# query strings), so keep a real one as a secret: `pulumi config set --secret statusCallbackUrl`.
webhook = PhoneNumberWebhook(
    "support-line-webhook",
    cust_space_id=registration.cust_space_id,
    phone_number=registration.phone_number,
    status_callback_url=config.get_secret("statusCallbackUrl")
    or "https://hooks.example.com/cams/status",
    http_delivery=True,
)

pulumi.export("id", registration.id)
pulumi.export("phoneNumber", registration.phone_number)
pulumi.export("status", registration.status)
pulumi.export("codeVerificationStatus", registration.code_verification_status)
pulumi.export("verifiedName", registration.verified_name)
pulumi.export("adopted", registration.adopted)
