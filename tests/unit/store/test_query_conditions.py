"""Sort-key conditions that never widen a query, page sizes, and placeholder-only query requests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenantkit.store.errors import InvalidQueryError
from tenantkit.store.expressions import equals
from tenantkit.store.query import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    KeyQuery,
    SortCondition,
    begins_with,
    between,
    page_size,
)

PARTITION = "tenant#T1#group#type#team"
NAME = r"#n\d+"
VALUE = r":v\d+"
SORT_CLAUSE = rf"({NAME} (=|<|<=|>|>=) {VALUE}|begins_with\({NAME}, {VALUE}\)|{NAME} BETWEEN {VALUE} AND {VALUE})"
KEY_CONDITION = re.compile(rf"{NAME} = {VALUE}( AND {SORT_CLAUSE})?")

values = st.text(min_size=1, max_size=30)


@st.composite
def sort_conditions(draw: st.DrawFn) -> SortCondition:
    operator = draw(st.sampled_from(["eq", "lt", "lte", "gt", "gte", "begins_with", "between"]))
    value = draw(values)
    if operator == "begins_with":
        return begins_with(value + "#")
    if operator == "between":
        high = draw(values)
        return between(*sorted([value, high]))
    return SortCondition(operator, value)


def _query(**overrides: Any) -> KeyQuery:
    arguments: dict[str, Any] = {
        "partition_attribute": "gsi2_pk",
        "partition_value": PARTITION,
        "sort_attribute": "gsi2_sk",
        **overrides,
    }
    return KeyQuery(**arguments)


# --- sort conditions ----------------------------------------------------------------------------


@pytest.mark.parametrize("operator", ["eq", "lt", "lte", "gt", "gte", "begins_with", "between"])
def test_given_empty_value_when_condition_built_should_raise(operator: str) -> None:
    with pytest.raises(InvalidQueryError, match="non-empty"):
        SortCondition(operator, "", "z" if operator == "between" else None)


@pytest.mark.parametrize("value", [None, 5, b"name#"])
def test_given_non_text_value_when_condition_built_should_raise(value: Any) -> None:
    with pytest.raises(InvalidQueryError):
        SortCondition("eq", value)


@settings(max_examples=100)
@given(prefix=values.filter(lambda text: not text.endswith("#")))
def test_given_prefix_not_ending_with_delimiter_when_begins_with_built_should_raise(prefix: str) -> None:
    with pytest.raises(InvalidQueryError, match="delimiter"):
        begins_with(prefix)


def test_given_prefix_ending_with_delimiter_when_begins_with_built_should_accept() -> None:
    condition = begins_with("name#al#")

    assert (condition.operator, condition.value) == ("begins_with", "name#al#")


@pytest.mark.parametrize("high", [None, ""])
def test_given_between_with_one_bound_when_built_should_raise(high: str | None) -> None:
    with pytest.raises(InvalidQueryError, match="both bounds"):
        SortCondition("between", "a", high)


@settings(max_examples=100)
@given(low=values, high=values)
def test_given_between_bounds_when_built_should_refuse_only_reversed_order(low: str, high: str) -> None:
    if high < low:
        with pytest.raises(InvalidQueryError, match="wrong order"):
            between(low, high)
    else:
        assert between(low, high).high == high


@pytest.mark.parametrize("operator", ["ne", "contains", "EQ", "", "<="])
def test_given_unknown_operator_when_condition_built_should_raise(operator: str) -> None:
    with pytest.raises(InvalidQueryError, match="unknown"):
        SortCondition(operator, "x")


@pytest.mark.parametrize("operator", ["eq", "lt", "begins_with"])
def test_given_single_value_operator_with_high_bound_when_built_should_raise(operator: str) -> None:
    with pytest.raises(InvalidQueryError, match="one value"):
        SortCondition(operator, "a#", "b#")


@pytest.mark.parametrize("partition", ["", None])
def test_given_empty_partition_value_when_query_built_should_raise(partition: Any) -> None:
    with pytest.raises(InvalidQueryError, match="partition"):
        _query(partition_value=partition)


# --- page sizes ---------------------------------------------------------------------------------


def test_given_no_limit_when_page_size_asked_should_default_to_25() -> None:
    assert page_size(None) == DEFAULT_PAGE_SIZE == 25


@pytest.mark.parametrize("limit", [1, 25, 100])
def test_given_limit_in_range_when_page_size_asked_should_use_it(limit: int) -> None:
    assert page_size(limit) == limit


@pytest.mark.parametrize("limit", [0, -1, 101, 10**6, True, False, "10", 10.0])
def test_given_limit_out_of_range_or_not_int_when_page_size_asked_should_raise(limit: Any) -> None:
    with pytest.raises(InvalidQueryError, match=str(MAX_PAGE_SIZE)):
        page_size(limit)


# --- query requests -----------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    partition_attribute=st.text(min_size=1, max_size=12),
    partition_value=values,
    sort_attribute=st.text(min_size=1, max_size=12),
    sort=st.none() | sort_conditions(),
)
def test_given_any_names_and_values_when_request_built_should_use_placeholders_only(
    partition_attribute: str, partition_value: str, sort_attribute: str, sort: SortCondition | None
) -> None:
    query = KeyQuery(partition_attribute, partition_value, sort_attribute, sort=sort)

    request = query.request("tbl", 10, None)

    assert KEY_CONDITION.fullmatch(request["KeyConditionExpression"])
    expected_names = {partition_attribute} | ({sort_attribute} if sort is not None else set())
    assert set(request["ExpressionAttributeNames"].values()) == expected_names
    assert {"S": partition_value} in request["ExpressionAttributeValues"].values()


def test_given_filtered_gsi_query_when_request_built_should_bind_every_name_and_value() -> None:
    query = _query(sort=begins_with("name#al#"), index="gsi2", filter=equals("privacy_settings.visibility", "tenant"))

    request = query.request("tbl", 26, {"pk": {"S": "k"}})

    assert request["KeyConditionExpression"] == "#n0 = :v0 AND begins_with(#n1, :v1)"
    assert request["FilterExpression"] == "#n2.#n3 = :v2"
    assert request["ExpressionAttributeNames"] == {
        "#n0": "gsi2_pk",
        "#n1": "gsi2_sk",
        "#n2": "privacy_settings",
        "#n3": "visibility",
    }
    assert request["ExpressionAttributeValues"] == {
        ":v0": {"S": PARTITION},
        ":v1": {"S": "name#al#"},
        ":v2": {"S": "tenant"},
    }
    assert request["IndexName"] == "gsi2"
    assert request["Limit"] == 26
    assert request["ExclusiveStartKey"] == {"pk": {"S": "k"}}


def test_given_table_query_when_request_built_should_not_name_an_index() -> None:
    request = _query(partition_attribute="pk", sort_attribute="sk").request("tbl", 5, None)

    assert "IndexName" not in request
    assert "FilterExpression" not in request
    assert "ExclusiveStartKey" not in request
    assert request["TableName"] == "tbl"


@pytest.mark.parametrize("ascending", [True, False])
def test_given_order_when_request_built_should_set_scan_index_forward(ascending: bool) -> None:
    request = _query(ascending=ascending).request("tbl", 5, None)

    assert request["ScanIndexForward"] is ascending


def test_given_default_query_when_request_built_should_read_newest_first() -> None:
    request = _query().request("tbl", 5, None)

    assert request["ScanIndexForward"] is False


def test_given_between_condition_when_request_built_should_bind_both_bounds() -> None:
    request = _query(sort=between("created#001#", "created#009#")).request("tbl", 5, None)

    assert request["KeyConditionExpression"] == "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"
    assert request["ExpressionAttributeValues"][":v2"] == {"S": "created#009#"}


def test_given_queries_differing_in_order_or_filter_when_bound_should_differ() -> None:
    base = _query()

    variants = [
        _query(ascending=True),
        _query(filter=equals("a", 1)),
        _query(index="gsi2"),
        _query(sort=begins_with("x#")),
    ]

    assert all(variant.binding_parts() != base.binding_parts() for variant in variants)
