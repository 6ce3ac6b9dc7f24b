"""`make run` as a developer types it: starts, serves a token's first request, stops on Ctrl-C, twice.

The command runs from the repository root with this process's environment (tests/conftest.py has
replaced any real AWS credentials with fake ones and removed endpoint overrides, so the stack starts
its own embedded DynamoDB). It runs in its own session: Ctrl-C is a SIGINT to its process group, as a
terminal sends it, and whatever is left is killed in `finally`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
TENANTKIT = Path(sys.executable).with_name("tenantkit")
START_TIMEOUT = 60
STOP_TIMEOUT = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`make run` exited with {process.returncode} before serving:\n{log.read_text()}")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.25)
    pytest.fail(f"`make run` did not serve /health within {START_TIMEOUT} s:\n{log.read_text()}")


def demo_token(handle: str) -> str:
    command = [str(TENANTKIT), "token", "--demo", handle]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30, check=True)  # noqa: S603
    return done.stdout.strip()


def interrupt_and_wait(process: subprocess.Popen[bytes], port: int) -> float:
    """Ctrl-C to the whole process group; seconds until `make` has exited and the port is free."""
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=STOP_TIMEOUT)
    while not port_is_closed(port) and time.monotonic() - started < STOP_TIMEOUT:
        time.sleep(0.1)
    return time.monotonic() - started


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Whatever of the group is still there (make, uv, the server) gets SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=STOP_TIMEOUT)


def serve_once(port: int, log: Path) -> tuple[int, list[str], float, str]:
    """One `make run`: (status of GET /groups, group names, seconds to stop, output)."""
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            ["make", "run", f"PORT={port}"],  # noqa: S607 - `make` from PATH, as a developer runs it
            cwd=ROOT,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_health(url, process, log)
            headers = {"Authorization": f"Bearer {demo_token('acme-member')}"}
            response = requests.get(f"{url}/groups", headers=headers, timeout=10)
            names = [item["name"] for item in response.json()["data"]["items"]] if response.ok else []
            seconds = interrupt_and_wait(process, port)
        finally:
            kill_group(process)
    return response.status_code, names, seconds, log.read_text()


@pytest.mark.slow
def test_given_a_free_port_when_make_run_is_started_twice_should_serve_and_stop_on_ctrl_c_each_time(
    tmp_path: Path,
) -> None:
    port = free_port()

    first = serve_once(port, tmp_path / "first.log")
    second = serve_once(port, tmp_path / "second.log")  # the same port: the first run released it

    for status, names, seconds, output in (first, second):
        assert status == 200, output
        assert set(names) == {"My drafts", "Book club", "Engineering"}, output
        assert seconds < STOP_TIMEOUT, output
        assert f"http://127.0.0.1:{port}" in output
        assert "stopped" in output.splitlines()[-3:], output
        assert "Traceback" not in output, output
    assert port_is_closed(port)
