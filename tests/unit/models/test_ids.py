"""Resource ids (ULIDs), user ids (UUIDs) and UTC timestamps."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenantkit.models.ids import (
    epoch_ms,
    is_resource_id,
    is_user_id,
    iso_utc,
    new_id,
    new_user_id,
    parse_iso_utc,
    ulid_time_ms,
)

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
MAX_ULID_MS = 2**48 - 1
ISO_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The property runs over 2005-2037; the parametrized cases below pin exactness outside that range.
moments = st.datetimes(
    min_value=dt.datetime(2005, 1, 1),  # hypothesis takes naive bounds
    max_value=dt.datetime(2037, 12, 31),
    timezones=st.just(dt.UTC),
)


def _truncated_to_ms(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# --- resource ids -------------------------------------------------------------------------------


def test_given_no_time_when_id_minted_should_be_26_crockford_chars() -> None:
    value = new_id()

    assert len(value) == 26
    assert set(value) <= CROCKFORD
    assert is_resource_id(value)


@settings(max_examples=200)
@given(now_ms=st.integers(0, MAX_ULID_MS))
def test_given_fixed_time_when_id_minted_should_encode_that_time(now_ms: int) -> None:
    value = new_id(now_ms)

    assert is_resource_id(value)
    assert ulid_time_ms(value) == now_ms


@settings(max_examples=100)
@given(times=st.lists(st.integers(0, MAX_ULID_MS), min_size=2, max_size=20, unique=True))
def test_given_increasing_times_when_ids_minted_should_sort_in_that_order(times: list[int]) -> None:
    ordered_times = sorted(times)

    ids = [new_id(now_ms) for now_ms in ordered_times]

    assert sorted(ids) == ids


def test_given_current_time_when_id_minted_should_carry_current_millis() -> None:
    before = int(dt.datetime.now(dt.UTC).timestamp() * 1000)

    value = new_id()

    after = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    assert before - 1 <= ulid_time_ms(value) <= after + 1


def test_given_same_millisecond_when_10k_ids_minted_should_all_be_unique() -> None:
    now_ms = 1_700_000_000_000

    ids = {new_id(now_ms) for _ in range(10_000)}

    assert len(ids) == 10_000


@pytest.mark.parametrize(
    "value",
    [
        "01arz3ndektsv4rrffq69g5fav",  # lower case
        "01ARZ3NDEKTSV4RRFFQ69G5FA",  # 25 characters
        "01ARZ3NDEKTSV4RRFFQ69G5FAVX",  # 27 characters
        "01ARZ3NDEKTSV4RRFFQ69G5FAI",  # I is not Crockford
        "01ARZ3NDEKTSV4RRFFQ69G5FAU",  # U is not Crockford
        "81ARZ3NDEKTSV4RRFFQ69G5FAV",  # first character above 7 overflows 128 bits
        "",
        None,
        42,
    ],
)
def test_given_malformed_value_when_checked_as_resource_id_should_be_false(value: object) -> None:
    assert not is_resource_id(value)


# --- user ids -----------------------------------------------------------------------------------


def test_given_minted_user_id_when_checked_should_be_user_id_not_resource_id() -> None:
    value = new_user_id()

    assert is_user_id(value)
    assert not is_resource_id(value)


@settings(max_examples=100)
@given(value=st.uuids())
def test_given_any_uuid_when_checked_should_accept_only_lowercase_canonical_form(value: uuid.UUID) -> None:
    canonical = str(value)

    assert is_user_id(canonical)
    assert not is_user_id(canonical.upper()) or canonical == canonical.upper()
    assert not is_user_id(value.hex)
    assert not is_user_id("{" + canonical + "}")


@pytest.mark.parametrize("value", [None, 7, "", "not-a-uuid", "01ARZ3NDEKTSV4RRFFQ69G5FAV"])
def test_given_non_uuid_when_checked_as_user_id_should_be_false(value: object) -> None:
    assert not is_user_id(value)


# --- timestamps ---------------------------------------------------------------------------------


@settings(max_examples=200)
@given(moment=moments)
def test_given_utc_moment_when_formatted_should_round_trip_at_millisecond_precision(moment: dt.datetime) -> None:
    text = iso_utc(moment)

    parsed = parse_iso_utc(text)

    assert ISO_FORMAT.match(text)
    assert parsed == _truncated_to_ms(moment)


@settings(max_examples=200)
@given(moment=moments)
def test_given_utc_moment_when_epoch_ms_taken_should_equal_exact_milliseconds(moment: dt.datetime) -> None:
    expected = (moment - EPOCH) // dt.timedelta(milliseconds=1)

    millis = epoch_ms(iso_utc(moment))

    assert millis == expected


@settings(max_examples=100)
@given(a=moments, b=moments)
def test_given_two_moments_when_formatted_should_sort_as_text_like_time(a: dt.datetime, b: dt.datetime) -> None:
    text_a, text_b = iso_utc(a), iso_utc(b)

    assert (text_a < text_b) == (_truncated_to_ms(a) < _truncated_to_ms(b))


def test_given_moment_in_other_zone_when_formatted_should_convert_to_utc() -> None:
    moment = dt.datetime(2024, 3, 1, 10, 30, 15, 123_456, tzinfo=dt.timezone(dt.timedelta(hours=2)))

    text = iso_utc(moment)

    assert text == "2024-03-01T08:30:15.123Z"


def test_given_naive_timestamp_when_parsed_should_be_taken_as_utc() -> None:
    parsed = parse_iso_utc("2024-03-01T08:30:15.123")

    assert parsed == dt.datetime(2024, 3, 1, 8, 30, 15, 123_000, tzinfo=dt.UTC)


def test_given_offset_timestamp_when_epoch_ms_taken_should_honour_offset() -> None:
    millis = epoch_ms("1970-01-01T01:00:00.250+01:00")

    assert millis == 250


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2038-01-19T03:14:08.002Z", 2_147_483_648_002), ("1970-04-09T10:41:33.166Z", 8_505_693_166)],
)
def test_given_timestamp_outside_2005_2037_when_epoch_ms_taken_should_be_exact(text: str, expected: int) -> None:
    assert epoch_ms(text) == expected


def test_given_many_ids_in_one_millisecond_when_minted_should_still_sort_in_minting_order() -> None:
    from tenantkit.models.ids import new_id as mint

    ids = [mint() for _ in range(2000)]

    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
