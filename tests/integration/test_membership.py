"""Tenants and users on moto: onboarding, roles, the last owner, unique emails, platform-only fields.

Includes the peer regressions of anchors.md 1-3: tenant users cannot change plan, tier, limits or
status, members cannot grant roles, and concurrent invitations of one email create one user.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from helpers import all_items, audit_records

from tenantkit.auth.context import Role, TenantContext
from tenantkit.models.ids import new_user_id
from tenantkit.services.events import InMemoryEventPublisher
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.identity import LocalIdentityStore
from tenantkit.services.result import ErrorCode


@pytest.fixture
def identity() -> LocalIdentityStore:
    return LocalIdentityStore()


@pytest.fixture
def publisher() -> InMemoryEventPublisher:
    return InMemoryEventPublisher()


@pytest.fixture
def services(moto_db: Any, identity: LocalIdentityStore, publisher: InMemoryEventPublisher) -> ServiceFactory:
    return ServiceFactory(db=moto_db, identity=identity, events=publisher)


@pytest.fixture
def operator() -> TenantContext:
    return TenantContext("", new_user_id(), Role.OPERATOR)


@pytest.fixture
def onboarded(services: ServiceFactory, operator: TenantContext) -> dict[str, Any]:
    result = services.tenant_service.create_tenant(
        operator, {"name": "Initech", "plan": "pro", "owner": {"email": "Bill@Initech.example", "name": "Bill"}}
    )
    assert result.success, result.error
    return result.data


def _as(user: Any, role: Role | None = None) -> TenantContext:
    return TenantContext(user.tenant_id, user.id, role or Role.parse(user.role))


def _invite(services: ServiceFactory, ctx: TenantContext, email: str, role: str = "member") -> Any:
    return services.user_service.invite(ctx, {"email": email, "role": role})


def test_given_an_operator_when_onboarding_should_create_tenant_owner_identity_audit_and_events_at_once(
    services, onboarded, identity, publisher, moto_db
) -> None:
    tenant, owner = onboarded["tenant"], onboarded["owner"]

    stored = services.tenant_service.get_own(_as(owner)).data

    assert (stored.name, stored.plan, stored.user_count, stored.owner_count) == ("Initech", "pro", 1, 1)
    assert owner.email == "bill@initech.example"
    assert identity.find(email="bill@initech.example").tenant_id == tenant.id
    assert identity.find(user_id=owner.id).role == "owner"
    assert {r["entity_type"] for r in audit_records(moto_db)} == {"tenant", "user"}
    assert publisher.names() == ["TenantCreated", "UserInvited"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ADMIN, Role.OWNER])
def test_given_a_tenant_user_when_creating_a_tenant_should_answer_forbidden(services, role) -> None:
    ctx = TenantContext("01JDEM0ACME0000000000000AA", new_user_id(), role)

    result = services.tenant_service.create_tenant(ctx, {"name": "x", "owner": {"email": "a@b.example"}})

    assert result.error_code is ErrorCode.FORBIDDEN


@pytest.mark.parametrize("field", ["plan", "tier", "limits", "status"])
@pytest.mark.parametrize("role", ["admin", "owner"])
def test_given_a_tenant_user_when_changing_a_platform_field_should_answer_forbidden_and_change_nothing(
    services, onboarded, moto_db, role, field
) -> None:
    owner = onboarded["owner"]
    ctx = _as(owner, Role.parse(role))
    values = {"plan": "enterprise", "tier": "silo", "limits": {"max_users": 100000}, "status": "suspended"}
    before = all_items(moto_db)

    result = services.tenant_service.update_own(ctx, {field: values[field]})

    assert result.error_code is ErrorCode.FORBIDDEN
    assert all_items(moto_db) == before


def test_given_the_owner_when_renaming_the_tenant_should_succeed_and_the_operator_may_change_the_plan(
    services, onboarded, operator, publisher
) -> None:
    owner, tenant = onboarded["owner"], onboarded["tenant"]

    renamed = services.tenant_service.update_own(_as(owner), {"name": "Initrode", "settings": {"theme": "dark"}})
    upgraded = services.tenant_service.operator_update(operator, tenant.id, {"plan": "enterprise"})

    assert renamed.success
    assert upgraded.success
    assert (upgraded.data.name, upgraded.data.plan, upgraded.data.settings) == (
        "Initrode",
        "enterprise",
        {"theme": "dark"},
    )
    assert publisher.names()[-1] == "TenantPlanChanged"


def test_given_an_admin_when_inviting_should_grant_at_most_admin(services, onboarded) -> None:
    owner = onboarded["owner"]
    admin = _invite(services, _as(owner), "ada@initech.example", "admin").data

    as_admin = [
        _invite(services, _as(admin), f"{r}@initech.example", r).error_code for r in ("member", "admin", "owner")
    ]

    assert as_admin == [None, None, ErrorCode.FORBIDDEN]


def test_given_a_member_when_inviting_or_changing_roles_should_answer_forbidden(services, onboarded) -> None:
    owner = onboarded["owner"]
    member = _invite(services, _as(owner), "mo@initech.example").data
    other = _invite(services, _as(owner), "ot@initech.example").data

    results = [
        _invite(services, _as(member), "new@initech.example").error_code,
        services.user_service.update(_as(member), member.id, {"role": "admin"}).error_code,
        services.user_service.update(_as(member), other.id, {"role": "admin"}).error_code,
        services.user_service.update(_as(member), other.id, {"name": "renamed"}).error_code,
        services.user_service.list(_as(member)).error_code,
        services.user_service.get(_as(member), other.id).error_code,
    ]

    assert results == [ErrorCode.FORBIDDEN] * 6
    assert services.user_service.update(_as(member), member.id, {"name": "Mo"}).success
    assert services.user_service.get(_as(member), member.id).data.name == "Mo"


def test_given_a_used_email_when_inviting_again_should_answer_conflict_in_any_case(services, onboarded) -> None:
    owner = onboarded["owner"]
    _invite(services, _as(owner), "dup@initech.example")

    again = _invite(services, _as(owner), "DUP@initech.example")

    assert again.error_code is ErrorCode.CONFLICT


def test_given_concurrent_invitations_of_one_email_when_run_should_create_exactly_one_user(
    services, onboarded, identity, moto_db
) -> None:
    owner = onboarded["owner"]
    barrier = threading.Barrier(4)
    results: list[Any] = []

    def invite() -> None:
        barrier.wait(timeout=10)
        results.append(_invite(services, _as(owner), "race@initech.example"))

    threads = [threading.Thread(target=invite) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(str(r.error_code) for r in results) == ["CONFLICT"] * 3 + ["None"]
    users = [i for i in all_items(moto_db) if i.get("model_name") == "user" and i["email"] == "race@initech.example"]
    assert len(users) == 1
    assert identity.find(email="race@initech.example").user_id == users[0]["id"]


def test_given_the_last_owner_when_demoting_or_removing_should_answer_conflict(services, onboarded) -> None:
    owner = onboarded["owner"]

    demote = services.user_service.update(_as(owner), owner.id, {"role": "admin"})
    remove = services.user_service.delete(_as(owner), owner.id)

    assert demote.error_code is ErrorCode.CONFLICT
    assert remove.error_code is ErrorCode.CONFLICT
    assert services.user_service.get(_as(owner), owner.id).data.role == "owner"


def test_given_two_owners_when_one_is_demoted_should_keep_the_other_and_count_one_owner(
    services, onboarded, identity
) -> None:
    owner = onboarded["owner"]
    second = _invite(services, _as(owner), "co@initech.example", "owner").data

    demoted = services.user_service.update(_as(owner), second.id, {"role": "member"})
    last = services.user_service.update(_as(owner), owner.id, {"role": "member"})

    assert demoted.success
    assert identity.find(user_id=second.id).role == "member"
    assert last.error_code is ErrorCode.CONFLICT
    assert services.tenant_service.get_own(_as(owner)).data.owner_count == 1


def test_given_an_admin_when_removing_an_owner_should_answer_forbidden(services, onboarded) -> None:
    owner = onboarded["owner"]
    admin = _invite(services, _as(owner), "ad@initech.example", "admin").data

    result = services.user_service.delete(_as(admin), owner.id)

    assert result.error_code is ErrorCode.FORBIDDEN


def test_given_a_removed_user_when_done_should_free_the_email_delete_the_identity_and_recount(
    services, onboarded, identity
) -> None:
    owner = onboarded["owner"]
    member = _invite(services, _as(owner), "bye@initech.example").data

    removed = services.user_service.delete(_as(owner), member.id)
    again = _invite(services, _as(owner), "bye@initech.example")

    assert removed.success
    assert again.success
    assert identity.find(user_id=member.id) is None
    assert services.tenant_service.get_own(_as(owner)).data.user_count == 2


def test_given_a_full_tenant_when_inviting_should_answer_conflict_and_leave_no_identity(
    services, onboarded, operator, identity
) -> None:
    owner, tenant = onboarded["owner"], onboarded["tenant"]
    services.tenant_service.operator_update(operator, tenant.id, {"limits": {"max_users": 2}})
    _invite(services, _as(owner), "two@initech.example")

    over = _invite(services, _as(owner), "three@initech.example")

    assert over.error_code is ErrorCode.CONFLICT
    assert identity.find(email="three@initech.example") is None


def test_given_another_tenant_when_reading_or_changing_users_should_answer_not_found(
    services, onboarded, operator
) -> None:
    owner = onboarded["owner"]
    other = services.tenant_service.create_tenant(operator, {"name": "Other", "owner": {"email": "o@other.example"}})
    intruder = _as(other.data["owner"])

    results = [
        services.user_service.get(intruder, owner.id).error_code,
        services.user_service.update(intruder, owner.id, {"name": "x"}).error_code,
        services.user_service.delete(intruder, owner.id).error_code,
    ]

    assert results == [ErrorCode.NOT_FOUND] * 3


def test_given_a_user_unknown_to_the_identity_provider_when_removed_should_still_leave_the_tenant(
    services, onboarded, identity
) -> None:
    owner = onboarded["owner"]
    member = _invite(services, _as(owner), "ghost@initech.example").data
    identity.delete_user(user_id=member.id)

    removed = services.user_service.delete(_as(owner), member.id)

    assert removed.success
    assert services.user_service.get(_as(owner), member.id).error_code is ErrorCode.NOT_FOUND


def test_given_the_identity_provider_failing_when_inviting_should_answer_503_and_store_nothing(
    services, onboarded, identity, moto_db, monkeypatch
) -> None:
    from tenantkit.services.identity import IdentityProviderError

    owner = onboarded["owner"]
    before = all_items(moto_db)

    def broken(**_: Any) -> str:
        raise IdentityProviderError("provider down")

    monkeypatch.setattr(identity, "create_user", broken)
    result = _invite(services, _as(owner), "later@initech.example")

    assert result.error_code is ErrorCode.THROTTLED
    assert result.http_status == 503
    assert all_items(moto_db) == before


def test_given_the_operator_changing_one_limit_when_inviting_after_should_keep_the_other_limits(
    services, onboarded, operator
) -> None:
    owner, tenant = onboarded["owner"], onboarded["tenant"]

    changed = services.tenant_service.operator_update(operator, tenant.id, {"limits": {"max_groups": 100}})
    invited = _invite(services, _as(owner), "after@initech.example")

    assert changed.data.limits == {"max_users": 25, "max_groups": 100, "max_tasks": 10_000}
    assert invited.success
