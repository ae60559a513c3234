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
		ctx.Export("id", registration.ID())
		ctx.Export("status", registration.Status)
		ctx.Export("adopted", registration.Adopted)
		return nil
	})
}
