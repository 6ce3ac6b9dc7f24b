"""`cdk/app.py`, what `make synth` runs: context flags, and the templates written to the output dir."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from cdk_support import CDK_DIR


def _entrypoint() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tenantkit_cdk_app_entrypoint", CDK_DIR / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_given_context_flags_when_parsed_should_override_the_cdk_json_context() -> None:
    entrypoint = _entrypoint()

    context = entrypoint._context(["-c", "organization=acme", "--context", "allowed_origins=https://a.example"])

    assert context["organization"] == "acme"
    assert context["allowed_origins"] == "https://a.example"
    assert "@aws-cdk/core:target-partitions" in context


def test_given_a_malformed_context_flag_when_parsed_should_exit_with_usage() -> None:
    entrypoint = _entrypoint()

    with pytest.raises(SystemExit):
        entrypoint._context(["-c", "organization"])


def test_given_the_entrypoint_when_run_should_write_every_stack_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CDK_OUTDIR", str(tmp_path))
    for name in ("TENANTKIT_ORG", "TENANTKIT_ENV", "CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)

    _entrypoint().main(["-c", "organization=acme", "-c", "environment=qa"])

    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    stacks = sorted(
        name for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"
    )
    assert stacks == ["AcmeQaApi", "AcmeQaData", "AcmeQaEvents", "AcmeQaIdentity", "AcmeQaMonitoring"]
    assert all((tmp_path / f"{name}.template.json").is_file() for name in stacks)
