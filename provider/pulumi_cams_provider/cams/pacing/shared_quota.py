"""One account's quota shared by all its processes, in a Redis the team runs (cams:rateLimitStore).

Every process that calls CAMS as the same account (the same namespace, `store_key`) takes a
permit from one bucket per action before it sends: a sliding log checked and written by one Lua
script (`sliding_log`), so that at most ``requestsPerSecond`` permits fall in any one-second
window (`WINDOW_MARGIN_MS` longer), on the Redis server's clock, the one clock every process of
every machine shares. That is CAMS's own rule (the emulator refuses a request when 10 arrived in
the 1.0 s before it), so a burst is allowed where CAMS allows it; a strictly paced bucket (GCRA
without a burst) would lose it and run a process alone slower than its own limiter does. A
request arrives a little after its permit, and that time wanders: once the request has its
answer, its permit is stamped again with the server's time then (`SharedQuota.finished`), since
CAMS saw the request no later; the margin covers what is still in flight when a window ends.

The same store holds a lease per number (redis-py's ``Lock``: ``SET NX PX`` with a token, released
by its holder or expiring on its own) that a create holds across its first read, its register
call and the read that confirms it, so that two pipelines that create one number at once make
one register call: the second waits, then finds the number registered and adopts it. A lease
another process holds for the whole of an operation's budget fails the operation: going on
without it could register the number twice.

Otherwise the store is never a new way to fail: a call that errs, times out (`TIMEOUT_S`) or
answers what the script would not makes the process fall back to its own adaptive control
(`adaptive`), and the first fallback leaves one warning naming the store, with any password
masked, and what failed (`warning`). The store is tried again `RETRY_S` after it failed, and
used again from the first answer. A throttled answer from CAMS still lowers the process's own
rate (another client may share the account without the store). redis-py is the optional extra
``pulumi-cams[store]`` (settings refuse a store without it, naming the extra).
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..actions import VERIFY_AND_REGISTER
from ..errors import OPERATION_TIMEOUT, Call, CamsError
from ..responses import make_error
from ..retry import Deadline
from .sliding_log import SlidingLog
from .store import TIMEOUT_S, failure, require_client, shown_store

__all__ = ["SharedQuota", "shared_quota"]

RETRY_S = 2.0
"""Seconds between tries of a store that failed."""
WINDOW_MARGIN_MS = 30
"""Milliseconds added to the bucket's one-second window, for arrivals that wander (see the
module): at most 1000 / 1030 of the limit, 97 %, once a burst is spent."""
LEASE_PREFIX = "lease"
"""The part of a lease's key after the account's namespace."""


class SharedQuota:
    """The buckets and leases of one account in one store; thread-safe.

    ``url`` is the store's address (secret: it may carry a password), ``namespace`` the
    account's (`store_key`). ``clock`` drives the fallback's retry interval.
    """

    def __init__(
        self, url: str, namespace: str, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._url = url
        self._namespace = namespace
        self._clock = clock
        self._lock = threading.Lock()
        self._logs: dict[tuple[str, float], SlidingLog] = {}
        self._client: Any = None
        self._down_until = -math.inf
        self._warning: str | None = None
        self._warned = False

    def __repr__(self) -> str:
        return f"SharedQuota({shown_store(self._url)!r}, {self._namespace!r})"

    @property
    def available(self) -> bool:
        """Whether the store is in use now (it answered last time, or may be tried again)."""
        return self._clock() >= self._down_until

    def take(self, action: str, rate: float, deadline: Deadline) -> str | None:
        """Wait for a permit of the account's ``action`` bucket (``rate`` per second), within
        ``deadline``: the permit's name once taken, for `finished`; None when the store failed
        (the caller falls back on its own control) or the deadline came first (the caller's
        budget check then stops)."""
        if not self.available:
            return None
        permit = uuid.uuid4().hex
        try:
            log = self._log(action, rate)
            while (wait := log.take(permit)) > 0:
                if wait >= deadline.remaining():
                    return None
                time.sleep(wait)
        except Exception as exc:  # noqa: BLE001 - whatever the store does, the create goes on
            self._failed(exc)
            return None
        return permit

    def finished(self, action: str, rate: float, permit: str) -> None:
        """Stamp ``permit`` with the time its request got its answer (see the module)."""
        if not self.available:
            return
        try:
            self._log(action, rate).finished(permit)
        except Exception as exc:  # noqa: BLE001 - the permit keeps its first stamp
            self._failed(exc)

    @contextmanager
    def lease(self, space: str, phone: str, deadline: Deadline) -> Iterator[bool]:
        """Hold the number's lease while the block runs (True), waiting for another process's
        to end within ``deadline``; it expires on its own ``deadline.seconds`` after it was
        taken, should this process die holding it. False when the store failed: nothing is
        held (the warning says so), and the block runs as it would without a store. Raises
        `LeaseHeld` when another process held it for the whole of ``deadline``."""
        lease = None
        if self.available:
            try:
                lease = self._redis().lock(
                    f"{self._namespace}:{LEASE_PREFIX}:{space}:{phone}",
                    timeout=max(deadline.seconds, 1.0),
                    blocking_timeout=max(deadline.remaining(), 0.0),
                    sleep=0.05,
                    thread_local=False,
                )
                acquired = lease.acquire(token=uuid.uuid4().hex)
            except Exception as exc:  # noqa: BLE001 - the store is never a new way to fail
                self._failed(exc)
                lease = None
            else:
                if not acquired:
                    raise _lease_held(space, phone, deadline.seconds)
        try:
            yield lease is not None
        finally:
            if lease is not None:
                try:
                    lease.release()
                except Exception as exc:  # noqa: BLE001 - it expires on its own
                    self._failed(exc)

    def warning(self) -> str | None:
        """The fallback's warning, the first time it is asked after the store failed; else
        None."""
        with self._lock:
            if self._warning is None or self._warned:
                return None
            self._warned = True
            return self._warning

    def _log(self, action: str, rate: float) -> SlidingLog:
        redis = self._redis()
        with self._lock:
            log = self._logs.get((action, rate))
            if log is None:
                # floor(rate) permits per window, the window stretched for a fractional rate
                # (2.5 per second: 2 per 0.8 s), as the process's own limiter counts them.
                limit = max(1, math.floor(rate))
                window = round(1000 * limit / rate) + WINDOW_MARGIN_MS
                key = f"{self._namespace}:{action}"
                log = self._logs[(action, rate)] = SlidingLog(redis, key, limit, window)
            return log

    def _redis(self) -> Any:
        import redis

        with self._lock:
            if self._client is None:
                self._client = redis.Redis.from_url(
                    self._url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
                )
            return self._client

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            self._down_until = self._clock() + RETRY_S
            if self._warning is None:
                self._warning = (
                    f"rate limit store {shown_store(self._url)} {failure(exc)}: this "
                    "process paces its CAMS requests by itself (adaptive control) until the "
                    f"store answers again (tried every {RETRY_S:g} s), and creates of one "
                    "number in two pipelines are not kept apart meanwhile"
                )


def _lease_held(space: str, phone: str, seconds: float) -> CamsError:
    call = Call(VERIFY_AND_REGISTER, cust_space_id=space, phone_number=phone)
    return make_error(
        call,
        OPERATION_TIMEOUT,
        f"another process sharing the rate limit store held the number's lease for the whole "
        f"{seconds:g} s budget (it is creating or deleting the number)",
        http_status=None,
    )


_quotas: dict[tuple[str, str], SharedQuota] = {}
_quotas_lock = threading.Lock()


def shared_quota(url: str, namespace: str) -> SharedQuota:
    """The process-wide quota for a store and namespace, so every client of the account in
    this process takes from the same buckets (and warns once). Raises `SettingsError` when
    redis-py, the ``store`` extra, is not installed: a packaging matter, not a store failure."""
    require_client()
    with _quotas_lock:
        quota = _quotas.get((url, namespace))
        if quota is None:
            quota = _quotas[(url, namespace)] = SharedQuota(url, namespace)
        return quota
