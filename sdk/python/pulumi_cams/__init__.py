"""Pulumi resources for Alibaba Cloud Chat App Message Service (CAMS)."""
