"""Cold start of the Groups Lambda, measured against `import boto3` in the same run.

Each sample is a fresh interpreter timing its own imports (`time.perf_counter` around them), the
three cases interleaved round by round so machine noise hits them alike; the report is the median
of each and the ratios to the baseline. Usage: `python benchmarks/cold_start.py [--rounds 9] [--json]`.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = "import time, sys\nstarted = time.perf_counter()\n"
LOAD_HANDLER = f"""
import importlib.util
spec = importlib.util.spec_from_file_location("groups_handler", {str(ROOT / "lambdas/groups/handler.py")!r})
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
"""
FIRST_REQUEST = """
import json
from unittest import mock
from tenantkit.services.factory import ServiceFactory
from tenantkit.services.result import ServiceResult
services = mock.create_autospec(ServiceFactory, instance=True)
services.group_service.create.return_value = ServiceResult.success_result({"id": "x"}, status_code=201)
claims = {"sub": "0b9e3f5e-8f5a-4c1e-9d3c-2f1a7e6b5c4d", "custom:tenant_id": "01JC0000000000000000000000",
          "custom:role": "member"}
event = {"resource": "/groups", "path": "/groups", "httpMethod": "POST",
         "headers": {"Content-Type": "application/json"},
         "requestContext": {"requestId": "r1", "authorizer": {"claims": claims}},
         "body": json.dumps({"name": "Design", "groupType": "team"})}
response = module.lambda_handler(event, None, services)
assert response["statusCode"] == 201, response
"""
CASES = {
    "import boto3 (baseline)": PRELUDE + "import boto3\n",
    "import lambdas/groups handler": PRELUDE + LOAD_HANDLER,
    "import handler + first POST /groups": PRELUDE + LOAD_HANDLER + FIRST_REQUEST,
}
EPILOGUE = "\nprint(time.perf_counter() - started)\n"


def sample(code: str) -> float:
    env = {**os.environ, "TENANTKIT_METRICS": "off", "LOG_LEVEL": "WARNING", "CURSOR_SECRET": "x" * 32}
    output = subprocess.run(  # noqa: S603 - runs this interpreter on our own snippet
        [sys.executable, "-c", code + EPILOGUE], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    return float(output.stdout.strip().splitlines()[-1]) * 1000


def measure(rounds: int) -> dict[str, float]:
    compileall.compile_dir(ROOT / "src", quiet=1)
    compileall.compile_dir(ROOT / "lambdas", quiet=1)
    for code in CASES.values():
        sample(code)
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(rounds):
        for name, code in CASES.items():
            samples[name].append(sample(code))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    medians = measure(args.rounds)
    baseline = medians["import boto3 (baseline)"]
    if args.json:
        print(json.dumps({"median_ms": medians, "rounds": args.rounds}, indent=2))
        return
    print(f"cold start, median of {args.rounds} fresh interpreters per case")
    for name, value in medians.items():
        print(f"  {name:40s} {value:7.1f} ms   {value / baseline:4.2f}x boto3")


if __name__ == "__main__":
    main()
