"""The end-to-end suite: the real Pulumi CLI and language hosts (make e2e)."""
