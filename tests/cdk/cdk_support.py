"""Helpers for the CDK tests: puts `cdk/` on the path and synthesizes the app (see conftest.py).

Settings are fixed here (the documented defaults), independent of the shell and of
`.env.development`. The Lambda layers come from the `.cdk-build/` cache, so nothing is reinstalled.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

ROOT = Path(__file__).resolve().parents[2]
CDK_DIR = ROOT / "cdk"
if str(CDK_DIR) not in sys.path:
    sys.path.insert(0, str(CDK_DIR))

from aws_cdk import (  # noqa: E402
    App,
    CfnElement,
    Stack,
    assertions,
    cx_api,
)

from tenantkit_cdk import Layers, Settings, TenantkitStacks, build_app  # noqa: E402

DEFAULT_SETTINGS = Settings()


def logical_id(construct: Any) -> str:
    """The CloudFormation logical id of an L2 construct's resource."""
    resource = construct.node.default_child
    assert isinstance(resource, CfnElement)
    return str(Stack.of(construct).get_logical_id(resource))


@dataclass
class Synthesized:
    """One synthesized app: its stacks, templates by stack kind, the cloud assembly, nag's verdict."""

    settings: Settings
    stacks: TenantkitStacks
    assembly: cx_api.CloudAssembly
    templates: dict[str, assertions.Template]
    nag_error: str | None


def synthesize(settings: Settings, outdir: Path, layers: Layers, *, nag: bool = True) -> Synthesized:
    app = App(outdir=str(outdir))
    stacks = build_app(app, settings, nag=nag, layers=layers)
    nag_error = None
    try:
        assembly = app.synth()
    except RuntimeError as error:  # cdk-nag findings surface as jsii's ValidationFailed
        if not nag or "ValidationFailed" not in str(error):
            raise
        nag_error = str(error)
        return _without_nag(settings, outdir, layers, nag_error)
    templates = {
        "data": assertions.Template.from_stack(stacks.data),
        "identity": assertions.Template.from_stack(stacks.identity),
        "events": assertions.Template.from_stack(stacks.events),
        "api": assertions.Template.from_stack(stacks.api),
        "monitoring": assertions.Template.from_stack(stacks.monitoring),
    }
    return Synthesized(settings, stacks, assembly, templates, nag_error)


def _without_nag(settings: Settings, outdir: Path, layers: Layers, nag_error: str) -> Synthesized:
    """The same app without cdk-nag, so the other assertions still run when nag fails."""
    result = synthesize(settings, outdir.with_name(outdir.name + "-plain"), layers, nag=False)
    result.nag_error = nag_error
    return result
