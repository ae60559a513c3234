"""The start-up baseline: a dynamic provider that does nothing, importable by reference.

The benchmark pickles `TrivialProvider` (by reference: this module is on the provider process's
``PYTHONPATH``) and times ``python -m pulumi.dynamic``'s first Check with it, side by side with
our provider, so the difference is what our package costs at start-up.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckResult, ResourceProvider


class TrivialProvider(ResourceProvider):
    """Accepts any inputs as they are."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Return the inputs unchanged."""
        return CheckResult(news, [])
