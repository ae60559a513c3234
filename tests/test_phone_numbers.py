"""The finder (controller.phone_numbers): which observations one listing may serve."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pulumi_cams_provider.cams import actions
from pulumi_cams_provider.cams.errors import CamsError, CamsThrottled
from pulumi_cams_provider.cams.phone_number_list import PhoneNumber, PhoneNumberList
from pulumi_cams_provider.cams.retry import Deadline
from pulumi_cams_provider.controller.phone_numbers import PhoneNumberFinder

from tests.support.demo_seed import PENDING
from tests.support.demo_seed import SPACE as DEMO

QUERY = actions.QUERY_PHONE_NUMBERS


def seen(finder: PhoneNumberFinder, *, fresh: bool = True) -> str:
    """The status the finder observes for PENDING (each fake listing names its call)."""
    number = finder.list_space(DEMO, fresh=fresh).number(PENDING)
    assert number is not None
    return number.status


class GatedLister:
    """A lister whose calls block until released, to line threads up deterministically."""

    def __init__(self, *, held_before_sending: bool = False) -> None:
        self.calls = 0
        self.entered = threading.Semaphore(0)
        self.release = threading.Semaphore(0)
        self.send = threading.Semaphore(0 if held_before_sending else 100)
        """Holds a call before it is sent, as the rate limiter does (released by the test)."""

    def query_chatapp_phone_numbers(
        self,
        cust_space_id: str,
        *,
        deadline: Deadline | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> PhoneNumberList:
        self.calls += 1
        call = self.calls
        self.entered.release()
        assert self.send.acquire(timeout=10)
        if on_send is not None:
            on_send()
        assert self.release.acquire(timeout=10)
        return PhoneNumberList([PhoneNumber(PENDING, {"status": f"CALL{call}"})])


@pytest.fixture
def gated() -> Iterator[GatedLister]:
    lister = GatedLister()
    yield lister
    for _ in range(10):
        lister.release.release()


def test_fresh_observers_join_a_listing_that_started_after_they_asked(
    gated: GatedLister,
) -> None:
    finder = PhoneNumberFinder(gated)
    with ThreadPoolExecutor(max_workers=8) as pool:
        first = pool.submit(lambda: finder.list_space(DEMO).number(PENDING))
        assert gated.entered.acquire(timeout=10)
        # These ask while listing 1 is in flight: it started too early for them.
        late = [pool.submit(lambda: finder.list_space(DEMO).number(PENDING)) for _ in range(5)]
        gated.release.release()
        assert first.result(timeout=10).status == "CALL1"  # type: ignore[union-attr]
        assert gated.entered.acquire(timeout=10)
        gated.release.release()
        assert {f.result(timeout=10).status for f in late} == {"CALL2"}  # type: ignore[union-attr]
    assert gated.calls == 2


def test_observers_join_a_listing_until_the_rate_limiter_lets_it_go() -> None:
    # With pipelines sharing the account a listing may wait a pacing interval for its turn;
    # whoever asks meanwhile is still served by it, since CAMS has not been asked yet.
    held = GatedLister(held_before_sending=True)
    finder = PhoneNumberFinder(held)
    with ThreadPoolExecutor(max_workers=8) as pool:
        first = pool.submit(lambda: finder.list_space(DEMO).number(PENDING))
        assert held.entered.acquire(timeout=10)
        waiting = [pool.submit(lambda: finder.list_space(DEMO).number(PENDING)) for _ in range(5)]
        time.sleep(0.2)  # let them reach the finder while the listing is held
        held.send.release()
        for _ in range(10):
            held.send.release()
            held.release.release()
        results = [f.result(timeout=10) for f in [first, *waiting]]
    assert {r.status for r in results} == {"CALL1"}  # type: ignore[union-attr]
    assert held.calls == 1


def test_refresh_reads_accept_a_recent_listing_until_invalidated() -> None:
    now = [100.0]
    lister = GatedLister()
    for _ in range(10):
        lister.release.release()
    finder = PhoneNumberFinder(lister, max_age=3.0, clock=lambda: now[0])
    assert seen(finder, fresh=False) == "CALL1"
    now[0] += 2.0
    assert seen(finder, fresh=False) == "CALL1"
    assert seen(finder, fresh=True) == "CALL2"
    finder.invalidate(DEMO)
    assert seen(finder, fresh=False) == "CALL3"
    now[0] += 3.5
    assert seen(finder, fresh=False) == "CALL4"


def test_unshared_finder_lists_for_every_observation() -> None:
    lister = GatedLister()
    for _ in range(10):
        lister.release.release()
    finder = PhoneNumberFinder(lister, share=False)
    for _ in range(3):
        finder.list_space(DEMO, fresh=False).number(PENDING)
    assert lister.calls == 3


def test_a_failed_listing_fails_everyone_waiting_for_it() -> None:
    class Failing:
        def query_chatapp_phone_numbers(
            self,
            cust_space_id: str,
            *,
            deadline: Deadline | None = None,
            on_send: Callable[[], None] | None = None,
        ) -> PhoneNumberList:
            raise CamsThrottled("busy", action=QUERY, code="System.LimitControl")

    finder = PhoneNumberFinder(Failing())
    with pytest.raises(CamsThrottled):
        finder.list_space(DEMO).number(PENDING)
    with pytest.raises(CamsThrottled):
        finder.list_space(DEMO, fresh=False).number(PENDING)


class CountingLister:
    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def query_chatapp_phone_numbers(
        self,
        cust_space_id: str,
        *,
        deadline: Deadline | None = None,
        on_send: Callable[[], None] | None = None,
    ) -> PhoneNumberList:
        with self.lock:
            self.calls += 1
            call = self.calls
        if on_send is not None:
            on_send()
        return PhoneNumberList([PhoneNumber(PENDING, {"status": f"CALL{call}"})])


def test_observers_join_a_paced_listing_until_it_departs() -> None:
    lister = CountingLister()
    finder = PhoneNumberFinder(lister, min_interval=1.0)
    assert finder.list_space("s").number(PENDING).status == "CALL1"  # type: ignore[union-attr]
    # The next listing may depart only a second after the first: everyone asking meanwhile
    # is served by it, and it still started after each of them asked.
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(lambda: finder.list_space("s").number(PENDING)) for _ in range(6)]
        statuses = {f.result(timeout=10).status for f in futures}  # type: ignore[union-attr]
    assert statuses == {"CALL2"}
    assert lister.calls == 2


def test_an_observer_joining_a_listing_keeps_its_own_deadline(gated: GatedLister) -> None:
    """The leader's budget may be longer than a follower's: the follower gives up at its own."""
    finder = PhoneNumberFinder(gated)
    with ThreadPoolExecutor(max_workers=2) as pool:
        leader = pool.submit(lambda: finder.list_space(DEMO, deadline=Deadline(30)))
        assert gated.entered.acquire(timeout=10)
        started = time.monotonic()
        with pytest.raises(CamsError) as expired:
            finder.list_space(DEMO, fresh=False, deadline=Deadline(0.2))
        waited = time.monotonic() - started
        gated.release.release()
        assert leader.result(timeout=10).number(PENDING) is not None
    assert 0.15 < waited < 5
    assert expired.value.code == "OperationTimeout"
    assert str(expired.value).startswith(
        "QueryChatappPhoneNumbers in space cams-demo-space failed: OperationTimeout: the "
        "operation's time budget of 0.2 s (cams:retryTimeout) ran out"
    )
