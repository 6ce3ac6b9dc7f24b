"""`ulid_floor` / `ulid_ceiling`: the smallest and largest ULID of a millisecond, for sort-key ranges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenantkit.models.ids import MAX_ULID_MS, is_resource_id, new_id, ulid_ceiling, ulid_floor, ulid_time_ms

milliseconds = st.integers(min_value=0, max_value=MAX_ULID_MS)


@given(milliseconds)
def test_given_a_millisecond_when_bounding_should_enclose_every_id_minted_then(millis: int) -> None:
    low, high = ulid_floor(millis), ulid_ceiling(millis)

    minted = [new_id(now_ms=millis) for _ in range(5)]

    assert is_resource_id(low)
    assert is_resource_id(high)
    assert ulid_time_ms(low) == ulid_time_ms(high) == millis
    assert all(low <= value <= high for value in minted)


@given(st.integers(min_value=0, max_value=MAX_ULID_MS - 1))
def test_given_adjacent_milliseconds_when_bounding_should_leave_no_gap_and_no_overlap(millis: int) -> None:
    ceiling, next_floor = ulid_ceiling(millis), ulid_floor(millis + 1)

    assert ceiling < next_floor
    assert new_id(now_ms=millis + 1) > ceiling
    assert new_id(now_ms=millis) < next_floor


def test_given_the_ends_of_the_ulid_range_when_bounding_should_spell_the_extreme_ids() -> None:
    assert ulid_floor(0) == "0" * 26
    assert ulid_ceiling(0) == "0" * 10 + "Z" * 16
    assert ulid_ceiling(MAX_ULID_MS) == "7" + "Z" * 25


@pytest.mark.parametrize("bad", [-1, MAX_ULID_MS + 1, 1.5, True, "1"])
def test_given_a_value_a_ulid_cannot_encode_when_bounding_should_raise_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="milliseconds"):
        ulid_floor(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="milliseconds"):
        ulid_ceiling(bad)  # type: ignore[arg-type]
