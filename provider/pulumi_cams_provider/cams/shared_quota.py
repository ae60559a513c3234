"""One account's quota shared by all its processes, in a Redis the team runs (cams:rateLimitStore).

Every process that calls CAMS as the same account (the same namespace, `store_key`) takes a
permit from one bucket per action before it sends: pyrate-limiter's ``RedisBucket``, a sliding
log checked and written by one Lua script, so that at most ``requestsPerSecond`` permits fall in
any one-second window (`WINDOW_MARGIN_MS` longer), on the Redis server's clock, the one clock
every process of every machine shares, read by the script itself (`sliding_log`). That is
CAMS's own rule (the emulator refuses a request when 10 arrived in the 1.0 s before it), so a
burst is allowed where CAMS allows it; a strictly paced bucket (GCRA without a burst) would
lose it and run a process alone slower than its own limiter does. A request arrives a little
after its permit, by the time it takes to be signed and sent, and that time wanders; the margin
keeps a permit whose request arrives late and one whose request arrives early from meeting in
one of CAMS's seconds.

The same store holds a lease per number (redis-py's ``Lock``: ``SET NX PX`` with a token, released
by its holder or expiring on its own) that a create holds across its first read, its register
call and the read that confirms it, so that two pipelines that create one number at once make
one register call: the second waits, then finds the number registered and adopts it.

The store is never a new way to fail: a call that errs, times out (`TIMEOUT_S`) or answers
something that is not what the script returns makes the process fall back to its own adaptive
control (`adaptive`), and the first fallback leaves one warning naming the store with any
password masked (`warning`). The store is tried again `RETRY_S` after it failed, and used again
from the first answer. A throttled answer from CAMS still lowers the process's own rate (another
client may share the account without the store).
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .endpoint import redact_userinfo
from .retry import Deadline
from .sliding_log import server_clock_bucket

__all__ = ["SharedQuota", "check_store_url", "shared_quota", "shown_store", "store_key"]

TIMEOUT_S = 0.05
"""Seconds one call to the store may take (to connect, or to answer) before it counts as failed:
a store slower than that costs the creates more than the coordination saves."""
RETRY_S = 2.0
"""Seconds between tries of a store that failed."""
WINDOW_MARGIN_MS = 30
"""Milliseconds added to the bucket's one-second window, for arrivals that wander (see the
module): at most 1000 / 1030 of the limit, 97 %, once a burst is spent."""
LEAK_EVERY = 100
"""Permits between two clean-ups of a bucket's log (its entries older than the window)."""
LEASE_PREFIX = "lease"
"""The part of a lease's key after the account's namespace."""

_PASSWORD_QUERY = re.compile(r"(?i)(password=)[^&]*")


def shown_store(url: str) -> str:
    """The store's address for a message: any ``user:password@`` or ``password=`` masked."""
    return _PASSWORD_QUERY.sub(r"\1***", redact_userinfo(url))


def check_store_url(url: str) -> None:
    """Raise ValueError unless ``url`` is one redis-py opens: ``redis://``, ``rediss://`` or
    ``unix://``, with a host or a socket path."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("redis", "rediss", "unix") or not rest.strip("/"):
        raise ValueError("not a redis, rediss or unix URL")


def store_key(explicit: str | None, host: str, identity: str) -> str:
    """The namespace of an account's buckets and leases: ``explicit`` (cams:rateLimitKey) when
    set, else a digest of the endpoint and the credential in use (never the key itself)."""
    if explicit:
        return f"pulumi-cams:{explicit}"
    digest = hashlib.sha256(f"{host}\0{identity}".encode()).hexdigest()[:20]
    return f"pulumi-cams:{digest}"


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
        self._limiters: dict[tuple[str, float], Any] = {}
        self._client: Any = None
        self._down_until = -math.inf
        self._taken = 0
        self._warning: str | None = None
        self._warned = False

    def __repr__(self) -> str:
        return f"SharedQuota({shown_store(self._url)!r}, {self._namespace!r})"

    @property
    def available(self) -> bool:
        """Whether the store is in use now (it answered last time, or may be tried again)."""
        return self._clock() >= self._down_until

    def take(self, action: str, rate: float, deadline: Deadline) -> bool:
        """Wait for a permit of the account's ``action`` bucket (``rate`` per second), within
        ``deadline``. True once taken; False when the store failed (the caller falls back on
        its own control) or the deadline came first (the caller's budget check then stops)."""
        if not self.available:
            return False
        try:
            limiter = self._limiter(action, rate)
            taken = limiter.try_acquire(action, timeout=max(deadline.remaining(), 0.0))
            with self._lock:
                self._taken += 1
                leak = self._taken % LEAK_EVERY == 0
            if leak:
                # The factory's own bucket: ``limiter.buckets()`` lists only those a leak
                # thread of the library's tracks, none here.
                bucket = limiter.bucket_factory.bucket
                bucket.leak(bucket.now())
        except Exception as exc:  # noqa: BLE001 - whatever the store does, the create goes on
            self._failed(exc)
            return False
        return taken is True

    @contextmanager
    def lease(self, space: str, phone: str, deadline: Deadline) -> Iterator[bool]:
        """Hold the number's lease while the block runs (True), waiting for another process's
        to end within ``deadline``; it expires on its own ``deadline.seconds`` after it was
        taken, should this process die holding it. False when the store failed: nothing is
        held, and the block runs as it would without a store."""
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
                if not lease.acquire(token=uuid.uuid4().hex):
                    lease = None
            except Exception as exc:  # noqa: BLE001 - the store is never a new way to fail
                self._failed(exc)
                lease = None
        try:
            yield lease is not None
        finally:
            if lease is not None:
                try:
                    lease.release()
                except Exception as exc:  # noqa: BLE001 - it expires on its own
                    self._failed(exc)

    def prepare(self) -> None:
        """Load the store's client and connect, in a thread of its own: a process configured
        with a store does it while the engine checks and diffs, so that its first create does
        not wait for it (about 0.2 s of imports). A failure here is the first create's."""

        def connect() -> None:
            try:
                import pyrate_limiter  # noqa: F401 - loaded for the first permit

                self._redis().ping()
            except Exception:  # noqa: BLE001, S110 - take() meets it again and reports it
                pass

        threading.Thread(target=connect, name="cams-store", daemon=True).start()

    def warning(self) -> str | None:
        """The fallback's warning, the first time it is asked after the store failed; else
        None."""
        with self._lock:
            if self._warning is None or self._warned:
                return None
            self._warned = True
            return self._warning

    def _limiter(self, action: str, rate: float) -> Any:
        from pyrate_limiter import Limiter, Rate
        from pyrate_limiter.limiter import SingleBucketFactory

        redis = self._redis()
        with self._lock:
            limiter = self._limiters.get((action, rate))
            if limiter is None:
                # floor(rate) permits per window, the window stretched for a fractional rate
                # (2.5 per second: 2 per 0.8 s), as the process's own limiter counts them.
                limit = max(1, math.floor(rate))
                window = round(1000 * limit / rate) + WINDOW_MARGIN_MS
                bucket = server_clock_bucket().init(
                    [Rate(limit, window)], redis, f"{self._namespace}:{action}"
                )
                # Leaked by `take` (LEAK_EVERY), not by a thread of the library's, which would
                # print a stack whenever the store is down.
                factory = SingleBucketFactory(bucket, schedule_leak=False)
                limiter = self._limiters[(action, rate)] = Limiter(factory, buffer_ms=0)
            return limiter

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
            # Built again on the next try: a store that restarted has lost the buckets' script.
            self._limiters.clear()
            if self._warning is None:
                self._warning = (
                    f"rate limit store {shown_store(self._url)} {_failure(exc)}: this "
                    "process paces its CAMS requests by itself (adaptive control) until the "
                    f"store answers again (tried every {RETRY_S:g} s), and creates of one "
                    "number in two pipelines are not kept apart meanwhile"
                )


def _failure(exc: BaseException) -> str:
    """How the store failed, in fixed words (a client's message may quote the address)."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    names = {c.__name__ for e in chain for c in type(e).__mro__}
    if "TimeoutError" in names:
        return f"did not answer within {TIMEOUT_S * 1000:g} ms"
    if "AuthenticationError" in names or "AuthenticationWrongNumberOfArgsError" in names:
        return "refused the password"
    if "ConnectionError" in names:
        return "cannot be reached"
    return "answered what a Redis would not"


_quotas: dict[tuple[str, str], SharedQuota] = {}
_quotas_lock = threading.Lock()


def shared_quota(url: str, namespace: str) -> SharedQuota:
    """The process-wide quota for a store and namespace, so every client of the account in
    this process takes from the same buckets (and warns once)."""
    with _quotas_lock:
        quota = _quotas.get((url, namespace))
        if quota is None:
            quota = _quotas[(url, namespace)] = SharedQuota(url, namespace)
        return quota
