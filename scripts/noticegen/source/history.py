"""What a git revision of the project released: its changelog and the files of its snapshots, read with git."""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass
from pathlib import Path

from noticegen.source.versions import CHANGELOG_FILE, VERSIONS_DIR


class HistoryError(Exception):
    """The revision cannot be read (no git, not a repository, an unknown revision)."""


@dataclass(frozen=True)
class Released:
    revision: str  # the commit the revision named
    committed: datetime.date  # the day (UTC) it was committed: nothing released after it was published before it
    changelog: bytes | None  # notice/changelog.yaml as it was, or None
    files: dict[str, bytes]  # every file under notice/versions/, by path relative to the project


def _git(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise HistoryError("git is not installed: --against compares with a git revision") from None
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise HistoryError(said[-1] if said else f"git {' '.join(args)} failed")
    return result.stdout


def released_at(root: Path, revision: str) -> Released:
    if revision.startswith("-"):
        raise HistoryError(f"'{revision}' is not a revision")
    commit = _git(root, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}").decode().strip()
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()  # the project's folder in the repository
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", f"{prefix}{VERSIONS_DIR}")
    files = {}
    for name in filter(None, listing.decode("utf-8").split("\0")):
        files[name.removeprefix(prefix)] = _git(root, "cat-file", "blob", f"{commit}:{name}")
    try:
        changelog = _git(root, "cat-file", "blob", f"{commit}:{prefix}{CHANGELOG_FILE}")
    except HistoryError:
        changelog = None
    epoch = int(_git(root, "show", "-s", "--format=%ct", commit).decode().strip())
    committed = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).date()
    return Released(commit, committed, changelog, files)
