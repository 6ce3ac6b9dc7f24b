"""ServiceFactory: lazy services, one shared connection, table-name priority, injection, env loading."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest

from tenantkit.services.factory import ServiceFactory
from tenantkit.services.group_service import GroupService
from tenantkit.services.result import ErrorCode, ServiceResult


def test_given_a_factory_when_built_should_not_connect_until_a_service_runs(monkeypatch) -> None:
    connect = mock.Mock(side_effect=AssertionError("connected too early"))
    monkeypatch.setattr("tenantkit.services.factory.connect", connect)

    factory = ServiceFactory()
    service = factory.group_service

    assert isinstance(service, GroupService)
    assert factory.group_service is service
    connect.assert_not_called()


def test_given_no_injected_db_when_the_connection_is_needed_should_use_the_shared_one(monkeypatch) -> None:
    shared = mock.Mock(name="db")
    monkeypatch.setattr("tenantkit.services.factory.connect", lambda: shared)

    factory = ServiceFactory()

    assert factory.db is shared
    assert factory.db is shared


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GROUPS_TABLE_NAME": "groups-only", "APP_TABLE_NAME": "app"}, "groups-only"),
        ({"GROUPS_TABLE_NAME": "  ", "APP_TABLE_NAME": "app"}, "app"),
        ({}, "tenantkit-app"),
    ],
)
def test_given_table_settings_when_resolving_should_prefer_specific_then_generic_then_default(
    monkeypatch, environ, expected
) -> None:
    for name in ("GROUPS_TABLE_NAME", "APP_TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    factory = ServiceFactory(db=mock.Mock())

    assert factory.group_service.table.name == expected


def test_given_an_explicit_table_name_when_resolving_should_win_over_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("GROUPS_TABLE_NAME", "from-env")

    factory = ServiceFactory(db=mock.Mock(), table_name="explicit")

    assert factory.group_service.table.name == "explicit"


def test_given_a_mocked_factory_when_injected_into_a_caller_should_be_used_instead_of_production(make_ctx) -> None:
    def create_group(payload: dict[str, Any], injected_services: ServiceFactory | None = None) -> ServiceResult[Any]:
        services = injected_services or ServiceFactory()
        return services.group_service.create(make_ctx("member"), payload)

    fake = mock.create_autospec(ServiceFactory, instance=True)
    fake.group_service.create.return_value = ServiceResult.success_result({"id": "g1"}, status_code=201)

    result = create_group({"name": "x"}, injected_services=fake)

    assert result.data == {"id": "g1"}
    assert result.http_status == 201
    fake.group_service.create.assert_called_once()
    assert fake.group_service.create.call_args.args[1] == {"name": "x"}


def test_given_dynamodb_keeps_throttling_when_reading_should_answer_throttled_with_retry_after(make_ctx) -> None:
    from botocore.exceptions import ClientError

    db = mock.Mock()
    db.client.get_item.side_effect = ClientError(
        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "GetItem"
    )
    factory = ServiceFactory(db=db)
    from tenantkit.models.ids import new_id

    result = factory.group_service.get(make_ctx("member"), new_id())

    assert result.error_code is ErrorCode.THROTTLED
    assert result.http_status == 503
    assert result.error.retry_after_seconds
    assert result.error.retry_after_seconds >= 1
    assert "slow down" not in result.error.message


def test_given_an_env_file_and_event_when_loading_test_env_should_set_missing_vars_and_return_the_event(
    tmp_path, monkeypatch
) -> None:
    (tmp_path / ".env.development").write_text("APP_TABLE_NAME=from-file\nNEW_SETTING=yes\n")
    nested = tmp_path / "tests" / "events"
    nested.mkdir(parents=True)
    (tmp_path / "event.json").write_text(json.dumps({"event": {"httpMethod": "GET"}}))
    monkeypatch.setenv("APP_TABLE_NAME", "already-set")
    monkeypatch.delenv("NEW_SETTING", raising=False)

    event = ServiceFactory.load_test_env(nested, event_file_name="event.json")

    import os

    assert event == {"httpMethod": "GET"}
    assert os.environ["APP_TABLE_NAME"] == "already-set"
    assert os.environ["NEW_SETTING"] == "yes"
