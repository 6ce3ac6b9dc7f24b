#!/usr/bin/env python3
"""tenantkit's CDK app. `make synth` (or `cd cdk && ../.venv/bin/python app.py`) writes `cdk.out/`.

Settings come from CDK context (`python app.py -c organization=acme -c environment=prod`, `cdk synth
-c ...`, or `cdk.json`), then the environment (`TENANTKIT_ORG`, `TENANTKIT_ENV`,
`CORS_ALLOWED_ORIGINS`, ...), then defaults: see `tenantkit_cdk/settings.py` and README.md.
Without the cdk CLI, `cdk.json`'s context is read here, and `CDK_OUTDIR` (default `../cdk.out`).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment

from tenantkit_cdk import build_app

HERE = Path(__file__).resolve().parent


def _context(arguments: list[str] | None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-c", "--context", action="append", default=[], metavar="KEY=VALUE")
    parsed = parser.parse_args(arguments)
    context: dict[str, Any] = {}
    cdk_json = HERE / "cdk.json"
    if cdk_json.is_file() and "CDK_CONTEXT_JSON" not in os.environ:  # the CLI passes cdk.json itself
        context.update(json.loads(cdk_json.read_text(encoding="utf-8")).get("context", {}))
    for pair in parsed.context:
        key, separator, value = pair.partition("=")
        if not separator:
            parser.error(f"context must be KEY=VALUE, not {pair!r}")
        context[key] = value
    return context


def main(arguments: list[str] | None = None) -> None:
    outdir = os.environ.get("CDK_OUTDIR") or str(HERE.parent / "cdk.out")
    app = App(outdir=outdir, context=_context(arguments))
    account, region = os.environ.get("CDK_DEFAULT_ACCOUNT"), os.environ.get("CDK_DEFAULT_REGION")
    env = Environment(account=account, region=region) if account and region else None
    build_app(app, env=env)
    app.synth()
    print(f"synthesized to {outdir}")


if __name__ == "__main__":
    main()
