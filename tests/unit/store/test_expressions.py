"""Write operations and conditions: every name and value bound as a placeholder."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tenantkit.store.expressions import (
    Condition,
    ConditionCheck,
    Delete,
    ExpressionBuilder,
    Put,
    Update,
    all_of,
    any_of,
    equals,
    exists,
    not_exists,
    op_key,
)

KEY = {"pk": "tenant#T1#group#G1", "sk": "group#G1"}
KEY_NAMES = ("pk", "sk")
PLACEHOLDER_NAME = re.compile(r"#n\d+")
SET_CLAUSE = r"SET #n\d+ = :v\d+(, #n\d+ = :v\d+)*"
REMOVE_CLAUSE = r"REMOVE #n\d+(, #n\d+)*"
UPDATE_EXPRESSION = re.compile(rf"({SET_CLAUSE})?( ?{REMOVE_CLAUSE})?")

attribute_names = st.text(min_size=1, max_size=12).filter(lambda text: "." not in text)
plain_values = st.one_of(
    st.text(max_size=10),
    st.integers(-(10**9), 10**9),
    st.booleans(),
    st.none(),
    st.integers(-(10**8), 10**8).map(lambda n: n / 100),
)


def _only_placeholders(expression: str) -> bool:
    """Nothing but placeholders, operators, function names, parentheses and commas."""
    stripped = re.sub(r"#n\d+|:v\d+", "", expression)
    return re.fullmatch(r"[\s=(),.]*((attribute_(not_)?exists|AND|OR|SET|REMOVE)[\s=(),.]*)*", stripped) is not None


# --- Put ----------------------------------------------------------------------------------------


def test_given_put_without_condition_when_request_built_should_send_typed_item_only() -> None:
    request = Put({**KEY, "name": "x", "n": 2}).request("tbl")

    assert request == {
        "TableName": "tbl",
        "Item": {"pk": {"S": KEY["pk"]}, "sk": {"S": KEY["sk"]}, "name": {"S": "x"}, "n": {"N": "2"}},
    }


def test_given_put_with_not_exists_condition_when_request_built_should_bind_the_name() -> None:
    request = Put(dict(KEY), not_exists("pk")).request("tbl")

    assert request["ConditionExpression"] == "attribute_not_exists(#n0)"
    assert request["ExpressionAttributeNames"] == {"#n0": "pk"}
    assert "ExpressionAttributeValues" not in request


# --- Update -------------------------------------------------------------------------------------


def test_given_update_with_set_remove_and_condition_when_request_built_should_use_placeholders() -> None:
    update = Update(
        dict(KEY),
        {"name": "New", "status": "active", "version": 4},
        remove=("icon",),
        condition=all_of(exists("pk"), equals("version", 3)),
    )

    request = update.request("tbl")

    assert request["UpdateExpression"] == "SET #n0 = :v0, #n1 = :v1, #n2 = :v2 REMOVE #n3"
    assert request["ConditionExpression"] == "(attribute_exists(#n4) AND #n2 = :v3)"
    assert request["ExpressionAttributeNames"] == {
        "#n0": "name",
        "#n1": "status",
        "#n2": "version",
        "#n3": "icon",
        "#n4": "pk",
    }
    assert request["ExpressionAttributeValues"] == {
        ":v0": {"S": "New"},
        ":v1": {"S": "active"},
        ":v2": {"N": "4"},
        ":v3": {"N": "3"},
    }
    assert request["Key"] == {"pk": {"S": KEY["pk"]}, "sk": {"S": KEY["sk"]}}


def test_given_update_with_nothing_to_set_or_remove_when_request_built_should_raise() -> None:
    update = Update(dict(KEY), {}, condition=exists("pk"))

    with pytest.raises(ValueError, match="at least one attribute"):
        update.request("tbl")


def test_given_update_with_remove_only_when_request_built_should_have_no_values() -> None:
    request = Update(dict(KEY), {}, remove=("icon", "color")).request("tbl")

    assert request["UpdateExpression"] == "REMOVE #n0, #n1"
    assert "ExpressionAttributeValues" not in request


@settings(max_examples=100)
@given(
    set_values=st.dictionaries(attribute_names, plain_values, max_size=5),
    remove=st.lists(attribute_names, max_size=3, unique=True),
    condition_value=plain_values,
)
def test_given_any_names_and_values_when_update_built_should_never_splice_them_in(
    set_values: dict[str, Any], remove: list[str], condition_value: Any
) -> None:
    assume(set_values or remove)
    update = Update(dict(KEY), set_values, tuple(remove), equals("version", condition_value))

    request = update.request("tbl")

    assert UPDATE_EXPRESSION.fullmatch(request["UpdateExpression"])
    assert re.fullmatch(r"#n\d+ = :v\d+", request["ConditionExpression"])
    assert set(request["ExpressionAttributeNames"].values()) == {*set_values, *remove, "version"}
    assert len(request["ExpressionAttributeValues"]) == len(set_values) + 1
    assert all(len(value) == 1 for value in request["ExpressionAttributeValues"].values())


def test_given_float_value_when_bound_should_become_dynamodb_number() -> None:
    request = Update(dict(KEY), {"score": 1.5}).request("tbl")

    assert request["ExpressionAttributeValues"] == {":v0": {"N": "1.5"}}


# --- Delete and ConditionCheck ------------------------------------------------------------------


def test_given_delete_without_condition_when_request_built_should_send_key_only() -> None:
    request = Delete(dict(KEY)).request("tbl")

    assert request == {"TableName": "tbl", "Key": {"pk": {"S": KEY["pk"]}, "sk": {"S": KEY["sk"]}}}


def test_given_delete_with_version_condition_when_request_built_should_bind_value() -> None:
    request = Delete(dict(KEY), equals("version", 2)).request("tbl")

    assert request["ConditionExpression"] == "#n0 = :v0"
    assert request["ExpressionAttributeNames"] == {"#n0": "version"}
    assert request["ExpressionAttributeValues"] == {":v0": {"N": "2"}}


def test_given_condition_check_when_request_built_should_carry_condition_and_key() -> None:
    request = ConditionCheck(dict(KEY), any_of(exists("pk"), equals("status", "x"))).request("tbl")

    assert request["ConditionExpression"] == "(attribute_exists(#n0) OR #n1 = :v0)"
    assert request["ExpressionAttributeNames"] == {"#n0": "pk", "#n1": "status"}
    assert request["Key"] == {"pk": {"S": KEY["pk"]}, "sk": {"S": KEY["sk"]}}


# --- Condition.render ---------------------------------------------------------------------------


def test_given_dotted_attribute_when_rendered_should_bind_each_part() -> None:
    builder = ExpressionBuilder()

    expression = equals("privacy_settings.visibility", "tenant").render(builder)

    assert expression == "#n0.#n1 = :v0"
    assert builder.names == {"#n0": "privacy_settings", "#n1": "visibility"}


def test_given_nested_conditions_when_rendered_should_parenthesise_each_group() -> None:
    condition = all_of(not_exists("pk"), any_of(equals("a", 1), equals("b", 2)))

    expression = condition.render(ExpressionBuilder())

    assert expression == "(attribute_not_exists(#n0) AND (#n1 = :v0 OR #n2 = :v1))"


@settings(max_examples=150)
@given(
    attributes=st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4),
    raw_values=st.lists(st.text(max_size=10), min_size=4, max_size=4),
    joiner=st.sampled_from([all_of, any_of]),
)
def test_given_arbitrary_attributes_and_values_when_rendered_should_contain_placeholders_only(
    attributes: list[str], raw_values: list[str], joiner: Any
) -> None:
    builder = ExpressionBuilder()
    parts = [equals(name, value) for name, value in zip(attributes, raw_values, strict=False)]
    condition = joiner(*parts, exists(attributes[0]), not_exists(attributes[-1]))

    expression = condition.render(builder)

    assert _only_placeholders(expression)
    assert set(PLACEHOLDER_NAME.findall(expression)) == set(builder.names)
    assert sorted(builder.values) == sorted(f":v{i}" for i in range(len(parts)))


def test_given_unknown_condition_kind_when_rendered_should_raise() -> None:
    with pytest.raises(ValueError, match="unknown condition kind"):
        Condition("contains", "a", "b").render(ExpressionBuilder())


# --- op_key -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        Put({**KEY, "name": "x"}),
        Update(dict(KEY), {"name": "x"}),
        Delete(dict(KEY)),
        ConditionCheck(dict(KEY), exists("pk")),
    ],
)
def test_given_any_operation_when_key_asked_should_return_its_primary_key(op: Any) -> None:
    assert op_key(op, KEY_NAMES) == (KEY["pk"], KEY["sk"])


def test_given_put_with_decimal_sort_key_when_key_asked_should_return_text() -> None:
    op = Put({"pk": "tenant#T1#x", "sk": Decimal("5")})

    assert op_key(op, KEY_NAMES) == ("tenant#T1#x", "5")
