// One WhatsApp Business number registered through the native `cams` plugin, from Go. The
// one-time code from `pulumi-cams request-code` goes into the stack config as a secret:
//
//	pulumi config set --secret verifyCode <code>
//
// A number that is already registered needs no code: leave verifyCode unset (GetSecret then
// gives "", which the provider takes as no code) and `pulumi up` adopts it.
package main

import (
	"example.com/pulumi-cams/sdk/go/cams"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		space := conf.Get("custSpaceId")
		if space == "" {
			space = "cams-demo-space"
		}
		phone := conf.Get("phoneNumber")
		if phone == "" {
			phone = "+86 138-0000-1234"
		}
		registration, err := cams.NewPhoneNumberRegistration(ctx, "support-line", &cams.PhoneNumberRegistrationArgs{
			CustSpaceId: pulumi.String(space),
			PhoneNumber: pulumi.String(phone),
			VerifyCode:  conf.GetSecret("verifyCode"),
			// Registrations are scarce (10 register/deregister calls per number per 72 hours).
			DeregisterOnDelete: pulumi.Bool(false),
		})
		if err != nil {
			return err
		}
		// What WhatsApp shows customers; only the fields set here are managed.
		about := conf.Get("about")
		if about == "" {
			about = "Support, 9:00-17:00"
		}
		profile, err := cams.NewPhoneNumberProfile(ctx, "support-line-profile", &cams.PhoneNumberProfileArgs{
			CustSpaceId: registration.CustSpaceId,
			PhoneNumber: registration.PhoneNumber,
			About:       pulumi.String(about),
			Vertical:    pulumi.String("RETAIL"),
			Websites:    pulumi.StringArray{pulumi.String("https://shop.example.com")},
		})
		if err != nil {
			return err
		}
		// Where CAMS delivers message status (secret in state: URLs often carry a token).
		webhook, err := cams.NewPhoneNumberWebhook(ctx, "support-line-webhook", &cams.PhoneNumberWebhookArgs{
			CustSpaceId:       registration.CustSpaceId,
			PhoneNumber:       registration.PhoneNumber,
			StatusCallbackUrl: pulumi.String("https://hooks.example.com/cams/status"),
			HttpDelivery:      pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		ctx.Export("id", registration.ID())
		ctx.Export("profileId", profile.ID())
		ctx.Export("webhookId", webhook.ID())
		ctx.Export("status", registration.Status)
		ctx.Export("adopted", registration.Adopted)
		return nil
	})
}
