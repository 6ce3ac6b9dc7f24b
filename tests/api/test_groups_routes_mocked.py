"""Every Groups route through `lambdas/groups` with an autospec `ServiceFactory`.

Checks the wiring only: which service method runs, with which `TenantContext` (built from the
authorizer claims) and which snake_case arguments, and how its `ServiceResult` becomes the HTTP
status and camelCase envelope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest.mock import MagicMock, create_autospec

import pytest
from events import body_of, claims_for, make_event

from tenantkit.auth.context import Role, TenantContext
from tenantkit.models.group import Group
from tenantkit.models.ids import new_id
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.group_service import GroupService
from tenantkit.services.result import ErrorCode, ListPage, ServiceResult

CID = "client-correlation-0001"
ITEM = "/groups/{groupId}"
LIST_METHODS = ("list_by_created", "list_by_type", "list_by_user_and_type")


@pytest.fixture(autouse=True)
def _quiet_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENANTKIT_METRICS", "off")


@pytest.fixture
def services() -> Any:
    factory = create_autospec(ServiceFactory, instance=True)
    factory.group_service = create_autospec(GroupService, instance=True)
    return factory


@pytest.fixture
def caller(make_ctx: Callable[..., TenantContext]) -> TenantContext:
    return make_ctx("member")


def expected_ctx(caller: TenantContext, role: Role = Role.MEMBER) -> TenantContext:
    """What the pipeline builds from `claims_for(caller)`: same identity, the request's correlation id."""
    return TenantContext(caller.tenant_id, caller.user_id, role, CID)


def send(handler: Any, services: Any, caller: TenantContext, method: str, resource: str, **kw: Any) -> dict[str, Any]:
    headers = {"X-Correlation-Id": CID, **kw.pop("headers", {})}
    claims = kw.pop("claims", None) or claims_for(caller)
    return handler(make_event(method, resource, headers=headers, claims=claims, **kw), None, services)  # type: ignore[no-any-return]


def a_group(caller: TenantContext, **fields: Any) -> Group:
    group = Group(caller.tenant_id, caller.user_id)
    group.name = "Alpha"
    group.group_type = "team"
    group.privacy_settings = {"visibility": "tenant"}
    group.metadata = {"My-Key": 1, "snake_key": {"Inner-Key": True}}
    for name, value in fields.items():
        setattr(group, name, value)
    return group


def assert_only_called(group_service: MagicMock, name: str | None) -> None:
    """No service method but `name` (None: none at all) was called."""
    for other in (*LIST_METHODS, "create", "get", "update", "delete"):
        if other != name:
            getattr(group_service, other).assert_not_called()


# -- GET /groups: the three query modes ---------------------------------------------------------


def test_given_no_query_when_listing_should_list_by_creation_time_and_answer_a_camel_page(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    group = a_group(caller)
    services.group_service.list_by_created.return_value = ServiceResult.success_result(ListPage([group], "next-1"))

    response = send(groups_lambda, services, caller, "GET", "/groups")

    services.group_service.list_by_created.assert_called_once_with(
        expected_ctx(caller), None, None, limit=None, cursor=None
    )
    assert_only_called(services.group_service, "list_by_created")
    assert response["statusCode"] == 200
    body = body_of(response)
    assert body["success"] is True
    assert body["data"] == {"items": [group.to_ui_payload()], "nextCursor": "next-1"}
    item = body["data"]["items"][0]
    assert item["groupType"] == "team"
    assert item["privacySettings"] == {"visibility": "tenant"}
    assert item["metadata"] == {"My-Key": 1, "snake_key": {"Inner-Key": True}}
    assert {"tenantId", "userId", "createdUtc", "updatedUtc"} <= set(item)
    assert "group_type" not in item
    assert isinstance(body["timestamp"], str)


def test_given_a_time_range_and_paging_when_listing_should_pass_snake_case_bounds_and_an_int_limit(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    services.group_service.list_by_created.return_value = ServiceResult.success_result(ListPage([], None))
    query = {
        "createdAfter": "2024-01-01T00:00:00Z",
        "createdBefore": "2024-02-01T00:00:00Z",
        "limit": "10",
        "cursor": "opaque",
    }

    response = send(groups_lambda, services, caller, "GET", "/groups", query=query)

    services.group_service.list_by_created.assert_called_once_with(
        expected_ctx(caller), "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", limit=10, cursor="opaque"
    )
    assert response["statusCode"] == 200
    assert body_of(response)["data"] == {"items": [], "nextCursor": None}


def test_given_group_type_when_listing_should_list_the_tenants_groups_of_that_type(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    services.group_service.list_by_type.return_value = ServiceResult.success_result(ListPage([a_group(caller)]))

    response = send(groups_lambda, services, caller, "GET", "/groups", query={"groupType": "team", "limit": "5"})

    services.group_service.list_by_type.assert_called_once_with(expected_ctx(caller), "team", limit=5, cursor=None)
    assert_only_called(services.group_service, "list_by_type")
    assert response["statusCode"] == 200
    assert body_of(response)["data"]["nextCursor"] is None


def test_given_group_type_and_user_id_when_listing_should_list_that_users_groups_of_that_type(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    services.group_service.list_by_user_and_type.return_value = ServiceResult.success_result(ListPage([]))
    query = {"groupType": "club", "userId": caller.user_id, "cursor": "c"}

    response = send(groups_lambda, services, caller, "GET", "/groups", query=query)

    services.group_service.list_by_user_and_type.assert_called_once_with(
        expected_ctx(caller), caller.user_id, "club", limit=None, cursor="c"
    )
    assert_only_called(services.group_service, "list_by_user_and_type")
    assert response["statusCode"] == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"userId": "00000000-0000-4000-8000-000000000000"}, "groupType"),
        ({"groupType": "team", "createdAfter": "2024-01-01T00:00:00Z"}, "groupType"),
    ],
    ids=["user-without-type", "type-with-range"],
)
def test_given_an_ambiguous_list_query_when_listing_should_answer_400_without_calling_a_service(
    groups_lambda: Any, services: Any, caller: TenantContext, query: dict[str, str], field: str
) -> None:
    response = send(groups_lambda, services, caller, "GET", "/groups", query=query)

    assert response["statusCode"] == 400
    error = body_of(response)["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == [field]
    assert_only_called(services.group_service, None)


# -- POST /groups --------------------------------------------------------------------------------


@pytest.mark.parametrize("status_code", [201, None], ids=["service-says-201", "route-default"])
def test_given_a_camel_body_when_creating_should_pass_snake_case_fields_and_answer_201(
    groups_lambda: Any, services: Any, caller: TenantContext, status_code: int | None
) -> None:
    created = a_group(caller)
    services.group_service.create.return_value = ServiceResult.success_result(created, status_code)
    body = {
        "name": "Alpha",
        "groupType": "team",
        "privacySettings": {"visibility": "tenant"},
        "metadata": {"My-Key": 1, "snake_key": {"Inner-Key": True}, "camelKey": 2},
    }

    response = send(groups_lambda, services, caller, "POST", "/groups", body=body)

    services.group_service.create.assert_called_once_with(
        expected_ctx(caller),
        {
            "name": "Alpha",
            "group_type": "team",
            "privacy_settings": {"visibility": "tenant"},
            "metadata": {"My-Key": 1, "snake_key": {"Inner-Key": True}, "camelKey": 2},
        },
    )
    assert response["statusCode"] == 201
    assert body_of(response)["data"] == created.to_ui_payload()


def test_given_admin_claims_via_cognito_groups_when_creating_should_pass_an_admin_context(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    claims = {**claims_for(caller), "cognito:groups": "member,admin"}
    del claims["custom:role"]
    services.group_service.create.return_value = ServiceResult.success_result(a_group(caller), 201)

    send(groups_lambda, services, caller, "POST", "/groups", body={"name": "A", "groupType": "t"}, claims=claims)

    ctx = services.group_service.create.call_args.args[0]
    assert ctx == expected_ctx(caller, Role.ADMIN)


# -- GET / PATCH / DELETE /groups/{groupId} ------------------------------------------------------


def test_given_an_id_when_getting_should_pass_it_and_answer_the_camel_group(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    group = a_group(caller)
    services.group_service.get.return_value = ServiceResult.success_result(group)

    response = send(groups_lambda, services, caller, "GET", ITEM, path_params={"groupId": group.id})

    services.group_service.get.assert_called_once_with(expected_ctx(caller), group.id)
    assert response["statusCode"] == 200
    assert body_of(response)["data"] == group.to_ui_payload()


def test_given_a_camel_patch_with_version_when_updating_should_pass_snake_changes_including_version(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    updated = a_group(caller, name="Beta", version=4)
    services.group_service.update.return_value = ServiceResult.success_result(updated)
    body = {"name": "Beta", "privacySettings": {"visibility": "private"}, "metadata": {"A-B": None}, "version": 3}

    response = send(groups_lambda, services, caller, "PATCH", ITEM, path_params={"groupId": updated.id}, body=body)

    services.group_service.update.assert_called_once_with(
        expected_ctx(caller),
        updated.id,
        {"name": "Beta", "privacy_settings": {"visibility": "private"}, "metadata": {"A-B": None}, "version": 3},
    )
    assert response["statusCode"] == 200
    assert body_of(response)["data"]["version"] == 4


@pytest.mark.parametrize(("query", "version"), [({"version": "2"}, 2), (None, None)], ids=["versioned", "plain"])
def test_given_an_id_when_deleting_should_pass_the_version_and_answer_200_with_the_deleted_group(
    groups_lambda: Any, services: Any, caller: TenantContext, query: dict[str, str] | None, version: int | None
) -> None:
    deleted = a_group(caller, version=2)
    services.group_service.delete.return_value = ServiceResult.success_result(deleted)

    response = send(groups_lambda, services, caller, "DELETE", ITEM, path_params={"groupId": deleted.id}, query=query)

    services.group_service.delete.assert_called_once_with(expected_ctx(caller), deleted.id, version)
    assert response["statusCode"] == 200
    assert body_of(response)["data"] == deleted.to_ui_payload()


# -- error results -> status and envelope --------------------------------------------------------


def test_given_a_conflict_result_when_updating_should_answer_409_with_camel_details_and_correlation_id(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    services.group_service.update.return_value = ServiceResult.error_result(
        "x", "CONFLICT", [{"field": "version", "current_version": 3}]
    )

    response = send(
        groups_lambda, services, caller, "PATCH", ITEM, path_params={"groupId": new_id()}, body={"name": "n"}
    )

    assert response["statusCode"] == 409
    body = body_of(response)
    assert body["success"] is False
    assert body["error"] == {"code": "CONFLICT", "message": "x", "details": [{"field": "version", "currentVersion": 3}]}
    assert body["correlationId"] == CID
    assert response["headers"]["X-Correlation-Id"] == CID
    assert isinstance(body["timestamp"], str)
    assert "data" not in body


def test_given_a_throttled_result_when_getting_should_answer_503_with_retry_after(
    groups_lambda: Any, services: Any, caller: TenantContext
) -> None:
    services.group_service.get.return_value = ServiceResult.error_result(
        "busy", ErrorCode.THROTTLED, retry_after_seconds=7
    )

    response = send(groups_lambda, services, caller, "GET", ITEM, path_params={"groupId": new_id()})

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "7"
    assert body_of(response)["error"]["code"] == "THROTTLED"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ErrorCode.VALIDATION_ERROR, 400),
        (ErrorCode.UNAUTHORIZED, 401),
        (ErrorCode.FORBIDDEN, 403),
        (ErrorCode.NOT_FOUND, 404),
        (ErrorCode.PAYLOAD_TOO_LARGE, 413),
        (ErrorCode.INTERNAL_ERROR, 500),
    ],
)
def test_given_an_error_result_when_deleting_should_answer_the_codes_status_with_camel_field_paths(
    groups_lambda: Any, services: Any, caller: TenantContext, code: ErrorCode, status: int
) -> None:
    details = [{"field": "privacy_settings.visibility", "message": "is invalid"}]
    services.group_service.delete.return_value = ServiceResult.error_result("nope", code, details)

    response = send(groups_lambda, services, caller, "DELETE", ITEM, path_params={"groupId": new_id()})

    assert response["statusCode"] == status
    error = body_of(response)["error"]
    assert error["code"] == code.value
    assert error["details"] == [{"field": "privacySettings.visibility", "message": "is invalid"}]
    assert "Retry-After" not in response["headers"]
