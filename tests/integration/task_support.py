"""Helpers for the task integration tests: payloads, racing calls, following cursors, events."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tenantkit.models.ids import new_id
from tenantkit.services.events import InMemoryEventPublisher
from tenantkit.services.factory import ServiceFactory

#: A fixed millisecond base for ids, so ids minted in a test sort in creation order.
ID_BASE_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def task_payload(title: str = "Write the report", **extra: Any) -> dict[str, Any]:
    return {"title": title, **extra}


def ordered_id(n: int) -> str:
    """The `n`-th of a series of ids that sort in the order they are minted."""
    return new_id(now_ms=ID_BASE_MS + n)


def eventful_factory(moto_db: Any) -> tuple[ServiceFactory, InMemoryEventPublisher]:
    publisher = InMemoryEventPublisher()
    return ServiceFactory(db=moto_db, events=publisher), publisher


def collect(list_call: Callable[..., Any], limit: int) -> tuple[list[str], list[int]]:
    """Follow cursors to the end: the titles seen in order and the size of each page."""
    titles: list[str] = []
    sizes: list[int] = []
    cursor = None
    while True:
        result = list_call(limit=limit, cursor=cursor)
        assert result.success, result.error
        titles.extend(task.title for task in result.data.items)
        sizes.append(len(result.data.items))
        cursor = result.data.next_cursor
        if cursor is None:
            return titles, sizes
        assert len(sizes) < 50, "paging does not end"


def race(service: Any, calls: list[Callable[[], Any]]) -> list[Any]:
    """Run `calls` in threads that all read the item before any of them writes.

    DynamoDB serializes the transactions on one item; moto's in-process backend does not (two
    threads can both pass a condition before either writes), so a lock stands in for that.
    """
    barrier = threading.Barrier(len(calls))
    client = service.table.client
    transact = client.transact_write_items
    serialized = threading.Lock()

    def one_at_a_time(**kwargs: Any) -> Any:
        with serialized:
            return transact(**kwargs)

    original_load = service._load
    first_load: set[int] = set()

    def load_then_wait(ctx: Any, item_id: str) -> Any:
        model = original_load(ctx, item_id)
        me = threading.get_ident()
        if me not in first_load:
            first_load.add(me)
            barrier.wait(timeout=10)
        return model

    client.transact_write_items = one_at_a_time
    service._load = load_then_wait
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        del service._load
        client.transact_write_items = transact
    return results
