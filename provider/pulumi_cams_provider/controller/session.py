"""What every resource's lifecycle shares in one provider process: the settings, the client
(built on first use, so check and diff never touch the SDK), the shared listings, the claims of
the deployment and each operation's deadline.

The engine configures a provider once per deployment; each front door builds one `CamsSession`
from that configuration and hands it to every resource's controller (`lifecycles`), so a
registration's and a webhook's refreshes of one space share one listing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..cams.client import CamsClient
from ..cams.errors import CamsError
from ..cams.pacing.store import prepare_store
from ..cams.retry import Deadline, RetryPolicy
from ..cams.settings import ProviderSettings
from .claims import Claims
from .outcomes import Note
from .phone_numbers import Listing, PhoneNumberFinder, listing_interval

__all__ = ["CamsSession"]


class CamsSession:
    """Thread-safe. `share_listings=False` gives every observation its own listing (the
    benchmark's naive baseline); `retry_policy` shapes the client's backoff; `clock` and
    `sleep` drive every operation's `Deadline` (tests pass fakes)."""

    def __init__(
        self,
        settings: ProviderSettings,
        client: CamsClient | None = None,
        *,
        share_listings: bool = True,
        retry_policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.claims = Claims()
        self._client = client
        self._finder: PhoneNumberFinder | None = None
        self._share_listings = share_listings
        self._retry_policy = retry_policy
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        if settings.rate_limit_store is not None:
            prepare_store(settings.rate_limit_store.get_secret_value())

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, share_listings: bool = True) -> CamsSession:
        """The session of a provider configured with ``config`` (its ``cams:`` keys, prefixed
        or bare), the environment filling the gaps; ``{}`` is the environment only. Raises
        `SettingsError` naming what to fix."""
        return cls(ProviderSettings.from_config(config), share_listings=share_listings)

    def deadline(self) -> Deadline:
        """A new operation's budget: `retry_timeout` from now."""
        return Deadline(self.settings.retry_timeout, clock=self._clock, sleep=self._sleep)

    def client(self) -> CamsClient:
        with self._lock:
            if self._client is None:
                self._client = CamsClient(self.settings, retry_policy=self._retry_policy)
            return self._client

    def finder(self) -> PhoneNumberFinder:
        client = self.client()
        with self._lock:
            if self._finder is None:
                self._finder = PhoneNumberFinder(
                    client,
                    share=self._share_listings,
                    min_interval=lambda: listing_interval(client),
                    clock=self._clock,
                )
            return self._finder

    def listing(self, space: str, phone: str, deadline: Deadline, *, fresh: bool = True) -> Listing:
        """The space's numbers as a listing shows them; its failure is about ``phone``."""
        try:
            return self.finder().list_space(space, fresh=fresh, deadline=deadline)
        except CamsError as err:
            raise err.restated(phone_number=phone) from None

    def store_notes(self) -> list[Note]:
        """The rate limit store's fallback warning, once per process."""
        quota = self.client().quota
        warning = quota.warning() if quota is not None else None
        return [Note("warning", warning)] if warning else []
