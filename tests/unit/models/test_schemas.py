"""Group create/update schemas: field errors, messages that never echo values, wire (camelCase) schemas."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import SchemaError

from tenantkit.models import CompiledSchema, FieldError, Group
from tenantkit.models.schema import to_wire_schema

SECRET = "ZZZ-SECRET-VALUE"
GROUP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _errors(which: str, payload: Any) -> list[FieldError]:
    assert Group.SCHEMAS is not None
    return Group.SCHEMAS.validator(which).errors(payload)


def _create(**fields: Any) -> dict[str, Any]:
    return {"name": "Team", "group_type": "team", **fields}


# --- valid payloads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        _create(),
        _create(
            id=GROUP_ID,
            description="d",
            icon=None,
            color="#a1B2c3",
            privacy_settings={"visibility": "tenant"},
            metadata={"My-Key": [1, {"x": None}]},
        ),
        _create(name="  Café  ", group_type="a.b_c-1", color=None),
    ],
)
def test_given_valid_create_payload_when_validated_should_have_no_errors(payload: dict[str, Any]) -> None:
    assert _errors("create", payload) == []


@pytest.mark.parametrize("payload", [{"name": "New"}, {"version": 3}, {"privacy_settings": {"visibility": "private"}}])
def test_given_valid_update_payload_when_validated_should_have_no_errors(payload: dict[str, Any]) -> None:
    assert _errors("update", payload) == []


# --- invalid payloads ---------------------------------------------------------------------------


def test_given_unknown_field_when_validated_should_name_it_as_not_allowed() -> None:
    errors = _errors("create", _create(owner_id="x", bogus=1))

    assert errors == [FieldError("bogus", "is not allowed"), FieldError("owner_id", "is not allowed")]


def test_given_unknown_nested_field_when_validated_should_give_dotted_path() -> None:
    errors = _errors("create", _create(privacy_settings={"visibility": "private", "extra": 1}))

    assert errors == [FieldError("privacy_settings.extra", "is not allowed")]


def test_given_missing_required_fields_when_validated_should_report_each_as_required() -> None:
    errors = _errors("create", {"description": "no name"})

    assert errors == [FieldError("group_type", "is required"), FieldError("name", "is required")]


@pytest.mark.parametrize(
    ("which", "payload", "field", "message"),
    [
        ("create", _create(name=5), "name", "must be of type string"),
        ("create", _create(metadata=[]), "metadata", "must be of type object"),
        ("create", _create(icon=1), "icon", "must be of type string or null"),
        ("update", {"version": "1"}, "version", "must be of type integer"),
        ("update", {"version": True}, "version", "must be of type integer"),
        ("create", [], "body", "must be of type object"),
    ],
)
def test_given_wrong_type_when_validated_should_report_expected_type(
    which: str, payload: Any, field: str, message: str
) -> None:
    errors = _errors(which, payload)

    assert FieldError(field, message) in errors


@pytest.mark.parametrize("group_type", ["te#am", "#", "team#", "-team", "", "a" * 65, "tea m"])
def test_given_group_type_not_key_safe_when_validated_should_be_invalid(group_type: str) -> None:
    errors = _errors("create", _create(group_type=group_type))

    assert [error.field for error in errors] == ["group_type"]


@pytest.mark.parametrize("name", ["   ", "\u00a0\u2003", "", "Te\x00am", "Te\nam", "\tTeam", "Team\x7f"])
def test_given_blank_name_or_name_with_control_chars_when_validated_should_be_invalid(name: str) -> None:
    errors = _errors("create", _create(name=name))

    assert errors
    assert {error.field for error in errors} == {"name"}


@pytest.mark.parametrize("field", ["name", "group_type", "id"])
def test_given_value_with_trailing_newline_when_validated_should_be_invalid(field: str) -> None:
    valid = {"name": "Team", "group_type": "team", "id": GROUP_ID}

    errors = _errors("create", {**valid, field: valid[field] + "\n"})

    assert [error.field for error in errors] == [field]


def test_given_empty_update_when_validated_should_require_at_least_one_field() -> None:
    errors = _errors("update", {})

    assert errors == [FieldError("body", "must contain at least one field")]


@pytest.mark.parametrize(
    "payload",
    [
        _create(name=SECRET * 20),
        _create(name=SECRET + "\x00"),
        _create(name=[SECRET]),
        _create(group_type=SECRET + "#"),
        _create(color=SECRET),
        _create(id=SECRET),
        _create(icon=SECRET * 10),
        _create(description=SECRET * 200),
        _create(metadata=SECRET),
        _create(metadata={f"k{i}": SECRET for i in range(51)}),
        _create(privacy_settings={"visibility": SECRET}),
        _create(privacy_settings=SECRET),
        SECRET,
    ],
)
def test_given_invalid_value_when_validated_should_never_echo_it_in_messages(payload: Any) -> None:
    errors = _errors("create", payload)

    assert errors
    assert all(SECRET not in error.message and SECRET not in error.field for error in errors)


@settings(max_examples=100)
@given(
    field=st.sampled_from(["name", "group_type", "color", "id", "icon", "metadata", "privacy_settings"]),
    value=st.text(min_size=1, max_size=30).map(lambda text: "ZZZ~" + text + "~ZZZ"),
)
def test_given_any_submitted_text_when_validated_should_not_appear_in_messages(field: str, value: str) -> None:
    errors = _errors("update", {field: value * 20 + "\x00#"})

    assert errors
    assert all(value not in error.message for error in errors)


def test_given_many_problems_when_validated_should_sort_errors_by_field() -> None:
    errors = _errors("create", {"zeta": 1, "color": "red", "alpha": 2})

    fields = [error.field for error in errors]
    assert fields == sorted(fields)
    assert FieldError("name", "is required") in errors


# --- compilation --------------------------------------------------------------------------------


def test_given_schemas_when_validator_requested_twice_should_compile_once() -> None:
    assert Group.SCHEMAS is not None

    first = Group.SCHEMAS.validator("create")
    second = Group.SCHEMAS.validator("create")

    assert first is second
    assert first._compiled() is second._compiled()


def test_given_invalid_schema_when_first_used_should_raise() -> None:
    compiled = CompiledSchema({"type": "no-such-type"})

    with pytest.raises(SchemaError, match="no-such-type"):
        compiled.errors({})


# --- wire schemas -------------------------------------------------------------------------------


def test_given_nested_schema_when_converted_to_wire_should_rename_properties_and_required() -> None:
    schema = {
        "type": "object",
        "properties": {
            "home_address": {"type": "object", "properties": {"line_one": {}}, "required": ["line_one"]},
            "past_addresses": {"type": "array", "items": {"properties": {"post_code": {}}, "required": ["post_code"]}},
            "contact": {"anyOf": [{"properties": {"phone_number": {}}}, {"type": "null"}]},
        },
        "required": ["home_address"],
    }
    original = copy.deepcopy(schema)

    wire = to_wire_schema(schema)

    assert list(wire["properties"]) == ["homeAddress", "pastAddresses", "contact"]
    assert wire["required"] == ["homeAddress"]
    assert wire["properties"]["homeAddress"]["properties"] == {"lineOne": {}}
    assert wire["properties"]["homeAddress"]["required"] == ["lineOne"]
    assert wire["properties"]["pastAddresses"]["items"]["required"] == ["postCode"]
    assert wire["properties"]["contact"]["anyOf"][0]["properties"] == {"phoneNumber": {}}
    assert schema == original


def test_given_group_create_schema_when_wire_form_requested_should_be_camel_case() -> None:
    assert Group.SCHEMAS is not None

    wire = Group.SCHEMAS.wire("create")

    assert wire["required"] == ["name", "groupType"]
    assert "privacySettings" in wire["properties"]
    assert "group_type" not in wire["properties"]
    assert wire["properties"]["privacySettings"]["required"] == ["visibility"]


def test_given_wire_schema_when_compiled_should_validate_camel_case_payloads() -> None:
    assert Group.SCHEMAS is not None
    compiled = CompiledSchema(Group.SCHEMAS.wire("create"))

    good = compiled.errors({"name": "Team", "groupType": "team", "privacySettings": {"visibility": "tenant"}})
    bad = compiled.errors({"name": "Team", "group_type": "team"})

    assert good == []
    assert FieldError("group_type", "is not allowed") in bad
    assert FieldError("groupType", "is required") in bad
