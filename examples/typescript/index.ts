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

// What WhatsApp shows customers; only the fields set here are managed.
const profile = new cams.PhoneNumberProfile("support-line-profile", {
    custSpaceId: registration.custSpaceId,
    phoneNumber: registration.phoneNumber,
    about: config.get("about") ?? "Support, 9:00-17:00",
    vertical: "RETAIL",
    websites: ["https://shop.example.com"],
});

// Where CAMS delivers message status (secret in state: URLs often carry a token).
const webhook = new cams.PhoneNumberWebhook("support-line-webhook", {
    custSpaceId: registration.custSpaceId,
    phoneNumber: registration.phoneNumber,
    statusCallbackUrl: config.getSecret("statusCallbackUrl") ?? "https://hooks.example.com/cams/status",
    httpDelivery: true,
});

export const id = registration.id;
export const profileId = profile.id;
export const webhookId = webhook.id;
export const status = registration.status;
export const adopted = registration.adopted;
