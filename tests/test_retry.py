"""The retry helper on a fake clock: what is retried, how long it waits, when it gives up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pulumi_cams_provider.cams.errors import (
    CamsAmbiguous,
    CamsError,
    CamsInvalidRequest,
    CamsThrottled,
    CamsUnavailable,
)
from pulumi_cams_provider.cams.retry import RetryPolicy, call_with_retry

from tests.support.fake_clock import FakeClock


def failing(*errors: CamsError, result: str = "done") -> Callable[[], str]:
    """An attempt that raises the given errors in turn, then returns ``result``."""
    queue = list(errors)
    calls = []

    def attempt() -> str:
        calls.append(1)
        if queue:
            raise queue.pop(0)
        return result

    attempt.calls = calls  # type: ignore[attr-defined]
    return attempt


def throttled(retry_after: float | None = None) -> CamsThrottled:
    return CamsThrottled("flow control", code="System.LimitControl", retry_after=retry_after)


def run(attempt: Callable[[], str], policy: RetryPolicy, clock: FakeClock, **kw: object) -> str:
    return call_with_retry(
        attempt,
        policy,
        clock=clock,
        sleep=clock.sleep,
        uniform=kw.get("uniform", lambda lo, hi: hi),  # type: ignore[arg-type]
    )


def test_returns_at_once_without_errors() -> None:
    clock = FakeClock()
    assert run(failing(), RetryPolicy(), clock) == "done"
    assert clock.sleeps == []


def test_retries_retryable_errors_with_exponential_backoff() -> None:
    clock = FakeClock()
    attempt = failing(throttled(), CamsUnavailable("5xx"), throttled(), throttled())
    assert run(attempt, RetryPolicy(base=0.2, cap=5.0), clock) == "done"
    assert clock.sleeps == pytest.approx([0.2, 0.4, 0.8, 1.6])


def test_backoff_is_capped() -> None:
    clock = FakeClock()
    attempt = failing(*[throttled() for _ in range(8)])
    run(attempt, RetryPolicy(base=1.0, cap=3.0, deadline=1000), clock)
    assert clock.sleeps == pytest.approx([1, 2, 3, 3, 3, 3, 3, 3])


def test_full_jitter_draws_between_zero_and_the_ceiling() -> None:
    clock = FakeClock()
    bounds: list[tuple[float, float]] = []

    def uniform(lo: float, hi: float) -> float:
        bounds.append((lo, hi))
        return (lo + hi) / 2

    run(failing(throttled(), throttled()), RetryPolicy(base=0.5), clock, uniform=uniform)
    assert bounds == [(0.0, 0.5), (0.0, 1.0)]
    assert clock.sleeps == pytest.approx([0.25, 0.5])


def test_retry_after_is_a_floor() -> None:
    clock = FakeClock()
    attempt = failing(throttled(retry_after=1.5), throttled(retry_after=0.01))
    run(attempt, RetryPolicy(base=0.2), clock)
    assert clock.sleeps == pytest.approx([1.5, 0.4])


@pytest.mark.parametrize(
    "error",
    [CamsAmbiguous("reset", code="ConnectionFailed"), CamsInvalidRequest("no", code="X")],
)
def test_non_retryable_errors_are_raised_at_once(error: CamsError) -> None:
    clock = FakeClock()
    attempt = failing(error)
    with pytest.raises(type(error)) as exc:
        run(attempt, RetryPolicy(), clock)
    assert exc.value is error and len(attempt.calls) == 1  # type: ignore[attr-defined]
    assert clock.sleeps == []


def test_other_exceptions_are_not_caught() -> None:
    def attempt() -> str:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retry(attempt, RetryPolicy())


def test_gives_up_with_the_last_error_when_the_next_wait_passes_the_deadline() -> None:
    clock = FakeClock()
    errors = [throttled() for _ in range(20)]
    attempt = failing(*errors)
    with pytest.raises(CamsThrottled) as exc:
        run(attempt, RetryPolicy(base=1.0, cap=4.0, deadline=10.0), clock)
    # waits 1 + 2 + 4 = 7 s; the next 4 s wait would end at 11 s, past the deadline
    assert clock.sleeps == pytest.approx([1, 2, 4])
    assert exc.value is errors[3]
    assert len(attempt.calls) == 4  # type: ignore[attr-defined]


def test_a_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    clock = FakeClock()
    with pytest.raises(CamsThrottled):
        run(failing(throttled(retry_after=30)), RetryPolicy(deadline=5), clock)
    assert clock.sleeps == []


def test_time_spent_in_attempts_counts_against_the_deadline() -> None:
    clock = FakeClock()
    calls = []

    def slow() -> str:
        calls.append(clock.now)
        clock.now += 3.0
        raise CamsUnavailable("timeout", code="RequestTimeout")

    with pytest.raises(CamsUnavailable) as exc:
        call_with_retry(
            slow,
            RetryPolicy(base=0.1, deadline=10),
            clock=clock,
            sleep=clock.sleep,
            uniform=lambda lo, hi: hi,
        )
    # Failures end at 3, 6.1 and 9.3 s; the fourth attempt starts at 9.7 s, within the deadline.
    assert exc.value.code == "RequestTimeout"
    assert calls == pytest.approx([0, 3.1, 6.3, 9.7])
