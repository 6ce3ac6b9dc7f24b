"""CDK fixtures: the app is synthesized once per session (the first synth costs seconds), with cdk-nag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import assertions
from cdk_support import DEFAULT_SETTINGS, Synthesized, synthesize

from tenantkit_cdk.packaging import Layers, Target, build_layers


@pytest.fixture(scope="session")
def lambda_layers() -> Layers:
    """The Lambda (arm64, cp312) layers the app deploys, from the `.cdk-build/` cache."""
    return build_layers(Target())


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory, lambda_layers: Layers) -> Synthesized:
    return synthesize(DEFAULT_SETTINGS, tmp_path_factory.mktemp("cdk.out"), lambda_layers)


@pytest.fixture(scope="session")
def templates(synthesized: Synthesized) -> dict[str, assertions.Template]:
    return synthesized.templates


@pytest.fixture(scope="session")
def api_template(templates: dict[str, assertions.Template]) -> assertions.Template:
    return templates["api"]


@pytest.fixture(scope="session")
def resources_of(api_template: assertions.Template) -> Callable[[str], dict[str, Any]]:
    """`resources_of("AWS::Lambda::Function")`: logical id -> resource, in the API stack."""

    def find(kind: str) -> dict[str, Any]:
        return dict(api_template.find_resources(kind))

    return find
