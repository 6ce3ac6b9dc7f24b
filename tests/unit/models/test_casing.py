"""camelCase <-> snake_case driven by schemas; user-owned maps pass through untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenantkit.models import CaseMap, Group, camel_to_snake, snake_to_camel
from tenantkit.models.group import GROUP_SCHEMAS

TENANT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
USER = "2b1c3d4e-0000-4000-8000-000000000000"

LOWER, LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789"
# `[a-z][a-z0-9]*(_[a-z0-9]+)*`, e.g. `address_line_2`
snake_names = st.builds(
    lambda head, tail, parts: head + tail + "".join("_" + part for part in parts),
    st.sampled_from(LOWER),
    st.text(LOWER_DIGITS, max_size=6),
    st.lists(st.text(LOWER_DIGITS, min_size=1, max_size=4), max_size=3),
)
schema_names = st.lists(snake_names, min_size=1, max_size=8, unique_by=snake_to_camel)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
user_keys = st.one_of(st.sampled_from(["My-Key", "a_b", "someKey", "address_line_2", "groupType", ""]), st.text())
user_maps = st.dictionaries(user_keys, json_values, max_size=6)


def _schema(names: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": {name: {"type": "string"} for name in names}}


def _group() -> Group:
    group = Group(TENANT, USER)
    group.name = "Team"
    group.group_type = "team"
    group.color = "#abc"
    group.privacy_settings = {"visibility": "tenant"}
    return group


# --- name conversion ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("snake", "camel"),
    [("address_line_2", "addressLine2"), ("group_type", "groupType"), ("id", "id"), ("_private_x", "_privateX")],
)
def test_given_snake_name_when_converted_should_give_expected_camel(snake: str, camel: str) -> None:
    assert snake_to_camel(snake) == camel


@pytest.mark.parametrize(
    ("camel", "snake"), [("userID", "user_id"), ("addressLine2", "address_line2"), ("groupType", "group_type")]
)
def test_given_camel_name_when_heuristic_applied_should_give_expected_snake(camel: str, snake: str) -> None:
    assert camel_to_snake(camel) == snake


def test_given_schema_with_digit_segment_when_round_tripped_should_restore_address_line_2() -> None:
    case_map = CaseMap(_schema(["address_line_2", "city"]))

    camel = case_map.to_camel({"address_line_2": "Flat 1", "city": "Oslo"})
    snake = case_map.to_snake(camel)

    assert camel == {"addressLine2": "Flat 1", "city": "Oslo"}
    assert snake == {"address_line_2": "Flat 1", "city": "Oslo"}


# --- schema-driven round trips ------------------------------------------------------------------


@settings(max_examples=100)
@given(names=schema_names, data=st.data())
def test_given_snake_schema_when_data_round_tripped_should_be_identical(names: list[str], data: st.DataObject) -> None:
    case_map = CaseMap(_schema(names))
    record = data.draw(st.fixed_dictionaries({}, optional={name: scalars for name in names}))

    camel = case_map.to_camel(record)
    back = case_map.to_snake(camel)

    assert back == record
    assert list(back) == list(record)
    assert all("_" not in key for key in camel)


@settings(max_examples=100)
@given(names=schema_names, items=st.lists(st.dictionaries(snake_names, scalars, max_size=3), max_size=3))
def test_given_nested_objects_and_arrays_when_round_tripped_should_be_identical(
    names: list[str], items: list[dict[str, Any]]
) -> None:
    inner = _schema(names)
    schema = {"properties": {"home_address": inner, "past_addresses": {"type": "array", "items": inner}}}
    case_map = CaseMap(schema)
    declared = [{name: value for name, value in item.items() if name in names} for item in items]
    record = {"home_address": dict.fromkeys(names, "x"), "past_addresses": declared}

    camel = case_map.to_camel(record)

    assert set(camel) == {"homeAddress", "pastAddresses"}
    assert set(camel["homeAddress"]) == {snake_to_camel(name) for name in names}
    assert case_map.to_snake(camel) == record


@settings(max_examples=100)
@given(metadata=user_maps)
def test_given_user_map_when_round_tripped_should_be_byte_for_byte_identical(metadata: dict[str, Any]) -> None:
    payload = {"groupType": "team", "metadata": metadata}

    snake = Group.from_ui_payload(payload)
    camel = GROUP_SCHEMAS.case_map.to_camel(snake)

    assert json.dumps(snake["metadata"]) == json.dumps(metadata)
    assert json.dumps(camel) == json.dumps(payload)


def test_given_user_map_keys_in_any_spelling_when_converted_should_keep_them() -> None:
    metadata = {"My-Key": 1, "a_b": 2, "someKey": {"innerKey": [{"x_y": 3}]}}

    snake = Group.from_ui_payload({"metadata": metadata})

    assert json.dumps(snake) == json.dumps({"metadata": metadata})


def test_given_undeclared_top_level_key_when_converted_should_pass_through() -> None:
    case_map = CaseMap(_schema(["group_type"]))

    snake = case_map.to_snake({"groupType": "t", "someOtherKey": 1})

    assert snake == {"group_type": "t", "someOtherKey": 1}


@pytest.mark.parametrize(("first", "second"), [("address_line_2", "address_line2"), ("a_1", "a1"), ("ab_c", "ab_c_")])
def test_given_schema_whose_properties_collide_in_camel_case_when_mapped_should_raise(first: str, second: str) -> None:
    schema = _schema([first, second])

    with pytest.raises(ValueError, match="both map to"):
        CaseMap(schema)


def test_given_nested_collision_when_mapped_should_raise() -> None:
    schema: dict[str, Any] = {"properties": {"outer": {"properties": {"x_1": {}, "x1": {}}}}}

    with pytest.raises(ValueError, match="both map to"):
        CaseMap(schema)


def test_given_input_when_converted_should_not_mutate_it() -> None:
    case_map = CaseMap(_schema(["group_type"]))
    record = {"group_type": "t"}

    case_map.to_camel(record)

    assert record == {"group_type": "t"}


# --- Group UI payloads --------------------------------------------------------------------------


def test_given_group_when_ui_payload_built_should_have_exactly_document_properties_in_camel_case() -> None:
    expected = [snake_to_camel(name) for name in GROUP_SCHEMAS.document["properties"]]

    payload = _group().to_ui_payload()

    assert list(payload) == expected
    assert payload["groupType"] == "team"
    assert payload["privacySettings"] == {"visibility": "tenant"}


@settings(max_examples=100)
@given(metadata=user_maps, name=st.text(min_size=1, max_size=20))
def test_given_group_when_ui_payload_round_tripped_should_give_snake_dict_back(
    metadata: dict[str, Any], name: str
) -> None:
    group = _group()
    group.metadata = metadata
    group.name = name

    back = Group.from_ui_payload(group.to_ui_payload())

    assert back == group.to_public_dict()
    assert json.dumps(back) == json.dumps(group.to_public_dict())


def test_given_group_payload_with_camel_keys_when_converted_should_give_snake_fields() -> None:
    payload = {"name": "N", "groupType": "team", "privacySettings": {"visibility": "private"}, "metadata": {"aB": 1}}

    snake = Group.from_ui_payload(payload)

    assert snake == {
        "name": "N",
        "group_type": "team",
        "privacy_settings": {"visibility": "private"},
        "metadata": {"aB": 1},
    }
