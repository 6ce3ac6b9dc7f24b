"""The table spec derived from the models, and the items (keys, fields) a Group produces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenantkit.models import Group, KeySpec, TableSpec, TenantModel, default_table_spec, new_id
from tenantkit.models._boto3_assist import DynamoDBIndex
from tenantkit.models.keys import DELIMITER, build_key, tenant_key

TENANT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
USER = "2b1c3d4e-0000-4000-8000-000000000000"
GSIS = ("gsi1", "gsi2", "gsi3")

tenant_ids = st.builds(lambda _: new_id(), st.integers()) | st.text(
    st.characters(exclude_characters="#", exclude_categories=("Cc", "Cs")), min_size=1, max_size=20
).filter(str.strip)
group_types = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,10}", fullmatch=True)
# Names the create schema accepts (not blank), short enough that their sort key stays under the segment limit.
names = st.text(min_size=1, max_size=20).filter(str.strip)
# Floats below 2**53: larger integral floats come back as the int their shortest repr spells.
json_numbers = st.integers(-(10**12), 10**12) | st.floats(-(2.0**52), 2.0**52, allow_nan=False)


def _primary(model: TenantModel, kind: str) -> None:
    primary = DynamoDBIndex()
    primary.partition_key.attribute_name = "pk"
    primary.partition_key.value = lambda: tenant_key(model.tenant_id, (kind, model.id))
    primary.sort_key.attribute_name = "sk"
    primary.sort_key.value = lambda: build_key((kind, model.id))
    model.indexes.add_primary(primary)


def _secondary(model: TenantModel, index_name: str, partition: str, sort: str) -> None:
    index = DynamoDBIndex(index_name=index_name)
    index.partition_key.attribute_name = partition
    index.partition_key.value = lambda: tenant_key(model.tenant_id, "thing")
    index.sort_key.attribute_name = sort
    index.sort_key.value = lambda: build_key(("id", model.id))
    model.indexes.add_secondary(index)


class Widget(TenantModel):
    """gsi1 keyed on gsi1_pk / gsi1_sk, like Group."""

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        _primary(self, "widget")
        _secondary(self, "gsi1", "gsi1_pk", "gsi1_sk")


class Gadget(TenantModel):
    """gsi1 keyed on other attribute names: clashes with Widget and Group."""

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        _primary(self, "gadget")
        _secondary(self, "gsi1", "gadget_pk", "gadget_sk")


class Clashing(TenantModel):
    """A data field named like a key attribute of the table."""

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.gsi1_pk = "mine"
        _primary(self, "clashing")


class Gsi4Owner(TenantModel):
    """Defines gsi4, whose partition attribute `Clashing4` uses as a field."""

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        _primary(self, "owner")
        _secondary(self, "gsi4", "gsi4_pk", "gsi4_sk")


class Clashing4(TenantModel):
    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__(tenant_id, user_id)
        self.gsi4_pk = "mine"
        _primary(self, "clashing4")


def _group(name: str = "Team", group_type: str = "team", tenant: str = TENANT) -> Group:
    group = Group(tenant, USER)
    group.name = name
    group.group_type = group_type
    return group


# --- the spec -----------------------------------------------------------------------------------


def test_given_default_models_when_spec_built_should_have_pk_sk_and_three_gsis() -> None:
    spec = default_table_spec()

    assert spec.primary == KeySpec("pk", "sk")
    assert spec.gsis == {name: KeySpec(f"{name}_pk", f"{name}_sk") for name in GSIS}
    assert spec.ttl_attribute == "ttl"


def test_given_default_spec_when_create_arguments_built_should_describe_keys_and_indexes() -> None:
    arguments = default_table_spec().create_table_arguments("my-table")

    assert arguments["TableName"] == "my-table"
    assert arguments["BillingMode"] == "PAY_PER_REQUEST"
    assert arguments["AttributeDefinitions"] == [
        {"AttributeName": name, "AttributeType": "S"}
        for name in sorted(["pk", "sk", *(f"{g}_{part}" for g in GSIS for part in ("pk", "sk"))])
    ]
    assert arguments["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert [index["IndexName"] for index in arguments["GlobalSecondaryIndexes"]] == list(GSIS)
    assert arguments["GlobalSecondaryIndexes"][1] == {
        "IndexName": "gsi2",
        "KeySchema": [
            {"AttributeName": "gsi2_pk", "KeyType": "HASH"},
            {"AttributeName": "gsi2_sk", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }


def test_given_models_agreeing_on_an_index_when_spec_built_should_merge_them() -> None:
    spec = TableSpec.from_models([Group, Widget])

    assert spec.gsis["gsi1"] == KeySpec("gsi1_pk", "gsi1_sk")


@pytest.mark.parametrize("models", [[Widget, Gadget], [Gadget, Widget], [Group, Gadget]])
def test_given_two_models_defining_one_gsi_differently_when_spec_built_should_raise(
    models: list[type[TenantModel]],
) -> None:
    with pytest.raises(ValueError, match="gsi1"):
        TableSpec.from_models(models)


def test_given_model_field_named_like_key_attribute_when_spec_built_should_raise() -> None:
    with pytest.raises(ValueError, match="clash"):
        TableSpec.from_models([Group, Clashing])


def test_given_clashing_field_model_listed_after_index_owner_when_spec_built_should_raise() -> None:
    with pytest.raises(ValueError, match="clash"):
        TableSpec.from_models([Gsi4Owner, Clashing4])


def test_given_clashing_field_model_listed_before_index_owner_when_spec_built_should_raise() -> None:
    with pytest.raises(ValueError, match="clash"):
        TableSpec.from_models([Clashing4, Gsi4Owner])


def test_given_no_models_when_spec_built_should_raise() -> None:
    with pytest.raises(ValueError, match="at least one model"):
        TableSpec.from_models([])


# --- Group items --------------------------------------------------------------------------------


@settings(max_examples=150)
@given(tenant=tenant_ids, name=names, group_type=group_types)
def test_given_group_when_item_built_should_put_every_partition_key_under_its_tenant(
    tenant: str, name: str, group_type: str
) -> None:
    group = _group(name, group_type, tenant)

    item = group.to_item()

    for attribute in ("pk", *(f"{g}_pk" for g in GSIS)):
        assert item[attribute].startswith(f"tenant#{tenant}#")


@settings(max_examples=150)
@given(name=names)
def test_given_group_name_with_any_text_when_item_built_should_not_add_sort_key_segments(name: str) -> None:
    group = _group(name + "#evil#id#" + name)

    item = group.to_item()

    for attribute in ("gsi1_sk", "gsi2_sk"):
        label, _, id_label, group_id = item[attribute].split(DELIMITER)
        assert (label, id_label, group_id) == ("name", "id", group.id)


@pytest.mark.parametrize("longer", ["Team A", "Team!", 'team"s'])
def test_given_name_and_its_extension_when_sort_keys_compared_should_order_name_first(longer: str) -> None:
    shorter, extended = _group("Team"), _group(longer)

    assert shorter.to_item()["gsi2_sk"] < extended.to_item()["gsi2_sk"]


@pytest.mark.parametrize("name", ["#" * 100, "%" * 86, "ß" * 200])
def test_given_schema_valid_long_name_when_item_built_should_build_its_keys(name: str) -> None:
    assert Group.SCHEMAS is not None
    assert Group.SCHEMAS.validator("create").errors({"name": name, "group_type": "team"}) == []

    item = _group(name).to_item()

    assert item["gsi2_sk"].startswith("name#")


@settings(max_examples=100)
@given(
    name=names,
    description=st.text(max_size=30),
    metadata=st.dictionaries(st.text(max_size=8), json_numbers | st.text(max_size=8) | st.booleans(), max_size=5),
    version=st.integers(1, 10**6),
)
def test_given_group_when_item_read_back_should_reproduce_public_dict(
    name: str, description: str, metadata: dict[str, Any], version: int
) -> None:
    group = _group(name)
    group.description = description
    group.metadata = metadata
    group.version = version
    group.color = "#fff"

    restored = Group.from_item(group.to_item())

    assert restored.to_public_dict() == group.to_public_dict()
    assert restored.key() == group.key()


def test_given_item_with_unknown_and_key_attributes_when_read_should_ignore_them() -> None:
    item = {
        **_group().to_item(),
        "pk": "tenant#someone-else#group#X",
        "gsi1_pk": "tenant#someone-else#x",
        "bogus": "ignored",
        "model_name": "other",
    }

    restored = Group.from_item(item)

    assert not hasattr(restored, "bogus")
    assert restored.key()["pk"].startswith(f"tenant#{TENANT}#")
    assert restored.index_attributes()["gsi1_pk"].startswith(f"tenant#{TENANT}#")  # type: ignore[union-attr]
    assert restored.model_name == "group"


def test_given_item_with_decimal_numbers_when_read_should_give_int_and_float() -> None:
    item = {
        **_group().to_item(),
        "version": Decimal("7"),
        "model_version": Decimal("1"),
        "metadata": {"n": Decimal("4"), "x": Decimal("2.5"), "nested": [Decimal("1"), {"y": Decimal("-0.5")}]},
    }

    restored = Group.from_item(item)

    assert restored.version == 7
    assert type(restored.version) is int
    assert restored.metadata == {"n": 4, "x": 2.5, "nested": [1, {"y": -0.5}]}
    assert [type(restored.metadata["n"]), type(restored.metadata["x"])] == [int, float]


def test_given_group_with_float_metadata_when_item_built_should_store_decimal() -> None:
    group = _group()
    group.metadata = {"score": 1.25}

    item = group.to_item()

    assert item["metadata"] == {"score": Decimal("1.25")}
    assert item["model_name"] == "group"
