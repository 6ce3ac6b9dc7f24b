"""`TenantResourceService`: create, get, update, delete and list for one tenant-scoped model.

Every method takes the verified `TenantContext` and works on the table view bound to its tenant.
- create: conditional put (duplicate -> CONFLICT) + audit record, one transaction;
- update: one `UpdateItem` of the allow-listed fields sent, conditional on existence and on the
  version read (so the audit's old values are exact); a concurrent writer of other fields makes it
  re-read and retry, a stale client `version` answers CONFLICT with the current version;
- delete: conditional on existence and version, + audit record, one transaction.
Subclasses set `model_cls` and decide access in `can_read` / `can_modify`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from tenantkit.auth.context import TenantContext
from tenantkit.models.base import TenantModel
from tenantkit.models.ids import is_resource_id, is_user_id, iso_utc, utc_now
from tenantkit.services.audit_trail import audit_put
from tenantkit.services.events import DomainEvent
from tenantkit.services.outbox import Outbox
from tenantkit.services.outcomes import conflict, expected_outcomes
from tenantkit.services.result import ErrorCode, ListPage, ServiceResult
from tenantkit.store.expressions import Delete, Put, Update, WriteOp, all_of, equals, exists, not_exists
from tenantkit.store.gateway import ConditionFailedError, Table, TenantTable
from tenantkit.store.query import KeyQuery

M = TypeVar("M", bound=TenantModel)
#: How often an update or delete without a client version re-reads after losing a race.
RACE_ATTEMPTS = 5


def not_found(what: str) -> ServiceResult[Any]:
    return ServiceResult.error_result(f"{what} not found", ErrorCode.NOT_FOUND)


def forbidden(message: str = "Your role does not allow this") -> ServiceResult[Any]:
    return ServiceResult.error_result(message, ErrorCode.FORBIDDEN)


def identity_problem(ctx: TenantContext) -> ServiceResult[Any] | None:
    """UNAUTHORIZED unless the context names a well-formed tenant and user."""
    if not is_resource_id(ctx.tenant_id) or not is_user_id(ctx.user_id):
        return ServiceResult.error_result("Invalid identity", ErrorCode.UNAUTHORIZED)
    return None


def invalid(message: str, field: str | None = None, problem: str = "is invalid") -> ServiceResult[Any]:
    details = [{"field": field, "message": problem}] if field else []
    return ServiceResult.error_result(message, ErrorCode.VALIDATION_ERROR, details)


class TenantResourceService(Generic[M]):
    """CRUD with audit for one model on the single table."""

    model_cls: ClassVar[type[TenantModel]]
    #: Human name of the resource in messages ("Group").
    label: ClassVar[str] = "Item"

    def __init__(self, table: Table, outbox: Outbox | None = None) -> None:
        self.table = table
        self.outbox = outbox

    # -- access rules (override) -------------------------------------------------------------
    def can_read(self, ctx: TenantContext, model: M) -> bool:
        return ctx.is_admin or model.user_id == ctx.user_id

    def can_modify(self, ctx: TenantContext, model: M) -> bool:
        return ctx.is_admin or model.user_id == ctx.user_id

    # -- helpers -----------------------------------------------------------------------------
    def view(self, ctx: TenantContext) -> TenantTable:
        return self.table.for_tenant(ctx.tenant_id)

    def _new(self, ctx: TenantContext) -> M:
        return self.model_cls(ctx.tenant_id, ctx.user_id)  # type: ignore[return-value]

    def _key(self, ctx: TenantContext, item_id: str) -> dict[str, str]:
        model = self._new(ctx)
        model.id = item_id
        return model.key()

    def _load(self, ctx: TenantContext, item_id: str) -> M | None:
        item = self.view(ctx).get(self._key(ctx, item_id), consistent=True)
        return self.model_cls.from_item(item) if item else None  # type: ignore[return-value]

    def _bad_context(self, ctx: TenantContext) -> ServiceResult[Any] | None:
        return identity_problem(ctx)

    def _check_id(self, item_id: object) -> ServiceResult[Any] | None:
        if not is_resource_id(item_id):
            return invalid(f"Invalid {self.label.lower()} id", "id", "must be a valid id")
        return None

    def _schema_errors(self, which: str, payload: object) -> ServiceResult[Any] | None:
        schemas = self.model_cls.SCHEMAS
        assert schemas is not None
        if not isinstance(payload, Mapping):
            return invalid("The request body must be a JSON object", "body", "must be an object")
        problems = schemas.validator(which).errors(dict(payload))
        if problems:
            return ServiceResult.error_result(
                "The request is invalid", ErrorCode.VALIDATION_ERROR, [p.as_dict() for p in problems]
            )
        return None

    def events_for(
        self,
        ctx: TenantContext,
        action: str,
        before: M | None,
        after: M | None,
    ) -> list[DomainEvent]:
        """Override to emit domain events for a change (written to the outbox in its transaction)."""
        del ctx, action, before, after
        return []

    def _commit(self, ctx: TenantContext, operations: Sequence[WriteOp], events: Sequence[DomainEvent]) -> None:
        """Write the change, its audit record and its events atomically, then publish the events."""
        outbox_puts = self.outbox.puts(events) if self.outbox is not None else []
        self.view(ctx).write([*operations, *outbox_puts])
        if self.outbox is not None:
            self.outbox.after_commit(events)

    def merge_changes(self, current: M, changes: dict[str, Any]) -> dict[str, Any]:
        """Override where a field is updated partially (e.g. one key of a limits map); default: replace."""
        del current
        return changes

    def check_update(self, ctx: TenantContext, current: M, changes: dict[str, Any]) -> ServiceResult[Any] | None:
        """Override to refuse an update given the stored item (role limits, illegal transitions)."""
        del ctx, current, changes
        return None

    def may_retry_update(self, first_read: M, current: M, changes: dict[str, Any]) -> bool:
        """After losing a race, may the update be re-applied to `current`? Override for state machines.

        The default re-applies (other writers changed other fields). A transition that depends on the
        state the caller saw (e.g. a task's status) should answer False when that state moved on.
        """
        del first_read, current, changes
        return True

    def authorize_create(self, ctx: TenantContext, payload: Mapping[str, Any]) -> ServiceResult[Any] | None:
        """Override to refuse a create for the caller's role (return a FORBIDDEN result)."""
        del ctx, payload
        return None

    def extra_operations(self, ctx: TenantContext, before: M | None, after: M) -> list[WriteOp]:
        """Override to add writes or `ConditionCheck`s to a create's (`before` None) or update's transaction.

        E.g. "the referenced group still exists", checked atomically with the change. A failed
        condition among them is answered by `extra_operation_failed`.
        """
        del ctx, before, after
        return []

    def extra_operation_failed(self, ctx: TenantContext, index: int, after: M) -> ServiceResult[Any] | None:
        """The result when `extra_operations(...)[index]` failed its condition; None lets the error propagate."""
        del ctx, index, after
        return None

    def _extra_failed(
        self, ctx: TenantContext, error: ConditionFailedError, start: int, extra: Sequence[WriteOp], after: M
    ) -> ServiceResult[Any]:
        """Map a failed extra operation (written from position `start`) to its result; re-raise anything else."""
        position = error.index - start
        result = self.extra_operation_failed(ctx, position, after) if 0 <= position < len(extra) else None
        if result is None:
            raise error
        return result

    # -- operations --------------------------------------------------------------------------
    @expected_outcomes
    def create(self, ctx: TenantContext, payload: Mapping[str, Any]) -> ServiceResult[M]:
        """Create an item owned by the caller from a validated payload (201; duplicate id -> 409)."""
        problem = self._bad_context(ctx) or self._schema_errors("create", payload)
        problem = problem or self.authorize_create(ctx, payload)
        if problem:
            return problem
        model = self._new(ctx)
        for name, value in payload.items():
            setattr(model, name, copy.deepcopy(value))
        item = model.to_item()
        pk = model.primary_index.partition_key.attribute_name
        audit = audit_put(ctx, "create", model, {}, model.to_public_dict())
        operations: list[WriteOp] = [Put(item, not_exists(pk)), audit]
        extra = self.extra_operations(ctx, None, model)
        try:
            self._commit(ctx, [*operations, *extra], self.events_for(ctx, "create", None, model))
        except ConditionFailedError as error:
            if error.index == 0:
                return conflict(f"{self.label} already exists")
            return self._extra_failed(ctx, error, len(operations), extra, model)
        return ServiceResult.success_result(model, status_code=201)

    @expected_outcomes
    def get(self, ctx: TenantContext, item_id: str) -> ServiceResult[M]:
        problem = self._bad_context(ctx) or self._check_id(item_id)
        if problem:
            return problem
        model = self._load(ctx, item_id)
        if model is None:
            return not_found(self.label)
        if not self.can_read(ctx, model):
            return forbidden()
        return ServiceResult.success_result(model)

    @expected_outcomes
    def update(
        self, ctx: TenantContext, item_id: str, changes: Mapping[str, Any], version: int | None = None
    ) -> ServiceResult[M]:
        """Apply the allow-listed `changes`; `version` (or `changes["version"]`) makes it optimistic."""
        problem = self._bad_context(ctx) or self._check_id(item_id) or self._schema_errors("update", changes)
        if problem:
            return problem
        fields = dict(changes)
        expected = fields.pop("version", None) if version is None else version
        fields.pop("version", None)
        first_read: M | None = None
        for _ in range(RACE_ATTEMPTS):
            current = self._load(ctx, item_id)
            if current is None:
                return not_found(self.label)
            if not self.can_modify(ctx, current):
                return forbidden()
            if expected is not None and expected != current.version:
                return conflict(f"{self.label} was modified (version mismatch)", current.version)
            if first_read is not None and not self.may_retry_update(first_read, current, fields):
                return conflict(f"{self.label} was modified concurrently", current.version)
            first_read = first_read or current
            problem = self.check_update(ctx, current, fields)
            if problem:
                return problem
            outcome = self._try_update(ctx, current, fields)
            if outcome is not None:
                return outcome
        return conflict(f"{self.label} is being modified concurrently; retry")

    def _try_update(self, ctx: TenantContext, current: M, fields: dict[str, Any]) -> ServiceResult[M] | None:
        """One conditional update against the version read; None when another writer won the race."""
        fields = self.merge_changes(current, fields)
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            return ServiceResult.success_result(current)
        updated = current.clone()
        for name, value in changed.items():
            setattr(updated, name, copy.deepcopy(value))
        updated.version = current.version + 1
        updated.updated_utc = iso_utc(utc_now())
        old_keys, new_keys = current.index_attributes(), updated.index_attributes()
        set_values: dict[str, Any] = {
            **changed,
            "version": updated.version,
            "updated_utc": updated.updated_utc,
        }
        set_values.update({k: v for k, v in new_keys.items() if v is not None and v != old_keys.get(k)})
        removed = tuple(k for k, v in new_keys.items() if v is None and old_keys.get(k) is not None)
        pk = current.primary_index.partition_key.attribute_name
        operation = Update(current.key(), set_values, removed, all_of(exists(pk), equals("version", current.version)))
        audit = audit_put(ctx, "update", updated, {k: getattr(current, k) for k in changed}, changed)
        extra = self.extra_operations(ctx, current, updated)
        try:
            self._commit(ctx, [operation, audit, *extra], self.events_for(ctx, "update", current, updated))
        except ConditionFailedError as error:
            if error.index == 0:
                return None
            return self._extra_failed(ctx, error, 2, extra, updated)
        return ServiceResult.success_result(updated)

    @expected_outcomes
    def delete(self, ctx: TenantContext, item_id: str, version: int | None = None) -> ServiceResult[M]:
        """Delete the item (conditional on existence and version); returns what was deleted."""
        problem = self._bad_context(ctx) or self._check_id(item_id)
        if problem:
            return problem
        for _ in range(RACE_ATTEMPTS):
            current = self._load(ctx, item_id)
            if current is None:
                return not_found(self.label)
            if not self.can_modify(ctx, current):
                return forbidden()
            if version is not None and version != current.version:
                return conflict(f"{self.label} was modified (version mismatch)", current.version)
            pk = current.primary_index.partition_key.attribute_name
            operation = Delete(current.key(), all_of(exists(pk), equals("version", current.version)))
            audit = audit_put(ctx, "delete", current, current.to_public_dict(), {})
            try:
                self._commit(ctx, [operation, audit], self.events_for(ctx, "delete", current, None))
            except ConditionFailedError as error:
                if error.index == 0:
                    continue
                raise
            return ServiceResult.success_result(current)
        return conflict(f"{self.label} is being modified concurrently; retry")

    def _list(
        self, ctx: TenantContext, query: KeyQuery, limit: int | None, cursor: str | None
    ) -> ServiceResult[ListPage[M]]:
        page = self.view(ctx).query(query, limit=limit, cursor=cursor)
        items = [self.model_cls.from_item(item) for item in page.items]
        return ServiceResult.success_result(ListPage(items, page.next_cursor))  # type: ignore[arg-type]
