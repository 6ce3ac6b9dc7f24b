"""Signed pagination cursors: round trip, tamper detection, binding, garbage input."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tenantkit.store.cursor import MAX_CURSOR_LENGTH, CursorSigner, fingerprint
from tenantkit.store.errors import InvalidCursorError

SECRET = b"s" * 32
BINDING = fingerprint("tenant-1", "gsi1", "tenant#tenant-1#group", None, False, "None")
START_KEY = {"pk": "tenant#tenant-1#group#01ARZ3NDEKTSV4RRFFQ69G5FAV", "sk": "group#01ARZ3NDEKTSV4RRFFQ69G5FAV"}
URLSAFE = string.ascii_letters + string.digits + "-_"
B64_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"

start_keys = st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=40), min_size=1, max_size=4)


def test_given_start_key_when_encoded_and_decoded_should_round_trip() -> None:
    signer = CursorSigner(SECRET)

    cursor = signer.encode(START_KEY, BINDING)

    assert signer.decode(cursor, BINDING) == START_KEY
    assert cursor.startswith("c1.")
    assert "tenant" not in cursor


@settings(max_examples=100)
@given(start_key=start_keys, binding=st.text(max_size=40))
def test_given_any_start_key_and_binding_when_round_tripped_should_be_identical(
    start_key: dict[str, str], binding: str
) -> None:
    signer = CursorSigner(SECRET)

    decoded = signer.decode(signer.encode(start_key, binding), binding)

    assert decoded == start_key


@settings(max_examples=200)
@given(part=st.sampled_from([1, 2]), data=st.data())
def test_given_one_character_of_payload_or_signature_changed_when_decoded_should_raise(
    part: int, data: st.DataObject
) -> None:
    signer = CursorSigner(SECRET)
    pieces = signer.encode(START_KEY, BINDING).split(".")
    original = pieces[part]
    position = data.draw(st.integers(0, len(original) - 1), label="position")
    replacement = data.draw(st.sampled_from(URLSAFE + "+/=*!. ~é"), label="replacement")
    tampered = original[:position] + replacement + original[position + 1 :]
    assume(tampered != original)
    pieces[part] = tampered

    with pytest.raises(InvalidCursorError):
        signer.decode(".".join(pieces), BINDING)


def test_given_last_signature_character_changed_in_unused_bits_when_decoded_should_raise() -> None:
    signer = CursorSigner(SECRET)
    version, payload, signature = signer.encode(START_KEY, BINDING).split(".")
    # 32 bytes take 43 base64 characters: the last one carries 2 unused bits; flip the lowest.
    flipped = signature[:-1] + B64_ALPHABET[B64_ALPHABET.index(signature[-1]) ^ 1]

    with pytest.raises(InvalidCursorError):
        signer.decode(f"{version}.{payload}.{flipped}", BINDING)


def test_given_standard_base64_alphabet_instead_of_url_safe_when_decoded_should_raise() -> None:
    signer = CursorSigner(SECRET)
    cursor = next(c for i in range(100) if "-" in (c := signer.encode({"pk": f"k{i}"}, BINDING))[3:])

    with pytest.raises(InvalidCursorError):
        signer.decode(cursor[:3] + cursor[3:].replace("-", "+"), BINDING)


def test_given_cursor_for_another_binding_when_decoded_should_raise() -> None:
    signer = CursorSigner(SECRET)
    other = fingerprint("tenant-2", "gsi1", "tenant#tenant-2#group", None, False, "None")
    cursor = signer.encode(START_KEY, other)

    with pytest.raises(InvalidCursorError, match="does not belong"):
        signer.decode(cursor, BINDING)


def test_given_cursor_signed_with_another_secret_when_decoded_should_raise() -> None:
    cursor = CursorSigner(b"o" * 32).encode(START_KEY, BINDING)

    with pytest.raises(InvalidCursorError):
        CursorSigner(SECRET).decode(cursor, BINDING)


def test_given_cursor_with_other_version_when_decoded_should_raise() -> None:
    signer = CursorSigner(SECRET)
    cursor = signer.encode(START_KEY, BINDING)

    with pytest.raises(InvalidCursorError):
        signer.decode("c2" + cursor[2:], BINDING)


@settings(max_examples=200)
@given(garbage=st.text(max_size=300) | st.text(URLSAFE + ".", max_size=200).map(lambda text: "c1." + text))
def test_given_garbage_string_when_decoded_should_raise_only_invalid_cursor(garbage: str) -> None:
    signer = CursorSigner(SECRET)

    with pytest.raises(InvalidCursorError):
        signer.decode(garbage, BINDING)


@pytest.mark.parametrize("value", [None, b"c1.x.y", 5, ["c1", "x", "y"]])
def test_given_non_string_cursor_when_decoded_should_raise_invalid_cursor(value: object) -> None:
    with pytest.raises(InvalidCursorError):
        CursorSigner(SECRET).decode(value, BINDING)  # type: ignore[arg-type]


def test_given_cursor_longer_than_limit_when_decoded_should_raise() -> None:
    signer = CursorSigner(SECRET)
    huge_key = {"pk": "x" * MAX_CURSOR_LENGTH}
    cursor = signer.encode(huge_key, BINDING)

    with pytest.raises(InvalidCursorError):
        signer.decode(cursor, BINDING)


def test_given_signed_payload_with_non_text_key_values_when_decoded_should_raise() -> None:
    signer = CursorSigner(SECRET)
    cursor = signer.encode({"pk": 5}, BINDING)  # type: ignore[dict-item]

    with pytest.raises(InvalidCursorError):
        signer.decode(cursor, BINDING)


@pytest.mark.parametrize("secret", [b"", b"x" * 31])
def test_given_secret_shorter_than_32_bytes_when_signer_built_should_raise(secret: bytes) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        CursorSigner(secret)


def test_given_same_parts_when_fingerprinted_should_be_stable_and_distinct_per_tenant() -> None:
    first = fingerprint("t1", None, "tenant#t1#x", False)

    second = fingerprint("t1", None, "tenant#t1#x", False)

    assert first == second
    assert fingerprint("t10", None, "tenant#t1#x", False) != first
