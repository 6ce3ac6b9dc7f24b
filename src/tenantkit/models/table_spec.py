"""The table spec: the one description of the single table, derived from the models' indexes.

CDK, the local stack and the test fixtures all build the table from `TableSpec`, so a model that
adds a GSI changes every environment at once and a clash between models fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tenantkit.models.base import BaseModel

TTL_ATTRIBUTE = "ttl"


@dataclass(frozen=True)
class KeySpec:
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableSpec:
    """Keys, GSIs (all projecting ALL, string keys) and the TTL attribute of the table."""

    primary: KeySpec
    gsis: dict[str, KeySpec] = field(default_factory=dict)
    ttl_attribute: str = TTL_ATTRIBUTE

    @classmethod
    def from_models(cls, models: Iterable[type[BaseModel]]) -> TableSpec:
        """Merge the index definitions of `models`; raise if two models disagree on one index."""
        primary: KeySpec | None = None
        gsis: dict[str, KeySpec] = {}
        owners: dict[str, str] = {}
        instances = [model_cls() for model_cls in models]
        for model in instances:
            model_cls = type(model)
            idx = model.primary_index
            this_primary = KeySpec(idx.partition_key.attribute_name, idx.sort_key.attribute_name)
            if primary is not None and this_primary != primary:
                raise ValueError(f"{model_cls.__name__} uses primary key {this_primary}, others {primary}")
            primary = this_primary
            for name, index in model.indexes.secondaries.items():
                spec = KeySpec(index.partition_key.attribute_name, index.sort_key.attribute_name)
                if gsis.setdefault(name, spec) != spec:
                    raise ValueError(f"{model_cls.__name__} defines {name} as {spec}, {owners[name]} as {gsis[name]}")
                owners.setdefault(name, model_cls.__name__)
        if primary is None:
            raise ValueError("a table spec needs at least one model")
        key_attributes = cls._key_attributes(primary, gsis)
        for model in instances:
            clashes = set(model.field_names()) & key_attributes
            if clashes:
                raise ValueError(f"{type(model).__name__} fields clash with key attributes: {sorted(clashes)}")
        return cls(primary=primary, gsis=dict(sorted(gsis.items())))

    @staticmethod
    def _key_attributes(primary: KeySpec, gsis: dict[str, KeySpec]) -> set[str]:
        names = {primary.partition_key, primary.sort_key}
        for spec in gsis.values():
            names |= {spec.partition_key, spec.sort_key}
        return names

    @property
    def key_attributes(self) -> set[str]:
        return self._key_attributes(self.primary, self.gsis)

    def create_table_arguments(self, table_name: str) -> dict[str, Any]:
        """Arguments for `CreateTable` (on-demand billing), as the local stack and tests use them."""
        return {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in sorted(self.key_attributes)
            ],
            "KeySchema": [
                {"AttributeName": self.primary.partition_key, "KeyType": "HASH"},
                {"AttributeName": self.primary.sort_key, "KeyType": "RANGE"},
            ],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": name,
                    "KeySchema": [
                        {"AttributeName": spec.partition_key, "KeyType": "HASH"},
                        {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
                for name, spec in self.gsis.items()
            ],
        }


def default_table_spec() -> TableSpec:
    """The spec for tenantkit's own models; add yours with `TableSpec.from_models([...])`."""
    from tenantkit.models.audit import AuditRecord
    from tenantkit.models.group import Group
    from tenantkit.models.outbox import OutboxRecord
    from tenantkit.models.task import Task
    from tenantkit.models.tenant import Tenant
    from tenantkit.models.user import User, UserEmail

    return TableSpec.from_models(
        [
            Group,
            Task,
            AuditRecord,
            OutboxRecord,
            Tenant,
            User,
            UserEmail,
        ]
    )
