"""Key builder: validated, case-preserving, delimiter-safe segments and tenant-first keys."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tenantkit.models.keys import (
    DELIMITER,
    MAX_SEGMENT_LENGTH,
    InvalidKeySegmentError,
    build_key,
    build_prefix,
    check_segment,
    sortable_number,
    sortable_text,
    tenant_key,
    tenant_prefix,
)

ASCII_CONTROLS = [chr(code) for code in range(0x20)] + ["\x7f"]
_FORBIDDEN_OUTPUT = re.compile(r"[#\x00-\x1f\x7f]")

# Text that may stand in a key: no delimiter, no control (Cc) or surrogate characters, not blank.
valid_segments = st.text(
    st.characters(exclude_characters=DELIMITER, exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip() != "")
forbidden_chars = st.sampled_from([DELIMITER, *ASCII_CONTROLS])
blank_segments = st.text(st.sampled_from(" \u00a0\u2003\u3000"), max_size=6)
non_text = st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text()), st.booleans())


@st.composite
def segments_with_forbidden_char(draw: st.DrawFn) -> str:
    return draw(valid_segments) + draw(forbidden_chars) + draw(st.sampled_from(["", "x", "abc"]))


# --- check_segment / build_key ------------------------------------------------------------------


@settings(max_examples=150)
@given(segments=st.lists(valid_segments, min_size=1, max_size=6))
def test_given_valid_segments_when_built_should_round_trip_by_splitting_on_delimiter(segments: list[str]) -> None:
    key = build_key(*segments)

    parts = key.split(DELIMITER)

    assert parts == segments


@settings(max_examples=100)
@given(label=valid_segments, value=valid_segments)
def test_given_labelled_segment_when_built_should_emit_label_then_value_verbatim(label: str, value: str) -> None:
    key = build_key((label, value), "tail")

    assert key == f"{label}#{value}#tail"


def test_given_mixed_case_segments_when_built_should_preserve_case_exactly() -> None:
    segments: list[str | tuple[str, str]] = [("Tenant", "AbC01xYz"), "GROUP", ("Id", "MiXeD")]

    key = build_key(*segments)

    assert key == "Tenant#AbC01xYz#GROUP#Id#MiXeD"


@settings(max_examples=150)
@given(bad=segments_with_forbidden_char())
def test_given_segment_with_delimiter_or_control_char_when_checked_should_raise(bad: str) -> None:
    with pytest.raises(InvalidKeySegmentError):
        check_segment(bad)


@settings(max_examples=100)
@given(bad=segments_with_forbidden_char(), position=st.integers(0, 3))
def test_given_forbidden_segment_anywhere_when_key_built_should_raise(bad: str, position: int) -> None:
    segments: list[str | tuple[str, str]] = ["a", "b", "c"]
    segments.insert(position, ("label", bad))

    with pytest.raises(InvalidKeySegmentError):
        build_key(*segments)


@settings(max_examples=50)
@given(blank=blank_segments)
def test_given_empty_or_whitespace_only_segment_when_checked_should_raise(blank: str) -> None:
    with pytest.raises(InvalidKeySegmentError):
        check_segment(blank)


@settings(max_examples=50)
@given(value=non_text)
def test_given_non_text_segment_when_checked_should_raise(value: object) -> None:
    with pytest.raises(InvalidKeySegmentError):
        check_segment(value)


@settings(max_examples=100)
@given(segment=valid_segments)
def test_given_valid_segment_when_checked_should_return_it_unchanged(segment: str) -> None:
    checked = check_segment(segment)

    assert checked == segment


def test_given_segment_longer_than_limit_when_checked_should_raise() -> None:
    at_limit = "a" * MAX_SEGMENT_LENGTH

    check_segment(at_limit)

    with pytest.raises(InvalidKeySegmentError):
        check_segment(at_limit + "a")


def test_given_no_segments_when_key_built_should_raise() -> None:
    with pytest.raises(InvalidKeySegmentError):
        build_key()


@pytest.mark.parametrize("control", ["\x85", "\x80", "\x9f"])
def test_given_segment_with_c1_control_char_when_checked_should_raise(control: str) -> None:
    with pytest.raises(InvalidKeySegmentError):
        check_segment(f"a{control}b")


# --- prefixes and tenant keys -------------------------------------------------------------------


@settings(max_examples=100)
@given(segments=st.lists(st.one_of(valid_segments, st.tuples(valid_segments, valid_segments)), min_size=1))
def test_given_any_valid_segments_when_prefix_built_should_end_with_delimiter(
    segments: list[str | tuple[str, str]],
) -> None:
    prefix = build_prefix(*segments)

    assert prefix.endswith(DELIMITER)
    assert prefix == build_key(*segments) + DELIMITER


@settings(max_examples=150)
@given(tenant=valid_segments, tail=st.lists(valid_segments, min_size=1, max_size=4))
def test_given_tenant_when_key_built_should_start_with_tenant_prefix(tenant: str, tail: list[str]) -> None:
    key = tenant_key(tenant, *tail)

    assert key.startswith(tenant_prefix(tenant))
    assert tenant_prefix(tenant) == f"tenant#{tenant}#"


@settings(max_examples=200)
@given(a=valid_segments, b=valid_segments, tail=st.lists(valid_segments, min_size=1, max_size=3))
def test_given_two_different_tenants_when_key_built_should_never_match_other_prefix(
    a: str, b: str, tail: list[str]
) -> None:
    assume(a != b)

    key_of_a = tenant_key(a, *tail)

    assert not key_of_a.startswith(tenant_prefix(b))


@pytest.mark.parametrize(("owner", "other"), [("t1", "t10"), ("t10", "t1"), ("T1", "t1")])
def test_given_tenant_ids_sharing_a_prefix_when_key_built_should_not_match_other_tenant(owner: str, other: str) -> None:
    key = tenant_key(owner, ("group", "g1"))

    assert not key.startswith(tenant_prefix(other))


def test_given_no_segment_after_tenant_when_tenant_key_built_should_raise() -> None:
    with pytest.raises(InvalidKeySegmentError):
        tenant_key("t1")


@pytest.mark.parametrize("tenant", ["", "  ", "t#1", "t\n1"])
def test_given_invalid_tenant_id_when_tenant_key_built_should_raise(tenant: str) -> None:
    with pytest.raises(InvalidKeySegmentError):
        tenant_key(tenant, "group")


# --- sortable text and numbers -----------------------------------------------------------------


@settings(max_examples=200)
@given(value=st.text(max_size=40))
def test_given_any_text_when_made_sortable_should_contain_no_delimiter_or_ascii_control(value: str) -> None:
    sortable = sortable_text(value)

    assert _FORBIDDEN_OUTPUT.search(sortable) is None


@settings(max_examples=200)
@given(value=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40))
def test_given_ascii_text_when_made_sortable_should_ignore_case(value: str) -> None:
    upper, lower = sortable_text(value.upper()), sortable_text(value.lower())

    assert upper == lower == sortable_text(value)


@settings(max_examples=200)
@given(
    a=st.text(st.characters(exclude_characters="%#", exclude_categories=("Cc", "Cs")), max_size=12),
    b=st.text(st.characters(exclude_characters="%#", exclude_categories=("Cc", "Cs")), max_size=12),
)
def test_given_plain_texts_when_made_sortable_should_keep_casefold_order(a: str, b: str) -> None:
    ordered_before = a.casefold() < b.casefold()

    sortable_before = sortable_text(a) < sortable_text(b)

    assert sortable_before == ordered_before


def test_given_lower_and_upper_case_names_when_made_sortable_should_order_case_insensitively() -> None:
    assert sortable_text("alpha") < sortable_text("Beta") < sortable_text("gamma")


def test_given_percent_and_delimiter_when_made_sortable_should_percent_encode_them() -> None:
    encoded = sortable_text("A%b#c\x01")

    assert encoded == "a%25b%23c%01"


@pytest.mark.parametrize(("first", "second"), [("#general", "$money"), ("a\x01", "a ")])
def test_given_text_with_delimiter_when_made_sortable_should_keep_casefold_order(first: str, second: str) -> None:
    assert first.casefold() < second.casefold()

    assert sortable_text(first) < sortable_text(second)


@settings(max_examples=200)
@given(a=st.integers(0, 10**15 - 1), b=st.integers(0, 10**15 - 1))
def test_given_numbers_in_range_when_made_sortable_should_order_as_numbers(a: int, b: int) -> None:
    text_a, text_b = sortable_number(a), sortable_number(b)

    assert (text_a < text_b) == (a < b)
    assert len(text_a) == len(text_b) == 15


@settings(max_examples=50)
@given(value=st.integers(max_value=-1))
def test_given_negative_number_when_made_sortable_should_raise(value: int) -> None:
    with pytest.raises(InvalidKeySegmentError):
        sortable_number(value)


def test_given_number_wider_than_width_when_made_sortable_should_raise() -> None:
    with pytest.raises(InvalidKeySegmentError):
        sortable_number(10**15)
