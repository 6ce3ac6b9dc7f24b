"""Lambda packaging without Docker: two layers, and the per-resource code directories.

- The *dependencies* layer holds the locked runtime dependencies (`uv export --frozen --no-dev`)
  installed from binary wheels for the Lambda platform. Keyed by `uv.lock` and the target.
- The *library* layer holds the `tenantkit` package copied from `src/`. Keyed by the source tree.

Both are cached under `.cdk-build/<kind>-<target>-<key>/` (the two newest of each kind are kept),
so repeated synths and tests install nothing, and a change to `src/` rebuilds (and on deploy
uploads) a small library layer, not the 70+ MB of dependencies. Where an interpreter of the target
Python version exists, both are byte-compiled (`unchecked-hash` pycs: `/opt` is read-only on Lambda,
so a cold start would otherwise compile every imported module again).

boto3, botocore and s3transfer stay in the dependencies layer: the lock pins versions newer than
the ones the Lambda runtime ships, and the library is tested against the locked versions.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_ROOT = REPO_ROOT / ".cdk-build"
LAMBDA_PLATFORM = "manylinux2014_aarch64"
LAMBDA_PYTHON = "3.12"
#: Bump when the layout of a built layer changes, to invalidate every cache entry.
LAYOUT_VERSION = "2"
KEEP_BUILDS = 2
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


class PackagingError(RuntimeError):
    """A layer could not be built (no uv, no pip, a wheel missing for the target)."""


@dataclass(frozen=True)
class Target:
    """Where the layers run: a pip platform tag (None: this machine) and a Python version."""

    platform: str | None = LAMBDA_PLATFORM
    python_version: str = LAMBDA_PYTHON

    @classmethod
    def host(cls) -> Target:
        """This machine and this interpreter's version (for import tests in a clean interpreter)."""
        return cls(platform=None, python_version=f"{sys.version_info.major}.{sys.version_info.minor}")

    @property
    def label(self) -> str:
        return f"{self.platform or 'host'}-py{self.python_version}"


@dataclass(frozen=True)
class Layers:
    """Built layer directories, each holding `python/` as Lambda expects."""

    dependencies: Path
    library: Path

    @property
    def python_paths(self) -> list[Path]:
        return [self.library / "python", self.dependencies / "python"]


def _digest(*parts: bytes) -> hashlib._Hash:
    digest = hashlib.sha256(LAYOUT_VERSION.encode())
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest


def _tree_digest(digest: hashlib._Hash, root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


def dependencies_key(target: Target, repo_root: Path = REPO_ROOT) -> str:
    return _digest(target.label.encode(), (repo_root / "uv.lock").read_bytes()).hexdigest()[:20]


def library_key(target: Target, repo_root: Path = REPO_ROOT) -> str:
    digest = _digest(target.label.encode())
    _tree_digest(digest, repo_root / "src" / "tenantkit")
    return digest.hexdigest()[:20]


def _uv() -> list[str]:
    found = shutil.which("uv")
    if found:
        return [found]
    bootstrap = REPO_ROOT / ".bootstrap" / "bin" / "uv"
    return [str(bootstrap)] if bootstrap.is_file() else [sys.executable, "-m", "uv"]


def export_requirements(repo_root: Path = REPO_ROOT) -> str:
    """The locked runtime requirements (no dev or cdk groups, no tenantkit itself)."""
    command = [*_uv(), "export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project", "--no-header"]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    try:
        result = subprocess.run(command, cwd=repo_root, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        raise PackagingError(f"cannot run uv ({error}); run `make env` first") from error
    if result.returncode != 0:
        raise PackagingError(f"uv export failed:\n{result.stderr}")
    return result.stdout


def _runs(*command: str) -> bool:
    try:
        done = subprocess.run(list(command), capture_output=True, check=False, timeout=600)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _install_command(target_dir: Path, requirements: Path, target: Target) -> list[str]:
    """pip from this interpreter, the bootstrap venv or the base interpreter; else `uv pip`."""
    common = ["--target", str(target_dir), "--no-deps", "--only-binary", ":all:", "-r", str(requirements)]
    common += ["--python-version", target.python_version]
    for python in (
        Path(sys.executable),
        REPO_ROOT / ".bootstrap" / "bin" / "python",
        Path(sys.base_prefix) / "bin" / "python3",
    ):
        if python.is_file() and _runs(str(python), "-m", "pip", "--version"):
            command = [str(python), "-m", "pip", "install", *common, "--quiet", "--quiet", "--no-warn-conflicts"]
            command += ["--disable-pip-version-check"]
            if target.platform:
                command += ["--platform", target.platform, "--implementation", "cp"]
            return command
    command = [*_uv(), "pip", "install", *common]
    if target.platform:
        arch = "aarch64" if "aarch64" in target.platform else "x86_64"
        command += ["--python-platform", f"{arch}-manylinux2014"]
    return command


def find_interpreter(version: str) -> str | None:
    """A working `python<version>` on this machine (to byte-compile a layer), or None."""
    candidates = [found for found in (shutil.which(f"python{version}"),) if found]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    check = f"import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '{version}' else 1)"
    return next((candidate for candidate in candidates if _runs(candidate, "-I", "-c", check)), None)


def _precompile(python_dir: Path, target: Target) -> None:
    interpreter = find_interpreter(target.python_version)
    if interpreter is not None:
        _runs(
            interpreter,
            "-I",
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            str(python_dir),
        )


def _cached(kind: str, key: str, target: Target, populate: Callable[[Path], None]) -> Path:
    """`.cdk-build/<kind>-<target>-<key>/`, built atomically by `populate(python_dir)` when missing."""
    final = BUILD_ROOT / f"{kind}-{target.label}-{key}"
    if (final / ".complete").is_file():
        return final
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{kind}-build-", dir=BUILD_ROOT))
    try:
        populate(work / "python")
        for cache in (work / "python").rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        _precompile(work / "python", target)
        (work / ".complete").write_text(key, encoding="utf-8")
        try:
            work.rename(final)
        except OSError:  # another process finished the same build first
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _prune(kind, target, keep=final)
    return final


def _prune(kind: str, target: Target, keep: Path) -> None:
    builds = sorted(BUILD_ROOT.glob(f"{kind}-{target.label}-*"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in [path for path in builds if path != keep][KEEP_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def build_dependencies(target: Target = Target(), repo_root: Path = REPO_ROOT) -> Path:
    """The dependencies layer for `target` (cached by `uv.lock`)."""

    def populate(python_dir: Path) -> None:
        python_dir.parent.mkdir(parents=True, exist_ok=True)
        requirements = python_dir.parent / "requirements.txt"
        requirements.write_text(export_requirements(repo_root), encoding="utf-8")
        result = subprocess.run(  # noqa: S603
            _install_command(python_dir, requirements, target), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise PackagingError(
                f"installing dependencies for {target.label} failed:\n{result.stdout}\n{result.stderr}"
            )
        requirements.unlink()
        shutil.rmtree(python_dir / "bin", ignore_errors=True)

    return _cached("dependencies", dependencies_key(target, repo_root), target, populate)


def build_library(target: Target = Target(), repo_root: Path = REPO_ROOT) -> Path:
    """The library layer for `target`: `tenantkit` from `src/` (cached by the source tree)."""

    def populate(python_dir: Path) -> None:
        shutil.copytree(repo_root / "src" / "tenantkit", python_dir / "tenantkit", ignore=_IGNORED)

    return _cached("library", library_key(target, repo_root), target, populate)


def build_layers(target: Target = Target(), repo_root: Path = REPO_ROOT) -> Layers:
    """Both layers for `target` (the Lambda's by default; `Target.host()` for local import tests)."""
    return Layers(build_dependencies(target, repo_root), build_library(target, repo_root))


def lambda_directories(root: Path = REPO_ROOT / "lambdas") -> dict[str, Path]:
    """`<root>/<resource>/` directories that hold a `handler.py`, by resource name."""
    return {path.parent.name: path.parent for path in sorted(root.glob("*/handler.py"))}


#: Files never shipped with a Lambda's code asset.
CODE_EXCLUDES = ["__pycache__", "*.pyc", "*.pyo", "tests", "README.md"]
