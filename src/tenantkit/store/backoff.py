"""Jittered exponential backoff inside a time budget."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

_random = secrets.SystemRandom()


class Deadline:
    """A point in (monotonic) time after which no more retries start."""

    def __init__(self, budget_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._ends = clock() + budget_seconds

    def remaining(self) -> float:
        return max(0.0, self._ends - self._clock())

    def sleep_before_retry(
        self,
        attempt: int,
        base_seconds: float = 0.05,
        cap_seconds: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> bool:
        """Sleep a full-jitter delay for retry number `attempt`; False (no sleep) if it would overrun."""
        delay = _random.uniform(0, min(cap_seconds, base_seconds * (2**attempt)))
        if delay >= self.remaining():
            return False
        sleep(delay)
        return True
