"""The ``pulumi-cams`` command line: `commands` (what each does), `options` (what they take),
`group` (how they fail: one line and an exit code)."""

from .commands import main

__all__ = ["main"]
