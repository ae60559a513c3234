"""Register one WhatsApp Business phone number in an Alibaba Cloud CAMS space.

Ask CAMS for a one-time code, keep it as a secret in the stack config, then `pulumi up`:

    pulumi-cams request-code --space cams-demo-space --phone "+86 138-0000-1234"
    pulumi config set --secret verifyCode <the code from the SMS>
    pulumi up
"""

import pulumi
from pulumi_cams import PhoneNumberRegistration

config = pulumi.Config()

registration = PhoneNumberRegistration(
    "support-line",
    cust_space_id=config.get("custSpaceId") or "cams-demo-space",
    phone_number=config.get("phoneNumber") or "+86 138-0000-1234",
    # Secret in the stack config, in state and on the wire; spent once the number is registered,
    # so it may be removed from the config afterwards (and is not needed to adopt a number).
    verify_code=config.get_secret("verifyCode"),
)

pulumi.export("id", registration.id)
pulumi.export("phoneNumber", registration.phone_number)
pulumi.export("status", registration.status)
pulumi.export("codeVerificationStatus", registration.code_verification_status)
pulumi.export("verifiedName", registration.verified_name)
pulumi.export("adopted", registration.adopted)
