"""Append-only history: everything a git revision released is still here, byte for byte and field for field."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from noticegen.core.diagnostics import Location, Report, shown
from noticegen.source.history import Released
from noticegen.source.versions import CHANGELOG_FILE
from noticegen.source.yamlsource import load_data

HINT = "released history is never edited: restore it from that revision, and release a new version instead"


def check_against(root: Path, released: Released, name: str, report: Report) -> None:
    """Compare the project in `root` with what revision `name` (commit `released.revision`) released."""
    before = _entries(released.changelog)
    now_text = (root / CHANGELOG_FILE).read_bytes() if (root / CHANGELOG_FILE).is_file() else None
    now = _entries(now_text)
    lines = (now_text or b"").decode("utf-8", errors="replace").splitlines()
    for position, old in enumerate(before):
        version_id = _id(old)
        if position >= len(now):
            report.error(
                Location(CHANGELOG_FILE),
                f"version {version_id}, released in {name}, is missing from the changelog",
                HINT,
            )
            continue
        new = now[position]
        at = Location(CHANGELOG_FILE, _line_of(lines, _id(new)) or 1)
        if _id(new) != version_id:
            report.error(
                at,
                f"entry {position + 1} of the changelog was version {version_id} in {name}, and is now {_id(new)}: "
                "a released version was removed or the entries reordered",
                HINT,
            )
            continue
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                report.error(
                    at,
                    f"field '{shown(key)}' of version {version_id} differs from {name}: "
                    f"{_shown(old.get(key))} there, {_shown(new.get(key))} here",
                    HINT,
                )
    for new in now[len(before) :]:
        published = new.get("published")
        if "imported" not in new and isinstance(published, datetime.date) and published < released.committed:
            report.error(
                Location(CHANGELOG_FILE, _line_of(lines, _id(new)) or 1),
                f"version {_id(new)} is new since {name}, but says it was published on {published.isoformat()}, "
                f"before {name} was committed ({released.committed.isoformat()})",
                "a version is published the day it is released: a back-dated publication is not honest",
            )
    for path, content in sorted(released.files.items()):
        current = root / path
        if not current.is_file() or current.is_symlink():
            report.error(Location(path), f"{path}, released in {name}, is missing", HINT)
        elif current.read_bytes() != content:
            report.error(Location(path), f"{path} differs from the file released in {name}", HINT)


def _entries(text: bytes | None) -> list[dict]:
    try:
        entries = load_data(text.decode("utf-8")) if text else None
    except (UnicodeDecodeError, yaml.YAMLError):
        return []
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def _id(entry: dict) -> str:
    effective = entry.get("effective")
    return effective.isoformat() if isinstance(effective, datetime.date) else str(effective)


def _line_of(lines: list[str], version_id: str) -> int | None:
    for number, line in enumerate(lines, start=1):
        if line.strip().lstrip("- ").startswith("effective:") and version_id in line:
            return number
    return None


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
