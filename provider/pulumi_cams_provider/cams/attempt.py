"""One CAMS action's attempts, as the retry helper makes them: a permit of the rate limiter,
the request within what the operation's deadline leaves, and whatever comes back turned into
the parsed answer or an error of the tree (throttled answers tell the limiter and the adaptive
rates)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .alibaba_sdk import call_action
from .errors import Call, CamsError, CamsThrottled
from .pacing.adaptive import AdaptiveRates
from .pacing.ratelimit import RateLimiter
from .pacing.shared_quota import SharedQuota
from .responses import budget_exhausted, error_from_body
from .retry import Deadline
from .sdk_errors import Transport, error_from_exception

__all__ = ["Attempt", "Pacing", "Sending"]

T = TypeVar("T")


@dataclass(frozen=True)
class Pacing:
    """What paces one action's requests: the process's limiter and adaptive rates (keyed by
    ``key``, at most ``ceiling`` per second), and the account's store, asked for when a request
    is about to go (it may resolve the credentials' identity first)."""

    limiter: RateLimiter
    rates: AdaptiveRates
    quota: Callable[[], SharedQuota | None]
    key: tuple[str, str]
    ceiling: float


@dataclass(frozen=True)
class Sending:
    """How a request goes out: the SDK client (built, and the SDK imported, on first use), the
    connect timeout, and what a failure's words may name of the transport."""

    sdk_client: Callable[[], Any]
    connect_timeout: float
    transport: Callable[[tuple[float, float] | None], Transport]


class Attempt(Generic[T]):
    """One action's attempts: each takes a permit of the rate limiter, sends the request
    within what the deadline leaves, and turns whatever comes back into the parsed answer or
    an error of the tree; throttled answers tell the limiter and the adaptive rates."""

    def __init__(
        self,
        call: Call,
        query: dict[str, str],
        parse: Callable[[Mapping[str, Any]], T],
        *,
        pacing: Pacing,
        sending: Sending,
        deadline: Deadline,
        read_timeout: float,
        on_send: Callable[[], None] | None,
    ) -> None:
        self.call, self.query, self.parse = call, query, parse
        self.pacing, self.sending = pacing, sending
        self.deadline, self.read_timeout, self.on_send = deadline, read_timeout, on_send

    def run(self) -> T:
        """One attempt; raises the attempt's CamsError."""
        # Build the SDK client (first call: import it) before taking a permit, so that the
        # permit's request reaches the server promptly.
        failure: CamsError | None = None
        sdk: Any = None
        try:
            sdk = self.sending.sdk_client()
        except Exception as exc:  # the SDK's or the credential chain's failure, translated
            failure = error_from_exception(exc, self.call, self.sending.transport(None))
        if failure is not None:
            raise failure
        body, failure = self._send(sdk)
        # Raised outside the except block so that the SDK's exception (whose text may hold
        # the request URL with the verify code) is not chained to ours.
        if failure is not None:
            raise failure
        assert isinstance(body, Mapping)
        return self.parse(body)

    def _send(self, sdk: Any) -> tuple[Any, CamsError | None]:
        """The request under a permit: its answer's body, or the error it came to."""
        pacing = self.pacing
        key, ceiling, rates = pacing.key, pacing.ceiling, pacing.rates
        quota = pacing.quota()
        with pacing.limiter.slot(
            key, lambda: rates.rate(key, ceiling), on_wait=lambda: rates.waited(key, ceiling)
        ) as permit:
            shared = None
            if quota is not None:
                # The account's bucket, shared with every process of the account, last: the
                # request leaves the moment it has a permit, so that the bucket's count is
                # the count of what reaches CAMS.
                shared = quota.take(self.call.action, ceiling, self.deadline)
            rates.sent(key, ceiling)
            remaining = self.deadline.remaining()
            if remaining <= 0:
                return None, budget_exhausted(self.deadline.seconds, self.call)
            if self.on_send is not None:
                self.on_send()
                self.on_send = None
            connect = self.sending.connect_timeout
            timeouts = (min(connect, remaining), min(self.read_timeout, remaining))
            body: Any = None
            response: Any = None
            failure: CamsError | None = None
            try:
                response = call_action(sdk, self.call.action, self.query, timeouts)
            except Exception as exc:  # every SDK and transport failure is translated
                failure = error_from_exception(exc, self.call, self.sending.transport(timeouts))
            if quota is not None and shared is not None:
                quota.finished(self.call.action, ceiling, shared)
            if failure is None:
                status = response.get("statusCode") if isinstance(response, Mapping) else None
                body = response.get("body") if isinstance(response, Mapping) else None
                failure = error_from_body(
                    body, self.call, http_status=status if isinstance(status, int) else None
                )
            if isinstance(failure, CamsThrottled):
                pacing.limiter.refused(permit)
                rates.throttled(key, ceiling, permit.start)
        return body, failure
