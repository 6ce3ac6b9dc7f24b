"""cdk-nag (AwsSolutions) and cfn-lint over the synthesized app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cdk_support import Synthesized, synthesize

from tenantkit_cdk import Layers, Settings

#: W3005 ("DependsOn already enforced by a Ref/GetAtt") is how CDK orders Lambda roles and policies;
#: the redundant DependsOn is harmless. Nothing else is ignored.
CFN_LINT_IGNORED = "W3005"


def _cfn_lint(templates: list[Path]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())"]
    command += ["--ignore-checks", CFN_LINT_IGNORED, "--", *map(str, templates)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)  # noqa: S603


def _template_files(synthesized: Synthesized) -> list[Path]:
    directory = Path(synthesized.assembly.directory)
    return [directory / stack.template_file for stack in synthesized.assembly.stacks]


def _acknowledgments(synthesized: Synthesized) -> dict[str, str]:
    """Every acknowledged rule id in the assembly's metadata, with its reason."""
    found: dict[str, str] = {}
    for path in Path(synthesized.assembly.directory).glob("*.metadata.json"):
        for entries in json.loads(path.read_text(encoding="utf-8")).values():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    found.update({rule.removeprefix("Annotation::"): why for rule, why in entry["data"].items()})
    return found


def test_given_the_app_when_synthesized_with_cdk_nag_should_report_no_unacknowledged_finding(
    synthesized: Synthesized,
) -> None:
    assert synthesized.nag_error is None, synthesized.nag_error


def test_given_the_acknowledged_findings_when_listed_should_each_carry_a_reason(synthesized: Synthesized) -> None:
    acknowledged = _acknowledgments(synthesized)

    assert acknowledged, "cdk-nag acknowledgments were expected in the assembly metadata"
    assert all(rule.startswith("AwsSolutions-") for rule in acknowledged)
    assert all(len(reason) > 40 for reason in acknowledged.values())
    # IAM wildcards and managed policies are acknowledged finding by finding, never wholesale.
    assert not [rule for rule in acknowledged if rule.endswith(("-IAM4", "-IAM5"))]
    # What the issue requires is fixed, not acknowledged: PITR, access logs, request validation.
    assert not [rule for rule in acknowledged if rule.endswith(("-DDB3", "-APIG1", "-APIG2", "-APIG6"))]


def test_given_the_synthesized_templates_when_linted_should_pass_cfn_lint(synthesized: Synthesized) -> None:
    templates = _template_files(synthesized)

    result = _cfn_lint(templates)

    assert len(templates) == 5
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory, lambda_layers: Layers) -> Synthesized:
    settings = Settings(
        organization="acme",
        environment="prod",
        allowed_origins=("https://app.acme.example", "https://admin.acme.example"),
        mfa_required=True,
        tracing=True,
        log_retention_days=365,
        alarm_email="ops@acme.example",
    )
    return synthesize(settings, tmp_path_factory.mktemp("cdk.out.prod"), lambda_layers)


def test_given_production_settings_when_synthesized_should_pass_cdk_nag_and_cfn_lint(production: Synthesized) -> None:
    result = _cfn_lint(_template_files(production))

    assert production.nag_error is None, production.nag_error
    assert result.returncode == 0, result.stdout + result.stderr
    assert [stack.stack_name for stack in production.assembly.stacks] == [
        "AcmeProdData",
        "AcmeProdEvents",
        "AcmeProdIdentity",
        "AcmeProdApi",
        "AcmeProdMonitoring",
    ]


def test_given_several_origins_when_synthesized_should_echo_only_listed_origins_on_preflight(
    production: Synthesized,
) -> None:
    template = production.templates["api"]

    preflights = [
        m["Properties"]
        for m in template.find_resources("AWS::ApiGateway::Method").values()
        if m["Properties"]["HttpMethod"] == "OPTIONS"
    ]

    rendered = json.dumps(preflights[0]["Integration"])
    assert "https://app.acme.example" in rendered
    assert "https://admin.acme.example" in rendered
    assert "'*'" not in rendered
