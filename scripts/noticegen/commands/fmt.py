"""`notice fmt`: the working source files in the canonical layout (see yaml_layout.py for the layout).

Only the files an editor works on are laid out: notice/notice.yaml, notice/changelog.yaml, notice/data/*,
locales/*/notice.yaml and locales/*/site.yaml. A released version's snapshot (notice/versions/) is a legal
record whose bytes are locked: it is never touched. The changelog is laid out like the others: its entries'
lock and chain cover their values, never their layout, and every value is kept exactly.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from noticegen.commands.yaml_layout import LayoutError, canonical_text
from noticegen.core.diagnostics import InputError, Report
from noticegen.core.writer import write_atomically
from noticegen.source import formats
from noticegen.source.datatables import SUBPROCESSORS, TableFile, is_table_file
from noticegen.source.load import DATA_DIR, LOCALES_DIR, NOTICE_FILE, YAML_SUFFIXES
from noticegen.source.schema import Kind
from noticegen.source.versions import CHANGELOG_FILE, VERSIONS_DIR
from noticegen.source.yamlsource import YMap, parse_yaml, read_source_bytes

WORKING_FILES = (
    f"{NOTICE_FILE}, {CHANGELOG_FILE}, {DATA_DIR}/*.yaml, {LOCALES_DIR}/*/notice.yaml and {LOCALES_DIR}/*/site.yaml"
)


@dataclass(frozen=True)
class Outcome:
    """One file: its path as shown, its text before and in the canonical layout, or why it cannot be laid out."""

    path: str
    old: str = ""
    new: str = ""
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.problem is None and self.old != self.new


def working_files(root: Path) -> list[str]:
    """The working source files of the project in `root`, by path relative to it, in a stable order."""
    found = [path for path in (NOTICE_FILE, CHANGELOG_FILE) if (root / path).is_file()]
    data = root / DATA_DIR
    if data.is_dir():
        found += [f"{DATA_DIR}/{entry.name}" for entry in sorted(data.iterdir()) if entry.suffix in YAML_SUFFIXES]
    locales = root / LOCALES_DIR
    for folder in sorted(locales.iterdir()) if locales.is_dir() else []:
        found += [f"{LOCALES_DIR}/{folder.name}/{name}" for name in ("notice.yaml", "site.yaml")
                  if (folder / name).is_file()]  # fmt: skip
    return found


def requested_files(root: Path, names: list[str], here: Path | None = None) -> tuple[list[str], list[str]]:
    """The files named on the command line (relative to `here`, the current folder, or else to the project
    folder: `notice fmt --path DIR locales/en/notice.yaml` works from anywhere), as paths relative to `root`,
    and a refusal for each name that is not a working source file of the project."""
    here = here or Path.cwd()
    working = set(working_files(root))
    chosen, refusals = [], []
    for name in names:
        path = Path(name) if Path(name).is_absolute() else here / name
        if not Path(name).is_absolute() and not path.exists() and (root / name).exists():
            path = root / name
        try:
            relative = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            refusals.append(f"{name}: is not in the project folder {root}")
            continue
        if relative == VERSIONS_DIR or relative.startswith(VERSIONS_DIR + "/"):
            refusals.append(f"{name}: is part of a released version, which is never reformatted (it is locked)")
        elif relative not in working:
            refusals.append(f"{name}: is not a source file of the notice ({WORKING_FILES})")
        elif relative not in chosen:
            chosen.append(relative)
    return chosen, refusals


def layout_kind(relative: str, data: Any) -> Kind | None:
    """The schema whose key order the file takes; None where the order is the editor's."""
    if relative == NOTICE_FILE:
        return formats.NOTICE
    if relative == CHANGELOG_FILE:
        return formats.CHANGELOG
    if relative.startswith(f"{DATA_DIR}/"):
        name = Path(relative).stem
        fixed = formats.DATA_FILES.get(name)
        if isinstance(data, YMap) and is_table_file(data) and (fixed is None or name == SUBPROCESSORS):
            return TableFile()
        return fixed
    if relative.endswith("/notice.yaml"):
        return formats.LOCALE_TEXT
    return formats.UI_STRINGS


def lay_out(root: Path, relative: str) -> Outcome:
    """The file `relative` of the project in `root` and its canonical text, or why it cannot be laid out."""
    try:
        raw = read_source_bytes(root / relative, relative, root)
    except InputError as refusal:
        return Outcome(relative, problem=str(refusal))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as failure:
        line = raw[: failure.start].count(b"\n") + 1
        return Outcome(relative, problem=f"{relative}:{line}:1: error: the file is not UTF-8 text (save it as UTF-8)")
    try:
        return Outcome(relative, text, canonical_source(relative, text))
    except LayoutError as failure:
        return Outcome(relative, text, problem=str(failure))


def write_laid_out(root: Path, outcome: Outcome) -> str | None:
    """Replace the file with its canonical text, atomically, unless it changed since it was read (a release
    that appended to the changelog meanwhile, an editor's save): its new content is never overwritten with
    the old one laid out. The reason it was left, or None."""
    try:
        now = (root / outcome.path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        now = None
    if now != outcome.old:
        return (
            f"{outcome.path}: changed while it was being laid out, so it is left as it is now: run `notice fmt` again"
        )
    write_atomically(root / outcome.path, outcome.new)
    return None


def canonical_source(relative: str, text: str) -> str:
    """`text`, the source file `relative`, in the canonical layout; LayoutError if it cannot be laid out."""
    data = parse_yaml(text.removeprefix("\ufeff"), relative, Report())
    return canonical_text(text, relative, layout_kind(relative, data))


def is_working_file(relative: str) -> bool:
    """Whether `relative` (a path in a project) names a working source file, which `notice fmt` lays out."""
    parts = relative.split("/")
    if relative in (NOTICE_FILE, CHANGELOG_FILE):
        return True
    if relative.startswith(f"{DATA_DIR}/") and len(parts) == 3:
        return Path(relative).suffix in YAML_SUFFIXES
    return len(parts) == 3 and parts[0] == LOCALES_DIR and parts[2] in ("notice.yaml", "site.yaml")


def short_diff(outcome: Outcome, limit: int = 12) -> list[str]:
    """The first lines of the unified diff between the file and its canonical layout."""
    lines = list(
        difflib.unified_diff(
            outcome.old.splitlines(),
            outcome.new.splitlines(),
            outcome.path,
            f"{outcome.path} (canonical)",
            n=1,
            lineterm="",
        )
    )
    if not lines and outcome.old != outcome.new:  # only a byte-order mark, line endings or the last line break
        return ["  (only the line endings, a byte-order mark or the final line break differ)"]
    return lines[:limit] + (["  …"] if len(lines) > limit else [])
