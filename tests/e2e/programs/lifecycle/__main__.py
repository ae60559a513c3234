"""One registration driven entirely by stack config, so a test can walk it through its lifecycle.

Config: custSpaceId, phoneNumber, deregisterOnDelete ("true"/"false"), verifyCode (secret,
optional) and importId (optional: adopt the registration with that ID through `import_`).
"""

import pulumi
from pulumi_cams import PhoneNumberRegistration

config = pulumi.Config()
import_id = config.get("importId")
registration = PhoneNumberRegistration(
    "line",
    cust_space_id=config.require("custSpaceId"),
    phone_number=config.require("phoneNumber"),
    verify_code=config.get_secret("verifyCode"),
    deregister_on_delete=config.get_bool("deregisterOnDelete") or False,
    opts=pulumi.ResourceOptions(import_=import_id) if import_id else None,
)
pulumi.export("id", registration.id)
pulumi.export("status", registration.status)
pulumi.export("adopted", registration.adopted)
pulumi.export("deregisterOnDelete", registration.deregister_on_delete)
