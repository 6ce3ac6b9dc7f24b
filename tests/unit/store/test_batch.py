"""Batch reads and writes against a fake client: chunking, retries, budget, tenant boundary."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tenantkit.models.keys import tenant_key
from tenantkit.models.table_spec import default_table_spec
from tenantkit.store.batch import GET_CHUNK, WRITE_CHUNK, batch_get, batch_write
from tenantkit.store.codec import to_attributes
from tenantkit.store.cursor import CursorSigner
from tenantkit.store.errors import TenantBoundaryError
from tenantkit.store.gateway import Table, TenantTable

TABLE = "t"
TENANT = "t1"
BUDGET = 0.3
# How long a call that runs out of budget may take beyond it (scheduling noise).
SLACK = 0.5

HoldBack = Callable[[int, list[dict[str, Any]]], list[dict[str, Any]]]


def _nothing(_call: int, _requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return []


class FakeDynamoDB:
    """Records batch calls; `hold_back(call_number, requests)` picks what comes back unprocessed."""

    def __init__(self, hold_back: HoldBack = _nothing) -> None:
        self.hold_back = hold_back
        self.write_calls: list[list[dict[str, Any]]] = []
        self.get_calls: list[dict[str, Any]] = []
        self.written_pks: list[str] = []

    def batch_write_item(self, **arguments: Any) -> dict[str, Any]:
        requests = list(arguments["RequestItems"][TABLE])
        self.write_calls.append(requests)
        left = self.hold_back(len(self.write_calls), requests)
        for request in requests:
            if request not in left:
                body = request.get("PutRequest", {}).get("Item") or request["DeleteRequest"]["Key"]
                self.written_pks.append(body["pk"]["S"])
        return {"UnprocessedItems": {TABLE: left} if left else {}}

    def batch_get_item(self, **arguments: Any) -> dict[str, Any]:
        request = arguments["RequestItems"][TABLE]
        self.get_calls.append(request)
        left = self.hold_back(len(self.get_calls), request["Keys"])
        found = [{**key, "found": {"BOOL": True}} for key in request["Keys"] if key not in left]
        response: dict[str, Any] = {"Responses": {TABLE: found}}
        if left:
            response["UnprocessedKeys"] = {TABLE: {"Keys": left, "ConsistentRead": request["ConsistentRead"]}}
        return response


def _table(fake: FakeDynamoDB, tenant: str = TENANT) -> TenantTable:
    client: Any = fake  # duck-types the two calls batch.py makes
    table = Table(
        client=lambda: client,
        name=TABLE,
        spec=default_table_spec(),
        cursor_signer=lambda: CursorSigner(b"x" * 32),
        retry_budget_seconds=BUDGET,
    )
    return table.for_tenant(tenant)


def _key(i: int, tenant: str = TENANT) -> dict[str, str]:
    return {"pk": tenant_key(tenant, ("item", str(i))), "sk": f"item#{i}"}


def _item(i: int, tenant: str = TENANT) -> dict[str, Any]:
    return {**_key(i, tenant), "n": i, "gsi1_pk": tenant_key(tenant, "items")}


def _half_for_first_calls(calls: int) -> HoldBack:
    def hold_back(call: int, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return requests[len(requests) // 2 :] if call <= calls else []

    return hold_back


def _last_three_forever(_call: int, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return requests[-3:]


# --- chunking -----------------------------------------------------------------------------------


def test_given_60_puts_when_written_should_send_chunks_of_at_most_25() -> None:
    fake = FakeDynamoDB()

    result = batch_write(_table(fake), puts=[_item(i) for i in range(60)])

    assert [len(call) for call in fake.write_calls] == [25, 25, 10]
    assert max(len(call) for call in fake.write_calls) <= WRITE_CHUNK
    assert (result.written, result.unprocessed) == (60, [])
    assert sorted(fake.written_pks) == sorted(_item(i)["pk"] for i in range(60))


def test_given_puts_and_deletes_when_written_should_send_both_request_kinds() -> None:
    fake = FakeDynamoDB()

    result = batch_write(_table(fake), puts=[_item(1)], deletes=[_key(2)])

    assert fake.write_calls == [
        [{"PutRequest": {"Item": to_attributes(_item(1))}}, {"DeleteRequest": {"Key": to_attributes(_key(2))}}]
    ]
    assert result.written == 2


def test_given_250_keys_when_read_should_send_chunks_of_at_most_100() -> None:
    fake = FakeDynamoDB()

    result = batch_get(_table(fake), [_key(i) for i in range(250)], consistent=True)

    assert [len(call["Keys"]) for call in fake.get_calls] == [100, 100, 50]
    assert max(len(call["Keys"]) for call in fake.get_calls) <= GET_CHUNK
    assert all(call["ConsistentRead"] is True for call in fake.get_calls)
    assert len(result.items) == 250
    assert result.unprocessed_keys == []


def test_given_duplicate_keys_when_read_should_ask_each_once() -> None:
    fake = FakeDynamoDB()
    keys = [_key(i) for i in range(30)]

    result = batch_get(_table(fake), keys + [dict(key) for key in reversed(keys)])

    asked = [key["pk"]["S"] for call in fake.get_calls for key in call["Keys"]]
    assert sorted(asked) == sorted(key["pk"] for key in keys)
    assert len(result.items) == 30


def test_given_nothing_to_do_when_batch_called_should_make_no_calls() -> None:
    fake = FakeDynamoDB()

    written = batch_write(_table(fake))
    read = batch_get(_table(fake), [])

    assert (written.written, written.unprocessed, read.items) == (0, [], [])
    assert fake.write_calls == []
    assert fake.get_calls == []


# --- retries and budget -------------------------------------------------------------------------


def test_given_unprocessed_writes_for_a_while_when_written_should_retry_until_processed() -> None:
    fake = FakeDynamoDB(_half_for_first_calls(2))

    result = batch_write(_table(fake), puts=[_item(i) for i in range(40)])

    assert len(fake.write_calls) > 2
    assert (result.written, result.unprocessed) == (40, [])
    assert sorted(fake.written_pks) == sorted(_item(i)["pk"] for i in range(40))


def test_given_unprocessed_keys_for_a_while_when_read_should_retry_until_all_returned() -> None:
    fake = FakeDynamoDB(_half_for_first_calls(2))

    result = batch_get(_table(fake), [_key(i) for i in range(40)])

    assert len(fake.get_calls) > 1
    assert sorted(item["pk"] for item in result.items) == sorted(_key(i)["pk"] for i in range(40))
    assert result.unprocessed_keys == []


def test_given_writes_left_unprocessed_forever_when_written_should_stop_in_budget_and_return_leftovers() -> None:
    fake = FakeDynamoDB(_last_three_forever)
    puts = [_item(i) for i in range(60)]
    started = time.monotonic()

    result = batch_write(_table(fake), puts=puts)

    elapsed = time.monotonic() - started
    assert elapsed < BUDGET + SLACK
    assert len(fake.write_calls) > 3
    assert result.written + len(result.unprocessed) == len(puts)
    leftover_pks = [entry["put"]["pk"] for entry in result.unprocessed]
    assert sorted(fake.written_pks + leftover_pks) == sorted(item["pk"] for item in puts)


def test_given_deletes_left_unprocessed_forever_when_written_should_return_them_as_deletes() -> None:
    fake = FakeDynamoDB(_last_three_forever)
    deletes = [_key(i) for i in range(5)]

    result = batch_write(_table(fake), deletes=deletes)

    assert result.written == 2
    assert result.unprocessed == [{"delete": key} for key in deletes[-3:]]


def test_given_keys_left_unprocessed_forever_when_read_should_stop_in_budget_and_return_leftovers() -> None:
    fake = FakeDynamoDB(_last_three_forever)
    keys = [_key(i) for i in range(250)]
    started = time.monotonic()

    result = batch_get(_table(fake), keys)

    elapsed = time.monotonic() - started
    assert elapsed < BUDGET + SLACK
    returned = [item["pk"] for item in result.items] + [key["pk"] for key in result.unprocessed_keys]
    assert sorted(returned) == sorted(key["pk"] for key in keys)
    assert len(result.unprocessed_keys) == 9


# --- tenant boundary and duplicates -------------------------------------------------------------


@pytest.mark.parametrize(
    "foreign",
    [
        _item(1, tenant="t10"),
        _item(1, tenant="t"),
        {**_item(1), "gsi1_pk": tenant_key("t10", "items")},
        {**_item(1), "gsi3_pk": "group#created"},
    ],
)
def test_given_put_outside_the_tenant_when_written_should_raise_before_any_call(foreign: dict[str, Any]) -> None:
    fake = FakeDynamoDB()

    with pytest.raises(TenantBoundaryError):
        batch_write(_table(fake), puts=[_item(0), foreign])

    assert fake.write_calls == []


def test_given_delete_outside_the_tenant_when_written_should_raise_before_any_call() -> None:
    fake = FakeDynamoDB()

    with pytest.raises(TenantBoundaryError):
        batch_write(_table(fake), puts=[_item(0)], deletes=[_key(2, tenant="t10")])

    assert fake.write_calls == []


def test_given_key_outside_the_tenant_when_read_should_raise_before_any_call() -> None:
    fake = FakeDynamoDB()
    keys = [_key(i) for i in range(150)] + [_key(0, tenant="t10")]

    with pytest.raises(TenantBoundaryError):
        batch_get(_table(fake), keys)

    assert fake.get_calls == []


@pytest.mark.parametrize(
    ("puts", "deletes"),
    [([_item(1), _item(2), _item(1)], []), ([_item(1)], [_key(1)]), ([], [_key(3), _key(3)])],
)
def test_given_one_item_written_twice_when_batch_written_should_raise_before_any_call(
    puts: list[dict[str, Any]], deletes: list[dict[str, str]]
) -> None:
    fake = FakeDynamoDB()

    with pytest.raises(ValueError, match="twice"):
        batch_write(_table(fake), puts=puts, deletes=deletes)

    assert fake.write_calls == []
