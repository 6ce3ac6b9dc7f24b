"""Lambda packaging: what the app builds imports every handler in a clean interpreter, no dev deps.

The deployed layers are arm64/cp312 and cannot be imported here, so the same builder makes the
layers for this machine (`Target.host()`) and a bare interpreter (`-I -S`: no venv, no
site-packages, no PYTHONPATH) imports each `lambdas/<resource>/handler.py` from them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cdk_support import ROOT

from tenantkit_cdk.packaging import Layers, Target, build_layers, lambda_directories, library_key

LAMBDAS = sorted(lambda_directories())
DEV_ONLY = ("pytest", "moto", "hypothesis", "mypy", "ruff", "aws_cdk", "cdk_nag", "cfnlint", "schemathesis")
EM_AARCH64 = 183

IMPORT_CHECK = """
import importlib, importlib.util, pkgutil, sys
sys.path[:0] = {paths!r}
import handler
assert callable(handler.lambda_handler), "lambda_handler is not callable"
import tenantkit
assert tenantkit.__file__.startswith({library!r}), tenantkit.__file__
# What requests load later (lazily) must be in the layers too: every runtime module, native code included.
for module in pkgutil.walk_packages(tenantkit.__path__, "tenantkit."):
    if not module.name.startswith(("tenantkit.local", "tenantkit.cli")):
        importlib.import_module(module.name)
import cryptography.hazmat.primitives.asymmetric.rsa, jsonschema, jwt
jsonschema.Draft202012Validator({{"type": "object"}}).validate({{}})
assert sys.prefix == sys.base_prefix, "running inside a virtual environment"
missing = [name for name in {dev_only!r} if importlib.util.find_spec(name) is None]
assert missing == list({dev_only!r}), "dev packages are importable: " + str(set({dev_only!r}) - set(missing))
print("ok")
"""


def _bare_interpreter() -> str:
    """The base interpreter behind this venv (same version as the host layers), outside the venv."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for name in (f"python{version}", "python3"):
        candidate = Path(sys.base_prefix) / "bin" / name
        if candidate.is_file():
            return str(candidate)
    pytest.fail(f"no base interpreter under {sys.base_prefix}")


@pytest.fixture(scope="module")
def host_layers() -> Layers:
    return build_layers(Target.host())


@pytest.mark.parametrize("resource", LAMBDAS)
def test_given_the_built_layers_when_a_clean_interpreter_imports_a_handler_should_succeed(
    resource: str, host_layers: Layers
) -> None:
    lambda_dir = ROOT / "lambdas" / resource
    paths = [str(path) for path in host_layers.python_paths] + [str(lambda_dir)]
    script = IMPORT_CHECK.format(paths=paths, library=str(host_layers.library), dev_only=DEV_ONLY)
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "HOME": str(ROOT)}

    result = subprocess.run(  # noqa: S603
        [_bare_interpreter(), "-I", "-S", "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=lambda_dir,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_given_the_lambda_layers_when_built_should_hold_arm64_cp312_binaries_and_no_dev_packages(
    lambda_layers: Layers,
) -> None:
    dependencies = lambda_layers.dependencies / "python"

    binaries = list(dependencies.rglob("*.so"))

    assert binaries, "cryptography, cffi and rpds-py ship native code"
    for binary in binaries:
        header = binary.read_bytes()[:20]
        assert header[:4] == b"\x7fELF"
        assert int.from_bytes(header[18:20], "little") == EM_AARCH64, binary
        if "cpython-" in binary.name:
            assert "cpython-312-aarch64" in binary.name, binary
    present = {path.name for path in dependencies.iterdir()}
    assert not present & set(DEV_ONLY)
    assert {"boto3", "boto3_assist", "aws_lambda_powertools", "jsonschema", "jwt"} <= present
    assert (lambda_layers.library / "python" / "tenantkit" / "__init__.py").is_file()


def test_given_a_source_change_when_keying_the_library_layer_should_change_its_key(tmp_path: Path) -> None:
    package = tmp_path / "src" / "tenantkit"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    before = library_key(Target(), tmp_path)

    (package / "__init__.py").write_text("VERSION = 2\n", encoding="utf-8")

    assert library_key(Target(), tmp_path) != before
    assert library_key(Target.host(), tmp_path) != library_key(Target(), tmp_path)
