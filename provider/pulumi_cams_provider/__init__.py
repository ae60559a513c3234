"""The pulumi-cams provider: CAMS client, registration controller and the Pulumi adapters."""
