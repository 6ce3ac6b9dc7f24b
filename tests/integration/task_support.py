"""Helpers for the task integration tests: payloads, racing calls, following cursors, events."""

from __future__ import annotations

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
