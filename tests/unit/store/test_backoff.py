"""Full-jitter backoff inside a deadline, with a fake clock and a fake sleep."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenantkit.store import backoff
from tenantkit.store.backoff import Deadline


class FakeClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeSleep:
    """Records each delay and advances the clock by it."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.now += seconds


class FixedRandom:
    """Stands in for the module's random source: always the top of the jitter range."""

    def uniform(self, low: float, high: float) -> float:
        return high


@settings(max_examples=200)
@given(
    attempt=st.integers(0, 30),
    base=st.floats(0.001, 1.0),
    cap=st.floats(0.01, 5.0),
)
def test_given_ample_budget_when_sleeping_before_retry_should_delay_within_full_jitter_bounds(
    attempt: int, base: float, cap: float
) -> None:
    clock = FakeClock()
    sleep = FakeSleep(clock)
    deadline = Deadline(1000.0, clock=clock)

    retried = deadline.sleep_before_retry(attempt, base_seconds=base, cap_seconds=cap, sleep=sleep)

    assert retried is True
    assert len(sleep.delays) == 1
    assert 0 <= sleep.delays[0] <= min(cap, base * 2**attempt)


@settings(max_examples=100)
@given(attempt=st.integers(0, 30), overrun=st.floats(0.0, 100.0))
def test_given_budget_spent_when_sleeping_before_retry_should_refuse_without_sleeping(
    attempt: int, overrun: float
) -> None:
    clock = FakeClock()
    sleep = FakeSleep(clock)
    deadline = Deadline(2.0, clock=clock)
    clock.now += 2.0 + overrun

    retried = deadline.sleep_before_retry(attempt, sleep=sleep)

    assert retried is False
    assert sleep.delays == []
    assert deadline.remaining() == 0.0


@pytest.mark.parametrize(
    ("remaining", "attempt", "expected"),
    [
        (0.5, 3, True),  # delay 0.4 fits in 0.5
        (0.4, 3, False),  # delay 0.4 would use up exactly what is left
        (0.3, 3, False),  # delay 0.4 would overrun
        (0.9, 10, False),  # capped delay 1.0 would overrun
        (1.5, 10, True),  # capped delay 1.0 fits
    ],
)
def test_given_delay_near_the_deadline_when_sleeping_before_retry_should_only_sleep_when_it_fits(
    monkeypatch: pytest.MonkeyPatch, remaining: float, attempt: int, expected: bool
) -> None:
    monkeypatch.setattr(backoff, "_random", FixedRandom())
    clock = FakeClock()
    sleep = FakeSleep(clock)
    deadline = Deadline(remaining, clock=clock)

    retried = deadline.sleep_before_retry(attempt, base_seconds=0.05, cap_seconds=1.0, sleep=sleep)

    assert retried is expected
    assert sleep.delays == ([min(1.0, 0.05 * 2**attempt)] if expected else [])


def test_given_repeated_retries_when_sleeping_should_jitter_the_delays() -> None:
    clock = FakeClock()
    sleep = FakeSleep(clock)
    deadline = Deadline(10_000.0, clock=clock)

    for _ in range(50):
        deadline.sleep_before_retry(5, sleep=sleep)

    assert len(set(sleep.delays)) > 1


def test_given_clock_moves_when_remaining_asked_should_count_down_to_zero() -> None:
    clock = FakeClock()
    deadline = Deadline(3.0, clock=clock)

    clock.now += 1.0
    first = deadline.remaining()
    clock.now += 5.0
    second = deadline.remaining()

    assert first == pytest.approx(2.0)
    assert second == 0.0
