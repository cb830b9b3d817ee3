"""The notice in this repository, whatever company's it is: the tests a fork keeps.

The engine's tests read fixtures (tests/fixtures/), never notice/ and locales/. What must hold for the notice
this repository publishes is said once, in the notice tests every project gets (`notice init` copies them:
scripts/noticegen/commands/starter/tests/test_notice.py): every locale has every section, every anchor ever
released resolves, every released version reproduces its digests, the site builds. They run here on this
repository's notice, and on a fork's: shown below by replacing the notice with another company's.
(The browser's half, axe on every kind of page, is tests/browser/test_this_notice.py.)
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import COUNSEL, PROJECT
from noticegen.commands.fmt import working_files

BIN = Path(sys.executable).parent
NOTICE_TESTS = PROJECT / "scripts" / "noticegen" / "commands" / "starter" / "tests" / "test_notice.py"
# Another company's notice, English first, with tables, clause anchors and a data table of its own (cookies),
# to stand in for a fork's.
OTHER_NOTICE = COUNSEL


def run_notice_tests(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NOTICE_PROJECT": str(project)}
    command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-rs", str(NOTICE_TESTS)]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


def test_the_notice_tests_pass_on_this_repositorys_notice() -> None:
    result = run_notice_tests(PROJECT)
    assert result.returncode == 0, result.stdout[-3000:]
    last = result.stdout.splitlines()[-1]
    assert "passed" in last and "skipped" not in last


def test_the_installed_command_checks_this_notice() -> None:
    notice = shutil.which("notice", path=str(BIN))
    assert notice, "the `notice` console script is installed with the package"
    completed = subprocess.run([notice, "check", "--strict"], cwd=PROJECT, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.splitlines()[-1].startswith("notice check (strict) passed")


def fork_with(notice: Path, target: Path) -> Path:
    """A copy of this repository whose notice/ and locales/ are another company's notice."""
    ignore = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "site.*", "dist", "__pycache__")
    shutil.copytree(PROJECT, target, ignore=ignore)
    for folder in ("notice", "locales"):
        shutil.rmtree(target / folder)
        shutil.copytree(notice / folder, target / folder)
    return target


def test_a_fork_with_another_companys_notice_keeps_its_tests(tmp_path: Path) -> None:
    fork = fork_with(OTHER_NOTICE, tmp_path / "fork")
    result = run_notice_tests(fork)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "skipped" not in result.stdout.splitlines()[-1]
    # The tests of the Botpress text itself say that they belong to it, and skip; the rest of those files pass.
    own = [fork / "tests" / "test_bundled_notice.py", fork / "tests" / "test_seed_completeness.py"]
    command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider", "-rs", *map(str, own)]
    result = subprocess.run(command, cwd=fork, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    skips = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips and all("a test of the bundled Botpress notice's own text" in line for line in skips)
    assert " passed" in result.stdout.splitlines()[-1]


def test_no_engine_test_reads_this_repositorys_notice() -> None:
    """Only the tests of the notice (above, and the Botpress text's own) may read notice/ or locales/ here."""
    allowed = {"test_this_notice.py", "test_bundled_notice.py", "test_seed_completeness.py"}
    readers = []
    for path in sorted((PROJECT / "tests").rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name not in allowed and any(
            pattern in text
            for pattern in ('PROJECT / "notice', 'PROJECT / "locales', "copy_notice(PROJECT", "check_notice(PROJECT",
                            "copy_site_project(PROJECT", "run_check(PROJECT")
        ):  # fmt: skip
            readers.append(path.relative_to(PROJECT).as_posix())
    assert readers == []


def test_the_pre_commit_hooks_pass_here_and_watch_every_source_file() -> None:
    """Each hook of .pre-commit-config.yaml, run as pre-commit runs it, passes on this repository, and its
    `files` pattern takes every working source file (a hook that never runs checks nothing)."""
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in hooks} == {"notice-check", "notice-fmt"}
    for hook in hooks:
        result = subprocess.run(shlex.split(hook["entry"]), cwd=PROJECT, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert all(re.search(hook["files"], path) for path in working_files(PROJECT)), hook["id"]
