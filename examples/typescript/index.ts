// One WhatsApp Business number registered through the native `cams` plugin, from TypeScript.
// The one-time code from `pulumi-cams request-code` goes into the stack config as a secret:
//   pulumi config set --secret verifyCode <code>
import * as pulumi from "@pulumi/pulumi";
import * as cams from "@pulumi-cams/cams";

const config = new pulumi.Config();

const registration = new cams.PhoneNumberRegistration("support-line", {
    custSpaceId: config.get("custSpaceId") ?? "cams-demo-space",
    phoneNumber: config.get("phoneNumber") ?? "+86 138-0000-1234",
    verifyCode: config.getSecret("verifyCode"),
    // Registrations are scarce (10 register/deregister calls per number per 72 hours).
    deregisterOnDelete: false,
});

export const id = registration.id;
export const status = registration.status;
export const adopted = registration.adopted;
