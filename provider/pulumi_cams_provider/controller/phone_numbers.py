"""Finding phone numbers: one QueryChatappPhoneNumbers listing serves many observations.

CAMS allows 10 requests per second per account and action, and the dynamic provider host runs
four operations at once. Creating or refreshing many registrations in one space would spend that
budget on identical listings, so `PhoneNumberFinder` coalesces them (single flight per space):

- a *fresh* observation (create and delete, which act on what they see) is served only by a
  listing that STARTED after the caller asked; if one already in flight started earlier, the
  caller waits for it and joins the next one;
- a *recent* observation (refresh) also accepts a listing started up to `max_age` seconds ago;
- our own register and deregister calls `invalidate` the space, so no later observation is
  served by a listing that started before the write.

A listing "starts" when its request is sent, not when its flight is opened or departs (it may
then wait its turn under the rate limit): until then anyone may join it.
With `min_interval` (the controller derives it from the register rate, see registration) a
space's listings depart at most that often. Without it the limiter lets a burst of `rate`
listings go at once, each serving the one or two observers that happened to ask, and then every
observer waits most of a second for the window to reopen; paced, each listing serves everyone
who asked in the last interval, so the listing budget is never the bottleneck of many creates
(whose register calls are).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..cams.actions import QUERY_PHONE_NUMBERS, VERIFY_AND_REGISTER
from ..cams.client import CamsClient
from ..cams.errors import Call
from ..cams.phone_number_list import PhoneNumber, PhoneNumberList
from ..cams.responses import budget_exhausted
from ..cams.retry import Deadline

__all__ = ["Listing", "PhoneNumberFinder", "PhoneNumberLister", "listing_interval"]

LISTING_SHARE = 0.8
"""While other processes share the account, a space's listings depart at most this many times
per register this process may send (see `listing_interval`)."""

DEFAULT_MAX_AGE = 3.0
"""Seconds a listing may serve refresh reads: long enough that refreshing a space's numbers
costs about one listing per 25 numbers, short enough to reflect a change made by a person."""


class PhoneNumberLister(Protocol):
    """What the finder needs from `CamsClient`."""

    def query_chatapp_phone_numbers(
        self,
        cust_space_id: str,
        *,
        deadline: Deadline | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> PhoneNumberList:
        """List the numbers of a space within ``deadline``; call ``on_send`` just before the
        first attempt is sent."""
        ...


def _digits(phone_number: str) -> str:
    return "".join(ch for ch in phone_number if ch.isdigit())


class Listing(dict[str, PhoneNumber]):
    """Every number one listing showed in a space, keyed by its digits, with the listing's
    RequestId (empty when the answer had none)."""

    def __init__(self, numbers: Iterable[PhoneNumber], request_id: str = "") -> None:
        super().__init__((_digits(n.phone_number), n) for n in numbers)
        self.request_id = request_id

    def number(self, phone_number: str) -> PhoneNumber | None:
        """The number as the listing showed it, or None when it did not list it."""
        return self.get(_digits(phone_number))


@dataclass
class _Flight:
    """One listing call and everyone waiting for it."""

    departs_at: float
    started: float | None = None
    """When the listing request was sent (None until then)."""
    done: threading.Event = field(default_factory=threading.Event)
    numbers: Listing | None = None
    error: BaseException | None = None


@dataclass
class _Space:
    listing: Listing | None = None
    listing_started: float = float("-inf")
    in_flight: _Flight | None = None
    invalidated_at: float = float("-inf")
    last_departure: float = float("-inf")


class PhoneNumberFinder:
    """Observes phone numbers in CAMS spaces, sharing listings between concurrent callers.

    Thread-safe. `share=False` turns every observation into its own listing call (the naive
    baseline the benchmark compares against). `min_interval` paces a space's listings (seconds
    between departures, or a callable asked at each departure); 0 sends each as soon as someone
    needs it.
    """

    def __init__(
        self,
        client: PhoneNumberLister,
        *,
        share: bool = True,
        max_age: float = DEFAULT_MAX_AGE,
        min_interval: float | Callable[[], float] = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._share = share
        self._max_age = max_age
        self._min_interval = min_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._spaces: dict[str, _Space] = {}
        self.listings = 0
        """How many listing calls this finder made (for tests and the benchmark)."""

    def list_space(
        self, cust_space_id: str, *, fresh: bool = True, deadline: Deadline | None = None
    ) -> Listing:
        """Every number of the space as CAMS lists it (`Listing.number` finds one).

        `fresh=True` demands a listing that started after this call; `fresh=False` accepts one
        that started at most `max_age` seconds ago (and not before our last write). A listing
        this call makes is bounded by `deadline`. Raises the listing's `CamsError`.
        """
        asked = self._clock()
        if not self._share:
            return self._query(cust_space_id, deadline)
        with self._lock:
            space = self._spaces.setdefault(cust_space_id, _Space())
            while True:
                not_before = asked if fresh else max(asked - self._max_age, space.invalidated_at)
                if space.listing is not None and space.listing_started >= not_before:
                    return space.listing
                flight = space.in_flight
                if flight is None:
                    interval = self._min_interval
                    if callable(interval):
                        interval = interval()
                    departs_at = max(self._clock(), space.last_departure + interval)
                    flight = space.in_flight = _Flight(departs_at=departs_at)
                    leader = True
                    break
                if flight.started is None or flight.started >= not_before:
                    leader = False
                    break
                # The listing in flight started too early for this caller: join the next one.
                self._changed.wait()
        if leader:
            self._lead(cust_space_id, space, flight, deadline)
        elif not flight.done.wait(None if deadline is None else max(deadline.remaining(), 0.0)):
            # Each waiter keeps its own budget: the leader's may be longer.
            call = Call(QUERY_PHONE_NUMBERS, cust_space_id=cust_space_id)
            raise budget_exhausted(deadline.seconds if deadline else 0.0, call)
        if flight.error is not None:
            raise flight.error
        assert flight.numbers is not None
        return flight.numbers

    def invalidate(self, cust_space_id: str) -> None:
        """Forget what we know of the space: call after writing to one of its numbers."""
        with self._lock:
            space = self._spaces.setdefault(cust_space_id, _Space())
            space.listing = None
            space.invalidated_at = self._clock()

    def _lead(
        self, cust_space_id: str, space: _Space, flight: _Flight, deadline: Deadline | None
    ) -> None:
        with self._lock:
            # Wait for the departure time; observers asking meanwhile join this flight.
            while (remaining := flight.departs_at - self._clock()) > 0:
                self._changed.wait(remaining)
            space.last_departure = self._clock()

        def sent() -> None:
            # Until the rate limiter lets the listing go (which may take a pacing interval when
            # other pipelines share the account), observers asking meanwhile still join it.
            with self._lock:
                flight.started = self._clock()

        try:
            flight.numbers = self._query(cust_space_id, deadline, on_send=sent)
        except BaseException as err:
            flight.error = err
        with self._lock:
            space.in_flight = None
            started = flight.started
            if (
                flight.numbers is not None
                and started is not None
                and started >= space.invalidated_at
                and started > space.listing_started
            ):
                space.listing = flight.numbers
                space.listing_started = started
            flight.done.set()
            self._changed.notify_all()

    def _query(
        self,
        cust_space_id: str,
        deadline: Deadline | None,
        on_send: Callable[[], None] | None = None,
    ) -> Listing:
        with self._lock:
            self.listings += 1
        numbers = self._client.query_chatapp_phone_numbers(
            cust_space_id, deadline=deadline, on_send=on_send
        )
        return Listing(numbers, numbers.request_id)


def listing_interval(client: CamsClient) -> float:
    """Seconds between a space's listings: paced by the registers this process may send.

    Each create needs a listing before and after its register, and one listing serves every
    create that asked since the last, so a listing per register keeps the creates in flight
    busy. A process alone lists at its full rate; while adaptive rate control holds its
    registers below ``requestsPerSecond`` (others share the account), it lists at
    `LISTING_SHARE` of them, so that the processes together use 8 of CAMS's 10 listings per
    second and seldom meet in a full second (bench: shared account).
    """
    ceiling = client.ceiling(VERIFY_AND_REGISTER)
    allowed = client.allowed_rate(VERIFY_AND_REGISTER)
    return 1.0 / (allowed if allowed >= ceiling else LISTING_SHARE * allowed)
