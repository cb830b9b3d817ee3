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
        for field, was, now_is in _differences(old, new):
            report.error(
                at,
                f"field '{shown(field)}' of version {version_id} differs from {name}: "
                f"{_shown(was, now_is)} there, {_shown(now_is, was)} here",
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


def _differences(old: dict, new: dict, prefix: str = "") -> list[tuple[str, object, object]]:
    """(field, value there, value here) for each field that differs, a mapping's fields one by one
    (`summary.de`), so that the message names what changed rather than a whole mapping cut short."""
    found: list[tuple[str, object, object]] = []
    for key in sorted(set(old) | set(new), key=str):
        was, now_is = old.get(key), new.get(key)
        if was == now_is:
            continue
        if isinstance(was, dict) and isinstance(now_is, dict):
            found += _differences(was, now_is, f"{prefix}{key}.")
        else:
            found.append((f"{prefix}{key}", was, now_is))
    return found


def _shown(value: object, other: object = None) -> str:
    """`value` quoted, cut to 60 characters around where it first differs from `other`."""
    if value is None:
        return "nothing"
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    if len(text) <= 60:
        return repr(text)
    compared = other.isoformat() if isinstance(other, datetime.date) else str(other or "")
    same = next((index for index, (a, b) in enumerate(zip(text, compared, strict=False)) if a != b), len(compared))
    start = max(0, min(same - 20, len(text) - 57))
    cut = text[start : start + 57]
    return repr(("..." if start else "") + cut + ("..." if start + 57 < len(text) else ""))
