"""UserService: a tenant's members and their roles, kept in step with the identity provider.

Rules: admins and owners list, invite, change and remove users; an admin acts only on members
and admins and grants at most admin; owners act on everyone. Everyone reads and renames
themselves. The last owner can be neither removed nor demoted (409), enforced by a condition on the
tenant's owner counter in the same transaction. An email is unique within the tenant (409),
enforced by a conditional put of its claim, not by a read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tenantkit.auth.context import Role, TenantContext
from tenantkit.models.ids import is_user_id, iso_utc, utc_now
from tenantkit.models.keys import build_prefix
from tenantkit.models.user import User, UserEmail, normalize_email
from tenantkit.services.audit_trail import audit_put
from tenantkit.services.base import TenantResourceService, forbidden, invalid, not_found
from tenantkit.services.events import DomainEvent
from tenantkit.services.identity import IdentityProvider, UnknownUserError, UserExistsError
from tenantkit.services.membership import join, leave, owners_change
from tenantkit.services.outbox import Outbox
from tenantkit.services.outcomes import conflict, expected_outcomes
from tenantkit.services.result import ListPage, ServiceResult
from tenantkit.store.expressions import Update, all_of, equals, exists
from tenantkit.store.gateway import ConditionFailedError, Table
from tenantkit.store.query import KeyQuery, begins_with


def _may_manage(actor: Role, target_role: str) -> bool:
    """Owners manage everyone; admins manage members and admins."""
    return actor.at_least(Role.OWNER) or (actor.at_least(Role.ADMIN) and target_role != "owner")


class UserService(TenantResourceService[User]):
    model_cls = User
    label = "User"

    def __init__(self, table: Table, identity: IdentityProvider, outbox: Outbox | None = None) -> None:
        super().__init__(table, outbox)
        self.identity = identity

    def can_read(self, ctx: TenantContext, model: User) -> bool:
        return ctx.is_admin or model.id == ctx.user_id

    def _check_id(self, item_id: object) -> ServiceResult[Any] | None:
        if not is_user_id(item_id):
            return invalid("Invalid user id", "user_id", "must be a valid user id")
        return None

    def _event(self, ctx: TenantContext, name: str, user: User, **payload: Any) -> DomainEvent:
        return DomainEvent(name, ctx.tenant_id, "user", user.id, ctx.user_id, {"role": user.role, **payload})

    @expected_outcomes
    def list(
        self, ctx: TenantContext, limit: int | None = None, cursor: str | None = None
    ) -> ServiceResult[ListPage[User]]:
        """The tenant's users by email (admins and owners)."""
        problem = self._bad_context(ctx)
        if problem:
            return problem
        if not ctx.is_admin:
            return forbidden("Only admins list users")
        index = User(ctx.tenant_id).get_key("gsi1")
        query = KeyQuery(
            "gsi1_pk", str(index.partition_key.value), "gsi1_sk", begins_with(build_prefix("email")), "gsi1", True
        )
        return self._list(ctx, query, limit, cursor)

    @expected_outcomes
    def invite(self, ctx: TenantContext, payload: Mapping[str, Any]) -> ServiceResult[User]:
        """Create the sign-in, then the membership; a duplicate email is a conflict and leaves nothing."""
        problem = self._bad_context(ctx) or self._schema_errors("create", payload)
        if problem:
            return problem
        if not ctx.is_admin or not _may_manage(ctx.role, str(payload["role"])):
            return forbidden("Your role cannot grant this role")
        email = normalize_email(str(payload["email"]))
        if self.view(ctx).get(UserEmail(ctx.tenant_id, "", email).key(), consistent=True):
            return conflict("A user with this email exists")
        name = str(payload.get("name", ""))
        try:
            user_id = self.identity.create_user(
                email=email, name=name, tenant_id=ctx.tenant_id, role=str(payload["role"])
            )
        except UserExistsError:
            return conflict("A user with this email exists")
        user = User(ctx.tenant_id, user_id)
        user.email, user.name, user.role = email, name, str(payload["role"])
        audit = audit_put(ctx, "create", user, {}, user.to_public_dict())
        try:
            self._commit(ctx, [*join(user), audit], [self._event(ctx, "UserInvited", user)])
        except ConditionFailedError as error:
            self.identity.delete_user(user_id=user_id)
            if error.index == 1:
                return conflict("A user with this email exists")
            if error.index == 2:
                return conflict("The tenant is suspended or has reached its user limit")
            raise
        except Exception:
            self.identity.delete_user(user_id=user_id)
            raise
        return ServiceResult.success_result(user, status_code=201)

    @expected_outcomes
    def update(
        self, ctx: TenantContext, item_id: str, changes: Mapping[str, Any], version: int | None = None
    ) -> ServiceResult[User]:
        """Rename (yourself, or as admin) or change the role (admins within their level)."""
        problem = self._bad_context(ctx) or self._check_id(item_id) or self._schema_errors("update", changes)
        if problem:
            return problem
        fields = dict(changes)
        expected = fields.pop("version", version)
        current = self._load(ctx, item_id)
        if current is None:
            return not_found(self.label)
        refusal = self._refuse_update(ctx, current, fields)
        if refusal:
            return refusal
        if expected is not None and expected != current.version:
            return conflict("User was modified (version mismatch)", current.version)
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            return ServiceResult.success_result(current)
        updated = current.clone()
        for name, value in changed.items():
            setattr(updated, name, value)
        updated.version, updated.updated_utc = current.version + 1, iso_utc(utc_now())
        set_values = {**changed, "version": updated.version, "updated_utc": updated.updated_utc}
        operations: list[Any] = [
            Update(current.key(), set_values, condition=all_of(exists("pk"), equals("version", current.version))),
            audit_put(ctx, "update", updated, {k: getattr(current, k) for k in changed}, changed),
        ]
        events = []
        if "role" in changed:
            delta = (updated.role == "owner") - (current.role == "owner")
            if delta:
                operations.insert(1, owners_change(ctx.tenant_id, delta))
            events.append(self._event(ctx, "UserRoleChanged", updated, previous_role=current.role))
        # The token's role comes from the provider: change it there first, and undo that on failure.
        known = "role" in changed and self._identity_call(self.identity.set_role, updated.id, role=updated.role)
        try:
            self._commit(ctx, operations, events)
        except Exception as error:
            if known:
                self.identity.set_role(user_id=current.id, role=current.role)
            if isinstance(error, ConditionFailedError) and error.index == 0:
                return conflict("User was modified concurrently; retry")
            if isinstance(error, ConditionFailedError) and error.index == 1 and "role" in changed:
                return conflict("The last owner cannot be demoted")
            raise
        return ServiceResult.success_result(updated)

    def _refuse_update(self, ctx: TenantContext, current: User, fields: dict[str, Any]) -> ServiceResult[Any] | None:
        if "role" in fields and fields["role"] != current.role:
            if not ctx.is_admin:
                return forbidden("Only admins change roles")
            if not (_may_manage(ctx.role, current.role) and _may_manage(ctx.role, str(fields["role"]))):
                return forbidden("Your role cannot grant or change this role")
        if "name" in fields and current.id != ctx.user_id and not _may_manage(ctx.role, current.role):
            return forbidden("You can rename only yourself")
        return None

    @expected_outcomes
    def delete(self, ctx: TenantContext, item_id: str, version: int | None = None) -> ServiceResult[User]:
        """Remove a member (admins; owners also remove owners, never the last one)."""
        problem = self._bad_context(ctx) or self._check_id(item_id)
        if problem:
            return problem
        current = self._load(ctx, item_id)
        if current is None:
            return not_found(self.label)
        if not ctx.is_admin or not _may_manage(ctx.role, current.role):
            return forbidden("Your role cannot remove this user")
        if version is not None and version != current.version:
            return conflict("User was modified (version mismatch)", current.version)
        audit = audit_put(ctx, "delete", current, current.to_public_dict(), {})
        known = self._identity_call(self.identity.disable_user, current.id)  # no sign-in from here on
        try:
            self._commit(ctx, [*leave(current), audit], [self._event(ctx, "UserRemoved", current)])
        except Exception as error:
            if known:
                self.identity.enable_user(user_id=current.id)
            if isinstance(error, ConditionFailedError) and error.index == 2:
                return conflict("The last owner cannot be removed")
            if isinstance(error, ConditionFailedError) and error.index == 0:
                return conflict("User was modified concurrently; retry")
            raise
        self._forget_identity(current.id)
        return ServiceResult.success_result(current)

    def _identity_call(self, call: Callable[..., None], user_id: str, **arguments: str) -> bool:
        """Apply `call` to the user's sign-in; False when the provider no longer knows the user."""
        try:
            call(user_id=user_id, **arguments)
        except UnknownUserError:
            return False
        return True

    def _forget_identity(self, user_id: str) -> None:
        """Delete the (already disabled) sign-in; if that fails it stays disabled, which is safe."""
        try:
            self.identity.delete_user(user_id=user_id)
        except Exception:
            from tenantkit.api.observability import get_logger

            get_logger().warning("identity left disabled, not deleted", extra={"user_id": user_id}, exc_info=True)

    def create(self, ctx: TenantContext, payload: Mapping[str, Any]) -> ServiceResult[User]:
        """Users join by invitation: `create` is `invite`."""
        return self.invite(ctx, payload)
