"""HTTP helpers shared by the end-to-end tests: one request, the error envelope, the success data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

TIMEOUT = 10
Auth = Callable[[str], dict[str, str]]


def call(base_url: str, method: str, path: str, **options: Any) -> requests.Response:
    return requests.request(method, base_url + path, timeout=TIMEOUT, **options)


def assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    """The error envelope of the contract, intact: returns the `error` object."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"success", "error", "timestamp", "correlationId"}
    assert (body["success"], body["error"]["code"]) == (False, code)
    assert isinstance(body["error"]["message"], str)
    assert isinstance(body["error"]["details"], list)
    assert body["correlationId"]
    error: dict[str, Any] = body["error"]
    return error


def data(response: requests.Response, status: int = 200) -> Any:
    """The `data` of a success envelope with `status`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True
    return body["data"]
