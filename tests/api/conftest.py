"""API test fixtures: the Lambdas under test. Event builders live in `events.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from events import ALLOWED_ORIGIN, body_of, claims_for, load_lambda, make_event

__all__ = ["ALLOWED_ORIGIN", "body_of", "claims_for", "load_lambda", "make_event"]


@pytest.fixture(scope="session")
def groups_lambda() -> Callable[..., dict[str, Any]]:
    return load_lambda("groups")


@pytest.fixture(scope="session")
def system_lambda() -> Callable[..., dict[str, Any]]:
    return load_lambda("system")
