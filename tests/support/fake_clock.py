"""A fake monotonic clock for code that takes ``clock`` and ``sleep`` callables."""

from __future__ import annotations


class FakeClock:
    """A clock that only moves when someone sleeps on it (or a test sets ``now``)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
