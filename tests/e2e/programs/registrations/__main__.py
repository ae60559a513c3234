"""Registrations listed in stack config: `registrations` is a JSON list of
{"name", "phone", "deregisterOnDelete"?}, all in space cams-demo-space; `verifyCode` (optional,
secret or not) is passed to each."""

import json

import pulumi
from pulumi_cams import PhoneNumberRegistration

config = pulumi.Config()
code = config.get_secret("verifyCode")
for entry in json.loads(config.require("registrations")):
    registration = PhoneNumberRegistration(
        entry["name"],
        cust_space_id="cams-demo-space",
        phone_number=entry["phone"],
        verify_code=code,
        deregister_on_delete=entry.get("deregisterOnDelete", False),
    )
    pulumi.export(entry["name"], registration.adopted)
