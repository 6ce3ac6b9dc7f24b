"""TaskService: a tenant's tasks. Members work on tasks they created or are assigned; admins on all.

Rules:
- read, update, complete: the creator, the assignee, or an admin; delete: the creator or an admin;
- `status` moves only along `TRANSITIONS` (COMPLETED and CANCELLED are terminal: no status change
  at all, not even to the same status); an illegal change answers CONFLICT with the current status;
- entering COMPLETED stamps `completed_utc`;
- a status change that lost a race to another writer who moved the status on answers CONFLICT
  instead of being re-applied, so two concurrent status changes never both win;
- `group_id` must name a group of the caller's tenant, checked inside the write transaction.

Lists (newest first, one query on a tenant-first partition, signed cursors): by status, by
assignee, by group. For members the "created or assigned" filter runs inside the query, so pages
are still filled to `limit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tenantkit.auth.context import TenantContext
from tenantkit.models.group import Group
from tenantkit.models.ids import is_resource_id, is_user_id, iso_utc, utc_now
from tenantkit.models.keys import build_prefix
from tenantkit.models.task import (
    COMPLETED,
    TASK_SCHEMAS,
    TASK_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Task,
)
from tenantkit.services.base import TenantResourceService, forbidden, invalid
from tenantkit.services.events import DomainEvent
from tenantkit.services.outcomes import expected_outcomes
from tenantkit.services.result import ErrorCode, ListPage, ServiceResult
from tenantkit.store.expressions import Condition, ConditionCheck, WriteOp, any_of, equals, exists
from tenantkit.store.query import KeyQuery, begins_with

#: Fields whose values events may carry (ids, status, dates); free text and metadata never do.
EVENT_FIELDS = ("status", "assignee_id", "group_id", "due_date")


def _illegal_transition(current_status: str, wanted: str) -> ServiceResult[Any]:
    if current_status in TERMINAL_STATUSES:
        message = f"The task is {current_status}; its status can no longer change"
    else:
        message = f"A task cannot move from {current_status} to {wanted}"
    return ServiceResult.error_result(
        message, ErrorCode.CONFLICT, [{"field": "status", "current_status": current_status}]
    )


def _date_problem(payload: object) -> ServiceResult[Any] | None:
    """`due_date` must be a real calendar date (the schema only guarantees `YYYY-MM-DD`)."""
    value = payload.get("due_date") if isinstance(payload, Mapping) else None
    if value is None:
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return invalid("The request is invalid", "due_date", "must be a real date (YYYY-MM-DD)")
    return None


class TaskService(TenantResourceService[Task]):
    model_cls = Task
    label = "Task"

    # -- access ------------------------------------------------------------------------------
    def _involved(self, ctx: TenantContext, model: Task) -> bool:
        return ctx.is_admin or ctx.user_id in (model.user_id, model.assignee_id)

    def can_read(self, ctx: TenantContext, model: Task) -> bool:
        return self._involved(ctx, model)

    def can_modify(self, ctx: TenantContext, model: Task) -> bool:
        return self._involved(ctx, model)

    def _visible_to(self, ctx: TenantContext) -> Condition | None:
        if ctx.is_admin:
            return None
        return any_of(equals("user_id", ctx.user_id), equals("assignee_id", ctx.user_id))

    # -- hooks of the base service -----------------------------------------------------------
    def authorize_create(self, ctx: TenantContext, payload: Mapping[str, Any]) -> ServiceResult[Any] | None:
        del ctx
        return _date_problem(payload)

    def check_update(self, ctx: TenantContext, current: Task, changes: dict[str, Any]) -> ServiceResult[Any] | None:
        del ctx
        wanted = changes.get("status")
        if wanted is not None:
            terminal = current.status in TERMINAL_STATUSES
            if terminal or (wanted != current.status and wanted not in TRANSITIONS.get(current.status, ())):
                return _illegal_transition(current.status, wanted)
        return _date_problem(changes)

    def may_retry_update(self, first_read: Task, current: Task, changes: dict[str, Any]) -> bool:
        """A status change was decided against the status first read: never re-apply it to another."""
        return "status" not in changes or current.status == first_read.status

    def _try_update(self, ctx: TenantContext, current: Task, fields: dict[str, Any]) -> ServiceResult[Task] | None:
        if fields.get("status") == COMPLETED and current.status != COMPLETED:
            fields = {**fields, "completed_utc": iso_utc(utc_now())}
        return super()._try_update(ctx, current, fields)

    def extra_operations(self, ctx: TenantContext, before: Task | None, after: Task) -> list[WriteOp]:
        """A newly referenced group must exist in the tenant when the change commits."""
        if after.group_id is None or (before is not None and before.group_id == after.group_id):
            return []
        group = Group(ctx.tenant_id)
        group.id = after.group_id
        return [ConditionCheck(group.key(), exists(group.primary_index.partition_key.attribute_name))]

    def extra_operation_failed(self, ctx: TenantContext, index: int, after: Task) -> ServiceResult[Any] | None:
        del ctx, after
        if index == 0:
            return invalid("The group does not exist", "group_id", "must name an existing group")
        return None

    def events_for(self, ctx: TenantContext, action: str, before: Task | None, after: Task | None) -> list[DomainEvent]:
        entity = after or before
        assert entity is not None

        def event(name: str, **payload: Any) -> DomainEvent:
            return DomainEvent(name, ctx.tenant_id, "task", entity.id, ctx.user_id, payload)

        if action == "create":
            return [event("TaskCreated", **{name: getattr(entity, name) for name in EVENT_FIELDS})]
        if action == "delete":
            return [event("TaskDeleted", assignee_id=entity.assignee_id, group_id=entity.group_id)]
        assert before is not None
        assert after is not None
        changed = [
            name
            for name in TASK_SCHEMAS.updatable_fields
            if name != "status" and getattr(before, name) != getattr(after, name)
        ]
        events: list[DomainEvent] = []
        if changed:
            shown = {name: getattr(after, name) for name in EVENT_FIELDS if name in changed}
            events.append(event("TaskUpdated", changed_fields=sorted(changed), **shown))
        if before.status != after.status:
            events.append(event("TaskStatusChanged", **{"from": before.status, "to": after.status}))
            if after.status == COMPLETED:
                events.append(event("TaskCompleted", completed_utc=after.completed_utc))
        return events

    # -- operations --------------------------------------------------------------------------
    @expected_outcomes
    def delete(self, ctx: TenantContext, item_id: str, version: int | None = None) -> ServiceResult[Task]:
        """Delete a task: its creator or an admin (an assignee may read and update, not delete)."""
        problem = self._bad_context(ctx) or self._check_id(item_id)
        if problem:
            return problem
        current = self._load(ctx, item_id)
        if current is not None and self.can_read(ctx, current) and not self._may_delete(ctx, current):
            return forbidden("Only the task's creator or an admin can delete it")
        return super().delete(ctx, item_id, version)

    def _may_delete(self, ctx: TenantContext, model: Task) -> bool:
        return ctx.is_admin or model.user_id == ctx.user_id

    def complete(self, ctx: TenantContext, task_id: str, version: int | None = None) -> ServiceResult[Task]:
        """Mark a PENDING or IN_PROGRESS task COMPLETED (`POST /tasks/{taskId}/complete`)."""
        return self.update(ctx, task_id, {"status": COMPLETED}, version)

    # -- lists -------------------------------------------------------------------------------
    def _probe(self, ctx: TenantContext, **fields: str) -> Task:
        """A task carrying just the fields an index key needs (to compute that key)."""
        probe = Task(ctx.tenant_id, ctx.user_id)
        for name, value in fields.items():
            setattr(probe, name, value)
        return probe

    def _newest_first(
        self, ctx: TenantContext, probe: Task, index: str, limit: int | None, cursor: str | None, visible: bool = True
    ) -> ServiceResult[ListPage[Task]]:
        definition = probe.get_key(index)
        query = KeyQuery(
            partition_attribute=definition.partition_key.attribute_name,
            partition_value=str(definition.partition_key.value),
            sort_attribute=definition.sort_key.attribute_name,
            sort=begins_with(build_prefix("created")),
            index=index,
            ascending=False,
            filter=self._visible_to(ctx) if visible else None,
        )
        return self._list(ctx, query, limit, cursor)

    @expected_outcomes
    def list_by_status(
        self, ctx: TenantContext, status: str, limit: int | None = None, cursor: str | None = None
    ) -> ServiceResult[ListPage[Task]]:
        """The tenant's tasks in `status`, newest first (members: those they created or are assigned)."""
        problem = self._bad_context(ctx)
        if problem:
            return problem
        if status not in TASK_STATUSES:
            return invalid("Invalid status", "status", "must be one of: " + ", ".join(TASK_STATUSES))
        return self._newest_first(ctx, self._probe(ctx, status=status), "gsi1", limit, cursor)

    @expected_outcomes
    def list_by_assignee(
        self, ctx: TenantContext, assignee_id: str, limit: int | None = None, cursor: str | None = None
    ) -> ServiceResult[ListPage[Task]]:
        """Tasks assigned to `assignee_id`, newest first (a member asking about someone else: those they created)."""
        problem = self._bad_context(ctx)
        if problem:
            return problem
        if not is_user_id(assignee_id):
            return invalid("Invalid assignee id", "assignee_id", "must be a valid user id")
        probe = self._probe(ctx, assignee_id=assignee_id)
        return self._newest_first(ctx, probe, "gsi2", limit, cursor, visible=assignee_id != ctx.user_id)

    @expected_outcomes
    def list_by_group(
        self, ctx: TenantContext, group_id: str, limit: int | None = None, cursor: str | None = None
    ) -> ServiceResult[ListPage[Task]]:
        """The tasks of a group, newest first (members: those they created or are assigned)."""
        problem = self._bad_context(ctx)
        if problem:
            return problem
        if not is_resource_id(group_id):
            return invalid("Invalid group id", "group_id", "must be a valid id")
        return self._newest_first(ctx, self._probe(ctx, group_id=group_id), "gsi3", limit, cursor)
