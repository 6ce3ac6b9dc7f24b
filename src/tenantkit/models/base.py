"""Base models: audit fields, the model name, DynamoDB item conversion and UI payloads.

Models are data transport objects on boto3-assist's `DynamoDBModelBase`: each defines its fields
and, in its constructor, its primary key and GSIs as `DynamoDBIndex` objects whose values are
lambdas over the instance built with `tenantkit.models.keys`. Models never touch AWS.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

from tenantkit.models._boto3_assist import (
    DynamoDBIndex,
    DynamoDBModelBase,
    exclude_from_serialization,
)
from tenantkit.models.casing import CaseMap
from tenantkit.models.ids import iso_utc, new_id, utc_now
from tenantkit.models.schema import ModelSchemas
from tenantkit.models.values import native

#: A key value: computed from the model's fields each time the key is read.
KeyValue = Callable[[], Any]

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class BaseModel(DynamoDBModelBase):
    """Audit fields shared by every item: id, timestamps, version, metadata, model version."""

    MODEL_VERSION: ClassVar[int] = 1
    #: Fields never copied into audit values (secrets, personal data).
    SENSITIVE_FIELDS: ClassVar[frozenset[str]] = frozenset()
    #: The JSON schemas of the model (snake_case); subclasses set their own.
    SCHEMAS: ClassVar[ModelSchemas | None] = None

    #: Every model class by its model name, so a stored record can name its schema (audit values).
    _by_type_name: ClassVar[dict[str, type[BaseModel]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        BaseModel._by_type_name[cls.type_name()] = cls

    @classmethod
    def model_for(cls, type_name: str) -> type[BaseModel] | None:
        """The model class whose `model_name` is `type_name` (None when unknown)."""
        return cls._by_type_name.get(type_name)

    def __init__(self) -> None:
        super().__init__()
        now = iso_utc(utc_now())
        self.id: str = new_id()
        self.created_utc: str = now
        self.updated_utc: str = now
        self.version: int = 1
        self.metadata: dict[str, Any] = {}
        self.model_version: int = self.MODEL_VERSION

    @property
    def model_name(self) -> str:
        """The snake_case class name (`UserProfile` -> `user_profile`), stored as the item type."""
        return type(self).type_name()

    @classmethod
    def type_name(cls) -> str:
        """The model name without an instance (`Group.type_name()` == "group")."""
        return _WORD_BOUNDARY.sub("_", cls.__name__).lower()

    @property
    @exclude_from_serialization  # type: ignore[untyped-decorator]
    def primary_index(self) -> DynamoDBIndex:
        primary: DynamoDBIndex = self.indexes.primary
        return primary

    def define_primary(self, partition: KeyValue, sort: KeyValue) -> DynamoDBIndex:
        """Register the table key (`pk`/`sk`) as a boto3-assist `DynamoDBIndex` with lazy values."""
        index = DynamoDBIndex()
        index.partition_key.attribute_name, index.partition_key.value = "pk", partition
        index.sort_key.attribute_name, index.sort_key.value = "sk", sort
        self.indexes.add_primary(index)
        return index

    def define_index(self, name: str, partition: KeyValue, sort: KeyValue) -> DynamoDBIndex:
        """Register GSI `name` with key attributes `<name>_pk`/`<name>_sk`; a value of None leaves
        the item out of that (sparse) index."""
        index = DynamoDBIndex(index_name=name)
        index.partition_key.attribute_name, index.partition_key.value = f"{name}_pk", partition
        index.sort_key.attribute_name, index.sort_key.value = f"{name}_sk", sort
        self.indexes.add_secondary(index)
        return index

    def field_names(self) -> list[str]:
        """The model's own data fields (public instance attributes)."""
        return [name for name in vars(self) if not name.startswith("_")]

    def clone(self) -> Self:
        """An independent copy. (`copy.deepcopy` would keep index lambdas bound to the original.)"""
        twin = type(self)()
        for name in self.field_names():
            setattr(twin, name, copy.deepcopy(getattr(self, name)))
        twin.ttl = self.ttl
        return twin

    def key(self) -> dict[str, str]:
        """The primary key attributes of this item, e.g. `{"pk": ..., "sk": ...}`."""
        primary = self.primary_index
        return {
            primary.partition_key.attribute_name: primary.partition_key.value,
            primary.sort_key.attribute_name: primary.sort_key.value,
        }

    def index_attributes(self) -> dict[str, str | None]:
        """Every key attribute (table and GSIs) with its value for the current field values.

        A `None` value means the item is absent from that (sparse) index.
        """
        values: dict[str, str | None] = dict(self.key())
        for index in self.indexes.secondaries.values():
            for key in (index.partition_key, index.sort_key):
                values[key.attribute_name] = key.value
        return values

    def to_item(self) -> dict[str, Any]:
        """The DynamoDB item: fields (None omitted, numbers as Decimal), `model_name` and all keys."""
        item: dict[str, Any] = self.to_resource_dictionary(include_indexes=False)
        for name, value in self.index_attributes().items():
            if value is not None:
                item[name] = value
        return item

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Self:
        """Rebuild a model from a stored item, setting only the model's own fields.

        Used instead of boto3-assist's `map()`, which coerces by the default's type
        (`bool("false")` is True, 7.9 becomes 7) and logs a warning for every key attribute.
        """
        model = cls()
        known = set(model.field_names())
        for name, value in item.items():
            if name in known:
                setattr(model, name, native(value))
        if "ttl" in item and item["ttl"] is not None:
            model.ttl = int(item["ttl"])
        return model

    def to_public_dict(self) -> dict[str, Any]:
        """The fields the API shows, snake_case, in schema order (keys and internals left out)."""
        schemas = type(self).SCHEMAS
        fields = schemas.public_fields if schemas else tuple(self.field_names())
        data = vars(self)
        return {name: native(data[name]) for name in fields if name in data}

    def to_ui_payload(self) -> dict[str, Any]:
        """camelCase representation for the SPA; only schema-declared keys are renamed."""
        return self._case_map().to_camel(self.to_public_dict())  # type: ignore[no-any-return]

    @classmethod
    def from_ui_payload(cls, payload: Mapping[str, Any]) -> dict[str, Any]:
        """snake_case field values from a camelCase payload (user maps untouched).

        Returns the converted payload rather than a model: services validate it and apply only
        allow-listed fields, never copying a body onto a stored model.
        """
        return cls._case_map().to_snake(dict(payload))  # type: ignore[no-any-return]

    @classmethod
    def _case_map(cls) -> CaseMap:
        schemas = cls.SCHEMAS
        if schemas is None:
            raise TypeError(f"{cls.__name__} declares no SCHEMAS")
        return schemas.case_map


class TenantModel(BaseModel):
    """An item that belongs to one tenant and has an owner (`user_id`)."""

    def __init__(self, tenant_id: str = "", user_id: str = "") -> None:
        super().__init__()
        self.tenant_id: str = tenant_id
        self.user_id: str = user_id
