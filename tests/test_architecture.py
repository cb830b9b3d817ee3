"""The package's shape: stages import downwards only, and only the MkDocs adapter knows MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = PROJECT / "scripts" / "noticegen"
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts over the package found in `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    command = [LINT_IMPORTS, "--config", str(PROJECT / "pyproject.toml"), "--no-cache"]
    return subprocess.run(command, cwd=package_parent, env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "noticegen", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def add_import(package_parent: Path, module: str, statement: str) -> None:
    path = package_parent / "noticegen" / module
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("from __future__ import annotations\n", f"from __future__ import annotations\n\n{statement}\n", 1)
    )


def test_the_package_keeps_its_import_contracts() -> None:
    result = lint_imports(PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_a_stage_that_imports_mkdocs_breaks_the_contract(package_copy: Path) -> None:
    add_import(package_copy, "render/feed.py", "import mkdocs.config  # noqa")
    result = lint_imports(package_copy)
    assert result.returncode == 1
    assert "Only the MkDocs adapter imports MkDocs, Material or static-i18n BROKEN" in result.stdout
    assert "noticegen.render.feed -> mkdocs (l.5)" in result.stdout


def test_a_lower_stage_that_imports_a_higher_one_breaks_the_contract(package_copy: Path) -> None:
    add_import(package_copy, "source/load.py", "import noticegen.render.pages  # noqa")
    result = lint_imports(package_copy)
    assert result.returncode == 1
    assert "Stages import downwards only BROKEN" in result.stdout
    assert "noticegen.source.load -> noticegen.render.pages" in result.stdout
