"""Cold start stays lean: a handler import creates no AWS client and loads nothing the request doesn't need.

Timings are measured by `benchmarks/cold_start.py` (ratios in one run); these tests check the
structural causes, which do not depend on how busy the machine is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAMBDAS = sorted(p.parent.name for p in (ROOT / "lambdas").glob("*/handler.py"))

PROBE = """
import json, sys, importlib.util
import botocore.session
def refuse(*args, **kwargs):
    raise AssertionError("an AWS client was created at import time")
botocore.session.Session.create_client = refuse
spec = importlib.util.spec_from_file_location("probe_handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
before = set(sys.modules)
spec.loader.exec_module(module)
print(json.dumps(sorted(set(sys.modules))))
"""
NOT_AT_IMPORT = ("jwt", "jsonschema", "cryptography", "moto", "openapi_spec_validator", "tenantkit.local")


def _modules_after_import(resource: str) -> set[str]:
    handler = ROOT / "lambdas" / resource / "handler.py"
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE, str(handler)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("resource", LAMBDAS)
def test_given_a_fresh_interpreter_when_importing_a_handler_should_create_no_client_nor_load_heavy_modules(
    resource: str,
) -> None:
    modules = _modules_after_import(resource)

    loaded = sorted(m for m in modules if m.split(".")[0] in NOT_AT_IMPORT or m.startswith(NOT_AT_IMPORT))
    assert loaded == []


def test_given_the_benchmark_when_run_briefly_should_report_every_case_against_the_baseline() -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "benchmarks" / "cold_start.py"), "--rounds", "1", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )

    medians = json.loads(result.stdout)["median_ms"]
    assert set(medians) == {
        "import boto3 (baseline)",
        "import lambdas/groups handler",
        "import handler + first POST /groups",
    }
    assert all(value > 0 for value in medians.values())
