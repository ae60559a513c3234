"""The numbers one deployment has registered or adopted, and one create at a time per number.

The engine starts a provider process per deployment (`pulumi up`, `destroy`, `refresh`) and
configures it once, so one `RegistrationController` sees every create and delete of that
deployment, and keeps one `Claims`. Two resources of one deployment can name the same number: a
number declared twice (spelled differently, say), or a rename, where the new resource is
created and the old one deleted. Without this, the first would make two register calls for one
number (Meta counts both against its 10 per 72 hours) and the second would deregister the
number it just adopted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Claims"]


class Claims:
    """Per number: a lock held across a create's observe-and-register, and whether a create
    of this deployment registered or adopted it. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._creating: dict[str, threading.Lock] = {}
        self._claimed: set[str] = set()
        self._said: set[str] = set()

    @contextmanager
    def creating(self, phone: str) -> Iterator[bool]:
        """Hold the number's create lock; yields whether another create of this deployment has
        already registered or adopted the number (then the caller adopts it, and says why)."""
        with self._lock:
            lock = self._creating.setdefault(phone, threading.Lock())
        with lock:
            with self._lock:
                earlier = phone in self._claimed
            yield earlier

    def claim(self, phone: str) -> None:
        """Record that a create of this deployment registered or adopted ``phone``."""
        with self._lock:
            self._claimed.add(phone)

    def first(self, kind: str) -> bool:
        """Whether this is the deployment's first note of ``kind`` (an adoption, a number left
        registered): the one said aloud, the others at debug level."""
        with self._lock:
            first = kind not in self._said
            self._said.add(kind)
            return first

    def claimed(self, phone: str) -> bool:
        """Whether a create of this deployment registered or adopted ``phone``."""
        with self._lock:
            return phone in self._claimed
